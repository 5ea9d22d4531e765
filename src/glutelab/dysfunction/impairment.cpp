#include "glutelab/dysfunction/impairment.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "glutelab/model/muscle_groups.hpp"
#include "glutelab/model/names.hpp"

namespace glutelab {
namespace {

/// Lower case, '_' and '-' as spaces.
std::string normalised(std::string_view text) {
  std::string s = to_lower(text);
  std::replace(s.begin(), s.end(), '_', ' ');
  std::replace(s.begin(), s.end(), '-', ' ');
  return s;
}

bool has_suffix(const std::string& name, std::string_view suffix) {
  return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool on_side(const std::string& muscle, BodySide side) {
  if (side == BodySide::Both) return true;
  return has_suffix(muscle, side == BodySide::Right ? "_r" : "_l");
}

/// True when `muscle` belongs to the group `group` (one of impairment_groups()).
bool in_group(const std::string& muscle, const std::string& group) {
  const std::string g = muscle_group(muscle);
  if (group == "glutes") return g == "gluteus maximus" || g == "gluteus medius" || g == "gluteus minimus";
  if (group == "hip abductors")
    return g == "gluteus medius" || g == "gluteus minimus" || to_lower(muscle).rfind("tfl", 0) == 0;
  return g == group;
}

void check_fraction(const char* what, double value, const std::string& target) {
  if (!std::isfinite(value) || value < 0.0 || value > 1.0)
    throw std::invalid_argument(std::string(what) + " of '" + target + "' must be in [0, 1], got " +
                                std::to_string(value));
}

}  // namespace

const std::vector<std::string>& impairment_groups() {
  static const std::vector<std::string> groups = {
      "glutes",   "gluteus maximus", "gluteus medius", "gluteus minimus", "hip abductors",
      "deep six", "hip flexors",     "adductors",      "hamstrings",      "quadriceps",
      "calves",   "shin and foot",   "lower back",     "abdominals"};
  return groups;
}

std::vector<int> impaired_muscles(const Model& model, const MuscleImpairment& impairment) {
  check_fraction("strength", impairment.strength, impairment.target);
  check_fraction("activation ceiling", impairment.activation_ceiling, impairment.target);
  const std::string key = normalised(impairment.target);
  std::vector<int> out;
  const auto& groups = impairment_groups();
  const bool is_group = std::find(groups.begin(), groups.end(), key) != groups.end();
  for (std::size_t i = 0; i < model.muscles.size(); ++i) {
    const std::string& name = model.muscles[i].name;
    const bool named = is_group ? in_group(name, key)
                                : name == impairment.target || name == impairment.target + "_r" ||
                                      name == impairment.target + "_l";
    if (named && on_side(name, impairment.side)) out.push_back(static_cast<int>(i));
  }
  if (!out.empty()) return out;
  if (is_group)
    throw std::invalid_argument("the model has no " + key + " muscle on the " + to_string(impairment.side) +
                                " side");
  // A side-suffixed muscle asked for on the other side is a contradiction, not a typo.
  for (const Muscle& m : model.muscles)
    if (m.name == impairment.target)
      throw std::invalid_argument("muscle '" + m.name + "' is not on the " + to_string(impairment.side) +
                                  " side");
  std::vector<std::string> candidates = groups;
  for (const Muscle& m : model.muscles) candidates.push_back(m.name);
  throw std::invalid_argument("unknown muscle or group '" + impairment.target + "'; did you mean '" +
                              closest_name(impairment.target, candidates, normalised) + "'?");
}

bool MuscleCapacity::healthy() const {
  return std::all_of(strength.begin(), strength.end(), [](double s) { return s == 1.0; }) &&
         std::all_of(activation_ceiling.begin(), activation_ceiling.end(), [](double c) { return c == 1.0; });
}

MuscleCapacity muscle_capacity(const Model& model, std::span<const MuscleImpairment> impairments) {
  MuscleCapacity c;
  c.strength.assign(model.muscles.size(), 1.0);
  c.activation_ceiling.assign(model.muscles.size(), 1.0);
  for (const MuscleImpairment& imp : impairments)
    for (int m : impaired_muscles(model, imp)) {
      const auto k = static_cast<std::size_t>(m);
      c.strength[k] *= imp.strength;
      c.activation_ceiling[k] = std::min(c.activation_ceiling[k], imp.activation_ceiling);
    }
  return c;
}

Model apply_capacity(const Model& model, const MuscleCapacity& capacity) {
  if (capacity.strength.size() != model.muscles.size() ||
      capacity.activation_ceiling.size() != model.muscles.size())
    throw std::invalid_argument("muscle capacity has " + std::to_string(capacity.strength.size()) +
                                " strengths for a model with " + std::to_string(model.muscles.size()) +
                                " muscles");
  Model out = model;
  for (std::size_t i = 0; i < out.muscles.size(); ++i) {
    Muscle& m = out.muscles[i];
    if (capacity.strength[i] != 1.0) m.max_isometric_force_N *= capacity.strength[i];
    if (capacity.activation_ceiling[i] != 1.0) {
      auto it = m.parameters.find("max_control");
      const double current = it == m.parameters.end() ? 1.0 : it->second;
      m.parameters["max_control"] = std::min(current, capacity.activation_ceiling[i]);
    }
  }
  return out;
}

Model apply_impairments(const Model& model, std::span<const MuscleImpairment> impairments) {
  return apply_capacity(model, muscle_capacity(model, impairments));
}

BodySide parse_body_side(const std::string& text) {
  const std::string t = to_lower(text);
  if (t == "both") return BodySide::Both;
  if (t == "left" || t == "l") return BodySide::Left;
  if (t == "right" || t == "r") return BodySide::Right;
  throw std::invalid_argument("side must be 'both', 'left' or 'right', got '" + text + "'");
}

std::string to_string(BodySide side) {
  switch (side) {
    case BodySide::Both:
      return "both";
    case BodySide::Left:
      return "left";
    case BodySide::Right:
      return "right";
  }
  return "both";
}

}  // namespace glutelab
