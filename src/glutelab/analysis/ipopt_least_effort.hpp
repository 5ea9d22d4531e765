// The static-optimization problem for any exponent p > 1 through Ipopt (interior point):
//   minimize sum_i w_i |x_i|^p  subject to  A x = b,  lower <= x <= upper.
// Used for p != 2 and, in the tests, as the general solver that the dedicated p = 2 method must match.
#pragma once

#include <Eigen/Core>

namespace glutelab {

struct IpoptLeastEffortResult {
  bool converged = false;
  int iterations = 0;
  double max_residual = 0.0;
};

/// Calls are serialised (Ipopt's sequential MUMPS is not re-entrant), so use one thread with it.
/// Solves with Ipopt from the starting point `x` (clamped into the bounds); writes the solution
/// into `x`. `tolerance` is Ipopt's relative convergence tolerance.
IpoptLeastEffortResult solve_least_effort_ipopt(const Eigen::MatrixXd& A, const Eigen::VectorXd& b,
                                                const Eigen::VectorXd& weights, double exponent,
                                                const Eigen::VectorXd& lower, const Eigen::VectorXd& upper,
                                                Eigen::VectorXd& x, double tolerance = 1e-10);

}  // namespace glutelab
