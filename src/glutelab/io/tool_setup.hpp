// OpenSim tool setup files (InverseDynamicsTool, AnalyzeTool): the properties glutelab runs, with
// every path resolved relative to the setup file's folder, as OpenSim resolves them.
#pragma once

#include <filesystem>
#include <limits>
#include <string>
#include <vector>

namespace glutelab {

/// The tool a setup file describes: "InverseDynamicsTool", "AnalyzeTool", ... (the element under
/// OpenSimDocument). Throws InputError for a file that is not an OpenSim setup document.
std::string setup_tool_kind(const std::filesystem::path& setup_file);

struct InverseDynamicsSetup {
  std::filesystem::path setup_file;
  std::string name;  ///< the tool's name attribute
  std::filesystem::path model_file;
  std::filesystem::path coordinates_file;
  std::filesystem::path external_loads_file;  ///< empty: none
  std::filesystem::path results_directory;
  std::filesystem::path output_gen_force_file;  ///< inside results_directory
  double start_s = -std::numeric_limits<double>::infinity();
  double end_s = std::numeric_limits<double>::infinity();
  double cutoff_hz = -1.0;
  std::vector<std::string> forces_to_exclude;
};

/// Reads an InverseDynamicsTool setup. Throws InputError (file, line, column) for a missing model or
/// coordinates file property, a malformed number, or a referenced file that does not exist.
InverseDynamicsSetup read_inverse_dynamics_setup(const std::filesystem::path& setup_file);

/// An AnalyzeTool setup with StaticOptimization and/or JointReaction analyses.
struct AnalyzeSetup {
  std::filesystem::path setup_file;
  std::string name;  ///< prefix of the output files
  std::filesystem::path model_file;
  std::vector<std::filesystem::path> force_set_files;
  bool replace_force_set = false;
  std::filesystem::path coordinates_file;
  std::filesystem::path external_loads_file;
  std::filesystem::path results_directory;
  double start_s = -std::numeric_limits<double>::infinity();
  double end_s = std::numeric_limits<double>::infinity();
  double cutoff_hz = -1.0;

  struct StaticOptimization {
    bool on = false;
    int step_interval = 1;
    double activation_exponent = 2.0;
    bool use_muscle_physiology = true;
  } static_optimization;

  struct JointReaction {
    bool on = false;
    int step_interval = 1;
    std::filesystem::path forces_file;  ///< empty: use this run's static optimization
    std::vector<std::string> joint_names{"All"};
    std::vector<std::string> apply_on_bodies{"child"};
    std::vector<std::string> express_in_frame{"ground"};
  } joint_reaction;
};

/// Reads an AnalyzeTool setup. Throws InputError (file, line, column) for missing model or
/// coordinates files, a states_file (not supported: give coordinates), an analysis glutelab does not
/// run (named), or malformed values.
AnalyzeSetup read_analyze_setup(const std::filesystem::path& setup_file);

}  // namespace glutelab
