// Trendelenburg: the stance-side hip abductors (gluteus medius, minimus, TFL) weakened step by step, and
// for each strength the posture the body must adopt to stand on that leg with the muscles it has. Two
// strategies: an uncompensated pelvic drop on the swing side (the stance hip goes into adduction, where
// the stretched muscles' passive forces help) and a compensated Trendelenburg (a lateral trunk lean over
// the stance hip). For each, the smallest deviation from the healthy posture at which static optimization
// balances the pose without reserves: the feasible postures of a weaker body are a subset of a stronger
// body's, so the deviation grows as strength falls and is zero at full strength. docs/dysfunction.md.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "glutelab/dysfunction/stance_task.hpp"
#include "glutelab/exercise/exercise.hpp"
#include "glutelab/io/storage.hpp"
#include "glutelab/model/model.hpp"

namespace glutelab {

enum class TrendelenburgStrategy {
  PelvicDrop,  ///< pelvis lists down on the swing side, trunk kept as upright as in the healthy posture
  TrunkLean,   ///< pelvis as in the healthy posture, trunk leans over the stance hip (lumbar bending)
};

std::string to_string(TrendelenburgStrategy strategy);  ///< "pelvic_drop", "trunk_lean"

struct TrendelenburgOptions {
  Side side = Side::Right;  ///< stance side (its abductors are weakened)
  /// Abductor strength levels, each in [0, 1], distinct; empty: 1.0, 0.9, ..., 0.0. Run in descending order.
  std::vector<double> strengths;
  std::vector<StanceTask> tasks{StanceTask::SingleLegStance, StanceTask::WalkingMidStance};
  double max_drop_deg = 25.0;   ///< pelvic-list search limit beyond the healthy posture, (0, 45]
  double max_lean_deg = 50.0;   ///< lumbar-bending search limit, (0, 60]
  double scan_step_deg = 1.0;   ///< the search walks out in these steps, then bisects, (0, 5]
  double tolerance_deg = 0.01;  ///< width of the final bisection bracket, (0, scan_step_deg]
  int threads = 0;              ///< 0: all cores
  std::function<void(int done, int total)> progress;
};

/// Throws std::invalid_argument naming the option, its range and the value for anything out of range.
void validate_trendelenburg_options(const TrendelenburgOptions& options);

/// The posture found at one strength.
struct PosturePoint {
  double strength = 1.0;
  bool found = false;            ///< a posture within the search limits balances without reserves
  std::string note;              ///< why not, when not found
  double deviation_deg = 0.0;    ///< the strategy's variable: extra pelvic list or lumbar bending
  double pelvic_drop_cm = 0.0;   ///< swing-side iliac crest below the stance side's, beyond the healthy pose
  double pelvic_list_deg = 0.0;  ///< pelvis frontal tilt, swing side down positive (absolute)
  double trunk_lean_deg = 0.0;   ///< torso frontal tilt from vertical, towards the stance side positive
  double hip_adduction_deg = 0.0;  ///< stance hip
  double hip_rotation_deg = 0.0;   ///< stance hip, internal positive
  double knee_over_foot_cm = 0.0;  ///< stance knee centre medial of the sole's centre line
  /// Stance side, activations weighted by maximum isometric force: gluteus medius, gluteus minimus, TFL,
  /// all hip abductors; deep six; gluteus maximus.
  double gluteus_medius_activation = 0.0, gluteus_minimus_activation = 0.0, tfl_activation = 0.0;
  double abductor_activation = 0.0, deep_six_activation = 0.0, gluteus_maximus_activation = 0.0;
  double max_activation = 0.0;
  std::string max_activation_muscle;
  double hip_contact_bw = 0.0;
  double knee_frontal_moment_nm = 0.0;   ///< stance knee reaction moment about the tibia's AP axis
  double hip_abduction_moment_nm = 0.0;  ///< inverse dynamics, stance hip, abduction positive
  double residual_bw_m = 0.0;            ///< max pelvis residual / (body weight x 1 m)
  double cop_margin_m = 0.0;
  /// The reserve the healthy posture would need at this strength (0 when it still works), its coordinate.
  double upright_reserve_nm = 0.0;
  std::string upright_reserve_coordinate;
  /// When not found: the largest deviation searched whose pose could be built, and the reserve it needs
  /// (compare with upright_reserve_nm: whether deviating helped at all).
  double limit_deviation_deg = 0.0, limit_reserve_nm = 0.0;
  int evaluations = 0;  ///< poses evaluated by the search
  double seconds = 0.0;
  Eigen::VectorXd q;  ///< the posture (model coordinates, SI), empty when not found
};

struct TrendelenburgCurve {
  StanceTask task = StanceTask::SingleLegStance;
  TrendelenburgStrategy strategy = TrendelenburgStrategy::PelvicDrop;
  std::vector<PosturePoint> points;  ///< strengths in descending order
  /// Pelvic drop strategy: the strength below which no posture with a drop of at most 2 cm at the iliac
  /// crest holds (by bisection on strength to 1/4096: the lowest strength holding the level pelvis, a 1 cm
  /// or a 2 cm drop); bracket_high is the weakest level whose posture has at most 2 cm of drop, bracket_low
  /// the next level (more drop, or no posture at all). NaN for the trunk-lean strategy.
  double visible_drop_strength = 0.0, bracket_high = 0.0, bracket_low = 0.0;
  double seconds = 0.0;  ///< summed over its levels
};

struct TrendelenburgResult {
  Side side = Side::Right;
  double body_mass_kg = 0.0;
  Vec3 midstance_acceleration_mps2 = Vec3::Zero();  ///< walking mid-stance: the CoM acceleration used
  double midstance_cycle_fraction = 0.0;            ///< the gait-cycle instant taken as mid-stance
  std::vector<TrendelenburgCurve> curves;           ///< per task: pelvic drop, then trunk lean
  double seconds = 0.0;                             ///< wall time
  const TrendelenburgCurve* curve(StanceTask task, TrendelenburgStrategy strategy) const;
};

/// The visible pelvic drop the threshold refers to (cm at the iliac crest).
inline constexpr double kVisibleDropCm = 2.0;

/// Runs the simulation for `model` (a glutelab/Rajagopal model, possibly scaled).
TrendelenburgResult simulate_trendelenburg(const Model& model, const TrendelenburgOptions& options = {});

/// One curve's postures as an OpenSim motion (rotational coordinates in degrees): one row per strength
/// level found, time = 1 - strength.
TimeTable trendelenburg_motion(const Model& model, const TrendelenburgCurve& curve);

}  // namespace glutelab
