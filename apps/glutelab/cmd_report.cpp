// `glutelab report`: every catalogued exercise and the femur sweep analysed for one body, written as a
// self-contained HTML report (exercise/html_report.hpp) with the CSV/JSON summaries and .sto time series
// it is built from.
#include <cstdio>
#include <memory>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "exercise_cli.hpp"
#include "glutelab/exercise/html_report.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "glutelab/io/storage.hpp"
#include "progress.hpp"

namespace glutelab::cli {
namespace {

struct ReportArgs {
  BodyArgs body;
  std::vector<double> ratios{0.9, 1.0, 1.1, 1.2};
  bool no_sweep = false;
  std::string out = "glutelab-output/report";
};

nlohmann::json rankings_json(const ExerciseReportData& d) {
  nlohmann::json out = nlohmann::json::object();
  for (const std::string& g : report_ranking_groups()) {
    nlohmann::json rows = nlohmann::json::array();
    for (const ExerciseRank& e : rank_exercises(d.exercises, g, RankBy::Mean))
      rows.push_back({{"exercise", e.exercise},
                      {"display_name", e.display_name},
                      {"mean_activation", e.mean_activation},
                      {"peak_activation", e.peak_activation}});
    out[g] = rows;
  }
  return out;
}

/// One row per exercise: the figures of the report's "at a glance" table.
nlohmann::json exercise_summary_json(const ExerciseWorkReport& r) {
  nlohmann::json mean = nlohmann::json::object();
  for (const GroupWorkSummary& g : r.groups) mean[g.group] = g.mean_activation;
  nlohmann::json work = nlohmann::json::object();
  for (const JointWork& w : r.extensor_work) work[w.joint] = w.fraction;
  return {{"exercise", r.exercise},
          {"display_name", r.display_name},
          {"load_kg", r.load_kg},
          {"frames", r.frames},
          {"converged_frames", r.converged_frames},
          {"mean_activation", mean},
          {"extensor_work_fraction", work},
          {"peak_hip_contact_BW", r.peak_hip_contact_bw},
          {"peak_knee_frontal_moment_Nm", r.peak_knee_frontal_moment_nm},
          {"max_reserve_fraction", r.max_reserve_fraction},
          {"max_reserve_coordinate", r.max_reserve_coordinate},
          {"files", "exercises/" + r.exercise}};
}

void run_report(const ReportArgs& a) {
  validate_load(a.body);
  if (!a.body.height_m || !a.body.mass_kg) throw std::invalid_argument("give both --height and --mass");
  BodyDescription body;
  body.height_m = *a.body.height_m;
  body.mass_kg = *a.body.mass_kg;
  body.sex = a.body.sex == "female" ? Sex::Female : Sex::Male;
  body.thigh_length_m = a.body.femur_m;
  validate(body);  // before reading the model: a clear error for an impossible body
  const Model generic = read_osim(model_path_from_argument(a.body.model));

  ExerciseReportOptions o;
  o.parameters = exercise_parameters(a.body);
  o.work = work_options(a.body);
  o.sweep_ratios = a.no_sweep ? std::vector<double>{} : a.ratios;
  std::fprintf(stderr, "report: analysing %zu exercises%s for %.2f m, %.0f kg, %s (%d frames each)\n",
               exercise_catalog().size(), a.no_sweep ? "" : " and the femur sweep", body.height_m,
               body.mass_kg, a.body.sex.c_str(), a.body.frames);
  ProgressBar bar("report");
  o.progress = [&bar](int done, int total, const std::string&) { bar.update(done, total); };
  const ExerciseReportData d = run_exercise_report(generic, body, o);

  const std::filesystem::path dir = a.out;
  std::filesystem::create_directories(dir);
  for (const ExerciseWorkReport& r : d.exercises) write_outputs(r, dir / "exercises" / r.exercise, true);
  std::string csv =
      "exercise,gluteus_maximus_mean,gluteus_medius_mean,gluteus_minimus_mean,deep_six_mean,hip_work_share,"
      "knee_work_share,peak_hip_contact_BW,peak_knee_frontal_moment_Nm,max_reserve_fraction,converged_frames,"
      "frames\n";
  char line[512];
  nlohmann::json exercises = nlohmann::json::array();
  for (const ExerciseWorkReport& r : d.exercises) {
    const nlohmann::json s = exercise_summary_json(r);
    exercises.push_back(s);
    const auto& m = s.at("mean_activation");
    const auto& w = s.at("extensor_work_fraction");
    std::snprintf(line, sizeof line, "%s,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%d,%d\n",
                  r.exercise.c_str(), m.value("gluteus maximus", 0.0), m.value("gluteus medius", 0.0),
                  m.value("gluteus minimus", 0.0), m.value("deep six", 0.0), w.value("hip", 0.0),
                  w.value("knee", 0.0), r.peak_hip_contact_bw, r.peak_knee_frontal_moment_nm,
                  r.max_reserve_fraction, r.converged_frames, r.frames);
    csv += line;
  }
  std::string ranking_csv = "group,rank,exercise,mean_activation,peak_activation\n";
  const nlohmann::json rankings = rankings_json(d);
  for (const std::string& g : report_ranking_groups()) {
    int k = 0;
    for (const auto& row : rankings.at(g)) {
      std::snprintf(line, sizeof line, "%s,%d,%s,%.6g,%.6g\n", g.c_str(), ++k,
                    row.at("exercise").get<std::string>().c_str(), row.at("mean_activation").get<double>(),
                    row.at("peak_activation").get<double>());
      ranking_csv += line;
    }
  }
  nlohmann::json sweep_points = nlohmann::json::array();
  for (const FemurSweepPoint& p : d.femur_sweep.points) sweep_points.push_back(femur_sweep_point_json(p));
  nlohmann::json skipped = nlohmann::json::array();
  for (const auto& [name, why] : d.skipped) skipped.push_back({{"exercise", name}, {"reason", why}});
  nlohmann::json skipped_ratios = nlohmann::json::array();
  for (const auto& [r, why] : d.skipped_ratios) skipped_ratios.push_back({{"ratio", r}, {"reason", why}});
  nlohmann::json failed_points = nlohmann::json::array();
  for (const auto& [what, why] : d.failed_sweep_points)
    failed_points.push_back({{"point", what}, {"reason", why}});

  const std::string html = render_html_report(d);
  write_text_atomically(dir / "report.html", html);
  write_text_atomically(dir / "summary.csv", csv);
  write_text_atomically(dir / "ranking.csv", ranking_csv);
  if (!d.femur_sweep.points.empty())
    write_text_atomically(dir / "femur_sweep.csv", femur_sweep_csv(d.femur_sweep));
  const nlohmann::json j = {
      {"body",
       {{"height_m", body.height_m},
        {"mass_kg", body.mass_kg},
        {"sex", a.body.sex},
        {"thigh_length_m", d.body.thigh_length_m},
        {"shank_length_m", d.body.shank_length_m},
        {"thigh_measured", body.thigh_length_m.has_value()}}},
      {"model",
       {{"name", d.body.model_name}, {"muscles", d.body.muscles}, {"mass_kg", d.body.model_mass_kg}}},
      {"load_kg", o.parameters.load_kg},
      {"depth", o.parameters.depth},
      {"frames_per_rep", o.parameters.frames_per_rep},
      {"seconds", d.seconds},
      {"exercises", exercises},
      {"skipped", skipped},
      {"rankings", rankings},
      {"femur_sweep",
       {{"exercises", d.femur_sweep.exercises},
        {"ratios", d.femur_sweep.ratios},
        {"skipped_ratios", skipped_ratios},
        {"failed_points", failed_points},
        {"points", sweep_points}}},
      {"report", (dir / "report.html").string()},
      {"report_bytes", html.size()}};
  write_text_atomically(dir / "report.json", j.dump(2) + "\n");

  if (a.body.json) {
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  std::printf("%-28s %7s %7s %7s %7s %6s %8s %7s\n", "exercise", "glmax", "glmed", "glmin", "deep6", "hip wk",
              "hip BW", "reserve");
  for (const auto& s : exercises) {
    const auto& m = s.at("mean_activation");
    std::printf("%-28s %7.3f %7.3f %7.3f %7.3f %5.0f%% %8.2f %6.1f%%\n",
                s.at("display_name").get<std::string>().c_str(), m.value("gluteus maximus", 0.0),
                m.value("gluteus medius", 0.0), m.value("gluteus minimus", 0.0), m.value("deep six", 0.0),
                100.0 * s.at("extensor_work_fraction").value("hip", 0.0),
                s.at("peak_hip_contact_BW").get<double>(),
                100.0 * s.at("max_reserve_fraction").get<double>());
  }
  for (const auto& [name, why] : d.skipped)
    std::fprintf(stderr, "warning: skipped %s: %s\n", name.c_str(), why.c_str());
  for (const auto& [what, why] : d.failed_sweep_points)
    std::fprintf(stderr, "warning: femur sweep of %s: %s\n", what.c_str(), why.c_str());
  std::printf("analysed %zu exercises%s in %.1f s\n", d.exercises.size(),
              d.femur_sweep.points.empty() ? "" : " and the femur sweep", d.seconds);
  std::printf("wrote %s (%.0f KiB), with summary.csv, ranking.csv, report.json and exercises/*/\n",
              (dir / "report.html").string().c_str(), static_cast<double>(html.size()) / 1024.0);
}

}  // namespace

void add_report_command(CLI::App& app) {
  auto a = std::make_shared<ReportArgs>();
  a->body.height_m = 1.75;
  a->body.mass_kg = 75.0;
  auto* cmd = app.add_subcommand(
      "report",
      "Self-contained HTML report for a body (default 1.75 m, 75 kg, male): every exercise, rankings for the "
      "glutes, femur-length sweep");
  add_body_options(cmd, a->body);
  cmd->add_option("--ratios", a->ratios, "Thigh-to-shank ratios of the femur sweep")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_flag("--no-sweep", a->no_sweep, "Leave out the femur-length sweep");
  cmd->add_option("-o,--out", a->out, "Output folder (report.html, summaries, exercises/NAME/*.sto)")
      ->capture_default_str();
  cmd->callback([a] { run_report(*a); });
}

}  // namespace glutelab::cli
