// The dedicated p = 2 static-optimization solver against Ipopt on random problems, and its
// behaviour at the edges: saturated bounds, infeasible constraints, warm starts.
#include <gtest/gtest.h>

#include <random>

#include "glutelab/analysis/bounded_least_effort.hpp"
#include "glutelab/analysis/ipopt_least_effort.hpp"

namespace glutelab {
namespace {

struct Problem {
  Eigen::MatrixXd A;
  Eigen::VectorXd b, w, lower, upper;
};

// Muscle-like problem: n_muscles in [0.01, 1] with force scales, n_reserves unbounded with small
// scale and large weight; b produced by a feasible point so that the problem is feasible.
Problem random_problem(int m, int n_muscles, int n_reserves, std::mt19937& rng, double load = 1.0) {
  std::normal_distribution<double> g(0.0, 1.0);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const int n = n_muscles + n_reserves;
  Problem p;
  p.A = Eigen::MatrixXd::Zero(m, n);
  p.w = Eigen::VectorXd::Ones(n);
  p.lower = Eigen::VectorXd::Constant(n, 0.01);
  p.upper = Eigen::VectorXd::Ones(n);
  for (int i = 0; i < n_muscles; ++i) {
    const double force = 200.0 + 2000.0 * u(rng);
    for (int j = 0; j < m; ++j)
      if (u(rng) < 0.4) p.A(j, i) = 0.05 * g(rng) * force;  // moment arm x force, N m
  }
  for (int r = 0; r < n_reserves; ++r) {
    const int i = n_muscles + r;
    p.A(r % m, i) = 1.0;  // 1 N m per unit
    p.lower[i] = -std::numeric_limits<double>::infinity();
    p.upper[i] = std::numeric_limits<double>::infinity();
  }
  Eigen::VectorXd x(n);
  for (int i = 0; i < n; ++i) x[i] = i < n_muscles ? 0.01 + 0.99 * u(rng) * load : 5.0 * g(rng);
  p.b = p.A * x;
  return p;
}

TEST(LeastEffort, MatchesIpoptOnRandomMuscleLikeProblems) {
  std::mt19937 rng(2024);
  double worst = 0.0;
  int saturated = 0;
  for (int trial = 0; trial < 20; ++trial) {
    const Problem p = random_problem(8 + trial % 5, 40 + trial, trial % 2 == 0 ? 0 : 8, rng);
    const int m = static_cast<int>(p.A.rows()), n = static_cast<int>(p.A.cols());
    LeastEffortWorkspace ws(m, n);
    Eigen::VectorXd lambda = Eigen::VectorXd::Zero(m), x(n);
    const LeastEffortResult r = solve_least_effort(p.A, p.b, p.w, p.lower, p.upper, lambda, x, ws);
    ASSERT_TRUE(r.converged) << "trial " << trial << " residual " << r.max_residual;
    EXPECT_LT(r.max_residual, 1e-8);
    EXPECT_GE((x - p.lower).minCoeff(), -1e-12);
    EXPECT_GE((p.upper - x).minCoeff(), -1e-12);
    Eigen::VectorXd x_ipopt = Eigen::VectorXd::Constant(n, 0.1);
    const IpoptLeastEffortResult ri =
        solve_least_effort_ipopt(p.A, p.b, p.w, 2.0, p.lower, p.upper, x_ipopt, 1e-12);
    ASSERT_TRUE(ri.converged) << "Ipopt failed on trial " << trial;
    worst = std::max(worst, (x - x_ipopt).cwiseAbs().maxCoeff());
    for (int i = 0; i < n; ++i) saturated += (x[i] <= p.lower[i] + 1e-9 || x[i] >= p.upper[i] - 1e-9);
  }
  EXPECT_LT(worst, 1e-6);
  EXPECT_GT(saturated, 20) << "the problems should exercise the bounds";
}

TEST(LeastEffort, HeavyLoadsSaturateMusclesAndStillBalanceWithReserves) {
  std::mt19937 rng(99);
  const Problem p = random_problem(10, 30, 10, rng, 3.0);  // demands beyond full activation
  LeastEffortWorkspace ws(10, 40);
  Eigen::VectorXd lambda = Eigen::VectorXd::Zero(10), x(40);
  const LeastEffortResult r = solve_least_effort(p.A, p.b, p.w, p.lower, p.upper, lambda, x, ws);
  EXPECT_TRUE(r.converged);
  EXPECT_LT(r.max_residual, 1e-8);
  EXPECT_GT((x.head(30).array() >= 1.0 - 1e-12).count(), 0) << "some muscle should be at full activation";
}

TEST(LeastEffort, InfeasibleProblemIsReportedWithItsWorstConstraint) {
  // Two muscles that can only pull one way cannot produce a negative moment.
  Eigen::MatrixXd A(2, 2);
  A << 50.0, 20.0, 0.0, 30.0;
  Eigen::VectorXd b(2), w = Eigen::VectorXd::Ones(2), lower = Eigen::VectorXd::Zero(2),
                        upper = Eigen::VectorXd::Ones(2);
  b << 10.0, -5.0;
  LeastEffortWorkspace ws(2, 2);
  Eigen::VectorXd lambda = Eigen::VectorXd::Zero(2), x(2);
  const LeastEffortResult r = solve_least_effort(A, b, w, lower, upper, lambda, x, ws);
  EXPECT_FALSE(r.converged);
  EXPECT_EQ(r.worst_row, 1);
  EXPECT_NEAR(r.max_residual, 5.0, 1e-6);
  EXPECT_TRUE(x.allFinite());
}

TEST(LeastEffort, WarmStartFromANeighbouringSolutionNeedsFewerIterations) {
  std::mt19937 rng(5);
  Problem p = random_problem(12, 60, 12, rng);
  const int m = 12, n = 72;
  LeastEffortWorkspace ws(m, n);
  Eigen::VectorXd lambda = Eigen::VectorXd::Zero(m), x(n);
  const LeastEffortResult cold = solve_least_effort(p.A, p.b, p.w, p.lower, p.upper, lambda, x, ws);
  ASSERT_TRUE(cold.converged);
  p.b *= 1.01;  // the next frame: slightly different demands
  Eigen::VectorXd lambda_cold = Eigen::VectorXd::Zero(m);
  const LeastEffortResult again_cold =
      solve_least_effort(p.A, p.b, p.w, p.lower, p.upper, lambda_cold, x, ws);
  const LeastEffortResult warm = solve_least_effort(p.A, p.b, p.w, p.lower, p.upper, lambda, x, ws);
  ASSERT_TRUE(warm.converged);
  EXPECT_LT(warm.iterations, again_cold.iterations);
}

TEST(LeastEffort, IpoptHandlesOtherExponents) {
  // p = 3 on a two-muscle problem with a closed-form optimum: minimise x1^3 + x2^3 with x1 + x2 = 1
  // gives x1 = x2 = 0.5.
  Eigen::MatrixXd A(1, 2);
  A << 1.0, 1.0;
  Eigen::VectorXd b(1), w = Eigen::VectorXd::Ones(2), lower = Eigen::VectorXd::Zero(2),
                        upper = Eigen::VectorXd::Ones(2);
  b << 1.0;
  Eigen::VectorXd x = Eigen::VectorXd::Constant(2, 0.2);
  const IpoptLeastEffortResult r = solve_least_effort_ipopt(A, b, w, 3.0, lower, upper, x);
  ASSERT_TRUE(r.converged);
  EXPECT_NEAR(x[0], 0.5, 1e-7);
  EXPECT_NEAR(x[1], 0.5, 1e-7);
}

}  // namespace
}  // namespace glutelab
