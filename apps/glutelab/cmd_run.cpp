// `glutelab run SETUP.xml`: runs an OpenSim tool setup file as OpenSim would.
#include "commands.hpp"
#include "glutelab/io/input_error.hpp"
#include "glutelab/io/tool_setup.hpp"

namespace glutelab::cli {

void add_run_command(CLI::App& app) {
  auto setup = std::make_shared<std::string>();
  auto results = std::make_shared<std::string>();
  auto scale = std::make_shared<ScaleRunFlags>();
  auto* cmd = app.add_subcommand(
      "run",
      "Run an OpenSim setup file (InverseDynamicsTool, AnalyzeTool with StaticOptimization/JointReaction, "
      "ScaleTool)");
  cmd->add_option("setup", *setup, "OpenSim tool setup (.xml)")->required();
  cmd->add_option("--results-dir", *results,
                  "Write the outputs here instead of the setup's results_directory (same file names)");
  cmd->add_option("--model", scale->model_file,
                  "ScaleTool: use this generic model instead of the setup's model_file");
  cmd->add_flag("--json", scale->json,
                "ScaleTool: print the result (factors, masses, pose, markers) as JSON");
  cmd->add_flag("--strict", scale->strict,
                "ScaleTool: bodies the model lacks are errors instead of warnings");
  cmd->callback([setup, results, scale] {
    const std::filesystem::path file(*setup);
    const std::string kind = setup_tool_kind(file);
    if (kind == "InverseDynamicsTool") return run_inverse_dynamics_setup(file, *results);
    if (kind == "AnalyzeTool") return run_analyze_setup(file, *results);
    if (kind == "ScaleTool") {
      scale->results_dir = *results;
      return run_scale_setup(file, *scale);
    }
    throw InputError(file, "glutelab cannot run a <" + kind +
                               "> setup (supported: InverseDynamicsTool, AnalyzeTool, ScaleTool)");
  });
}

}  // namespace glutelab::cli
