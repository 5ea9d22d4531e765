#include "glutelab/analysis/coordinate_processing.hpp"

#include <cmath>
#include <numbers>
#include <span>
#include <stdexcept>
#include <string>

#include "glutelab/model/quintic_spline.hpp"

namespace glutelab {
namespace {

constexpr int kMaxResampleSize = 100000;  // Storage::MAX_RESAMPLE_SIZE
constexpr int kMinFilterSamples = 4;      // Storage::lowpassIIR / Signal::LowpassIIR

[[noreturn]] void fail(const std::string& message) {
  throw std::invalid_argument("coordinate processing: " + message);
}

std::span<const double> column(const Eigen::MatrixXd& m, Eigen::Index j) {
  return {m.col(j).data(), static_cast<std::size_t>(m.rows())};
}

/// Sizes agree, times are finite and strictly increase, values are finite.
void validate(const std::vector<double>& time_s, const Eigen::MatrixXd& values) {
  if (static_cast<Eigen::Index>(time_s.size()) != values.rows()) {
    fail(std::to_string(time_s.size()) + " times but " + std::to_string(values.rows()) + " rows of values");
  }
  for (std::size_t i = 0; i < time_s.size(); ++i) {
    if (!std::isfinite(time_s[i])) fail("time of row " + std::to_string(i) + " is not finite");
    if (i > 0 && !(time_s[i] > time_s[i - 1])) {
      fail("time must strictly increase (row " + std::to_string(i) + ": " + std::to_string(time_s[i]) +
           " after " + std::to_string(time_s[i - 1]) + ")");
    }
  }
  for (Eigen::Index j = 0; j < values.cols(); ++j) {
    for (Eigen::Index i = 0; i < values.rows(); ++i) {
      if (!std::isfinite(values(i, j))) {
        fail("value at row " + std::to_string(i) + ", column " + std::to_string(j) + " is not finite");
      }
    }
  }
}

void require_spline_samples(int rows, const char* what) {
  if (rows < QuinticSpline::kMinPoints) {
    fail(std::string(what) + " needs at least " + std::to_string(QuinticSpline::kMinPoints) +
         " samples, got " + std::to_string(rows) + " (natural quintic spline)");
  }
}

/// findIndex(t): the last row with time <= t, 0 if none.
int find_index(const std::vector<double>& time_s, double t) {
  int i = 0;
  const int n = static_cast<int>(time_s.size());
  while (i < n && !(t < time_s[i])) ++i;
  return i > 0 ? i - 1 : 0;
}

/// One forward pass of Signal::LowpassIIR's recursion, seeded with the first three input samples.
void iir_pass(const IirCoefficients& c, const double* x, double* y, int n) {
  for (int i = 0; i < 3; ++i) y[i] = x[i];
  for (int i = 3; i < n; ++i) {
    y[i] = c.b[0] * x[i] + c.b[1] * x[i - 1] + c.b[2] * x[i - 2] + c.b[3] * x[i - 3] - c.a[1] * y[i - 1] -
           c.a[2] * y[i - 2] - c.a[3] * y[i - 3];
  }
}

/// The result rows [range.first, range.second] of `filtered`, matrices sized, values unset.
ProcessedCoordinates allocate(const TimeSeries& filtered, std::pair<int, int> range) {
  ProcessedCoordinates out;
  const int rows = range.second - range.first + 1;
  out.time_s.assign(filtered.time_s.begin() + range.first, filtered.time_s.begin() + range.second + 1);
  out.q.resize(rows, filtered.values.cols());
  out.qdot.resize(rows, filtered.values.cols());
  out.qddot.resize(rows, filtered.values.cols());
  return out;
}

TimeSeries filtered_for_tool(const std::vector<double>& time_s, const Eigen::MatrixXd& values,
                             const CoordinateProcessingOptions& options) {
  if (std::isnan(options.t0) || std::isnan(options.t1) || options.t0 > options.t1) {
    fail("the time range must have t0 <= t1 (got " + std::to_string(options.t0) + " .. " +
         std::to_string(options.t1) + ")");
  }
  TimeSeries filtered = filter_coordinates(TimeSeries{time_s, values}, options.cutoff_hz);
  require_spline_samples(filtered.rows(), "splining the coordinates");
  return filtered;
}

}  // namespace

IirCoefficients butterworth3_lowpass(double sample_interval_s, double cutoff_hz) {
  if (!(sample_interval_s > 0.0) || !std::isfinite(sample_interval_s)) {
    fail("the sample interval must be positive and finite, got " + std::to_string(sample_interval_s));
  }
  if (!(cutoff_hz >= 0.0) || !std::isfinite(cutoff_hz)) {
    fail("the cutoff frequency must be non-negative and finite, got " + std::to_string(cutoff_hz));
  }
  // Signal::LowpassIIR, in its arithmetic order.
  const double fs = 1 / sample_interval_s;
  if (cutoff_hz >= 0.5 * fs) cutoff_hz = 0.49 * fs;
  const double wc = 2 * std::numbers::pi * cutoff_hz;
  const double wa = std::tan(wc * sample_interval_s / 2.0);
  const double wa2 = wa * wa;
  const double wa3 = wa * wa * wa;
  const double denom = (wa + 1) * (wa * wa + wa + 1.0);
  IirCoefficients c;
  c.b = {wa3 / denom, 3 * wa3 / denom, 3 * wa3 / denom, wa3 / denom};
  c.a = {1.0, (3 * wa3 + 2 * wa2 - 2 * wa - 3) / denom, (3 * wa3 - 2 * wa2 - 2 * wa + 3) / denom,
         (wa - 1) * (wa2 - wa + 1) / denom};
  return c;
}

Eigen::VectorXd lowpass_iir(const Eigen::Ref<const Eigen::VectorXd>& signal, double sample_interval_s,
                            double cutoff_hz) {
  const int n = static_cast<int>(signal.size());
  if (n < kMinFilterSamples) {
    fail("the low-pass filter needs at least " + std::to_string(kMinFilterSamples) + " samples, got " +
         std::to_string(n));
  }
  const IirCoefficients c = butterworth3_lowpass(sample_interval_s, cutoff_hz);
  const Eigen::VectorXd x = signal;  // contiguous copy
  Eigen::VectorXd forward(n), reversed(n), backward(n);
  iir_pass(c, x.data(), forward.data(), n);
  for (int i = 0; i < n; ++i) reversed[i] = forward[n - 1 - i];
  iir_pass(c, reversed.data(), backward.data(), n);
  Eigen::VectorXd out(n);
  for (int i = 0; i < n; ++i) out[i] = backward[n - 1 - i];
  return out;
}

Eigen::VectorXd pad_signal(const Eigen::Ref<const Eigen::VectorXd>& signal, int pad) {
  const int n = static_cast<int>(signal.size());
  if (pad < 0 || (pad > 0 && pad >= n)) {
    fail("padding by " + std::to_string(pad) + " points needs more than that many samples, got " +
         std::to_string(n));
  }
  Eigen::VectorXd s(n + 2 * pad);
  // Signal::Pad: copy the mirror image, then negate it about the end value.
  for (int i = 0, j = pad; i < pad; ++i, --j) s[i] = signal[j];
  for (int i = 0; i < pad; ++i) s[i] = 2.0 * signal[0] - s[i];
  for (int i = 0; i < n; ++i) s[pad + i] = signal[i];
  for (int i = pad + n, j = n - 2; i < 2 * pad + n; ++i, --j) s[i] = signal[j];
  for (int i = pad + n; i < 2 * pad + n; ++i) s[i] = 2.0 * signal[n - 1] - s[i];
  return s;
}

TimeSeries pad_series(const TimeSeries& series, int pad) {
  validate(series.time_s, series.values);
  const Eigen::VectorXd time =
      pad_signal(Eigen::Map<const Eigen::VectorXd>(series.time_s.data(), series.rows()), pad);
  TimeSeries out;
  out.time_s.assign(time.data(), time.data() + time.size());
  out.values.resize(time.size(), series.values.cols());
  for (Eigen::Index j = 0; j < series.values.cols(); ++j)
    out.values.col(j) = pad_signal(series.values.col(j), pad);
  return out;
}

double min_time_step(const std::vector<double>& time_s) {
  double dtmin = std::numeric_limits<double>::infinity();
  for (std::size_t i = 1; i < time_s.size(); ++i) {
    const double dt = time_s[i] - time_s[i - 1];
    if (dt < dtmin) dtmin = dt;
  }
  return dtmin;
}

TimeSeries resample_quintic(const TimeSeries& series, double dt, double* used_dt) {
  validate(series.time_s, series.values);
  if (!(dt > 0.0) || !std::isfinite(dt))
    fail("the resampling step must be positive, got " + std::to_string(dt));
  require_spline_samples(series.rows(), "resampling");
  const double first = series.time_s.front();
  const double last = series.time_s.back();
  if ((last - first) / dt > kMaxResampleSize) dt = (last - first) / kMaxResampleSize;
  if (used_dt) *used_dt = dt;

  TimeSeries out;
  for (double x = first; x <= last; x += dt) out.time_s.push_back(x);  // GCVSplineSet::constructStorage
  out.values.resize(out.rows(), series.values.cols());
  for (Eigen::Index j = 0; j < series.values.cols(); ++j) {
    const QuinticSpline spline(series.time_s, column(series.values, j));
    for (int i = 0; i < out.rows(); ++i) out.values(i, j) = spline.value(out.time_s[i]);
  }
  return out;
}

TimeSeries lowpass_series(const TimeSeries& series, double cutoff_hz) {
  validate(series.time_s, series.values);
  if (series.rows() < 2) {
    fail("the low-pass filter needs at least " + std::to_string(kMinFilterSamples) + " samples, got " +
         std::to_string(series.rows()));
  }
  double dtmin = min_time_step(series.time_s);
  const double avg_dt = (series.time_s.back() - series.time_s.front()) / (series.rows() - 1);
  if (dtmin < std::numeric_limits<double>::epsilon()) {
    fail("time steps must be at least " + std::to_string(std::numeric_limits<double>::epsilon()) +
         " s to filter, got " + std::to_string(dtmin));
  }
  TimeSeries out;
  if ((avg_dt - dtmin) > std::numeric_limits<double>::epsilon()) {
    out = resample_quintic(series, dtmin, &dtmin);
  } else {
    out = series;
  }
  if (out.rows() < kMinFilterSamples) {
    fail("the low-pass filter needs at least " + std::to_string(kMinFilterSamples) + " samples, got " +
         std::to_string(out.rows()));
  }
  for (Eigen::Index j = 0; j < out.values.cols(); ++j) {
    out.values.col(j) = lowpass_iir(out.values.col(j), dtmin, cutoff_hz);
  }
  return out;
}

TimeSeries filter_coordinates(const TimeSeries& coordinates, double cutoff_hz) {
  validate(coordinates.time_s, coordinates.values);
  if (std::isnan(cutoff_hz)) fail("the cutoff frequency is NaN");
  if (!(cutoff_hz > 0.0)) return coordinates;
  if (!std::isfinite(cutoff_hz)) fail("the cutoff frequency must be finite");
  if (coordinates.rows() < 2) {
    fail("filtering needs at least 2 samples (padded to 4 for the low-pass filter), got " +
         std::to_string(coordinates.rows()));
  }
  return lowpass_series(pad_series(coordinates, coordinates.rows() / 2), cutoff_hz);
}

std::pair<int, int> tool_row_range(const std::vector<double>& time_s, double t0, double t1) {
  if (time_s.empty()) fail("no samples");
  if (std::isnan(t0) || std::isnan(t1) || t0 > t1) fail("the time range must have t0 <= t1");
  const double start = time_s.front() > t0 ? time_s.front() : t0;
  const double end = time_s.back() < t1 ? time_s.back() : t1;
  return {find_index(time_s, start), find_index(time_s, end)};
}

ProcessedCoordinates process_coordinates(const std::vector<double>& time_s, const Eigen::MatrixXd& values,
                                         const CoordinateProcessingOptions& options) {
  const TimeSeries filtered = filtered_for_tool(time_s, values, options);
  const std::pair<int, int> range = tool_row_range(filtered.time_s, options.t0, options.t1);
  ProcessedCoordinates out = allocate(filtered, range);
  for (Eigen::Index j = 0; j < filtered.values.cols(); ++j) {
    const QuinticSpline spline(filtered.time_s, column(filtered.values, j));
    for (int i = 0; i < static_cast<int>(out.time_s.size()); ++i) {
      spline.evaluate(out.time_s[i], out.q(i, j), out.qdot(i, j), out.qddot(i, j));
    }
  }
  return out;
}

ProcessedCoordinates process_coordinates_static_optimization(const std::vector<double>& time_s,
                                                             const Eigen::MatrixXd& values,
                                                             const CoordinateProcessingOptions& options) {
  const TimeSeries filtered = filtered_for_tool(time_s, values, options);
  const std::pair<int, int> range = tool_row_range(filtered.time_s, options.t0, options.t1);
  ProcessedCoordinates out = allocate(filtered, range);
  std::vector<double> speeds(filtered.time_s.size());
  for (Eigen::Index j = 0; j < filtered.values.cols(); ++j) {
    const QuinticSpline q_spline(filtered.time_s, column(filtered.values, j));
    for (std::size_t k = 0; k < speeds.size(); ++k) speeds[k] = q_spline.derivative(filtered.time_s[k], 1);
    const QuinticSpline u_spline(filtered.time_s, speeds);
    for (int i = 0; i < static_cast<int>(out.time_s.size()); ++i) {
      const int k = range.first + i;
      out.q(i, j) = filtered.values(k, j);
      out.qdot(i, j) = speeds[k];
      out.qddot(i, j) = u_spline.derivative(out.time_s[i], 1);
    }
  }
  return out;
}

}  // namespace glutelab
