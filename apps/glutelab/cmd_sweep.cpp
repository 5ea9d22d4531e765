// `glutelab sweep femur`: the femur length sweep (exercise/femur_sweep.hpp) over thigh-to-shank ratios,
// printed as a table per exercise and written as CSV, JSON and an SVG plot.
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "exercise_cli.hpp"
#include "glutelab/exercise/femur_sweep.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "glutelab/io/storage.hpp"
#include "glutelab/io/svg_plot.hpp"

namespace glutelab::cli {
namespace {

struct SweepArgs {
  std::string model = "glutelab";
  std::vector<std::string> exercises;
  std::vector<double> ratios;
  std::optional<double> from, to;
  int steps = 4;
  double height_m = 1.75, mass_kg = 75.0;
  std::string sex = "male";
  double load_kg = 0.0, depth = 1.0;
  int frames = 100, threads = 0;
  bool json = false;
  std::string out = "glutelab-output/sweep/femur";
};

std::vector<double> sweep_ratios(const SweepArgs& a) {
  if (!a.ratios.empty() && (a.from || a.to))
    throw std::invalid_argument("give either --ratios or --from/--to");
  if (!a.ratios.empty()) return a.ratios;
  if (!a.from && !a.to) return {0.9, 1.0, 1.1, 1.2};
  if (!a.from || !a.to) throw std::invalid_argument("give both --from and --to");
  if (a.steps < 2) throw std::invalid_argument("--steps must be at least 2, got " + std::to_string(a.steps));
  std::vector<double> r;
  for (int i = 0; i < a.steps; ++i) r.push_back(*a.from + (*a.to - *a.from) * i / (a.steps - 1));
  return r;
}

}  // namespace

nlohmann::json femur_sweep_point_json(const FemurSweepPoint& p) {
  return {{"exercise", p.exercise},
          {"thigh_to_shank_ratio", p.thigh_to_shank_ratio},
          {"thigh_length_m", p.thigh_length_m},
          {"shank_length_m", p.shank_length_m},
          {"peak_trunk_lean_deg", p.peak_trunk_lean_deg},
          {"peak_hip_extension_moment_Nm", p.peak_hip_extension_moment_nm},
          {"peak_knee_extension_moment_Nm", p.peak_knee_extension_moment_nm},
          {"hip_to_knee_moment_ratio", std::isfinite(p.hip_to_knee_moment_ratio)
                                           ? nlohmann::json(p.hip_to_knee_moment_ratio)
                                           : nlohmann::json(nullptr)},
          {"hip_work_share", p.hip_work_share},
          {"knee_work_share", p.knee_work_share},
          {"ankle_work_share", p.ankle_work_share},
          {"lower_back_work_share", p.lower_back_work_share},
          {"extensor_work_total_J", p.extensor_work_total_j},
          {"gluteus_maximus_mean_activation", p.gluteus_maximus_mean_activation},
          {"quadriceps_mean_activation", p.quadriceps_mean_activation},
          {"frames", p.frames},
          {"converged_frames", p.converged_frames},
          {"seconds", p.seconds},
          {"error", p.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.error)}};
}

std::string femur_sweep_csv(const FemurSweepResult& r) {
  std::string csv =
      "exercise,thigh_to_shank_ratio,thigh_length_m,shank_length_m,peak_trunk_lean_deg,"
      "peak_hip_extension_moment_Nm,peak_knee_extension_moment_Nm,hip_to_knee_moment_ratio,hip_work_share,"
      "knee_work_share,ankle_work_share,lower_back_work_share,gluteus_maximus_mean_activation,"
      "quadriceps_mean_activation,converged_frames,frames\n";
  char line[512];
  for (const FemurSweepPoint& q : r.points) {
    std::snprintf(
        line, sizeof line, "%s,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%d,%d\n",
        q.exercise.c_str(), q.thigh_to_shank_ratio, q.thigh_length_m, q.shank_length_m, q.peak_trunk_lean_deg,
        q.peak_hip_extension_moment_nm, q.peak_knee_extension_moment_nm, q.hip_to_knee_moment_ratio,
        q.hip_work_share, q.knee_work_share, q.ankle_work_share, q.lower_back_work_share,
        q.gluteus_maximus_mean_activation, q.quadriceps_mean_activation, q.converged_frames, q.frames);
    csv += line;
  }
  return csv;
}

namespace {

void run_femur_sweep(const SweepArgs& a) {
  BodyDescription body;
  body.height_m = a.height_m;
  body.mass_kg = a.mass_kg;
  body.sex = a.sex == "female" ? Sex::Female : Sex::Male;
  if (!(a.load_kg >= 0.0)) {
    char msg[128];
    std::snprintf(msg, sizeof msg, "--load must be in [0, 5 x body mass] kg, got %g", a.load_kg);
    throw std::invalid_argument(msg);
  }
  ExerciseParameters p;
  p.load_kg = a.load_kg;
  p.depth = a.depth;
  p.frames_per_rep = a.frames;
  ExerciseWorkOptions o;
  o.threads = a.threads;
  const std::vector<double> ratios = sweep_ratios(a);
  validate_femur_sweep_ratios(body, ratios);
  const Model generic = read_osim(model_path_from_argument(a.model));
  const FemurSweepResult r = femur_length_sweep(generic, body, a.exercises, ratios, p, o);

  const std::filesystem::path dir = a.out;
  std::filesystem::create_directories(dir);
  nlohmann::json points = nlohmann::json::array();
  for (const FemurSweepPoint& q : r.points) points.push_back(femur_sweep_point_json(q));
  const nlohmann::json j = {{"height_m", a.height_m},   {"mass_kg", a.mass_kg}, {"sex", a.sex},
                            {"load_kg", a.load_kg},     {"depth", a.depth},     {"frames_per_rep", a.frames},
                            {"exercises", r.exercises}, {"ratios", r.ratios},   {"seconds", r.seconds},
                            {"points", points}};
  write_text_atomically(dir / "femur_sweep.csv", femur_sweep_csv(r));
  write_text_atomically(dir / "femur_sweep.json", j.dump(2) + "\n");
  std::vector<PlotSeries> series;
  for (std::size_t e = 0; e < r.exercises.size(); ++e) {
    PlotSeries glmax{r.exercises[e] + ": gluteus maximus mean activation", r.ratios, {}};
    PlotSeries quads{r.exercises[e] + ": quadriceps mean activation", r.ratios, {}};
    PlotSeries hip{r.exercises[e] + ": hip share of extensor work", r.ratios, {}};
    for (std::size_t k = 0; k < r.ratios.size(); ++k) {
      glmax.y.push_back(r.at(e, k).gluteus_maximus_mean_activation);
      quads.y.push_back(r.at(e, k).quadriceps_mean_activation);
      hip.y.push_back(r.at(e, k).hip_work_share);
    }
    series.push_back(glmax);
    series.push_back(quads);
    series.push_back(hip);
  }
  PlotOptions po;
  po.title = "Femur length sweep";
  po.x_label = "thigh-to-shank ratio";
  po.y_label = "mean activation / hip share of extensor work";
  po.legend_width = 360.0;
  write_svg_line_plot(dir / "femur_sweep.svg", series, po);

  if (a.json) {
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  std::printf("femur length sweep: %.2f m, %.0f kg, %s, load %.1f kg, depth %.2f (%.2f s)\n", a.height_m,
              a.mass_kg, a.sex.c_str(), a.load_kg, a.depth, r.seconds);
  for (std::size_t e = 0; e < r.exercises.size(); ++e) {
    std::printf("\n%s\n%6s %7s %7s %8s %8s %5s %5s %5s %5s %5s %6s %6s %7s\n", r.exercises[e].c_str(),
                "ratio", "thigh m", "lean", "hip Nm", "knee Nm", "h/k", "hip", "knee", "ankle", "back",
                "glmax", "quads", "solved");
    for (std::size_t k = 0; k < r.ratios.size(); ++k) {
      const FemurSweepPoint& q = r.at(e, k);
      if (!q.error.empty()) {
        std::printf("%6.2f not possible for this body: %s\n", q.thigh_to_shank_ratio, q.error.c_str());
        continue;
      }
      std::printf(
          "%6.2f %7.3f %6.1f° %8.1f %8.1f %5.2f %4.0f%% %4.0f%% %4.0f%% %4.0f%% %6.3f %6.3f %3d/%-3d\n",
          q.thigh_to_shank_ratio, q.thigh_length_m, q.peak_trunk_lean_deg, q.peak_hip_extension_moment_nm,
          q.peak_knee_extension_moment_nm, q.hip_to_knee_moment_ratio, 100.0 * q.hip_work_share,
          100.0 * q.knee_work_share, 100.0 * q.ankle_work_share, 100.0 * q.lower_back_work_share,
          q.gluteus_maximus_mean_activation, q.quadriceps_mean_activation, q.converged_frames, q.frames);
    }
  }
  for (const char* f : {"femur_sweep.csv", "femur_sweep.json", "femur_sweep.svg"})
    std::printf("wrote %s\n", (dir / f).string().c_str());
}

}  // namespace

void add_sweep_command(CLI::App& app) {
  auto* sweep = app.add_subcommand("sweep", "Parameter sweeps over a body's proportions");
  sweep->require_subcommand(1);
  auto a = std::make_shared<SweepArgs>();
  auto* femur = sweep->add_subcommand(
      "femur",
      "Thigh-to-shank ratio sweep: trunk lean, hip/knee moments, extensor work split, glute vs quads");
  femur->add_option("--model", a->model, "Model to scale (glutelab: the built-in model)")
      ->capture_default_str();
  femur->add_option("--exercise", a->exercises,
                    "Exercise (repeatable; default back_squat, romanian_deadlift, hip_thrust)");
  femur->add_option("--ratios", a->ratios, "Thigh-to-shank ratios, e.g. 0.9,1.0,1.1,1.2")->delimiter(',');
  femur->add_option("--from", a->from, "First ratio (with --to and --steps)");
  femur->add_option("--to", a->to, "Last ratio");
  femur->add_option("--steps", a->steps, "Number of ratios from --from to --to")->capture_default_str();
  femur->add_option("--height", a->height_m, "Body height (m)")->capture_default_str();
  femur->add_option("--mass", a->mass_kg, "Body mass (kg)")->capture_default_str();
  femur->add_option("--sex", a->sex, "male or female")
      ->check(CLI::IsMember({"male", "female"}))
      ->capture_default_str();
  femur->add_option("--load", a->load_kg, "External load (kg)")->capture_default_str();
  femur->add_option("--depth", a->depth, "Fraction [0, 1] of the full range")->capture_default_str();
  femur->add_option("--frames", a->frames, "Frames per repetition")->capture_default_str();
  femur->add_option("-j,--threads", a->threads, "Threads (0 = all cores)")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  femur->add_flag("--json", a->json, "Print JSON instead of tables");
  femur->add_option("-o,--out", a->out, "Output folder")->capture_default_str();
  femur->callback([a] { run_femur_sweep(*a); });
}

}  // namespace glutelab::cli
