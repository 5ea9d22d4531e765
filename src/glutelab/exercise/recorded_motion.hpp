// Recorded motions (inverse-kinematics coordinate files: OpenCap, motion capture) as exercise
// repetitions, so that the work analysis runs on them unchanged: the coordinates are low-pass filtered
// and splined (speeds, accelerations), the feet's contacts with the floor are detected from the motion,
// and the ground reactions are either estimated from the whole-body wrench (what the environment must
// supply, split over the planted feet) or read from measured force plates. See docs/exercises.md
// ("Recorded motions").
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "glutelab/exercise/exercise.hpp"
#include "glutelab/io/motion.hpp"
#include "glutelab/model/model.hpp"

namespace glutelab {

/// A point on a foot body used to detect floor contact (heel, ball or toe tip of one side).
struct FootPoint {
  std::string name;             ///< e.g. "heel_r", "ball_r", "toe_r"
  Side side = Side::Right;      ///< the foot it belongs to
  int body = 0;                 ///< Model::bodies index (calcn_* or toes_*)
  Vec3 point_m = Vec3::Zero();  ///< in the body frame
};

/// Heel (calcn origin), ball (toes origin, the metatarsophalangeal joint) and toe tip (35 % of the
/// heel-to-ball distance beyond the ball, in the default pose) of both feet. Throws std::invalid_argument
/// when the model has no calcn_r/l or toes_r/l body.
std::vector<FootPoint> foot_points(const Model& model);

/// How planted feet are detected. A foot point is planted when its height above its own resting
/// height is below `contact_height_m` and its speed relative to the floor (a treadmill belt moves) is
/// below `contact_speed_m_s`; a foot is planted when one of its points is.
struct FootContactOptions {
  double contact_height_m = 0.03;  ///< above the point's resting height (m)
  /// Speed relative to the floor (m/s): 1.5 catches the landings of a run filtered at 6 Hz.
  double contact_speed_m_s = 1.5;
  /// When true, the floor (y) and each point's resting height (above the floor) are estimated from
  /// the motion: the floor is the 2nd percentile over frames of the lowest foot point, a point's
  /// resting height the 5th percentile of its height above that floor, capped at
  /// `max_rest_height_m` (a heel that never lands stays unplanted). When false, the floor is y = 0
  /// and the resting heights are the points' heights above the lowest of them in the default pose.
  bool floor_from_motion = true;
  double max_rest_height_m = 0.06;
  /// Frames with no planted point plant the foot of the lowest point (generated walking, whose
  /// pelvis height keeps one foot on the floor); false for recordings, which may have flight phases.
  bool always_supported = false;
  /// How strongly the load shares follow the previous frame's (m^2; see distribute_wrench_following):
  /// a foot that touches down takes load progressively rather than within one frame.
  double share_stickiness_m2 = 0.5;
};

/// What the ground-reaction estimate found over the frames.
struct GroundReactionSummary {
  double floor_height_m = 0.0;
  /// Horizontal velocity of the floor (m/s): the median horizontal velocity of the lowest foot point,
  /// ~0 overground, the belt's velocity on a treadmill (zero when floor_from_motion is false).
  Vec3 floor_velocity_m_s = Vec3::Zero();
  std::vector<int> flight_frames;   ///< no foot planted: no contact force (running's flight phases)
  std::vector<int> no_push_frames;  ///< a foot planted but the required vertical force <= 0: no force
  int supported_frames = 0;         ///< frames whose wrench the planted feet carry exactly
};

/// Fills exercise.loads (one scheduled contact per foot on its calcn body: force, centre of pressure,
/// free torque, planted patch), com_m and base_of_support_m from exercise.motion, qdot and qddot:
/// inverse dynamics with no external load gives the wrench the environment must supply (as the
/// exercise generator does), distribute_wrench splits it over the planted feet. Frames without a
/// planted foot or with a required vertical force <= 0 get no contact force (listed in the summary;
/// their wrench is left to the pelvis residual).
GroundReactionSummary estimate_ground_reactions(const Model& model, GeneratedExercise& exercise,
                                                const FootContactOptions& options = {});

struct RecordedMotionOptions {
  double cutoff_hz = 6.0;  ///< low-pass cutoff of the coordinates (Hz, OpenSim's default); <= 0: none
  FootContactOptions contacts;
  Side side = Side::Right;  ///< the leg the analysis reports
  /// Coordinates every recording must supply (independent coordinates missing from the file throw).
  std::vector<std::string> required_coordinates = {
      "pelvis_tilt",     "pelvis_list",    "pelvis_rotation", "pelvis_tx",
      "pelvis_ty",       "pelvis_tz",      "hip_flexion_r",   "hip_adduction_r",
      "hip_rotation_r",  "knee_angle_r",   "ankle_angle_r",   "hip_flexion_l",
      "hip_adduction_l", "hip_rotation_l", "knee_angle_l",    "ankle_angle_l"};
  /// Static frames: the whole-body centre of mass slower than static_com_speed_m_s throughout
  /// +-static_window_s.
  double static_com_speed_m_s = 0.03;
  double static_window_s = 0.10;
};

/// A recorded repetition with what the ground-reaction estimate found.
struct RecordedExercise {
  GeneratedExercise exercise;
  GroundReactionSummary ground;  ///< empty lists when measured reactions were given
  bool measured_ground_reactions = false;
};

/// A recorded motion (read for `model` by read_motion; `source` names it in messages) as a
/// GeneratedExercise: filtered coordinates and their spline speeds/accelerations, foot contacts and
/// ground reactions estimated from the motion. Throws InputError naming `source` (and the column) for
/// a motion without frames, with non-finite values, without a required coordinate or too short for
/// the filter; std::invalid_argument for a model without the foot bodies.
RecordedExercise recorded_exercise(const Model& model, const Motion& motion,
                                   const std::filesystem::path& source,
                                   const RecordedMotionOptions& options = {});

/// As recorded_exercise, with the ground reactions of an OpenSim ExternalLoads file (force plates)
/// instead of the estimate: each ExternalForce becomes one load, expressed in ground.
RecordedExercise recorded_exercise_with_loads(const Model& model, const Motion& motion,
                                              const std::filesystem::path& source,
                                              const std::filesystem::path& external_loads_xml,
                                              const RecordedMotionOptions& options = {});

/// read_motion + recorded_exercise (or recorded_exercise_with_loads when external_loads_xml is not
/// empty).
RecordedExercise read_recorded_exercise(const Model& model, const std::filesystem::path& motion_file,
                                        const RecordedMotionOptions& options = {},
                                        const std::filesystem::path& external_loads_xml = {});

}  // namespace glutelab
