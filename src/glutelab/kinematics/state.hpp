// Per-thread workspace for one Model: coordinate values/speeds/accelerations and everything the
// kinematics computes from them. Sized once at construction; the per-frame functions never allocate.
#pragma once

#include <array>
#include <vector>

#include <Eigen/Core>

#include "glutelab/math/spatial.hpp"
#include "glutelab/model/model.hpp"

namespace glutelab {

/// 6 x n matrix: column j is a body's spatial velocity per unit speed of coordinate j
/// (rows 0-2 angular velocity, rows 3-5 linear velocity of the body origin, both in ground).
using BodyJacobian = Eigen::Matrix<double, 6, Eigen::Dynamic>;

struct State {
  explicit State(const Model& model);

  // Inputs (all coordinates; dependent ones are overwritten from their independent coordinate).
  Eigen::VectorXd q;       ///< rad or m
  Eigen::VectorXd qdot;    ///< rad/s or m/s
  Eigen::VectorXd qddot;   ///< rad/s² or m/s²

  // Outputs of compute_positions.
  std::vector<Transform> X_ground_body;   ///< pose of each body in ground
  /// d q[i] / d q[independent(i)] and its second derivative (1 and 0 for independent coordinates).
  Eigen::VectorXd coupling_slope;
  Eigen::VectorXd coupling_curvature;

  // Outputs of compute_jacobians: total derivatives with respect to each *independent* coordinate
  // (columns of dependent coordinates are zero; their effect is folded into their independent one).
  std::vector<BodyJacobian> body_jacobian;

  // Outputs of compute_velocities / compute_accelerations (ground frame, body origins).
  std::vector<Vec3> angular_velocity;
  std::vector<Vec3> linear_velocity;
  std::vector<Vec3> angular_acceleration;
  std::vector<Vec3> linear_acceleration;

  // Scratch per joint: rotation-axis directions in F and the joint's relative motion (in F).
  struct JointScratch {
    Transform X_FM;
    std::array<Vec3, 3> rotation_axis_F;   ///< e_i: axis i after the rotations before it
    std::array<double, 6> value{}, d1{}, d2{};  ///< axis function value and derivatives w.r.t. its coordinate
  };
  std::vector<JointScratch> joint;

  /// Per body: the independent-coordinate columns its Jacobian can have non-zero (ancestors' coordinates).
  std::vector<std::vector<int>> body_columns;
};

}  // namespace glutelab
