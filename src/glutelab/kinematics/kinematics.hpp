// Forward kinematics over the joint tree: body poses, Jacobians, velocities and accelerations for
// given coordinate values, speeds and accelerations, with coupled coordinates resolved.
#pragma once

#include "glutelab/kinematics/state.hpp"
#include "glutelab/model/model.hpp"

namespace glutelab {

/// Sets dependent coordinates from their independent ones (values, speeds, accelerations).
void resolve_couplings(const Model& model, State& state);

/// resolve_couplings + the pose of every body (State::X_ground_body) and per-joint scratch.
void compute_positions(const Model& model, State& state);

/// Body Jacobians with respect to the independent coordinates; needs compute_positions.
void compute_jacobians(const Model& model, State& state);

/// Body angular/linear velocities from state.qdot; needs compute_positions.
void compute_velocities(const Model& model, State& state);

/// Body angular/linear accelerations from state.qdot and state.qddot; needs compute_velocities.
void compute_accelerations(const Model& model, State& state);

/// Pose in ground of a frame (Model::frames index).
Transform frame_pose(const Model& model, const State& state, int frame);

/// Position in ground of a point fixed on a body.
inline Vec3 point_in_ground(const State& state, int body, const Vec3& point_in_body) {
  return state.X_ground_body[body].apply(point_in_body);
}

/// Position in ground of a marker.
Vec3 marker_position(const Model& model, const State& state, int marker);

/// Velocity in ground of a point fixed on a body; needs compute_velocities.
Vec3 point_velocity(const State& state, int body, const Vec3& point_in_body);

/// Fills state.q with every coordinate's default value (and speeds/accelerations with zero).
void set_default_coordinates(const Model& model, State& state);

}  // namespace glutelab
