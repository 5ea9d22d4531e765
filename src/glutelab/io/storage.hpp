// OpenSim Storage files: .sto / .mot (version 1 and the older header form, tab or space separated,
// inDegrees) read into a time table, and .sto written so that OpenSim reads it back.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <Eigen/Core>

namespace glutelab {

/// A table of samples over time, as in an OpenSim .sto/.mot file. Values are kept exactly as in the
/// file (no unit conversion); `in_degrees` reports the header's inDegrees flag.
struct TimeTable {
  std::string name;                 ///< first header line
  std::vector<std::string> labels;  ///< column labels without the time column
  std::vector<double> time_s;       ///< one per row, strictly increasing
  Eigen::MatrixXd values;           ///< rows = time_s.size(), cols = labels.size()
  bool in_degrees = false;
  std::map<std::string, std::string> metadata;  ///< other header key=value pairs

  int column(const std::string& label) const;  ///< -1 if absent
  int rows() const { return static_cast<int>(time_s.size()); }
};

/// Reads a .sto/.mot file. Throws InputError naming file, line and column for: a missing or empty
/// file, a header without endheader, a row with the wrong number of fields, a field that is not a
/// number or is NaN/inf, time that does not increase, a file over `max_bytes`.
TimeTable read_storage(const std::filesystem::path& file, std::size_t max_bytes = std::size_t{2} << 30);

/// Writes a version-1 .sto (tab separated, full precision) atomically (temp file + rename).
void write_storage(const std::filesystem::path& file, const TimeTable& table);

/// Writes `text` to a temporary file in the target's folder and renames it into place, so that a
/// reader never sees a half-written file and an interrupted run leaves the old file intact.
void write_text_atomically(const std::filesystem::path& file, const std::string& text);

/// Writes the table as CSV (header "time,label...", full precision) atomically, as write_storage.
void write_csv(const std::filesystem::path& file, const TimeTable& table);

/// Marker trajectories from a .trc file, converted to metres.
struct MarkerTable {
  std::vector<std::string> marker_names;
  std::vector<double> time_s;
  Eigen::MatrixXd positions_m;  ///< rows = frames, cols = 3 * markers (x, y, z)
  double data_rate_hz = 0.0;
  std::string units;                                ///< units as written in the file ("mm", "m")
  int marker_index(const std::string& name) const;  ///< -1 if absent
  /// True where the file left the marker's sample blank (missing); positions are NaN there.
  bool missing(int frame, int marker) const;
};

/// Reads a .trc marker file (tab separated, "PathFileType 4" header). Blank samples become NaN
/// and are reported by MarkerTable::missing; malformed lines throw InputError with line/column.
MarkerTable read_trc(const std::filesystem::path& file);

}  // namespace glutelab
