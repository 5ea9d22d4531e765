// OpenSim's smooth segmented curves (SmoothSegmentedFunction, SegmentedQuinticBezierToolkit): a chain
// of quintic Bezier "corner" segments, C2-continuous, extended linearly beyond its two ends. The
// Millard2012 muscle curves are built from them. A curve is a value type of fixed size (no heap).
#pragma once

#include <array>

namespace glutelab {

/// Value and first derivative of a curve at one point.
struct CurvePoint {
  double value = 0.0;
  double slope = 0.0;
};

/// Control points of one quintic Bezier segment, x(u) and y(u) for u in [0, 1].
struct BezierSegment {
  std::array<double, 6> x{};
  std::array<double, 6> y{};
};

/// OpenSim's curviness scaling: 0.1 + 0.8 c (c in [0, 1]).
double scale_curviness(double curviness);

/// The quintic Bezier "corner" from (x0, y0) with slope dydx0 to (x1, y1) with slope dydx1
/// (calcQuinticBezierCornerControlPoints); `scaled_curviness` in [0, 1] places the interior control
/// points between each end and the intersection of the two end tangents. Throws std::invalid_argument
/// if the tangents do not form a C-shaped corner.
BezierSegment bezier_corner(double x0, double y0, double dydx0, double x1, double y1, double dydx1,
                            double scaled_curviness);

/// A curve y(x) made of up to kMaxSegments Bezier segments whose x(u) increase monotonically, joined
/// end to end, and the straight lines y0 + dydx0 (x - x0) left of x0 and y1 + dydx1 (x - x1) right of x1.
class SegmentedCurve {
 public:
  static constexpr int kMaxSegments = 5;

  SegmentedCurve() = default;
  /// From `count` segments in increasing x; the ends and end slopes define the linear extensions.
  SegmentedCurve(const BezierSegment* segments, int count, double x0, double x1, double y0, double y1,
                 double dydx0, double dydx1);

  /// y(x).
  double value(double x) const;
  /// y(x) and dy/dx.
  CurvePoint evaluate(double x) const;
  /// d^order y / dx^order for order 1 or 2 (0 returns the value).
  double derivative(double x, int order) const;

  double x_begin() const { return x0_; }
  double x_end() const { return x1_; }
  int segment_count() const { return count_; }
  const BezierSegment& segment(int i) const { return segments_[i]; }

 private:
  struct Local {
    int segment = -1;  ///< -1 left of the curve, count_ right of it
    double u = 0.0;
  };
  Local locate(double x) const;

  std::array<BezierSegment, kMaxSegments> segments_{};
  int count_ = 0;
  double x0_ = 0.0, x1_ = 0.0, y0_ = 0.0, y1_ = 0.0, dydx0_ = 0.0, dydx1_ = 0.0;
};

}  // namespace glutelab
