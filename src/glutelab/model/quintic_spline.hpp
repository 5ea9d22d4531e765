// The natural interpolating quintic spline: what OpenSim's GCVSpline of degree 5 with error variance 0
// (SimTK::SplineFitter::fitFromErrorVariance(5, x, y, 0), Woltring's GCVSPL with smoothing p = 0) is.
// Among all functions through the samples it minimises the integral of the squared third derivative; it
// is a piecewise quintic, C4 at the knots, with third and fourth derivatives zero at both end knots, and
// outside the knot range it continues as the quadratic that matches value, slope and curvature at the
// end knot (the natural extension: a spline of degree 2m-1 = 5 extends with degree m-1 = 2).
// It reproduces polynomials of degree <= 2 exactly (not cubics: their third derivative is not zero at
// the ends). Immutable after construction; evaluation allocates nothing.
#pragma once

#include <array>
#include <span>
#include <vector>

namespace glutelab {

class QuinticSpline {
 public:
  /// Fewest samples accepted, as GCVSpline: the spline's order 2m = 6.
  static constexpr int kMinPoints = 6;

  QuinticSpline() = default;  ///< Empty; evaluating it is an error (size() == 0).

  /// Fits the natural interpolating quintic through (x[i], y[i]). Throws std::invalid_argument when the
  /// sizes differ, there are fewer than kMinPoints samples, x does not strictly increase, or a value is
  /// not finite.
  QuinticSpline(std::span<const double> x, std::span<const double> y);

  int size() const { return static_cast<int>(x_.size()); }  ///< number of knots
  const std::vector<double>& x() const { return x_; }       ///< knots
  double min_x() const { return x_.front(); }               ///< first knot
  double max_x() const { return x_.back(); }                ///< last knot

  double value(double x) const;                  ///< s(x)
  double derivative(double x, int order) const;  ///< d^order s / dx^order, order 0..5 (0 above 5)
  /// Value, first and second derivative in one call.
  void evaluate(double x, double& value, double& d1, double& d2) const;
  /// Value and first three derivatives in one call.
  void evaluate(double x, double& value, double& d1, double& d2, double& d3) const;

 private:
  /// Polynomial coefficients (powers 0..5 of x - x0) of the piece that holds x, and that x0.
  const std::array<double, 6>& piece(double x, double& x0) const;

  std::vector<double> x_;
  /// pieces_[0]: left extension (quadratic about x_[0]); pieces_[i + 1]: interval [x_[i], x_[i+1]];
  /// pieces_.back(): right extension (quadratic about x_.back()).
  std::vector<std::array<double, 6>> pieces_;
};

}  // namespace glutelab
