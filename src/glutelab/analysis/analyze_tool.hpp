// OpenSim's AnalyzeTool with StaticOptimization and JointReaction analyses, run from its setup:
// the same inputs, the same output file names and columns.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "glutelab/analysis/joint_reaction.hpp"
#include "glutelab/analysis/static_optimization.hpp"
#include "glutelab/io/tool_setup.hpp"

namespace glutelab {

struct AnalyzeToolOptions {
  std::filesystem::path results_directory;  ///< overrides the setup's when not empty
  StaticOptimizationMode mode = StaticOptimizationMode::OpenSim;
  OpenSimForceModel opensim_version = OpenSimForceModel::Version4;
  int threads = 0;
  std::function<void(int done, int total)> progress;
};

struct AnalyzeToolRun {
  std::vector<std::filesystem::path> written;  ///< output files, in the order written
  bool ran_static_optimization = false;
  StaticOptimizationResult static_optimization;
  bool ran_joint_reaction = false;
  JointReactionResult joint_reaction;
  std::vector<std::string> warnings;  ///< e.g. infeasible frames
};

/// Runs the analyses of `setup` and writes <name>_StaticOptimization_activation.sto,
/// <name>_StaticOptimization_force.sto and <name>_JointReaction_ReactionLoads.sto. Joint reactions take
/// their forces from this run's static optimization, else from the setup's forces_file (linearly
/// interpolated, one column per muscle and actuator). Throws InputError naming the file for bad inputs.
AnalyzeToolRun run_analyze_tool(const AnalyzeSetup& setup, const AnalyzeToolOptions& options);

/// Forces of a force table (e.g. a static optimization _force.sto) at `frames`, matched to the
/// model's muscles and force-applying actuators by name and linearly interpolated in time. Throws
/// std::invalid_argument naming a missing column or a frame outside the table's time range.
StaticOptimizationResult forces_at_frames(const Model& model, const TimeTable& forces,
                                          const AnalysisFrames& frames);

}  // namespace glutelab
