// Inverse dynamics checked against independent definitions: the gradient of potential energy, the
// mass matrix built from body Jacobians, the rate of kinetic energy, and the virtual work of an
// external force.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "glutelab/dynamics/inverse_dynamics.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "glutelab/kinematics/kinematics.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

Model gait2392() {
  return read_osim(
      test::shared_data("opensim-models/Pipelines/Gait2392_Simbody/OutputReference/subject01_simbody.osim"));
}

// A random pose inside every coordinate's range (translations near their defaults).
void random_pose(const Model& model, State& s, std::mt19937& rng) {
  std::uniform_real_distribution<double> u(0.1, 0.9);
  for (int c = 0; c < model.num_coordinates(); ++c) {
    const Coordinate& coord = model.coordinates[c];
    const double lo = std::max(coord.range_min, -1.5), hi = std::min(coord.range_max, 1.5);
    s.q[c] = coord.motion_type == MotionType::Translational ? coord.default_value + 0.1 * (u(rng) - 0.5)
                                                            : lo + (hi - lo) * u(rng);
  }
}

double potential_energy(const Model& model, State& s) {
  compute_positions(model, s);
  double v = 0.0;
  for (std::size_t b = 1; b < model.bodies.size(); ++b) {
    const Vec3 com = s.X_ground_body[b].apply(model.bodies[b].mass_center_m);
    v -= model.bodies[b].mass_kg * model.gravity.dot(com);
  }
  return v;
}

double kinetic_energy(const Model& model, State& s) {
  compute_positions(model, s);
  compute_velocities(model, s);
  double t = 0.0;
  for (std::size_t b = 1; b < model.bodies.size(); ++b) {
    const Body& body = model.bodies[b];
    const Vec3 r = s.X_ground_body[b].R * body.mass_center_m;
    const Vec3 v = s.linear_velocity[b] + s.angular_velocity[b].cross(r);
    const Mat3 I = s.X_ground_body[b].R * body.inertia_kg_m2 * s.X_ground_body[b].R.transpose();
    t += 0.5 * body.mass_kg * v.squaredNorm() + 0.5 * s.angular_velocity[b].dot(I * s.angular_velocity[b]);
  }
  return t;
}

TEST(InverseDynamics, StaticTorquesAreTheGradientOfPotentialEnergy) {
  const Model model = gait2392();
  State s(model), probe(model);
  InverseDynamicsWorkspace ws(model);
  Eigen::VectorXd tau(model.num_coordinates());
  std::mt19937 rng(7);
  double worst = 0.0;
  for (int trial = 0; trial < 5; ++trial) {
    random_pose(model, s, rng);
    s.qdot.setZero();
    s.qddot.setZero();
    inverse_dynamics(model, s, nullptr, ws, tau);
    for (int c = 0; c < model.num_coordinates(); ++c) {
      const double h = 1e-6;
      probe.q = s.q;
      probe.q[c] += h;
      const double vp = potential_energy(model, probe);
      probe.q = s.q;
      probe.q[c] -= h;
      const double vm = potential_energy(model, probe);
      worst = std::max(worst, std::abs(tau[c] - (vp - vm) / (2 * h)));
    }
  }
  EXPECT_LT(worst, 1e-6) << "N m";
}

TEST(InverseDynamics, AccelerationTermIsTheMassMatrixFromBodyJacobians) {
  const Model model = gait2392();
  const int n = model.num_coordinates();
  State s(model);
  InverseDynamicsWorkspace ws(model);
  std::mt19937 rng(11);
  random_pose(model, s, rng);
  s.qdot.setZero();
  // M from its definition: sum over bodies of J_com^T m J_com + J_w^T I J_w.
  compute_positions(model, s);
  compute_jacobians(model, s);
  Eigen::MatrixXd M = Eigen::MatrixXd::Zero(n, n);
  for (std::size_t b = 1; b < model.bodies.size(); ++b) {
    const Body& body = model.bodies[b];
    const Vec3 r = s.X_ground_body[b].R * body.mass_center_m;
    const auto& J = s.body_jacobian[b];
    Eigen::MatrixXd Jw = J.topRows<3>();
    Eigen::MatrixXd Jv = J.bottomRows<3>();
    for (int c = 0; c < n; ++c) Jv.col(c) += Vec3(Jw.col(c)).cross(r);
    const Mat3 I = s.X_ground_body[b].R * body.inertia_kg_m2 * s.X_ground_body[b].R.transpose();
    M += body.mass_kg * Jv.transpose() * Jv + Jw.transpose() * I * Jw;
  }
  // M from inverse dynamics: tau(e_j) - tau(0) with zero speeds.
  Eigen::VectorXd tau0(n), tau(n);
  s.qddot.setZero();
  inverse_dynamics(model, s, nullptr, ws, tau0);
  Eigen::MatrixXd M_id(n, n);
  for (int j = 0; j < n; ++j) {
    s.qddot.setZero();
    s.qddot[j] = 1.0;
    inverse_dynamics(model, s, nullptr, ws, tau);
    M_id.col(j) = tau - tau0;
  }
  EXPECT_LT((M_id - M).cwiseAbs().maxCoeff(), 1e-9 * M.cwiseAbs().maxCoeff());
  EXPECT_LT((M_id - M_id.transpose()).cwiseAbs().maxCoeff(), 1e-9 * M.cwiseAbs().maxCoeff());
  EXPECT_GT(M_id.ldlt().vectorD().minCoeff(), 0.0) << "mass matrix must be positive definite";
}

TEST(InverseDynamics, PowerOfTheForcesEqualsTheRateOfMechanicalEnergy) {
  // Along q(t) = q0 + v t + a t^2 / 2 with no applied loads: qdot . tau = d(T + V)/dt.
  const Model model = gait2392();
  const int n = model.num_coordinates();
  State s(model), probe(model);
  InverseDynamicsWorkspace ws(model);
  std::mt19937 rng(5);
  std::normal_distribution<double> g(0.0, 1.0);
  Eigen::VectorXd q0(n), v(n), a(n), tau(n);
  random_pose(model, s, rng);
  q0 = s.q;
  for (int c = 0; c < n; ++c) {
    v[c] = 0.5 * g(rng);
    a[c] = 2.0 * g(rng);
  }
  auto energy_at = [&](double t) {
    probe.q = q0 + v * t + 0.5 * a * t * t;
    probe.qdot = v + a * t;
    return kinetic_energy(model, probe) + potential_energy(model, probe);
  };
  const double t = 0.0, h = 1e-5;
  s.q = q0;
  s.qdot = v;
  s.qddot = a;
  inverse_dynamics(model, s, nullptr, ws, tau);
  const double power = v.dot(tau);
  const double rate = (energy_at(t + h) - energy_at(t - h)) / (2 * h);
  EXPECT_NEAR(power, rate, 1e-5 * std::max(1.0, std::abs(rate)));
}

TEST(InverseDynamics, ExternalForceEntersThroughTheTransposedPointJacobian) {
  const Model model = gait2392();
  const int n = model.num_coordinates();
  State s(model);
  InverseDynamicsWorkspace ws(model);
  std::mt19937 rng(3);
  random_pose(model, s, rng);
  s.qdot.setZero();
  s.qddot.setZero();
  const int foot = model.body_index("calcn_r");
  ASSERT_GT(foot, 0);
  Eigen::VectorXd tau_free(n), tau_loaded(n);
  inverse_dynamics(model, s, nullptr, ws, tau_free);
  compute_positions(model, s);
  compute_jacobians(model, s);
  const Vec3 point = s.X_ground_body[static_cast<std::size_t>(foot)].apply(Vec3(0.1, -0.02, 0.01));
  const Vec3 force(30.0, 700.0, -15.0), torque(1.0, 5.0, -2.0);
  BodyForces loads(model);
  loads.add_force_at_point(foot, force, point);
  loads.add_torque(foot, torque);
  inverse_dynamics(model, s, &loads, ws, tau_loaded);
  // Virtual work: tau_loaded = tau_free - J_p^T F - J_w^T T.
  const auto& J = s.body_jacobian[static_cast<std::size_t>(foot)];
  const Vec3 arm = point - s.X_ground_body[static_cast<std::size_t>(foot)].p;
  double worst = 0.0;
  for (int c = 0; c < n; ++c) {
    const Vec3 w = J.col(c).head<3>();
    const Vec3 vp = J.col(c).tail<3>() + w.cross(arm);
    const double expected = tau_free[c] - vp.dot(force) - w.dot(torque);
    worst = std::max(worst, std::abs(tau_loaded[c] - expected));
  }
  EXPECT_LT(worst, 1e-9);
}

TEST(InverseDynamics, TreeOrderIsOpenSimsOutputOrder) {
  const Model model = gait2392();
  const std::vector<int> order = coordinates_in_tree_order(model);
  ASSERT_EQ(static_cast<int>(order.size()), model.num_coordinates());
  std::vector<std::string> names;
  for (int c : order) names.push_back(model.coordinates[static_cast<std::size_t>(c)].name);
  // The column order of OpenSim 4.6's ID output for this model.
  const std::vector<std::string> expected = {
      "pelvis_tilt",      "pelvis_list",    "pelvis_rotation",  "pelvis_tx",      "pelvis_ty",
      "pelvis_tz",        "hip_flexion_r",  "hip_adduction_r",  "hip_rotation_r", "hip_flexion_l",
      "hip_adduction_l",  "hip_rotation_l", "lumbar_extension", "lumbar_bending", "lumbar_rotation",
      "knee_angle_r",     "knee_angle_l",   "ankle_angle_r",    "ankle_angle_l",  "subtalar_angle_r",
      "subtalar_angle_l", "mtp_angle_r",    "mtp_angle_l"};
  EXPECT_EQ(names, expected);
}

}  // namespace
}  // namespace glutelab
