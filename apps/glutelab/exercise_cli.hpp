// Shared by the exercise commands (cmd_exercises.cpp, cmd_report.cpp, cmd_sweep.cpp): the body and
// exercise options, and the files and JSON written for an analysed exercise or a femur sweep.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "glutelab/exercise/exercise.hpp"
#include "glutelab/exercise/femur_sweep.hpp"
#include "glutelab/exercise/work_analysis.hpp"
#include "glutelab/model/model.hpp"

namespace glutelab::cli {

/// The options of a body and an exercise repetition as given on the command line.
struct BodyArgs {
  std::string model = "glutelab";
  std::optional<double> height_m, mass_kg, femur_m;
  std::string sex = "male";
  double load_kg = 0.0;
  double depth = 1.0;
  double stance_width_m = 0.30;
  std::string placement;
  double tempo_s = 0.0;           ///< 0: the exercise's default tempo
  double band_n_per_m = -1.0;     ///< < 0: the exercise's default band
  double support_height_m = 0.0;  ///< 0: the exercise's default box, bench or seat
  std::string side = "right";
  int frames = 100;
  int threads = 0;
  bool json = false;
};

/// Registers --model --height --mass --sex --femur --load --depth --placement --tempo --side --frames -j
/// --json.
void add_body_options(CLI::App* cmd, BodyArgs& a);
/// The model named by --model, scaled to the body when --height and --mass (or --femur) are given.
Model body_model(const BodyArgs& a);
ExerciseParameters exercise_parameters(const BodyArgs& a);
ExerciseWorkOptions work_options(const BodyArgs& a);
/// Throws std::invalid_argument for a negative load.
void validate_load(const BodyArgs& a);

/// An analysed exercise as JSON (summary.json of `analyze`).
nlohmann::json report_json(const ExerciseWorkReport& r);
/// Writes activation.sto, force.sto, group_activation.sto, summary.csv, summary.json and
/// group_activation.svg to `dir`; lists them on stdout unless `quiet`.
void write_outputs(const ExerciseWorkReport& r, const std::filesystem::path& dir, bool quiet);

/// One femur-sweep point as JSON (the points of femur_sweep.json).
nlohmann::json femur_sweep_point_json(const FemurSweepPoint& p);
/// The femur sweep as CSV (femur_sweep.csv: one row per exercise and ratio).
std::string femur_sweep_csv(const FemurSweepResult& r);

}  // namespace glutelab::cli
