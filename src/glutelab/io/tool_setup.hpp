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

}  // namespace glutelab
