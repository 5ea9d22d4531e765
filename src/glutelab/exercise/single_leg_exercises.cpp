// Single-leg exercises: single-leg deadlift, step-up and lateral band walk.
#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "glutelab/exercise/generator.hpp"

namespace glutelab::exercise_detail {

// Single-leg (Romanian) deadlift: hinge on the working leg, the free leg extending behind in line with the
// trunk, hips square (pelvis list and rotation 0), arms hanging. Prescribed: pelvis tilt -5 -> -45 deg,
// stance knee 10 -> 25 deg, free hip 0 -> -5 deg and knee 10 deg; solved: the stance ankle (centre of mass
// with the load over mid-foot), stance hip adduction (centre of mass over the foot's centre line), stance hip
// flexion and subtalar (sole flat).
void define_single_leg_deadlift(Generator& G, const ExerciseParameters& P) {
  const std::string st = P.side == Side::Right ? "_r" : "_l";
  const std::string sw = P.side == Side::Right ? "_l" : "_r";
  standing_single(G, P);
  const Generator* g = &G;
  const double depth = P.depth;
  G.nominal = [g, depth, st, sw](double p, Eigen::VectorXd& q) {
    const double d = depth * p;
    // Down to a 45 deg lean (stance hip ~64 deg): at 70 deg with the knee at 20 deg (hip ~91 deg) the
    // model's stretched hamstrings pull passively beyond the hip extension moment, and with the hip
    // abductors also turning the femur inwards the reserves carried 124 % of the hip rotation moment.
    const double tilt = -5.0 - 40.0 * d;
    set_deg(q, g->coord("pelvis_tilt"), tilt);
    set_deg(q, g->coord("lumbar_extension"), 0.0);
    set_deg(q, g->coord("knee_angle" + st), 10.0 + 15.0 * d);
    set_deg(q, g->coord("hip_flexion" + st), -tilt);  // starting guess
    set_deg(q, g->coord("hip_flexion" + sw), -5.0 * d);
    set_deg(q, g->coord("knee_angle" + sw), 10.0);
    set_deg(q, g->coord("ankle_angle" + sw), 0.0);
    arms(*g, q, -tilt, -8.0, 5.0);
  };
}

// Single-leg squat: the stance knee bends 5 -> 75 deg while the trunk inclines (pelvis tilt -5 -> -30 deg)
// so that the hips go back, the free leg held forward (hip 30 -> 45 deg, knee 30 deg), the arms reaching
// forward (0 -> 60 deg) as a counterweight; solved as single-leg stance: the stance ankle puts the centre of
// mass over mid-foot, the stance hip adduction over the foot's centre line, the stance hip flexion and
// subtalar keep the sole flat. The pelvis stays level (list 0) and square (rotation 0).
void define_single_leg_squat(Generator& G, const ExerciseParameters& P) {
  const std::string st = P.side == Side::Right ? "_r" : "_l";
  const std::string sw = P.side == Side::Right ? "_l" : "_r";
  standing_single(G, P);
  const Generator* g = &G;
  const double depth = P.depth;
  G.nominal = [g, depth, st, sw](double p, Eigen::VectorXd& q) {
    const double d = depth * p;
    const double knee = 5.0 + 70.0 * d, tilt = -5.0 - 25.0 * d;
    set_deg(q, g->coord("pelvis_tilt"), tilt);
    set_deg(q, g->coord("lumbar_extension"), 0.0);
    set_deg(q, g->coord("knee_angle" + st), knee);
    set_deg(q, g->coord("hip_flexion" + st), -tilt + 0.5 * knee);  // starting guess
    set_deg(q, g->coord("ankle_angle" + st), 0.4 * knee);          // starting guess
    set_deg(q, g->coord("hip_flexion" + sw), 30.0 + 15.0 * d);
    set_deg(q, g->coord("knee_angle" + sw), 30.0);
    set_deg(q, g->coord("ankle_angle" + sw), 0.0);
    arms(*g, q, 60.0 * d, -8.0, 5.0);
  };
}

// Step-up onto a box of height H (default 0.35 x leg length, the hip joint centre height standing: 0.30 m
// for the built-in model's 0.86 m): the working foot flat on the box (the anchor), the trailing foot on the
// floor behind, on the ball of its foot (0.46 x leg length behind the box foot's centre: 0.40 m). Phase 1
// (p < 0.5, both feet planted): the trunk leans 10 -> 30 deg and the centre of mass moves from 40 % of the
// way between the feet to over the box foot while the trailing heel rises (ankle 5 -> -20 deg) with the
// trailing knee at 15 deg; the box hip and subtalar keep the sole flat, its ankle and adduction place the
// centre of mass; the box knee with the trailing hip, adduction and subtalar keep the ball of the trailing
// foot in place and level. Phase 2 (p >= 0.5, the trailing foot lifted): the box knee extends to 5 deg and
// the trunk rises while the centre of mass stays over the box foot's mid-foot; the trailing leg swings to a
// knee drive (hip 70 deg, knee 90 deg). The phases meet at rest at p = 0.5, so the motion is smooth.
void define_step_up(Generator& G, const ExerciseParameters& P, LoadPlacement placement) {
  // The box and the trailing foot's distance scale with the leg length (hip joint centre height standing).
  const double leg = G.leg_length();
  const double H = P.height_m > 0.0 ? P.height_m : 0.35 * leg;
  if (H > 0.58 * leg)
    throw std::invalid_argument("height_m: the box of step_up must be in [0.15, " + fmt(0.58 * leg) +
                                "] m for this body (at most 0.58 x its leg length " + fmt(leg) + " m), got " +
                                fmt(H));
  const std::string ws = P.side == Side::Right ? "r" : "l";  // working (box) side
  const std::string ts = P.side == Side::Right ? "l" : "r";  // trailing side
  const std::string W = "_" + ws, T = "_" + ts;
  const double sgn = ws == "r" ? 1.0 : -1.0;
  constexpr double p_off = 0.5, lambda0 = 0.4;
  const double behind = 0.46 * leg;
  ContactDef box = G.foot(ws);
  box.height = H;
  ContactDef trail;
  trail.name = "forefoot_" + ts;
  trail.body = G.foot(ts).body;
  trail.point_body = G.ball_body(ts, 0.0);
  trail.half_x = 0.04;
  trail.half_z = 0.045;
  trail.lift_from = p_off;
  G.contacts = {box, trail};
  G.anchor = 0;
  G.anchor_target = Vec3(0.0, H, sgn * 0.5 * P.stance_width_m);
  G.linear_progress = true;
  // Solved: the box knee and the trailing hip flexion, adduction and subtalar (phase 2 prescribes them
  // through residuals, from their lift-off values).
  const std::vector<std::string> trail_solved = {"knee_angle" + W, "hip_flexion" + T, "hip_adduction" + T,
                                                 "subtalar_angle" + T};
  G.unknowns = {{{G.coord("hip_flexion" + W), 1.0}},
                {{G.coord("subtalar_angle" + W), 1.0}},
                {{G.coord("ankle_angle" + W), 1.0}},
                {{G.coord("hip_adduction" + W), 1.0}}};
  std::vector<int> trail_idx;
  for (const std::string& c : trail_solved) {
    trail_idx.push_back(G.coord(c));
    G.unknowns.push_back({{trail_idx.back(), 1.0}});
  }
  const Generator* g = &G;
  const double depth = P.depth, width = P.stance_width_m;
  auto lift_off = std::make_shared<std::vector<double>>();  // the trailing coordinates at lift-off (rad)
  auto rise = [depth](double p) { return p < p_off ? 0.0 : depth * smooth01((p - p_off) / (1.0 - p_off)); };
  constexpr double tilt0 = -10.0, tilt_off = -35.0;
  G.nominal = [g, W, T, placement, rise](double p, Eigen::VectorXd& q) {
    const double u = rise(p), shift = smooth01(p / p_off);
    const double lean = tilt0 + (tilt_off - tilt0) * shift;
    const double tilt = lean + (-3.0 - lean) * u;
    set_deg(q, g->coord("pelvis_tilt"), tilt);
    set_deg(q, g->coord("knee_angle" + T), 15.0 + 75.0 * u);
    const double heel = 5.0 - 25.0 * shift;  // the trailing heel rises, then the foot relaxes in the air
    set_deg(q, g->coord("ankle_angle" + T), heel + (0.0 - heel) * u);
    // Starting guesses of the solved coordinates.
    set_deg(q, g->coord("knee_angle" + W), 90.0);
    set_deg(q, g->coord("hip_flexion" + W), 80.0);
    set_deg(q, g->coord("ankle_angle" + W), 15.0);
    set_deg(q, g->coord("hip_flexion" + T), -10.0);
    arms_for(*g, q, placement, -tilt);
  };
  const ContactDef box_c = box, trail_c = trail;
  G.residual = [g, ws, ts, box_c, trail_c, H, sgn, width, lift_off, rise, trail_idx, behind](
                   const State& s, const Vec3& com, Eigen::VectorXd& r) {
    const double p = g->p();
    const Vec3 nb = g->sole_normal(s, ws), mb = g->midfoot(s, ws);
    r[0] = nb.x();
    r[1] = nb.z();
    if (p < p_off || lift_off->empty()) {
      const double lambda = lambda0 + (1.0 - lambda0) * smooth01(p / p_off);
      const Vec3 ct = trail_c.centre(s);
      Vec3 axis = mb - ct, rel = com - ct;
      axis.y() = 0.0;
      rel.y() = 0.0;
      r[2] = rel.dot(axis) / axis.squaredNorm() - lambda;
      r[3] = rel.cross(axis).y() / axis.norm();
      const Vec3 cb = box_c.centre(s);
      r[4] = ct.x() - cb.x() + behind;
      r[5] = ct.y() - cb.y() + H;
      r[6] = ct.z() - cb.z() + sgn * width;
      const ContactDef& tf = g->foot(ts);  // both metatarsal heads level (no roll)
      r[7] =
          point_in_ground(s, tf.body, tf.sole_body[1]).y() - point_in_ground(s, tf.body, tf.sole_body[3]).y();
    } else {
      const double u = rise(p);
      const std::vector<double>& L = *lift_off;
      r[2] = com.x() - mb.x();
      r[3] = com.z() - mb.z();
      const double target[4] = {5.0 * kDeg, 70.0 * kDeg, 0.0, 0.0};
      for (std::size_t k = 0; k < 4; ++k)
        r[4 + static_cast<int>(k)] = s.q[trail_idx[k]] - (L[k] + (target[k] - L[k]) * u);
    }
  };
  // The posture at lift-off (the end of phase 1), followed from the start so that it is on the branch the
  // repetition takes.
  State s(G.model());
  for (int k = 0; k <= 8; ++k) G.pose(p_off * k / 8.0, s);
  for (const int c : trail_idx) lift_off->push_back(s.q[c]);
  G.reset_warm_start();
}

// Lateral band walk (monster walk sideways) towards the working side, a mini band looped just above the
// knees. In a half squat (hip centres 12 cm below standing, trunk 15 deg forward) both feet are placed by
// the legs: each foot's sole centre at its target, flat (hip flexion, adduction, knee, ankle, subtalar per
// leg), the pelvis translating so that the centre of mass is over the feet's mid-foot line and at the
// phase's lateral target. Phases (progress linear in time, blends with zero slope at their ends):
//   [0, 0.2] both feet down at the stance width: the weight shifts over the inner half of the trailing
//   foot (4 cm inside its centre); [0.2, 0.35] the lead foot lifts (4 cm) and steps out by 0.10 m x depth;
//   [0.35, 0.65] both feet down: the weight shifts over the lead foot; [0.65, 0.8] the trailing foot
//   lifts and steps in by the same distance; [0.8, 1] both feet down: the weight recentres.
// The weight shifts take most of the time: the centre of pressure runs ahead of the centre of mass by
// (height / g) x its lateral acceleration and must stay under the feet.
// The return replays the steps backwards. Default band: 200 N/m, its rest length 3 cm shorter than its
// length at the start (a light mini band; see docs/exercises.md).
void define_lateral_band_walk(Generator& G, const ExerciseParameters& P) {
  const std::string ls = P.side == Side::Right ? "r" : "l";  // lead foot
  const std::string ts = P.side == Side::Right ? "l" : "r";  // trailing foot
  const double sgn = ls == "r" ? 1.0 : -1.0;                 // +z is the right
  if (P.stance_width_m > 0.35)
    throw std::invalid_argument(
        "stance_width_m: lateral_band_walk starts from a stance of at most 0.35 m "
        "(the step adds 0.10 m x depth, scaled with the leg), got " +
        fmt(P.stance_width_m));
  // The step scales with the leg (0.10 m for the built-in model's 0.86 m): a fixed 0.10 m rolled a
  // 1.60 m body's stepping foot past the subtalar range to keep the sole flat.
  const double half = 0.5 * P.stance_width_m, step = 0.10 * P.depth * G.leg_length() / 0.86;
  struct Phase {
    double a, b;
  };
  constexpr Phase shift1{0.0, 0.2}, lead_step{0.2, 0.35}, shift2{0.35, 0.65}, trail_step{0.65, 0.8},
      recentre{0.8, 1.0};
  auto blend = [](double p, Phase ph) { return smooth01((p - ph.a) / (ph.b - ph.a)); };
  // Swing height of a stepping foot: 4 cm at mid-step, 64 u^3 (1 - u)^3 so that its speed and acceleration
  // are zero at lift-off and touch-down.
  auto foot_lift = [](double p, Phase ph) {
    const double u = (p - ph.a) / (ph.b - ph.a);
    return u > 0.0 && u < 1.0 ? 0.04 * 64.0 * std::pow(u * (1.0 - u), 3) : 0.0;
  };
  ContactDef lead = G.foot(ls), trail = G.foot(ts);
  lead.lift_from = lead_step.a;
  lead.lift_to = lead_step.b;
  trail.lift_from = trail_step.a;
  trail.lift_to = trail_step.b;
  G.contacts = {lead, trail};
  G.linear_progress = true;
  // Sole-centre targets (ground) of both feet at progress p.
  auto targets = [=](double p, Vec3& lead_target, Vec3& trail_target) {
    const double out = blend(p, lead_step), in = blend(p, trail_step);
    const double lift_lead = foot_lift(p, lead_step), lift_trail = foot_lift(p, trail_step);
    lead_target = Vec3(0.0, lift_lead, sgn * (half + step * out));
    trail_target = Vec3(0.0, lift_trail, sgn * (-half + step * in));
  };
  G.anchor = 1;
  G.anchor_at = [targets](double p) {
    Vec3 l, t;
    targets(p, l, t);
    return std::pair<int, Vec3>(t.y() > 0.0 ? 0 : 1, t.y() > 0.0 ? l : t);
  };
  G.unknowns.clear();
  for (const std::string& side : {ls, ts})
    for (const char* c : {"hip_flexion_", "hip_adduction_", "knee_angle_", "ankle_angle_", "subtalar_angle_"})
      G.unknowns.push_back({{G.coord(c + side), 1.0}});
  for (const char* c : {"pelvis_tx", "pelvis_ty", "pelvis_tz"}) G.unknowns.push_back({{G.coord(c), 1.0}});
  const int pelvis = G.body("pelvis");
  const Vec3 hip_centre = G.default_point_on(pelvis, G.marker_ground("RHJC"));
  const double hip_height = G.leg_length() - 0.12;
  const Generator* g = &G;
  G.residual = [g, ls, ts, targets, blend, pelvis, hip_centre, hip_height](const State& s, const Vec3& com,
                                                                           Eigen::VectorXd& r) {
    const double p = g->p();
    Vec3 lt, tt;
    targets(p, lt, tt);
    int k = 0;
    for (const auto& [side, target] :
         {std::pair<std::string, Vec3>(ls, lt), std::pair<std::string, Vec3>(ts, tt)}) {
      const Vec3 c = g->foot(side).centre(s) - target;
      const Vec3 n = g->sole_normal(s, side);
      r[k++] = c.x();
      r[k++] = c.y();
      r[k++] = c.z();
      r[k++] = n.x();
      r[k++] = n.z();
    }
    // Lateral weight target: over the trailing foot, then the lead foot, then between them.
    const double zl = g->foot(ls).centre(s).z(), zt = g->foot(ts).centre(s).z();
    // Over the inner half of the supporting foot (4 cm inside its centre line).
    const double inward = zl > zt ? 0.04 : -0.04;
    const double mid0 = 0.5 * (zl + zt);
    double z = mid0 + (zt + inward - mid0) * blend(p, shift1);
    z += (zl - zt - 2.0 * inward) * blend(p, shift2);
    z += (0.5 * (zl + zt) - zl + inward) * blend(p, recentre);
    r[k++] = com.z() - z;
    r[k++] = com.x() - 0.5 * (g->midfoot(s, ls).x() + g->midfoot(s, ts).x());
    r[k++] = point_in_ground(s, pelvis, hip_centre).y() - hip_height;
  };
  G.nominal = [g, hip_height](double, Eigen::VectorXd& q) {
    set_deg(q, g->coord("pelvis_tilt"), -15.0);
    q[g->coord("pelvis_ty")] = hip_height;  // starting guess (the pelvis origin is near the hip centres)
    legs(*g, q, "hip_rotation", -5.0);
    // Starting guesses of the solved coordinates.
    legs(*g, q, "hip_flexion", 35.0);
    legs(*g, q, "knee_angle", 35.0);
    legs(*g, q, "ankle_angle", 15.0);
    arms(*g, q, 15.0, -10.0, 30.0);
  };
  // The band: just above the knees on the lateral sides (5 cm above and 5 cm lateral of the knee centres).
  const double k = G.band_stiffness(200.0);
  if (k > 0.0) {
    BandDef band;
    band.name = "knees";
    band.body_a = G.body("femur_r");
    band.body_b = G.body("femur_l");
    const Vec3 knee_r = G.marker_ground("RKJC"), knee_l = G.marker_ground("LKJC");
    band.point_a = G.default_point_on(band.body_a, knee_r + Vec3(0.0, 0.05, 0.05));
    band.point_b = G.default_point_on(band.body_b, knee_l + Vec3(0.0, 0.05, -0.05));
    band.stiffness_n_per_m = k;
    State s(G.model());
    G.pose(0.0, s);
    band.rest_length_m = band.length(s) - 0.03;
    G.reset_warm_start();
    G.bands.push_back(band);
  }
}

}  // namespace glutelab::exercise_detail
