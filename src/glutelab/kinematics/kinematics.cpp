#include "glutelab/kinematics/kinematics.hpp"

namespace glutelab {
namespace {

// Evaluates the six axis functions of a joint and its relative transform X_FM.
void update_joint(const Joint& joint, const State& state, State::JointScratch& js) {
  for (int i = 0; i < 6; ++i) {
    const TransformAxis& axis = joint.axes[i];
    const double x = axis.coordinate >= 0 ? state.q[axis.coordinate] : 0.0;
    axis.function.evaluate(x, js.value[i], js.d1[i], js.d2[i]);
    if (axis.coordinate < 0) js.d1[i] = js.d2[i] = 0.0;
  }
  Mat3 R = Mat3::Identity();
  for (int i = 0; i < 3; ++i) {
    js.rotation_axis_F[i] = R * joint.axes[i].axis;
    if (js.value[i] != 0.0) R = R * axis_rotation(joint.axes[i].axis, js.value[i]);
  }
  Vec3 p = Vec3::Zero();
  for (int i = 3; i < 6; ++i) p += js.value[i] * joint.axes[i].axis;
  js.X_FM = {R, p};
}

}  // namespace

void resolve_couplings(const Model& model, State& state) {
  for (int i = 0; i < model.num_coordinates(); ++i) {
    const Coordinate& c = model.coordinates[i];
    if (!c.is_dependent()) continue;
    double value = 0.0, d1 = 0.0, d2 = 0.0;
    const int k = c.independent;
    c.coupler_function.evaluate(state.q[k], value, d1, d2);
    state.q[i] = value;
    state.coupling_slope[i] = d1;
    state.coupling_curvature[i] = d2;
    state.qdot[i] = d1 * state.qdot[k];
    state.qddot[i] = d2 * state.qdot[k] * state.qdot[k] + d1 * state.qddot[k];
  }
}

void compute_positions(const Model& model, State& state) {
  resolve_couplings(model, state);
  state.X_ground_body[0] = Transform::identity();
  for (std::size_t k = 0; k < model.joints.size(); ++k) {
    const Joint& joint = model.joints[k];
    State::JointScratch& js = state.joint[k];
    update_joint(joint, state, js);
    const Transform X_ground_M = state.X_ground_body[joint.parent_body] * joint.X_parent_F * js.X_FM;
    state.X_ground_body[joint.child_body] = X_ground_M * joint.X_child_M.inverse();
  }
}

void compute_jacobians(const Model& model, State& state) {
  state.body_jacobian[0].setZero();
  for (std::size_t k = 0; k < model.joints.size(); ++k) {
    const Joint& joint = model.joints[k];
    const State::JointScratch& js = state.joint[k];
    const int P = joint.parent_body;
    const int C = joint.child_body;
    const Transform& X_P = state.X_ground_body[P];
    const Transform& X_C = state.X_ground_body[C];
    const Mat3 R_GF = X_P.R * joint.X_parent_F.R;
    const Vec3 o_M = X_C.apply(joint.X_child_M.p);
    const Vec3 r_PC = X_C.p - X_P.p;
    const Vec3 r_MC = X_C.p - o_M;
    BodyJacobian& JC = state.body_jacobian[C];
    const BodyJacobian& JP = state.body_jacobian[P];
    JC.setZero();
    for (int col : state.body_columns[P]) {
      const Vec3 w = JP.col(col).head<3>();
      JC.col(col).head<3>() = w;
      JC.col(col).tail<3>() = JP.col(col).tail<3>() + w.cross(r_PC);
    }
    for (int i = 0; i < 6; ++i) {
      const int c = joint.axes[i].coordinate;
      if (c < 0 || js.d1[i] == 0.0) continue;
      const Coordinate& coord = model.coordinates[c];
      const int col = coord.is_dependent() ? coord.independent : c;
      const double rate = js.d1[i] * state.coupling_slope[c];
      if (i < 3) {
        const Vec3 w = rate * (R_GF * js.rotation_axis_F[i]);
        JC.col(col).head<3>() += w;
        JC.col(col).tail<3>() += w.cross(r_MC);
      } else {
        JC.col(col).tail<3>() += rate * (R_GF * joint.axes[i].axis);
      }
    }
  }
}

void compute_velocities(const Model& model, State& state) {
  state.angular_velocity[0].setZero();
  state.linear_velocity[0].setZero();
  for (std::size_t k = 0; k < model.joints.size(); ++k) {
    const Joint& joint = model.joints[k];
    const State::JointScratch& js = state.joint[k];
    const int P = joint.parent_body;
    const int C = joint.child_body;
    const Transform& X_P = state.X_ground_body[P];
    const Transform& X_C = state.X_ground_body[C];
    const Mat3 R_GF = X_P.R * joint.X_parent_F.R;
    const Vec3 o_M = X_C.apply(joint.X_child_M.p);
    Vec3 w_FM = Vec3::Zero(), v_FM = Vec3::Zero();
    for (int i = 0; i < 6; ++i) {
      const int c = joint.axes[i].coordinate;
      if (c < 0) continue;
      const double rate = js.d1[i] * state.qdot[c];
      if (i < 3) w_FM += rate * js.rotation_axis_F[i];
      else v_FM += rate * joint.axes[i].axis;
    }
    const Vec3& wP = state.angular_velocity[P];
    const Vec3 wC = wP + R_GF * w_FM;
    state.angular_velocity[C] = wC;
    state.linear_velocity[C] = state.linear_velocity[P] + wP.cross(o_M - X_P.p) + R_GF * v_FM + wC.cross(X_C.p - o_M);
  }
}

void compute_accelerations(const Model& model, State& state) {
  state.angular_acceleration[0].setZero();
  state.linear_acceleration[0].setZero();
  for (std::size_t k = 0; k < model.joints.size(); ++k) {
    const Joint& joint = model.joints[k];
    const State::JointScratch& js = state.joint[k];
    const int P = joint.parent_body;
    const int C = joint.child_body;
    const Transform& X_P = state.X_ground_body[P];
    const Transform& X_C = state.X_ground_body[C];
    const Mat3 R_GF = X_P.R * joint.X_parent_F.R;
    const Vec3 o_F = X_P.apply(joint.X_parent_F.p);
    const Vec3 o_M = X_C.apply(joint.X_child_M.p);
    // Relative motion of M in F, expressed in F.
    std::array<double, 6> rate{}, rate_dot{};
    for (int i = 0; i < 6; ++i) {
      const int c = joint.axes[i].coordinate;
      if (c < 0) continue;
      rate[i] = js.d1[i] * state.qdot[c];
      rate_dot[i] = js.d2[i] * state.qdot[c] * state.qdot[c] + js.d1[i] * state.qddot[c];
    }
    const auto& e = js.rotation_axis_F;
    Vec3 w_FM = Vec3::Zero(), a_FM = Vec3::Zero(), v_FM = Vec3::Zero(), acc_FM = Vec3::Zero();
    Vec3 w_partial = Vec3::Zero();
    for (int i = 0; i < 3; ++i) {
      // d/dt e_i = (angular velocity of the rotations before i) x e_i
      a_FM += rate_dot[i] * e[i] + w_partial.cross(rate[i] * e[i]);
      w_partial += rate[i] * e[i];
    }
    w_FM = w_partial;
    for (int i = 3; i < 6; ++i) {
      v_FM += rate[i] * joint.axes[i].axis;
      acc_FM += rate_dot[i] * joint.axes[i].axis;
    }
    const Vec3& wP = state.angular_velocity[P];
    const Vec3& alphaP = state.angular_acceleration[P];
    const Vec3& aP = state.linear_acceleration[P];
    const Vec3& wC = state.angular_velocity[C];
    const Vec3 w_rel = R_GF * w_FM;
    const Vec3 alphaC = alphaP + R_GF * a_FM + wP.cross(w_rel);
    state.angular_acceleration[C] = alphaC;
    const Vec3 r_PF = o_F - X_P.p;
    const Vec3 d = o_M - o_F;
    const Vec3 r = X_C.p - o_M;
    const Vec3 a_F = aP + alphaP.cross(r_PF) + wP.cross(wP.cross(r_PF));
    const Vec3 a_M = a_F + alphaP.cross(d) + wP.cross(wP.cross(d)) + 2.0 * wP.cross(R_GF * v_FM) + R_GF * acc_FM;
    state.linear_acceleration[C] = a_M + alphaC.cross(r) + wC.cross(wC.cross(r));
  }
}

Transform frame_pose(const Model& model, const State& state, int frame) {
  const Frame& f = model.frames[frame];
  return state.X_ground_body[f.body] * f.X_body_frame;
}

Vec3 marker_position(const Model& model, const State& state, int marker) {
  const Marker& m = model.markers[marker];
  return state.X_ground_body[m.body].apply(m.location_m);
}

Vec3 point_velocity(const State& state, int body, const Vec3& point_in_body) {
  const Vec3 r = state.X_ground_body[body].R * point_in_body;
  return state.linear_velocity[body] + state.angular_velocity[body].cross(r);
}

void set_default_coordinates(const Model& model, State& state) {
  for (int i = 0; i < model.num_coordinates(); ++i) state.q[i] = model.coordinates[i].default_value;
  state.qdot.setZero();
  state.qddot.setZero();
}

}  // namespace glutelab
