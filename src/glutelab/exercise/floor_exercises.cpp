// Floor exercises for the hip abductors and extensors: side-lying (clamshell, side-lying hip
// abduction) and quadruped (fire hydrant, quadruped hip extension), with an optional elastic mini band.
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "glutelab/dynamics/inverse_dynamics.hpp"
#include "glutelab/exercise/generator.hpp"

namespace glutelab::exercise_detail {
namespace {

// Soft tissue between a bony landmark and the floor (skin, fat, muscle), m. An assumption: a lean adult.
constexpr double kTissue = 0.015;
// Lateral offset of the greater trochanter's skin from the hip joint centre: ~0.06 m of bone (neck and
// trochanter) plus ~0.03 m of soft tissue.
constexpr double kTrochanter = 0.09;
// Default mini band: the loop's pull on each thigh per metre the two band ends move apart (two strands
// each stretching by about the separation change), and its pre-stretch in the start posture.
constexpr double kMiniBandStiffness = 200.0;  // N/m
constexpr double kBandPreStretch = 0.03;      // m (as the lateral band walk's band: 6 N)
// Fire hydrant: the knee's lift out to the side at full depth (deg). Beyond ~35 deg the model's hip
// muscles cannot hold the shank up against gravity (hip rotation reserve 39 % of the moment at 40 deg,
// 81 % at 45 deg; docs/exercises.md).
constexpr double kHydrantAbduction = 35.0;

std::string upper(const std::string& side) { return side == "r" ? "R" : "L"; }

// A point `lateral` metres further out (away from the midline) than marker `name` in the default pose,
// fixed on `body`.
Vec3 lateral_of(const Generator& G, int body, const std::string& name, double lateral, double up = 0.0) {
  Vec3 p = G.marker_ground(name);
  p.z() += (p.z() >= 0.0 ? 1.0 : -1.0) * lateral;
  p.y() += up;
  return G.default_point_on(body, p);
}

ContactDef point_contact(const std::string& name, int body, const Vec3& point_body, double half_x,
                         double half_z) {
  ContactDef c;
  c.name = name;
  c.body = body;
  c.point_body = point_body;
  c.half_x = half_x;
  c.half_z = half_z;
  return c;
}

// A mini band looped just above both knees: its ends on the outer face of each thigh, 6 cm above the
// femoral condyles; rest length = the start distance less the pre-stretch.
BandDef knee_band(const Generator& G, const std::string& a, const std::string& b, double stiffness) {
  BandDef band;
  band.name = "mini_band";
  band.body_a = G.body("femur_" + a);
  band.body_b = G.body("femur_" + b);
  band.point_a = lateral_of(G, band.body_a, upper(a) + "LFC", kTissue, 0.06);
  band.point_b = lateral_of(G, band.body_b, upper(b) + "LFC", kTissue, 0.06);
  band.stiffness_n_per_m = stiffness;
  return band;
}

// Sets the band's rest length from the posture at progress 0 (the pre-stretch of the start).
void rest_band_at_start(Generator& G) {
  if (G.bands.empty()) return;
  State s(G.model());
  const Eigen::VectorXd q = G.pose(0.0, s);
  s.q = q;
  compute_positions(G.model(), s);
  for (BandDef& b : G.bands) b.rest_length_m = b.length(s) - kBandPreStretch;
  G.reset_warm_start();
}

// Floor exercises carry no load object: the band is their resistance.
void reject_load(const ExerciseParameters& P, const char* exercise) {
  if (P.load_kg > 0.0)
    throw std::invalid_argument(std::string("load_kg: exercise '") + exercise +
                                "' takes no external load (got " + fmt(P.load_kg) +
                                " kg); use band_stiffness_n_per_m for resistance");
}

// The clamshell's top foot rests on the bottom one: an internal pair of vertical forces, N up on the top
// talus and N down on the bottom talus, on the vertical through the top ankle centre, halfway between
// the two ankle centres' heights. How much of the top leg's weight the feet share is statically
// indeterminate; N (>= 0: the feet can only push) is the one that minimises the top hip's three joint
// moments (least squares over its inverse-dynamics moments with all other loads): the relaxed leg
// leaves on its foot what the hip would otherwise have to hold. The pair's line passes through the top
// ankle centre, on the hip-ankle axis, so it cannot help open the knee: that stays the rotators' work.
void add_feet_support(const Model& model, GeneratedExercise& ex, int talus_top, int talus_bottom,
                      const std::vector<int>& top_hip) {
  const int N = ex.frames();
  ExerciseLoad up, down;
  up.name = "feet_" + model.bodies[static_cast<std::size_t>(talus_top)].name;
  up.body = talus_top;
  down.name = "feet_" + model.bodies[static_cast<std::size_t>(talus_bottom)].name;
  down.body = talus_bottom;
  for (ExerciseLoad* l : {&up, &down}) {
    l->active.assign(static_cast<std::size_t>(N), true);
    l->force_n.assign(static_cast<std::size_t>(N), Vec3::Zero());
    l->point_m.assign(static_cast<std::size_t>(N), Vec3::Zero());
    l->torque_n_m.assign(static_cast<std::size_t>(N), Vec3::Zero());
    l->polygon_m.assign(static_cast<std::size_t>(N), {});
  }
  State s(model);
  InverseDynamicsWorkspace ws(model);
  Eigen::VectorXd tau0(model.num_coordinates()), tau1(model.num_coordinates());
  for (int f = 0; f < N; ++f) {
    const auto fu = static_cast<std::size_t>(f);
    s.q = ex.motion.q.row(f).transpose();
    s.qdot = ex.qdot.row(f).transpose();
    s.qddot = ex.qddot.row(f).transpose();
    compute_positions(model, s);
    // On the vertical through the top ankle centre, halfway down to the bottom one.
    const Vec3 top = s.X_ground_body[static_cast<std::size_t>(talus_top)].p;
    const Vec3 point(top.x(), 0.5 * (top.y() + s.X_ground_body[static_cast<std::size_t>(talus_bottom)].p.y()),
                     top.z());
    BodyForces applied(model);
    add_exercise_loads(ex, f, applied);
    inverse_dynamics(model, s, &applied, ws, tau0);
    applied.add_force_at_point(talus_top, Vec3::UnitY(), point);
    applied.add_force_at_point(talus_bottom, -Vec3::UnitY(), point);
    inverse_dynamics(model, s, &applied, ws, tau1);
    double num = 0.0, den = 0.0;
    for (const int c : top_hip) {
      const double j = tau1[c] - tau0[c];
      num -= j * tau0[c];
      den += j * j;
    }
    const double n = den > 0.0 ? std::max(0.0, num / den) : 0.0;
    up.force_n[fu] = n * Vec3::UnitY();
    down.force_n[fu] = -n * Vec3::UnitY();
    up.point_m[fu] = down.point_m[fu] = point;
  }
  ex.loads.push_back(std::move(up));
  ex.loads.push_back(std::move(down));
}

}  // namespace

// Side-lying on the non-working side: the pelvis rolled 90 deg (pelvis_list) so that the working (top)
// side faces the ceiling, pelvis vertical (no forward or backward roll), both hips flexed 45 deg and knees
// 90 deg below. Contacts on the floor under the bottom side: greater trochanter (on the pelvis), lateral
// shoulder (torso), lateral femoral condyle and lateral malleolus of the bottom leg; the trochanter is
// the anchor at the ground origin. Solved: lumbar side bending (shoulder on the floor), bottom hip
// adduction (knee) and rotation (ankle).
// Clamshell: the top knee opens (abduction + external rotation about the hip-ankle axis) while the
// top ankle stays on the bottom one; solved by the top hip's three angles: ankle over ankle, malleoli
// stacked, and the top knee's height above the bottom knee rising from the stacked knees (condyle
// width + 2 x tissue) by 0.20 m x depth. Side-lying hip abduction: top leg straight, hip at -5 deg
// (slight extension), neutral rotation (toes forward), abducted 0 -> 38 deg x depth.
void define_side_lying(Generator& G, const ExerciseParameters& P, SideLyingKind kind) {
  reject_load(P, kind == SideLyingKind::Clamshell ? "clamshell" : "side_lying_hip_abduction");
  const std::string t = P.side == Side::Right ? "r" : "l";  // top, working
  const std::string b = P.side == Side::Right ? "l" : "r";  // bottom
  const std::string T = "_" + t, B = "_" + b;
  // Lying on the left side needs the body's right (+z) axis up: a rotation of -90 deg about the
  // ground x axis (pelvis_list, the second rotation of the ground-pelvis joint); +90 deg for the right.
  const double list = b == "l" ? -90.0 : 90.0;
  const int pelvis = G.body("pelvis"), torso = G.body("torso");
  const int femur_b = G.body("femur" + B), tibia_b = G.body("tibia" + B);
  const ContactDef hip =
      point_contact("hip" + B, pelvis, lateral_of(G, pelvis, upper(b) + "HJC", kTrochanter), 0.05, 0.08);
  // Lateral shoulder: between the anterior and posterior shoulder markers, over the deltoid.
  Vec3 shoulder_point = 0.5 * (G.marker_ground(upper(b) + "ASH") + G.marker_ground(upper(b) + "PSH"));
  shoulder_point.z() += (b == "r" ? 1.0 : -1.0) * 0.02;
  const ContactDef shoulder =
      point_contact("shoulder" + B, torso, G.default_point_on(torso, shoulder_point), 0.06, 0.06);
  const ContactDef knee =
      point_contact("knee" + B, femur_b, lateral_of(G, femur_b, upper(b) + "LFC", kTissue), 0.03, 0.04);
  const ContactDef ankle =
      point_contact("ankle" + B, tibia_b, lateral_of(G, tibia_b, upper(b) + "LMAL", kTissue), 0.03, 0.04);
  G.contacts = {hip, shoulder, knee, ankle};
  G.anchor = 0;
  G.anchor_target = Vec3::Zero();
  G.unknowns = {{{G.coord("lumbar_bending"), 1.0}},
                {{G.coord("hip_adduction" + B), 1.0}},
                {{G.coord("hip_rotation" + B), 1.0}}};
  const Generator* g = &G;
  const double depth = P.depth;
  const bool clam = kind == SideLyingKind::Clamshell;
  G.nominal = [g, depth, list, T, B, clam](double p, Eigen::VectorXd& q) {
    const double d = depth * p;
    set_deg(q, g->coord("pelvis_list"), list);
    set_deg(q, g->coord("hip_flexion" + B), 45.0);
    set_deg(q, g->coord("knee_angle" + B), 90.0);
    // Bottom arm forward on the floor under the head, top arm resting on the top side.
    set_deg(q, g->coord("arm_flex" + B), 90.0);
    set_deg(q, g->coord("arm_add" + B), 10.0);  // the elbow just off the floor
    set_deg(q, g->coord("elbow_flex" + B), 90.0);
    set_deg(q, g->coord("arm_flex" + T), 20.0);
    set_deg(q, g->coord("elbow_flex" + T), 60.0);
    if (clam) {  // starting guess; the top hip is solved
      set_deg(q, g->coord("hip_flexion" + T), 45.0);
      set_deg(q, g->coord("knee_angle" + T), 90.0);
    } else {
      set_deg(q, g->coord("hip_flexion" + T), -5.0);
      set_deg(q, g->coord("hip_adduction" + T), -38.0 * d);
    }
  };
  const int kjc_t = G.body("tibia" + T), kjc_b = G.body("tibia" + B);
  const Vec3 knee_t = G.default_point_on(kjc_t, G.marker_ground(upper(t) + "KJC"));
  const Vec3 knee_b = G.default_point_on(kjc_b, G.marker_ground(upper(b) + "KJC"));
  const int talus_t = G.body("talus" + T), talus_b = G.body("talus" + B);
  // Stacked knees and ankles: the bony widths (condyles, malleoli) plus the tissue of both legs.
  const double knee_stack =
      (G.marker_ground(upper(t) + "LFC") - G.marker_ground(upper(t) + "MFC")).norm() + 2.0 * kTissue;
  const double ankle_stack =
      (G.marker_ground(upper(t) + "LMAL") - G.marker_ground(upper(t) + "MMAL")).norm() + 2.0 * kTissue;
  if (clam)
    for (const char* c : {"hip_flexion", "hip_adduction", "hip_rotation"})
      G.unknowns.push_back({{G.coord(c + T), 1.0}});
  G.residual = [g, hip, shoulder, knee, ankle, clam, depth, kjc_t, kjc_b, knee_t, knee_b, talus_t, talus_b,
                knee_stack, ankle_stack](const State& s, const Vec3&, Eigen::VectorXd& r) {
    const double h = hip.centre(s).y();
    r[0] = shoulder.centre(s).y() - h;
    r[1] = knee.centre(s).y() - h;
    r[2] = ankle.centre(s).y() - h;
    if (!clam) return;
    const Vec3 at = s.X_ground_body[static_cast<std::size_t>(talus_t)].p;
    const Vec3 ab = s.X_ground_body[static_cast<std::size_t>(talus_b)].p;
    r[3] = at.x() - ab.x();
    r[4] = at.y() - ab.y() - ankle_stack;
    const double lift = point_in_ground(s, kjc_t, knee_t).y() - point_in_ground(s, kjc_b, knee_b).y();
    r[5] = lift - knee_stack - 0.20 * depth * g->p();
  };
  if (kind == SideLyingKind::Clamshell) {
    const double k = G.band_stiffness(kMiniBandStiffness);
    if (k > 0.0) G.bands.push_back(knee_band(G, t, b, k));
    const std::vector<int> top_hip = {G.coord("hip_flexion" + T), G.coord("hip_adduction" + T),
                                      G.coord("hip_rotation" + T)};
    G.finish = [&model = G.model(), talus_t, talus_b, top_hip](GeneratedExercise& ex) {
      add_feet_support(model, ex, talus_t, talus_b, top_hip);
    };
  } else {
    const double k = G.band_stiffness(0.0);  // the band is optional here
    if (k > 0.0) G.bands.push_back(knee_band(G, t, b, k));
  }
  rest_band_at_start(G);
}

// Quadruped: hands under the shoulders (elbows 5 deg), knees under the hips (thighs vertical, knees
// 100 deg so the shins rise slightly and the plantar-flexed feet, ankles -45 deg, clear the floor),
// neutral lumbar spine. Contacts: both palms (at the hand's centre of mass, 0.09 x 0.08 m) and
// the tibia just below each knee (tibial tuberosity); the working knee only while p = 0 (it leaves the
// floor). Solved: pelvis tilt (hands and knees on the floor: the arms are longer than the thighs, so
// the trunk rises towards the shoulders), arm flexion (arms vertical), hip flexion of each leg (the
// thigh vertical; the working hip of the hip extension is solved only at p = 0, then prescribed). Fire
// hydrant: the working hip abducts 0 -> 35 deg x depth about the flexed femur's axis (the model's
// hip_adduction after flexion in its ZXY sequence; with the thigh at 90 deg of flexion this is the abduction
// + external rotation of the anatomical description), knee 90 deg. Quadruped hip extension: the working hip
// extends from the start to neutral (0 deg x depth... the thigh in line with the pelvis) while the knee
// closes to 90 deg and the ankle to neutral (sole to the ceiling). No lateral weight shift is modelled: the
// centre of mass stays inside hands + stance knee without one (>= 4 cm at the tested settings).
void define_quadruped(Generator& G, const ExerciseParameters& P, QuadrupedKind kind) {
  reject_load(P, kind == QuadrupedKind::FireHydrant ? "fire_hydrant" : "quadruped_hip_extension");
  const std::string w = P.side == Side::Right ? "r" : "l";  // working
  const std::string st = P.side == Side::Right ? "l" : "r";
  const std::string W = "_" + w, S = "_" + st;
  std::vector<ContactDef> hands;
  for (const std::string s : {"r", "l"}) {
    const int hand = G.body("hand_" + s);
    hands.push_back(point_contact(
        "hand_" + s, hand, G.model().bodies[static_cast<std::size_t>(hand)].mass_center_m, 0.045, 0.04));
  }
  auto knee_contact = [&](const std::string& s) {
    const int tibia = G.body("tibia_" + s);
    const Vec3 p = G.marker_ground(upper(s) + "KJC") + Vec3(0.045, -0.06, 0.0);  // tuberosity + tissue
    return point_contact("knee_" + s, tibia, G.default_point_on(tibia, p), 0.04, 0.04);
  };
  const ContactDef knee_s = knee_contact(st);
  ContactDef knee_w = knee_contact(w);
  knee_w.lift_from = 1e-9;  // on the floor only in the start and end frames (p = 0)
  G.contacts = {knee_s, hands[0], hands[1], knee_w};
  G.anchor = 0;
  G.anchor_target = Vec3::Zero();
  G.unknowns = {{{G.coord("pelvis_tilt"), 1.0}},
                {{G.coord("arm_flex_r"), 1.0}, {G.coord("arm_flex_l"), 1.0}},
                {{G.coord("hip_flexion" + S), 1.0}},
                {{G.coord("hip_flexion" + W), 1.0}}};
  const Generator* g = &G;
  const double depth = P.depth;
  const bool hydrant = kind == QuadrupedKind::FireHydrant;
  G.nominal = [g, depth, hydrant, W](double p, Eigen::VectorXd& q) {
    const double d = depth * p;
    set_deg(q, g->coord("pelvis_tilt"), -80.0);  // starting guesses of the solved coordinates
    for (const char* s : {"_r", "_l"}) {
      set_deg(q, g->coord(std::string("arm_flex") + s), 80.0);
      set_deg(q, g->coord(std::string("elbow_flex") + s), 5.0);
      set_deg(q, g->coord(std::string("hip_flexion") + s), 80.0);
      // Knees at 100 deg: the shins rise slightly towards the ankles, and the relaxed, plantar-flexed
      // feet clear the floor.
      set_deg(q, g->coord(std::string("knee_angle") + s), 100.0);
      set_deg(q, g->coord(std::string("ankle_angle") + s), -45.0);
    }
    if (hydrant) {
      set_deg(q, g->coord("hip_adduction" + W), -kHydrantAbduction * d);
    } else {  // the working knee closes to 90 deg and the foot flexes: sole to the ceiling at the top
      set_deg(q, g->coord("knee_angle" + W), 100.0 - 10.0 * d);
      set_deg(q, g->coord("ankle_angle" + W), -45.0 + 45.0 * d);
    }
  };
  const Vec3 hjc_w = G.default_point_on(G.body("pelvis"), G.marker_ground(upper(w) + "HJC"));
  const Vec3 hjc_s = G.default_point_on(G.body("pelvis"), G.marker_ground(upper(st) + "HJC"));
  const int femur_w = G.body("femur" + W), femur_s = G.body("femur" + S);
  const Vec3 kjc_w = G.default_point_on(femur_w, G.marker_ground(upper(w) + "KJC"));
  const Vec3 kjc_s = G.default_point_on(femur_s, G.marker_ground(upper(st) + "KJC"));
  const int pel = G.body("pelvis");
  const int hum_r = G.body("humerus_r"), hum_l = G.body("humerus_l");
  G.residual = [hands, knee_s, hjc_w, hjc_s, femur_w, femur_s, kjc_w, kjc_s, pel, hum_r, hum_l](
                   const State& s, const Vec3&, Eigen::VectorXd& r) {
    const Vec3 hr = hands[0].centre(s), hl = hands[1].centre(s);
    const Vec3 shoulders = 0.5 * (s.X_ground_body[static_cast<std::size_t>(hum_r)].p +
                                  s.X_ground_body[static_cast<std::size_t>(hum_l)].p);
    r[0] = 0.5 * (hr.y() + hl.y()) - knee_s.centre(s).y();
    r[1] = 0.5 * (hr.x() + hl.x()) - shoulders.x();
    // Thigh angle from the vertical in the sagittal plane (positive: knee behind the hip).
    auto thigh = [&](const Vec3& hjc, int femur, const Vec3& kjc) {
      const Vec3 v = point_in_ground(s, femur, kjc) - point_in_ground(s, pel, hjc);
      return std::atan2(-v.x(), -v.y());
    };
    r[2] = thigh(hjc_s, femur_s, kjc_s);
    if (r.size() > 3) r[3] = thigh(hjc_w, femur_w, kjc_w);
  };
  if (!hydrant) {
    // The working hip starts where the quadruped puts it (solved at p = 0, thigh vertical) and extends
    // to neutral (0 deg, the thigh in line with the pelvis as in standing) with the lumbar spine neutral.
    State s(G.model());
    const Eigen::VectorXd q0 = G.pose(0.0, s);
    const int hip_w = G.coord("hip_flexion" + W);
    const double start = q0[hip_w];
    G.reset_warm_start();
    G.unknowns.pop_back();
    const auto base = G.nominal;
    G.nominal = [base, hip_w, start, depth](double p, Eigen::VectorXd& q) {
      base(p, q);
      q[hip_w] = start * (1.0 - depth * p);
    };
  }
  if (hydrant) {
    const double k = G.band_stiffness(kMiniBandStiffness);
    if (k > 0.0) G.bands.push_back(knee_band(G, w, st, k));
  }
  rest_band_at_start(G);
}

}  // namespace glutelab::exercise_detail
