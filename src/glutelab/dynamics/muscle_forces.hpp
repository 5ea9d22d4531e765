// A muscle's tension as forces on the bodies its path crosses: at every path vertex the pull of the
// straight segments on either side (tangent points of a wrap act on the wrap object's body), as
// OpenSim's GeometryPath applies its tension.
#pragma once

#include "glutelab/dynamics/body_forces.hpp"
#include "glutelab/kinematics/state.hpp"
#include "glutelab/muscle/muscle_path.hpp"

namespace glutelab {

/// Adds the forces of tension `tension_n` along muscle `muscle`'s path to `out` (needs
/// compute_positions; computes the path into `ws`).
void add_muscle_forces(const Model& model, const State& state, int muscle, double tension_n,
                       PathWorkspace& ws, BodyForces& out);

}  // namespace glutelab
