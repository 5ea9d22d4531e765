// Tight (adaptively shortened) hip flexors: iliacus, psoas, rectus femoris and tensor fasciae latae with
// their optimal fiber length reduced by a fraction (fewer sarcomeres in series), so that their passive
// tension rises earlier in hip extension, optionally with the glutes inhibited (an activation ceiling
// through apply_impairments). What it costs, against the healthy body: the extra hip-extension moment in
// bridges, hip thrusts and standing (the posture held), the loss of end-range hip extension in a
// Thomas-test-like end point, and the lumbar extension that keeps the trunk in place when the hip is
// spared the stretch instead. See docs/dysfunction.md ("Tight hip flexors").
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "glutelab/dysfunction/impairment.hpp"
#include "glutelab/exercise/exercise.hpp"
#include "glutelab/exercise/work_analysis.hpp"
#include "glutelab/kinematics/state.hpp"
#include "glutelab/model/model.hpp"
#include "glutelab/muscle/muscle_model.hpp"
#include "glutelab/muscle/muscle_path.hpp"

namespace glutelab {

/// The shortened muscles without side suffix: iliacus, psoas, recfem, tfl. Sartorius is left out: a
/// weak flexor (about a quarter of TFL's force) with a long fiber that a clinical Thomas test does not
/// single out.
const std::vector<std::string>& tight_hip_flexor_names();

/// Model indices of the tight_hip_flexor_names() muscles on a side (both: right then left per name).
/// Throws std::invalid_argument when the model lacks one of them.
std::vector<int> tight_hip_flexor_muscles(const Model& model, BodySide side);

/// The largest shortening accepted (30 % of the optimal fiber length).
inline constexpr double kMaxFlexorShortening = 0.30;

/// A copy of `model` whose hip flexors on `side` have their optimal fiber length times (1 - shortening):
/// adaptive shortening is a loss of serial sarcomeres in the fibers, the tendon is left as it is (the
/// same fraction of rectus femoris's 0.45 m tendon would be 4.5 cm per 10 %). The fiber's passive
/// tension then starts l_opt s cos(alpha_opt) earlier and rises over a shorter fiber. Maximum force,
/// pennation angle at optimal length and the normalized maximum speed are kept. shortening 0 returns an
/// identical copy. Throws std::invalid_argument for a shortening outside [0, kMaxFlexorShortening] or
/// not finite.
Model shorten_hip_flexors(const Model& model, double shortening, BodySide side = BodySide::Both);

/// Passive force (N, along the tendon) of a relaxed muscle at a musculotendon length, at rest: elastic
/// tendon in static equilibrium at the minimum activation (0.01), passive fiber force x cos(pennation);
/// rigid tendon: F0 f_PE cos(alpha).
double resting_passive_force_n(const MuscleParameters& p, double mt_length_m);

/// Evaluates the summed passive moment of a set of muscles about one coordinate (moment arm x resting
/// passive force, N m, positive along the coordinate) at poses. Holds its own State and path workspace:
/// one per thread.
class PassiveMomentProbe {
 public:
  PassiveMomentProbe(const Model& model, std::vector<int> muscles, int coordinate);
  /// The moment at coordinates `q` (all model coordinates, SI).
  double moment_nm(const Eigen::VectorXd& q);
  /// The moment with the exact moment arms replaced by central differences of the path lengths,
  /// -(L(q + h) - L(q - h)) / 2h along the coordinate: an independent check of moment_nm.
  double moment_by_length_differences_nm(const Eigen::VectorXd& q, double step_rad = 1e-6);

 private:
  const Model* model_;
  std::vector<int> muscles_;
  int coordinate_;
  std::vector<MuscleParameters> params_;
  State state_;
  PathWorkspace ws_;
  Eigen::VectorXd arms_;
};

/// A Thomas-test-like end point (the modified Thomas test: lying supine with the pelvis held, the tested
/// thigh hangs relaxed over the table edge, the knee flexed; the hip extends until the hip flexors'
/// passive moment balances the leg's weight). The end point is the hip flexion angle (relative to the
/// pelvis, negative: extension) where the flexors' passive moment equals the gravitational moment of
/// the thigh, shank and foot about the hip, with gravity along the pelvis's posterior axis (the pelvis
/// lying level) and the knee at `knee_flexion_rad` (Kendall: about 80 deg when the flexors are of
/// normal length).
struct ThomasTestOptions {
  double knee_flexion_rad = 80.0 * 3.14159265358979323846 / 180.0;
  BodySide side = BodySide::Right;  ///< Right or Left
};

struct ThomasTestResult {
  double end_hip_flexion_rad = 0.0;  ///< negative: hip extension reached
  double leg_moment_nm = 0.0;        ///< the leg's gravitational moment there (= the passive moment)
  /// The end point lies beyond the hip flexion coordinate's range (a hip joint capsule, not modelled,
  /// would stop the leg there first). The balance is searched down to 10 deg past the range minimum (the
  /// search bound is returned when the flexors do not hold the leg even there) and up to 60 deg of flexion;
  /// further out the model's muscle paths are not meant to be used (their moment arms jump).
  bool outside_range = false;
};

/// The end point for `model` (the flexors as they are in it). Throws std::invalid_argument for a side
/// Both or a knee angle outside the knee coordinate's range.
ThomasTestResult thomas_test(const Model& model, const ThomasTestOptions& options = {});

/// The passive moment (N m, flexing) of the tight_hip_flexor_muscles of one side about its hip flexion
/// at each hip flexion angle, the other coordinates at their defaults and the knee at `knee_flexion_rad`.
std::vector<double> passive_flexor_moment_curve(const Model& model, BodySide side,
                                                const std::vector<double>& hip_flexion_rad,
                                                double knee_flexion_rad);

/// The motion with the hip's extension handed over to the lower back. At the frame of greatest
/// working-hip extension ("top") d_top is the smallest extra hip flexion (both hips) at which the tight
/// flexors' passive moment about the working hip is no higher than the healthy flexors' in the original
/// pose; every frame takes d = d_top times its fraction of the hip's excursion from the first frame to the
/// top (1 throughout an isometric hold). The pelvis tilts anteriorly by d (pelvis_tilt - d) about the hip
/// centres (the pelvis translation keeps their midpoint), lumbar_extension + d keeps the trunk's
/// orientation, the thighs keep theirs. Every external load keeps its point on its body (the upper-back
/// contact moves with the trunk, a barbell on the hips turns with the pelvis), forces and torques as they
/// were. Speeds and accelerations get the central differences of the change. `lumbar_shift_rad` (if not
/// null) receives d per frame. Needs the glutelab/Rajagopal coordinate names.
GeneratedExercise compensate_with_lumbar_extension(const Model& healthy, const Model& tight,
                                                   const GeneratedExercise& exercise,
                                                   std::vector<double>* lumbar_shift_rad = nullptr);

/// What the simulation does.
struct TightFlexorOptions {
  std::vector<double> shortening{0.0, 0.05, 0.10, 0.15, 0.20};  ///< levels, each in [0, 0.3]
  /// Gluteus maximus, medius and minimus (both sides) activation ceiling in the tight body, [0, 1];
  /// 1: no inhibition.
  double glute_activation_ceiling = 1.0;
  /// Exercises ("standing" is standing_glute_squeeze); default glute_bridge, hip_thrust, standing.
  std::vector<std::string> exercises{"glute_bridge", "hip_thrust", "standing_glute_squeeze"};
  ExerciseParameters parameters;  ///< depth, load, frames, tempo of every exercise
  ExerciseWorkOptions work;       ///< static optimization; `threads` = analyses run at once
  ThomasTestOptions thomas;
  /// Hip flexion angles (rad) of the passive moment curves; empty: -30 to +30 deg every 2.5 deg.
  std::vector<double> curve_hip_flexion_rad;
  /// Called after each analysis (any thread, one call at a time): done, total.
  std::function<void(int done, int total)> progress;
};

/// Per frame of one exercise at one shortening level (working-side hip).
struct TightFlexorSeries {
  std::vector<double> time_s;
  std::vector<double> hip_flexion_rad;           ///< as prescribed
  std::vector<double> passive_flexor_moment_nm;  ///< tight flexors, prescribed posture
  std::vector<double> extensor_moment_nm;        ///< SO: hip extensors' moment, prescribed posture
  std::vector<double> lumbar_shift_rad;          ///< compensated posture
  std::vector<double> erector_spinae_force_n;    ///< SO, compensated posture (both sides)
};

/// One exercise at one shortening level, against the healthy body (same exercise, same frames). "Top"
/// is the frame of greatest working-hip extension in the prescribed motion.
struct TightFlexorExerciseResult {
  std::string exercise, display_name;
  double shortening = 0.0;
  int top_frame = 0;
  double top_hip_flexion_rad = 0.0;
  // (a) the posture held: the hip extensors pay.
  double passive_flexor_moment_top_nm = 0.0;          ///< tight (N m, flexing)
  double healthy_passive_flexor_moment_top_nm = 0.0;  ///< healthy
  double extra_passive_moment_top_nm = 0.0;           ///< tight - healthy at the top
  double peak_extra_passive_moment_nm = 0.0;          ///< largest tight - healthy over the repetition
  double extensor_moment_top_nm = 0.0;                ///< SO, tight: sum of -r F over hip extensors
  double healthy_extensor_moment_top_nm = 0.0;
  double extra_extensor_moment_top_nm = 0.0;  ///< tight - healthy
  /// Working-side group activations at the top (force-weighted, as the work report's groups).
  double gluteus_maximus_activation_top = 0.0, healthy_gluteus_maximus_activation_top = 0.0;
  double hamstrings_activation_top = 0.0, healthy_hamstrings_activation_top = 0.0;
  double adductors_activation_top = 0.0, healthy_adductors_activation_top = 0.0;
  /// Peak |reserve| / peak |net moment| of the working hip flexion (tight, posture held).
  double hip_reserve_fraction = 0.0;
  int converged_frames = 0, frames = 0;
  // (c) the hip spared: the lower back pays.
  double lumbar_extension_added_top_rad = 0.0;  ///< also the pelvis's anterior tilt
  double peak_lumbar_extension_added_rad = 0.0;
  double erector_spinae_force_top_n = 0.0;  ///< compensated, both sides
  double healthy_erector_spinae_force_top_n = 0.0;
  /// Working-side erector spinae activation at the top, compensated and healthy.
  double erector_spinae_activation_top = 0.0, healthy_erector_spinae_activation_top = 0.0;
  double erector_spinae_moment_top_nm = 0.0;  ///< about lumbar_extension, compensated (both sides)
  double healthy_erector_spinae_moment_top_nm = 0.0;
  double compensated_extensor_moment_top_nm = 0.0;  ///< SO hip extensors in the compensated posture
  /// Peak |pelvis reserve| (N or N m), compensated and healthy: the compensated posture moves the trunk
  /// a little off the contacts the loads were made for.
  double compensated_max_pelvis_residual = 0.0, healthy_max_pelvis_residual = 0.0;
  TightFlexorSeries series;
};

/// One shortening level: the Thomas-test end point and every exercise.
struct TightFlexorLevel {
  double shortening = 0.0;
  ThomasTestResult thomas;
  double end_range_loss_rad = 0.0;       ///< end_hip_flexion - healthy end_hip_flexion (>= 0: less extension)
  std::vector<double> passive_curve_nm;  ///< at TightFlexorReport::curve_hip_flexion_rad
  std::vector<TightFlexorExerciseResult> exercises;
};

struct TightFlexorReport {
  std::vector<std::string> flexor_muscles;  ///< the shortened muscles (names)
  double glute_activation_ceiling = 1.0;
  ExerciseParameters parameters;
  ThomasTestOptions thomas_options;
  ThomasTestResult healthy_thomas;
  std::vector<double> curve_hip_flexion_rad;
  std::vector<double> healthy_curve_nm;
  std::vector<TightFlexorLevel> levels;  ///< in the order given
  double seconds = 0.0;
};

/// "standing" -> "standing_glute_squeeze"; other names as given (checked by generate_exercise).
std::string tight_flexor_exercise_name(const std::string& name);

/// Runs the simulation for `model` (healthy, scaled to the body). Throws std::invalid_argument for a
/// shortening outside [0, 0.3], an activation ceiling outside [0, 1], no level or no exercise, a
/// duplicated exercise, or what generate_exercise rejects (unknown exercise, bad parameters).
TightFlexorReport simulate_tight_hip_flexors(const Model& model, const TightFlexorOptions& options = {});

}  // namespace glutelab
