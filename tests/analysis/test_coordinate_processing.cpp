// Tests of OpenSim's coordinate processing: the natural quintic spline (interpolation, polynomial
// reproduction, derivatives, natural end conditions, an independent dense solve), the Butterworth filter
// against its analytic response, padding and resampling against OpenSim 4.6's time stamps, and the
// whole InverseDynamicsTool / StaticOptimization pipeline on the gait2392 walk.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <filesystem>
#include <functional>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "glutelab/analysis/coordinate_processing.hpp"
#include "glutelab/io/storage.hpp"
#include "glutelab/model/quintic_spline.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

namespace fs = std::filesystem;

const char* kIkMotion = "opensim-models/Pipelines/Gait2392_Simbody/subject01_walk1_ik.mot";
const char* kIdReference =
    "opensim-models/reference-opensim-4.6/gait2392_pipeline_inverse_dynamics/InverseDynamicsOutput.sto";

/// Runs `action`, expects std::invalid_argument whose message contains `part`.
void expect_invalid(const std::function<void()>& action, const std::string& part) {
  try {
    action();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << "message: " << e.what();
    return;
  }
  ADD_FAILURE() << "expected std::invalid_argument containing '" << part << "'";
}

/// Non-uniform knots on [0, 2] and smooth, non-polynomial data.
void sample_data(int n, std::vector<double>& x, std::vector<double>& y) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> jitter(-0.3, 0.3);
  x.resize(n);
  y.resize(n);
  const double h = 2.0 / (n - 1);
  for (int i = 0; i < n; ++i) {
    x[i] = i * h + (i > 0 && i < n - 1 ? jitter(rng) * h : 0.0);
    y[i] = std::sin(3.0 * x[i]) + 0.5 * std::exp(-x[i]);
  }
}

// ---------------------------------------------------------------------------------------------------
// Quintic spline

TEST(QuinticSpline, InterpolatesTheSamples) {
  std::vector<double> x, y;
  sample_data(17, x, y);
  const QuinticSpline s(x, y);
  for (std::size_t i = 0; i < x.size(); ++i) EXPECT_NEAR(s.value(x[i]), y[i], 1e-13) << i;
}

TEST(QuinticSpline, ReproducesPolynomialsUpToDegreeTwoButNotCubics) {
  std::vector<double> x, unused;
  sample_data(12, x, unused);
  const auto fit = [&](const std::function<double(double)>& f) {
    std::vector<double> y;
    for (double xi : x) y.push_back(f(xi));
    return QuinticSpline(x, y);
  };
  const QuinticSpline quad = fit([](double t) { return 1.5 - 2.0 * t + 0.75 * t * t; });
  for (double t = -0.5; t <= 2.5; t += 0.0137) {  // also beyond the ends (the quadratic extension)
    double v, d1, d2, d3;
    quad.evaluate(t, v, d1, d2, d3);
    EXPECT_NEAR(v, 1.5 - 2.0 * t + 0.75 * t * t, 1e-12) << t;
    EXPECT_NEAR(d1, -2.0 + 1.5 * t, 1e-11) << t;
    EXPECT_NEAR(d2, 1.5, 1e-10) << t;
    EXPECT_NEAR(d3, 0.0, 1e-8) << t;
  }
  // A cubic has f''' != 0 at the ends, which the natural conditions forbid: not reproduced.
  const QuinticSpline cubic = fit([](double t) { return t * t * t; });
  double worst = 0.0;
  for (double t = 0.0; t <= 2.0; t += 0.01) worst = std::max(worst, std::abs(cubic.value(t) - t * t * t));
  EXPECT_GT(worst, 1e-4);
  EXPECT_NEAR(cubic.derivative(x.front(), 3), 0.0, 1e-9);
}

TEST(QuinticSpline, DerivativesMatchFiniteDifferences) {
  std::vector<double> x, y;
  sample_data(15, x, y);
  const QuinticSpline s(x, y);
  const double h = 1e-6;
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    for (double f : {0.2, 0.5, 0.9}) {
      const double t = x[i] + f * (x[i + 1] - x[i]);
      EXPECT_NEAR(s.derivative(t, 1), (s.value(t + h) - s.value(t - h)) / (2 * h), 1e-7) << t;
      EXPECT_NEAR(s.derivative(t, 2), (s.derivative(t + h, 1) - s.derivative(t - h, 1)) / (2 * h), 1e-6) << t;
      EXPECT_NEAR(s.derivative(t, 3), (s.derivative(t + h, 2) - s.derivative(t - h, 2)) / (2 * h), 1e-5) << t;
      EXPECT_NEAR(s.derivative(t, 4), (s.derivative(t + h, 3) - s.derivative(t - h, 3)) / (2 * h), 1e-4) << t;
      double v, d1, d2, d3;
      s.evaluate(t, v, d1, d2, d3);
      EXPECT_EQ(v, s.value(t));
      EXPECT_EQ(d1, s.derivative(t, 1));
      EXPECT_EQ(d2, s.derivative(t, 2));
      EXPECT_EQ(d3, s.derivative(t, 3));
    }
  }
}

TEST(QuinticSpline, IsC4WithNaturalEndConditions) {
  std::vector<double> x, y;
  sample_data(11, x, y);
  const QuinticSpline s(x, y);
  // Third and fourth derivatives vanish at both end knots (scale: |f'''| ~ 27 for sin(3x)).
  for (double end : {x.front(), x.back()}) {
    EXPECT_NEAR(s.derivative(end, 3), 0.0, 1e-9) << end;
    EXPECT_NEAR(s.derivative(end, 4), 0.0, 1e-8) << end;
  }
  // Derivatives up to the fourth agree from both sides of every interior knot.
  for (std::size_t i = 1; i + 1 < x.size(); ++i) {
    const double left = std::nextafter(x[i], -1e9), right = std::nextafter(x[i], 1e9);
    for (int k = 0; k <= 4; ++k) {
      EXPECT_NEAR(s.derivative(left, k), s.derivative(right, k), 1e-8 * std::pow(10.0, k)) << i << " d" << k;
    }
  }
  // Outside the knots: the quadratic continuation.
  EXPECT_EQ(s.derivative(x.front() - 0.3, 3), 0.0);
  EXPECT_EQ(s.derivative(x.back() + 0.3, 4), 0.0);
  EXPECT_NEAR(s.derivative(x.back() + 1e-9, 2), s.derivative(x.back(), 2), 1e-7);
}

/// The same spline from an independently assembled dense system: six coefficients per interval,
/// interpolation at both ends of every interval, C1..C4 joins, f''' = f'''' = 0 at the ends.
TEST(QuinticSpline, MatchesADenseSolveOfTheSplineConditions) {
  std::vector<double> x, y;
  sample_data(9, x, y);
  const int n = static_cast<int>(x.size()), pieces = n - 1, unknowns = 6 * pieces;
  Eigen::MatrixXd a = Eigen::MatrixXd::Zero(unknowns, unknowns);
  Eigen::VectorXd b = Eigen::VectorXd::Zero(unknowns);
  // Row of d^k/ds^k [1, s, ..., s^5] at s.
  const auto basis = [](double s, int k) {
    Eigen::VectorXd r = Eigen::VectorXd::Zero(6);
    for (int p = k; p < 6; ++p) {
      double f = 1.0;
      for (int j = 0; j < k; ++j) f *= p - j;
      r[p] = f * std::pow(s, p - k);
    }
    return r;
  };
  int row = 0;
  for (int i = 0; i < pieces; ++i) {
    const double h = x[i + 1] - x[i];
    a.block(row, 6 * i, 1, 6) = basis(0.0, 0).transpose();
    b[row++] = y[i];
    a.block(row, 6 * i, 1, 6) = basis(h, 0).transpose();
    b[row++] = y[i + 1];
    if (i + 1 < pieces) {
      for (int k = 1; k <= 4; ++k) {
        a.block(row, 6 * i, 1, 6) = basis(h, k).transpose();
        a.block(row++, 6 * (i + 1), 1, 6) = -basis(0.0, k).transpose();
      }
    }
  }
  for (int k = 3; k <= 4; ++k) {
    a.block(row++, 0, 1, 6) = basis(0.0, k).transpose();
    a.block(row++, 6 * (pieces - 1), 1, 6) = basis(x[n - 1] - x[n - 2], k).transpose();
  }
  ASSERT_EQ(row, unknowns);
  const Eigen::VectorXd c = a.fullPivLu().solve(b);
  const QuinticSpline s(x, y);
  for (int i = 0; i < pieces; ++i) {
    for (double f : {0.0, 0.3, 0.7}) {
      const double t = x[i] + f * (x[i + 1] - x[i]);
      for (int k = 0; k <= 3; ++k) {
        const double expected = basis(t - x[i], k).dot(c.segment(6 * i, 6));
        EXPECT_NEAR(s.derivative(t, k), expected, 1e-9 * std::pow(10.0, k)) << "t=" << t << " d" << k;
      }
    }
  }
}

TEST(QuinticSpline, RejectsBadInput) {
  const std::vector<double> x5{0, 1, 2, 3, 4}, y5{0, 1, 0, 1, 0};
  expect_invalid([&] { QuinticSpline(x5, y5); }, "at least 6 samples, got 5");
  const std::vector<double> x6{0, 1, 2, 2, 4, 5}, y6{0, 1, 0, 1, 0, 1};
  expect_invalid([&] { QuinticSpline(x6, y6); }, "strictly increase");
  const std::vector<double> x7{0, 1, 2, 3, 4, 5}, y7{0, 1, NAN, 1, 0, 1};
  expect_invalid([&] { QuinticSpline(x7, y7); }, "not finite");
  expect_invalid([&] { QuinticSpline(x7, y5); }, "6 abscissae but 5 values");
}

// ---------------------------------------------------------------------------------------------------
// Butterworth filter

/// |H(e^{iωT})| of one pass.
double magnitude(const IirCoefficients& c, double f_hz, double t_s) {
  const std::complex<double> z1 = std::polar(1.0, -2.0 * std::numbers::pi * f_hz * t_s);  // z^-1
  std::complex<double> num = 0.0, den = 0.0, zk = 1.0;
  for (int k = 0; k < 4; ++k) {
    num += c.b[k] * zk;
    den += c.a[k] * zk;
    zk *= z1;
  }
  return std::abs(num / den);
}

TEST(Butterworth, MatchesTheAnalyticPrewarpedResponse) {
  for (const auto& [fs, fc] : {std::pair{60.0, 6.0}, std::pair{100.0, 20.0}, std::pair{1000.0, 6.0}}) {
    const double t = 1.0 / fs;
    const IirCoefficients c = butterworth3_lowpass(t, fc);
    EXPECT_NEAR(magnitude(c, 0.0, t), 1.0, 1e-12);                  // DC passes
    EXPECT_NEAR(magnitude(c, fc, t), 1.0 / std::sqrt(2.0), 1e-10);  // -3 dB per pass at fc (pre-warped)
    // Digital Butterworth: |H|^2 = 1 / (1 + (tan(πfT) / tan(πfcT))^6).
    for (double f = 0.05 * fs; f < 0.5 * fs; f += 0.05 * fs) {
      const double ratio = std::tan(std::numbers::pi * f * t) / std::tan(std::numbers::pi * fc * t);
      EXPECT_NEAR(magnitude(c, f, t), 1.0 / std::sqrt(1.0 + std::pow(ratio, 6)), 1e-10) << fs << " " << f;
    }
  }
}

TEST(Butterworth, CutoffAtOrAboveNyquistBecomes049Fs) {
  const IirCoefficients clamped = butterworth3_lowpass(0.01, 80.0);
  const IirCoefficients at049 = butterworth3_lowpass(0.01, 49.0);
  for (int k = 0; k < 4; ++k) {
    EXPECT_EQ(clamped.a[k], at049.a[k]);
    EXPECT_EQ(clamped.b[k], at049.b[k]);
  }
}

TEST(Butterworth, ForwardBackwardHalvesASineAtTheCutoff) {
  const double fs = 1000.0, fc = 10.0, t = 1.0 / fs;
  const int n = 4000;
  const auto amplitude_in_middle = [&](double f) {
    Eigen::VectorXd x(n);
    for (int i = 0; i < n; ++i) x[i] = std::sin(2.0 * std::numbers::pi * f * i * t);
    const Eigen::VectorXd y = lowpass_iir(x, t, fc);
    double amp = 0.0;
    for (int i = n / 4; i < 3 * n / 4; ++i) amp = std::max(amp, std::abs(y[i]));
    return amp;
  };
  EXPECT_NEAR(amplitude_in_middle(fc), 0.5, 2e-3);          // -6 dB after the double pass
  EXPECT_NEAR(amplitude_in_middle(1.0), 1.0, 2e-3);         // well below fc: passes
  EXPECT_LT(amplitude_in_middle(5.0 * fc), 1.0 / 15000.0);  // |H|^2 = 1/(1 + 5^6) ≈ 6.4e-5
  // DC passes unchanged, from the first sample to the last.
  const Eigen::VectorXd dc = lowpass_iir(Eigen::VectorXd::Constant(50, 2.5), t, fc);
  for (int i = 0; i < dc.size(); ++i) EXPECT_NEAR(dc[i], 2.5, 1e-12);
}

TEST(Butterworth, SeedsEachPassWithItsFirstThreeSamples) {
  // With 4 samples only the 4th is filtered in each pass.
  const Eigen::Vector4d x(1.0, 2.0, 4.0, 8.0);
  const IirCoefficients c = butterworth3_lowpass(0.01, 5.0);
  const auto step = [&](const Eigen::Vector4d& in) {
    Eigen::Vector4d out = in;
    out[3] = c.b[0] * in[3] + c.b[1] * in[2] + c.b[2] * in[1] + c.b[3] * in[0] - c.a[1] * out[2] -
             c.a[2] * out[1] - c.a[3] * out[0];
    return out;
  };
  const Eigen::Vector4d forward = step(x);
  const Eigen::Vector4d backward = step(forward.reverse());
  const Eigen::VectorXd y = lowpass_iir(x, 0.01, 5.0);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(y[i], backward.reverse()[i]);
  // The backward pass copies the last three forward outputs: y[1], y[2] are the inputs, y[3] forward's.
  EXPECT_EQ(y[1], x[1]);
  EXPECT_EQ(y[2], x[2]);
  EXPECT_EQ(y[3], forward[3]);
}

TEST(Butterworth, RejectsTooFewSamples) {
  expect_invalid([] { lowpass_iir(Eigen::Vector3d(1, 2, 3), 0.01, 5.0); }, "at least 4 samples, got 3");
}

// ---------------------------------------------------------------------------------------------------
// Padding and resampling

TEST(Padding, ReflectsAndNegatesAboutTheEndValues) {
  const Eigen::VectorXd s = pad_signal(Eigen::Vector4d(1.0, 2.0, 4.0, 7.0), 2);
  Eigen::VectorXd expected(8);
  expected << -2.0, 0.0, 1.0, 2.0, 4.0, 7.0, 10.0, 12.0;
  EXPECT_EQ(s, expected);
  EXPECT_EQ(pad_signal(Eigen::Vector4d(1.0, 2.0, 4.0, 7.0), 0), Eigen::Vector4d(1.0, 2.0, 4.0, 7.0));
  expect_invalid([] { pad_signal(Eigen::Vector4d(1.0, 2.0, 4.0, 7.0), 4); }, "padding by 4 points");
}

TEST(Resampling, UniformStepsAreNotResampled) {
  TimeSeries series;
  for (int i = 0; i < 40; ++i) series.time_s.push_back(i / 64.0);  // exactly uniform in binary
  series.values = Eigen::MatrixXd::Random(40, 2);
  const TimeSeries filtered = lowpass_series(series, 4.0);
  EXPECT_EQ(filtered.time_s, series.time_s);
}

TEST(Resampling, BuildsTimesByRepeatedAddition) {
  TimeSeries series;
  for (int i = 0; i < 10; ++i) series.time_s.push_back(0.1 * i + (i == 4 ? 0.01 : 0.0));
  series.values.resize(10, 1);
  for (int i = 0; i < 10; ++i) series.values(i, 0) = 2.0 - 0.5 * series.time_s[i];  // linear: reproduced
  const double dt = min_time_step(series.time_s);
  const TimeSeries r = resample_quintic(series, dt);
  double t = series.time_s.front();
  for (int i = 0; i < r.rows(); ++i, t += dt) {
    EXPECT_EQ(r.time_s[i], t);
    EXPECT_NEAR(r.values(i, 0), 2.0 - 0.5 * t, 1e-12);
  }
  EXPECT_LE(r.time_s.back(), series.time_s.back());
  EXPECT_GT(r.time_s.back() + dt, series.time_s.back());
}

/// The IK motion padded and resampled as InverseDynamicsTool does reproduces OpenSim 4.6's time stamps.
TEST(Resampling, ReproducesOpenSimTimeStampsOfTheGaitPipeline) {
  const fs::path ik = test::shared_data(kIkMotion), reference = test::shared_data(kIdReference);
  if (!fs::exists(ik) || !fs::exists(reference)) GTEST_SKIP() << "shared data not found";
  const TimeTable table = read_storage(ik);
  ASSERT_EQ(table.rows(), 211);
  const TimeSeries padded = pad_series(TimeSeries{table.time_s, table.values}, table.rows() / 2);
  ASSERT_EQ(padded.rows(), 421);
  EXPECT_NEAR(padded.time_s.front(), -1.25, 1e-12);
  EXPECT_NEAR(padded.time_s.back(), 5.75, 1e-12);
  const double dt = min_time_step(padded.time_s);
  EXPECT_NEAR(dt, 0.01666666, 1e-12);
  const double mean = (padded.time_s.back() - padded.time_s.front()) / (padded.rows() - 1);
  EXPECT_GT(mean - dt, 2.220446049250313e-16);  // rounded 1/60 s: OpenSim resamples

  const TimeSeries filtered = lowpass_series(padded, 6.0);
  const auto [first, last] = tool_row_range(filtered.time_s, 0.4, 1.6);
  const TimeTable expected = read_storage(reference);
  ASSERT_EQ(last - first + 1, expected.rows());
  ASSERT_EQ(expected.rows(), 73);
  for (int i = 0; i < expected.rows(); ++i) {
    EXPECT_NEAR(filtered.time_s[first + i], expected.time_s[i], 1e-8) << i;
  }
  EXPECT_NEAR(filtered.time_s[first], 0.39999934, 1e-8);
  EXPECT_NEAR(filtered.time_s[last], 1.59999886, 1e-8);
}

// ---------------------------------------------------------------------------------------------------
// The tool pipelines

TEST(ProcessCoordinates, GaitPipelineInverseDynamicsRows) {
  const fs::path ik = test::shared_data(kIkMotion), reference = test::shared_data(kIdReference);
  if (!fs::exists(ik) || !fs::exists(reference)) GTEST_SKIP() << "shared data not found";
  const TimeTable table = read_storage(ik);
  const TimeTable expected = read_storage(reference);
  CoordinateProcessingOptions options;
  options.cutoff_hz = 6.0;
  options.t0 = 0.4;
  options.t1 = 1.6;
  const ProcessedCoordinates id = process_coordinates(table.time_s, table.values, options);
  ASSERT_EQ(id.time_s.size(), 73u);
  for (int i = 0; i < 73; ++i) EXPECT_NEAR(id.time_s[i], expected.time_s[i], 1e-8) << i;
  ASSERT_EQ(id.q.cols(), table.values.cols());
  EXPECT_TRUE(id.q.allFinite() && id.qdot.allFinite() && id.qddot.allFinite());

  // Filtered at 6 Hz the knee angle stays within a few degrees of the IK solution, and the speeds are
  // close to central differences of the raw samples (degrees, degrees/s).
  const int knee = table.column("knee_angle_r");
  ASSERT_GE(knee, 0);
  double worst_q = 0.0, worst_qdot = 0.0, peak_qdot = 0.0;
  for (int i = 0; i < 73; ++i) {
    const int k = static_cast<int>(std::lround((id.time_s[i] - 0.5) * 60.0));
    if (k < 1 || k + 1 >= table.rows()) continue;
    worst_q = std::max(worst_q, std::abs(id.q(i, knee) - table.values(k, knee)));
    const double fd =
        (table.values(k + 1, knee) - table.values(k - 1, knee)) / (table.time_s[k + 1] - table.time_s[k - 1]);
    worst_qdot = std::max(worst_qdot, std::abs(id.qdot(i, knee) - fd));
    peak_qdot = std::max(peak_qdot, std::abs(fd));
  }
  EXPECT_LT(worst_q, 1.0);                 // measured 0.49 degrees
  EXPECT_LT(worst_qdot, 0.1 * peak_qdot);  // measured 21 of 364 degrees/s

  // StaticOptimization: same rows and q (at the knots), same speeds; the accelerations from the spline
  // through the speed samples agree with S'' closely away from the padded ends.
  const ProcessedCoordinates so =
      process_coordinates_static_optimization(table.time_s, table.values, options);
  ASSERT_EQ(so.time_s, id.time_s);
  EXPECT_LT((so.q - id.q).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_LT((so.qdot - id.qdot).cwiseAbs().maxCoeff(), 1e-12);
  const double peak_qddot = id.qddot.col(knee).cwiseAbs().maxCoeff();  // measured: 0.17 of 5633 deg/s²
  EXPECT_LT((so.qddot.col(knee) - id.qddot.col(knee)).cwiseAbs().maxCoeff(), 1e-3 * peak_qddot);
  EXPECT_GT((so.qddot.col(knee) - id.qddot.col(knee)).cwiseAbs().maxCoeff(), 0.0);  // not the same thing
}

TEST(ProcessCoordinates, WithoutFilteringUsesTheRawRows) {
  const fs::path ik = test::shared_data(kIkMotion);
  if (!fs::exists(ik)) GTEST_SKIP() << "shared data not found";
  const TimeTable table = read_storage(ik);
  CoordinateProcessingOptions options;
  options.t0 = 0.4;  // before the first sample: starts at the first sample
  options.t1 = 1.6;
  const ProcessedCoordinates id = process_coordinates(table.time_s, table.values, options);
  ASSERT_EQ(id.time_s.size(), 67u);  // 0.5 .. 1.6 s at 60 Hz
  EXPECT_EQ(id.time_s.front(), table.time_s.front());
  for (int i = 0; i < 67; ++i) {
    for (Eigen::Index j = 0; j < table.values.cols(); ++j) {
      EXPECT_NEAR(id.q(i, j), table.values(i, j), 1e-10 * std::max(1.0, std::abs(table.values(i, j))));
    }
  }
  // No time range: every row.
  EXPECT_EQ(process_coordinates(table.time_s, table.values, {}).time_s.size(), 211u);
}

TEST(ProcessCoordinates, TimeRangeSelectsRowsAsFindIndex) {
  std::vector<double> t;
  Eigen::MatrixXd v(20, 1);
  for (int i = 0; i < 20; ++i) {
    t.push_back(0.1 * i);
    v(i, 0) = std::cos(t.back());
  }
  CoordinateProcessingOptions options;
  options.t0 = 0.55;  // row 5 (0.5) is the last with time <= 0.55
  options.t1 = 1.25;  // row 12
  const ProcessedCoordinates r = process_coordinates(t, v, options);
  ASSERT_EQ(r.time_s.size(), 8u);
  EXPECT_EQ(r.time_s.front(), t[5]);
  EXPECT_EQ(r.time_s.back(), t[12]);
  const auto [first, last] = tool_row_range(t, -10.0, -5.0);  // before everything: row 0 only
  EXPECT_EQ(first, 0);
  EXPECT_EQ(last, 0);
}

TEST(ProcessCoordinates, ShortOrBadMotionsThrowInsteadOfNaN) {
  const auto motion = [](int rows, double dt) {
    std::vector<double> t;
    for (int i = 0; i < rows; ++i) t.push_back(dt * i);
    return std::pair{t, Eigen::MatrixXd(Eigen::MatrixXd::Random(rows, 3))};
  };
  CoordinateProcessingOptions filtered;
  filtered.cutoff_hz = 6.0;
  {
    const auto [t, v] = motion(5, 1.0 / 64);
    expect_invalid([&] { process_coordinates(t, v, {}); }, "at least 6 samples, got 5");
    // Filtered, the 5 rows are padded to 9: enough for the filter and the spline.
    const ProcessedCoordinates r = process_coordinates(t, v, filtered);
    EXPECT_EQ(r.time_s.size(), 9u);
    EXPECT_TRUE(r.q.allFinite() && r.qdot.allFinite() && r.qddot.allFinite());
  }
  {
    const auto [t, v] = motion(1, 0.01);
    expect_invalid([&] { process_coordinates(t, v, filtered); }, "at least 2 samples");
  }
  {
    const auto [t, v] = motion(3, 1.0 / 64);  // padded by 1: 5 rows, filterable, too few for the spline
    expect_invalid([&] { process_coordinates(t, v, filtered); }, "at least 6 samples, got 5");
  }
  {
    auto [t, v] = motion(10, 0.01);
    t[4] = t[3];
    expect_invalid([&] { process_coordinates(t, v, {}); }, "strictly increase");
    t[4] = 0.04;
    v(2, 1) = NAN;
    expect_invalid([&] { process_coordinates(t, v, filtered); }, "row 2, column 1 is not finite");
    v(2, 1) = 0.0;
    CoordinateProcessingOptions reversed;
    reversed.t0 = 1.0;
    reversed.t1 = 0.5;
    expect_invalid([&] { process_coordinates(t, v, reversed); }, "t0 <= t1");
    expect_invalid([&] { process_coordinates(std::vector<double>(t.begin(), t.end() - 1), v, {}); },
                   "9 times but 10 rows");
    // Filtered, 10 rows at 100 Hz: fine and finite.
    const ProcessedCoordinates r = process_coordinates(t, v, filtered);
    EXPECT_TRUE(r.q.allFinite() && r.qdot.allFinite() && r.qddot.allFinite());
  }
}

}  // namespace
}  // namespace glutelab
