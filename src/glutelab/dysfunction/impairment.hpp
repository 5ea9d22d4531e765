// Weak and "asleep" muscles: per muscle or plain-language group, and per side, a strength factor (the
// maximum isometric force scaled, passive force with it) and an activation ceiling (the muscle cannot be
// driven above it). They are applied to a copy of the model, so every analysis (static optimization,
// the exercise work report) redistributes the load without knowing about impairments.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "glutelab/model/model.hpp"

namespace glutelab {

enum class BodySide { Both, Left, Right };

/// One impairment. `target` is a muscle ("glmed1_r"; "glmed1" for both sides), a group of
/// impairment_groups() ("gluteus medius", "gluteus_medius", any case), or "glutes" (maximus, medius
/// and minimus together).
struct MuscleImpairment {
  std::string target;
  BodySide side = BodySide::Both;
  double strength = 1.0;            ///< factor on the maximum isometric force, [0, 1]
  double activation_ceiling = 1.0;  ///< the highest activation the muscle can reach, [0, 1]
};

/// The group names a MuscleImpairment accepts besides muscle names (muscle_group's groups and "glutes").
const std::vector<std::string>& impairment_groups();

/// Indices into model.muscles that `impairment` acts on. Throws std::invalid_argument for an unknown
/// name (with the closest muscle or group name), a group with no muscle on the side asked for, or a
/// strength or ceiling outside [0, 1] or not finite (the option and its value named).
std::vector<int> impaired_muscles(const Model& model, const MuscleImpairment& impairment);

/// Per muscle (model order) the strength factor and activation ceiling after every impairment: factors
/// multiply, ceilings take the lowest.
struct MuscleCapacity {
  std::vector<double> strength, activation_ceiling;
  bool healthy() const;  ///< every factor and ceiling 1
};
MuscleCapacity muscle_capacity(const Model& model, std::span<const MuscleImpairment> impairments);

/// A copy of `model` with the capacities applied: max_isometric_force_N times strength, and the muscle's
/// max_control (the upper bound static optimization uses) lowered to the ceiling. With no impairment the
/// copy equals the model.
Model apply_impairments(const Model& model, std::span<const MuscleImpairment> impairments);
Model apply_capacity(const Model& model, const MuscleCapacity& capacity);

/// "both", "left" or "right" to a BodySide (throws std::invalid_argument naming the value).
BodySide parse_body_side(const std::string& text);
std::string to_string(BodySide side);

}  // namespace glutelab
