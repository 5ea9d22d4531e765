// Inverse dynamics: the generalized force every coordinate needs for given coordinates, speeds and
// accelerations, gravity and applied loads, by the recursive Newton-Euler method over the joint
// tree (tau = M qddot + C - gravity - applied), as OpenSim's InverseDynamicsSolver defines it.
#pragma once

#include <vector>

#include <Eigen/Core>

#include "glutelab/dynamics/body_forces.hpp"
#include "glutelab/kinematics/state.hpp"

namespace glutelab {

/// Per-thread scratch for inverse_dynamics; sized once from the model.
struct InverseDynamicsWorkspace {
  explicit InverseDynamicsWorkspace(const Model& model)
      : force(model.bodies.size(), Vec3::Zero()), moment(model.bodies.size(), Vec3::Zero()) {}
  std::vector<Vec3> force;   ///< resultant force the subtree of each body needs (ground axes)
  std::vector<Vec3> moment;  ///< its moment about the ground origin
};

/// Generalized forces (N m for rotational, N for translational coordinates) into `tau` (size
/// num_coordinates) for the State's q, qdot, qddot (dependent coordinates are resolved from their
/// couplers). Every coordinate gets the force along its own mobility and constraints are ignored,
/// as in OpenSim's ID tool. `applied` (may be null) are external loads. Computes positions,
/// velocities and accelerations into `state`.
void inverse_dynamics(const Model& model, State& state, const BodyForces* applied,
                      InverseDynamicsWorkspace& ws, Eigen::Ref<Eigen::VectorXd> tau);

/// The coordinates in OpenSim's multibody tree order (joints by tree depth, then model order; each
/// joint's coordinates in its own order): the column order of OpenSim's ID output.
std::vector<int> coordinates_in_tree_order(const Model& model);

}  // namespace glutelab
