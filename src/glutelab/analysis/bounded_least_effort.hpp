// The per-frame problem of static optimization with exponent 2, solved by a dedicated method:
//   minimize   sum_i w_i x_i^2
//   subject to A x = b,  lower <= x <= upper
// (x: actuator activations, A: moment arms times force per unit activation, b: the generalized
// forces to produce). The problem is a strictly convex QP; its dual is a concave, piecewise
// quadratic function of m multipliers only (one per coordinate), maximised here by a semismooth
// Newton method with a line search and warm-started from the previous frame's multipliers.
#pragma once

#include <Eigen/Cholesky>
#include <Eigen/Core>

namespace glutelab {

struct LeastEffortOptions {
  double tolerance = 1e-9;  ///< on max |A x - b| (units of b, e.g. N m), times max(1, |b|_inf / 1e4)
  int max_iterations = 200;
};

struct LeastEffortResult {
  bool converged = false;
  int iterations = 0;
  double max_residual = 0.0;  ///< max |A x - b| at the returned x
  int worst_row = -1;         ///< the constraint row with that residual
};

/// Per-thread scratch, sized for m constraints and n unknowns; reused without allocation.
struct LeastEffortWorkspace {
  LeastEffortWorkspace(int m, int n);
  Eigen::VectorXd c, x_trial, residual, residual_trial, step, lambda_current, lambda_next;
  Eigen::MatrixXd hessian;
  Eigen::LLT<Eigen::MatrixXd> factor;
};

/// Solves the problem above. `lambda` holds the multipliers: its value on entry is the warm start
/// (zeros for a cold start), on return the solution's. `weights` must be positive; bounds may be
/// infinite. When the constraints cannot be met within the bounds, returns converged = false with
/// the closest x found and the worst constraint row.
LeastEffortResult solve_least_effort(const Eigen::Ref<const Eigen::MatrixXd>& A,
                                     const Eigen::Ref<const Eigen::VectorXd>& b,
                                     const Eigen::Ref<const Eigen::VectorXd>& weights,
                                     const Eigen::Ref<const Eigen::VectorXd>& lower,
                                     const Eigen::Ref<const Eigen::VectorXd>& upper,
                                     Eigen::Ref<Eigen::VectorXd> lambda, Eigen::Ref<Eigen::VectorXd> x,
                                     LeastEffortWorkspace& ws, const LeastEffortOptions& options = {});

}  // namespace glutelab
