// `glutelab simulate tight-flexors`: shortened hip flexors (dysfunction/tight_hip_flexors.hpp) against the
// healthy body, per shortening level: the Thomas-test end point, and per exercise the extra hip-extension
// moment with the posture held and the lumbar extension when the hip is spared. Table or JSON on stdout;
// CSV, JSON, .sto and an HTML page to -o DIR.
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "exercise_cli.hpp"
#include "glutelab/dysfunction/tight_flexor_html.hpp"
#include "glutelab/dysfunction/tight_hip_flexors.hpp"
#include "glutelab/io/storage.hpp"
#include "progress.hpp"

namespace glutelab::cli {
namespace {

constexpr double kDeg = 180.0 / 3.14159265358979323846;

struct TightArgs {
  BodyArgs body;
  std::vector<double> shortening;
  std::optional<double> sweep_to;
  int steps = 5;
  double ceiling = 1.0;
  std::vector<std::string> exercises;
  double thomas_knee_deg = 80.0;
  std::string out;
};

std::string g(double v) {
  char b[64];
  std::snprintf(b, sizeof b, "%g", v);
  return b;
}

std::vector<double> levels(const TightArgs& a) {
  if (a.sweep_to) {
    if (!std::isfinite(*a.sweep_to) || *a.sweep_to <= 0.0 || *a.sweep_to > kMaxFlexorShortening)
      throw std::invalid_argument("--sweep-to must be in (0, " + g(kMaxFlexorShortening) + "], got " +
                                  g(*a.sweep_to));
    if (a.steps < 2 || a.steps > 31)
      throw std::invalid_argument("--steps must be in [2, 31], got " + std::to_string(a.steps));
    std::vector<double> out;
    for (int k = 0; k < a.steps; ++k) out.push_back(*a.sweep_to * k / (a.steps - 1));
    return out;
  }
  if (a.shortening.empty()) return {0.0, 0.05, 0.10, 0.15, 0.20};
  for (double s : a.shortening)
    if (!std::isfinite(s) || s < 0.0 || s > kMaxFlexorShortening)
      throw std::invalid_argument("--shortening must be in [0, " + g(kMaxFlexorShortening) + "], got " +
                                  g(s));
  return a.shortening;
}

nlohmann::json result_json(const TightFlexorExerciseResult& x) {
  return {{"exercise", x.exercise},
          {"shortening", x.shortening},
          {"top_frame", x.top_frame},
          {"top_hip_flexion_deg", x.top_hip_flexion_rad * kDeg},
          {"passive_flexor_moment_top_Nm", x.passive_flexor_moment_top_nm},
          {"healthy_passive_flexor_moment_top_Nm", x.healthy_passive_flexor_moment_top_nm},
          {"extra_passive_moment_top_Nm", x.extra_passive_moment_top_nm},
          {"peak_extra_passive_moment_Nm", x.peak_extra_passive_moment_nm},
          {"extensor_moment_top_Nm", x.extensor_moment_top_nm},
          {"healthy_extensor_moment_top_Nm", x.healthy_extensor_moment_top_nm},
          {"extra_extensor_moment_top_Nm", x.extra_extensor_moment_top_nm},
          {"gluteus_maximus_activation_top", x.gluteus_maximus_activation_top},
          {"healthy_gluteus_maximus_activation_top", x.healthy_gluteus_maximus_activation_top},
          {"hamstrings_activation_top", x.hamstrings_activation_top},
          {"healthy_hamstrings_activation_top", x.healthy_hamstrings_activation_top},
          {"adductors_activation_top", x.adductors_activation_top},
          {"healthy_adductors_activation_top", x.healthy_adductors_activation_top},
          {"hip_reserve_fraction", x.hip_reserve_fraction},
          {"converged_frames", x.converged_frames},
          {"frames", x.frames},
          {"lumbar_extension_added_top_deg", x.lumbar_extension_added_top_rad * kDeg},
          {"erector_spinae_force_top_N", x.erector_spinae_force_top_n},
          {"healthy_erector_spinae_force_top_N", x.healthy_erector_spinae_force_top_n},
          {"erector_spinae_activation_top", x.erector_spinae_activation_top},
          {"healthy_erector_spinae_activation_top", x.healthy_erector_spinae_activation_top},
          {"erector_spinae_moment_top_Nm", x.erector_spinae_moment_top_nm},
          {"healthy_erector_spinae_moment_top_Nm", x.healthy_erector_spinae_moment_top_nm},
          {"compensated_extensor_moment_top_Nm", x.compensated_extensor_moment_top_nm},
          {"compensated_max_pelvis_residual", x.compensated_max_pelvis_residual},
          {"healthy_max_pelvis_residual", x.healthy_max_pelvis_residual}};
}

nlohmann::json thomas_json(const ThomasTestResult& t) {
  return {{"end_hip_flexion_deg", t.end_hip_flexion_rad * kDeg},
          {"leg_moment_Nm", t.leg_moment_nm},
          {"outside_range", t.outside_range}};
}

nlohmann::json report_json(const TightFlexorReport& r) {
  nlohmann::json levels_j = nlohmann::json::array();
  for (const TightFlexorLevel& l : r.levels) {
    nlohmann::json ex = nlohmann::json::array();
    for (const auto& x : l.exercises) ex.push_back(result_json(x));
    levels_j.push_back({{"shortening", l.shortening},
                        {"thomas_test", thomas_json(l.thomas)},
                        {"end_range_loss_deg", l.end_range_loss_rad * kDeg},
                        {"passive_curve_Nm", l.passive_curve_nm},
                        {"exercises", ex}});
  }
  std::vector<double> angles;
  for (double a : r.curve_hip_flexion_rad) angles.push_back(a * kDeg);
  return {{"flexor_muscles", r.flexor_muscles},
          {"shortening_applies_to", "optimal_fiber_length"},
          {"glute_activation_ceiling", r.glute_activation_ceiling},
          {"frames_per_rep", r.parameters.frames_per_rep},
          {"thomas_knee_flexion_deg", r.thomas_options.knee_flexion_rad * kDeg},
          {"healthy_thomas_test", thomas_json(r.healthy_thomas)},
          {"curve_hip_flexion_deg", angles},
          {"healthy_passive_curve_Nm", r.healthy_curve_nm},
          {"levels", levels_j},
          {"seconds", r.seconds}};
}

std::string report_csv(const TightFlexorReport& r) {
  std::string csv =
      "exercise,shortening,thomas_end_hip_flexion_deg,end_range_loss_deg,top_hip_flexion_deg,"
      "passive_flexor_moment_top_Nm,extra_passive_moment_top_Nm,extensor_moment_top_Nm,"
      "extra_extensor_moment_top_Nm,gluteus_maximus_activation_top,healthy_gluteus_maximus_activation_top,"
      "hamstrings_activation_top,healthy_hamstrings_activation_top,lumbar_extension_added_top_deg,"
      "erector_spinae_force_top_N,healthy_erector_spinae_force_top_N,compensated_max_pelvis_residual\n";
  char line[768];
  for (const TightFlexorLevel& l : r.levels)
    for (const auto& x : l.exercises) {
      std::snprintf(line, sizeof line,
                    "%s,%g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g\n",
                    x.exercise.c_str(), x.shortening, l.thomas.end_hip_flexion_rad * kDeg,
                    l.end_range_loss_rad * kDeg, x.top_hip_flexion_rad * kDeg, x.passive_flexor_moment_top_nm,
                    x.extra_passive_moment_top_nm, x.extensor_moment_top_nm, x.extra_extensor_moment_top_nm,
                    x.gluteus_maximus_activation_top, x.healthy_gluteus_maximus_activation_top,
                    x.hamstrings_activation_top, x.healthy_hamstrings_activation_top,
                    x.lumbar_extension_added_top_rad * kDeg, x.erector_spinae_force_top_n,
                    x.healthy_erector_spinae_force_top_n, x.compensated_max_pelvis_residual);
      csv += line;
    }
  return csv;
}

/// Per exercise: one .sto with, per level, the tight flexors' passive moment, the SO extensors' moment,
/// the lumbar shift (rad) and the erector spinae force of the spared posture.
void write_series(const TightFlexorReport& r, const std::filesystem::path& dir,
                  std::vector<std::string>& written) {
  if (r.levels.empty()) return;
  for (std::size_t e = 0; e < r.levels.front().exercises.size(); ++e) {
    const TightFlexorExerciseResult& first = r.levels.front().exercises[e];
    TimeTable t;
    t.name = first.exercise + " tight hip flexors";
    t.time_s = first.series.time_s;
    const auto F = static_cast<Eigen::Index>(t.time_s.size());
    t.values = Eigen::MatrixXd::Zero(F, static_cast<Eigen::Index>(1 + 4 * r.levels.size()));
    t.labels.push_back("hip_flexion");
    for (Eigen::Index f = 0; f < F; ++f)
      t.values(f, 0) = first.series.hip_flexion_rad[static_cast<std::size_t>(f)];
    for (std::size_t l = 0; l < r.levels.size(); ++l) {
      const TightFlexorSeries& s = r.levels[l].exercises[e].series;
      char tag[32];
      std::snprintf(tag, sizeof tag, "_s%.3f", r.levels[l].shortening);
      const std::array<std::pair<const char*, const std::vector<double>*>, 4> cols{
          {{"passive_flexor_moment", &s.passive_flexor_moment_nm},
           {"extensor_moment", &s.extensor_moment_nm},
           {"lumbar_shift", &s.lumbar_shift_rad},
           {"erector_spinae_force", &s.erector_spinae_force_n}}};
      for (std::size_t c = 0; c < cols.size(); ++c) {
        t.labels.push_back(std::string(cols[c].first) + tag);
        const auto col = static_cast<Eigen::Index>(1 + 4 * l + c);
        for (Eigen::Index f = 0; f < F; ++f)
          t.values(f, col) = (*cols[c].second)[static_cast<std::size_t>(f)];
      }
    }
    const std::string file = first.exercise + "_tight_flexors.sto";
    write_storage(dir / file, t);
    written.push_back(file);
  }
}

void print_table(const TightFlexorReport& r) {
  std::printf("tight hip flexors (%zu muscles, optimal fiber length shortened), glute ceiling %.2f, %.1f s\n",
              r.flexor_muscles.size(), r.glute_activation_ceiling, r.seconds);
  std::printf("Thomas-test end point (knee %.0f deg): healthy %.1f deg%s\n",
              r.thomas_options.knee_flexion_rad * kDeg, r.healthy_thomas.end_hip_flexion_rad * kDeg,
              r.healthy_thomas.outside_range ? " (beyond the hip's range)" : "");
  std::printf("\n%6s %9s %7s\n", "short", "thomas", "loss");
  for (const TightFlexorLevel& l : r.levels)
    std::printf("%5.0f%% %8.1f° %6.1f°%s\n", 100.0 * l.shortening, l.thomas.end_hip_flexion_rad * kDeg,
                l.end_range_loss_rad * kDeg, l.thomas.outside_range ? " (beyond range)" : "");
  if (r.levels.empty()) return;
  for (std::size_t e = 0; e < r.levels.front().exercises.size(); ++e) {
    std::printf("\n%s (top: hip %.1f deg)\n%6s %8s %8s %8s %8s %13s %13s %8s %12s\n",
                r.levels.front().exercises[e].exercise.c_str(),
                r.levels.front().exercises[e].top_hip_flexion_rad * kDeg, "short", "passive", "+passive",
                "ext Nm", "+ext Nm", "glmax act", "hams act", "lumbar+", "erector N");
    for (const TightFlexorLevel& l : r.levels) {
      const TightFlexorExerciseResult& x = l.exercises[e];
      std::printf("%5.0f%% %8.1f %8.1f %8.1f %8.1f %6.3f→%-6.3f %6.3f→%-6.3f %7.1f° %5.0f→%-5.0f\n",
                  100.0 * x.shortening, x.passive_flexor_moment_top_nm, x.extra_passive_moment_top_nm,
                  x.extensor_moment_top_nm, x.extra_extensor_moment_top_nm,
                  x.healthy_gluteus_maximus_activation_top, x.gluteus_maximus_activation_top,
                  x.healthy_hamstrings_activation_top, x.hamstrings_activation_top,
                  x.lumbar_extension_added_top_rad * kDeg, x.healthy_erector_spinae_force_top_n,
                  x.erector_spinae_force_top_n);
    }
  }
}

void run_tight_flexors(const TightArgs& a) {
  validate_load(a.body);
  TightFlexorOptions o;
  o.shortening = levels(a);
  if (!std::isfinite(a.ceiling) || a.ceiling < 0.0 || a.ceiling > 1.0)
    throw std::invalid_argument("--inhibit-glutes (activation ceiling) must be in [0, 1], got " +
                                g(a.ceiling));
  o.glute_activation_ceiling = a.ceiling;
  if (!a.exercises.empty()) o.exercises = a.exercises;
  o.parameters = exercise_parameters(a.body);
  o.work = work_options(a.body);
  if (!std::isfinite(a.thomas_knee_deg) || a.thomas_knee_deg < 0.0 || a.thomas_knee_deg > 120.0)
    throw std::invalid_argument("--thomas-knee must be in [0, 120] deg, got " + g(a.thomas_knee_deg));
  o.thomas.knee_flexion_rad = a.thomas_knee_deg / kDeg;
  const Model model = body_model(a.body);
  ProgressBar bar("tight hip flexors");
  o.progress = [&bar](int done, int total) { bar.update(done, total); };
  const TightFlexorReport r = simulate_tight_hip_flexors(model, o);
  const nlohmann::json j = report_json(r);

  std::vector<std::string> written;
  if (!a.out.empty()) {
    const std::filesystem::path dir = a.out;
    std::filesystem::create_directories(dir);
    write_text_atomically(dir / "tight_flexors.json", j.dump(2) + "\n");
    write_text_atomically(dir / "tight_flexors.csv", report_csv(r));
    std::string curve = "hip_flexion_deg,healthy_Nm";
    for (const TightFlexorLevel& l : r.levels) curve += ",s" + g(l.shortening) + "_Nm";
    curve += "\n";
    for (std::size_t k = 0; k < r.curve_hip_flexion_rad.size(); ++k) {
      curve += g(r.curve_hip_flexion_rad[k] * kDeg) + "," + g(r.healthy_curve_nm[k]);
      for (const TightFlexorLevel& l : r.levels) curve += "," + g(l.passive_curve_nm[k]);
      curve += "\n";
    }
    write_text_atomically(dir / "passive_flexor_moment.csv", curve);
    write_text_atomically(dir / "tight_flexors.html", render_tight_flexor_html(r));
    written = {"tight_flexors.json", "tight_flexors.csv", "passive_flexor_moment.csv", "tight_flexors.html"};
    write_series(r, dir, written);
  }
  if (a.body.json) {
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  print_table(r);
  for (const std::string& f : written)
    std::printf("wrote %s\n", (std::filesystem::path(a.out) / f).string().c_str());
}

}  // namespace

void add_simulate_tight_flexors_command(CLI::App& simulate) {
  auto a = std::make_shared<TightArgs>();
  auto* cmd = simulate.add_subcommand(
      "tight-flexors",
      "Shortened hip flexors (iliacus, psoas, rectus femoris, TFL) against the healthy body: extra hip "
      "extension moment, end-range hip extension, lumbar extension");
  auto* sh = cmd->add_option("--shortening", a->shortening,
                             "Shortening levels, fractions of the optimal fiber length in [0, 0.3] (default "
                             "0,0.05,0.1,0.15,0.2)")
                 ->delimiter(',');
  auto* sw = cmd->add_option("--sweep-to", a->sweep_to, "Sweep from 0 to this shortening (with --steps)");
  sw->excludes(sh);
  cmd->add_option("--steps", a->steps, "Levels of --sweep-to, [2, 31]")->needs(sw)->capture_default_str();
  cmd->add_option(
         "--inhibit-glutes", a->ceiling,
         "Activation ceiling of the glutes (maximus, medius, minimus) in the tight body, [0, 1]; 1: none")
      ->capture_default_str();
  cmd->add_option("--exercise", a->exercises,
                  "Exercises (comma-separated; default glute_bridge,hip_thrust,standing; standing = "
                  "standing_glute_squeeze)")
      ->delimiter(',');
  cmd->add_option("--thomas-knee", a->thomas_knee_deg, "Knee flexion (deg) of the Thomas-test end point")
      ->capture_default_str();
  add_body_options(cmd, a->body);
  cmd->add_option("-o,--out", a->out, "Output folder (CSV, JSON, .sto, HTML)");
  cmd->callback([a] { run_tight_flexors(*a); });
}

}  // namespace glutelab::cli
