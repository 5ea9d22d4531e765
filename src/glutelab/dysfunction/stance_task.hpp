// The single-leg tasks the posture simulators (Trendelenburg, valgus) start from, and what they share:
// the healthy posture of each task with its planted foot, the measures of a posture (pelvic drop at the
// iliac crests, trunk lean, knee over foot), and the search for the smallest deviation from the healthy
// posture that the muscles can hold. docs/dysfunction.md.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <Eigen/Core>

#include "glutelab/dysfunction/static_pose.hpp"
#include "glutelab/exercise/exercise.hpp"
#include "glutelab/model/model.hpp"

namespace glutelab {

enum class StanceTask {
  SingleLegStance,   ///< the clinical Trendelenburg test: swing hip 30 deg, knee 50 deg, held still
  WalkingMidStance,  ///< the recorded gait cycle's mid-stance posture with its centre-of-mass acceleration
  SingleLegSquat,    ///< the single_leg_squat exercise's bottom posture, held
  Landing,           ///< single-leg stance at 30 deg of knee flexion decelerating at 1 g (2 body weights)
};

std::string to_string(
    StanceTask task);  ///< "single_leg_stance", "walking_midstance", "single_leg_squat", "landing"
/// The task named by `text` (as to_string writes it); throws std::invalid_argument listing the names.
StanceTask parse_stance_task(const std::string& text);

/// A task's healthy posture: the stance foot planted flat with its sole centre at the origin, the centre of
/// pressure at mid-foot, and the uniform whole-body acceleration the pose is evaluated with.
struct StanceSetup {
  StanceTask task = StanceTask::SingleLegStance;
  StanceFoot foot;
  Eigen::VectorXd q;  ///< healthy posture (model coordinates, SI)
  Vec3 acceleration_mps2 = Vec3::Zero();
  double cycle_fraction = 0.0;  ///< walking: the instant of the gait cycle taken as mid-stance
  std::string description;      ///< one line: what the posture and loading are
};

/// The healthy posture of `task` on `side` for `model`. Throws std::runtime_error when it cannot be solved.
StanceSetup stance_setup(const Model& model, StanceTask task, Side side);

/// Measures of a posture on a stance side.
struct PostureMeasures {
  double crest_drop_m = 0.0;     ///< stance-side iliac crest height minus the swing side's
  double pelvic_list_deg = 0.0;  ///< pelvis frontal tilt, swing side down positive
  double trunk_lean_deg = 0.0;   ///< torso frontal tilt from vertical, towards the stance side positive
  double hip_adduction_deg = 0.0, hip_rotation_deg = 0.0;  ///< stance hip (adduction, internal +)
  double knee_medial_m = 0.0;  ///< stance knee centre medial of the sole's centre line
};
/// The iliac crest points: on each side at the ASIS's lateral position, halfway between the ASIS and PSIS
/// markers front to back and in height (pelvis frame); measures of pose `q`.
PostureMeasures measure_posture(const Model& model, const StanceFoot& foot, const Eigen::VectorXd& q);

/// Outcome of the search for the smallest workable deviation.
struct DeviationSearch {
  bool found = false;
  double deviation = 0.0;  ///< smallest d in [0, max] whose pose the muscles hold (bracket's upper end)
  int evaluations = 0;
  std::string note;          ///< why nothing was found
  double last_built = -1.0;  ///< largest deviation of the walk whose pose could be built (-1: none)
};
/// Walks d = 0, step, 2 step, ... up to `max` until `holds(d)` is true, then bisects the last step down to
/// `tolerance`. `holds` returns nullopt when the pose at d cannot be built (a joint out of its range, no
/// posture solution): the search stops there, with `why(d)` as the note.
DeviationSearch smallest_workable_deviation(const std::function<std::optional<bool>(double)>& holds,
                                            double max, double step, double tolerance,
                                            const std::function<std::string(double)>& why);

/// Activation of a group of impairment_groups() on the stance side at `activation` (per muscle), weighted
/// by the muscles' maximum isometric forces.
double group_activation(const Model& model, const Eigen::VectorXd& activation, const std::string& group,
                        Side side);

/// Non-pelvis coordinate of `q` outside its range, as "hip_adduction_r 31.2 deg beyond [-50, 30]"; empty
/// when all are inside.
std::string coordinate_out_of_range(const Model& model, const Eigen::VectorXd& q);

/// Throws std::invalid_argument "OPTION must be in [lo, hi], got V" ("(lo, hi]" when `open_low`) for a
/// value outside the range or not finite: the posture simulations' option checks.
void check_option_range(const char* option, double value, double lo, double hi, bool open_low);

}  // namespace glutelab
