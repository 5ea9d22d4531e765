// OpenSim ExternalLoads files: ExternalForce definitions (applied body, frames of force and point,
// column identifiers) with their data file, and the loads interpolated in time as OpenSim does
// (natural cubic spline through the samples; see docs/opensim-tools.md section 2).
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "glutelab/io/storage.hpp"
#include "glutelab/model/function.hpp"
#include "glutelab/model/model.hpp"

namespace glutelab {

/// One ExternalForce: force (and optional point, torque) columns of the data table.
struct ExternalForce {
  std::string name;
  int applied_body = 0;  ///< body the load acts on
  int force_frame = 0;   ///< Model::frames index the force and torque are expressed in
  int point_frame = 0;   ///< Model::frames index the point is expressed in
  std::array<int, 3> force_columns{-1, -1, -1};  ///< data columns; -1 when absent
  std::array<int, 3> point_columns{-1, -1, -1};  ///< -1: the load acts at the body origin
  std::array<int, 3> torque_columns{-1, -1, -1};
  bool has_force() const { return force_columns[0] >= 0; }
  bool has_point() const { return point_columns[0] >= 0; }
  bool has_torque() const { return torque_columns[0] >= 0; }
};

/// A set of external forces with their data, immutable once read.
struct ExternalLoads {
  std::filesystem::path file;       ///< the ExternalLoads XML
  std::filesystem::path data_file;  ///< resolved data file
  TimeTable data;                   ///< values as in the file (no unit conversion)
  std::vector<ExternalForce> forces;
  /// One function of time per data column (natural cubic spline for >= 4 rows, piecewise linear
  /// for 2-3, constant for 1), as OpenSim's ExternalForce interpolates.
  std::vector<Function> column_functions;

  /// Value of data column `column` at time `t_s`.
  double value(int column, double t_s) const {
    return column_functions[static_cast<std::size_t>(column)].value(t_s);
  }
};

/// Reads an ExternalLoads XML file against `model`. The data file is looked up relative to
/// `data_base_dir` (the directory a tool runs in; the current directory when empty) and then relative
/// to the XML file's directory, as OpenSim does. Throws InputError with file, line and column for an
/// unknown body or frame, an identifier that does not match exactly three columns, a missing or
/// malformed data file.
ExternalLoads read_external_loads(const std::filesystem::path& file, const Model& model,
                                  const std::filesystem::path& data_base_dir = {});

}  // namespace glutelab
