// OpenSim ForceSet files (reserve and residual actuators for static optimization and CMC), read
// against an existing model: CoordinateActuator, PointActuator and TorqueActuator.
#pragma once

#include <filesystem>
#include <vector>

#include "glutelab/model/model.hpp"

namespace glutelab {

/// The actuators of a ForceSet document, with coordinates and bodies resolved in `model`. Throws
/// InputError (file, line, column) for an unknown coordinate or body, a component other than these
/// actuators, or malformed values; disabled actuators are returned with applies_force = false.
std::vector<Actuator> read_force_set_actuators(const std::filesystem::path& file, const Model& model);

}  // namespace glutelab
