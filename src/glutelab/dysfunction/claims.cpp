#include "glutelab/dysfunction/claims.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <tuple>

#include "glutelab/dysfunction/impairment.hpp"
#include "glutelab/dysfunction/tight_hip_flexors.hpp"
#include "glutelab/dysfunction/trendelenburg.hpp"
#include "glutelab/dysfunction/valgus.hpp"
#include "glutelab/exercise/femur_sweep.hpp"
#include "glutelab/io/html_page.hpp"
#include "glutelab/math/parallel.hpp"
#include "glutelab/model/muscle_groups.hpp"
#include "glutelab/muscle/body_scaling.hpp"

namespace glutelab {
namespace {

std::string fmt(const char* format, double v) { return format_number(format, v); }

std::string pct(double fraction) { return fmt("%.0f %%", 100.0 * fraction); }

const ExerciseInfo* catalog_info(const std::string& exercise) {
  for (const ExerciseInfo& i : exercise_catalog())
    if (i.name == exercise) return &i;
  return nullptr;
}

std::string display(const std::string& exercise) {
  const ExerciseInfo* i = catalog_info(exercise);
  return i ? i->display_name : exercise;
}

/// The reason of a check-based verdict: how many conditions hold and which do not (or which do).
std::string reason_from_checks(const std::vector<RuleCheck>& checks) {
  int passed = 0;
  for (const RuleCheck& c : checks) passed += c.passed ? 1 : 0;
  const int n = static_cast<int>(checks.size());
  std::string r = std::to_string(passed) + " of " + std::to_string(n) + " conditions hold";
  if (passed == n) return r + ".";
  if (passed == 0) return r + ": none of the model's numbers bears the claim out.";
  std::string fails;
  for (const RuleCheck& c : checks)
    if (!c.passed) fails += (fails.empty() ? "" : "; ") + c.condition + " (" + c.measured + ")";
  return r + "; not met: " + fails + ".";
}

ClaimVerdict from_checks(std::string rule, std::vector<RuleCheck> checks) {
  ClaimVerdict v;
  v.rule = std::move(rule);
  v.checks = std::move(checks);
  v.verdict = verdict_from_checks(v.checks);
  v.reason = v.checks.empty() ? "no number of this run bears on the claim." : reason_from_checks(v.checks);
  return v;
}

}  // namespace

std::string to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::Supported:
      return "supported";
    case Verdict::NotSupported:
      return "not supported";
    case Verdict::Mixed:
      return "mixed";
    case Verdict::OutsideModel:
      return "outside the model";
  }
  return "outside the model";
}

Verdict verdict_from_checks(const std::vector<RuleCheck>& checks) {
  if (checks.empty()) return Verdict::OutsideModel;
  const auto passed =
      std::count_if(checks.begin(), checks.end(), [](const RuleCheck& c) { return c.passed; });
  if (passed == static_cast<long>(checks.size())) return Verdict::Supported;
  if (passed == 0) return Verdict::NotSupported;
  return Verdict::Mixed;
}

const ClaimNumber* ClaimEvidenceFromModel::number(const std::string& key) const {
  for (const ClaimNumber& n : numbers)
    if (n.key == key) return &n;
  return nullptr;
}

std::pair<double, double> CompensationRow::force(const std::string& group) const {
  for (const auto& [g, f] : mean_force_n)
    if (g == group) return f;
  return {0.0, 0.0};
}

const std::vector<std::pair<std::string, std::string>>& claim_statements() {
  static const std::vector<std::pair<std::string, std::string>> claims{
      {"squat_quad_dominance",
       "Squats are quad-dominant, and with long femurs the thighs do about 80 % of the work."},
      {"hinges_lunges_beat_squat",
       "Hinges (deadlift, kettlebell swing) and lunges beat the squat for glute activation."},
      {"medius_pelvis_knee", "The gluteus medius keeps the pelvis level and the knee out."},
      {"tight_flexors_glutes_off", "Sitting and tight hip flexors switch the glutes off."},
      {"gluteal_amnesia",
       "When the glutes do not fire (\"gluteal amnesia\"), the hamstrings, lower back and quads take over."},
      {"single_leg_asymmetry", "Single-leg work exposes side-to-side weakness."},
      {"spot_reduction", "Fat loss cannot be targeted by glute exercise."}};
  return claims;
}

// ---------------------------------------------------------------------------------------------------
// Verdict rules

ClaimVerdict verdict_quad_dominance(const QuadDominanceInputs& in) {
  const std::string rule =
      "Supported if, in the " + display(in.exercise) +
      " at every thigh-to-shank ratio of the sweep, the knee's share of the extensor work exceeds the hip's "
      "and the quadriceps' mean activation exceeds gluteus maximus', and at the longest thigh the knee's "
      "share is about 80 % (70-90 %) and no smaller than at the shortest thigh; not supported if none of "
      "these holds; mixed otherwise. \"The thighs\" is read as the knee extensors (quadriceps).";
  std::vector<RuleCheck> checks;
  if (in.rows.empty()) return from_checks(rule, checks);
  bool work = true, act = true;
  std::string work_m, act_m;
  for (const SquatSweepRow& r : in.rows) {
    work = work && r.knee_work_share > r.hip_work_share;
    act = act && r.quadriceps_mean_activation > r.gluteus_maximus_mean_activation;
    work_m += (work_m.empty() ? "" : ", ") + fmt("%.2f: ", r.thigh_to_shank_ratio) + "knee " +
              pct(r.knee_work_share) + " vs hip " + pct(r.hip_work_share);
    act_m += (act_m.empty() ? "" : ", ") + fmt("%.2f: ", r.thigh_to_shank_ratio) +
             fmt("quadriceps %.3f", r.quadriceps_mean_activation) +
             fmt(" vs gluteus maximus %.3f", r.gluteus_maximus_mean_activation);
  }
  checks.push_back({"the knee's share of the extensor work exceeds the hip's at every ratio", work, work_m});
  checks.push_back({"the quadriceps' mean activation exceeds gluteus maximus' at every ratio", act, act_m});
  const SquatSweepRow& longest = in.rows.back();
  const SquatSweepRow& shortest = in.rows.front();
  checks.push_back(
      {fmt("the knee's share is 70-90 %% at the longest thigh (ratio %.2f)", longest.thigh_to_shank_ratio),
       longest.knee_work_share >= 0.70 && longest.knee_work_share <= 0.90,
       "knee " + pct(longest.knee_work_share)});
  if (in.rows.size() > 1)
    checks.push_back({"the knee's share is no smaller at the longest thigh than at the shortest",
                      longest.knee_work_share >= shortest.knee_work_share,
                      fmt("%.2f: ", shortest.thigh_to_shank_ratio) + pct(shortest.knee_work_share) +
                          fmt(", %.2f: ", longest.thigh_to_shank_ratio) + pct(longest.knee_work_share)});
  return from_checks(rule, checks);
}

ClaimVerdict verdict_glute_ranking(const GluteRankingInputs& in) {
  const std::string rule =
      "One condition per hinge and lunge: its gluteus maximus mean and peak activation both exceed the "
      "back squat's. Supported if every hinge and lunge beats the squat, not supported if none does, mixed "
      "otherwise.";
  std::vector<RuleCheck> checks;
  for (const auto* list : {&in.hinges, &in.lunges})
    for (const GluteActivation& g : *list)
      checks.push_back(
          {display(g.exercise) + " beats the squat (mean and peak)",
           g.mean_activation > in.squat.mean_activation && g.peak_activation > in.squat.peak_activation,
           fmt("mean %.3f", g.mean_activation) + fmt(" vs %.3f, ", in.squat.mean_activation) +
               fmt("peak %.3f", g.peak_activation) + fmt(" vs %.3f", in.squat.peak_activation)});
  return from_checks(rule, checks);
}

ClaimVerdict verdict_medius(const MediusInputs& in) {
  const std::string rule =
      "One condition per exercise whose hip needs an abduction moment (not dominated by co-contraction): "
      "gluteus medius and minimus together carry more than half of it. With the Trendelenburg simulation: "
      "weaker stance-side abductors give a visible pelvic drop (> 2 cm) or a trunk lean over the stance hip "
      "(> 5 deg). With the valgus simulation: at the weakest level the hip adducts or rotates internally "
      "more, or the knee's frontal-plane moment grows. Supported if all hold, not supported if none, mixed "
      "otherwise.";
  std::vector<RuleCheck> checks;
  for (const AbductionShare& s : in.exercises)
    if (s.meaningful)
      checks.push_back({"gluteus medius and minimus carry more than half of the hip-abduction moment in " +
                            display(s.exercise),
                        s.medius_minimus_share > 0.5,
                        pct(s.medius_minimus_share) + " (medius " + pct(s.medius_share) + ", minimus " +
                            pct(s.minimus_share) + ")"});
  if (in.trendelenburg) {
    const TrendelenburgSummary& t = *in.trendelenburg;
    double max_drop = 0.0, max_lean = 0.0;
    for (double d : t.pelvic_drop_m)
      if (std::isfinite(d)) max_drop = std::max(max_drop, d);
    for (double l : t.trunk_lean_deg)
      if (std::isfinite(l)) max_lean = std::max(max_lean, l);
    checks.push_back(
        {"weaker abductors give a visible pelvic drop (> 2 cm) or a trunk lean (> 5 deg)",
         t.visible_drop_strength.has_value() || max_drop > 0.02 || max_lean > 5.0,
         fmt("largest drop %.1f cm", 100.0 * max_drop) + fmt(", largest lean %.1f deg", max_lean)});
  }
  if (in.valgus && !in.valgus->strength.empty()) {
    const ValgusSummary& v = *in.valgus;
    const auto weakest =
        static_cast<std::size_t>(std::min_element(v.strength.begin(), v.strength.end()) - v.strength.begin());
    auto at = [weakest](const std::vector<double>& x) { return weakest < x.size() ? x[weakest] : 0.0; };
    const double add = at(v.hip_adduction_change_deg), rot = at(v.hip_internal_rotation_change_deg),
                 knee = at(v.knee_frontal_moment_change_nm);
    checks.push_back(
        {"weaker abductors and external rotators let the knee cave in", add > 0.0 || rot > 0.0 || knee > 0.0,
         fmt("at strength %.2f: ", v.strength[weakest]) + fmt("hip adduction %+.1f deg, ", add) +
             fmt("internal rotation %+.1f deg, ", rot) + fmt("knee frontal moment %+.1f N m", knee)});
  }
  return from_checks(rule, checks);
}

ClaimVerdict verdict_tight_flexors(const TightFlexorInputs& in) {
  const std::string rule =
      "Reciprocal inhibition is a neural mechanism a muscle model does not have: without the tight-flexor "
      "simulation the claim is outside the model. With it, one condition per exercise: gluteus maximus' "
      "activation at the top of the exercise (greatest hip extension) is lower with shortened hip flexors "
      "than "
      "healthy (the glutes \"switch off\"); supported if it falls in every exercise, not supported if in "
      "none, "
      "mixed otherwise.";
  if (!in.simulation) {
    ClaimVerdict v;
    v.rule = rule;
    v.verdict = Verdict::OutsideModel;
    v.reason =
        "The model has no reciprocal inhibition, so \"switching off\" could only be imposed, not predicted; "
        "the mechanical effect of shortened hip flexors is pending the tight-flexor simulation.";
    return v;
  }
  std::vector<RuleCheck> checks;
  for (const TightFlexorRow& r : in.simulation->exercises)
    checks.push_back({"gluteus maximus works less with tight hip flexors in " + display(r.exercise),
                      r.gluteus_maximus_tight < r.gluteus_maximus_healthy,
                      fmt("activation at the top %.3f", r.gluteus_maximus_tight) +
                          fmt(" vs %.3f healthy", r.gluteus_maximus_healthy)});
  ClaimVerdict v = from_checks(rule, checks);
  v.reason += " The neural part (inhibition) stays outside the model.";
  return v;
}

ClaimVerdict verdict_amnesia(const AmnesiaInputs& in) {
  const std::string rule =
      "One condition per group the claim names (hamstrings, lower back, quadriceps): with the glutes unable "
      "to fire, its mean force rises by more than " +
      pct(in.min_relative_increase) + " and " + fmt("%.0f N", in.min_absolute_increase_n) +
      " in every exercise simulated. Supported if all three take over, not supported if none does, mixed "
      "otherwise.";
  std::vector<RuleCheck> checks;
  if (in.exercises.empty()) return from_checks(rule, checks);
  for (const char* group : {"hamstrings", "lower back", "quadriceps"}) {
    bool all = true;
    std::string measured;
    for (const CompensationRow& r : in.exercises) {
      const auto [healthy, capped] = r.force(group);
      const double rise = capped - healthy;
      all = all && rise > in.min_absolute_increase_n && rise > in.min_relative_increase * healthy;
      measured += (measured.empty() ? "" : ", ") + display(r.exercise) + fmt(" %.0f", healthy) +
                  fmt(" -> %.0f N", capped);
    }
    checks.push_back({std::string("the ") + group +
                          (std::string(group) == "lower back" ? " takes" : " take") +
                          " over in every exercise",
                      all, measured});
  }
  return from_checks(rule, checks);
}

ClaimVerdict verdict_asymmetry(const AsymmetryInputs& in) {
  const std::string rule =
      "One condition per single-leg exercise: with one side's glutes weakened, the difference between the "
      "weak and the strong side's peak gluteal activation (demand over capacity) is larger than in the "
      "bilateral back squat. Supported if every single-leg exercise shows the weakness more, not supported "
      "if none does, mixed otherwise.";
  std::vector<RuleCheck> checks;
  for (const SideDemand& s : in.single_leg)
    checks.push_back({display(s.exercise) + " shows the weak side more than the bilateral squat",
                      s.difference() > in.bilateral.difference(),
                      fmt("weak %.3f", s.weak_side_peak) + fmt(" - strong %.3f", s.strong_side_peak) +
                          fmt(" = %.3f", s.difference()) + fmt(" vs squat %.3f", in.bilateral.difference())});
  return from_checks(rule, checks);
}

ClaimVerdict verdict_spot_reduction(const SpotReductionInputs& in) {
  const std::string rule =
      "Outside the model while it has no fat tissue. With regional fat figures, one condition: the region "
      "near the trained muscles loses no more fat than the other regions (supported), else not supported.";
  if (!in.trained_region_fat_loss_kg || !in.other_regions_fat_loss_kg) {
    ClaimVerdict v;
    v.rule = rule;
    v.verdict = Verdict::OutsideModel;
    v.reason =
        "The model has bones, joints, muscles and external loads, but no fat tissue, no energy balance and "
        "no regional fat: it cannot say where fat is lost. The published evidence decides this claim.";
    return v;
  }
  return from_checks(rule, {{"the trained region loses no more fat than the other regions",
                             *in.trained_region_fat_loss_kg <= *in.other_regions_fat_loss_kg,
                             fmt("trained %.2f kg", *in.trained_region_fat_loss_kg) +
                                 fmt(" vs other %.2f kg", *in.other_regions_fat_loss_kg)}});
}

// ---------------------------------------------------------------------------------------------------
// The run

namespace {

enum class Variant { Healthy, GlutesCapped, RightGlutesWeak };

struct Job {
  std::string exercise;
  Side side = Side::Right;
  Variant variant = Variant::Healthy;
};

bool operator<(const Job& a, const Job& b) {
  return std::tie(a.exercise, a.side, a.variant) < std::tie(b.exercise, b.side, b.variant);
}

std::string job_label(const Job& j) {
  std::string s = j.exercise;
  if (catalog_info(j.exercise) && catalog_info(j.exercise)->unilateral)
    s += j.side == Side::Left ? " (left)" : " (right)";
  if (j.variant == Variant::GlutesCapped) s += ", glutes not firing";
  if (j.variant == Variant::RightGlutesWeak) s += ", right glutes weak";
  return s;
}

void check_names(const std::vector<std::string>& names, const char* option, bool need_unilateral) {
  for (const std::string& n : names) {
    const ExerciseInfo* i = catalog_info(n);
    if (!i)
      throw std::invalid_argument(std::string("claims option '") + option + "': unknown exercise '" + n +
                                  "'; did you mean '" + closest_exercise_name(n) + "'?");
    if (need_unilateral && !i->unilateral)
      throw std::invalid_argument(std::string("claims option '") + option + "': '" + n +
                                  "' is not a single-leg (unilateral) exercise");
  }
}

/// Peak over the frames of the force-weighted mean activation of one side's gluteus maximus, medius and
/// minimus (weights: `model`'s maximum isometric forces).
double side_glute_peak(const ExerciseWorkReport& r, const Model& model, Side side) {
  const std::string sfx = side == Side::Left ? "_l" : "_r";
  std::vector<std::pair<Eigen::Index, double>> cols;
  double total = 0.0;
  for (std::size_t m = 0; m < r.muscle_names.size(); ++m) {
    const std::string& n = r.muscle_names[m];
    const std::string g = muscle_group(n);
    if (n.size() < 2 || n.compare(n.size() - 2, 2, sfx) != 0) continue;
    if (g != "gluteus maximus" && g != "gluteus medius" && g != "gluteus minimus") continue;
    for (const Muscle& mu : model.muscles)
      if (mu.name == n) {
        cols.emplace_back(static_cast<Eigen::Index>(m), mu.max_isometric_force_N);
        total += mu.max_isometric_force_N;
      }
  }
  double peak = 0.0;
  if (total <= 0.0) return peak;
  for (Eigen::Index f = 0; f < r.activation.rows(); ++f) {
    double a = 0.0;
    for (const auto& [c, w] : cols) a += w * r.activation(f, c);
    peak = std::max(peak, a / total);
  }
  return peak;
}

/// Mean force (N) of a group on the report's working side; "adductor magnus" adds its four bundles.
double working_side_mean_force(const ExerciseWorkReport& r, const std::string& group) {
  if (group == "adductor magnus") {
    const std::string sfx = r.side == Side::Left ? "_l" : "_r";
    double f = 0.0;
    for (const MuscleWorkSummary& m : r.muscles)
      if (m.name.rfind("addmag", 0) == 0 && m.name.size() > 2 &&
          m.name.compare(m.name.size() - 2, 2, sfx) == 0)
        f += m.mean_force_n;
    return f;
  }
  for (const GroupWorkSummary& g : r.groups)
    if (g.group == group) return g.mean_force_n;
  return 0.0;
}

double gluteal_hip_extension_share(const ExerciseWorkReport& r) {
  return r.hip_extension.group_share("gluteus maximus") + r.hip_extension.group_share("gluteus medius") +
         r.hip_extension.group_share("gluteus minimus");
}

/// Body fat's stored energy: the usual 3500 kcal per pound of body weight lost (Wishnofsky 1958),
/// 32.3 MJ per kg.
constexpr double kFatEnergyJPerKg = 3500.0 * 4184.0 / 0.45359237;
/// Gross efficiency assumed for muscular work (metabolic energy to positive mechanical work): about 25 %.
constexpr double kMuscleEfficiency = 0.25;

const char* kColors[] = {"#c0392b", "#2471a3", "#239b56", "#b9770e", "#7d3c98", "#566573"};

}  // namespace

void validate_claims_options(const BodyDescription& body, const ClaimsOptions& o) {
  validate(body);
  validate_exercise_parameters(o.parameters, body.mass_kg);
  if (o.femur_ratios.empty())
    throw std::invalid_argument("claims option 'femur_ratios': give at least one ratio");
  for (double r : o.femur_ratios)
    if (!std::isfinite(r) || r < 0.5 || r > 2.0)
      throw std::invalid_argument(
          "claims option 'femur_ratios': thigh-to-shank ratio must be in [0.5, 2.0], got " + fmt("%g", r));
  check_names(o.hinges, "hinges", false);
  check_names(o.lunges, "lunges", false);
  check_names(o.other_ranked, "other_ranked", false);
  check_names(o.abduction_exercises, "abduction_exercises", false);
  check_names(o.amnesia_exercises, "amnesia_exercises", false);
  check_names(o.single_leg_exercises, "single_leg_exercises", true);
  if (!std::isfinite(o.tight_flexor_shortening) || o.tight_flexor_shortening < 0.0 ||
      o.tight_flexor_shortening > kMaxFlexorShortening)
    throw std::invalid_argument("claims option 'tight_flexor_shortening' must be in [0, " +
                                fmt("%g", kMaxFlexorShortening) + "], got " +
                                fmt("%g", o.tight_flexor_shortening));
  for (double v : o.posture_strengths)
    if (!std::isfinite(v) || v < 0.0 || v > 1.0)
      throw std::invalid_argument("claims option 'posture_strengths': each must be in [0, 1], got " +
                                  fmt("%g", v));
  for (const auto& [what, v] :
       {std::pair<const char*, double>{"amnesia_activation_ceiling", o.amnesia_activation_ceiling},
        {"weak_side_strength", o.weak_side_strength}})
    if (!std::isfinite(v) || v < 0.0 || v > 1.0)
      throw std::invalid_argument(std::string("claims option '") + what + "' must be in [0, 1], got " +
                                  fmt("%g", v));
}

ClaimsReport run_claims(const Model& generic, const BodyDescription& body, const ClaimsOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  validate_claims_options(body, o);
  ClaimsReport rep;
  rep.body = body;
  rep.body_text = fmt("%.2f m, ", body.height_m) + fmt("%.0f kg, ", body.mass_kg) +
                  (body.sex == Sex::Female ? "female" : "male");
  if (body.thigh_length_m) rep.body_text += fmt(", thigh %.2f m", *body.thigh_length_m);
  rep.model_name = generic.name;
  rep.parameters = o.parameters;

  const Model healthy = scale_body(generic, body);
  rep.model_mass_kg = healthy.total_mass_kg();
  const MuscleImpairment capped_glutes{"glutes", BodySide::Both, 1.0, o.amnesia_activation_ceiling};
  const MuscleImpairment weak_right{"glutes", BodySide::Right, o.weak_side_strength, 1.0};
  const Model capped = apply_impairments(healthy, std::vector<MuscleImpairment>{capped_glutes});
  const Model weak = apply_impairments(healthy, std::vector<MuscleImpairment>{weak_right});
  auto model_of = [&](Variant v) -> const Model& {
    return v == Variant::GlutesCapped ? capped : v == Variant::RightGlutesWeak ? weak : healthy;
  };

  // Every analysis, once.
  std::vector<Job> jobs;
  auto add = [&](const std::string& e, Side s, Variant v) {
    const Job j{e, s, v};
    if (std::find_if(jobs.begin(), jobs.end(), [&](const Job& k) { return !(k < j) && !(j < k); }) ==
        jobs.end())
      jobs.push_back(j);
  };
  add("back_squat", Side::Right, Variant::Healthy);
  for (const auto* list :
       {&o.hinges, &o.lunges, &o.other_ranked, &o.abduction_exercises, &o.amnesia_exercises})
    for (const std::string& e : *list) add(e, Side::Right, Variant::Healthy);
  for (const char* e : {"glute_bridge", "hip_thrust", "standing_glute_squeeze"})
    add(e, Side::Right, Variant::Healthy);
  for (const std::string& e : o.amnesia_exercises) add(e, Side::Right, Variant::GlutesCapped);
  add("back_squat", Side::Right, Variant::RightGlutesWeak);
  for (const std::string& e : o.single_leg_exercises) {
    add(e, Side::Right, Variant::Healthy);
    add(e, Side::Right, Variant::RightGlutesWeak);
    add(e, Side::Left, Variant::RightGlutesWeak);
  }

  // The femur sweep of the squat: ratios this body cannot have are left out.
  std::vector<double> ratios;
  for (double r : o.femur_ratios) {
    try {
      validate_femur_sweep_ratios(body, {r});
      ratios.push_back(r);
    } catch (const std::invalid_argument& e) {
      rep.skipped.push_back({fmt("back_squat at thigh-to-shank ratio %.2f", r), e.what()});
    }
  }
  std::sort(ratios.begin(), ratios.end());
  ratios.erase(std::unique(ratios.begin(), ratios.end()), ratios.end());

  const int n_jobs = static_cast<int>(jobs.size());
  const int total = n_jobs + static_cast<int>(ratios.size());
  std::vector<std::optional<ExerciseWorkReport>> reports(static_cast<std::size_t>(n_jobs));
  std::vector<std::string> failures(static_cast<std::size_t>(n_jobs));
  std::vector<FemurSweepPoint> sweep(ratios.size());
  ExerciseWorkOptions one_thread = o.work;
  one_thread.threads = 1;
  std::mutex mutex;
  int done = 0;
  auto finished = [&](const std::string& what) {
    const std::lock_guard<std::mutex> lock(mutex);
    ++done;
    if (o.progress) o.progress(done, total, what);
  };
  parallel_for(total, o.work.threads, [&](int task) {
    if (task < n_jobs) {
      const Job& j = jobs[static_cast<std::size_t>(task)];
      ExerciseParameters p = o.parameters;
      p.side = j.side;
      const ExerciseInfo* info = catalog_info(j.exercise);
      if (info && info->default_placement == LoadPlacement::None && p.placement == LoadPlacement::None)
        p.load_kg = 0.0;
      try {
        // The motion is generated for the healthy body; an impaired body must make the same movement.
        reports[static_cast<std::size_t>(task)] =
            analyze_exercise_work(model_of(j.variant), generate_exercise(healthy, j.exercise, p), one_thread);
      } catch (const std::exception& e) {
        failures[static_cast<std::size_t>(task)] = e.what();
      }
      finished(job_label(j));
      return;
    }
    const auto k = static_cast<std::size_t>(task - n_jobs);
    sweep[k] =
        femur_length_sweep(generic, body, {"back_squat"}, {ratios[k]}, o.parameters, one_thread).points.at(0);
    finished(fmt("back_squat at thigh-to-shank ratio %.2f", ratios[k]));
  });
  rep.analyses = total;

  // (d) The tight-flexor simulation, unless its result was supplied.
  std::optional<TightFlexorSummary> tight = o.simulations.tight_flexors;
  if (!tight && o.tight_flexor_shortening > 0.0) {
    TightFlexorOptions t;
    t.shortening = {o.tight_flexor_shortening};
    t.parameters = o.parameters;
    t.work = o.work;
    int sim_total = 0;
    t.progress = [&](int d, int n) {
      sim_total = n;
      if (o.progress) o.progress(total + d, total + n, "tight hip flexors");
    };
    try {
      const TightFlexorReport tr = simulate_tight_hip_flexors(healthy, t);
      const TightFlexorLevel& level = tr.levels.at(0);
      constexpr double deg = 180.0 / 3.14159265358979323846;
      TightFlexorSummary s;
      s.shortening = level.shortening;
      s.end_range_hip_extension_loss_deg = level.end_range_loss_rad * deg;
      for (const TightFlexorExerciseResult& e : level.exercises) {
        s.exercises.push_back({e.exercise, e.healthy_gluteus_maximus_activation_top,
                               e.gluteus_maximus_activation_top, e.extra_extensor_moment_top_nm,
                               e.lumbar_extension_added_top_rad * deg});
        s.lumbar_extension_shift_deg =
            std::max(s.lumbar_extension_shift_deg, e.lumbar_extension_added_top_rad * deg);
      }
      tight = s;
    } catch (const std::exception& e) {
      rep.skipped.push_back(
          {fmt("tight hip flexors (shortening %.2f)", o.tight_flexor_shortening), e.what()});
    }
    rep.analyses += sim_total;
  }
  // (c) The Trendelenburg (single-leg stance) and valgus (single-leg squat) posture simulations, unless
  // their results were supplied. A level where no static posture holds has no drop, lean or collapse:
  // it is left out of the summaries and named in `posture_notes`.
  std::optional<TrendelenburgSummary> trendelenburg = o.simulations.trendelenburg;
  std::optional<ValgusSummary> valgus = o.simulations.valgus;
  std::vector<std::string> posture_notes;
  if (!o.posture_strengths.empty() && (!trendelenburg || !valgus)) {
    int offset = rep.analyses;
    auto progress_from = [&](const char* what) {
      return [&, what](int d, int n) {
        if (o.progress) o.progress(offset + d, offset + n, what);
      };
    };
    if (!trendelenburg) {
      TrendelenburgOptions t;
      t.strengths = o.posture_strengths;
      t.tasks = {StanceTask::SingleLegStance};
      t.threads = o.work.threads;
      t.progress = progress_from("Trendelenburg");
      try {
        const TrendelenburgResult tr = simulate_trendelenburg(healthy, t);
        const TrendelenburgCurve* drop =
            tr.curve(StanceTask::SingleLegStance, TrendelenburgStrategy::PelvicDrop);
        const TrendelenburgCurve* lean =
            tr.curve(StanceTask::SingleLegStance, TrendelenburgStrategy::TrunkLean);
        TrendelenburgSummary sum;
        std::vector<double> no_drop, no_lean;
        constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
        double largest_drop_cm = 0.0;
        for (std::size_t i = 0; drop && lean && i < drop->points.size() && i < lean->points.size(); ++i) {
          const PosturePoint& d = drop->points[i];
          const PosturePoint& l = lean->points[i];
          if (!d.found) no_drop.push_back(d.strength);
          if (!l.found) no_lean.push_back(l.strength);
          if (!d.found && !l.found) continue;
          sum.abductor_strength.push_back(d.strength);
          sum.pelvic_drop_m.push_back(d.found ? 0.01 * d.pelvic_drop_cm : kNone);
          sum.trunk_lean_deg.push_back(l.found ? l.deviation_deg : kNone);
          if (d.found) largest_drop_cm = std::max(largest_drop_cm, d.pelvic_drop_cm);
        }
        // The curve's threshold is where a level (<= 2 cm) pelvis stops holding; it is a visible drop
        // only when a posture with more drop then holds.
        if (drop && largest_drop_cm > kVisibleDropCm && std::isfinite(drop->visible_drop_strength))
          sum.visible_drop_strength = drop->visible_drop_strength;
        if (drop && std::isfinite(drop->visible_drop_strength) && drop->visible_drop_strength > 0.0)
          posture_notes.push_back(
              fmt("Trendelenburg, single-leg stance: below abductor strength %.2f the pelvis "
                  "cannot be held within 2 cm of level.",
                  drop->visible_drop_strength));
        auto list = [](const std::vector<double>& v) {
          std::string out;
          for (double x : v) out += (out.empty() ? "" : ", ") + fmt("%.2f", x);
          return out;
        };
        if (!no_drop.empty())
          posture_notes.push_back(
              "Trendelenburg, single-leg stance: no static posture with a pelvic drop (up to " +
              fmt("%.0f deg", t.max_drop_deg) + ") holds at abductor strength " + list(no_drop) + ".");
        if (!no_lean.empty())
          posture_notes.push_back("Trendelenburg, single-leg stance: no trunk lean (up to " +
                                  fmt("%.0f deg", t.max_lean_deg) + ") holds at abductor strength " +
                                  list(no_lean) + ".");
        trendelenburg = sum;
      } catch (const std::exception& e) {
        rep.skipped.push_back({"Trendelenburg simulation", e.what()});
      }
      offset += static_cast<int>(2 * o.posture_strengths.size());
      rep.analyses += static_cast<int>(2 * o.posture_strengths.size());
    }
    if (!valgus) {
      ValgusOptions v;
      v.strengths = o.posture_strengths;
      v.tasks = {StanceTask::SingleLegSquat};
      v.threads = o.work.threads;
      v.progress = progress_from("valgus");
      try {
        const ValgusResult vr = simulate_valgus(healthy, v);
        ValgusSummary sum;
        std::vector<double> none;
        for (const ValgusPoint& p : vr.curves.at(0).points) {
          if (!p.found) {
            none.push_back(p.strength);
            continue;
          }
          sum.strength.push_back(p.strength);
          sum.hip_adduction_change_deg.push_back(p.hip_adduction_change_deg);
          sum.hip_internal_rotation_change_deg.push_back(p.hip_rotation_change_deg);
          sum.knee_frontal_moment_change_nm.push_back(p.knee_frontal_moment_change_nm);
        }
        std::string levels;
        for (double x : none) levels += (levels.empty() ? "" : ", ") + fmt("%.2f", x);
        if (!none.empty())
          posture_notes.push_back("Valgus, single-leg squat: no static posture (collapse up to " +
                                  fmt("%.0f deg", v.max_collapse_deg) +
                                  " of hip adduction) holds at abductor and external-rotator strength " +
                                  levels + ".");
        valgus = sum;
      } catch (const std::exception& e) {
        rep.skipped.push_back({"valgus simulation", e.what()});
      }
      rep.analyses += static_cast<int>(o.posture_strengths.size());
    }
  }
  for (int i = 0; i < n_jobs; ++i)
    if (!reports[static_cast<std::size_t>(i)])
      rep.skipped.push_back(
          {job_label(jobs[static_cast<std::size_t>(i)]), failures[static_cast<std::size_t>(i)]});
  for (const FemurSweepPoint& p : sweep)
    if (!p.error.empty())
      rep.skipped.push_back(
          {fmt("back_squat at thigh-to-shank ratio %.2f", p.thigh_to_shank_ratio), p.error});

  auto report = [&](const std::string& e, Side s, Variant v) -> const ExerciseWorkReport* {
    for (std::size_t i = 0; i < jobs.size(); ++i)
      if (jobs[i].exercise == e && jobs[i].side == s && jobs[i].variant == v && reports[i])
        return &*reports[i];
    return nullptr;
  };
  const std::string load_text =
      o.parameters.load_kg > 0.0
          ? fmt("%.0f kg", o.parameters.load_kg) +
                " on the exercises that carry a load by default, body weight on the others"
          : std::string("body weight only (no external load)");
  const std::string body_text = rep.body_text + " (glutelab model scaled to it, " +
                                fmt("%.1f kg", rep.model_mass_kg) + "); " + load_text + ", depth " +
                                fmt("%.2f", o.parameters.depth) + ", " +
                                std::to_string(o.parameters.frames_per_rep) + " frames per repetition";
  auto new_claim = [&](std::size_t index) {
    Claim c;
    c.id = claim_statements()[index].first;
    c.statement = claim_statements()[index].second;
    c.model.body = body_text;
    return c;
  };
  auto num = [](Claim& c, std::string key, std::string label, double value, std::string unit) {
    c.model.numbers.push_back({std::move(key), std::move(label), value, std::move(unit)});
  };

  // (a) Squats, quads and femur length.
  {
    Claim c = new_claim(0);
    c.title = "Squats, quadriceps and long femurs";
    c.model.method =
        "The back squat to full depth simulated for the same body with a shorter or longer thigh bone (the "
        "shank kept at its proportion of height), thigh-to-shank ratios " +
        [&] {
          std::string s;
          for (double r : ratios) s += (s.empty() ? "" : ", ") + fmt("%.2f", r);
          return s;
        }() +
        " (a coarse sweep); extensor work split from inverse dynamics, activations from static optimization.";
    QuadDominanceInputs in;
    PlotSeries hip{"hip", {}, {}}, knee{"knee", {}, {}}, glmax{"gluteus maximus", {}, {}},
        quads{"quadriceps", {}, {}};
    for (const FemurSweepPoint& p : sweep) {
      if (!p.error.empty() || p.frames == 0) continue;
      in.rows.push_back({p.thigh_to_shank_ratio, p.knee_work_share, p.hip_work_share,
                         p.quadriceps_mean_activation, p.gluteus_maximus_mean_activation});
      const std::string r = fmt("%.2f", p.thigh_to_shank_ratio);
      const std::string at = " at thigh/shank " + r + fmt(" (thigh %.3f m)", p.thigh_length_m);
      num(c, "knee_work_share_" + r, "knee's share of the extensor work" + at, p.knee_work_share, "fraction");
      num(c, "hip_work_share_" + r, "hip's share of the extensor work" + at, p.hip_work_share, "fraction");
      num(c, "quadriceps_mean_" + r, "quadriceps mean activation" + at, p.quadriceps_mean_activation,
          "activation");
      num(c, "gluteus_maximus_mean_" + r, "gluteus maximus mean activation" + at,
          p.gluteus_maximus_mean_activation, "activation");
      num(c, "trunk_lean_" + r, "peak forward trunk lean" + at, p.peak_trunk_lean_deg, "deg");
      for (PlotSeries* s : {&hip, &knee, &glmax, &quads}) s->x.push_back(p.thigh_to_shank_ratio);
      hip.y.push_back(p.hip_work_share);
      knee.y.push_back(p.knee_work_share);
      glmax.y.push_back(p.gluteus_maximus_mean_activation);
      quads.y.push_back(p.quadriceps_mean_activation);
    }
    if (!in.rows.empty()) {
      ClaimPlot work;
      work.series = {hip, knee};
      work.line.title = "Back squat: share of the extensor work";
      work.line.x_label = "thigh-to-shank ratio";
      work.line.y_label = "share of extensor work";
      work.line.y_min = 0.0;
      work.line.y_max = 1.0;
      work.line.markers = true;
      work.line.colors = {kColors[0], kColors[1]};
      work.caption = "Where the energy to stand up comes from, hip against knee, as the thigh gets longer.";
      ClaimPlot act = work;
      act.series = {glmax, quads};
      act.line.title = "Back squat: mean activation";
      act.line.y_label = "mean activation (0-1)";
      act.line.y_max.reset();
      act.caption = "How hard gluteus maximus and the quadriceps work over the repetition.";
      c.model.plots = {work, act};
    }
    c.model.limits = {
        "Ankle mobility, stance width and bar position are held fixed across the sweep; in people they "
        "change "
        "with the body and explain trunk lean better than segment ratios (Fuglsang et al. 2017).",
        "The extensor work split counts positive work of the net joint moments (both legs and the lower "
        "back), not each muscle's work."};
    c.model.verdict = verdict_quad_dominance(in);
    rep.claims.push_back(std::move(c));
  }

  // (b) Glute activation: hinges and lunges against the squat.
  {
    Claim c = new_claim(1);
    c.title = "Hinges and lunges against the squat";
    c.model.method =
        "Each exercise simulated once for the body; gluteus maximus activation (force-weighted over its "
        "three "
        "compartments, working side) over one repetition.";
    GluteRankingInputs in;
    auto act = [&](const std::string& e) -> std::optional<GluteActivation> {
      const ExerciseWorkReport* r = report(e, Side::Right, Variant::Healthy);
      if (!r) return std::nullopt;
      const auto [peak, mean] = peak_and_mean_activation(*r, "gluteus maximus");
      return GluteActivation{e, mean, peak};
    };
    const auto squat = act("back_squat");
    std::vector<std::pair<GluteActivation, int>> all;  // with its colour index
    if (squat) {
      in.squat = *squat;
      all.emplace_back(*squat, 5);
      for (const auto& [list, target, colour] :
           {std::tuple{&o.hinges, &in.hinges, 0}, std::tuple{&o.lunges, &in.lunges, 1},
            std::tuple{&o.other_ranked, &in.others, 2}})
        for (const std::string& e : *list)
          if (const auto g = act(e); g && e != "back_squat") {
            target->push_back(*g);
            all.emplace_back(*g, colour);
          }
    }
    for (const auto& [g, colour] : all) {
      num(c, g.exercise + "_mean", display(g.exercise) + ": gluteus maximus mean activation",
          g.mean_activation, "activation");
      num(c, g.exercise + "_peak", display(g.exercise) + ": gluteus maximus peak activation",
          g.peak_activation, "activation");
    }
    for (const bool peak : {false, true}) {
      auto sorted = all;
      std::stable_sort(sorted.begin(), sorted.end(), [peak](const auto& a, const auto& b) {
        return peak ? a.first.peak_activation > b.first.peak_activation
                    : a.first.mean_activation > b.first.mean_activation;
      });
      ClaimPlot p;
      for (const auto& [g, colour] : sorted) {
        p.bars.push_back({display(g.exercise), peak ? g.peak_activation : g.mean_activation});
        p.bar.bar_colors.push_back(kColors[colour]);
      }
      p.bar.title = std::string("Gluteus maximus ") + (peak ? "peak" : "mean") + " activation";
      p.bar.x_label = peak ? "peak activation" : "mean activation";
      p.caption = "Red: hinges, blue: lunges and split squat, grey: the back squat, green: other exercises.";
      if (!p.bars.empty()) c.model.plots.push_back(p);
    }
    c.model.limits = {
        "Activation is the model's demand over capacity (0-1), not surface EMG normalised to a maximal "
        "contraction; the numbers compare exercises within the model.",
        "All exercises are slow, controlled repetitions at the same external load: a real swing uses "
        "momentum "
        "and real training loads differ between exercises."};
    if (!squat) {
      c.model.verdict.rule = "needs the back squat";
      c.model.verdict.verdict = Verdict::OutsideModel;
      c.model.verdict.reason = "The back squat could not be analysed for this body, so nothing was compared.";
    } else {
      c.model.verdict = verdict_glute_ranking(in);
    }
    rep.claims.push_back(std::move(c));
  }

  // (c) Gluteus medius: pelvis level, knee out.
  {
    Claim c = new_claim(2);
    c.title = "Gluteus medius, the pelvis and the knee";
    c.model.method =
        "Share of the stance hip's abduction moment carried by gluteus medius and minimus (moment arm x "
        "force "
        "over the frames that need abduction, against the net moment from inverse dynamics).";
    MediusInputs in;
    in.trendelenburg = trendelenburg;
    in.valgus = valgus;
    ClaimPlot p;
    for (const std::string& e : o.abduction_exercises) {
      const ExerciseWorkReport* r = report(e, Side::Right, Variant::Healthy);
      if (!r) continue;
      AbductionShare s;
      s.exercise = e;
      s.medius_share = r->hip_abduction.group_share("gluteus medius");
      s.minimus_share = r->hip_abduction.group_share("gluteus minimus");
      s.medius_minimus_share = s.medius_share + s.minimus_share;
      s.meaningful = r->hip_abduction.frames > 0 && !r->hip_abduction.dominated_by_cocontraction();
      in.exercises.push_back(s);
      if (s.meaningful) {
        num(c, e + "_medius_minimus_share",
            display(e) + ": share of the hip-abduction moment, medius + minimus", s.medius_minimus_share,
            "fraction");
        num(c, e + "_medius_share", display(e) + ": share carried by gluteus medius", s.medius_share,
            "fraction");
        p.bars.push_back({display(e), std::max(0.0, s.medius_minimus_share)});
      }
      num(c, e + "_abduction_frames", display(e) + ": frames whose hip needs an abduction moment",
          r->hip_abduction.frames, "count");
      num(c, e + "_medius_peak", display(e) + ": gluteus medius peak activation",
          peak_and_mean_activation(*r, "gluteus medius").first, "activation");
    }
    if (!p.bars.empty()) {
      p.bar.title = "Hip-abduction moment carried by medius + minimus";
      p.bar.x_label = "share of the abduction moment";
      p.bar.value_format = "%.2f";
      p.caption =
          "Fraction of the stance hip's abduction moment gluteus medius and minimus supply (the rest: "
          "tensor fasciae latae, upper gluteus maximus, others).";
      c.model.plots.push_back(p);
    }
    if (in.trendelenburg) {
      const TrendelenburgSummary& t = *in.trendelenburg;
      PlotSeries drop{"pelvic drop (cm), upright trunk", {}, {}},
          lean{"trunk lean (deg), level pelvis", {}, {}};
      for (std::size_t i = 0; i < t.abductor_strength.size() && i < t.pelvic_drop_m.size(); ++i) {
        if (!std::isfinite(t.pelvic_drop_m[i])) continue;  // no posture of this strategy holds
        drop.x.push_back(t.abductor_strength[i]);
        drop.y.push_back(100.0 * t.pelvic_drop_m[i]);
        num(c, fmt("pelvic_drop_at_%.2f", t.abductor_strength[i]),
            fmt("Trendelenburg: pelvic drop at abductor strength %.2f", t.abductor_strength[i]),
            t.pelvic_drop_m[i], "m");
      }
      for (std::size_t i = 0; i < t.abductor_strength.size() && i < t.trunk_lean_deg.size(); ++i) {
        if (!std::isfinite(t.trunk_lean_deg[i])) continue;
        lean.x.push_back(t.abductor_strength[i]);
        lean.y.push_back(t.trunk_lean_deg[i]);
        num(c, fmt("trunk_lean_at_%.2f", t.abductor_strength[i]),
            fmt("Trendelenburg: trunk lean over the stance hip at abductor strength %.2f",
                t.abductor_strength[i]),
            t.trunk_lean_deg[i], "deg");
      }
      if (t.visible_drop_strength)
        num(c, "visible_drop_strength",
            "Trendelenburg: abductor strength below which the pelvis drops > 2 cm", *t.visible_drop_strength,
            "fraction");
      if (!drop.x.empty() || !lean.x.empty()) {
        ClaimPlot d;
        d.series = {drop, lean};
        if (drop.x.empty()) d.series = {lean};
        if (lean.x.empty()) d.series = {drop};
        d.line.title = "Trendelenburg: pelvic drop and trunk lean against abductor strength";
        d.line.x_label = "stance-side abductor strength (fraction)";
        d.line.y_label = "cm / deg";
        d.line.markers = true;
        d.caption =
            "Single-leg stance: the smallest pelvic drop (trunk upright) or trunk lean (pelvis level) "
            "that the weakened body holds without reserves (glutelab simulate trendelenburg); levels "
            "where no posture holds are left out.";
        c.model.plots.push_back(d);
      }
    } else {
      c.model.pending.push_back(
          "Pelvic drop and trunk lean against abductor strength: pending the Trendelenburg simulation "
          "(glutelab simulate trendelenburg).");
    }
    if (in.valgus) {
      for (std::size_t i = 0;
           i < in.valgus->strength.size() && i < in.valgus->knee_frontal_moment_change_nm.size(); ++i)
        num(c, fmt("knee_frontal_moment_change_at_%.2f", in.valgus->strength[i]),
            fmt("valgus: change in knee frontal-plane moment at strength %.2f", in.valgus->strength[i]),
            in.valgus->knee_frontal_moment_change_nm[i], "N m");
      for (std::size_t i = 0;
           i < in.valgus->strength.size() && i < in.valgus->hip_adduction_change_deg.size(); ++i)
        num(c, fmt("hip_adduction_change_at_%.2f", in.valgus->strength[i]),
            fmt("valgus: extra hip adduction at strength %.2f", in.valgus->strength[i]),
            in.valgus->hip_adduction_change_deg[i], "deg");
    } else {
      c.model.pending.push_back(
          "Hip adduction, internal rotation and knee frontal-plane moment with weak abductors and external "
          "rotators: pending the valgus simulation (glutelab simulate valgus).");
    }
    c.model.limits = {
        "The moment shares say who carries hip abduction in the prescribed, level-pelvis movements; the "
        "Trendelenburg and valgus simulations let the posture change with strength, statically (held "
        "postures, no momentum), with the muscles' own passive forces and no iliotibial band or hip "
        "capsule."};
    for (const std::string& note : posture_notes) c.model.limits.push_back(note);
    c.model.verdict = verdict_medius(in);
    rep.claims.push_back(std::move(c));
  }

  // (d) Tight hip flexors.
  {
    Claim c = new_claim(3);
    c.title = "Sitting, tight hip flexors and the glutes";
    c.model.method =
        "The healthy body's hip flexors (iliacus, psoas, rectus femoris, sartorius, tensor fasciae "
        "latae) and gluteus maximus in the exercises that end in hip extension, as the baseline the "
        "tight-flexor simulation will change.";
    ClaimPlot p;
    for (const char* e : {"glute_bridge", "hip_thrust", "standing_glute_squeeze"}) {
      const ExerciseWorkReport* r = report(e, Side::Right, Variant::Healthy);
      if (!r) continue;
      num(c, std::string(e) + "_hip_flexor_force", display(e) + ": hip flexors' mean force (working side)",
          working_side_mean_force(*r, "hip flexors"), "N");
      num(c, std::string(e) + "_hip_flexor_mean", display(e) + ": hip flexors' mean activation",
          peak_and_mean_activation(*r, "hip flexors").second, "activation");
      const double gm = peak_and_mean_activation(*r, "gluteus maximus").second;
      num(c, std::string(e) + "_gluteus_maximus_mean", display(e) + ": gluteus maximus mean activation", gm,
          "activation");
      p.bars.push_back({display(e), gm});
    }
    if (!p.bars.empty()) {
      p.bar.title = "Healthy baseline: gluteus maximus mean activation";
      p.bar.x_label = "mean activation";
      p.caption = "The healthy body's gluteus maximus in hip-extension exercises, before any tightness.";
      c.model.plots.push_back(p);
    }
    TightFlexorInputs in{tight};
    if (in.simulation) {
      const std::string sh = " (flexors " + pct(in.simulation->shortening) + " shorter)";
      c.model.method +=
          " Then the tight-flexor simulation: iliacus, psoas, rectus femoris and tensor fasciae "
          "latae with their optimal fiber length " +
          pct(in.simulation->shortening) +
          " shorter, the same movements analysed against the healthy body (glutelab simulate "
          "tight-flexors).";
      ClaimPlot tp;
      for (const TightFlexorRow& r : in.simulation->exercises) {
        num(c, r.exercise + "_gluteus_maximus_top_healthy",
            display(r.exercise) + ": gluteus maximus activation at the top, healthy",
            r.gluteus_maximus_healthy, "activation");
        num(c, r.exercise + "_gluteus_maximus_top_tight",
            display(r.exercise) + ": gluteus maximus activation at the top" + sh, r.gluteus_maximus_tight,
            "activation");
        num(c, r.exercise + "_extra_hip_extension_moment",
            display(r.exercise) + ": extra hip-extension moment at the top" + sh,
            r.extra_hip_extension_moment_nm, "N m");
        num(c, r.exercise + "_lumbar_extension_added",
            display(r.exercise) + ": lumbar extension added if the hip is spared the stretch" + sh,
            r.lumbar_extension_added_deg, "deg");
        tp.bars.push_back({display(r.exercise) + ": healthy", r.gluteus_maximus_healthy});
        tp.bar.bar_colors.push_back(kColors[1]);
        tp.bars.push_back({display(r.exercise) + ": tight flexors", r.gluteus_maximus_tight});
        tp.bar.bar_colors.push_back(kColors[0]);
      }
      num(c, "end_range_hip_extension_loss", "loss of end-range hip extension (Thomas-test end point)" + sh,
          in.simulation->end_range_hip_extension_loss_deg, "deg");
      num(c, "lumbar_extension_shift", "largest lumbar extension added" + sh,
          in.simulation->lumbar_extension_shift_deg, "deg");
      if (!tp.bars.empty()) {
        tp.bar.title = "Gluteus maximus at the top: healthy and tight flexors";
        tp.bar.x_label = "activation at the top";
        tp.bar.label_width = 300.0;
        tp.caption =
            "Blue: healthy hip flexors, red: shortened. Shortened flexors resist hip extension, so the "
            "extensors must add moment.";
        c.model.plots.push_back(tp);
      }
    } else {
      c.model.pending.push_back(
          "How much gluteus maximus activation changes when the hip flexors are shortened (extra "
          "hip-extension "
          "moment in bridges, hip thrusts and standing, lost end-range extension, shift to the lumbar "
          "spine): "
          "pending the tight-flexor simulation (glutelab simulate tight-flexors).");
    }
    c.model.limits = {
        "A muscle model has no neural inhibition: \"switching off\" can only be imposed on it (an activation "
        "ceiling), never predicted. What it can compute is mechanical: shortened flexors pull harder in hip "
        "extension, so the extensors must add that moment."};
    c.model.verdict = verdict_tight_flexors(in);
    rep.claims.push_back(std::move(c));
  }

  // (e) Gluteal amnesia.
  {
    Claim c = new_claim(4);
    c.title = "\"Gluteal amnesia\": who takes over";
    c.model.method =
        "The same movements analysed with every gluteal muscle (maximus, medius, minimus, both sides) "
        "unable to exceed activation " +
        fmt("%.2f", o.amnesia_activation_ceiling) +
        ", against the healthy body; mean force of each group on the working side.";
    AmnesiaInputs in;
    ClaimPlot p;
    static const std::vector<std::string> groups{"hamstrings", "adductor magnus", "lower back", "quadriceps",
                                                 "gluteus maximus"};
    for (std::size_t ei = 0; ei < o.amnesia_exercises.size(); ++ei) {
      const std::string& e = o.amnesia_exercises[ei];
      const ExerciseWorkReport* h = report(e, Side::Right, Variant::Healthy);
      const ExerciseWorkReport* k = report(e, Side::Right, Variant::GlutesCapped);
      if (!h || !k) continue;
      CompensationRow row;
      row.exercise = e;
      for (const std::string& g : groups) {
        const double fh = working_side_mean_force(*h, g), fk = working_side_mean_force(*k, g);
        row.mean_force_n.push_back({g, {fh, fk}});
        std::string key = g;
        std::replace(key.begin(), key.end(), ' ', '_');
        num(c, e + "_" + key + "_healthy", display(e) + ": " + g + " mean force, healthy", fh, "N");
        num(c, e + "_" + key + "_capped", display(e) + ": " + g + " mean force, glutes not firing", fk, "N");
        if (g != "gluteus maximus" && fh > 0.0) {
          p.bars.push_back({display(e) + ": " + g, fk / fh});
          p.bar.bar_colors.push_back(kColors[ei % 6]);
        }
      }
      num(c, e + "_hamstrings_hip_extension_share_healthy",
          display(e) + ": hamstrings' share of hip extension, healthy",
          h->hip_extension.group_share("hamstrings"), "fraction");
      num(c, e + "_hamstrings_hip_extension_share_capped",
          display(e) + ": hamstrings' share of hip extension, glutes not firing",
          k->hip_extension.group_share("hamstrings"), "fraction");
      num(c, e + "_adductor_magnus_hip_extension_share_capped",
          display(e) + ": adductor magnus' share of hip extension, glutes not firing",
          k->hip_extension.share_of("adductor magnus"), "fraction");
      num(c, e + "_glutes_hip_extension_share_healthy",
          display(e) + ": glutes' share of hip extension, healthy", gluteal_hip_extension_share(*h),
          "fraction");
      num(c, e + "_glutes_hip_extension_share_capped",
          display(e) + ": glutes' share of hip extension, glutes not firing", gluteal_hip_extension_share(*k),
          "fraction");
      num(c, e + "_max_reserve_capped",
          display(e) + ": largest reserve, glutes not firing (of the " +
              (k->max_reserve_coordinate.empty() ? std::string("joint") : k->max_reserve_coordinate) +
              " moment; above 10 %: the other muscles cannot make the movement)",
          k->max_reserve_fraction, "fraction");
      in.exercises.push_back(std::move(row));
    }
    if (!p.bars.empty()) {
      p.bar.title = "Mean force with the glutes not firing / healthy";
      p.bar.x_label = "ratio to the healthy body (1: unchanged)";
      p.bar.value_format = "%.2f";
      p.bar.label_width = 300.0;
      p.caption = "Above 1: the group works harder when the glutes cannot fire.";
      c.model.plots.push_back(p);
    }
    c.model.limits = {
        "The movement is the healthy one, prescribed: the model redistributes the same joint moments over "
        "the "
        "remaining muscles. The lower back can only take over if the movement itself changes (more lumbar "
        "extension), which a prescribed motion does not allow; the compensation report and the tight-flexor "
        "simulation look at posture."};
    c.model.verdict = verdict_amnesia(in);
    rep.claims.push_back(std::move(c));
  }

  // (f) Side-to-side weakness.
  {
    Claim c = new_claim(5);
    c.title = "Single-leg work and side-to-side weakness";
    c.model.method =
        "The right side's gluteus maximus, medius and minimus " + pct(1.0 - o.weak_side_strength) +
        " weaker (strength factor " + fmt("%.2f", o.weak_side_strength) +
        "); peak activation of each side's glutes (force-weighted), i.e. its demand over its capacity. "
        "Single-leg exercises are analysed with the weak (right) and the strong (left) leg working.";
    AsymmetryInputs in;
    ClaimPlot p;
    const ExerciseWorkReport* sq_h = report("back_squat", Side::Right, Variant::Healthy);
    const ExerciseWorkReport* sq_w = report("back_squat", Side::Right, Variant::RightGlutesWeak);
    auto add_side = [&](const SideDemand& s) {
      num(c, s.exercise + "_weak_side_peak", display(s.exercise) + ": weak side's peak gluteal activation",
          s.weak_side_peak, "activation");
      num(c, s.exercise + "_strong_side_peak",
          display(s.exercise) + ": strong side's peak gluteal activation", s.strong_side_peak, "activation");
      num(c, s.exercise + "_healthy_peak", display(s.exercise) + ": the same side's peak, nobody weakened",
          s.healthy_peak, "activation");
      num(c, s.exercise + "_side_difference", display(s.exercise) + ": weak minus strong side",
          s.difference(), "activation");
      p.bars.push_back({display(s.exercise) + ": weak side", s.weak_side_peak});
      p.bar.bar_colors.push_back(kColors[0]);
      p.bars.push_back({display(s.exercise) + ": strong side", s.strong_side_peak});
      p.bar.bar_colors.push_back(kColors[1]);
    };
    if (sq_h && sq_w) {
      in.bilateral = {"back_squat", false, side_glute_peak(*sq_w, healthy, Side::Right),
                      side_glute_peak(*sq_w, healthy, Side::Left),
                      side_glute_peak(*sq_h, healthy, Side::Right)};
      add_side(in.bilateral);
      for (const std::string& e : o.single_leg_exercises) {
        const ExerciseWorkReport* h = report(e, Side::Right, Variant::Healthy);
        const ExerciseWorkReport* wr = report(e, Side::Right, Variant::RightGlutesWeak);
        const ExerciseWorkReport* wl = report(e, Side::Left, Variant::RightGlutesWeak);
        if (!h || !wr || !wl) continue;
        in.single_leg.push_back({e, true, side_glute_peak(*wr, healthy, Side::Right),
                                 side_glute_peak(*wl, healthy, Side::Left),
                                 side_glute_peak(*h, healthy, Side::Right)});
        add_side(in.single_leg.back());
      }
    }
    if (!p.bars.empty()) {
      p.bar.title = "Peak gluteal activation, weak and strong side";
      p.bar.x_label = "peak activation (demand over capacity)";
      p.bar.label_width = 300.0;
      p.caption = "Red: the weakened side, blue: the other side. The gap is what a person could notice.";
      c.model.plots.push_back(p);
    }
    c.model.limits = {
        "In the bilateral squat the generator shares the load between the legs by the movement's geometry "
        "(symmetric here), so the weak side cannot offload onto the strong one: the model shows the squat's "
        "asymmetry at equal loading. People do shift weight to the stronger leg (Salem et al. 2003), which "
        "hides a weakness further in a real squat; the model cannot choose to do that.",
        "Static optimization shares a joint's moment by least squared activation: while other muscles can "
        "take "
        "over (a light bilateral squat), a weakened muscle is given less of the load and its activation can "
        "even "
        "fall; the weakness then shows in its synergists. Only when the demand is high does the weak side's "
        "activation rise.",
        "Activation near 1 or a reserve means the weak side could not do the exercise: the model reports the "
        "demand, not a felt difference."};
    if (!sq_h || !sq_w) {
      c.model.verdict.rule = "needs the back squat";
      c.model.verdict.verdict = Verdict::OutsideModel;
      c.model.verdict.reason = "The back squat could not be analysed for this body, so nothing was compared.";
    } else {
      c.model.verdict = verdict_asymmetry(in);
    }
    rep.claims.push_back(std::move(c));
  }

  // (g) Spot reduction.
  {
    Claim c = new_claim(6);
    c.title = "Spot reduction";
    c.model.method =
        "What the model can compute is mechanical: the positive work of the extensors in one repetition. For "
        "scale, the repetitions whose metabolic cost (at an assumed 25 % muscular efficiency) equals the "
        "energy "
        "of 1 kg of body fat (3500 kcal per pound, 32.3 MJ/kg).";
    ClaimPlot p;
    for (const char* e : {"hip_thrust", "glute_bridge", "back_squat"}) {
      const ExerciseWorkReport* r = report(e, Side::Right, Variant::Healthy);
      if (!r || !(r->extensor_work_total_j > 0.0)) continue;
      num(c, std::string(e) + "_extensor_work", display(e) + ": positive extensor work per repetition",
          r->extensor_work_total_j, "J");
      num(c, std::string(e) + "_reps_per_kg_fat",
          display(e) + ": repetitions whose metabolic cost equals 1 kg of body fat",
          kFatEnergyJPerKg * kMuscleEfficiency / r->extensor_work_total_j, "count");
      p.bars.push_back({display(e), r->extensor_work_total_j});
    }
    if (!p.bars.empty()) {
      p.bar.title = "Positive extensor work per repetition";
      p.bar.x_label = "work (J)";
      p.bar.value_format = "%.0f";
      p.caption = "Energy the joints' extensors deliver in one repetition, whatever the fat it comes from.";
      c.model.plots.push_back(p);
    }
    c.model.limits = {
        "The model has no fat tissue, no energy balance and no regional fat: where fat is lost is "
        "outside it; the figures above only say how small one repetition's energy is."};
    c.model.verdict = verdict_spot_reduction({});
    rep.claims.push_back(std::move(c));
  }

  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return rep;
}

}  // namespace glutelab
