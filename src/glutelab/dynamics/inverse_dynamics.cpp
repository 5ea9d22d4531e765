#include "glutelab/dynamics/inverse_dynamics.hpp"

#include <algorithm>
#include <numeric>

#include "glutelab/kinematics/kinematics.hpp"

namespace glutelab {

void inverse_dynamics(const Model& model, State& state, const BodyForces* applied,
                      InverseDynamicsWorkspace& ws, Eigen::Ref<Eigen::VectorXd> tau) {
  compute_positions(model, state);
  compute_velocities(model, state);
  compute_accelerations(model, state);

  // What each body needs: m (a_com - g) and, about the ground origin, I alpha + w x I w + c x m (a_com - g),
  // less the applied loads.
  for (std::size_t b = 0; b < model.bodies.size(); ++b) {
    ws.force[b].setZero();
    ws.moment[b].setZero();
    const Body& body = model.bodies[b];
    if (b == 0) continue;
    const Transform& X = state.X_ground_body[b];
    const Vec3 r = X.R * body.mass_center_m;
    const Vec3 com = X.p + r;
    const Vec3& w = state.angular_velocity[b];
    const Vec3& alpha = state.angular_acceleration[b];
    const Vec3 a_com = state.linear_acceleration[b] + alpha.cross(r) + w.cross(w.cross(r));
    const Vec3 f = body.mass_kg * (a_com - model.gravity);
    const Mat3 I = X.R * body.inertia_kg_m2 * X.R.transpose();
    ws.force[b] = f;
    ws.moment[b] = I * alpha + w.cross(I * w) + com.cross(f);
    if (applied != nullptr) {
      ws.force[b] -= applied->force_n[b];
      ws.moment[b] -= applied->moment_n_m[b];
    }
  }
  // Backward pass: accumulate subtrees and project each joint's transmitted load on its mobilities.
  tau.setZero();
  for (std::size_t k = model.joints.size(); k-- > 0;) {
    const Joint& joint = model.joints[k];
    const State::JointScratch& js = state.joint[k];
    const auto C = static_cast<std::size_t>(joint.child_body);
    const auto P = static_cast<std::size_t>(joint.parent_body);
    const Vec3& F = ws.force[C];
    const Vec3 o_M = state.X_ground_body[C].apply(joint.X_child_M.p);
    const Vec3 N_M = ws.moment[C] - o_M.cross(F);
    const Mat3 R_GF = state.X_ground_body[P].R * joint.X_parent_F.R;
    for (int i = 0; i < 6; ++i) {
      const int c = joint.axes[static_cast<std::size_t>(i)].coordinate;
      if (c < 0 || js.d1[static_cast<std::size_t>(i)] == 0.0) continue;
      const double d1 = js.d1[static_cast<std::size_t>(i)];
      if (i < 3)
        tau[c] += d1 * (R_GF * js.rotation_axis_F[static_cast<std::size_t>(i)]).dot(N_M);
      else
        tau[c] += d1 * (R_GF * joint.axes[static_cast<std::size_t>(i)].axis).dot(F);
    }
    ws.force[P] += F;
    ws.moment[P] += ws.moment[C];
  }
}

std::vector<int> coordinates_in_tree_order(const Model& model) {
  std::vector<int> depth(model.bodies.size(), 0);
  for (const Joint& joint : model.joints)
    depth[static_cast<std::size_t>(joint.child_body)] =
        depth[static_cast<std::size_t>(joint.parent_body)] + 1;
  std::vector<std::size_t> order(model.joints.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return depth[static_cast<std::size_t>(model.joints[a].child_body)] <
           depth[static_cast<std::size_t>(model.joints[b].child_body)];
  });
  std::vector<int> coordinates;
  for (std::size_t k : order)
    for (int c : model.joints[k].coordinates) coordinates.push_back(c);
  return coordinates;
}

}  // namespace glutelab
