// `glutelab bench`: throughput of inverse dynamics and static optimization on the gait2392 walking
// case (OpenSim's joint-reaction tutorial), on one core and on all, and peak memory over repeats.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "glutelab/analysis/inverse_dynamics_tool.hpp"
#include "glutelab/analysis/static_optimization.hpp"
#include "glutelab/exercise/femur_sweep.hpp"
#include "glutelab/exercise/work_analysis.hpp"
#include "glutelab/io/force_set_reader.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "glutelab/muscle/body_scaling.hpp"

namespace glutelab::cli {
namespace {

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
}

struct BenchArgs {
  std::string case_dir;
  int repeats = 5;
  bool exercises = true;
  int sweep_bodies = 50;
  bool json = false;      ///< print the figures as JSON instead of text
  std::string json_file;  ///< also write them here
};

void run(const BenchArgs& args) {
  FILE* text = args.json ? stderr : stdout;  // with --json, stdout carries only the JSON
  const std::filesystem::path dir =
      args.case_dir.empty() ? default_bench_case() : std::filesystem::path(args.case_dir);
  Model model = read_osim(dir / "subject01_simbody_adjusted_StaticOp.osim");
  for (Actuator& a : read_force_set_actuators(dir / "gait2392_SO_weak_Residual_Actuators.xml", model))
    model.actuators.push_back(a);
  const Motion motion = read_motion(model, dir / "subject01_walk1_Kinematics.sto");
  const ExternalLoads loads = read_external_loads(dir / "foot_floor_loads.xml", model, dir);
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::fprintf(text, "case: %s (%zu muscles + %zu actuators, %d frames, %d cores)\n", dir.string().c_str(),
               model.muscles.size(), model.actuators.size(), motion.frames(), cores);
  nlohmann::json out = {{"case", dir.string()}, {"frames", motion.frames()}, {"cores", cores}};

  auto best_of = [&](auto&& once) {
    double best = 1e300;
    for (int r = 0; r < std::max(1, args.repeats); ++r) best = std::min(best, once());
    return best;
  };
  for (int threads : {1, cores}) {
    InverseDynamicsOptions o;
    o.threads = threads;
    const double seconds =
        best_of([&] { return inverse_dynamics_over_motion(model, motion, &loads, o).seconds; });
    const double fps = motion.frames() / seconds;
    std::fprintf(text, "inverse dynamics:     %9.0f frames/s on %d thread%s (%.2f us per frame)\n", fps,
                 threads, threads == 1 ? "" : "s", 1e6 * seconds / motion.frames());
    out["inverse_dynamics_frames_per_second"][std::to_string(threads)] = fps;
    if (cores == 1) break;
  }
  for (int threads : {1, cores}) {
    StaticOptimizationOptions o;
    o.threads = threads;
    double wall = 1e300;
    const double seconds = best_of([&] {
      const auto start = std::chrono::steady_clock::now();
      const double s = static_optimization(model, motion, &loads, o).seconds;
      wall = std::min(wall, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      return s;
    });
    const double fps = motion.frames() / seconds;
    std::fprintf(text,
                 "static optimization:  %9.0f frames/s on %d thread%s (%.1f us per frame, 92 muscles, p = 2; "
                 "%.0f frames/s with the coordinate splines)\n",
                 fps, threads, threads == 1 ? "" : "s", 1e6 * seconds / motion.frames(),
                 motion.frames() / wall);
    out["static_optimization_frames_per_second"][std::to_string(threads)] = fps;
    out["static_optimization_frames_per_second_with_coordinate_processing"][std::to_string(threads)] =
        motion.frames() / wall;
    if (cores == 1) break;
  }
  // The exercise library for one body and a femur-length sweep of many bodies (issue 4 targets: under
  // 2 s and under a minute on two cores).
  if (args.exercises) {
    const Model generic = read_osim(model_path_from_argument("glutelab"));
    BodyDescription body;
    body.height_m = 1.75;
    body.mass_kg = 75.0;
    const Model person = scale_body(generic, body);
    std::vector<ExerciseJob> jobs;
    for (const ExerciseInfo& e : exercise_catalog()) jobs.push_back({e.name, ExerciseParameters{}});
    const double library = best_of([&] { return analyze_exercises(person, jobs).seconds; });
    std::fprintf(
        text,
        "exercise library:     %zu exercises x 100 frames for a 1.75 m, 75 kg body in %.2f s on %d cores "
        "(%.1f exercises/s)\n",
        jobs.size(), library, cores, static_cast<double>(jobs.size()) / library);
    out["exercise_library_seconds"] = library;
    out["exercise_library_exercises"] = jobs.size();
    std::vector<double> ratios;
    for (int i = 0; i < args.sweep_bodies; ++i)
      ratios.push_back(args.sweep_bodies == 1 ? 1.0 : 0.8 + 0.5 * i / (args.sweep_bodies - 1.0));
    const FemurSweepResult sweep = femur_length_sweep(generic, body, {}, ratios);
    std::fprintf(text,
                 "femur sweep:          %d bodies x %zu exercises in %.1f s on %d cores (%.1f analyses/s)\n",
                 args.sweep_bodies, sweep.exercises.size(), sweep.seconds, cores,
                 static_cast<double>(sweep.points.size()) / sweep.seconds);
    out["femur_sweep_bodies"] = args.sweep_bodies;
    out["femur_sweep_seconds"] = sweep.seconds;
  }
  // Memory over repeated full trials: the per-frame work allocates nothing, so the peak stays put.
  std::vector<double> rss;
  for (int r = 0; r < 5; ++r) {
    static_optimization(model, motion, &loads, StaticOptimizationOptions{});
    rss.push_back(peak_rss_mib());
  }
  std::fprintf(text, "peak memory after 1..5 static-optimization trials: %.1f %.1f %.1f %.1f %.1f MiB\n",
               rss[0], rss[1], rss[2], rss[3], rss[4]);
  out["peak_rss_mib_after_each_trial"] = rss;
  std::fprintf(
      text,
      "for comparison, OpenSim 4.6 on this machine kind: static optimization ~11 frames/s, inverse dynamics "
      "~2,150 frames/s\n");
  if (!args.json_file.empty()) write_text_atomically(args.json_file, out.dump(2) + "\n");
  if (args.json) std::printf("%s\n", out.dump(2).c_str());
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto args = std::make_shared<BenchArgs>();
  auto* cmd = app.add_subcommand(
      "bench", "Inverse dynamics and static optimization frames per second (gait2392 walk)");
  cmd->add_option("--case", args->case_dir,
                  "Folder with the tutorial case files (default: the shipped copy)");
  cmd->add_option("--repeats", args->repeats, "Repeats; the best time counts")->capture_default_str();
  cmd->add_flag("--json", args->json, "Print the figures as JSON instead of text");
  cmd->add_option("--json-file", args->json_file, "Also write the figures as JSON to this file");
  cmd->add_flag("!--no-exercises", args->exercises, "Skip the exercise library and femur sweep timing");
  cmd->add_option("--sweep-bodies", args->sweep_bodies, "Bodies in the timed femur-length sweep")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->callback([args] { run(*args); });
}

}  // namespace glutelab::cli
