// OpenSim's scalar functions of one variable. See docs/functions.md for the semantics of each kind,
// in particular the end conditions of the cubic splines and how values outside the knots are found.
#include "glutelab/model/function.hpp"

#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

namespace glutelab {
namespace {

void require_finite(const char* kind, const char* what, double value) {
  if (!std::isfinite(value)) {
    throw std::invalid_argument(std::string(kind) + ": " + what + " must be finite, got " +
                                std::to_string(value));
  }
}

/// Checks the knot arrays of a spline or piecewise linear function: equal sizes, at least two knots,
/// finite values and strictly increasing x.
void validate_knots(const char* kind, const std::vector<double>& x, const std::vector<double>& y) {
  const std::string prefix = std::string(kind) + ": ";
  if (x.size() != y.size()) {
    throw std::invalid_argument(prefix + "x and y must have the same number of values, got " +
                                std::to_string(x.size()) + " x and " + std::to_string(y.size()) + " y");
  }
  if (x.size() < 2) {
    throw std::invalid_argument(prefix + "at least 2 knots are needed, got " + std::to_string(x.size()));
  }
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) {
      throw std::invalid_argument(prefix + "knot " + std::to_string(i) + " is not finite (x=" +
                                  std::to_string(x[i]) + ", y=" + std::to_string(y[i]) + ")");
    }
    if (i > 0 && !(x[i] > x[i - 1])) {
      throw std::invalid_argument(prefix + "x must be strictly increasing, but x[" + std::to_string(i) +
                                  "]=" + std::to_string(x[i]) + " <= x[" + std::to_string(i - 1) +
                                  "]=" + std::to_string(x[i - 1]));
    }
  }
}

/// Index k of the knot interval [x[k], x[k+1]] that holds t, for x[0] <= t <= x[n-1]. Bisects the way
/// OpenSim does, so that at an interior knot the same side is chosen (this matters only where the
/// derivative jumps, i.e. for piecewise linear functions). Allocates nothing.
std::size_t find_interval(const std::vector<double>& x, double t) {
  const std::size_t n = x.size();
  if (n < 3) return 0;
  std::size_t low = 0;
  std::size_t high = n;
  for (;;) {
    const std::size_t mid = (low + high) / 2;
    if (t < x[mid]) {
      high = mid;
    } else if (t > x[mid + 1]) {
      low = mid;
    } else {
      return mid;
    }
  }
}

/// Cubic coefficients (b, c, d per knot, s(t) = y_k + b_k dt + c_k dt^2 + d_k dt^3) of the Forsythe,
/// Malcolm & Moler interpolating spline that OpenSim's SimmSpline uses: the third derivative at each
/// end matches that of the cubic through the four nearest knots (for three knots the result is the
/// parabola through them; for two knots the straight line).
void fmm_spline_coefficients(const std::vector<double>& x, const std::vector<double>& y,
                             std::vector<double>& b, std::vector<double>& c, std::vector<double>& d) {
  const std::size_t n = x.size();
  b.assign(n, 0.0);
  c.assign(n, 0.0);
  d.assign(n, 0.0);
  if (n == 2) {
    const double slope = (y[1] - y[0]) / (x[1] - x[0]);
    b[0] = b[1] = slope;
    return;
  }
  const std::size_t last = n - 1;
  std::vector<double> h(n - 1), secant(n - 1);
  for (std::size_t i = 0; i + 1 < n; ++i) {
    h[i] = x[i + 1] - x[i];
    secant[i] = (y[i + 1] - y[i]) / h[i];
  }
  // Unknowns sigma_i = s''(x_i) / 6. Symmetric tridiagonal system: off-diagonal between rows i and i+1
  // is h[i]; diagonal and right-hand side below.
  std::vector<double> diagonal(n), rhs(n), sigma(n);
  for (std::size_t i = 1; i < last; ++i) {
    diagonal[i] = 2.0 * (h[i - 1] + h[i]);
    rhs[i] = secant[i] - secant[i - 1];
  }
  // End rows: -h0 sigma_0 + h0 sigma_1 = h0^2 * (third divided difference over x0..x3), and the mirror
  // image at the right end. With three knots the right-hand sides are zero (s''' continuous -> parabola).
  diagonal[0] = -h[0];
  diagonal[last] = -h[last - 1];
  rhs[0] = 0.0;
  rhs[last] = 0.0;
  if (n > 3) {
    const double second_difference_left_0 = (secant[1] - secant[0]) / (x[2] - x[0]);
    const double second_difference_left_1 = (secant[2] - secant[1]) / (x[3] - x[1]);
    const double third_difference_left =
        (second_difference_left_1 - second_difference_left_0) / (x[3] - x[0]);
    rhs[0] = h[0] * h[0] * third_difference_left;
    const double second_difference_right_0 = (secant[n - 3] - secant[n - 4]) / (x[n - 2] - x[n - 4]);
    const double second_difference_right_1 = (secant[n - 2] - secant[n - 3]) / (x[n - 1] - x[n - 3]);
    const double third_difference_right =
        (second_difference_right_1 - second_difference_right_0) / (x[n - 1] - x[n - 4]);
    rhs[last] = -h[last - 1] * h[last - 1] * third_difference_right;
  }
  // Thomas algorithm (no pivoting, as in the original).
  for (std::size_t i = 1; i < n; ++i) {
    const double factor = h[i - 1] / diagonal[i - 1];
    diagonal[i] -= factor * h[i - 1];
    rhs[i] -= factor * rhs[i - 1];
  }
  sigma[last] = rhs[last] / diagonal[last];
  for (std::size_t i = last; i-- > 0;) {
    sigma[i] = (rhs[i] - h[i] * sigma[i + 1]) / diagonal[i];
  }
  for (std::size_t i = 0; i < last; ++i) {
    b[i] = secant[i] - h[i] * (sigma[i + 1] + 2.0 * sigma[i]);
    c[i] = 3.0 * sigma[i];
    d[i] = (sigma[i + 1] - sigma[i]) / h[i];
  }
  // Slope and curvature at the last knot, from the last interval's cubic.
  b[last] = secant[last - 1] + h[last - 1] * (sigma[last - 1] + 2.0 * sigma[last]);
  c[last] = 3.0 * sigma[last];
  d[last] = d[last - 1];
}

}  // namespace

Function Function::constant(double value) {
  require_finite("Constant", "value", value);
  Function f;
  f.kind_ = Kind::Constant;
  f.coefficients_ = {value};
  return f;
}

Function Function::linear(double slope, double intercept) {
  require_finite("LinearFunction", "slope", slope);
  require_finite("LinearFunction", "intercept", intercept);
  Function f;
  f.kind_ = Kind::Linear;
  f.coefficients_ = {slope, intercept};
  return f;
}

Function Function::simm_spline(std::vector<double> x, std::vector<double> y) {
  validate_knots("SimmSpline", x, y);
  Function f;
  f.kind_ = Kind::SimmSpline;
  f.x_ = std::move(x);
  f.y_ = std::move(y);
  f.coefficients_.clear();
  fmm_spline_coefficients(f.x_, f.y_, f.b_, f.c_, f.d_);
  return f;
}

Function Function::natural_cubic_spline(std::vector<double> x, std::vector<double> y) {
  // OpenSim's NaturalCubicSpline, despite its name, computes exactly SimmSpline's coefficients (same
  // end conditions) and extrapolates the same way; only the kind differs.
  validate_knots("NaturalCubicSpline", x, y);
  Function f;
  f.kind_ = Kind::NaturalCubicSpline;
  f.x_ = std::move(x);
  f.y_ = std::move(y);
  f.coefficients_.clear();
  fmm_spline_coefficients(f.x_, f.y_, f.b_, f.c_, f.d_);
  return f;
}

Function Function::piecewise_linear(std::vector<double> x, std::vector<double> y) {
  validate_knots("PiecewiseLinearFunction", x, y);
  Function f;
  f.kind_ = Kind::PiecewiseLinear;
  f.x_ = std::move(x);
  f.y_ = std::move(y);
  f.coefficients_.clear();
  const std::size_t n = f.x_.size();
  f.b_.assign(n, 0.0);
  for (std::size_t i = 0; i + 1 < n; ++i) f.b_[i] = (f.y_[i + 1] - f.y_[i]) / (f.x_[i + 1] - f.x_[i]);
  f.b_[n - 1] = f.b_[n - 2];
  return f;
}

Function Function::polynomial(std::vector<double> coefficients_highest_first) {
  if (coefficients_highest_first.empty()) {
    throw std::invalid_argument("PolynomialFunction: at least one coefficient is needed");
  }
  for (double coefficient : coefficients_highest_first)
    require_finite("PolynomialFunction", "coefficient", coefficient);
  Function f;
  f.kind_ = Kind::Polynomial;
  f.coefficients_ = std::move(coefficients_highest_first);
  return f;
}

Function Function::multiplier(Function inner, double scale) {
  require_finite("MultiplierFunction", "scale", scale);
  Function f;
  f.kind_ = Kind::Multiplier;
  f.coefficients_.clear();
  f.scale_ = scale;
  f.inner_ = std::make_shared<const Function>(std::move(inner));
  return f;
}

void Function::evaluate(double x, double& value, double& d1, double& d2) const {
  switch (kind_) {
    case Kind::Constant:
      value = coefficients_[0];
      d1 = 0.0;
      d2 = 0.0;
      return;
    case Kind::Linear:
      value = coefficients_[0] * x + coefficients_[1];
      d1 = coefficients_[0];
      d2 = 0.0;
      return;
    case Kind::Polynomial: {
      // Horner's scheme carried to the second derivative.
      value = 0.0;
      d1 = 0.0;
      d2 = 0.0;
      for (double coefficient : coefficients_) {
        d2 = d2 * x + 2.0 * d1;
        d1 = d1 * x + value;
        value = value * x + coefficient;
      }
      return;
    }
    case Kind::Multiplier: {
      inner_->evaluate(x, value, d1, d2);
      value *= scale_;
      d1 *= scale_;
      d2 *= scale_;
      return;
    }
    case Kind::PiecewiseLinear: {
      const std::size_t n = x_.size();
      d2 = 0.0;
      if (x < x_[0]) {
        d1 = b_[0];
        value = y_[0] + (x - x_[0]) * d1;
      } else if (x > x_[n - 1]) {
        d1 = b_[n - 1];
        value = y_[n - 1] + (x - x_[n - 1]) * d1;
      } else if (x == x_[n - 1]) {
        d1 = b_[n - 1];
        value = y_[n - 1];
      } else {
        const std::size_t k = find_interval(x_, x);
        d1 = b_[k];
        value = y_[k] + (x - x_[k]) * d1;
      }
      return;
    }
    case Kind::SimmSpline:
    case Kind::NaturalCubicSpline: {
      const std::size_t n = x_.size();
      // Outside the knots: the straight line through the end knot with the spline's end slope.
      if (x < x_[0]) {
        d1 = b_[0];
        d2 = 0.0;
        value = y_[0] + (x - x_[0]) * d1;
        return;
      }
      if (x > x_[n - 1]) {
        d1 = b_[n - 1];
        d2 = 0.0;
        value = y_[n - 1] + (x - x_[n - 1]) * d1;
        return;
      }
      if (x == x_[n - 1]) {
        value = y_[n - 1];
        d1 = b_[n - 1];
        d2 = 2.0 * c_[n - 1];
        return;
      }
      const std::size_t k = find_interval(x_, x);
      const double dx = x - x_[k];
      value = y_[k] + dx * (b_[k] + dx * (c_[k] + dx * d_[k]));
      d1 = b_[k] + dx * (2.0 * c_[k] + 3.0 * dx * d_[k]);
      d2 = 2.0 * c_[k] + 6.0 * dx * d_[k];
      return;
    }
  }
  value = d1 = d2 = 0.0;
}

double Function::value(double x) const {
  double v = 0.0, d1 = 0.0, d2 = 0.0;
  evaluate(x, v, d1, d2);
  return v;
}

double Function::derivative(double x) const {
  double v = 0.0, d1 = 0.0, d2 = 0.0;
  evaluate(x, v, d1, d2);
  return d1;
}

double Function::second_derivative(double x) const {
  double v = 0.0, d1 = 0.0, d2 = 0.0;
  evaluate(x, v, d1, d2);
  return d2;
}

}  // namespace glutelab
