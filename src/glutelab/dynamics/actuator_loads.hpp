// Point and torque actuators as loads on bodies (coordinate actuators act in their coordinate's
// mobility instead and add nothing here).
#pragma once

#include "glutelab/dynamics/body_forces.hpp"
#include "glutelab/kinematics/state.hpp"

namespace glutelab {

/// Adds the loads of actuator `a` producing `force` (N for a PointActuator along its direction at its
/// point, N m for a TorqueActuator about its axis on body A and the opposite on body B) to `out`.
/// Needs compute_positions.
void add_actuator_loads(const Model& model, const State& state, const Actuator& a, double force,
                        BodyForces& out);

}  // namespace glutelab
