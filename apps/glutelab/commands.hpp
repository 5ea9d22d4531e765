// The glutelab subcommands: each registers its options on the CLI11 app and runs when chosen.
#pragma once

#include <filesystem>

#include <CLI/CLI.hpp>

#include "glutelab/analysis/inverse_dynamics_tool.hpp"

namespace glutelab::cli {

void add_inspect_command(CLI::App& app);
void add_muscle_analysis_command(CLI::App& app);
void add_inverse_dynamics_command(CLI::App& app);
void add_run_command(CLI::App& app);
/// `scale`: a model scaled to a body, written as .osim (cmd_scale_body.cpp).
void add_scale_command(CLI::App& app);
void add_static_optimization_commands(CLI::App& app);
/// `exercises`, `analyze` and `rank` (cmd_exercises.cpp).
void add_exercise_commands(CLI::App& app);
/// `sweep femur`: the femur length sweep (cmd_sweep.cpp).
void add_sweep_command(CLI::App& app);
/// `report`: the HTML report of every exercise for a body (cmd_report.cpp).
void add_report_command(CLI::App& app);
/// `simulate`: the dysfunction simulator's parent command (cmd_simulate.cpp); its subcommands are added
/// by the add_simulate_*_command functions below.
void add_simulate_command(CLI::App& app);
/// `simulate weak`: weak or inhibited muscles, the compensation report and the weakest feasible strength
/// (cmd_simulate_weak.cpp).
void add_simulate_weak_command(CLI::App& simulate);
/// `simulate tight-flexors`: shortened hip flexors against the healthy body (cmd_simulate_tight_flexors.cpp).
void add_simulate_tight_flexors_command(CLI::App& simulate);
/// `claims`: the brief's claims, the model's numbers and verdicts, the published evidence (cmd_claims.cpp).
void add_claims_command(CLI::App& app);
/// `simulate trendelenburg`: pelvic drop or trunk lean as the stance abductors weaken
/// (cmd_simulate_trendelenburg.cpp).
void add_simulate_trendelenburg_command(CLI::App& simulate);
/// `simulate valgus`: hip adduction and rotation as the abductors and external rotators weaken
/// (cmd_simulate_valgus.cpp).
void add_simulate_valgus_command(CLI::App& simulate);

/// Runs an AnalyzeTool setup (StaticOptimization, JointReaction); outputs go to `results_dir` when not empty.
void run_analyze_setup(const std::filesystem::path& setup_file,
                       const std::filesystem::path& results_dir = {});

/// One inverse-dynamics run (from flags or from an InverseDynamicsTool setup).
struct InverseDynamicsJob {
  std::filesystem::path model_file, coordinates_file, external_loads_file, output_file;
  std::filesystem::path setup_directory;  ///< where relative data files are looked up first
  InverseDynamicsOptions options;
  bool csv = false;
  bool json = false;  ///< print the summary as JSON on stdout instead of text
};
void run_inverse_dynamics_job(InverseDynamicsJob job);
/// Runs an InverseDynamicsTool setup; outputs go to `results_dir` when not empty.
void run_inverse_dynamics_setup(const std::filesystem::path& setup_file,
                                const std::filesystem::path& results_dir = {});

/// Options of `run` for a ScaleTool setup.
struct ScaleRunFlags {
  std::filesystem::path results_dir;  ///< outputs (and NAME_scale.json) here instead of beside the setup
  std::filesystem::path model_file;   ///< replaces GenericModelMaker's model_file when set
  bool json = false;                  ///< print the summary as JSON instead of the table
  bool strict = false;                ///< unknown bodies in the setup are errors
};
/// Runs a ScaleTool setup and prints the scale factors.
void run_scale_setup(const std::filesystem::path& setup_file, const ScaleRunFlags& flags);

/// The model and motion shipped with glutelab (data/, see data/SOURCE.md).
std::filesystem::path default_model_path();
std::filesystem::path default_motion_path();
/// A model argument as a path: empty means the default model, "glutelab" the built-in glutelab model.
std::filesystem::path model_path_from_argument(const std::string& argument);
/// The OpenSim joint-reaction tutorial walk (model, kinematics, loads, residual actuators) shipped for
/// `bench`.
std::filesystem::path default_bench_case();
/// The claims report's curated published evidence (data/evidence/claims.json).
std::filesystem::path default_evidence_path();
void add_bench_command(CLI::App& app);

}  // namespace glutelab::cli
