// Kinematics against hand-computed poses and against finite differences of the poses themselves.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "glutelab/kinematics/kinematics.hpp"

namespace glutelab {
namespace {

constexpr double kPi = std::numbers::pi;

// A two-link planar arm: ground -(pin z at origin)- upper (1 m along -y) -(pin z)- lower.
Model two_link_arm() {
  Model m;
  m.bodies.resize(3);
  m.bodies[0].name = "ground";
  m.bodies[1] = {"upper", 1.0, Vec3(0, -0.5, 0), Mat3::Identity() * 0.1, 0};
  m.bodies[2] = {"lower", 1.0, Vec3(0, -0.5, 0), Mat3::Identity() * 0.1, 1};
  for (int k = 0; k < 2; ++k) {
    Joint j;
    j.name = k == 0 ? "shoulder" : "elbow";
    j.type = JointType::Pin;
    j.parent_body = k;
    j.child_body = k + 1;
    if (k == 1) j.X_parent_F.p = Vec3(0, -1.0, 0);
    j.axes[0] = {Vec3::UnitZ(), Function::linear(1.0, 0.0), k};
    j.axes[1] = {Vec3::UnitX(), Function::constant(0.0), -1};
    j.axes[2] = {Vec3::UnitY(), Function::constant(0.0), -1};
    for (int t = 3; t < 6; ++t) j.axes[t] = {Vec3::Unit(t - 3), Function::constant(0.0), -1};
    j.coordinates = {k};
    m.joints.push_back(j);
    Coordinate c;
    c.name = j.name + "_angle";
    c.joint = k;
    m.coordinates.push_back(c);
  }
  return m;
}

// A chain exercising every axis kind: a 6-axis custom joint with non-trivial frames and spline
// translations, a coupled coordinate, then a universal-like joint.
Model general_chain() {
  Model m;
  m.bodies.resize(3);
  m.bodies[0].name = "ground";
  m.bodies[1] = {"a", 2.0, Vec3(0.1, 0.2, 0.0), Mat3::Identity() * 0.1, 0};
  m.bodies[2] = {"b", 1.0, Vec3(0.0, -0.3, 0.1), Mat3::Identity() * 0.05, 1};
  Joint j0;
  j0.name = "j0";
  j0.parent_body = 0;
  j0.child_body = 1;
  j0.X_parent_F = offset_transform(Vec3(0.1, 0.9, -0.2), Vec3(0.3, -0.2, 0.5));
  j0.X_child_M = offset_transform(Vec3(-0.05, 0.1, 0.02), Vec3(-0.1, 0.4, 0.2));
  const Vec3 odd = Vec3(1, 2, 3).normalized();
  j0.axes[0] = {Vec3::UnitZ(), Function::linear(1.0, 0.0), 0};
  j0.axes[1] = {odd, Function::linear(-0.7, 0.1), 1};
  j0.axes[2] = {Vec3::UnitY(), Function::polynomial({0.3, -0.2, 1.0, 0.05}), 2};
  j0.axes[3] = {Vec3::UnitX(), Function::simm_spline({-2, -1, 0, 1, 2}, {0.01, 0.02, 0.0, -0.03, 0.01}), 0};
  j0.axes[4] = {Vec3::UnitY(), Function::linear(1.0, 0.0), 3};
  j0.axes[5] = {Vec3(0, 0.6, 0.8), Function::constant(0.05), -1};
  j0.coordinates = {0, 1, 2, 3};
  Joint j1;
  j1.name = "j1";
  j1.parent_body = 1;
  j1.child_body = 2;
  j1.X_parent_F = offset_transform(Vec3(0.0, -0.4, 0.1), Vec3(0.0, 0.2, 0.0));
  j1.axes[0] = {Vec3::UnitX(), Function::linear(1.0, 0.0), 4};
  j1.axes[1] = {Vec3::UnitY(), Function::linear(1.0, 0.0), 5};
  j1.axes[2] = {Vec3::UnitZ(), Function::constant(0.0), -1};
  for (int t = 3; t < 6; ++t) j1.axes[t] = {Vec3::Unit(t - 3), Function::constant(0.0), -1};
  j1.coordinates = {4, 5};
  m.joints = {j0, j1};
  for (int i = 0; i < 6; ++i) {
    Coordinate c;
    c.name = "q" + std::to_string(i);
    c.joint = i < 4 ? 0 : 1;
    m.coordinates.push_back(c);
  }
  // q5 is coupled to q1.
  m.coordinates[5].independent = 1;
  m.coordinates[5].coupler_function = Function::polynomial({0.5, 0.3, -0.1});
  return m;
}

TEST(Kinematics, TwoLinkArmMatchesHandComputedPose) {
  const Model m = two_link_arm();
  State s(m);
  const double a = 0.4, b = -0.9;
  s.q << a, b;
  compute_positions(m, s);
  // Elbow at (sin a, -cos a); the lower body frame is rotated by a + b.
  EXPECT_NEAR(s.X_ground_body[2].p.x(), std::sin(a), 1e-14);
  EXPECT_NEAR(s.X_ground_body[2].p.y(), -std::cos(a), 1e-14);
  const Vec3 hand = point_in_ground(s, 2, Vec3(0, -1, 0));
  EXPECT_NEAR(hand.x(), std::sin(a) + std::sin(a + b), 1e-14);
  EXPECT_NEAR(hand.y(), -std::cos(a) - std::cos(a + b), 1e-14);
  EXPECT_NEAR(std::atan2(s.X_ground_body[2].R(1, 0), s.X_ground_body[2].R(0, 0)), a + b, 1e-14);
}

TEST(Kinematics, BodyFixedRotationOrder) {
  // Rotation 1 about z by 90 deg, then rotation 2 about x: body-fixed means the second axis is the
  // rotated x (= ground y), so a point on body z ends up along ground -x... check explicitly.
  Model m = two_link_arm();
  m.joints.resize(1);
  m.bodies.resize(2);
  m.coordinates.resize(1);
  m.joints[0].axes[1] = {Vec3::UnitX(), Function::constant(kPi / 2), -1};
  State s(m);
  s.q << kPi / 2;
  compute_positions(m, s);
  const Vec3 z_body_in_ground = s.X_ground_body[1].R * Vec3::UnitZ();
  // Rz(90) * Rx(90) * z = Rz(90) * (-y) = +x
  EXPECT_NEAR(z_body_in_ground.x(), 1.0, 1e-14);
  EXPECT_NEAR(z_body_in_ground.y(), 0.0, 1e-14);
}

TEST(Kinematics, JacobianEqualsFiniteDifferenceOfPoses) {
  const Model m = general_chain();
  State s(m), sp(m), sm(m);
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  for (int trial = 0; trial < 20; ++trial) {
    for (int i = 0; i < 6; ++i) s.q[i] = u(rng);
    compute_positions(m, s);
    compute_jacobians(m, s);
    const double h = 1e-6;
    for (int j = 0; j < 5; ++j) {  // independent coordinates
      sp.q = s.q;
      sm.q = s.q;
      sp.q[j] += h;
      sm.q[j] -= h;
      compute_positions(m, sp);
      compute_positions(m, sm);
      for (int b = 1; b < 3; ++b) {
        const Vec3 dp = (sp.X_ground_body[b].p - sm.X_ground_body[b].p) / (2 * h);
        const Mat3 dR = (sp.X_ground_body[b].R - sm.X_ground_body[b].R) / (2 * h);
        const Mat3 W = dR * s.X_ground_body[b].R.transpose();  // skew(omega)
        const Vec3 w(W(2, 1), W(0, 2), W(1, 0));
        EXPECT_LT((s.body_jacobian[b].col(j).tail<3>() - dp).norm(), 1e-7) << "body " << b << " q" << j;
        EXPECT_LT((s.body_jacobian[b].col(j).head<3>() - w).norm(), 1e-7) << "body " << b << " q" << j;
      }
    }
    EXPECT_TRUE(s.body_jacobian[2].col(5).isZero()) << "dependent coordinates have no column";
  }
}

TEST(Kinematics, VelocitiesAndAccelerationsMatchFiniteDifferencesAlongATrajectory) {
  const Model m = general_chain();
  // q(t) = q0 + v t + 0.5 a t^2 for the independent coordinates.
  Eigen::VectorXd q0(6), v(6), a(6);
  q0 << 0.2, -0.3, 0.5, 0.1, -0.4, 0.0;
  v << 1.1, -0.7, 0.4, 0.3, 0.9, 0.0;
  a << -0.5, 0.8, 1.2, -0.6, 0.3, 0.0;
  auto state_at = [&](double t, State& s) {
    s.q = q0 + v * t + 0.5 * a * t * t;
    s.qdot = v + a * t;
    s.qddot = a;
    compute_positions(m, s);
    compute_velocities(m, s);
    compute_accelerations(m, s);
  };
  State s(m), sp(m), sm(m);
  const double h = 1e-5;
  state_at(0.0, s);
  state_at(h, sp);
  state_at(-h, sm);
  for (int b = 1; b < 3; ++b) {
    const Vec3 vel_fd = (sp.X_ground_body[b].p - sm.X_ground_body[b].p) / (2 * h);
    EXPECT_LT((s.linear_velocity[b] - vel_fd).norm(), 1e-8);
    const Mat3 W = ((sp.X_ground_body[b].R - sm.X_ground_body[b].R) / (2 * h)) * s.X_ground_body[b].R.transpose();
    EXPECT_LT((s.angular_velocity[b] - Vec3(W(2, 1), W(0, 2), W(1, 0))).norm(), 1e-8);
    const Vec3 acc_fd = (sp.linear_velocity[b] - sm.linear_velocity[b]) / (2 * h);
    EXPECT_LT((s.linear_acceleration[b] - acc_fd).norm(), 1e-6) << "body " << b;
    const Vec3 alpha_fd = (sp.angular_velocity[b] - sm.angular_velocity[b]) / (2 * h);
    EXPECT_LT((s.angular_acceleration[b] - alpha_fd).norm(), 1e-6) << "body " << b;
    // velocity from the Jacobian agrees with the recursive velocity
    compute_jacobians(m, s);
    Eigen::VectorXd qd_ind = s.qdot;
    qd_ind[5] = 0.0;
    EXPECT_LT((s.body_jacobian[b] * qd_ind - (Eigen::Matrix<double, 6, 1>() << s.angular_velocity[b], s.linear_velocity[b]).finished()).norm(), 1e-12);
  }
  EXPECT_NEAR(s.q[5], 0.5 * q0[1] * q0[1] + 0.3 * q0[1] - 0.1, 1e-14) << "coupled coordinate resolved";
}

}  // namespace
}  // namespace glutelab
