// `glutelab simulate weak`: weak or inhibited muscles in one exercise (dysfunction/compensation.hpp):
// which muscles take over against the healthy body, and with --limit how weak the named muscles can become
// before the exercise is no longer possible. Writes compensation.csv/json, the activations of both bodies
// as .sto and compensation.html.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "exercise_cli.hpp"
#include "glutelab/dysfunction/compensation.hpp"
#include "glutelab/dysfunction/compensation_html.hpp"
#include "glutelab/io/storage.hpp"
#include "progress.hpp"

namespace glutelab::cli {
namespace {

struct WeakArgs {
  BodyArgs body;
  std::string exercise;
  std::vector<std::string> muscles;
  std::vector<double> strengths, ceilings;
  std::vector<std::string> impair;  ///< NAME:STRENGTH[:CEILING]
  std::string side = "both";        ///< of the impairments
  std::string working_side;         ///< empty: from --side
  std::string limit;                ///< empty: no search; strength, ceiling or both
  double tolerance = 0.01;
  double max_reserve = 0.05;
  std::string out;
};

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

/// "+27 %", "-35 %", "new" (from 0).
std::string percent(const Comparison& c) {
  const double r = c.relative_change();
  if (std::isnan(r)) return "new";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.0f %%", 100.0 * r);
  return buf;
}

void check_fraction(const char* option, double v) {
  if (!std::isfinite(v) || v < 0.0 || v > 1.0)
    throw std::invalid_argument(std::string(option) + " must be in [0, 1], got " + number(v));
}

/// One value per --muscle, or one for all.
double value_for(const std::vector<double>& values, std::size_t i, const char* option, std::size_t muscles) {
  if (values.empty()) return 1.0;
  if (values.size() == 1) return values[0];
  if (values.size() != muscles)
    throw std::invalid_argument("give one " + std::string(option) +
                                " for all --muscle or one per --muscle (" + std::to_string(muscles) +
                                "), got " + std::to_string(values.size()));
  return values[i];
}

MuscleImpairment parse_impair(const std::string& spec, BodySide side) {
  const std::string usage =
      "--impair expects NAME:STRENGTH[:CEILING] with values in [0, 1], got '" + spec + "'";
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t pos; (pos = spec.find(':', start)) != std::string::npos; start = pos + 1)
    parts.push_back(spec.substr(start, pos - start));
  parts.push_back(spec.substr(start));
  if (parts.size() < 2 || parts.size() > 3 || parts[0].empty()) throw std::invalid_argument(usage);
  MuscleImpairment m{parts[0], side, 1.0, 1.0};
  for (std::size_t k = 1; k < parts.size(); ++k) {
    std::size_t used = 0;
    double v = 0.0;
    try {
      v = std::stod(parts[k], &used);
    } catch (const std::exception&) {
      throw std::invalid_argument(usage);
    }
    if (used != parts[k].size()) throw std::invalid_argument(usage);
    check_fraction(k == 1 ? "--impair strength" : "--impair ceiling", v);
    (k == 1 ? m.strength : m.activation_ceiling) = v;
  }
  return m;
}

struct Plan {
  std::vector<MuscleImpairment> fixed;    ///< compared (or held fixed during the search)
  std::vector<MuscleImpairment> targets;  ///< searched with --limit
  std::vector<WeaknessKind> kinds;
};

Plan plan(const WeakArgs& a) {
  const BodySide side = parse_body_side(a.side);
  const bool limit = !a.limit.empty();
  if (a.muscles.empty() && (!a.strengths.empty() || !a.ceilings.empty()))
    throw std::invalid_argument(
        "--strength and --ceiling apply to --muscle; give --muscle NAME (or --impair "
        "NAME:STRENGTH[:CEILING])");
  if (limit && (!a.strengths.empty() || !a.ceilings.empty()))
    throw std::invalid_argument(
        "--limit searches the strength or ceiling of the --muscle targets itself: drop "
        "--strength/--ceiling (impairments held fixed go in --impair NAME:STRENGTH[:CEILING])");
  if (limit && a.muscles.empty())
    throw std::invalid_argument("--limit needs --muscle NAME: the muscles to weaken");
  if (!limit && !a.muscles.empty() && a.strengths.empty() && a.ceilings.empty())
    throw std::invalid_argument(
        "--muscle " + a.muscles.front() +
        " needs --strength or --ceiling (or --limit to search for the weakest possible)");
  if (a.muscles.empty() && a.impair.empty())
    throw std::invalid_argument(
        "give the muscles to weaken: --muscle NAME --strength S [--ceiling C], --impair "
        "NAME:STRENGTH[:CEILING], or --muscle NAME --limit");
  if (!(a.tolerance > 0.0 && a.tolerance <= 0.5))
    throw std::invalid_argument("--tolerance must be in (0, 0.5], got " + number(a.tolerance));
  if (!(a.max_reserve > 0.0 && a.max_reserve < 1.0))
    throw std::invalid_argument("--max-reserve must be in (0, 1), got " + number(a.max_reserve));
  for (double s : a.strengths) check_fraction("--strength", s);
  for (double c : a.ceilings) check_fraction("--ceiling", c);
  Plan p;
  for (const std::string& spec : a.impair) p.fixed.push_back(parse_impair(spec, side));
  for (std::size_t i = 0; i < a.muscles.size(); ++i) {
    MuscleImpairment m{a.muscles[i], side, value_for(a.strengths, i, "--strength", a.muscles.size()),
                       value_for(a.ceilings, i, "--ceiling", a.muscles.size())};
    (limit ? p.targets : p.fixed).push_back(m);
  }
  // The same muscle or group named twice is a contradiction (which value holds?).
  std::vector<MuscleImpairment> all = p.fixed;
  all.insert(all.end(), p.targets.begin(), p.targets.end());
  for (std::size_t i = 0; i < all.size(); ++i)
    for (std::size_t j = i + 1; j < all.size(); ++j)
      if (all[i].target == all[j].target)
        throw std::invalid_argument(
            "'" + all[i].target + "' is given twice (--muscle/--impair); give it once" +
            (limit ? ": --limit searches the --muscle targets, --impair holds others fixed" : std::string()));
  if (a.limit == "strength" || a.limit == "both") p.kinds.push_back(WeaknessKind::Strength);
  if (a.limit == "ceiling" || a.limit == "both") p.kinds.push_back(WeaknessKind::ActivationCeiling);
  return p;
}

nlohmann::json comparison_json(const Comparison& c) {
  const double r = c.relative_change();
  return {{"baseline", c.baseline},
          {"impaired", c.impaired},
          {"change", c.change()},
          {"change_percent", std::isnan(r) ? nlohmann::json(nullptr) : nlohmann::json(100.0 * r)}};
}

nlohmann::json impairment_json(const MuscleImpairment& m) {
  return {{"target", m.target},
          {"side", to_string(m.side)},
          {"strength", m.strength},
          {"activation_ceiling", m.activation_ceiling}};
}

nlohmann::json share_json(const ShareChange& s) {
  nlohmann::json c = nlohmann::json::object(), g = nlohmann::json::object();
  for (const auto& [n, v] : s.contributors) c[n] = comparison_json(v);
  for (const auto& [n, v] : s.groups) g[n] = comparison_json(v);
  return {{"action", s.action},
          {"coordinate", s.coordinate},
          {"impulse_Nms", comparison_json(s.impulse_nms)},
          {"baseline_dominated_by_cocontraction", s.baseline_cocontraction},
          {"impaired_dominated_by_cocontraction", s.impaired_cocontraction},
          {"contributors", c},
          {"by_group", g}};
}

nlohmann::json hip_json(const HipContactPeak& h) {
  return {{"peak_BW", h.peak_bw},
          {"time_s", h.time_s},
          {"anterior_BW", h.anterior_bw},
          {"superior_BW", h.superior_bw},
          {"medial_BW", h.medial_bw},
          {"frontal_angle_deg", h.frontal_angle_deg},
          {"sagittal_angle_deg", h.sagittal_angle_deg}};
}

nlohmann::json nan_as_null(double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); }

nlohmann::json compensation_json(const CompensationReport& c) {
  nlohmann::json imps = nlohmann::json::array(), groups = nlohmann::json::array(),
                 muscles = nlohmann::json::array();
  for (const MuscleImpairment& m : c.impairments) imps.push_back(impairment_json(m));
  for (const GroupChange& g : c.groups)
    groups.push_back({{"group", g.group},
                      {"peak_activation", comparison_json(g.peak_activation)},
                      {"mean_activation", comparison_json(g.mean_activation)},
                      {"peak_force_N", comparison_json(g.peak_force_n)},
                      {"mean_force_N", comparison_json(g.mean_force_n)},
                      {"hip_extension_share", comparison_json(g.hip_extension_share)},
                      {"hip_abduction_share", comparison_json(g.hip_abduction_share)}});
  for (const MuscleChange& m : c.muscles)
    muscles.push_back({{"name", m.name},
                       {"group", m.group},
                       {"strength", m.strength},
                       {"activation_ceiling", m.activation_ceiling},
                       {"peak_activation", comparison_json(m.peak_activation)},
                       {"mean_activation", comparison_json(m.mean_activation)},
                       {"peak_force_N", comparison_json(m.peak_force_n)},
                       {"mean_force_N", comparison_json(m.mean_force_n)}});
  return {{"exercise", c.exercise},
          {"display_name", c.display_name},
          {"side", c.side == Side::Left ? "left" : "right"},
          {"body_mass_kg", c.baseline.body_mass_kg},
          {"load_kg", c.baseline.load_kg},
          {"frames", c.baseline.frames},
          {"impairments", imps},
          {"possible", {{"baseline", c.baseline_possible}, {"impaired", c.impaired_possible}}},
          {"why_not", {{"baseline", c.baseline_why_not}, {"impaired", c.impaired_why_not}}},
          {"max_reserve_threshold", c.max_reserve_threshold},
          {"max_reserve_fraction", comparison_json(c.max_reserve_fraction)},
          {"max_reserve_coordinate",
           {{"baseline", c.baseline_reserve_coordinate}, {"impaired", c.impaired_reserve_coordinate}}},
          {"groups", groups},
          {"muscles", muscles},
          {"hip_extension", share_json(c.hip_extension)},
          {"hip_abduction", share_json(c.hip_abduction)},
          {"lower_back",
           {{"erector_spinae_peak_force_N", comparison_json(c.erector_spinae_peak_force_n)},
            {"erector_spinae_mean_force_N", comparison_json(c.erector_spinae_mean_force_n)},
            {"lumbar_extension_muscle_peak_Nm", comparison_json(c.lumbar_extension_muscle_peak_nm)}}},
          {"knee",
           {{"reaction_peak_BW", comparison_json(c.knee_reaction_peak_bw)},
            {"frontal_moment_peak_Nm", comparison_json(c.knee_frontal_moment_peak_nm)}}},
          {"hip_contact",
           {{"baseline", hip_json(c.baseline_hip_contact)},
            {"impaired", hip_json(c.impaired_hip_contact)},
            {"direction_change_deg", c.hip_contact_direction_change_deg}}},
          {"seconds", c.seconds}};
}

nlohmann::json limit_json(const WeakestFeasible& w) {
  nlohmann::json targets = nlohmann::json::array(), takes = nlohmann::json::array();
  for (const MuscleImpairment& m : w.targets)
    targets.push_back({{"target", m.target}, {"side", to_string(m.side)}});
  for (std::size_t i = 0; i < w.at_limit.muscles.size() && takes.size() < 5; ++i) {
    const MuscleChange& m = w.at_limit.muscles[i];
    if (m.mean_force_n.change() > 0.0)
      takes.push_back({{"muscle", m.name}, {"mean_force_N", comparison_json(m.mean_force_n)}});
  }
  return {{"targets", targets},
          {"kind", to_string(w.kind)},
          {"tolerance", w.tolerance},
          {"feasible_factor", nan_as_null(w.feasible_factor)},
          {"infeasible_factor", nan_as_null(w.infeasible_factor)},
          {"possible_at_zero", w.possible_at_zero},
          {"impossible_at_full", w.impossible_at_full},
          {"limiting_coordinate", w.limiting_coordinate},
          {"limiting_reserve_fraction", w.limiting_reserve_fraction},
          {"why_not", w.why_not},
          {"takes_over_at_limit", takes},
          {"analyses", w.analyses},
          {"seconds", w.seconds}};
}

std::string csv_number(double v) {
  if (std::isnan(v)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string compensation_csv(const CompensationReport& c) {
  std::string csv = "section,name,group,quantity,unit,baseline,impaired,change,change_percent\n";
  auto row = [&](const std::string& section, const std::string& name, const std::string& group,
                 const std::string& quantity, const std::string& unit, const Comparison& v) {
    csv += section + "," + name + "," + group + "," + quantity + "," + unit + "," + csv_number(v.baseline) +
           "," + csv_number(v.impaired) + "," + csv_number(v.change()) + "," +
           csv_number(100.0 * v.relative_change()) + "\n";
  };
  for (const GroupChange& g : c.groups) {
    row("group", g.group, g.group, "mean_force", "N", g.mean_force_n);
    row("group", g.group, g.group, "peak_force", "N", g.peak_force_n);
    row("group", g.group, g.group, "mean_activation", "", g.mean_activation);
    row("group", g.group, g.group, "peak_activation", "", g.peak_activation);
    row("group", g.group, g.group, "hip_extension_share", "", g.hip_extension_share);
    row("group", g.group, g.group, "hip_abduction_share", "", g.hip_abduction_share);
  }
  for (const MuscleChange& m : c.muscles) {
    row("muscle", m.name, m.group, "mean_force", "N", m.mean_force_n);
    row("muscle", m.name, m.group, "peak_force", "N", m.peak_force_n);
    row("muscle", m.name, m.group, "mean_activation", "", m.mean_activation);
    row("muscle", m.name, m.group, "peak_activation", "", m.peak_activation);
  }
  for (const ShareChange* s : {&c.hip_extension, &c.hip_abduction}) {
    std::string action = s->action;
    std::replace(action.begin(), action.end(), ' ', '_');
    for (const auto& [n, v] : s->contributors) row("share", n, "", action + "_share", "", v);
  }
  row("load", "erector_spinae", "lower back", "peak_force", "N", c.erector_spinae_peak_force_n);
  row("load", "erector_spinae", "lower back", "mean_force", "N", c.erector_spinae_mean_force_n);
  row("load", "lumbar_extension_muscles", "lower back", "peak_moment", "N m",
      c.lumbar_extension_muscle_peak_nm);
  row("load", "knee_reaction", "", "peak_force", "BW", c.knee_reaction_peak_bw);
  row("load", "knee_frontal_moment", "", "peak_moment", "N m", c.knee_frontal_moment_peak_nm);
  const HipContactPeak& b = c.baseline_hip_contact;
  const HipContactPeak& i = c.impaired_hip_contact;
  row("load", "hip_contact", "", "peak_force", "BW", {b.peak_bw, i.peak_bw});
  row("load", "hip_contact", "", "anterior_at_peak", "BW", {b.anterior_bw, i.anterior_bw});
  row("load", "hip_contact", "", "superior_at_peak", "BW", {b.superior_bw, i.superior_bw});
  row("load", "hip_contact", "", "medial_at_peak", "BW", {b.medial_bw, i.medial_bw});
  row("load", "hip_contact", "", "frontal_angle", "deg", {b.frontal_angle_deg, i.frontal_angle_deg});
  row("load", "hip_contact", "", "sagittal_angle", "deg", {b.sagittal_angle_deg, i.sagittal_angle_deg});
  row("reserve", "max_reserve_fraction", "", "fraction_of_joint_moment", "", c.max_reserve_fraction);
  return csv;
}

TimeTable activation_table(const ExerciseWorkReport& r) {
  TimeTable t;
  t.name = "Static Optimization";
  t.time_s = r.time_s;
  t.labels = r.muscle_names;
  t.values = r.activation;
  return t;
}

void print_table(const CompensationReport& c) {
  std::printf("%s, %s working side, body %.1f kg, load %.1f kg: healthy vs ", c.display_name.c_str(),
              c.side == Side::Left ? "left" : "right", c.baseline.body_mass_kg, c.baseline.load_kg);
  for (std::size_t i = 0; i < c.impairments.size(); ++i)
    std::printf("%s%s", i ? "; " : "", describe_impairment(c.impairments[i]).c_str());
  std::printf(" (%.2f s)\n\n", c.seconds);
  std::printf("%-16s %21s %8s %17s %19s\n", "group (working)", "mean force (N)", "change", "peak activation",
              "hip ext share");
  for (const GroupChange& g : c.groups) {
    std::printf("%-16s %9.0f -> %8.0f %8s %7.2f -> %6.2f %8.2f -> %6.2f\n", g.group.c_str(),
                g.mean_force_n.baseline, g.mean_force_n.impaired, percent(g.mean_force_n).c_str(),
                g.peak_activation.baseline, g.peak_activation.impaired, g.hip_extension_share.baseline,
                g.hip_extension_share.impaired);
  }
  auto muscle_line = [](const MuscleChange& m) {
    std::printf("  %-14s %-16s %7.0f -> %7.0f N (%s)\n", m.name.c_str(), m.group.c_str(),
                m.mean_force_n.baseline, m.mean_force_n.impaired, percent(m.mean_force_n).c_str());
  };
  std::printf("\ntake over most (mean force):\n");
  for (std::size_t i = 0; i < c.muscles.size() && i < 8 && c.muscles[i].mean_force_n.change() > 0.5; ++i)
    muscle_line(c.muscles[i]);
  std::printf("give up most:\n");
  for (std::size_t k = 0; k < c.muscles.size() && k < 5; ++k) {
    const MuscleChange& m = c.muscles[c.muscles.size() - 1 - k];
    if (m.mean_force_n.change() >= -0.5) break;
    muscle_line(m);
  }
  for (const ShareChange* s : {&c.hip_extension, &c.hip_abduction}) {
    std::printf("%s shares (healthy -> impaired)%s:", s->action.c_str(),
                s->baseline_cocontraction || s->impaired_cocontraction
                    ? " [co-contraction: fractions of a small net moment]"
                    : "");
    if (s->impulse_nms.baseline <= 0.0) std::printf(" never needed");
    for (const auto& [n, v] : s->contributors)
      if (v.baseline != 0.0 || v.impaired != 0.0)
        std::printf(" %s %.2f->%.2f", n.c_str(), v.baseline, v.impaired);
    std::printf("\n");
  }
  std::printf(
      "lower back: erector spinae peak %.0f -> %.0f N (%s), muscles' lumbar extension moment %.1f -> %.1f N "
      "m\n",
      c.erector_spinae_peak_force_n.baseline, c.erector_spinae_peak_force_n.impaired,
      percent(c.erector_spinae_peak_force_n).c_str(), c.lumbar_extension_muscle_peak_nm.baseline,
      c.lumbar_extension_muscle_peak_nm.impaired);
  std::printf("knee: reaction peak %.2f -> %.2f BW (%s), frontal-plane moment %.1f -> %.1f N m\n",
              c.knee_reaction_peak_bw.baseline, c.knee_reaction_peak_bw.impaired,
              percent(c.knee_reaction_peak_bw).c_str(), c.knee_frontal_moment_peak_nm.baseline,
              c.knee_frontal_moment_peak_nm.impaired);
  const HipContactPeak& hb = c.baseline_hip_contact;
  const HipContactPeak& ha = c.impaired_hip_contact;
  std::printf(
      "hip contact: peak %.2f -> %.2f BW; from vertical %.1f -> %.1f deg medially, %.1f -> %.1f deg "
      "anteriorly (direction %.1f deg apart)\n",
      hb.peak_bw, ha.peak_bw, hb.frontal_angle_deg, ha.frontal_angle_deg, hb.sagittal_angle_deg,
      ha.sagittal_angle_deg, c.hip_contact_direction_change_deg);
  std::printf("reserves: %.1f %% (%s) -> %.1f %% (%s) of a joint moment: ",
              100 * c.max_reserve_fraction.baseline, c.baseline_reserve_coordinate.c_str(),
              100 * c.max_reserve_fraction.impaired, c.impaired_reserve_coordinate.c_str());
  if (c.impaired_possible)
    std::printf("the impaired body can do the exercise\n");
  else
    std::printf("NOT POSSIBLE for the impaired body: %s\n", c.impaired_why_not.c_str());
  if (!c.baseline_possible)
    std::printf("note: even the healthy body needs reserves: %s\n", c.baseline_why_not.c_str());
}

void print_limit(const WeakestFeasible& w) {
  std::string who;
  for (std::size_t i = 0; i < w.targets.size(); ++i)
    who += (i ? ", " : "") + w.targets[i].target + " (" + to_string(w.targets[i].side) + ")";
  std::printf("weakest %s of %s: ", to_string(w.kind).c_str(), who.c_str());
  if (w.impossible_at_full)
    std::printf("not possible even at 1: %s\n", w.why_not.c_str());
  else if (w.possible_at_zero)
    std::printf("0 (the exercise is possible without them)");
  else
    std::printf("%.3f (not possible at %.3f: %s)", w.feasible_factor, w.infeasible_factor, w.why_not.c_str());
  if (!w.impossible_at_full) {
    std::printf("; at the limit");
    int shown = 0;
    for (const MuscleChange& m : w.at_limit.muscles) {
      if (shown == 3 || m.mean_force_n.change() <= 0.5) break;
      std::printf("%s %s %.0f -> %.0f N", shown++ ? "," : "", m.name.c_str(), m.mean_force_n.baseline,
                  m.mean_force_n.impaired);
    }
    std::printf(" (%d analyses, %.1f s)\n", w.analyses, w.seconds);
  }
}

void run_weak(WeakArgs a) {
  const Plan p = plan(a);
  if (!a.working_side.empty())
    a.body.side = a.working_side;
  else
    a.body.side = a.side == "left" ? "left" : "right";
  validate_load(a.body);
  const Model m = body_model(a.body);
  // Names are checked before the exercise is generated and analysed.
  (void)muscle_capacity(m, p.fixed);
  (void)muscle_capacity(m, p.targets);
  const GeneratedExercise ex = generate_exercise(m, a.exercise, exercise_parameters(a.body));

  ProgressBar bar("simulate weak");
  CompensationOptions co;
  co.work = work_options(a.body);
  co.max_reserve_fraction = a.max_reserve;
  std::vector<WeakestFeasible> limits;
  CompensationReport report;
  if (p.kinds.empty()) {
    co.progress = [&bar](int done, int total) { bar.update(done, total); };
    report = compare_compensation(m, ex, p.fixed, co);
  } else {
    const int n = static_cast<int>(p.kinds.size());
    for (int k = 0; k < n; ++k) {
      WeakestFeasibleOptions wo;
      wo.compensation = co;
      wo.compensation.progress = [&bar, k, n](int done, int total) {
        bar.update(k * total + done, n * total);
      };
      wo.tolerance = a.tolerance;
      wo.background = p.fixed;
      limits.push_back(weakest_feasible_strength(m, ex, p.targets, p.kinds[static_cast<std::size_t>(k)], wo));
    }
    report = limits.front().at_limit;
  }

  const std::filesystem::path dir = a.out.empty() ? "glutelab-output/simulate-weak/" + a.exercise : a.out;
  std::filesystem::create_directories(dir);
  nlohmann::json j = compensation_json(report);
  nlohmann::json lj = nlohmann::json::array();
  for (const WeakestFeasible& w : limits) lj.push_back(limit_json(w));
  j["limits"] = lj;
  write_text_atomically(dir / "compensation.json", j.dump(2) + "\n");
  write_text_atomically(dir / "compensation.csv", compensation_csv(report));
  write_storage(dir / "baseline_activation.sto", activation_table(report.baseline));
  write_storage(dir / "impaired_activation.sto", activation_table(report.impaired));
  write_text_atomically(dir / "compensation.html", render_compensation_html(report, limits));
  if (a.body.json) {
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  print_table(report);
  for (const WeakestFeasible& w : limits) print_limit(w);
  for (const char* f : {"compensation.csv", "compensation.json", "baseline_activation.sto",
                        "impaired_activation.sto", "compensation.html"})
    std::printf("wrote %s\n", (dir / f).string().c_str());
}

}  // namespace

void add_simulate_weak_command(CLI::App& simulate) {
  auto a = std::make_shared<WeakArgs>();
  CLI::App* cmd = simulate.add_subcommand(
      "weak",
      "Weak or inhibited muscles in one exercise: which muscles take over against the healthy body, the "
      "loads on the lower back, knee and hip, and (--limit) how weak they can become before the exercise "
      "is no longer possible");
  cmd->add_option("-e,--exercise", a->exercise, "Exercise (see glutelab exercises)")->required();
  cmd->add_option(
      "-m,--muscle", a->muscles,
      "Muscle (glmed1, glmed1_r) or group (gluteus_medius, glutes, hip_abductors, hamstrings...) to "
      "weaken; repeat for several");
  cmd->add_option(
      "--strength", a->strengths,
      "Factor [0, 1] on the maximum force of the --muscle targets: one for all or one per --muscle");
  cmd->add_option(
      "--ceiling", a->ceilings,
      "Highest activation [0, 1] the --muscle targets can reach (\"asleep\"): one for all or one per "
      "--muscle");
  cmd->add_option("--impair", a->impair,
                  "Another impairment NAME:STRENGTH[:CEILING] (repeatable; held fixed with --limit)");
  add_body_options(cmd, a->body);
  // The impairments' side replaces the body options' --side (the exercise's working side is --working-side).
  cmd->remove_option(cmd->get_option("--side"));
  cmd->add_option("--side", a->side, "Side of the impairments: both, left or right")
      ->check(CLI::IsMember({"both", "left", "right"}))
      ->capture_default_str();
  cmd->add_option("--working-side", a->working_side,
                  "Working side of unilateral exercises (stance leg, front leg): right or left; default: the "
                  "impaired side, right for both")
      ->check(CLI::IsMember({"right", "left"}));
  CLI::Option* limit =
      cmd->add_option(
             "--limit", a->limit,
             "Search the weakest strength and/or ceiling of the --muscle targets with which the exercise is "
             "still possible: strength, ceiling or both (the default when given alone)")
          ->expected(0, 1)
          ->default_str("both")
          ->check(CLI::IsMember({"strength", "ceiling", "both"}));
  cmd->add_option("--tolerance", a->tolerance,
                  "With --limit: width of the final bracket of factors, (0, 0.5]")
      ->capture_default_str()
      ->needs(limit);
  cmd->add_option(
         "--max-reserve", a->max_reserve,
         "Reserves above this fraction of a joint's peak moment make the exercise not possible, (0, 1)")
      ->capture_default_str();
  cmd->add_option("-o,--out", a->out, "Output folder (default glutelab-output/simulate-weak/EXERCISE)");
  cmd->callback([a] { run_weak(*a); });
}

}  // namespace glutelab::cli
