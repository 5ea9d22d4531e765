// Femur length sweep: how the thigh-to-shank ratio changes who does the work in an exercise. For each
// ratio the generic model is scaled to the body with a measured thigh of ratio x the shank (the shank
// kept at de Leva's fraction of height), the exercise is generated at the same depth and load, and
// analyze_exercise_work gives the muscles and the extensor work split (issue 4, item 5).
#pragma once

#include <string>
#include <vector>

#include "glutelab/exercise/exercise.hpp"
#include "glutelab/exercise/work_analysis.hpp"
#include "glutelab/model/model.hpp"
#include "glutelab/model/scaling.hpp"

namespace glutelab {

/// back_squat, romanian_deadlift, hip_thrust.
const std::vector<std::string>& default_femur_sweep_exercises();

/// One exercise for one thigh-to-shank ratio.
struct FemurSweepPoint {
  std::string exercise;
  double thigh_to_shank_ratio = 0.0;
  double thigh_length_m = 0.0, shank_length_m = 0.0;
  /// Peak forward trunk lean: -(pelvis_tilt + lumbar_extension) in degrees, largest over the repetition
  /// (the bottom of a squat or hinge).
  double peak_trunk_lean_deg = 0.0;
  /// Peak working-side extension moments from inverse dynamics (N m): -hip_flexion, -knee_angle.
  double peak_hip_extension_moment_nm = 0.0, peak_knee_extension_moment_nm = 0.0;
  double hip_to_knee_moment_ratio = 0.0;  ///< peak hip / peak knee extension moment (inf if knee is 0)
  /// Extensor work fractions (ExerciseWorkReport::extensor_work), summing to 1.
  double hip_work_share = 0.0, knee_work_share = 0.0, ankle_work_share = 0.0, lower_back_work_share = 0.0;
  double extensor_work_total_j = 0.0;
  double gluteus_maximus_mean_activation = 0.0, quadriceps_mean_activation = 0.0;
  int frames = 0, converged_frames = 0;
  double seconds = 0.0;
  /// Why this body cannot do the exercise at this ratio (e.g. a posture beyond a joint's range for a long
  /// thigh); empty when analysed. The figures are NaN then.
  std::string error;
};

struct FemurSweepResult {
  std::vector<std::string> exercises;
  std::vector<double> ratios;
  std::vector<FemurSweepPoint> points;  ///< exercise-major: points[e * ratios.size() + r]
  double seconds = 0.0;
  const FemurSweepPoint& at(std::size_t exercise, std::size_t ratio) const {
    return points.at(exercise * ratios.size() + ratio);
  }
};

/// Checks the ratios (finite, in [0.5, 2.0], the thigh within BodyDescription's plausible range for the
/// body); throws std::invalid_argument naming the bad ratio.
void validate_femur_sweep_ratios(const BodyDescription& body, const std::vector<double>& ratios);

/// The body with a measured thigh of `ratio` x the shank, the shank at de Leva's fraction of height
/// (other measured lengths and ratios of `body` are dropped except trunk and pelvis width).
BodyDescription body_with_thigh_to_shank_ratio(const BodyDescription& body, double ratio);

/// Runs the sweep. `exercises` empty: default_femur_sweep_exercises(). Throws std::invalid_argument for
/// bad ratios, an unknown exercise or bad parameters; a point the body cannot do is kept with its
/// FemurSweepPoint::error.
FemurSweepResult femur_length_sweep(const Model& generic, const BodyDescription& body,
                                    const std::vector<std::string>& exercises,
                                    const std::vector<double>& thigh_to_shank_ratios,
                                    const ExerciseParameters& parameters = {},
                                    const ExerciseWorkOptions& options = {});

}  // namespace glutelab
