// The claims report (issue 5, item 5): each quantitative claim of the founding brief, what the model
// computes for it on this run, and a verdict derived from those numbers by a stated rule. run_claims
// simulates what the engine can already say (femur sweep, exercise rankings, abduction moment shares,
// glutes that cannot fire, one weak side); the results of the Trendelenburg, valgus and tight-flexor
// simulations are inputs (ClaimsSimulationInputs) that can be supplied once those simulations exist.
// The published evidence is text from data/evidence/claims.json (claim_evidence.hpp); the HTML page is
// claims_html.hpp. See docs/dysfunction.md ("Claims report").
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "glutelab/exercise/exercise.hpp"
#include "glutelab/exercise/work_analysis.hpp"
#include "glutelab/io/svg_plot.hpp"
#include "glutelab/model/model.hpp"
#include "glutelab/model/scaling.hpp"

namespace glutelab {

/// The four verdicts a claim can get.
enum class Verdict { Supported, NotSupported, Mixed, OutsideModel };

/// "supported", "not supported", "mixed", "outside the model".
std::string to_string(Verdict verdict);

/// One condition of a verdict rule and whether the model's numbers meet it.
struct RuleCheck {
  std::string condition;  ///< "knee share of extensor work > hip share at thigh/shank 1.20"
  bool passed = false;
  std::string measured;  ///< the numbers it was decided on, "knee 41 %, hip 52 %"
};

/// A verdict with its rule and the checks it was derived from.
struct ClaimVerdict {
  Verdict verdict = Verdict::OutsideModel;
  std::string rule;    ///< the rule in words
  std::string reason;  ///< why this verdict, from the checks
  std::vector<RuleCheck> checks;
};

/// The verdict every check-based rule uses: every check passed: supported; none: not supported; some:
/// mixed; no checks at all: outside the model (nothing the model computes bears on the claim).
Verdict verdict_from_checks(const std::vector<RuleCheck>& checks);

/// One number the model computed for a claim.
struct ClaimNumber {
  std::string key;    ///< machine name, unique within the claim ("knee_work_share_r1.20")
  std::string label;  ///< in words
  double value = 0.0;
  std::string
      unit;  ///< "fraction" (0-1, shown as %), "activation" (0-1), "N", "N m", "J", "m", "deg", "count"
};

/// A plot for a claim: a line plot when `series` is not empty, else a bar chart of `bars`.
struct ClaimPlot {
  std::vector<PlotSeries> series;
  PlotOptions line;
  std::vector<PlotBar> bars;
  BarChartOptions bar;
  std::string caption;
};

/// What the model says about one claim: the body, what was simulated, the numbers and plots, the parts
/// that wait for other simulations, what the model cannot say, and the verdict.
struct ClaimEvidenceFromModel {
  std::string body;    ///< the body the numbers are for
  std::string method;  ///< what was simulated
  std::vector<ClaimNumber> numbers;
  std::vector<ClaimPlot> plots;
  std::vector<std::string> pending;  ///< "pending the tight-flexor simulation (...)"
  std::vector<std::string> limits;   ///< what the model cannot say about the claim
  ClaimVerdict verdict;
  const ClaimNumber* number(const std::string& key) const;  ///< nullptr when absent
};

/// One claim of the brief.
struct Claim {
  std::string id;         ///< "squat_quad_dominance"; the key of its evidence in data/evidence/claims.json
  std::string title;      ///< short
  std::string statement;  ///< the claim as the brief states it
  ClaimEvidenceFromModel model;
};

/// The claims in report order: ids and statements.
const std::vector<std::pair<std::string, std::string>>& claim_statements();

// ---------------------------------------------------------------------------------------------------
// Inputs of the verdict rules. run_claims fills them from its analyses; tests and later simulations can
// fill them directly.

/// (a) The squat's femur sweep: one row per thigh-to-shank ratio (a ratio the body cannot do is left out).
struct SquatSweepRow {
  double thigh_to_shank_ratio = 0.0;
  double knee_work_share = 0.0, hip_work_share = 0.0;  ///< of the extensor work (fractions)
  double quadriceps_mean_activation = 0.0, gluteus_maximus_mean_activation = 0.0;
};
struct QuadDominanceInputs {
  std::string exercise = "back_squat";
  std::vector<SquatSweepRow> rows;  ///< ascending ratio
};
/// Checks: at every ratio the knee's share of the extensor work exceeds the hip's; at every ratio the
/// quadriceps' mean activation exceeds gluteus maximus'; at the longest thigh the knee's share is "about
/// 80 %" (70-90 %); the knee's share is at least as large at the longest thigh as at the shortest.
ClaimVerdict verdict_quad_dominance(const QuadDominanceInputs& in);

/// (b) Gluteus maximus activation per exercise.
struct GluteActivation {
  std::string exercise;
  double mean_activation = 0.0, peak_activation = 0.0;
};
struct GluteRankingInputs {
  GluteActivation squat;                ///< the back squat
  std::vector<GluteActivation> hinges;  ///< deadlifts, kettlebell swing
  std::vector<GluteActivation> lunges;  ///< lunges, split squat
  std::vector<GluteActivation> others;  ///< shown, not judged (hip thrust, bridges...)
};
/// Checks, one per hinge and lunge: its mean and peak gluteus maximus activation both exceed the squat's.
ClaimVerdict verdict_glute_ranking(const GluteRankingInputs& in);

/// (c) The share of the hip-abduction moment gluteus medius and minimus carry in one exercise.
struct AbductionShare {
  std::string exercise;
  double medius_minimus_share = 0.0;  ///< of the hip-abduction moment (fraction)
  double medius_share = 0.0, minimus_share = 0.0;
  bool meaningful = false;  ///< the hip needs abduction moment and co-contraction does not dominate it
};
/// The Trendelenburg simulation's result (item 2), to be supplied by it: pelvic drop and trunk lean per
/// stance-side abductor strength.
struct TrendelenburgSummary {
  std::vector<double> abductor_strength;  ///< factors, descending from 1
  std::vector<double> pelvic_drop_m;  ///< at the iliac crest of the swing side; NaN: no such posture holds
  std::vector<double>
      trunk_lean_deg;  ///< towards the stance side, beyond healthy; NaN: no such posture holds
  std::optional<double> visible_drop_strength;  ///< strength at which the drop exceeds 2 cm, if any
};
/// The valgus simulation's result (item 3), to be supplied by it: per abductor/external-rotator strength.
struct ValgusSummary {
  std::vector<double> strength;
  std::vector<double> hip_adduction_change_deg, hip_internal_rotation_change_deg;
  std::vector<double> knee_frontal_moment_change_nm;
};
struct MediusInputs {
  std::vector<AbductionShare> exercises;
  std::optional<TrendelenburgSummary> trendelenburg;
  std::optional<ValgusSummary> valgus;
};
/// Checks: in each exercise with a meaningful share, medius and minimus carry more than half of the
/// hip-abduction moment; with a Trendelenburg result: weaker abductors give a visible pelvic drop (> 2 cm)
/// or a trunk lean (> 5 deg) somewhere in the range simulated; with a valgus result: at the weakest level
/// the hip adducts or rotates internally more, or the knee's frontal-plane moment grows.
ClaimVerdict verdict_medius(const MediusInputs& in);

/// (d) The tight-flexor simulation's result (item 4; simulate_tight_hip_flexors, tight_hip_flexors.hpp).
struct TightFlexorRow {
  std::string exercise;
  /// Gluteus maximus activation (working side, force-weighted) at the top of the exercise (greatest hip
  /// extension), healthy and with the hip flexors shortened.
  double gluteus_maximus_healthy = 0.0, gluteus_maximus_tight = 0.0;
  double extra_hip_extension_moment_nm = 0.0;  ///< the hip extensors' extra moment at the top
  double lumbar_extension_added_deg = 0.0;     ///< when the hip is spared the stretch instead
};
struct TightFlexorSummary {
  double shortening = 0.0;  ///< of the flexors' optimal fiber length
  std::vector<TightFlexorRow> exercises;
  double end_range_hip_extension_loss_deg = 0.0;
  double lumbar_extension_shift_deg = 0.0;
};
struct TightFlexorInputs {
  std::optional<TightFlexorSummary> simulation;  ///< empty until the tight-flexor simulation exists
};
/// Without the simulation: outside the model (a muscle model has no reciprocal inhibition; the mechanical
/// part is pending). With it, one check per exercise: gluteus maximus' activation at the top is lower with
/// tight flexors than healthy (the glutes "switch off").
ClaimVerdict verdict_tight_flexors(const TightFlexorInputs& in);

/// (e) Gluteal amnesia: group forces with the glutes unable to fire, against the healthy body.
struct CompensationRow {
  std::string exercise;
  /// Mean force (N) on the working side, healthy and with the glutes capped, per group: "hamstrings",
  /// "adductor magnus", "lower back", "quadriceps", "gluteus maximus".
  std::vector<std::pair<std::string, std::pair<double, double>>> mean_force_n;
  std::pair<double, double> force(const std::string& group) const;  ///< {healthy, capped}; {0, 0} if absent
};
struct AmnesiaInputs {
  std::vector<CompensationRow> exercises;
  double min_relative_increase = 0.05;   ///< a group "takes over" when its mean force rises by more than this
  double min_absolute_increase_n = 5.0;  ///< ... and by more than this many newtons
};
/// Checks, one per group the claim names (hamstrings, lower back, quadriceps): its mean force rises (by
/// more than both thresholds) in every exercise.
ClaimVerdict verdict_amnesia(const AmnesiaInputs& in);

/// (f) Side-to-side weakness: peak gluteal activation (demand over capacity) of each side with one side's
/// glutes weakened.
struct SideDemand {
  std::string exercise;
  bool unilateral = false;
  double weak_side_peak = 0.0, strong_side_peak = 0.0;  ///< peak activation of the side's glutes
  double healthy_peak = 0.0;                            ///< the same side, nobody weakened
  double difference() const { return weak_side_peak - strong_side_peak; }
};
struct AsymmetryInputs {
  SideDemand bilateral;  ///< the back squat
  std::vector<SideDemand> single_leg;
};
/// Checks, one per single-leg exercise: its side-to-side difference in peak gluteal activation exceeds
/// the bilateral squat's.
ClaimVerdict verdict_asymmetry(const AsymmetryInputs& in);

/// (g) Spot reduction: regional fat changes, if a model of them ever exists.
struct SpotReductionInputs {
  /// Fat lost (kg) near the trained muscles and elsewhere; empty: the model has no fat tissue.
  std::optional<double> trained_region_fat_loss_kg, other_regions_fat_loss_kg;
};
/// Without regional fat figures: outside the model. With them, one check: the trained region loses no
/// more fat than the other regions (fat loss is not targeted).
ClaimVerdict verdict_spot_reduction(const SpotReductionInputs& in);

/// What the Trendelenburg, valgus and tight-flexor simulations will supply (issue 5, items 2-4). Empty:
/// the claims they feed say "pending the ... simulation".
struct ClaimsSimulationInputs {
  std::optional<TrendelenburgSummary> trendelenburg;
  std::optional<ValgusSummary> valgus;
  std::optional<TightFlexorSummary> tight_flexors;
};

// ---------------------------------------------------------------------------------------------------
// The run.

struct ClaimsOptions {
  /// Frames, tempo, load (to the exercises that carry one by default) and depth of every repetition.
  ExerciseParameters parameters;
  /// Static optimization settings; `threads` is the number of analyses run at once (0: all cores).
  ExerciseWorkOptions work;
  std::vector<double> femur_ratios{0.9, 1.0, 1.1, 1.2};  ///< thigh-to-shank ratios for claim (a)
  std::vector<std::string> hinges{"romanian_deadlift", "conventional_deadlift", "kettlebell_swing"};
  std::vector<std::string> lunges{"forward_lunge", "reverse_lunge", "bulgarian_split_squat"};
  std::vector<std::string> other_ranked{"bodyweight_squat", "hip_thrust", "glute_bridge", "step_up"};
  std::vector<std::string> abduction_exercises{"single_leg_stance", "walking", "step_up"};
  std::vector<std::string> amnesia_exercises{"glute_bridge", "hip_thrust", "romanian_deadlift"};
  double amnesia_activation_ceiling = 0.0;  ///< the glutes' activation ceiling in (e): 0, they cannot fire
  std::vector<std::string> single_leg_exercises{"bulgarian_split_squat", "single_leg_deadlift", "step_up"};
  double weak_side_strength = 0.7;  ///< strength of the right side's glutes in (f): 30 % weaker
  /// Results supplied from outside; a tight-flexor result not supplied is simulated here (below).
  ClaimsSimulationInputs simulations;
  /// Shortening of the hip flexors' optimal fiber length for claim (d)'s tight-flexor simulation, (0, 0.3];
  /// 0: not simulated (the claim then says it is pending).
  double tight_flexor_shortening = 0.10;
  /// Strength levels of the Trendelenburg (single-leg stance) and valgus (single-leg squat) posture
  /// simulations run for claim (c) unless their results were supplied; empty: not simulated (the claim
  /// then says they are pending). Each in [0, 1].
  std::vector<double> posture_strengths{1.0, 0.8, 0.6, 0.4, 0.3, 0.2, 0.1, 0.0};
  /// Called after each analysis (worker threads, one call at a time): done, total, what was finished.
  std::function<void(int done, int total, const std::string& what)> progress;
};

/// One analysis that could not be done for this body, and why.
struct ClaimsSkipped {
  std::string what, why;
};

struct ClaimsReport {
  BodyDescription body;
  std::string body_text;  ///< "1.75 m, 75 kg, male"
  std::string model_name;
  double model_mass_kg = 0.0;
  ExerciseParameters parameters;
  std::vector<Claim> claims;  ///< claim_statements() order
  std::vector<ClaimsSkipped> skipped;
  int analyses = 0;
  double seconds = 0.0;
};

/// Checks the options (exercise names, ratios, strength and ceiling in [0, 1]); throws
/// std::invalid_argument naming the bad option.
void validate_claims_options(const BodyDescription& body, const ClaimsOptions& options);

/// Scales `generic` to `body` (validated: throws std::invalid_argument for an impossible body), runs every
/// analysis the claims need in parallel and derives each claim's numbers, plots and verdict.
ClaimsReport run_claims(const Model& generic, const BodyDescription& body, const ClaimsOptions& options = {});

}  // namespace glutelab
