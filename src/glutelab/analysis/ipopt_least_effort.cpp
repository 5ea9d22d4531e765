#include "glutelab/analysis/ipopt_least_effort.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>

#include <IpIpoptApplication.hpp>
#include <IpIpoptData.hpp>
#include <IpTNLP.hpp>

namespace glutelab {
namespace {

using Ipopt::Index;
using Ipopt::Number;

class LeastEffortNlp : public Ipopt::TNLP {
 public:
  LeastEffortNlp(const Eigen::MatrixXd& A, const Eigen::VectorXd& b, const Eigen::VectorXd& w, double p,
                 const Eigen::VectorXd& lower, const Eigen::VectorXd& upper, Eigen::VectorXd& x)
      : A_(A), b_(b), w_(w), p_(p), lower_(lower), upper_(upper), x_(x) {}

  bool get_nlp_info(Index& n, Index& m, Index& nnz_jac, Index& nnz_h, IndexStyleEnum& style) override {
    n = static_cast<Index>(A_.cols());
    m = static_cast<Index>(A_.rows());
    nnz_jac = n * m;
    nnz_h = n;
    style = C_STYLE;
    return true;
  }
  bool get_bounds_info(Index n, Number* xl, Number* xu, Index m, Number* gl, Number* gu) override {
    const double inf = 1e19;  // Ipopt's default "infinite bound"
    for (Index i = 0; i < n; ++i) {
      xl[i] = std::isfinite(lower_[i]) ? lower_[i] : -inf;
      xu[i] = std::isfinite(upper_[i]) ? upper_[i] : inf;
    }
    for (Index j = 0; j < m; ++j) gl[j] = gu[j] = b_[j];
    return true;
  }
  bool get_starting_point(Index n, bool, Number* x, bool, Number*, Number*, Index, bool, Number*) override {
    for (Index i = 0; i < n; ++i) x[i] = std::clamp(x_[i], lower_[i], upper_[i]);
    return true;
  }
  bool eval_f(Index n, const Number* x, bool, Number& f) override {
    f = 0.0;
    for (Index i = 0; i < n; ++i) f += w_[i] * std::pow(std::abs(x[i]), p_);
    return true;
  }
  bool eval_grad_f(Index n, const Number* x, bool, Number* g) override {
    for (Index i = 0; i < n; ++i) {
      const double s = x[i] < 0.0 ? -1.0 : 1.0;
      g[i] = w_[i] * p_ * s * std::pow(std::abs(x[i]), p_ - 1.0);
    }
    return true;
  }
  bool eval_g(Index n, const Number* x, bool, Index m, Number* g) override {
    const Eigen::Map<const Eigen::VectorXd> xv(x, n);
    Eigen::Map<Eigen::VectorXd>(g, m) = A_ * xv;
    return true;
  }
  bool eval_jac_g(Index n, const Number*, bool, Index m, Index, Index* rows, Index* cols,
                  Number* values) override {
    Index k = 0;
    for (Index j = 0; j < m; ++j)
      for (Index i = 0; i < n; ++i, ++k) {
        if (values == nullptr) {
          rows[k] = j;
          cols[k] = i;
        } else {
          values[k] = A_(j, i);
        }
      }
    return true;
  }
  bool eval_h(Index n, const Number* x, bool, Number obj_factor, Index, const Number*, bool, Index,
              Index* rows, Index* cols, Number* values) override {
    for (Index i = 0; i < n; ++i) {
      if (values == nullptr) {
        rows[i] = cols[i] = i;
      } else {
        values[i] =
            obj_factor * w_[i] * p_ * (p_ - 1.0) * std::pow(std::max(std::abs(x[i]), 1e-12), p_ - 2.0);
      }
    }
    return true;
  }
  void finalize_solution(Ipopt::SolverReturn status, Index n, const Number* x, const Number*, const Number*,
                         Index, const Number*, const Number*, Number, const Ipopt::IpoptData* data,
                         Ipopt::IpoptCalculatedQuantities*) override {
    converged = status == Ipopt::SUCCESS || status == Ipopt::STOP_AT_ACCEPTABLE_POINT;
    iterations = data != nullptr ? static_cast<int>(data->iter_count()) : 0;
    x_ = Eigen::Map<const Eigen::VectorXd>(x, n);
  }

  bool converged = false;
  int iterations = 0;

 private:
  const Eigen::MatrixXd& A_;
  const Eigen::VectorXd& b_;
  const Eigen::VectorXd& w_;
  double p_;
  const Eigen::VectorXd& lower_;
  const Eigen::VectorXd& upper_;
  Eigen::VectorXd& x_;
};

}  // namespace

IpoptLeastEffortResult solve_least_effort_ipopt(const Eigen::MatrixXd& A, const Eigen::VectorXd& b,
                                                const Eigen::VectorXd& weights, double exponent,
                                                const Eigen::VectorXd& lower, const Eigen::VectorXd& upper,
                                                Eigen::VectorXd& x, double tolerance) {
  // Debian's Ipopt solves its linear systems with sequential MUMPS, which keeps global state and is
  // not re-entrant: calls are serialised.
  static std::mutex ipopt_mutex;
  const std::lock_guard<std::mutex> lock(ipopt_mutex);
  Ipopt::SmartPtr<LeastEffortNlp> nlp = new LeastEffortNlp(A, b, weights, exponent, lower, upper, x);
  Ipopt::SmartPtr<Ipopt::IpoptApplication> app = IpoptApplicationFactory();
  app->Options()->SetIntegerValue("print_level", 0);
  app->Options()->SetStringValue("sb", "yes");
  app->Options()->SetNumericValue("tol", tolerance);
  app->Options()->SetNumericValue("constr_viol_tol", tolerance);
  app->Options()->SetIntegerValue("max_iter", 500);
  app->Options()->SetStringValue("jac_c_constant", "yes");
  if (app->Initialize() != Ipopt::Solve_Succeeded) return {};
  app->OptimizeTNLP(nlp);
  IpoptLeastEffortResult result;
  result.converged = nlp->converged;
  result.iterations = nlp->iterations;
  result.max_residual = (A * x - b).cwiseAbs().maxCoeff();
  return result;
}

}  // namespace glutelab
