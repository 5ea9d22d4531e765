// Valgus collapse: the stance-side hip abductors and external rotators (deep six, optionally gluteus
// maximus) weakened step by step in a single-leg squat and a landing-like single-leg loading, and for each
// strength the smallest collapse (the stance hip adducting and rotating internally together, the foot fixed
// flat, the trunk kept upright) that static optimization holds without reserves; the knee's frontal-plane
// moment of that posture. docs/dysfunction.md ("Valgus collapse").
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "glutelab/dysfunction/stance_task.hpp"
#include "glutelab/io/storage.hpp"
#include "glutelab/model/model.hpp"

namespace glutelab {

struct ValgusOptions {
  Side side = Side::Right;  ///< stance side (its muscles are weakened)
  /// Strength levels of the weakened muscles, each in [0, 1], distinct; empty: 1.0, 0.9, ..., 0.0.
  std::vector<double> strengths;
  std::vector<StanceTask> tasks{StanceTask::SingleLegSquat, StanceTask::Landing};
  bool weaken_gluteus_maximus = false;  ///< also weaken the gluteus maximus (an external rotator too)
  /// Degrees of hip internal rotation per degree of adduction in the collapse, [0, 3].
  double rotation_per_adduction = 1.0;
  double max_collapse_deg = 20.0;  ///< largest extra hip adduction searched, (0, 30]
  double scan_step_deg = 1.0;      ///< (0, 5]
  double tolerance_deg = 0.01;     ///< (0, scan_step_deg]
  int threads = 0;                 ///< 0: all cores
  std::function<void(int done, int total)> progress;
};

/// Throws std::invalid_argument naming the option, its range and the value for anything out of range.
void validate_valgus_options(const ValgusOptions& options);

struct ValgusPoint {
  double strength = 1.0;
  bool found = false;
  std::string note;                                        ///< why not, when not found
  double hip_adduction_change_deg = 0.0;                   ///< beyond the healthy posture
  double hip_rotation_change_deg = 0.0;                    ///< internal rotation beyond the healthy posture
  double hip_adduction_deg = 0.0, hip_rotation_deg = 0.0;  ///< absolute (adduction, internal rotation +)
  double knee_medial_change_cm = 0.0;  ///< knee centre's move towards the midline relative to the foot
  double pelvic_drop_cm = 0.0;         ///< swing-side iliac crest drop the collapse brings with it
  /// Stance knee reaction moment about the tibia's anteroposterior axis (N m) and its change from healthy.
  double knee_frontal_moment_nm = 0.0, knee_frontal_moment_change_nm = 0.0;
  double abductor_activation = 0.0, deep_six_activation = 0.0, gluteus_maximus_activation = 0.0;
  double max_activation = 0.0;
  std::string max_activation_muscle;
  double hip_contact_bw = 0.0;
  double residual_bw_m = 0.0;
  double upright_reserve_nm = 0.0;  ///< what the healthy posture would need at this strength
  std::string upright_reserve_coordinate;
  /// When not found: the largest deviation searched whose pose could be built, and the reserve it needs
  /// (compare with upright_reserve_nm: whether deviating helped at all).
  double limit_deviation_deg = 0.0, limit_reserve_nm = 0.0;
  int evaluations = 0;
  double seconds = 0.0;
  Eigen::VectorXd q;
};

struct ValgusCurve {
  StanceTask task = StanceTask::SingleLegSquat;
  std::string description;          ///< the task's posture and loading
  std::vector<ValgusPoint> points;  ///< strengths in descending order
  double seconds = 0.0;
};

struct ValgusResult {
  Side side = Side::Right;
  double body_mass_kg = 0.0;
  std::vector<std::string> weakened;  ///< the groups weakened
  std::vector<ValgusCurve> curves;
  double seconds = 0.0;
};

/// Runs the simulation for `model` (a glutelab/Rajagopal model, possibly scaled).
ValgusResult simulate_valgus(const Model& model, const ValgusOptions& options = {});

/// A curve's postures as an OpenSim motion (degrees): one row per level found, time = 1 - strength.
TimeTable valgus_motion(const Model& model, const ValgusCurve& curve);

}  // namespace glutelab
