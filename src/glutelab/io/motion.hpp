// Coordinate trajectories matched to a model: the bridge from a .sto/.mot table to the engine.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "glutelab/io/storage.hpp"
#include "glutelab/model/model.hpp"

namespace glutelab {

/// Coordinate values over time in SI units (radians, metres), one column per model coordinate.
struct Motion {
  std::vector<double> time_s;
  Eigen::MatrixXd q;            ///< rows = frames, cols = model.num_coordinates()
  std::vector<bool> from_file;  ///< per coordinate: true if a column supplied it
  int frames() const { return static_cast<int>(time_s.size()); }
};

/// Matches table columns to model coordinates by name or full path ("/jointset/hip_r/hip_flexion_r"
/// or ".../value"), converting degrees to radians for rotational coordinates when in_degrees.
/// Coordinates without a column take their default value, dependent (coupled) coordinates are
/// recomputed from their independent coordinate. Throws InputError when no column matches any
/// coordinate, or when `require_all` and an independent, unlocked coordinate has no column.
Motion motion_from_table(const Model& model, const TimeTable& table, const std::filesystem::path& source,
                         bool require_all = false);

/// read_storage + motion_from_table.
Motion read_motion(const Model& model, const std::filesystem::path& file, bool require_all = false);

}  // namespace glutelab
