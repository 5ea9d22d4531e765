// Scalar functions of one variable as OpenSim defines them (Constant, LinearFunction, SimmSpline,
// NaturalCubicSpline, PiecewiseLinearFunction, MultiplierFunction, PolynomialFunction), with exact
// first and second derivatives. Immutable after construction; evaluation allocates nothing.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace glutelab {

class Function {
public:
  enum class Kind { Constant, Linear, SimmSpline, NaturalCubicSpline, PiecewiseLinear, Polynomial, Multiplier };

  Function() = default;  ///< The constant 0.

  static Function constant(double value);
  /// OpenSim LinearFunction: coefficients (slope, intercept).
  static Function linear(double slope, double intercept);
  /// OpenSim SimmSpline: cubic spline through (x, y) with SIMM's end conditions.
  static Function simm_spline(std::vector<double> x, std::vector<double> y);
  /// OpenSim NaturalCubicSpline.
  static Function natural_cubic_spline(std::vector<double> x, std::vector<double> y);
  /// OpenSim PiecewiseLinearFunction (constant extrapolation of the end slopes as OpenSim does).
  static Function piecewise_linear(std::vector<double> x, std::vector<double> y);
  /// OpenSim PolynomialFunction: coefficients from highest to lowest power, as written in the file.
  static Function polynomial(std::vector<double> coefficients_highest_first);
  /// OpenSim MultiplierFunction: scale * inner(x).
  static Function multiplier(Function inner, double scale);

  Kind kind() const { return kind_; }
  double value(double x) const;
  double derivative(double x) const;         ///< d/dx
  double second_derivative(double x) const;  ///< d²/dx²
  /// value, first and second derivative in one call.
  void evaluate(double x, double& value, double& d1, double& d2) const;

  // Accessors for writers and tests.
  const std::vector<double>& x() const { return x_; }
  const std::vector<double>& y() const { return y_; }
  const std::vector<double>& coefficients() const { return coefficients_; }
  double scale() const { return scale_; }
  const Function* inner() const { return inner_.get(); }

private:
  Kind kind_ = Kind::Constant;
  std::vector<double> x_, y_;             // knots (splines, piecewise linear)
  std::vector<double> b_, c_, d_;         // cubic coefficients per knot (splines)
  std::vector<double> coefficients_{0.0}; // constant value, linear (slope, intercept), polynomial
  double scale_ = 1.0;                    // multiplier
  std::shared_ptr<const Function> inner_; // multiplier
};

}  // namespace glutelab
