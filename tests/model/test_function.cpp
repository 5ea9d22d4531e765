// Tests of the OpenSim scalar functions: values through the knots, exact derivatives against finite
// differences, continuity, extrapolation, hand-checked values and a spline from a real model compared
// with an independently assembled dense solve of the same spline conditions.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "glutelab/model/function.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

double central_first(const Function& f, double x, double h) {
  return (f.value(x + h) - f.value(x - h)) / (2 * h);
}
double central_second_from_d1(const Function& f, double x, double h) {
  return (f.derivative(x + h) - f.derivative(x - h)) / (2 * h);
}

/// Relative-ish comparison: |a - b| <= tol * max(1, |a|, |b|).
::testing::AssertionResult near_rel(double a, double b, double tol) {
  const double scale = std::max({1.0, std::abs(a), std::abs(b)});
  if (std::abs(a - b) <= tol * scale) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << a << " vs " << b << " (diff " << std::abs(a - b) << ", tol " << tol * scale << ")";
}

/// Checks first and second derivatives against central differences at points strictly inside the
/// knot intervals (and outside the knot range), where the function is smooth.
void expect_derivatives_match_differences(const Function& f, const std::vector<double>& points) {
  for (double x : points) {
    const double h = 1e-6 * std::max(1.0, std::abs(x));
    EXPECT_TRUE(near_rel(f.derivative(x), central_first(f, x, h), 1e-7)) << "d1 at x=" << x;
    EXPECT_TRUE(near_rel(f.second_derivative(x), central_second_from_d1(f, x, h), 1e-7)) << "d2 at x=" << x;
    double v = 0, d1 = 0, d2 = 0;
    f.evaluate(x, v, d1, d2);
    EXPECT_EQ(v, f.value(x));
    EXPECT_EQ(d1, f.derivative(x));
    EXPECT_EQ(d2, f.second_derivative(x));
  }
}

/// Midpoints of the knot intervals plus points a quarter of the way in and beyond each end.
std::vector<double> probe_points(const std::vector<double>& x) {
  std::vector<double> points;
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    const double width = x[i + 1] - x[i];
    points.push_back(x[i] + 0.25 * width);
    points.push_back(x[i] + 0.5 * width);
    points.push_back(x[i] + 0.8 * width);
  }
  const double span = x.back() - x.front();
  points.push_back(x.front() - 0.3 * span);
  points.push_back(x.back() + 0.3 * span);
  return points;
}

/// Reference for the SimmSpline (Forsythe-Malcolm-Moler) spline, assembled from its defining
/// conditions and solved densely: one cubic per interval, interpolation at both interval ends,
/// continuous first and second derivatives at interior knots, and the third derivative of the first
/// (last) cubic equal to that of the cubic interpolating the first (last) four knots. Three knots: the
/// third derivative vanishes at both ends (a single parabola). Returns rows (a, b, c, d) per interval
/// in the local variable t = x - x_i.
Eigen::MatrixXd reference_fmm_coefficients(const std::vector<double>& x, const std::vector<double>& y) {
  const int n = static_cast<int>(x.size());
  const int intervals = n - 1;
  const int unknowns = 4 * intervals;
  Eigen::MatrixXd a = Eigen::MatrixXd::Zero(unknowns, unknowns);
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(unknowns);
  int row = 0;
  for (int i = 0; i < intervals; ++i) {
    const double h = x[i + 1] - x[i];
    a(row, 4 * i) = 1;
    rhs(row++) = y[i];
    a(row, 4 * i) = 1;
    a(row, 4 * i + 1) = h;
    a(row, 4 * i + 2) = h * h;
    a(row, 4 * i + 3) = h * h * h;
    rhs(row++) = y[i + 1];
  }
  for (int i = 0; i + 1 < intervals; ++i) {
    const double h = x[i + 1] - x[i];
    // first derivative continuity: b_i + 2 c_i h + 3 d_i h^2 = b_{i+1}
    a(row, 4 * i + 1) = 1;
    a(row, 4 * i + 2) = 2 * h;
    a(row, 4 * i + 3) = 3 * h * h;
    a(row++, 4 * (i + 1) + 1) = -1;
    // second derivative continuity: 2 c_i + 6 d_i h = 2 c_{i+1}
    a(row, 4 * i + 2) = 2;
    a(row, 4 * i + 3) = 6 * h;
    a(row++, 4 * (i + 1) + 2) = -2;
  }
  // Third divided difference of four points (Newton form): the cubic's leading coefficient.
  auto third_divided = [&](int k) {
    double dd[4];
    for (int j = 0; j < 4; ++j) dd[j] = y[k + j];
    for (int level = 1; level < 4; ++level) {
      for (int j = 3; j >= level; --j) dd[j] = (dd[j] - dd[j - 1]) / (x[k + j] - x[k + j - level]);
    }
    return dd[3];
  };
  const double left = n > 3 ? third_divided(0) : 0.0;
  const double right = n > 3 ? third_divided(n - 4) : 0.0;
  a(row, 3) = 1;  // d_0 = leading coefficient of the four-point cubic
  rhs(row++) = left;
  a(row, 4 * (intervals - 1) + 3) = 1;
  rhs(row++) = right;
  EXPECT_EQ(row, unknowns);
  Eigen::VectorXd solution = a.fullPivLu().solve(rhs);
  Eigen::MatrixXd coefficients(intervals, 4);
  for (int i = 0; i < intervals; ++i) coefficients.row(i) = solution.segment(4 * i, 4).transpose();
  return coefficients;
}

/// Reads the x and y of the `index`-th (0-based) SimmSpline after `anchor` in a text file, without
/// the .osim reader.
bool read_spline_after(const std::filesystem::path& file, const std::string& anchor, int index,
                       std::vector<double>& x, std::vector<double>& y) {
  std::ifstream in(file);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  std::size_t pos = text.find(anchor);
  for (int i = 0; i <= index && pos != std::string::npos; ++i) pos = text.find("<SimmSpline", pos + 1);
  if (pos == std::string::npos) return false;
  auto read_list = [&](const std::string& tag, std::vector<double>& out) {
    const std::size_t begin = text.find("<" + tag + ">", pos) + tag.size() + 2;
    const std::size_t end = text.find("</" + tag + ">", begin);
    std::istringstream values(text.substr(begin, end - begin));
    double v = 0;
    while (values >> v) out.push_back(v);
  };
  read_list("x", x);
  read_list("y", y);
  return !x.empty() && x.size() == y.size();
}

TEST(FunctionConstant, ValueAndZeroDerivatives) {
  const Function f = Function::constant(3.25);
  EXPECT_EQ(f.kind(), Function::Kind::Constant);
  EXPECT_EQ(f.value(-100.0), 3.25);
  EXPECT_EQ(f.value(7.0), 3.25);
  EXPECT_EQ(f.derivative(1.0), 0.0);
  EXPECT_EQ(f.second_derivative(1.0), 0.0);
  const Function zero;
  EXPECT_EQ(zero.value(5.0), 0.0);
}

TEST(FunctionLinear, SlopeThenIntercept) {
  const Function f = Function::linear(2.0, -1.0);  // 2x - 1
  EXPECT_DOUBLE_EQ(f.value(0.0), -1.0);
  EXPECT_DOUBLE_EQ(f.value(3.0), 5.0);
  EXPECT_DOUBLE_EQ(f.derivative(-8.0), 2.0);
  EXPECT_EQ(f.second_derivative(4.0), 0.0);
  ASSERT_EQ(f.coefficients().size(), 2u);
  EXPECT_EQ(f.coefficients()[0], 2.0);
}

TEST(FunctionPolynomial, HighestPowerFirst) {
  // 2x^3 - 3x^2 + 0.5x + 4
  const Function f = Function::polynomial({2.0, -3.0, 0.5, 4.0});
  EXPECT_DOUBLE_EQ(f.value(0.0), 4.0);
  EXPECT_DOUBLE_EQ(f.value(2.0), 16.0 - 12.0 + 1.0 + 4.0);
  EXPECT_DOUBLE_EQ(f.value(-1.0), -2.0 - 3.0 - 0.5 + 4.0);
  // 6x^2 - 6x + 0.5 ; 12x - 6
  EXPECT_DOUBLE_EQ(f.derivative(2.0), 24.0 - 12.0 + 0.5);
  EXPECT_DOUBLE_EQ(f.second_derivative(2.0), 18.0);
  EXPECT_DOUBLE_EQ(f.second_derivative(-0.5), -12.0);
  const Function single = Function::polynomial({1.5});
  EXPECT_EQ(single.value(9.0), 1.5);
  EXPECT_EQ(single.derivative(9.0), 0.0);
  expect_derivatives_match_differences(f, {-2.0, -0.3, 0.0, 0.7, 1.9});
}

TEST(FunctionMultiplier, ScalesInnerAndItsDerivatives) {
  const Function f = Function::multiplier(Function::polynomial({1.0, 0.0, 0.0}), -2.5);  // -2.5 x^2
  EXPECT_EQ(f.kind(), Function::Kind::Multiplier);
  EXPECT_DOUBLE_EQ(f.value(2.0), -10.0);
  EXPECT_DOUBLE_EQ(f.derivative(2.0), -10.0);
  EXPECT_DOUBLE_EQ(f.second_derivative(2.0), -5.0);
  ASSERT_NE(f.inner(), nullptr);
  EXPECT_EQ(f.inner()->kind(), Function::Kind::Polynomial);
  EXPECT_EQ(f.scale(), -2.5);
  // Copies share the immutable inner function and evaluate identically.
  const Function copy = f;
  EXPECT_EQ(copy.value(1.3), f.value(1.3));
}

TEST(FunctionPiecewiseLinear, InterpolatesAndExtrapolatesWithEndSlopes) {
  const Function f = Function::piecewise_linear({0.0, 1.0, 3.0}, {1.0, 3.0, 2.0});
  EXPECT_DOUBLE_EQ(f.value(0.0), 1.0);
  EXPECT_DOUBLE_EQ(f.value(1.0), 3.0);
  EXPECT_DOUBLE_EQ(f.value(3.0), 2.0);
  EXPECT_DOUBLE_EQ(f.value(0.5), 2.0);
  EXPECT_DOUBLE_EQ(f.value(2.0), 2.5);
  EXPECT_DOUBLE_EQ(f.derivative(0.5), 2.0);
  EXPECT_DOUBLE_EQ(f.derivative(2.0), -0.5);
  // Below the first knot: slope of the first segment; above the last: slope of the last segment.
  EXPECT_DOUBLE_EQ(f.value(-1.0), -1.0);
  EXPECT_DOUBLE_EQ(f.derivative(-1.0), 2.0);
  EXPECT_DOUBLE_EQ(f.value(5.0), 1.0);
  EXPECT_DOUBLE_EQ(f.derivative(5.0), -0.5);
  EXPECT_DOUBLE_EQ(f.derivative(3.0), -0.5);
  EXPECT_EQ(f.second_derivative(0.5), 0.0);
  EXPECT_EQ(f.second_derivative(-4.0), 0.0);
}

TEST(FunctionSimmSpline, TwoKnotsIsTheLine) {
  const Function f = Function::simm_spline({1.0, 3.0}, {2.0, 6.0});
  EXPECT_DOUBLE_EQ(f.value(2.0), 4.0);
  EXPECT_DOUBLE_EQ(f.value(0.0), 0.0);
  EXPECT_DOUBLE_EQ(f.value(4.0), 8.0);
  EXPECT_DOUBLE_EQ(f.derivative(2.0), 2.0);
  EXPECT_EQ(f.second_derivative(2.0), 0.0);
}

TEST(FunctionSimmSpline, ThreeKnotsIsTheParabola) {
  // Through (0,0), (1,1), (2,0): y = 2x - x^2.
  const Function f = Function::simm_spline({0.0, 1.0, 2.0}, {0.0, 1.0, 0.0});
  EXPECT_NEAR(f.value(0.5), 0.75, 1e-14);
  EXPECT_NEAR(f.value(1.5), 0.75, 1e-14);
  EXPECT_NEAR(f.derivative(0.0), 2.0, 1e-14);
  EXPECT_NEAR(f.derivative(1.5), -1.0, 1e-14);
  EXPECT_NEAR(f.second_derivative(0.3), -2.0, 1e-13);
  EXPECT_NEAR(f.second_derivative(1.7), -2.0, 1e-13);
  // Linear extrapolation with the end slopes: 2 on the left, -2 on the right; no curvature outside.
  EXPECT_NEAR(f.value(-1.0), -2.0, 1e-14);
  EXPECT_NEAR(f.value(3.0), -2.0, 1e-14);
  EXPECT_NEAR(f.derivative(3.0), -2.0, 1e-14);
  EXPECT_EQ(f.second_derivative(-1.0), 0.0);
  EXPECT_EQ(f.second_derivative(3.0), 0.0);
}

TEST(FunctionSimmSpline, ReproducesACubicExactly) {
  // The end conditions match the third derivative of the four-point cubic, so any cubic is reproduced.
  auto cubic = [](double x) { return 0.3 * x * x * x - 1.2 * x * x + 0.7 * x - 2.0; };
  auto cubic_d1 = [](double x) { return 0.9 * x * x - 2.4 * x + 0.7; };
  auto cubic_d2 = [](double x) { return 1.8 * x - 2.4; };
  const std::vector<double> x{-1.5, -0.7, 0.2, 0.4, 1.3, 2.9, 3.1};
  std::vector<double> y;
  for (double xi : x) y.push_back(cubic(xi));
  const Function f = Function::simm_spline(x, y);
  for (double t = -1.5; t <= 3.1; t += 0.0173) {
    EXPECT_NEAR(f.value(t), cubic(t), 1e-12) << t;
    EXPECT_NEAR(f.derivative(t), cubic_d1(t), 1e-11) << t;
    EXPECT_NEAR(f.second_derivative(t), cubic_d2(t), 1e-10) << t;
  }
  // Outside: the tangent line at the end knot.
  EXPECT_NEAR(f.value(4.0), cubic(3.1) + 0.9 * cubic_d1(3.1), 1e-11);
  EXPECT_NEAR(f.value(-2.0), cubic(-1.5) - 0.5 * cubic_d1(-1.5), 1e-11);
  EXPECT_NEAR(f.derivative(-2.0), cubic_d1(-1.5), 1e-11);
}

TEST(FunctionSimmSpline, DerivativesMatchFiniteDifferencesAndAreContinuous) {
  const std::vector<double> x{0.0, 0.3, 1.0, 1.1, 2.5, 4.0};
  const std::vector<double> y{1.0, -0.5, 0.25, 0.8, 3.0, 2.0};
  const Function f = Function::simm_spline(x, y);
  for (std::size_t i = 0; i < x.size(); ++i) EXPECT_NEAR(f.value(x[i]), y[i], 1e-14);
  expect_derivatives_match_differences(f, probe_points(x));
  // Value, slope and curvature continuous across interior knots.
  for (std::size_t i = 1; i + 1 < x.size(); ++i) {
    const double e = 1e-9;
    EXPECT_NEAR(f.value(x[i] - e), f.value(x[i] + e), 1e-7);
    EXPECT_NEAR(f.derivative(x[i] - e), f.derivative(x[i] + e), 1e-6);
    EXPECT_NEAR(f.second_derivative(x[i] - e), f.second_derivative(x[i] + e), 1e-6);
  }
  // Value and slope continuous where the extrapolation takes over.
  EXPECT_NEAR(f.value(x.front() - 1e-12), f.value(x.front()), 1e-10);
  EXPECT_NEAR(f.derivative(x.back() + 1e-12), f.derivative(x.back()), 1e-9);
}

TEST(FunctionSimmSpline, MatchesDenseReferenceOnGait2392KneeSplines) {
  const auto model =
      test::shared_data("opensim-models/Models/Gait2392_Simbody/gait2392_millard2012muscle.osim");
  // knee_r's translation1 (x) and translation2 (y) functions: the first two SimmSplines after knee_r.
  std::vector<double> x1, y1, x2, y2;
  ASSERT_TRUE(read_spline_after(model, "<CustomJoint name=\"knee_r\">", 0, x1, y1));
  ASSERT_TRUE(read_spline_after(model, "<CustomJoint name=\"knee_r\">", 1, x2, y2));
  ASSERT_EQ(x1.size(), 12u);
  EXPECT_DOUBLE_EQ(y1[0], -0.0032);
  ASSERT_EQ(x2.size(), 7u);
  EXPECT_DOUBLE_EQ(y2[0], -0.4226);

  for (const auto& [x, y] : {std::pair{x1, y1}, std::pair{x2, y2}}) {
    const Function f = Function::simm_spline(x, y);
    for (std::size_t i = 0; i < x.size(); ++i) EXPECT_NEAR(f.value(x[i]), y[i], 1e-15) << i;
    const Eigen::MatrixXd reference = reference_fmm_coefficients(x, y);
    for (std::size_t i = 0; i + 1 < x.size(); ++i) {
      for (double fraction : {0.0, 0.1, 0.37, 0.5, 0.93}) {
        const double t = (x[i + 1] - x[i]) * fraction;
        const Eigen::Vector4d c = reference.row(static_cast<int>(i)).transpose();
        const double value = c[0] + t * (c[1] + t * (c[2] + t * c[3]));
        const double d1 = c[1] + t * (2 * c[2] + 3 * t * c[3]);
        const double d2 = 2 * c[2] + 6 * t * c[3];
        EXPECT_NEAR(f.value(x[i] + t), value, 1e-12);
        EXPECT_NEAR(f.derivative(x[i] + t), d1, 1e-10);
        EXPECT_NEAR(f.second_derivative(x[i] + t), d2, 1e-9);
      }
    }
    expect_derivatives_match_differences(f, probe_points(x));
    // Extrapolation beyond the model's knee range uses the end slope of the last cubic.
    const Eigen::Vector4d last = reference.row(static_cast<int>(x.size()) - 2).transpose();
    const double h = x.back() - x[x.size() - 2];
    const double end_slope = last[1] + h * (2 * last[2] + 3 * h * last[3]);
    EXPECT_NEAR(f.value(x.back() + 0.2), y.back() + 0.2 * end_slope, 1e-12);
  }
}

TEST(FunctionNaturalCubicSpline, SameCoefficientsAsSimmSpline) {
  // OpenSim's NaturalCubicSpline uses the same end conditions as SimmSpline (not s''=0 at the ends).
  const std::vector<double> x{0.0, 1.0, 1.5, 3.0, 4.0};
  const std::vector<double> y{0.0, 2.0, 1.0, -1.0, 0.5};
  const Function natural = Function::natural_cubic_spline(x, y);
  const Function simm = Function::simm_spline(x, y);
  EXPECT_EQ(natural.kind(), Function::Kind::NaturalCubicSpline);
  for (double t = -1.0; t <= 5.0; t += 0.05) {
    EXPECT_EQ(natural.value(t), simm.value(t));
    EXPECT_EQ(natural.derivative(t), simm.derivative(t));
    EXPECT_EQ(natural.second_derivative(t), simm.second_derivative(t));
  }
  EXPECT_NE(natural.second_derivative(0.0), 0.0);
}

TEST(FunctionValidation, RejectsBadKnots) {
  EXPECT_THROW(Function::simm_spline({0.0, 1.0}, {0.0}), std::invalid_argument);
  EXPECT_THROW(Function::simm_spline({0.0}, {0.0}), std::invalid_argument);
  EXPECT_THROW(Function::simm_spline({0.0, 1.0, 1.0}, {0.0, 1.0, 2.0}), std::invalid_argument);
  EXPECT_THROW(Function::natural_cubic_spline({0.0, 2.0, 1.0}, {0.0, 1.0, 2.0}), std::invalid_argument);
  EXPECT_THROW(Function::piecewise_linear({0.0, std::nan("")}, {0.0, 1.0}), std::invalid_argument);
  EXPECT_THROW(Function::piecewise_linear({0.0, 1.0}, {0.0, std::numeric_limits<double>::infinity()}),
               std::invalid_argument);
  EXPECT_THROW(Function::polynomial({}), std::invalid_argument);
  EXPECT_THROW(Function::constant(std::nan("")), std::invalid_argument);
  EXPECT_THROW(Function::linear(1.0, std::numeric_limits<double>::infinity()), std::invalid_argument);
  EXPECT_THROW(Function::multiplier(Function::constant(1.0), std::nan("")), std::invalid_argument);
  try {
    Function::simm_spline({0.0, 2.0, 1.0}, {0.0, 1.0, 2.0});
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("strictly increasing"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace glutelab
