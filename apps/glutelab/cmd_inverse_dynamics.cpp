// `glutelab inverse-dynamics` and the InverseDynamicsTool branch of `glutelab run`.
#include <cstdio>
#include <thread>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "glutelab/analysis/inverse_dynamics_tool.hpp"
#include "glutelab/io/input_error.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "glutelab/io/tool_setup.hpp"
#include "progress.hpp"

namespace glutelab::cli {
namespace {

struct InverseDynamicsArgs {
  std::string model;
  std::string motion;
  std::string external_loads;
  std::string out = "glutelab-output/inverse_dynamics.sto";
  double cutoff_hz = -1.0;
  double start_s = -std::numeric_limits<double>::infinity();
  double end_s = std::numeric_limits<double>::infinity();
  int threads = 0;
  bool csv = false;
  bool json = false;
};

void run(const InverseDynamicsArgs& args) {
  InverseDynamicsJob job;
  job.model_file = model_path_from_argument(args.model);
  job.coordinates_file = args.motion.empty() ? default_motion_path() : std::filesystem::path(args.motion);
  job.external_loads_file = args.external_loads;
  job.output_file = args.out;
  job.options.cutoff_hz = args.cutoff_hz;
  job.options.start_s = args.start_s;
  job.options.end_s = args.end_s;
  job.options.threads = args.threads;
  job.csv = args.csv;
  job.json = args.json;
  run_inverse_dynamics_job(job);
}

}  // namespace

void run_inverse_dynamics_job(InverseDynamicsJob job) {
  std::vector<ReadWarning> warnings;
  const Model model = read_osim(job.model_file, &warnings);
  // Dynamics needs every free coordinate: a missing column would silently hold it still.
  const Motion motion = read_motion(model, job.coordinates_file, /*require_all=*/true);
  ExternalLoads loads;
  const bool have_loads = !job.external_loads_file.empty();
  if (have_loads) {
    auto base = job.setup_directory.empty() ? std::filesystem::path{} : job.setup_directory;
    loads = read_external_loads(job.external_loads_file, model, base);
  }
  std::fprintf(job.json ? stderr : stdout, "inverse dynamics: %s, %d coordinates, %d frames of %s%s\n",
               model.name.c_str(), model.num_coordinates(), motion.frames(),
               job.coordinates_file.filename().string().c_str(),
               have_loads ? (", external loads " + job.external_loads_file.filename().string()).c_str() : "");
  ProgressBar bar("inverse dynamics");
  job.options.progress = [&bar](int done, int total) { bar.update(done, total); };
  InverseDynamicsResult result;
  try {
    result = inverse_dynamics_over_motion(model, motion, have_loads ? &loads : nullptr, job.options);
  } catch (const std::invalid_argument& e) {
    throw InputError(job.coordinates_file, e.what());
  }
  if (!result.generalized_forces.allFinite())
    throw InputError(job.coordinates_file, "inverse dynamics produced non-finite values (check the inputs)");
  const TimeTable table = inverse_dynamics_table(model, result);
  if (job.output_file.has_parent_path()) std::filesystem::create_directories(job.output_file.parent_path());
  write_storage(job.output_file, table);
  if (job.csv) write_csv(std::filesystem::path(job.output_file).replace_extension(".csv"), table);
  const int frames = static_cast<int>(result.time_s.size());
  const double fps = result.seconds > 0 ? frames / result.seconds : 0.0;
  nlohmann::json summary = {{"model", job.model_file.string()},
                            {"coordinates", job.coordinates_file.string()},
                            {"external_loads", job.external_loads_file.string()},
                            {"frames", frames},
                            {"cutoff_hz", job.options.cutoff_hz},
                            {"seconds", result.seconds},
                            {"frames_per_second", fps},
                            {"output", job.output_file.string()},
                            {"generalized_forces", result.coordinates.size()}};
  write_text_atomically(std::filesystem::path(job.output_file).replace_extension(".json"),
                        summary.dump(2) + "\n");
  if (job.json) {
    std::printf("%s\n", summary.dump(2).c_str());
    return;
  }
  std::printf("wrote %s (%d frames x %zu generalized forces)\n", job.output_file.string().c_str(), frames,
              result.coordinates.size());
  std::printf(
      "throughput: %.0f frames/s (%.2f us per frame, %d threads)\n", fps,
      1e6 * result.seconds / std::max(1, frames),
      job.options.threads > 0 ? job.options.threads : static_cast<int>(std::thread::hardware_concurrency()));
}

void run_inverse_dynamics_setup(const std::filesystem::path& setup_file,
                                const std::filesystem::path& results_dir) {
  const InverseDynamicsSetup setup = read_inverse_dynamics_setup(setup_file);
  InverseDynamicsJob job;
  job.model_file = setup.model_file;
  job.coordinates_file = setup.coordinates_file;
  job.external_loads_file = setup.external_loads_file;
  job.setup_directory =
      setup_file.parent_path().empty() ? std::filesystem::path(".") : setup_file.parent_path();
  job.output_file = results_dir.empty() ? setup.output_gen_force_file
                                        : results_dir / setup.output_gen_force_file.filename();
  job.options.cutoff_hz = setup.cutoff_hz;
  job.options.start_s = setup.start_s;
  job.options.end_s = setup.end_s;
  run_inverse_dynamics_job(job);
}

void add_inverse_dynamics_command(CLI::App& app) {
  auto args = std::make_shared<InverseDynamicsArgs>();
  auto* cmd = app.add_subcommand(
      "inverse-dynamics", "Generalized forces for every coordinate over a motion (like OpenSim's ID tool)");
  cmd->add_option("model", args->model,
                  "OpenSim model (.osim), or glutelab for the built-in glutelab model; default: the shipped "
                  "gait2392 model");
  cmd->add_option("motion", args->motion,
                  "Coordinates over time (.mot/.sto); default: the shipped walking trial");
  cmd->add_option("-e,--external-loads", args->external_loads, "ExternalLoads XML (ground reaction forces)");
  cmd->add_option("--cutoff", args->cutoff_hz, "Low-pass cutoff for the coordinates in Hz (<= 0: none)")
      ->capture_default_str();
  cmd->add_option("--start", args->start_s, "First time (s)");
  cmd->add_option("--end", args->end_s, "Last time (s)");
  cmd->add_option("-o,--out", args->out, "Output .sto (a .json summary is written beside it)")
      ->capture_default_str();
  cmd->add_option("-j,--threads", args->threads, "Threads (0 = all cores)")->capture_default_str();
  cmd->add_flag("--csv", args->csv, "Also write the table as CSV");
  cmd->add_flag("--json", args->json, "Print the summary as JSON instead of text");
  cmd->callback([args] { run(*args); });
}

}  // namespace glutelab::cli
