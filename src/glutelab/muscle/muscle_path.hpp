// Musculotendon path of a muscle at the current State: its vertices (path points and wrap tangent
// points), length, lengthening speed and the exact derivative of length with respect to every
// independent coordinate (moment arm = -dL/dq), computed from the path's geometry rather than by
// finite differences.
#pragma once

#include <vector>

#include <Eigen/Core>

#include "glutelab/kinematics/state.hpp"
#include "glutelab/model/model.hpp"
#include "glutelab/muscle/wrapping.hpp"

namespace glutelab {

/// Per-thread scratch for path computations, sized for the model's largest path; reused across
/// muscles and frames without allocation.
struct PathWorkspace {
  explicit PathWorkspace(const Model& model);
  std::vector<PathVertex> active;
  std::vector<WrapContext> wraps;
  std::vector<PathVertex> vertices;
  std::vector<double> surface_length_m;
  struct BodyLoad {
    int body = 0;
    Vec3 force = Vec3::Zero();   ///< sum of unit-tension directions acting on the body
    Vec3 moment = Vec3::Zero();  ///< their moment about the body origin (ground axes)
  };
  std::vector<BodyLoad> loads;
  PathJacobians jacobians;  ///< vertex Jacobians for paths with wraps
};

/// Length in metres of a muscle's path; leaves the vertices in `ws.vertices` (needs compute_positions).
double path_length(const Model& model, const State& state, int muscle, PathWorkspace& ws);

/// Length in metres and dL/dq for every independent coordinate into `dl_dq` (size num_coordinates;
/// columns of dependent coordinates are zero). The derivative is exact: through a wrap it follows the
/// tangent points as they move (forward-mode automatic differentiation of the wrap algorithm), so it
/// equals the derivative of path_length even where the wrap's tangent points are not exactly tangent.
/// Needs compute_positions and compute_jacobians.
double path_length_and_gradient(const Model& model, const State& state, int muscle, PathWorkspace& ws,
                                Eigen::Ref<Eigen::VectorXd> dl_dq);

/// Moment arm of a muscle about every independent coordinate (-dL/dq), with its length.
/// Needs compute_positions and compute_jacobians. Returns the length in metres.
double moment_arms(const Model& model, const State& state, int muscle, PathWorkspace& ws,
                   Eigen::Ref<Eigen::VectorXd> moment_arm_m);

/// Lengthening speed (m/s) from a gradient and the state's speeds.
double lengthening_speed(const State& state, const Eigen::Ref<const Eigen::VectorXd>& dl_dq);

}  // namespace glutelab
