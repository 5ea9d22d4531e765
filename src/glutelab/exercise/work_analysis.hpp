// "Who does the work" in one generated exercise repetition: static optimization (physiological mode)
// with the exercise's external loads and a 1 N m reserve on every free coordinate, inverse dynamics and
// joint reactions, summarised per muscle and per plain-language group, with the share of the hip
// extension, abduction and external-rotation moments each gluteal compartment carries, the extensor
// work split over hip / knee / ankle / lower back, the hip contact force in body weights and the knee's
// frontal-plane moment. See docs/exercises.md ("Who does the work").
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "glutelab/exercise/exercise.hpp"
#include "glutelab/model/model.hpp"

namespace glutelab {

struct ExerciseWorkOptions {
  double exponent = 2.0;                  ///< static optimization's activation exponent
  double reserve_optimal_force_nm = 1.0;  ///< reserve CoordinateActuators (unbounded controls)
  int threads = 0;                        ///< 0: all cores
  int tendon_iterations = 4;
  /// MomentShare counts a frame only when the net moment in the action's direction exceeds this (N m),
  /// so that shares of a near-zero moment (a few tenths of a N m) do not blow up.
  double min_share_moment_nm = 1.0;
};

/// The plain-language groups summarised, in report order.
const std::vector<std::string>& work_groups();

struct MuscleWorkSummary {
  std::string name, group;
  double peak_activation = 0.0, mean_activation = 0.0;
  double peak_force_n = 0.0, mean_force_n = 0.0;
};

/// A group on the working side. Its activation per frame is the mean of its muscles' activations
/// weighted by their maximum isometric forces; its force is the sum of their forces.
struct GroupWorkSummary {
  std::string group;
  std::vector<std::string> muscles;
  double peak_activation = 0.0, mean_activation = 0.0;
  double peak_force_n = 0.0, mean_force_n = 0.0;
  double hip_extension_share = 0.0;  ///< of MomentShare hip_extension (0 for groups that do not span it)
};

/// Who carries one joint action on the working side. The frames counted are those where the net
/// inverse-dynamics moment of `coordinate` points in the action's direction (`sign` x moment >
/// ExerciseWorkOptions::min_share_moment_nm). In
/// those frames each muscle's moment about the coordinate (moment arm x force, passive included) is
/// taken positive when it acts in that direction (an antagonist's contribution is negative), summed over
/// the frames, and divided by the sum of the net moment over the same frames (`impulse_nms` / dt).
/// Contributors: the gluteal compartments glmax1-3, glmed1-3, glmin1-3, "hamstrings", "adductor magnus",
/// "other muscles" and "reserve"; their shares add to 1 up to the difference between static
/// optimization's and inverse dynamics' accelerations (`contributors_sum`).
struct MomentShare {
  std::string action;        ///< "hip extension"
  std::string coordinate;    ///< "hip_flexion_r"
  int sign = -1;             ///< the action's direction along the coordinate
  int frames = 0;            ///< frames with the net moment in that direction
  double impulse_nms = 0.0;  ///< integral of |net moment| over those frames
  /// Integral of the muscles' moments in the action's direction alone (agonists, antagonists left out)
  /// over the same frames. Much larger than impulse_nms means the antagonists cancel most of it.
  double agonist_impulse_nms = 0.0;
  /// True when there is no net moment in the action's direction, or the agonists produce more than three
  /// times it (co-contraction): the shares, fractions of a small difference, then exceed 100 % and say
  /// little about who does the work.
  bool dominated_by_cocontraction() const {
    return !(impulse_nms > 0.0) || agonist_impulse_nms > 3.0 * impulse_nms;
  }
  std::vector<std::pair<std::string, double>> contributors;
  double contributors_sum = 0.0;
  std::vector<std::pair<std::string, double>> by_group;  ///< the same moment by work_groups() (+ others)
  double share_of(const std::string& contributor) const;
  double group_share(const std::string& group) const;
};

/// Positive work of a joint's extensors: integral over time of max(0, tau qdot) over the frames where
/// the inverse-dynamics moment tau is extensor (hip: -hip_flexion, knee: -knee_angle, ankle: plantar
/// flexion -ankle_angle, lower back: +lumbar_extension), both legs added.
struct JointWork {
  std::string joint;  ///< "hip", "knee", "ankle", "lower back"
  double positive_work_j = 0.0;
  double fraction = 0.0;  ///< of the total extensor work
};

struct ExerciseWorkReport {
  std::string exercise, display_name;
  Side side = Side::Right;  ///< the working side analysed (right for bilateral exercises)
  double body_mass_kg = 0.0, load_kg = 0.0;
  std::vector<double> time_s;
  std::vector<std::string> muscle_names;  ///< every muscle, model order
  Eigen::MatrixXd activation, force;      ///< frames x muscles
  std::vector<std::string> group_names;   ///< work_groups()
  Eigen::MatrixXd group_activation;       ///< frames x groups (working side)
  std::vector<MuscleWorkSummary> muscles;
  std::vector<GroupWorkSummary> groups;  ///< work_groups() order
  MomentShare hip_extension, hip_abduction, hip_external_rotation, knee_extension;
  std::vector<JointWork> extensor_work;  ///< hip, knee, ankle, lower back
  double extensor_work_total_j = 0.0;
  Eigen::VectorXd hip_contact_bw;  ///< working-side hip, per frame
  double peak_hip_contact_bw = 0.0, peak_hip_contact_time_s = 0.0;
  /// Peak |frontal-plane knee moment| (N m) on the working side. The model's walker knee has no
  /// adduction coordinate, so this is the knee joint's reaction moment on the tibia about the tibia's
  /// anteroposterior (x) axis: the frontal-plane moment the joint structures (not the muscles) carry.
  double peak_knee_frontal_moment_nm = 0.0;
  std::string knee_frontal_moment_source;
  /// The same working-side hip contact force in the pelvis's axes (x anterior, y superior, z to the
  /// right), body weights, frames x 3: its direction relative to the pelvis.
  Eigen::MatrixXd hip_contact_pelvis_bw;
  /// Magnitude of the working-side knee joint's reaction force on the tibia, body weights, per frame
  /// (empty when the model has no walker_knee/knee joint), and its peak.
  Eigen::VectorXd knee_reaction_bw;
  double peak_knee_reaction_bw = 0.0;
  /// Lumbar extension moment (N m, + extension) per frame: the inverse-dynamics moment, and the part
  /// the muscles produce (moment arm x force summed over every muscle, antagonists negative). Empty
  /// when the model has no lumbar_extension coordinate.
  Eigen::VectorXd lumbar_extension_moment_nm, lumbar_extension_muscle_moment_nm;
  int frames = 0, converged_frames = 0;
  /// Largest ratio peak |reserve| / peak |net moment| over the non-pelvis coordinates whose peak net
  /// moment is at least 5 N m, its coordinate and the reserve's peak (N m).
  double max_reserve_fraction = 0.0;
  std::string max_reserve_coordinate;
  double max_reserve_nm = 0.0;
  /// Per non-pelvis coordinate with a peak net moment of at least 5 N m: peak |reserve| / peak |net moment|.
  std::vector<std::pair<std::string, double>> reserve_fractions;
  double reserve_fraction(const std::string& coordinate) const;
  double max_pelvis_residual = 0.0;  ///< peak |pelvis reserve| (N or N m)
  double seconds = 0.0;              ///< wall time of the analysis
};

/// Analyses one repetition. `model` is the model the exercise was generated for (reserves are added to
/// a copy). Throws std::invalid_argument for a model without the glutelab/Rajagopal names it needs.
ExerciseWorkReport analyze_exercise_work(const Model& model, const GeneratedExercise& exercise,
                                         const ExerciseWorkOptions& options = {});

/// A muscle name ("glmax1_r", or "glmax1" for the working side) or a group of work_groups() (spaces or
/// underscores, any case: "gluteus_maximus"), normalised: the group name, or the muscle's name. Throws
/// std::invalid_argument for anything else, with the closest name by edit distance.
std::string resolve_muscle_or_group(const Model& model, const std::string& name);

/// The activation of a muscle or group (as resolve_muscle_or_group accepts) in a report: peak and mean.
std::pair<double, double> peak_and_mean_activation(const ExerciseWorkReport& report,
                                                   const std::string& muscle_or_group);

/// One exercise to generate and analyse.
struct ExerciseJob {
  std::string exercise;
  ExerciseParameters parameters;
};

/// The analyses of several exercises for one body.
struct ExerciseLibraryAnalysis {
  std::vector<ExerciseWorkReport> reports;                   ///< in job order, skipped jobs left out
  std::vector<std::pair<std::string, std::string>> skipped;  ///< exercise, why it could not be generated
  double seconds = 0.0;                                      ///< wall time
};

/// Generates and analyses every job for `model`, the jobs spread over options.threads workers (0: all
/// cores), each analysis single-threaded (parallel jobs use the cores better than parallel frames: the
/// generation, inverse dynamics and joint reactions of a job are serial). A job whose exercise cannot be
/// generated for this body (std::invalid_argument or std::runtime_error from generate_exercise) is listed
/// in `skipped`; other errors propagate. `progress(done, total)` is called as jobs finish (any thread).
ExerciseLibraryAnalysis analyze_exercises(const Model& model, const std::vector<ExerciseJob>& jobs,
                                          const ExerciseWorkOptions& options = {},
                                          const std::function<void(int done, int total)>& progress = {});

enum class RankBy { Mean, Peak };

struct ExerciseRank {
  std::string exercise, display_name;
  double mean_activation = 0.0, peak_activation = 0.0;
};

/// Exercises ordered by the muscle's or group's activation (highest first), from reports.
std::vector<ExerciseRank> rank_exercises(const std::vector<ExerciseWorkReport>& reports,
                                         const std::string& muscle_or_group, RankBy by = RankBy::Mean);

/// Analyses every exercise and ranks them (for the body `model` is scaled to).
std::vector<ExerciseRank> rank_exercises(const Model& model, const std::vector<GeneratedExercise>& exercises,
                                         const std::string& muscle_or_group, RankBy by = RankBy::Mean,
                                         const ExerciseWorkOptions& options = {});

}  // namespace glutelab
