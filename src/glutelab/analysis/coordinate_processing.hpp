// OpenSim's processing of coordinate trajectories for its tools (docs/opensim-tools.md §0, §1, §3):
// Storage::pad (reflect and negate), Storage::lowpassIIR (resample to uniform steps with quintic splines
// when the steps are not exactly uniform, then Signal::LowpassIIR, a 3rd-order Butterworth run forward
// and backward), and GCVSplineSet(5, ...) (natural interpolating quintics) whose derivatives give speeds
// and accelerations, as InverseDynamicsTool and StaticOptimization use them. Every step reproduces
// OpenSim's arithmetic order, so time stamps match OpenSim's bit for bit. Inputs that OpenSim would
// process into garbage (too few samples, non-increasing time) throw std::invalid_argument instead.
#pragma once

#include <array>
#include <limits>
#include <utility>
#include <vector>

#include <Eigen/Core>

namespace glutelab {

/// Samples of several signals over time, as an OpenSim Storage: rows = frames.
struct TimeSeries {
  std::vector<double> time_s;
  Eigen::MatrixXd values;  ///< rows = time_s.size(), one column per signal
  int rows() const { return static_cast<int>(time_s.size()); }
};

/// A 3rd-order recursive filter y[i] = Σ_k b[k] x[i-k] − Σ_{k>=1} a[k] y[i-k] (a[0] = 1).
struct IirCoefficients {
  std::array<double, 4> b{};
  std::array<double, 4> a{};
};

/// The 3rd-order Butterworth low-pass of Signal::LowpassIIR (bilinear transform pre-warped to the cutoff);
/// a cutoff at or above half the sampling rate becomes 0.49·fs as in OpenSim. Throws std::invalid_argument
/// for a non-positive interval or a negative/non-finite cutoff.
IirCoefficients butterworth3_lowpass(double sample_interval_s, double cutoff_hz);

/// Signal::LowpassIIR: the Butterworth filter run forward, then over the reversed result (zero phase,
/// gain 1/2 at the cutoff); each pass copies its first three input samples as its first outputs. Throws
/// std::invalid_argument for fewer than 4 samples.
Eigen::VectorXd lowpass_iir(const Eigen::Ref<const Eigen::VectorXd>& signal, double sample_interval_s,
                            double cutoff_hz);

/// Signal::Pad: `pad` points before and after, reflected and negated about the end values
/// (s[−k] = 2·x[0] − x[k], s[N−1+k] = 2·x[N−1] − x[N−1−k]). Needs 0 <= pad < size.
Eigen::VectorXd pad_signal(const Eigen::Ref<const Eigen::VectorXd>& signal, int pad);

/// Storage::pad: pads the time column and every value column with pad_signal.
TimeSeries pad_series(const TimeSeries& series, int pad);

/// Storage::getMinTimeStep: the smallest difference of consecutive times (+inf below 2 rows).
double min_time_step(const std::vector<double>& time_s);

/// Storage::resample(dt, 5): a natural quintic per column (GCVSplineSet(5)), sampled at t = t_first,
/// then t += dt (repeated addition) while t <= t_last. OpenSim caps the result at 100000 steps by
/// enlarging dt; the step used is returned through `used_dt` when given.
TimeSeries resample_quintic(const TimeSeries& series, double dt, double* used_dt = nullptr);

/// Storage::lowpassIIR: resamples at the smallest step when (mean step − smallest step) > DBL_EPSILON,
/// then low-pass filters every column with lowpass_iir at that step.
TimeSeries lowpass_series(const TimeSeries& series, double cutoff_hz);

/// What the tools spline: with cutoff_hz > 0, pad_series(size/2) then lowpass_series(cutoff_hz);
/// otherwise the samples unchanged (after validation).
TimeSeries filter_coordinates(const TimeSeries& coordinates, double cutoff_hz);

/// The rows a tool computes over [t0, t1]: Storage::findIndex(max(t0, first time)) ..
/// findIndex(min(t1, last time)), findIndex(t) being the last row with time <= t (0 if none).
std::pair<int, int> tool_row_range(const std::vector<double>& time_s, double t0, double t1);

struct CoordinateProcessingOptions {
  double cutoff_hz = -1.0;  ///< low-pass cutoff (Hz); <= 0: no padding and no filtering
  double t0 = -std::numeric_limits<double>::infinity();  ///< tool time range start (s)
  double t1 = std::numeric_limits<double>::infinity();   ///< tool time range end (s)
};

/// Coordinate trajectories at a tool's output rows.
struct ProcessedCoordinates {
  std::vector<double> time_s;  ///< row times (padded/resampled times when filtered)
  Eigen::MatrixXd q;           ///< rows = time_s.size(), columns as the input values
  Eigen::MatrixXd qdot;
  Eigen::MatrixXd qddot;
};

/// InverseDynamicsTool: filter_coordinates, one natural quintic S per column over all filtered rows,
/// then q = S, q̇ = S′, q̈ = S″ at the rows tool_row_range(t0, t1). `values` is frames × columns in any
/// units (degrees → radians may be applied before or after: every step is linear). Throws
/// std::invalid_argument naming what was expected (sizes, increasing finite times, finite values,
/// enough samples for the filter and the spline, t0 <= t1).
ProcessedCoordinates process_coordinates(const std::vector<double>& time_s, const Eigen::MatrixXd& values,
                                         const CoordinateProcessingOptions& options);

/// AnalyzeTool + StaticOptimization: as process_coordinates, but q are the filtered samples, q̇ the speed
/// samples u_k = S′(t_k) at every filtered row (formCompleteStorages), and q̈ = U′ with U a second natural
/// quintic through (t_k, u_k) over all rows (the target accelerations of StaticOptimization::record).
ProcessedCoordinates process_coordinates_static_optimization(const std::vector<double>& time_s,
                                                             const Eigen::MatrixXd& values,
                                                             const CoordinateProcessingOptions& options);

}  // namespace glutelab
