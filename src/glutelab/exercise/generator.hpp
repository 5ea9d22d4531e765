// Internal to the exercise module: the machinery every exercise definition uses. A Generator holds
// one exercise's prescription (nominal pose per progress, solved unknowns with their residuals,
// contacts, load points, elastic bands) and turns it into a GeneratedExercise with consistent loads.
#pragma once

#include <cmath>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "glutelab/exercise/exercise.hpp"
#include "glutelab/kinematics/kinematics.hpp"

namespace glutelab::exercise_detail {

inline constexpr double kDeg = 0.017453292519943295;  // pi / 180

/// A short decimal form of v for messages.
std::string fmt(double v);

// A contact patch fixed on a body: polygon points (body frame) or a single point with a ground patch.
struct ContactDef {
  std::string name;
  int body = 0;
  std::vector<Vec3> sole_body;          // foot sole corners (body frame); empty for a point contact
  Vec3 point_body = Vec3::Zero();       // point contact (body frame)
  double height = 0.0;                  // plane height (m)
  double half_x = 0.05, half_z = 0.15;  // point contacts: half sizes of the patch (m)
  // Lifted (no load) while lift_from <= p < lift_to: a chair after seat-off, a stepping foot.
  double lift_from = 2.0, lift_to = 3.0;
  bool planted(double p) const { return !(p >= lift_from && p < lift_to); }
  bool scheduled() const { return lift_from <= 1.0; }
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

// An elastic band between points on two bodies (a loop around the knees or ankles): its tension
// stiffness x max(0, length - rest_length) pulls both ends towards each other.
struct BandDef {
  std::string name;
  int body_a = 0, body_b = 0;
  Vec3 point_a = Vec3::Zero(), point_b = Vec3::Zero();  // body frames
  double stiffness_n_per_m = 0.0, rest_length_m = 0.0;
  double length(const State& s) const {
    return (point_in_ground(s, body_b, point_b) - point_in_ground(s, body_a, point_a)).norm();
  }
};

// A coordinate change driven by one unknown: q[coordinate] += gain * x.
using Unknown = std::vector<std::pair<int, double>>;

class Generator {
 public:
  Generator(const Model& model, const ExerciseParameters& params);

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
  /// Height of the right hip joint centre above the sole plane standing (default pose), in metres.
  double leg_length() const { return leg_length_; }
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
  // When set, the anchor contact and its target at progress p (stepping exercises plant another foot).
  std::function<std::pair<int, Vec3>(double p)> anchor_at;
  std::vector<LoadPoint> load_points;
  std::vector<BandDef> bands;
  /// Internal loads between body parts (the clamshell's feet resting on each other), added to the
  /// finished repetition; they cancel in pairs, so the contacts' reactions do not change.
  std::function<void(GeneratedExercise&)> finish;
  const ExerciseParameters& params() const { return params_; }
  /// The band stiffness the user chose, or `default_n_per_m` when the parameter is negative (default).
  double band_stiffness(double default_n_per_m) const {
    return params_.band_stiffness_n_per_m < 0.0 ? default_n_per_m : params_.band_stiffness_n_per_m;
  }
  bool isometric = false;
  bool cyclic = false;
  // Progress linear in time within the move phases: for multi-phase exercises whose pose functions blend
  // each phase with zero slope at its ends (so speeds and accelerations stay continuous), time is then
  // shared between the phases in proportion to their progress ranges.
  bool linear_progress = false;    // p = (1 - cos 2 pi t / T) / 2: a continuous swing with no static frames
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
  Eigen::VectorXd pose(double p, State& s) const;

  // Progress p(t) over one repetition: rest 10 %, minimum-jerk to 1 over 35 %, hold 10 %, back over
  // 35 %, rest 10 % (an isometric exercise holds p = 1 throughout).
  double progress(double t) const {
    if (isometric) return 1.0;
    if (cyclic) return 0.5 * (1.0 - std::cos(2.0 * 3.141592653589793 * t / params_.tempo_s));
    const double u = std::clamp(t / params_.tempo_s, 0.0, 1.0);
    const bool linear = linear_progress;
    auto mj = [linear](double v) { return linear ? v : v * v * v * (10.0 - 15.0 * v + 6.0 * v * v); };
    if (u <= 0.10) return 0.0;
    if (u < 0.45) return mj((u - 0.10) / 0.35);
    if (u <= 0.55) return 1.0;
    if (u < 0.90) return 1.0 - mj((u - 0.55) / 0.35);
    return 0.0;
  }
  bool is_static(double t) const {
    if (isometric) return true;
    if (cyclic) return false;
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
  double leg_length_ = 0.0;
  static constexpr double kHeelMarkerHeightPerFootLength = 0.0335 / 0.2316;
};

/// q[c] = deg degrees.
void set_deg(Eigen::VectorXd& q, int c, double deg);
/// Both arms: shoulder flexion and adduction, elbow flexion (degrees).
void arms(const Generator& G, Eigen::VectorXd& q, double flex, double add, double elbow);
/// `coordinate`_r and `coordinate`_l = deg degrees.
void legs(const Generator& G, Eigen::VectorXd& q, const char* coordinate, double deg);
/// Minimum-jerk blend 0 -> 1 for u in [0, 1] (clamped outside).
double smooth01(double u);
/// Arms for a load placement; `hang` is the arm flexion that keeps free-hanging arms vertical.
void arms_for(const Generator& G, Eigen::VectorXd& q, LoadPlacement placement, double hang);
/// Load points of a placement.
std::vector<LoadPoint> load_points_for(const Generator& G, LoadPlacement placement, const Model& model);
/// Both feet planted at +-width/2, flat; unknown 0 (`balance`) puts the centre of mass over mid-foot.
void standing_double(Generator& G, const ExerciseParameters& P, const Unknown& balance);
/// The working side's foot planted alone at the origin, flat (stance hip flexion: pitch; subtalar: roll),
/// the centre of mass over its mid-foot (stance ankle) and its centre line (stance hip adduction).
void standing_single(Generator& G, const ExerciseParameters& P);

// Exercise definitions (standing_exercises.cpp, lying_exercises.cpp, floor_exercises.cpp).
void define_squat(Generator& G, const ExerciseParameters& P, LoadPlacement placement);
void define_hinge(Generator& G, const ExerciseParameters& P, bool conventional);
void define_kettlebell_swing(Generator& G, const ExerciseParameters& P);
void define_single_leg_deadlift(Generator& G, const ExerciseParameters& P);
void define_single_leg_squat(Generator& G, const ExerciseParameters& P);
void define_step_up(Generator& G, const ExerciseParameters& P, LoadPlacement placement);
void define_lateral_band_walk(Generator& G, const ExerciseParameters& P);
void define_squeeze(Generator& G, const ExerciseParameters& P);
void define_single_leg_stance(Generator& G, const ExerciseParameters& P);
void define_sit_to_stand(Generator& G, const ExerciseParameters& P, LoadPlacement placement);
enum class SplitKind { ForwardLunge, ReverseLunge, Bulgarian };
void define_split(Generator& G, const ExerciseParameters& P, LoadPlacement placement, SplitKind kind);
void define_lying(Generator& G, const ExerciseParameters& P, double bench_height, double tilt_bottom,
                  double tilt_top, double knee_top, bool single_leg);
enum class SideLyingKind { Clamshell, HipAbduction };
void define_side_lying(Generator& G, const ExerciseParameters& P, SideLyingKind kind);
enum class QuadrupedKind { FireHydrant, HipExtension };
void define_quadruped(Generator& G, const ExerciseParameters& P, QuadrupedKind kind);

}  // namespace glutelab::exercise_detail
