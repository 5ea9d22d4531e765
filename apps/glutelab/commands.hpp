// The glutelab subcommands: each registers its options on the CLI11 app and runs when chosen.
#pragma once

#include <filesystem>

#include <CLI/CLI.hpp>

namespace glutelab::cli {

void add_inspect_command(CLI::App& app);
void add_muscle_analysis_command(CLI::App& app);

/// The model and motion shipped with glutelab (data/, see data/SOURCE.md).
std::filesystem::path default_model_path();
std::filesystem::path default_motion_path();

}  // namespace glutelab::cli
