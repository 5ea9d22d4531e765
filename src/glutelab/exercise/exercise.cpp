#include "glutelab/exercise/exercise.hpp"
#include "glutelab/model/names.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <limits>
#include <numbers>
#include <stdexcept>

#include <Eigen/Dense>

#include "glutelab/dynamics/inverse_dynamics.hpp"
#include "glutelab/exercise/contact_distribution.hpp"
#include "glutelab/exercise/support_polygon.hpp"
#include "glutelab/kinematics/kinematics.hpp"

namespace glutelab {
namespace {

constexpr double kDeg = std::numbers::pi / 180.0;

// ---------------------------------------------------------------------------------------------
// Catalogue
// ---------------------------------------------------------------------------------------------

const std::vector<ExerciseInfo>& catalog_storage() {
  static const std::vector<ExerciseInfo> catalog = {
      {"bodyweight_squat", "Bodyweight squat", "Squat to the chosen depth with the arms reaching forward.",
       "sit back and down, knees over toes, chest up, whole foot on the floor", LoadPlacement::None, false},
      {"goblet_squat", "Goblet squat", "Squat holding a dumbbell or kettlebell at the chest.",
       "elbows inside the knees, chest up, whole foot on the floor", LoadPlacement::Hands, false},
      {"back_squat", "Back squat", "Squat with a barbell on the upper back.",
       "brace, sit between the heels, knees track the toes, drive the floor away", LoadPlacement::BackBarbell,
       false},
      {"front_squat", "Front squat", "Squat with a barbell in the front rack.",
       "elbows high, upright torso, knees forward", LoadPlacement::FrontRack, false},
      {"romanian_deadlift", "Romanian deadlift",
       "Hip hinge with soft knees, the bar sliding down the thighs.",
       "hips back, shins vertical, neutral spine, bar close to the legs", LoadPlacement::Hands, false},
      {"conventional_deadlift", "Conventional deadlift", "Lift the bar from a hip-and-knee bend to standing.",
       "bar over mid-foot, hips back, shins near vertical, push the floor, lock out with the glutes",
       LoadPlacement::Hands, false},
      {"glute_bridge", "Glute bridge", "Lying on the back, lift the hips off the floor with the feet flat.",
       "posterior pelvic tilt, squeeze at the top, ribs down", LoadPlacement::None, false},
      {"single_leg_glute_bridge", "Single-leg glute bridge",
       "Glute bridge on one foot with the other leg extended in line with the thigh.",
       "posterior pelvic tilt, squeeze at the top, keep the pelvis level", LoadPlacement::None, true},
      {"hip_thrust", "Barbell hip thrust", "Upper back on a bench, barbell over the hips, drive the hips up.",
       "chin tucked, shins vertical at the top, posterior pelvic tilt, squeeze at the top",
       LoadPlacement::Hips, false},
      {"standing_glute_squeeze", "Standing glute squeeze",
       "Isometric hold standing tall with the glutes squeezed.",
       "tuck the pelvis under (posterior tilt), squeeze, knees soft", LoadPlacement::None, false},
      {"single_leg_stance", "Single-leg stance", "Balance on one leg with the other knee lifted.",
       "stand tall, keep the pelvis level, stance knee soft", LoadPlacement::None, true},
      // sit_to_stand (define_sit_to_stand) is not catalogued yet: at 60 frames per repetition its
      // solution jumps near seat-off (a vertical reaction < 0 results); see docs/exercises.md.
      {"forward_lunge", "Forward lunge",
       "Split-stance lunge with the working leg in front: lower until both knees are bent, then rise.",
       "long stride, torso tall, front knee over the toes, back knee towards the floor", LoadPlacement::None,
       true},
      {"reverse_lunge", "Reverse lunge",
       "Lunge with the free leg stepped back: a slight forward lean loads the front hip.",
       "step long, lean slightly forward, front shin near vertical, push through the front heel",
       LoadPlacement::None, true},
      {"bulgarian_split_squat", "Bulgarian split squat",
       "Rear-foot-elevated split squat: the top of the rear foot on a bench, lower on the front leg.",
       "front foot far enough forward, hips square, drop the back knee, drive through the front heel",
       LoadPlacement::None, true},
  };
  return catalog;
}

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// ---------------------------------------------------------------------------------------------
// Generator machinery
// ---------------------------------------------------------------------------------------------

// A contact patch fixed on a body: polygon points (body frame) or a single point with a ground patch.
struct ContactDef {
  std::string name;
  int body = 0;
  std::vector<Vec3> sole_body;          // foot sole corners (body frame); empty for a point contact
  Vec3 point_body = Vec3::Zero();       // point contact (body frame)
  double height = 0.0;                  // plane height (m)
  double half_x = 0.05, half_z = 0.15;  // point contacts: half sizes of the patch (m)
  double active_below = 2.0;            // planted while the progress p < active_below (chair: seat-off)
  Vec3 centre(const State& s) const {
    if (sole_body.empty()) return point_in_ground(s, body, point_body);
    Vec3 c = Vec3::Zero();
    for (const Vec3& p : sole_body) c += point_in_ground(s, body, p);
    return c / static_cast<double>(sole_body.size());
  }
  std::vector<Vec3> polygon(const State& s) const {
    std::vector<Vec3> out;
    if (sole_body.empty()) {  // a 2 half_x x 2 half_z patch under the point (upper back: 0.10 x 0.30 m)
      const Vec3 c = point_in_ground(s, body, point_body);
      for (double dx : {-half_x, half_x})
        for (double dz : {-half_z, half_z}) out.emplace_back(c.x() + dx, c.y(), c.z() + dz);
    } else {
      for (const Vec3& p : sole_body) out.push_back(point_in_ground(s, body, p));
    }
    return out;
  }
};

struct LoadPoint {
  int body = 0;
  Vec3 point_body = Vec3::Zero();
  double fraction = 1.0;
};

// A coordinate change driven by one unknown: q[coordinate] += gain * x.
using Unknown = std::vector<std::pair<int, double>>;

class Generator {
 public:
  Generator(const Model& model, const ExerciseParameters& params)
      : model_(model), params_(params), state_(model) {
    set_default_coordinates(model_, state_);
    compute_positions(model_, state_);
    default_q_ = state_.q;
    for (const char* side : {"r", "l"}) {
      const std::string s = side;
      const int calcn = body("calcn_" + s);
      const std::string up = s == "r" ? "R" : "L";
      const Vec3 heel = marker_ground(up + "CAL"), toe = marker_ground(up + "TOE"),
                 lat = marker_ground(up + "MT5");
      // Medial corner: the lateral one mirrored about the heel-toe line; the sole lies at y = 0.
      Vec3 axis = toe - heel;
      axis.y() = 0.0;
      axis.normalize();
      Vec3 rel = lat - heel;
      rel.y() = 0.0;
      const Vec3 perp = rel - rel.dot(axis) * axis;
      const Vec3 med = lat - 2.0 * perp;
      ContactDef foot;
      foot.name = "foot_" + s;
      foot.body = calcn;
      const Transform inv = state_.X_ground_body[static_cast<std::size_t>(calcn)].inverse();
      for (Vec3 p : {heel, lat, toe, med}) {
        p.y() = 0.0;
        foot.sole_body.push_back(inv.apply(p));
      }
      feet_[s == "r" ? 0 : 1] = foot;
      sole_normal_body_[s == "r" ? 0 : 1] = inv.R * Vec3::UnitY();
    }
    // Upper-back contact: 0.12 m below C7 on the torso.
    const int torso = body("torso");
    back_point_body_ = state_.X_ground_body[static_cast<std::size_t>(torso)].inverse().apply(
        marker_ground("C7") - Vec3(0.0, 0.12, 0.0));
  }

  // --- model lookups
  int coord(const std::string& name) const {
    const int i = model_.coordinate_index(name);
    if (i < 0) throw std::invalid_argument("generate_exercise: the model has no coordinate '" + name + "'");
    return i;
  }
  int body(const std::string& name) const {
    const int i = model_.body_index(name);
    if (i < 0) throw std::invalid_argument("generate_exercise: the model has no body '" + name + "'");
    return i;
  }
  Vec3 marker_ground(const std::string& name) const {
    for (std::size_t i = 0; i < model_.markers.size(); ++i)
      if (model_.markers[i].name == name) return marker_position(model_, state_, static_cast<int>(i));
    throw std::invalid_argument("generate_exercise: the model has no marker '" + name + "'");
  }
  // A point given in ground at the default pose, expressed on `body_index`.
  Vec3 default_point_on(int body_index, const Vec3& ground) const {
    return state_.X_ground_body[static_cast<std::size_t>(body_index)].inverse().apply(ground);
  }
  const ContactDef& foot(const std::string& s) const { return feet_[s == "r" ? 0 : 1]; }
  // Balance point of a foot: 42 % of the way from the heel to the toe marker (quiet-standing CoP).
  Vec3 midfoot(const State& s, const std::string& side) const {
    const ContactDef& f = foot(side);
    const Vec3 heel = point_in_ground(s, f.body, f.sole_body[0]);
    const Vec3 toe = point_in_ground(s, f.body, f.sole_body[2]);
    return heel + 0.42 * (toe - heel);
  }
  Vec3 sole_normal(const State& s, const std::string& side) const {
    const int i = side == "r" ? 0 : 1;
    return s.X_ground_body[static_cast<std::size_t>(feet_[i].body)].R * sole_normal_body_[i];
  }
  ContactDef back_contact(double height) const {
    ContactDef c;
    c.name = height > 0.0 ? "bench" : "upper_back";
    c.body = model_.body_index("torso");
    c.point_body = back_point_body_;
    c.height = height;
    return c;
  }
  const Model& model() const { return model_; }
  // Ball of the foot (between the 5th and the mirrored 1st metatarsal head) on the calcaneus, raised
  // `above` metres along the sole normal (the dorsum of the forefoot for above ~ 0.05 m).
  Vec3 ball_body(const std::string& side, double above) const {
    const int i = side == "r" ? 0 : 1;
    return 0.5 * (feet_[i].sole_body[1] + feet_[i].sole_body[3]) + above * sole_normal_body_[i];
  }

  // --- the exercise definition
  std::function<void(double p, Eigen::VectorXd& q)> nominal;
  std::vector<Unknown> unknowns;
  std::function<void(const State& s, const Vec3& com, Eigen::VectorXd& r)> residual;
  std::vector<ContactDef> contacts;
  int anchor = 0;                     // contact planted by the pelvis translation
  Vec3 anchor_target = Vec3::Zero();  // where its centre goes
  std::vector<LoadPoint> load_points;
  bool isometric = false;
  double p() const { return p_; }  // progress of the pose being solved (for p-dependent residuals)
  // A pre-solve (posture at progress p) must not warm-start the repetition from another branch.
  void reset_warm_start() const { warm_.resize(0); }

  // Whole-body centre of mass with the load (needs compute_positions).
  Vec3 com(const State& s) const {
    Vec3 sum = Vec3::Zero();
    double mass = 0.0;
    for (std::size_t b = 1; b < model_.bodies.size(); ++b) {
      const Body& bd = model_.bodies[b];
      sum += bd.mass_kg * s.X_ground_body[b].apply(bd.mass_center_m);
      mass += bd.mass_kg;
    }
    for (const LoadPoint& lp : load_points) {
      sum += params_.load_kg * lp.fraction * point_in_ground(s, lp.body, lp.point_body);
      mass += params_.load_kg * lp.fraction;
    }
    return sum / mass;
  }

  // Solves the unknowns for nominal(p) (Newton, finite-difference Jacobian) and plants the anchor.
  Eigen::VectorXd pose(double p, State& s) const {
    Eigen::VectorXd q0(model_.num_coordinates());
    q0 = default_q_;
    for (const char* t : {"pelvis_tx", "pelvis_ty", "pelvis_tz"}) q0[coord(t)] = 0.0;
    p_ = p;
    nominal(p, q0);
    const int n = static_cast<int>(unknowns.size());
    // Warm start from the previous pose keeps every frame on the same solution branch.
    Eigen::VectorXd x = warm_.size() == n ? warm_ : Eigen::VectorXd::Zero(n);
    auto eval = [&](const Eigen::VectorXd& xv, Eigen::VectorXd& r) {
      s.q = q0;
      for (int k = 0; k < n; ++k)
        for (const auto& [c, g] : unknowns[static_cast<std::size_t>(k)]) s.q[c] += g * xv[k];
      compute_positions(model_, s);
      residual(s, com(s), r);
    };
    if (n > 0) {
      Eigen::VectorXd r(n), r2(n);
      eval(x, r);
      for (int it = 0; it < 60 && r.norm() > 1e-13; ++it) {
        Eigen::MatrixXd J(n, n);
        for (int k = 0; k < n; ++k) {
          Eigen::VectorXd xp = x;
          xp[k] += 1e-7;
          eval(xp, r2);
          J.col(k) = (r2 - r) / 1e-7;
        }
        const Eigen::VectorXd dx = J.fullPivLu().solve(-r);
        double step = 1.0;
        for (int ls = 0; ls < 20; ++ls, step *= 0.5) {
          eval(x + step * dx, r2);
          if (r2.norm() < r.norm() || ls == 19) break;
        }
        x += step * dx;
        r = r2;
      }
      if (!(r.norm() < 1e-8)) {
        std::string detail;
        for (int k = 0; k < n; ++k) detail += (k ? ", " : "") + fmt(r[k]);
        if (std::getenv("GLUTELAB_DEBUG"))
          for (int c = 0; c < model_.num_coordinates(); ++c)
            if (std::abs(s.q[c]) > 1e-9)
              detail += " " + model_.coordinates[static_cast<std::size_t>(c)].name + "=" + fmt(s.q[c] / kDeg);
        throw std::runtime_error("generate_exercise: posture solve did not converge (residual " +
                                 fmt(r.norm()) + ": " + detail + ") at progress " + fmt(p));
      }
      eval(x, r);
      warm_ = x;
    } else {
      s.q = q0;
      compute_positions(model_, s);
    }
    const Vec3 shift = anchor_target - contacts[static_cast<std::size_t>(anchor)].centre(s);
    Eigen::VectorXd q = s.q;
    q[coord("pelvis_tx")] += shift.x();
    q[coord("pelvis_ty")] += shift.y();
    q[coord("pelvis_tz")] += shift.z();
    return q;
  }

  // Progress p(t) over one repetition: rest 10 %, minimum-jerk to 1 over 35 %, hold 10 %, back over
  // 35 %, rest 10 % (an isometric exercise holds p = 1 throughout).
  double progress(double t) const {
    if (isometric) return 1.0;
    const double u = std::clamp(t / params_.tempo_s, 0.0, 1.0);
    auto mj = [](double v) { return v * v * v * (10.0 - 15.0 * v + 6.0 * v * v); };
    if (u <= 0.10) return 0.0;
    if (u < 0.45) return mj((u - 0.10) / 0.35);
    if (u <= 0.55) return 1.0;
    if (u < 0.90) return 1.0 - mj((u - 0.55) / 0.35);
    return 0.0;
  }
  bool is_static(double t) const {
    if (isometric) return true;
    const double u = t / params_.tempo_s;
    return u <= 0.10 || (u >= 0.45 && u <= 0.55) || u >= 0.90;
  }

  GeneratedExercise run(const ExerciseInfo& info) const;

 private:
  const Model& model_;
  ExerciseParameters params_;
  State state_;  // default pose, for set-up only
  Eigen::VectorXd default_q_;
  ContactDef feet_[2];
  Vec3 sole_normal_body_[2];
  Vec3 back_point_body_ = Vec3::Zero();
  mutable Eigen::VectorXd warm_;  // last solution of the unknowns
  mutable double p_ = 0.0;
};

GeneratedExercise Generator::run(const ExerciseInfo& info) const {
  const int N = params_.frames_per_rep;
  const int nc = model_.num_coordinates();
  const double T = params_.tempo_s;
  const double h = 1e-3 * T;  // central-difference step for speeds and accelerations
  GeneratedExercise g;
  g.info = info;
  g.parameters = params_;
  g.body_mass_kg = model_.total_mass_kg();
  g.load_kg = load_points.empty() ? 0.0 : params_.load_kg;
  g.motion.time_s.resize(static_cast<std::size_t>(N));
  g.motion.q.resize(N, nc);
  g.motion.from_file.assign(static_cast<std::size_t>(nc), true);
  g.qdot.resize(N, nc);
  g.qddot.resize(N, nc);
  State s(model_);
  std::vector<ExerciseLoad> loads(contacts.size());
  for (std::size_t c = 0; c < contacts.size(); ++c) {
    loads[c].name = contacts[c].name;
    loads[c].body = contacts[c].body;
    loads[c].contact = true;
    loads[c].height_m = contacts[c].height;
    loads[c].scheduled = contacts[c].active_below <= 1.0;
  }
  for (const LoadPoint& lp : load_points) {
    ExerciseLoad l;
    l.name = "load_" + model_.bodies[static_cast<std::size_t>(lp.body)].name;
    l.body = lp.body;
    loads.push_back(l);
  }
  for (ExerciseLoad& l : loads) {
    l.active.assign(static_cast<std::size_t>(N), l.contact ? false : g.load_kg > 0.0);
    l.force_n.assign(static_cast<std::size_t>(N), Vec3::Zero());
    l.point_m.assign(static_cast<std::size_t>(N), Vec3::Zero());
    l.torque_n_m.assign(static_cast<std::size_t>(N), Vec3::Zero());
    l.polygon_m.assign(static_cast<std::size_t>(N), {});
  }
  InverseDynamicsWorkspace ws(model_);
  Eigen::VectorXd tau(nc);
  for (int f = 0; f < N; ++f) {
    const double t = T * f / (N - 1);
    g.motion.time_s[static_cast<std::size_t>(f)] = t;
    const Eigen::VectorXd qm = pose(progress(t - h), s), qp = pose(progress(t + h), s);
    const double pt = progress(t);
    const Eigen::VectorXd q = pose(pt, s);
    // Load points at t - h, t, t + h for their accelerations.
    std::vector<Vec3> lp_m, lp_0, lp_p;
    for (const Eigen::VectorXd* qq : {&qm, &q, &qp}) {
      s.q = *qq;
      compute_positions(model_, s);
      auto& dst = qq == &qm ? lp_m : (qq == &q ? lp_0 : lp_p);
      for (const LoadPoint& lp : load_points) dst.push_back(point_in_ground(s, lp.body, lp.point_body));
    }
    g.motion.q.row(f) = q.transpose();
    g.qdot.row(f) = ((qp - qm) / (2.0 * h)).transpose();
    g.qddot.row(f) = ((qp - 2.0 * q + qm) / (h * h)).transpose();
    s.q = q;
    s.qdot = g.qdot.row(f).transpose();
    s.qddot = g.qddot.row(f).transpose();
    // The load object: weight and inertia, m (g - a), at its point.
    BodyForces applied(model_);
    for (std::size_t k = 0; k < load_points.size(); ++k) {
      ExerciseLoad& l = loads[contacts.size() + k];
      const double m = g.load_kg * load_points[k].fraction;
      const Vec3 a = (lp_p[k] - 2.0 * lp_0[k] + lp_m[k]) / (h * h);
      l.force_n[static_cast<std::size_t>(f)] = m * (model_.gravity - a);
      l.point_m[static_cast<std::size_t>(f)] = lp_0[k];
      if (l.active[static_cast<std::size_t>(f)])
        applied.add_force_at_point(l.body, l.force_n[static_cast<std::size_t>(f)], lp_0[k]);
    }
    // What the environment must supply: the ground_pelvis subtree load accumulated on ground.
    inverse_dynamics(model_, s, &applied, ws, tau);
    const Vec3 F = ws.force[0], M = ws.moment[0];
    std::vector<ContactPatch> patches;
    std::vector<std::size_t> which;
    std::vector<Vec3> support;
    for (std::size_t c = 0; c < contacts.size(); ++c) {
      ContactPatch patch;
      patch.centre_m = contacts[c].centre(s);
      patch.centre_m.y() = contacts[c].height;
      loads[c].polygon_m[static_cast<std::size_t>(f)] = contacts[c].polygon(s);
      loads[c].point_m[static_cast<std::size_t>(f)] = patch.centre_m;  // an off contact keeps its centre
      if (!(pt < contacts[c].active_below)) continue;
      patches.push_back(patch);
      which.push_back(c);
      for (const Vec3& v : loads[c].polygon_m[static_cast<std::size_t>(f)]) support.push_back(v);
    }
    const std::vector<ContactLoad> cl = distribute_wrench(patches, F, M);
    for (std::size_t i = 0; i < which.size(); ++i) {
      ExerciseLoad& l = loads[which[i]];
      l.active[static_cast<std::size_t>(f)] = cl[i].share > 0.0;
      l.force_n[static_cast<std::size_t>(f)] = cl[i].force_n;
      l.point_m[static_cast<std::size_t>(f)] = cl[i].cop_m;
      l.torque_n_m[static_cast<std::size_t>(f)] = cl[i].torque_n_m;
    }
    g.com_m.push_back(com(s));
    g.base_of_support_m.push_back(support_polygon(support));
    g.static_frame.push_back(is_static(t));
  }
  g.loads = std::move(loads);
  return g;
}

// ---------------------------------------------------------------------------------------------
// Exercises
// ---------------------------------------------------------------------------------------------

void set_deg(Eigen::VectorXd& q, int c, double deg) { q[c] = deg * kDeg; }

// Load points of a placement.
std::vector<LoadPoint> load_points_for(const Generator& G, LoadPlacement placement, const Model& model) {
  std::vector<LoadPoint> out;
  const int torso = G.body("torso");
  switch (placement) {
    case LoadPlacement::None:
      break;
    case LoadPlacement::BackBarbell:  // high bar: just below C7, on the trapezius
      out.push_back({torso, G.default_point_on(torso, G.marker_ground("C7") + Vec3(0.02, -0.04, 0.0)), 1.0});
      break;
    case LoadPlacement::FrontRack:  // on the anterior deltoids, in front of the clavicle
      out.push_back(
          {torso, G.default_point_on(torso, G.marker_ground("CLAV") + Vec3(0.06, -0.02, 0.0)), 1.0});
      break;
    case LoadPlacement::Hands:
      for (const char* h : {"hand_r", "hand_l"}) {
        const int b = G.body(h);
        out.push_back({b, model.bodies[static_cast<std::size_t>(b)].mass_center_m, 0.5});
      }
      break;
    case LoadPlacement::Hips: {  // across the hip crease, in front of the pelvis
      const int pelvis = G.body("pelvis");
      const Vec3 asis = 0.5 * (G.marker_ground("RASI") + G.marker_ground("LASI"));
      out.push_back({pelvis, G.default_point_on(pelvis, asis + Vec3(0.06, -0.06, 0.0)), 1.0});
      break;
    }
  }
  return out;
}

// Both feet planted at +-width/2, flat, symmetric legs; unknown 0 balances the centre of mass over
// the feet (antero-posterior), the others keep the feet flat (hip flexion: pitch; subtalar: roll)
// and at the stance width (hip adduction).
void standing_double(Generator& G, const ExerciseParameters& P, const Unknown& balance) {
  G.contacts = {G.foot("r"), G.foot("l")};
  G.anchor = 0;
  G.anchor_target = Vec3(0.0, 0.0, 0.5 * P.stance_width_m);
  G.unknowns = {balance,
                {{G.coord("hip_flexion_r"), 1.0}, {G.coord("hip_flexion_l"), 1.0}},
                {{G.coord("hip_adduction_r"), 1.0}, {G.coord("hip_adduction_l"), 1.0}},
                {{G.coord("subtalar_angle_r"), 1.0}, {G.coord("subtalar_angle_l"), 1.0}}};
  const double half = 0.5 * P.stance_width_m;
  const Generator* g = &G;
  G.residual = [g, half](const State& s, const Vec3& com, Eigen::VectorXd& r) {
    const Vec3 c = g->foot("r").centre(s);
    const Vec3 n = g->sole_normal(s, "r");
    const Vec3 pelvis = s.X_ground_body[static_cast<std::size_t>(g->body("pelvis"))].p;
    r[0] = com.x() - g->midfoot(s, "r").x();
    r[1] = n.x();
    r[2] = (c.z() - pelvis.z()) - half;
    r[3] = n.z();
  };
}

void arms(const Generator& G, Eigen::VectorXd& q, double flex, double add, double elbow) {
  for (const char* s : {"_r", "_l"}) {
    set_deg(q, G.coord(std::string("arm_flex") + s), flex);
    set_deg(q, G.coord(std::string("arm_add") + s), add);
    set_deg(q, G.coord(std::string("elbow_flex") + s), elbow);
  }
}
void legs(const Generator& G, Eigen::VectorXd& q, const char* coordinate, double deg) {
  for (const char* s : {"_r", "_l"}) set_deg(q, G.coord(std::string(coordinate) + s), deg);
}

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
    // Conventional: the lift starts from the bottom (p = 1 is the floor); RDL: from standing.
    const double knee = conventional ? 5.0 + 70.0 * d : 10.0 + 10.0 * d;
    const double tilt = conventional ? -5.0 - 40.0 * d : -5.0 - 70.0 * d;  // anterior tilt (trunk lean)
    legs(*g, q, "knee_angle", knee);
    legs(*g, q, "hip_flexion", -tilt + knee * 0.5);
    set_deg(q, g->coord("pelvis_tilt"), tilt);
    set_deg(q, g->coord("lumbar_extension"), 0.0);  // neutral spine
    arms(*g, q, -tilt, -5.0, 0.0);                  // arms hang vertically
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
  const std::string stance_side = P.side == Side::Right ? "r" : "l";
  G.contacts = {G.foot(stance_side)};
  G.anchor = 0;
  G.anchor_target = Vec3(0.0, 0.0, 0.0);
  G.unknowns = {{{G.coord("ankle_angle" + st), 1.0}},
                {{G.coord("hip_adduction" + st), 1.0}},
                {{G.coord("hip_flexion" + st), 1.0}},
                {{G.coord("subtalar_angle" + st), 1.0}}};
  const Generator* g = &G;
  G.residual = [g, stance_side](const State& s, const Vec3& com, Eigen::VectorXd& r) {
    const Vec3 c = g->foot(stance_side).centre(s);
    const Vec3 n = g->sole_normal(s, stance_side);
    r[0] = com.x() - g->midfoot(s, stance_side).x();
    r[1] = com.z() - c.z();
    r[2] = n.x();
    r[3] = n.z();
  };
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

// Lying exercises: upper back on the floor (bench_height 0) or on a bench, feet flat on the floor.
// Pelvis tilt is prescribed (the lift), hips/knees/ankles close the loop: the back point at the
// bench height, the feet at a fixed distance from it, flat, at the stance width.
void define_lying(Generator& G, const ExerciseParameters& P, double bench_height, double tilt_bottom,
                  double tilt_top, double knee_top, bool single_leg) {
  const std::string st = P.side == Side::Right ? "_r" : "_l";
  const std::string sw = P.side == Side::Right ? "_l" : "_r";
  const std::string stance_side = P.side == Side::Right ? "r" : "l";
  const ContactDef back = G.back_contact(bench_height);
  if (single_leg)
    G.contacts = {back, G.foot(stance_side)};
  else
    G.contacts = {back, G.foot("r"), G.foot("l")};
  G.anchor = 1;
  G.anchor_target = Vec3(0.0, 0.0, (stance_side == "r" ? 0.5 : -0.5) * P.stance_width_m);
  auto both = [&](const std::string& c) -> Unknown {
    if (single_leg) return {{G.coord(c + st), 1.0}};
    return {{G.coord(c + "_r"), 1.0}, {G.coord(c + "_l"), 1.0}};
  };
  const Generator* g = &G;
  const double half = 0.5 * P.stance_width_m;
  const double depth = P.depth;
  // Thighs rise from the hips to the knees by about `thigh` degrees: hip flexion = 90 + thigh - tilt.
  const double thigh = bench_height > 0.0 ? 20.0 : 35.0;
  auto nominal_at = [g, depth, tilt_bottom, tilt_top, thigh](double p, Eigen::VectorXd& q) {
    const double d = depth * p;
    const double tilt = tilt_bottom + (tilt_top - tilt_bottom) * d;
    set_deg(q, g->coord("pelvis_tilt"), tilt);
    set_deg(q, g->coord("lumbar_extension"), -8.0 * d);  // posterior pelvic tilt at the top
    for (const char* s : {"_r", "_l"}) {
      set_deg(q, g->coord(std::string("hip_flexion") + s), 90.0 + thigh - tilt);
      set_deg(q, g->coord(std::string("knee_angle") + s), 100.0);
      set_deg(q, g->coord(std::string("ankle_angle") + s), 0.0);
    }
    arms(*g, q, 0.0, -15.0, 0.0);
  };
  // Feet distance from the back contact: from the full-depth top posture with the knee at knee_top.
  double distance = 0.0;
  {
    G.nominal = [g, tilt_top, knee_top, thigh](double, Eigen::VectorXd& q) {
      set_deg(q, g->coord("pelvis_tilt"), tilt_top);
      set_deg(q, g->coord("lumbar_extension"), -8.0);
      for (const char* s : {"_r", "_l"}) {
        set_deg(q, g->coord(std::string("hip_flexion") + s), 90.0 + thigh - tilt_top);
        set_deg(q, g->coord(std::string("knee_angle") + s), knee_top);
      }
    };
    G.unknowns = {both("hip_flexion"), both("ankle_angle")};
    G.residual = [g, stance_side, bench_height, back](const State& s, const Vec3&, Eigen::VectorXd& r) {
      const Vec3 c = g->foot(stance_side).centre(s);
      r[0] = (back.centre(s).y() - c.y()) - bench_height;
      r[1] = g->sole_normal(s, stance_side).x();
    };
    State s(g->model());
    G.pose(1.0, s);
    distance = g->foot(stance_side).centre(s).x() - back.centre(s).x();
  }
  G.nominal = [nominal_at, single_leg, g, sw](double p, Eigen::VectorXd& q) {
    nominal_at(p, q);
    if (single_leg) {  // the free leg extended in line with the thigh (set after the solve below)
      set_deg(q, g->coord("knee_angle" + sw), 0.0);
    }
  };
  G.unknowns = {both("hip_flexion"), both("knee_angle"), both("ankle_angle"), both("hip_adduction"),
                both("subtalar_angle")};
  if (single_leg) G.unknowns[0].push_back({G.coord("hip_flexion" + sw), 1.0});  // free thigh parallel
  G.residual = [g, stance_side, bench_height, back, distance, half](const State& s, const Vec3&,
                                                                    Eigen::VectorXd& r) {
    const Vec3 c = g->foot(stance_side).centre(s);
    const Vec3 b = back.centre(s);
    const Vec3 n = g->sole_normal(s, stance_side);
    const Vec3 pelvis = s.X_ground_body[static_cast<std::size_t>(g->body("pelvis"))].p;
    r[0] = (b.y() - c.y()) - bench_height;
    r[1] = (c.x() - b.x()) - distance;
    r[2] = n.x();
    r[3] = std::abs(c.z() - pelvis.z()) - half;
    r[4] = n.z();
  };
}

double smooth01(double u) {
  u = std::clamp(u, 0.0, 1.0);
  return u * u * u * (10.0 - 15.0 * u + 6.0 * u * u);
}

// Arms for a placement; `hang` is the arm flexion that keeps free-hanging arms vertical.
void arms_for(const Generator& G, Eigen::VectorXd& q, LoadPlacement placement, double hang) {
  switch (placement) {
    case LoadPlacement::BackBarbell:
      arms(G, q, -20.0, -70.0, 110.0);
      break;
    case LoadPlacement::FrontRack:
      arms(G, q, 80.0, -20.0, 140.0);
      break;
    default:
      arms(G, q, hang, -10.0, 5.0);
      break;
  }
}

// Sit-to-stand from a chair of seat height H: seated (p = 0), lean forward on the chair until the
// centre of mass is over the feet (seat-off at p = 0.4), rise to standing (p = 1). The chair is a patch
// under each thigh (0.15 m down the femur from the hip centre, 0.07 m behind its axis), planted while
// p < 0.4; the feet stay on the floor.
void define_sit_to_stand(Generator& G, const ExerciseParameters& P, LoadPlacement placement) {
  const double H = P.height_m > 0.0 ? P.height_m : 0.42;
  if (H < 0.36 || H > 0.46)
    throw std::invalid_argument("height_m: the seat of sit_to_stand must be in [0.36, 0.46] m, got " +
                                fmt(H));
  constexpr double ps = 0.4;
  const double knee_seat = 105.0 + (0.42 - H) * 150.0;  // feet drawn back; lower seats bend more
  std::vector<ContactDef> chair;
  for (const std::string s : {"r", "l"}) {
    ContactDef c;
    c.name = "chair_" + s;
    c.body = G.body("femur_" + s);
    c.point_body = G.default_point_on(
        c.body, G.marker_ground(std::string(s == "r" ? "R" : "L") + "HJC") + Vec3(-0.06, -0.05, 0.0));
    c.half_x = 0.06;
    c.half_z = 0.06;
    c.height = H;
    c.active_below = ps;
    chair.push_back(c);
  }
  const int tilt = G.coord("pelvis_tilt");
  standing_double(G, P, {{tilt, 1.0}, {G.coord("lumbar_extension"), 1.0}});
  const auto standing_residual = G.residual;
  const Generator* g = &G;
  // 1. Seated geometry: the ankle that puts the thigh patch on the seat with the knee at knee_seat.
  G.nominal = [g, knee_seat](double, Eigen::VectorXd& q) {
    legs(*g, q, "knee_angle", knee_seat);
    legs(*g, q, "hip_flexion", 90.0);
    legs(*g, q, "ankle_angle", 10.0);
  };
  const Unknown lean = G.unknowns[0];
  G.unknowns[0] = {{G.coord("ankle_angle_r"), 1.0}, {G.coord("ankle_angle_l"), 1.0}};
  const ContactDef chair_r = chair[0];
  G.residual = [g, standing_residual, chair_r, H](const State& s, const Vec3& com, Eigen::VectorXd& r) {
    standing_residual(s, com, r);
    r[0] = chair_r.centre(s).y() - g->foot("r").centre(s).y() - H;
  };
  State s(G.model());
  G.pose(0.0, s);
  const double ankle_seat = s.q[G.coord("ankle_angle_r")] / kDeg;
  G.reset_warm_start();
  // 2. Seat-off: the forward lean (pelvis and lumbar equally) that puts the centre of mass over the feet.
  auto nominal = [g, ankle_seat, knee_seat, placement](double p, Eigen::VectorXd& q) {
    const double u = smooth01((p - ps) / (1.0 - ps));  // rise
    legs(*g, q, "knee_angle", knee_seat + (5.0 - knee_seat) * u);
    legs(*g, q, "ankle_angle", ankle_seat + (3.0 - ankle_seat) * u);
    legs(*g, q, "hip_flexion", 90.0 - 85.0 * u);
    legs(*g, q, "hip_rotation", -5.0);
    arms_for(*g, q, placement, 10.0 + 80.0 * smooth01(p / ps) * (1.0 - u));  // reach forward to rise
  };
  G.nominal = nominal;
  G.unknowns[0] = lean;
  G.residual = standing_residual;
  G.pose(ps, s);
  const double lean_off = s.q[tilt];
  G.reset_warm_start();
  // 3. The repetition: the lean is prescribed on the chair, balanced over the feet after seat-off.
  G.contacts.insert(G.contacts.end(), chair.begin(), chair.end());
  G.residual = [g, standing_residual, tilt, lean_off](const State& st, const Vec3& com, Eigen::VectorXd& r) {
    standing_residual(st, com, r);
    if (g->p() < ps) r[0] = st.q[tilt] - lean_off * smooth01(g->p() / ps);
  };
}

enum class SplitKind { ForwardLunge, ReverseLunge, Bulgarian };

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
  const double H = bench ? (P.height_m > 0.0 ? P.height_m : 0.45) : 0.0;
  const double leg = G.marker_ground("RHJC").y();
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

}  // namespace

// ---------------------------------------------------------------------------------------------

const std::vector<ExerciseInfo>& exercise_catalog() { return catalog_storage(); }

std::string closest_exercise_name(const std::string& name) {
  std::vector<std::string> names;
  for (const ExerciseInfo& e : exercise_catalog()) names.push_back(e.name);
  return closest_name(name, names);
}

std::string to_string(LoadPlacement placement) {
  switch (placement) {
    case LoadPlacement::None:
      return "none";
    case LoadPlacement::BackBarbell:
      return "back_barbell";
    case LoadPlacement::FrontRack:
      return "front_rack";
    case LoadPlacement::Hands:
      return "hands";
    case LoadPlacement::Hips:
      return "hips";
  }
  return "none";
}

void validate_exercise_parameters(const ExerciseParameters& p, double body_mass_kg) {
  auto check = [](bool ok, const std::string& what) {
    if (!ok) throw std::invalid_argument(what);
  };
  check(std::isfinite(p.depth) && p.depth >= 0.0 && p.depth <= 1.0,
        "depth must be in [0, 1] (a fraction of the full depth), got " + fmt(p.depth));
  check(std::isfinite(p.stance_width_m) && p.stance_width_m >= 0.10 && p.stance_width_m <= 0.80,
        "stance_width_m must be in [0.10, 0.80] m, got " + fmt(p.stance_width_m));
  check(std::isfinite(p.load_kg) && p.load_kg >= 0.0 && p.load_kg <= 5.0 * body_mass_kg,
        "load_kg must be in [0, " + fmt(5.0 * body_mass_kg) + "] kg (5 x body mass), got " + fmt(p.load_kg));
  check(std::isfinite(p.tempo_s) && p.tempo_s >= 0.5 && p.tempo_s <= 60.0,
        "tempo_s must be in [0.5, 60] s, got " + fmt(p.tempo_s));
  check(p.frames_per_rep >= 10 && p.frames_per_rep <= 10000,
        "frames_per_rep must be in [10, 10000], got " + std::to_string(p.frames_per_rep));
  check(std::isfinite(p.band_stiffness_n_per_m) && p.band_stiffness_n_per_m >= 0.0,
        "band_stiffness_n_per_m must be >= 0 N/m, got " + fmt(p.band_stiffness_n_per_m));
  check(std::isfinite(p.height_m) && (p.height_m == 0.0 || (p.height_m >= 0.15 && p.height_m <= 0.80)),
        "height_m must be 0 (the exercise's default) or in [0.15, 0.80] m, got " + fmt(p.height_m));
}

GeneratedExercise generate_exercise(const Model& model, const std::string& name,
                                    const ExerciseParameters& params) {
  const auto& cat = exercise_catalog();
  const auto it = std::find_if(cat.begin(), cat.end(), [&](const ExerciseInfo& e) { return e.name == name; });
  if (it == cat.end())
    throw std::invalid_argument("unknown exercise '" + name + "'; did you mean '" +
                                closest_exercise_name(name) + "'?");
  validate_exercise_parameters(params, model.total_mass_kg());
  const LoadPlacement placement =
      params.placement == LoadPlacement::None ? it->default_placement : params.placement;
  if (params.load_kg > 0.0 && placement == LoadPlacement::None)
    throw std::invalid_argument(
        "placement: a load_kg > 0 needs a placement (back_barbell, front_rack, hands or "
        "hips) for exercise '" +
        name + "'");
  Generator G(model, params);
  if (params.load_kg > 0.0) G.load_points = load_points_for(G, placement, model);
  const std::string& n = it->name;
  if (n == "bodyweight_squat" || n == "goblet_squat" || n == "back_squat" || n == "front_squat")
    define_squat(G, params, placement);
  else if (n == "romanian_deadlift")
    define_hinge(G, params, false);
  else if (n == "conventional_deadlift")
    define_hinge(G, params, true);
  else if (n == "standing_glute_squeeze")
    define_squeeze(G, params);
  else if (n == "single_leg_stance")
    define_single_leg_stance(G, params);
  else if (n == "glute_bridge")
    define_lying(G, params, 0.0, 92.0, 118.0, 95.0, false);
  else if (n == "single_leg_glute_bridge")
    define_lying(G, params, 0.0, 92.0, 116.0, 95.0, true);
  else if (n == "hip_thrust")
    define_lying(G, params, 0.40, 60.0, 95.0, 90.0, false);
  else if (n == "sit_to_stand")
    define_sit_to_stand(G, params, placement);
  else if (n == "forward_lunge")
    define_split(G, params, placement, SplitKind::ForwardLunge);
  else if (n == "reverse_lunge")
    define_split(G, params, placement, SplitKind::ReverseLunge);
  else if (n == "bulgarian_split_squat")
    define_split(G, params, placement, SplitKind::Bulgarian);
  return G.run(*it);
}

void add_exercise_loads(const GeneratedExercise& exercise, int frame, BodyForces& out) {
  const auto f = static_cast<std::size_t>(frame);
  for (const ExerciseLoad& l : exercise.loads) {
    if (!l.active[f]) continue;
    out.add_force_at_point(l.body, l.force_n[f], l.point_m[f]);
    out.add_torque(l.body, l.torque_n_m[f]);
  }
}

ExternalLoads exercise_external_loads(const Model& model, const GeneratedExercise& exercise) {
  ExternalLoads loads;
  const int N = exercise.frames();
  loads.data.name = exercise.info.name + "_loads";
  loads.data.time_s = exercise.motion.time_s;
  loads.data.values.resize(N, static_cast<Eigen::Index>(9 * exercise.loads.size()));
  int col = 0;
  for (const ExerciseLoad& l : exercise.loads) {
    ExternalForce ef;
    ef.name = l.name;
    ef.applied_body = l.body;
    ef.force_frame = 0;
    ef.point_frame = 0;
    for (int k = 0; k < 3; ++k) {
      ef.force_columns[static_cast<std::size_t>(k)] = col + k;
      ef.point_columns[static_cast<std::size_t>(k)] = col + 3 + k;
      ef.torque_columns[static_cast<std::size_t>(k)] = col + 6 + k;
    }
    const char* axes = "xyz";
    for (int k = 0; k < 3; ++k) {
      loads.data.labels.push_back(l.name + "_force_v" + axes[k]);
    }
    for (int k = 0; k < 3; ++k) loads.data.labels.push_back(l.name + "_point_p" + std::string(1, axes[k]));
    for (int k = 0; k < 3; ++k) loads.data.labels.push_back(l.name + "_torque_" + std::string(1, axes[k]));
    for (int f = 0; f < N; ++f) {
      const auto fu = static_cast<std::size_t>(f);
      const bool on = l.active[fu];
      // An inactive contact keeps its last point (a zero force at any point adds nothing).
      for (int k = 0; k < 3; ++k) {
        loads.data.values(f, col + k) = on ? l.force_n[fu][k] : 0.0;
        loads.data.values(f, col + 3 + k) = l.point_m[fu][k];
        loads.data.values(f, col + 6 + k) = on ? l.torque_n_m[fu][k] : 0.0;
      }
    }
    loads.forces.push_back(ef);
    col += 9;
  }
  for (int c = 0; c < col; ++c) {
    std::vector<double> x = exercise.motion.time_s;
    std::vector<double> y(static_cast<std::size_t>(N));
    for (int f = 0; f < N; ++f) y[static_cast<std::size_t>(f)] = loads.data.values(f, c);
    loads.column_functions.push_back(Function::natural_cubic_spline(std::move(x), std::move(y)));
  }
  (void)model;
  return loads;
}

}  // namespace glutelab
