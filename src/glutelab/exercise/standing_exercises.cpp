// Standing exercises: squats, hinges, the glute squeeze, single-leg stance, sit-to-stand and the
// split-stance lunges.
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "glutelab/exercise/generator.hpp"

namespace glutelab::exercise_detail {

void define_squat(Generator& G, const ExerciseParameters& P, LoadPlacement placement) {
  standing_double(G, P, {{G.coord("pelvis_tilt"), 1.0}});
  const double depth = P.depth;
  const Generator* g = &G;
  G.nominal = [g, depth, placement](double p, Eigen::VectorXd& q) {
    const double d = depth * p;
    legs(*g, q, "knee_angle", 5.0 + 95.0 * d);
    legs(*g, q, "ankle_angle", 3.0 + 30.0 * d);
    legs(*g, q, "hip_flexion", 5.0 + 90.0 * d);
    legs(*g, q, "hip_rotation", -5.0);
    switch (placement) {
      case LoadPlacement::None:
        arms(*g, q, 10.0 + 70.0 * d, -5.0, 0.0);
        break;  // counterbalance
      case LoadPlacement::BackBarbell:
        arms(*g, q, -20.0, -70.0, 110.0);
        break;
      case LoadPlacement::FrontRack:
        arms(*g, q, 80.0, -20.0, 140.0);
        break;
      case LoadPlacement::Hands:
        arms(*g, q, 20.0, -10.0, 130.0);
        break;  // goblet at the chest
      case LoadPlacement::Hips:
        arms(*g, q, 0.0, -10.0, 30.0);
        break;
    }
  };
}

void define_hinge(Generator& G, const ExerciseParameters& P, bool conventional) {
  standing_double(G, P, {{G.coord("ankle_angle_r"), 1.0}, {G.coord("ankle_angle_l"), 1.0}});
  const double depth = P.depth;
  const Generator* g = &G;
  G.nominal = [g, depth, conventional](double p, Eigen::VectorXd& q) {
    const double d = depth * p;
    // Conventional: the lift starts from the bottom (p = 1 is the floor); RDL: from standing, to a 55 deg
    // lean with the knees at 25 deg (~77 deg of hip flexion, shins vertical). A 75 deg lean with the
    // knees at 20 deg took the hip to ~104 deg, where the model's stretched hamstrings pull passively
    // (semimembranosus ~1.7 kN) beyond the hip extension moment and no muscle set balanced the adduction.
    const double knee = conventional ? 5.0 + 70.0 * d : 10.0 + 15.0 * d;
    const double tilt = conventional ? -5.0 - 40.0 * d : -5.0 - 50.0 * d;  // anterior tilt (trunk lean)
    legs(*g, q, "knee_angle", knee);
    // Conventional pull: toes and knees turned out 5 deg as in the squats (with parallel feet the
    // muscles cannot hold the hip rotation moment at ~100 deg of hip flexion); the RDL keeps them parallel.
    if (conventional) legs(*g, q, "hip_rotation", -5.0);
    legs(*g, q, "hip_flexion", -tilt + knee * 0.5);
    set_deg(q, g->coord("pelvis_tilt"), tilt);
    set_deg(q, g->coord("lumbar_extension"), 0.0);  // neutral spine
    arms(*g, q, -tilt, -5.0, 0.0);                  // arms hang vertically
  };
}

// Kettlebell swing: a dynamic hip hinge repeated without pause. p = 0 is the top (standing tall, arms
// horizontal, the bell at chest height), p = 1 the hike (trunk 55 deg forward, knees 25 deg, the bell
// between the thighs); the progress is a cosine, so the bell floats at the top and is fastest in between.
// Balance, feet flat and the stance width are solved as in the hinge; the bell's weight and inertia act
// at the hands.
void define_kettlebell_swing(Generator& G, const ExerciseParameters& P) {
  standing_double(G, P, {{G.coord("ankle_angle_r"), 1.0}, {G.coord("ankle_angle_l"), 1.0}});
  G.cyclic = true;
  const double depth = P.depth;
  const Generator* g = &G;
  G.nominal = [g, depth](double p, Eigen::VectorXd& q) {
    const double d = depth * p;
    // The top is a tall stand, slightly behind vertical; the hike stops at a 55 deg lean (hip ~81 deg):
    // at 65 deg (hip ~93 deg) the passive hamstrings exceeded the hip extension moment, as in the RDL.
    const double tilt = 3.0 - 58.0 * d;
    const double knee = 5.0 + 20.0 * d;
    legs(*g, q, "knee_angle", knee);
    legs(*g, q, "hip_flexion", -tilt + knee * 0.5);
    legs(*g, q, "hip_rotation", -5.0);
    set_deg(q, g->coord("pelvis_tilt"), tilt);
    set_deg(q, g->coord("lumbar_extension"), 0.0);  // neutral spine
    arms(*g, q, 90.0 - 70.0 * d, -8.0, 5.0);        // horizontal at the top, back between the legs
  };
}

void define_squeeze(Generator& G, const ExerciseParameters& P) {
  standing_double(G, P, {{G.coord("ankle_angle_r"), 1.0}, {G.coord("ankle_angle_l"), 1.0}});
  G.isometric = true;
  const double depth = P.depth;
  const Generator* g = &G;
  G.nominal = [g, depth](double, Eigen::VectorXd& q) {
    set_deg(q, g->coord("pelvis_tilt"), 10.0 * depth);        // posterior pelvic tilt
    set_deg(q, g->coord("lumbar_extension"), -10.0 * depth);  // trunk stays upright
    legs(*g, q, "knee_angle", 5.0);
    legs(*g, q, "hip_rotation", -5.0);
    arms(*g, q, 0.0, -5.0, 10.0);
  };
}

void define_single_leg_stance(Generator& G, const ExerciseParameters& P) {
  const std::string st = P.side == Side::Right ? "_r" : "_l";
  const std::string sw = P.side == Side::Right ? "_l" : "_r";
  standing_single(G, P);
  const Generator* g = &G;
  const double depth = P.depth;
  G.nominal = [g, depth, st, sw](double p, Eigen::VectorXd& q) {
    const double d = depth * p;
    set_deg(q, g->coord("hip_flexion" + sw), 10.0 + 60.0 * d);
    set_deg(q, g->coord("knee_angle" + sw), 30.0 + 60.0 * d);
    set_deg(q, g->coord("ankle_angle" + sw), 0.0);
    set_deg(q, g->coord("knee_angle" + st), 5.0);
    arms(*g, q, 0.0, -10.0, 10.0);
  };
}

// Sit-to-stand from a chair of seat height H: seated (p = 0), lean forward on the chair until the
// centre of mass is over the feet (seat-off at p = 0.4), rise to standing (p = 1). The chair is a
// 0.16 x 0.12 m patch under each thigh at the ischium (centred 0.06 m down the femur from the hip
// centre, 0.06 m behind its axis); the seated start leans 30 % of the seat-off lean, planted while p < 0.4;
// the feet stay on the floor. The progress is linear in time, so the seated lean takes 40 % of the move and
// the rise 60 %.
// The seat scales with the body: by default 0.49 x the leg length (hip joint centre height standing,
// 0.86 m for the built-in model: a 0.42 m seat), allowed 0.42 to 0.53 x leg length.
void define_sit_to_stand(Generator& G, const ExerciseParameters& P, LoadPlacement placement) {
  const double leg = G.leg_length();
  const double H = P.height_m > 0.0 ? P.height_m : 0.49 * leg;
  if (H < 0.42 * leg || H > 0.53 * leg)
    throw std::invalid_argument("height_m: the seat of sit_to_stand must be in [" + fmt(0.42 * leg) + ", " +
                                fmt(0.53 * leg) + "] m for this body (0.42 to 0.53 x its leg length " +
                                fmt(leg) + " m), got " + fmt(H));
  constexpr double ps = 0.4;
  constexpr double kSeatedLean = 0.3;  // seated start: 30 % of the seat-off lean, weight partly on the feet
  // Feet drawn back under the seat: lower seats bend the knees more. Bodies whose proportions cannot put
  // the centre of mass over the feet from there draw them further back (5 deg steps, up to 25 deg).
  double knee_seat = 105.0 + (0.49 * leg - H) / leg * 130.0;
  std::vector<ContactDef> chair;
  for (const std::string s : {"r", "l"}) {
    ContactDef c;
    c.name = "chair_" + s;
    c.body = G.body("femur_" + s);
    c.point_body = G.default_point_on(
        c.body, G.marker_ground(std::string(s == "r" ? "R" : "L") + "HJC") + Vec3(-0.06, -0.06, 0.0));
    c.half_x = 0.08;
    c.half_z = 0.06;
    c.height = H;
    c.lift_from = ps;
    chair.push_back(c);
  }
  const int tilt = G.coord("pelvis_tilt");
  standing_double(G, P, {{tilt, 1.0}, {G.coord("lumbar_extension"), 1.0}});
  const auto standing_residual = G.residual;
  const Generator* g = &G;
  const Unknown lean = G.unknowns[0];
  const ContactDef chair_r = chair[0];
  const int lumbar = G.coord("lumbar_extension");
  // The seated geometry and the seat-off lean depend on each other (the seated start leans a fraction of
  // the seat-off lean): three passes settle both to well below a micrometre.
  double lean_off = 0.0, ankle_seat = 0.0;
  State s(G.model());
  for (int attempt = 0;; ++attempt) {
    try {
      for (int pass = 0; pass < 3; ++pass) {
        // 1. Seated geometry: the ankle that puts the thigh patch on the seat with the knee at knee_seat.
        const double seated = kSeatedLean * lean_off;
        G.nominal = [g, knee_seat, tilt, lumbar, seated](double, Eigen::VectorXd& q) {
          legs(*g, q, "knee_angle", knee_seat);
          legs(*g, q, "hip_flexion", 90.0);
          legs(*g, q, "ankle_angle", 10.0);
          legs(*g, q, "hip_rotation", -5.0);  // as in the repetition
          q[tilt] = seated;
          q[lumbar] = seated;
        };
        G.unknowns[0] = {{G.coord("ankle_angle_r"), 1.0}, {G.coord("ankle_angle_l"), 1.0}};
        G.residual = [g, standing_residual, chair_r, H](const State& st, const Vec3& com,
                                                        Eigen::VectorXd& r) {
          standing_residual(st, com, r);
          r[0] = chair_r.centre(st).y() - g->foot("r").centre(st).y() - H;
        };
        G.pose(0.0, s);
        ankle_seat = s.q[G.coord("ankle_angle_r")] / kDeg;
        G.reset_warm_start();
        // 2. Seat-off: the forward lean (pelvis and lumbar equally) that puts the centre of mass over the
        // feet.
        G.nominal = [g, ankle_seat, knee_seat, placement](double p, Eigen::VectorXd& q) {
          const double u = smooth01((p - ps) / (1.0 - ps));  // rise
          legs(*g, q, "knee_angle", knee_seat + (5.0 - knee_seat) * u);
          legs(*g, q, "ankle_angle", ankle_seat + (3.0 - ankle_seat) * u);
          legs(*g, q, "hip_flexion", 90.0 - 85.0 * u);
          legs(*g, q, "hip_rotation", -5.0);
          arms_for(*g, q, placement, 10.0 + 80.0 * smooth01(p / ps) * (1.0 - u));  // reach forward to rise
        };
        G.unknowns[0] = lean;
        G.residual = standing_residual;
        G.pose(ps, s);
        lean_off = s.q[tilt];
        G.reset_warm_start();
        // A lean beyond the hip's flexion range (a 1.90 m body by 0.4 deg) also draws the feet back.
        const int hip = G.coord("hip_flexion_r");
        if (s.q[hip] > G.model().coordinates[static_cast<std::size_t>(hip)].range_max)
          throw std::runtime_error("sit_to_stand: the seat-off lean exceeds the hip flexion range");
      }
      break;
    } catch (const std::runtime_error&) {
      if (attempt == 5) throw;
      knee_seat += 5.0;
      lean_off = 0.0;
      G.reset_warm_start();
    }
  }
  // 3. The repetition: the lean is prescribed on the chair, balanced over the feet after seat-off.
  G.contacts.insert(G.contacts.end(), chair.begin(), chair.end());
  G.linear_progress = true;
  G.residual = [g, standing_residual, tilt, lean_off](const State& st, const Vec3& com, Eigen::VectorXd& r) {
    standing_residual(st, com, r);
    if (g->p() < ps)
      r[0] = st.q[tilt] - lean_off * (kSeatedLean + (1.0 - kSeatedLean) * smooth01(g->p() / ps));
  };
}

// Split stance: the working leg in front (foot flat, the anchor), the other on the ball of its foot on
// the floor (lunges) or with the top of the foot on a bench (Bulgarian split squat), `stride` x leg
// length behind the front foot and the stance width to the side. Prescribed: both knees, pelvis tilt;
// solved: the front foot flat (hip flexion, subtalar), the centre of mass on the line between the two
// contacts at the fraction lambda towards the front foot (front ankle: along; front hip adduction:
// across), the rear contact in place (rear hip flexion, ankle, adduction) and not rolled (subtalar).
// The stepping of a real lunge is not modelled: the repetition lowers and rises in the split stance.
void define_split(Generator& G, const ExerciseParameters& P, LoadPlacement placement, SplitKind kind) {
  const std::string fs = P.side == Side::Right ? "r" : "l";
  const std::string rs = P.side == Side::Right ? "l" : "r";
  const std::string F = "_" + fs, R = "_" + rs;
  const double sgn = fs == "r" ? 1.0 : -1.0;
  const bool bench = kind == SplitKind::Bulgarian;
  const double leg = G.leg_length();
  // The default bench scales with the leg as the step-up box and the seat do: 0.52 x the leg length
  // (0.45 m for the built-in model). A fixed 0.45 m took a 1.60 m body's rear hip 1.6 deg past its
  // abduction range at the bottom.
  const double H = bench ? (P.height_m > 0.0 ? P.height_m : 0.52 * leg) : 0.0;
  struct Shape {
    double stride, knee_f0, knee_f1, ankle_r0, ankle_r1, tilt0, tilt1, lambda0, lambda1;
  };
  const Shape sh = kind == SplitKind::ForwardLunge   ? Shape{0.65, 25, 95, -30, 5, -3, -8, 0.55, 0.65}
                   : kind == SplitKind::ReverseLunge ? Shape{0.65, 25, 95, -30, 5, -3, -25, 0.55, 0.70}
                                                     : Shape{0.75, 20, 100, -45, -35, -5, -15, 0.70, 0.78};
  const double stride = sh.stride * leg;
  ContactDef rear;
  rear.name = bench ? "bench" : "forefoot" + R;
  rear.body = G.foot(rs).body;
  rear.point_body = G.ball_body(rs, bench ? 0.05 : 0.0);
  rear.half_x = 0.04;
  rear.half_z = 0.045;
  rear.height = H;
  G.contacts = {G.foot(fs), rear};
  G.anchor = 0;
  G.anchor_target = Vec3(0.0, 0.0, sgn * 0.5 * P.stance_width_m);
  G.unknowns = {{{G.coord("hip_flexion" + F), 1.0}},   {{G.coord("ankle_angle" + F), 1.0}},
                {{G.coord("hip_adduction" + F), 1.0}}, {{G.coord("subtalar_angle" + F), 1.0}},
                {{G.coord("hip_flexion" + R), 1.0}},   {{G.coord("knee_angle" + R), 1.0}},
                {{G.coord("hip_adduction" + R), 1.0}}, {{G.coord("subtalar_angle" + R), 1.0}}};
  const Generator* g = &G;
  const double depth = P.depth, width = P.stance_width_m;
  G.nominal = [g, depth, sh, F, R, placement, bench](double p, Eigen::VectorXd& q) {
    const double d = depth * p;
    const double tilt = sh.tilt0 + (sh.tilt1 - sh.tilt0) * d;
    set_deg(q, g->coord("pelvis_tilt"), tilt);
    set_deg(q, g->coord("knee_angle" + F), sh.knee_f0 + (sh.knee_f1 - sh.knee_f0) * d);
    set_deg(q, g->coord("ankle_angle" + R), sh.ankle_r0 + (sh.ankle_r1 - sh.ankle_r0) * d);
    // Starting guesses of the solved coordinates.
    set_deg(q, g->coord("hip_flexion" + F), 25.0 + 60.0 * d);
    set_deg(q, g->coord("ankle_angle" + F), 10.0 + 10.0 * d);
    set_deg(q, g->coord("hip_flexion" + R), -20.0);
    set_deg(q, g->coord("knee_angle" + R), (bench ? 40.0 : 15.0) + 60.0 * d);
    arms_for(*g, q, placement, -tilt);
  };
  G.residual = [g, sh, depth, fs, rs, rear, stride, width, sgn, H, bench](const State& s, const Vec3& com,
                                                                          Eigen::VectorXd& r) {
    const double lambda = sh.lambda0 + (sh.lambda1 - sh.lambda0) * depth * g->p();
    const Vec3 front = g->foot(fs).centre(s), back = rear.centre(s);
    Vec3 axis = front - back, rel = com - back;
    axis.y() = 0.0;
    rel.y() = 0.0;
    const Vec3 nf = g->sole_normal(s, fs);
    r[0] = nf.x();
    r[1] = rel.dot(axis) / axis.squaredNorm() - lambda;
    r[2] = rel.cross(axis).y() / axis.norm();
    r[3] = nf.z();
    r[4] = back.y() - front.y() - H;
    r[5] = back.x() - front.x() + stride;
    r[6] = back.z() - front.z() + sgn * (H > 0.0 ? 0.5 : 1.0) * width;  // bench: half the width
    const ContactDef& rf = g->foot(rs);  // both metatarsal heads at the same height (no roll)
    // On the bench the instep rests as it lies (subtalar neutral).
    r[7] = bench ? s.q[g->coord("subtalar_angle_" + rs)]
                 : point_in_ground(s, rf.body, rf.sole_body[1]).y() -
                       point_in_ground(s, rf.body, rf.sole_body[3]).y();
  };
}

}  // namespace glutelab::exercise_detail
