// External loads (ground reaction forces...) turned into body forces at a time and pose.
#pragma once

#include "glutelab/dynamics/body_forces.hpp"
#include "glutelab/io/external_loads.hpp"
#include "glutelab/kinematics/state.hpp"

namespace glutelab {

/// Adds every external force at time `t_s` to `out` (needs compute_positions): the force and torque
/// re-expressed from their frame to ground, applied at the point (re-expressed from its frame), or at
/// the applied body's origin when the force has no point, as OpenSim's ExternalForce does.
void add_external_loads(const Model& model, const State& state, const ExternalLoads& loads, double t_s,
                        BodyForces& out);

}  // namespace glutelab
