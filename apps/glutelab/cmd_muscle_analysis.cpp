#include <algorithm>
#include <cstdio>
#include <thread>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "glutelab/analysis/muscle_analysis.hpp"
#include "glutelab/io/input_error.hpp"
#include "glutelab/io/motion.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "glutelab/io/storage.hpp"
#include "glutelab/model/muscle_groups.hpp"
#include "progress.hpp"

namespace glutelab::cli {
namespace {

struct MuscleAnalysisArgs {
  std::string model;
  std::string motion;
  std::string out = "glutelab-output/muscle-analysis";
  int threads = 0;
  double start_s = -1e300;
  double end_s = 1e300;
  bool no_moment_arms = false;
  bool csv = false;
  bool json = false;
};

// Keeps only the frames with start <= t <= end.
Motion time_window(const Motion& motion, double start_s, double end_s, const std::filesystem::path& file) {
  std::vector<int> rows;
  for (int f = 0; f < motion.frames(); ++f)
    if (motion.time_s[f] >= start_s - 1e-9 && motion.time_s[f] <= end_s + 1e-9) rows.push_back(f);
  if (rows.empty()) throw InputError(file, "no frames between the requested start and end times");
  Motion out;
  out.from_file = motion.from_file;
  out.q.resize(static_cast<Eigen::Index>(rows.size()), motion.q.cols());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out.time_s.push_back(motion.time_s[rows[i]]);
    out.q.row(static_cast<Eigen::Index>(i)) = motion.q.row(rows[i]);
  }
  return out;
}

void run(const MuscleAnalysisArgs& args) {
  const std::filesystem::path model_path = model_path_from_argument(args.model);
  const std::filesystem::path motion_path =
      args.motion.empty() ? default_motion_path() : std::filesystem::path(args.motion);
  std::vector<ReadWarning> warnings;
  const Model model = read_osim(model_path, &warnings);
  const Motion motion = time_window(read_motion(model, motion_path), args.start_s, args.end_s, motion_path);
  std::fprintf(args.json ? stderr : stdout, "muscle analysis: %s, %zu muscles, %d frames of %s\n",
               model.name.c_str(), model.muscles.size(), motion.frames(),
               motion_path.filename().string().c_str());

  ProgressBar bar("muscle analysis");
  MuscleAnalysisOptions options;
  options.threads = args.threads;
  options.compute_moment_arms = !args.no_moment_arms;
  options.progress = [&bar](int done, int total) { bar.update(done, total); };
  const MuscleAnalysisResult result = muscle_analysis(model, motion, options);

  std::filesystem::create_directories(args.out);
  const auto tables = muscle_analysis_tables(model, result);
  for (const auto& [name, table] : tables) {
    write_storage(std::filesystem::path(args.out) / (name + ".sto"), table);
    if (args.csv) write_csv(std::filesystem::path(args.out) / (name + ".csv"), table);
  }
  for (const PathDiscontinuity& d : result.discontinuities) {
    std::fprintf(stderr, "warning: path of %s jumps by %.2f mm at t = %.4f s (frame %d) as %s changes\n",
                 model.muscles[d.muscle].name.c_str(), 1e3 * d.jump_m, result.time_s[d.frame], d.frame,
                 model.coordinates[d.coordinate].name.c_str());
  }
  const double fps = result.seconds > 0 ? motion.frames() / result.seconds : 0.0;
  nlohmann::json summary = {{"model", model_path.string()},
                            {"motion", motion_path.string()},
                            {"frames", motion.frames()},
                            {"muscles", model.muscles.size()},
                            {"coordinates_with_moment_arms", result.coordinates.size()},
                            {"seconds", result.seconds},
                            {"frames_per_second", fps},
                            {"path_discontinuities", result.discontinuities.size()}};
  for (const auto& [name, table] : tables) summary["files"].push_back(name + ".sto");
  summary["threads"] =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  summary["out"] = args.out;
  write_text_atomically(std::filesystem::path(args.out) / "summary.json", summary.dump(2) + "\n");
  if (args.json) {
    std::printf("%s\n", summary.dump(2).c_str());
    return;
  }
  std::printf("wrote %zu tables to %s\n", tables.size(), args.out.c_str());
  std::printf("throughput: %.0f frames/s (%.3f ms per frame incl. %zu moment-arm columns, %d threads)\n", fps,
              1e3 * result.seconds / std::max(1, motion.frames()), result.coordinates.size(),
              options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency()));
}

}  // namespace

void add_muscle_analysis_command(CLI::App& app) {
  auto args = std::make_shared<MuscleAnalysisArgs>();
  auto* cmd = app.add_subcommand("muscle-analysis",
                                 "Musculotendon lengths, lengthening speeds and moment arms over a motion "
                                 "(like OpenSim's MuscleAnalysis)");
  cmd->add_option("model", args->model,
                  "OpenSim model (.osim), or glutelab for the built-in glutelab model; default: the shipped "
                  "gait2392 model");
  cmd->add_option("motion", args->motion,
                  "Coordinates over time (.mot/.sto); default: the shipped walking trial");
  cmd->add_option("-o,--out", args->out,
                  "Output folder for Length.sto, MomentArm_<coordinate>.sto, summary.json")
      ->capture_default_str();
  cmd->add_option("-j,--threads", args->threads, "Threads (0 = all cores)")->capture_default_str();
  cmd->add_option("--start", args->start_s, "First time to analyse (s)");
  cmd->add_option("--end", args->end_s, "Last time to analyse (s)");
  cmd->add_flag("--no-moment-arms", args->no_moment_arms, "Lengths and speeds only");
  cmd->add_flag("--csv", args->csv, "Also write every table as CSV");
  cmd->add_flag("--json", args->json, "Print the summary as JSON instead of text");
  cmd->callback([args] { run(*args); });
}

}  // namespace glutelab::cli
