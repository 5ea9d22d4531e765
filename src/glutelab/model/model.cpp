#include "glutelab/model/model.hpp"

namespace glutelab {
namespace {

/// The last component of a path ("/jointset/hip_r/hip_flexion_r" -> "hip_flexion_r").
std::string last_path_segment(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

template <class Container>
int index_by_name(const Container& items, const std::string& name) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

int Model::body_index(const std::string& body_name) const {
  const int index = index_by_name(bodies, body_name);
  if (index >= 0 || body_name.find('/') == std::string::npos) return index;
  // Also accept a body's path ("/bodyset/pelvis", "/ground").
  for (std::size_t i = 0; i < bodies.size() && i < frames.size(); ++i) {
    if (frames[i].path == body_name) return static_cast<int>(i);
  }
  return -1;
}

int Model::coordinate_index(const std::string& name_or_path) const {
  if (name_or_path.find('/') == std::string::npos) return index_by_name(coordinates, name_or_path);
  // A path names the owning joint and the coordinate: check both.
  const std::string coordinate_name = last_path_segment(name_or_path);
  const int index = index_by_name(coordinates, coordinate_name);
  if (index < 0) return -1;
  const auto& coordinate = coordinates[static_cast<std::size_t>(index)];
  if (coordinate.joint < 0) return index;
  const std::string expected =
      "/jointset/" + joints[static_cast<std::size_t>(coordinate.joint)].name + "/" + coordinate_name;
  return (name_or_path == expected || name_or_path.front() != '/') ? index : -1;
}

int Model::muscle_index(const std::string& muscle_name) const { return index_by_name(muscles, muscle_name); }

int Model::frame_index(const std::string& name_or_path) const {
  for (std::size_t i = 0; i < frames.size(); ++i) {
    if (frames[i].path == name_or_path) return static_cast<int>(i);
  }
  return index_by_name(frames, name_or_path);
}

double Model::total_mass_kg() const {
  double total = 0.0;
  for (const auto& body : bodies) total += body.mass_kg;
  return total;
}

}  // namespace glutelab
