#include "glutelab/analysis/bounded_least_effort.hpp"

#include <algorithm>
#include <cmath>

namespace glutelab {
namespace {

constexpr double kClampedWeight = 1e-8;

// x(lambda) = clamp(c / 2w) and the dual value g(lambda) = sum (w x^2 - c x) + lambda . b.
double primal_and_dual(const Eigen::Ref<const Eigen::MatrixXd>& A, const Eigen::Ref<const Eigen::VectorXd>& b,
                       const Eigen::Ref<const Eigen::VectorXd>& w,
                       const Eigen::Ref<const Eigen::VectorXd>& lower,
                       const Eigen::Ref<const Eigen::VectorXd>& upper, const Eigen::VectorXd& lambda,
                       Eigen::VectorXd& c, Eigen::Ref<Eigen::VectorXd> x) {
  c.noalias() = A.transpose() * lambda;
  double g = lambda.dot(b);
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    x[i] = std::clamp(c[i] / (2.0 * w[i]), lower[i], upper[i]);
    g += w[i] * x[i] * x[i] - c[i] * x[i];
  }
  return g;
}

}  // namespace

LeastEffortWorkspace::LeastEffortWorkspace(int m, int n)
    : c(n),
      x_trial(n),
      residual(m),
      residual_trial(m),
      step(m),
      lambda_current(m),
      lambda_next(m),
      hessian(m, m),
      factor(m) {}

LeastEffortResult solve_least_effort(const Eigen::Ref<const Eigen::MatrixXd>& A,
                                     const Eigen::Ref<const Eigen::VectorXd>& b,
                                     const Eigen::Ref<const Eigen::VectorXd>& weights,
                                     const Eigen::Ref<const Eigen::VectorXd>& lower,
                                     const Eigen::Ref<const Eigen::VectorXd>& upper,
                                     Eigen::Ref<Eigen::VectorXd> lambda, Eigen::Ref<Eigen::VectorXd> x,
                                     LeastEffortWorkspace& ws, const LeastEffortOptions& options) {
  const Eigen::Index m = A.rows(), n = A.cols();
  LeastEffortResult result;
  const double scale = std::max(1.0, b.cwiseAbs().maxCoeff() / 1e4);
  const double tolerance = options.tolerance * scale;
  Eigen::VectorXd& lam = ws.lambda_current;  // current multipliers (copied back at the end)
  lam = lambda;
  if (lam.isZero(0.0) && m > 0) {
    // Cold start: the multipliers of the problem without bounds, lambda = (A D A^T)^-1 b.
    ws.hessian.setZero();
    for (Eigen::Index i = 0; i < n; ++i)
      ws.hessian.selfadjointView<Eigen::Lower>().rankUpdate(A.col(i), 1.0 / (2.0 * weights[i]));
    ws.hessian.diagonal().array() += 1e-12 * std::max(1e-300, ws.hessian.diagonal().maxCoeff()) + 1e-300;
    ws.factor.compute(ws.hessian);
    if (ws.factor.info() == Eigen::Success) lam = ws.factor.solve(b);
  }
  double g = primal_and_dual(A, b, weights, lower, upper, lam, ws.c, x);
  for (result.iterations = 0; result.iterations < options.max_iterations; ++result.iterations) {
    ws.residual = b;
    ws.residual.noalias() -= A * x;
    if (ws.residual.cwiseAbs().maxCoeff() <= tolerance) {
      result.converged = true;
      break;
    }
    // Generalised Hessian of -g: A_F D A_F^T over the variables strictly inside their bounds. First
    // the exact semismooth Newton step; if it is undefined or does not improve, a step in which the
    // variables at a bound enter with a tiny weight (always defined, points back into the bounds).
    const double residual_norm = ws.residual.norm();
    bool improved = false;
    for (int attempt = 0; attempt < 2 && !improved; ++attempt) {
      const double clamped_weight = attempt == 0 ? 0.0 : kClampedWeight;
      ws.hessian.setZero();
      for (Eigen::Index i = 0; i < n; ++i) {
        const double t = ws.c[i] / (2.0 * weights[i]);
        const double scale_i = (t <= lower[i] || t >= upper[i]) ? clamped_weight : 1.0;
        if (scale_i > 0.0)
          ws.hessian.selfadjointView<Eigen::Lower>().rankUpdate(A.col(i), scale_i / (2.0 * weights[i]));
      }
      ws.hessian.diagonal().array() += 1e-13 * std::max(1e-300, ws.hessian.diagonal().maxCoeff()) + 1e-300;
      ws.factor.compute(ws.hessian);
      if (ws.factor.info() != Eigen::Success) continue;
      ws.step = ws.factor.solve(ws.residual);
      if (!ws.step.allFinite()) continue;
      // Armijo backtracking on the concave dual (ascent direction: residual . step > 0); near the
      // optimum, where g no longer changes measurably, a step that reduces the residual is taken.
      const double slope = ws.residual.dot(ws.step);
      double alpha = 1.0;
      for (int k = 0; k < 60; ++k, alpha *= 0.5) {
        ws.lambda_next = lam + alpha * ws.step;
        const double g_trial = primal_and_dual(A, b, weights, lower, upper, ws.lambda_next, ws.c, ws.x_trial);
        const bool ascent = g_trial >= g + 1e-4 * alpha * slope;
        bool flat = false;
        if (std::abs(g_trial - g) <= 1e-12 * std::max(1.0, std::abs(g))) {
          ws.residual_trial = b;
          ws.residual_trial.noalias() -= A * ws.x_trial;
          flat = ws.residual_trial.norm() < residual_norm;
        }
        if (ascent || flat) {
          lam = ws.lambda_next;
          x = ws.x_trial;
          g = g_trial;
          improved = true;
          break;
        }
      }
      if (!improved) primal_and_dual(A, b, weights, lower, upper, lam, ws.c, x);
    }
    if (!improved) break;
  }
  ws.residual = b;
  ws.residual.noalias() -= A * x;
  result.max_residual = ws.residual.cwiseAbs().maxCoeff(&result.worst_row);
  if (!result.converged && m == 0) result.converged = true;
  lambda = lam;
  return result;
}

}  // namespace glutelab
