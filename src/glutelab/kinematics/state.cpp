#include "glutelab/kinematics/state.hpp"

#include <algorithm>

namespace glutelab {

State::State(const Model& model) {
  const int n = model.num_coordinates();
  const auto nb = model.bodies.size();
  q = Eigen::VectorXd::Zero(n);
  qdot = Eigen::VectorXd::Zero(n);
  qddot = Eigen::VectorXd::Zero(n);
  coupling_slope = Eigen::VectorXd::Ones(n);
  coupling_curvature = Eigen::VectorXd::Zero(n);
  X_ground_body.assign(nb, Transform::identity());
  body_jacobian.assign(nb, BodyJacobian::Zero(6, n));
  angular_velocity.assign(nb, Vec3::Zero());
  linear_velocity.assign(nb, Vec3::Zero());
  angular_acceleration.assign(nb, Vec3::Zero());
  linear_acceleration.assign(nb, Vec3::Zero());
  joint.resize(model.joints.size());
  body_columns.assign(nb, {});
  for (const Joint& j : model.joints) {
    std::vector<int> cols = body_columns[j.parent_body];
    for (const TransformAxis& axis : j.axes) {
      if (axis.coordinate < 0) continue;
      const Coordinate& c = model.coordinates[axis.coordinate];
      cols.push_back(c.is_dependent() ? c.independent : axis.coordinate);
    }
    std::sort(cols.begin(), cols.end());
    cols.erase(std::unique(cols.begin(), cols.end()), cols.end());
    body_columns[j.child_body] = std::move(cols);
  }
}

}  // namespace glutelab
