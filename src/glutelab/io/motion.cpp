// Coordinate trajectories from a time table: column matching, unit conversion and coupled coordinates.
#include "glutelab/io/motion.hpp"

#include <numbers>
#include <stdexcept>
#include <string>

#include "glutelab/io/input_error.hpp"

namespace glutelab {
namespace {

/// The model coordinate a column label names: the coordinate's name, its full path
/// "/jointset/<joint>/<coordinate>", or that path followed by "/value". -1 for anything else
/// (including ".../speed" columns of a states file).
int coordinate_for_label(const Model& model, const std::string& label) {
  const int direct = model.coordinate_index(label);
  if (direct >= 0) return direct;
  constexpr std::string_view value_suffix = "/value";
  if (label.size() > value_suffix.size() &&
      label.compare(label.size() - value_suffix.size(), value_suffix.size(), value_suffix) == 0) {
    return model.coordinate_index(label.substr(0, label.size() - value_suffix.size()));
  }
  return -1;
}

std::string full_path(const Model& model, int coordinate) {
  const Coordinate& c = model.coordinates[static_cast<std::size_t>(coordinate)];
  if (c.joint < 0 || c.joint >= static_cast<int>(model.joints.size())) return c.name;
  return "/jointset/" + model.joints[static_cast<std::size_t>(c.joint)].name + "/" + c.name;
}

/// "a, b, c, ... (N in all)" of at most `limit` names.
std::string list_some(const std::vector<std::string>& names, std::size_t limit) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < limit; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > limit) out += ", ... (" + std::to_string(names.size()) + " in all)";
  return out;
}

}  // namespace

Motion motion_from_table(const Model& model, const TimeTable& table, const std::filesystem::path& source,
                         bool require_all) {
  const int num_coordinates = model.num_coordinates();
  const int frames = table.rows();
  if (table.values.rows() != frames ||
      table.values.cols() != static_cast<Eigen::Index>(table.labels.size())) {
    throw std::invalid_argument(
        "motion_from_table: the table's value matrix does not match its times and labels");
  }

  // Column of each coordinate (-1 where none).
  std::vector<int> column_of(static_cast<std::size_t>(num_coordinates), -1);
  int matched = 0;
  for (std::size_t col = 0; col < table.labels.size(); ++col) {
    const int coordinate = coordinate_for_label(model, table.labels[col]);
    if (coordinate < 0) continue;  // not a coordinate value: ignored
    int& slot = column_of[static_cast<std::size_t>(coordinate)];
    if (slot >= 0) {
      throw InputError(source, "columns '" + table.labels[static_cast<std::size_t>(slot)] + "' and '" +
                                   table.labels[col] + "' both give coordinate '" +
                                   model.coordinates[static_cast<std::size_t>(coordinate)].name +
                                   "'; keep only one of them");
    }
    slot = static_cast<int>(col);
    ++matched;
  }
  if (matched == 0) {
    std::vector<std::string> expected, found;
    for (int i = 0; i < num_coordinates; ++i) {
      expected.push_back(model.coordinates[static_cast<std::size_t>(i)].name);
    }
    const std::string example = num_coordinates > 0 ? " or '" + full_path(model, 0) + "'" : std::string();
    throw InputError(source, "no column matches a coordinate of model '" + model.name +
                                 "'; expected names such as " + list_some(expected, 6) + example +
                                 ", found columns " + list_some(table.labels, 6));
  }
  if (require_all) {
    std::vector<std::string> missing;
    for (int i = 0; i < num_coordinates; ++i) {
      const Coordinate& c = model.coordinates[static_cast<std::size_t>(i)];
      if (column_of[static_cast<std::size_t>(i)] < 0 && !c.is_dependent() && !c.locked)
        missing.push_back(c.name);
    }
    if (!missing.empty()) {
      throw InputError(source, "no column for coordinate(s) " + list_some(missing, 10) +
                                   " (every unlocked, independent coordinate is required)");
    }
  }

  Motion motion;
  motion.time_s = table.time_s;
  motion.q.resize(frames, num_coordinates);
  motion.from_file.assign(static_cast<std::size_t>(num_coordinates), false);
  constexpr double kRadiansPerDegree = std::numbers::pi / 180.0;
  for (int i = 0; i < num_coordinates; ++i) {
    const Coordinate& c = model.coordinates[static_cast<std::size_t>(i)];
    const int col = column_of[static_cast<std::size_t>(i)];
    if (col < 0 || c.is_dependent()) {
      motion.q.col(i).setConstant(c.default_value);
      continue;
    }
    // OpenSim converts only coordinates whose motion type is Rotational; Translational and Coupled
    // columns are taken as they are.
    const double scale =
        (table.in_degrees && c.motion_type == MotionType::Rotational) ? kRadiansPerDegree : 1.0;
    motion.q.col(i) = table.values.col(col) * scale;
    motion.from_file[static_cast<std::size_t>(i)] = true;
  }

  // Dependent coordinates: q[dependent] = f(q[independent]), resolving chains in dependency order.
  std::vector<char> state(static_cast<std::size_t>(num_coordinates), 0);  // 0 todo, 1 in progress, 2 done
  auto resolve = [&](auto&& self, int i) -> void {
    const Coordinate& c = model.coordinates[static_cast<std::size_t>(i)];
    char& s = state[static_cast<std::size_t>(i)];
    if (s == 2 || !c.is_dependent()) {
      s = 2;
      return;
    }
    if (s == 1)
      throw std::invalid_argument("model coordinate couplers form a cycle through '" + c.name + "'");
    if (c.independent >= num_coordinates) {
      throw std::invalid_argument("coordinate '" + c.name +
                                  "' is coupled to a coordinate index out of range");
    }
    s = 1;
    self(self, c.independent);
    for (int frame = 0; frame < frames; ++frame) {
      motion.q(frame, i) = c.coupler_function.value(motion.q(frame, c.independent));
    }
    s = 2;
  };
  for (int i = 0; i < num_coordinates; ++i) resolve(resolve, i);
  return motion;
}

Motion read_motion(const Model& model, const std::filesystem::path& file, bool require_all) {
  return motion_from_table(model, read_storage(file), file, require_all);
}

}  // namespace glutelab
