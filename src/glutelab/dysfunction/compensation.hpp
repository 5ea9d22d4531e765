// Compensation for weak or inhibited muscles: one generated exercise analysed for the healthy body and
// for the same body with impairments (the same motion and external loads), compared muscle by muscle
// and group by group: which muscles take over and by how much, who carries the hip's extension and
// abduction moments, the load on the lower back, the knee and the hip (magnitude and direction), and
// whether the impaired body can still do the exercise without reserves. Also the inverse question: how
// weak can a muscle or group become before the exercise is no longer possible. See docs/dysfunction.md.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "glutelab/dysfunction/impairment.hpp"
#include "glutelab/exercise/exercise.hpp"
#include "glutelab/exercise/work_analysis.hpp"
#include "glutelab/model/model.hpp"

namespace glutelab {

/// One figure for the healthy body and for the impaired one.
struct Comparison {
  double baseline = 0.0, impaired = 0.0;
  double change() const { return impaired - baseline; }
  /// change / |baseline| (0.25: 25 % more); 0 when both are 0, NaN when only the baseline is 0.
  double relative_change() const;
};

/// One muscle (any side): its capacity in the impaired body and its activation and force.
struct MuscleChange {
  std::string name, group;
  double strength = 1.0, activation_ceiling = 1.0;  ///< as applied (1 and 1: not impaired)
  Comparison peak_activation, mean_activation, peak_force_n, mean_force_n;
  bool impaired() const { return strength != 1.0 || activation_ceiling != 1.0; }
};

/// One plain-language group of work_groups() on the working side (activation weighted by each body's
/// own maximum isometric forces, force summed), with its share of the hip extension and abduction
/// moments (MomentShare::group_share).
struct GroupChange {
  std::string group;
  Comparison peak_activation, mean_activation, peak_force_n, mean_force_n;
  Comparison hip_extension_share, hip_abduction_share;
};

/// Who carries one hip action (MomentShare) in both bodies: the gluteal compartments, hamstrings,
/// adductor magnus, other muscles and the reserve, and the same moment by group.
struct ShareChange {
  std::string action, coordinate;
  /// The shares are fractions of a small net moment in that body (MomentShare::dominated_by_cocontraction).
  bool baseline_cocontraction = false, impaired_cocontraction = false;
  Comparison impulse_nms;
  std::vector<std::pair<std::string, Comparison>> contributors, groups;
  Comparison contributor(const std::string& name) const;  ///< zeros for an unknown name
  Comparison group(const std::string& name) const;        ///< zeros for an unknown name
};

/// The working-side hip contact force at its peak, with its direction in the pelvis's axes. The force is
/// the pelvis's push on the femoral head; its components are named anatomically for the working side.
struct HipContactPeak {
  double peak_bw = 0.0, time_s = 0.0;
  double anterior_bw = 0.0, superior_bw = 0.0, medial_bw = 0.0;  ///< components at the peak
  /// Angles of the force from straight down (the pelvis's -y axis): in the frontal plane, positive when
  /// it points medially; in the sagittal plane, positive when it points anteriorly (degrees).
  double frontal_angle_deg = 0.0, sagittal_angle_deg = 0.0;
};

/// The peak hip contact force of a report and its direction (zeros for a report without one).
HipContactPeak hip_contact_peak(const ExerciseWorkReport& report);

/// What to compare and when an exercise counts as impossible.
struct CompensationOptions {
  ExerciseWorkOptions work;  ///< static optimization settings, as for analyze_exercise_work
  /// The exercise is not possible when the reserves carry more than this fraction of a joint's peak
  /// moment (ExerciseWorkReport::max_reserve_fraction), or when static optimization fails on a frame.
  double max_reserve_fraction = 0.05;
  /// Called after each analysis (done, total): 2 for compare_compensation.
  std::function<void(int done, int total)> progress;
};

/// Whether a body could do the analysed exercise (see CompensationOptions::max_reserve_fraction); when
/// not, `why` (if given) says which coordinate needs how much reserve, or how many frames failed.
bool exercise_possible(const ExerciseWorkReport& report, double max_reserve_fraction,
                       std::string* why = nullptr);

/// The healthy baseline against the impaired body, for one exercise.
struct CompensationReport {
  std::string exercise, display_name;
  Side side = Side::Right;  ///< the working side the groups and shares describe
  std::vector<MuscleImpairment> impairments;
  ExerciseWorkReport baseline, impaired;  ///< the two analyses
  /// Every muscle of the model, the largest gain in mean force first (who takes over), the largest
  /// loss last (usually the impaired muscles).
  std::vector<MuscleChange> muscles;
  std::vector<GroupChange> groups;  ///< work_groups(), sorted like `muscles`
  ShareChange hip_extension, hip_abduction;
  /// Lower back: force of the erector spinae (both sides added), and the lumbar extension moment the
  /// muscles produce (+ extension), peak over the repetition.
  Comparison erector_spinae_peak_force_n, erector_spinae_mean_force_n;
  Comparison lumbar_extension_muscle_peak_nm;
  /// Knee: peak joint reaction force on the tibia (body weights) and peak frontal-plane moment (N m).
  Comparison knee_reaction_peak_bw, knee_frontal_moment_peak_nm;
  /// Hip: peak contact force and its direction in both bodies; the angle between the two directions.
  HipContactPeak baseline_hip_contact, impaired_hip_contact;
  double hip_contact_direction_change_deg = 0.0;
  /// Largest reserve as a fraction of its coordinate's peak moment, and whose.
  Comparison max_reserve_fraction;
  std::string baseline_reserve_coordinate, impaired_reserve_coordinate;
  double max_reserve_threshold = 0.05;  ///< CompensationOptions::max_reserve_fraction
  bool baseline_possible = true, impaired_possible = true;
  std::string baseline_why_not, impaired_why_not;             ///< empty when possible
  double seconds = 0.0;                                       ///< wall time, both analyses included
  const MuscleChange* muscle(const std::string& name) const;  ///< nullptr for an unknown name
  const GroupChange* group(const std::string& name) const;    ///< nullptr for an unknown name
};

/// Analyses `exercise` (generated for `model`) with the healthy model and with
/// apply_impairments(model, impairments), and compares them. With no impairment (or only factors of 1)
/// the two analyses are identical and every change is exactly 0. Throws std::invalid_argument for a bad
/// impairment (impaired_muscles) or a bad reserve threshold (outside (0, 1)).
CompensationReport compare_compensation(const Model& model, const GeneratedExercise& exercise,
                                        std::span<const MuscleImpairment> impairments,
                                        const CompensationOptions& options = {});

/// The comparison of two analyses already made: `impaired` of apply_impairments(model, impairments),
/// `baseline` of `model`, both of the same exercise.
CompensationReport compensation_report(const Model& model, ExerciseWorkReport baseline,
                                       ExerciseWorkReport impaired,
                                       std::span<const MuscleImpairment> impairments,
                                       double max_reserve_fraction = 0.05);

/// Which capacity the inverse search lowers.
enum class WeaknessKind { Strength, ActivationCeiling };
std::string to_string(WeaknessKind kind);  ///< "strength", "activation ceiling"

struct WeakestFeasibleOptions {
  CompensationOptions compensation;
  double tolerance = 0.01;  ///< width of the final bracket of factors, (0, 0.5]
  /// Impairments held fixed during the search (added to the searched ones).
  std::vector<MuscleImpairment> background;
};

/// The weakest factor with which the exercise is still possible.
struct WeakestFeasible {
  std::vector<MuscleImpairment> targets;  ///< the muscles and groups searched (their factors unused)
  WeaknessKind kind = WeaknessKind::Strength;
  double tolerance = 0.01;
  /// The lowest factor found possible (every target at this strength or ceiling) and the highest found
  /// impossible just below it: feasible_factor - infeasible_factor <= tolerance. When the exercise is
  /// possible even at factor 0, feasible_factor is 0 and infeasible_factor is NaN; when it is not
  /// possible at factor 1 (the body cannot do it even unimpaired), infeasible_factor is 1 and
  /// feasible_factor NaN.
  double feasible_factor = 0.0, infeasible_factor = 0.0;
  bool possible_at_zero = false, impossible_at_full = false;
  /// At infeasible_factor: the coordinate whose reserve is largest, its fraction, and why it is not possible.
  std::string limiting_coordinate;
  double limiting_reserve_fraction = 0.0;
  std::string why_not;
  /// The compensation at feasible_factor (at factor 1 when impossible at full): what takes over.
  CompensationReport at_limit;
  int analyses = 0;  ///< exercise analyses run
  double seconds = 0.0;
};

/// Bisection on one factor applied to every target (strength or activation ceiling; the other capacity
/// left at 1), with `options.background` held fixed, for the weakest factor with which `exercise` is
/// still possible (exercise_possible). Assumes that weaker is never easier. Throws std::invalid_argument
/// for no target, a bad target name or side, or a tolerance outside (0, 0.5].
WeakestFeasible weakest_feasible_strength(const Model& model, const GeneratedExercise& exercise,
                                          std::span<const MuscleImpairment> targets, WeaknessKind kind,
                                          const WeakestFeasibleOptions& options = {});

}  // namespace glutelab
