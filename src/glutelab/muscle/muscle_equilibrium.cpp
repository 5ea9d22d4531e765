#include "glutelab/muscle/muscle_equilibrium.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace glutelab {
namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();
const double kSignificantReal = std::pow(kEps, 0.875);

/// Fiber force along the tendon minus tendon force, its derivative with respect to fiber length at
/// fixed fiber velocity, and the two stiffnesses the velocity sharing needs.
struct Residual {
  double r = 0.0;                             ///< F_fAT - F_t (N)
  double dr = 0.0;                            ///< d r / d l_f (N/m)
  double fiber_stiffness_along_tendon = 0.0;  ///< d F_fAT / d l_AT
  double tendon_stiffness = 0.0;              ///< d F_t / d l_t
  double cos_pennation = 1.0;
  double tendon_length = 0.0;
};

/// `fv` is f_V at v_norm (constant during a length solve, so evaluated once by the caller).
Residual residual(const MuscleParameters& p, double l_mt, double a, double l, double v_norm, double fv) {
  Residual out;
  const double f0 = p.max_isometric_force_N, lopt = p.optimal_fiber_length_m, h = p.fiber_width_m;
  const double alpha = pennation_angle(p, l);
  double cos_a = std::cos(alpha), dcos = 0.0;
  if (p.model == MuscleModel::DeGrooteFregly2016) {
    const double along = std::sqrt(std::max(0.0, l * l - h * h));
    cos_a = l > 0.0 ? along / l : 1.0;
    if (along > 0.0) dcos = h * h / (l * l * along);
  } else {
    // d cos / d l = sin(alpha) tan(alpha) / l while the angle follows the fixed width (not clamped).
    const bool follows_width = p.pennation_angle_at_optimal_rad > kEps &&
                               l > p.pennation_minimum_fiber_length_m &&
                               alpha < p.maximum_pennation_angle_rad;
    if (follows_width && cos_a > 0.0) dcos = std::sin(alpha) * std::tan(alpha) / l;
  }
  const CurvePoint fl = active_force_length(p, l / lopt);
  const CurvePoint fpe = passive_force_length(p, l / lopt);
  const double fm = f0 * (a * fl.value * fv + fpe.value + p.fiber_damping * v_norm);
  const double dfm = f0 * (a * fv * fl.slope + fpe.slope) / lopt;
  const double ffat = fm * cos_a;
  const double dffat = dfm * cos_a + fm * dcos;
  const double dlat = cos_a + l * dcos;  // d (l cos) / d l
  const double lt = l_mt - l * cos_a;
  const CurvePoint ft = tendon_force_length(p, lt / p.tendon_slack_length_m);
  out.tendon_stiffness = f0 * ft.slope / p.tendon_slack_length_m;
  out.r = ffat - f0 * ft.value;
  out.dr = dffat + out.tendon_stiffness * dlat;
  out.fiber_stiffness_along_tendon = dlat != 0.0 ? dffat / dlat : 0.0;
  out.cos_pennation = cos_a;
  out.tendon_length = lt;
  return out;
}

/// Fiber length at which the tendon is at its slack length (the top of the bracket).
double slack_tendon_fiber_length(const MuscleParameters& p, double l_mt) {
  const double along = l_mt - p.tendon_slack_length_m;
  if (along <= 0.0) return 0.0;
  return std::sqrt(p.fiber_width_m * p.fiber_width_m + along * along);
}

struct Root {
  double length = 0.0;
  bool at_minimum = false;
  bool converged = true;
  int iterations = 0;
};

/// Safeguarded Newton in [a, b] with r(a) <= 0 <= r(b), from x0 in [a, b].
Root refine(const MuscleParameters& p, double l_mt, double act, double v, double fv, double a, double b,
            double x0, int iterations) {
  const double tol = 1e-12 * p.max_isometric_force_N;
  double x = x0;
  Residual rx = residual(p, l_mt, act, x, v, fv);
  for (int it = 0; it < 100; ++it, ++iterations) {
    if (std::abs(rx.r) <= tol) return {x, false, true, iterations};
    if (rx.r < 0.0) {
      a = x;
    } else {
      b = x;
    }
    if (b - a <= 4.0 * kEps * std::max(1.0, b)) return {x, false, true, iterations};
    double next = rx.dr > 0.0 ? x - rx.r / rx.dr : 0.5 * (a + b);
    if (!(next > a && next < b)) next = 0.5 * (a + b);
    x = next;
    rx = residual(p, l_mt, act, x, v, fv);
  }
  return {x, false, std::abs(rx.r) <= 1e-9 * p.max_isometric_force_N, iterations};
}

/// The equilibrium fiber length at a fixed normalized fiber velocity. With `guess` > 0 the bracket is
/// first sought around it (a warm start during the velocity iteration).
Root solve_length(const MuscleParameters& p, double l_mt, double act, double v, double guess) {
  const double fv = force_velocity(p, v, act).value;
  const double lo = p.minimum_fiber_length_m;
  const double hi = slack_tendon_fiber_length(p, l_mt);
  if (!(hi > lo)) return {lo, true, true, 0};
  const double r_lo = residual(p, l_mt, act, lo, v, fv).r;
  if (r_lo >= 0.0) return {lo, true, true, 1};
  const double r_hi = residual(p, l_mt, act, hi, v, fv).r;
  if (r_hi <= 0.0) return {hi, false, r_hi == 0.0, 2};
  int evaluations = 2;
  if (guess > lo && guess < hi) {
    // Close to a root already: plain Newton while it keeps shrinking the residual.
    const double tol = 1e-12 * p.max_isometric_force_N;
    double x = guess, last = std::numeric_limits<double>::infinity();
    for (int k = 0; k < 4; ++k) {
      const Residual rx = residual(p, l_mt, act, x, v, fv);
      ++evaluations;
      if (std::abs(rx.r) <= tol) return {x, false, true, evaluations};
      if (!(std::abs(rx.r) < 0.5 * last) || !(rx.dr > 0.0)) break;
      last = std::abs(rx.r);
      const double next = x - rx.r / rx.dr;
      if (!(next > lo && next < hi)) break;
      x = next;
    }
    // Otherwise bracket around the guess, starting from twice its Newton step.
    const Residual rg = residual(p, l_mt, act, guess, v, fv);
    ++evaluations;
    const double newton = rg.dr > 0.0 ? -rg.r / rg.dr : 0.0;
    double step = std::max(2.0 * std::abs(newton), 1e-12 * p.optimal_fiber_length_m);
    for (int k = 0; k < 12; ++k, step *= 4.0) {
      const double a = std::max(lo, guess - step), b = std::min(hi, guess + step);
      const double ra = a == lo ? r_lo : residual(p, l_mt, act, a, v, fv).r;
      const double rb = b == hi ? r_hi : residual(p, l_mt, act, b, v, fv).r;
      evaluations += 2;
      if (ra <= 0.0 && rb >= 0.0) {
        return refine(p, l_mt, act, v, fv, a, b, std::clamp(guess + newton, a, b), evaluations);
      }
    }
  }
  // Scan down from the slack-tendon length for the first sign change: the longest-fiber root.
  constexpr int kIntervals = 16;
  double upper = hi;
  for (int k = 1; k <= kIntervals; ++k) {
    const double x = k == kIntervals ? lo : hi - (hi - lo) * k / kIntervals;
    const double rx = k == kIntervals ? r_lo : residual(p, l_mt, act, x, v, fv).r;
    ++evaluations;
    if (rx <= 0.0) return refine(p, l_mt, act, v, fv, x, upper, upper, evaluations);
    upper = x;
  }
  return {lo, true, false, evaluations};  // unreachable: r(lo) < 0
}

}  // namespace

EquilibriumVelocity opensim_equilibrium_velocity(MuscleModel model) {
  switch (model) {
    case MuscleModel::Thelen2003:
      return EquilibriumVelocity::StiffnessSharing;
    case MuscleModel::Millard2012Equilibrium:
      return EquilibriumVelocity::Zero;
    case MuscleModel::DeGrooteFregly2016:
      return EquilibriumVelocity::RigidTendonVelocity;
  }
  return EquilibriumVelocity::Zero;
}

double equilibrium_residual(const MuscleParameters& p, double l_mt, double l_f, double v_norm,
                            double activation) {
  const double a = clamp_activation(p, activation);
  return -residual(p, l_mt, a, l_f, v_norm, force_velocity(p, v_norm, a).value).r;
}

FiberState equilibrium_state(const MuscleParameters& p, double l_mt, double v_mt, double activation,
                             EquilibriumVelocity velocity) {
  const double act = clamp_activation(p, activation);
  const double vmax = p.optimal_fiber_length_m * p.max_contraction_velocity;
  Root root = solve_length(p, l_mt, act, 0.0, -1.0);
  int iterations = root.iterations;
  double v = 0.0;
  bool converged = root.converged;
  if (velocity != EquilibriumVelocity::Zero && std::abs(v_mt) >= kSignificantReal) {
    // Fixed point: the velocity rule at the equilibrium length gives the velocity that length assumed.
    converged = false;
    double v_prev = 0.0, g_prev = 0.0;  // previous iterate and its fixed-point defect
    for (int it = 0; it < 100; ++it) {
      double v_next = 0.0;
      if (!root.at_minimum) {
        const Residual r = residual(p, l_mt, act, root.length, v, force_velocity(p, v, act).value);
        double v_tendon = 0.0;
        if (velocity == EquilibriumVelocity::StiffnessSharing) {
          const double k_sum = r.fiber_stiffness_along_tendon + r.tendon_stiffness;
          const bool taut = r.tendon_length > p.tendon_slack_length_m;
          v_tendon = std::abs(k_sum) > kSignificantReal && taut
                         ? r.fiber_stiffness_along_tendon / k_sum * v_mt
                         : v_mt;
        }
        v_next = fiber_velocity_from_tendon(r.cos_pennation, v_mt, v_tendon) / vmax;
      }
      if (std::abs(v_next - v) <= 1e-14 * (1.0 + std::abs(v))) {
        converged = root.converged;
        break;
      }
      // Secant step on the defect g(v) = rule(v) - v (plain substitution on the first step or when the
      // secant is degenerate).
      const double g = v_next - v;
      double v_new = v_next;
      if (it > 0 && g != g_prev) {
        const double secant = v - g * (v - v_prev) / (g - g_prev);
        if (std::isfinite(secant)) v_new = secant;
      }
      v_prev = v;
      g_prev = g;
      v = v_new;
      root = solve_length(p, l_mt, act, v, root.length);
      iterations += root.iterations;
    }
  }
  if (root.at_minimum) v = 0.0;
  FiberState s = elastic_tendon_state(p, l_mt, v_mt, root.length, v, act);
  if (root.at_minimum) {
    s.at_minimum_fiber_length = true;
    s.fiber_velocity_mps = 0.0;
    s.tendon_velocity_mps = v_mt;
  }
  s.converged = converged;
  s.iterations = iterations;
  return s;
}

}  // namespace glutelab
