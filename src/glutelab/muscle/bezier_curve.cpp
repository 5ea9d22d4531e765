#include "glutelab/muscle/bezier_curve.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace glutelab {
namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();

/// A quintic Bernstein polynomial and its first two derivatives with respect to u.
struct Bernstein {
  double value = 0.0, d1 = 0.0, d2 = 0.0;
};

Bernstein bernstein(const std::array<double, 6>& p, double u) {
  const double v = 1.0 - u;
  const double u2 = u * u, v2 = v * v;
  // Degree-5, -4 and -3 basis functions.
  const double b5[6] = {v2 * v2 * v,      5 * u * v2 * v2, 10 * u2 * v2 * v,
                        10 * u2 * u * v2, 5 * u2 * u2 * v, u2 * u2 * u};
  const double b4[5] = {v2 * v2, 4 * u * v2 * v, 6 * u2 * v2, 4 * u2 * u * v, u2 * u2};
  const double b3[4] = {v2 * v, 3 * u * v2, 3 * u2 * v, u2 * u};
  Bernstein r;
  for (int k = 0; k < 6; ++k) r.value += b5[k] * p[k];
  for (int k = 0; k < 5; ++k) r.d1 += b4[k] * (p[k + 1] - p[k]);
  for (int k = 0; k < 4; ++k) r.d2 += b3[k] * (p[k + 2] - 2.0 * p[k + 1] + p[k]);
  r.d1 *= 5.0;
  r.d2 *= 20.0;
  return r;
}

/// A quintic Bernstein polynomial and its first derivative (the Newton iteration's and the slope's
/// needs), without the second derivative's basis.
struct BernsteinSlope {
  double value = 0.0, d1 = 0.0;
};
BernsteinSlope bernstein_slope(const std::array<double, 6>& p, double u) {
  const double v = 1.0 - u;
  const double u2 = u * u, v2 = v * v;
  const double b4[5] = {v2 * v2, 4 * u * v2 * v, 6 * u2 * v2, 4 * u2 * u * v, u2 * u2};
  BernsteinSlope r;
  // value = sum of the degree-5 basis times p, written through the degree-4 basis (b5_k = v b4_k + u
  // b4_{k-1}).
  for (int k = 0; k < 5; ++k) {
    r.value += b4[k] * (v * p[k] + u * p[k + 1]);
    r.d1 += b4[k] * (p[k + 1] - p[k]);
  }
  r.d1 *= 5.0;
  return r;
}

/// The u in [0, 1] with x(u) = x on a segment whose x(u) is monotonically non-decreasing:
/// Newton's method kept inside a shrinking bracket (bisection when a step leaves it).
double solve_u(const std::array<double, 6>& px, double x) {
  double lo = 0.0, hi = 1.0;
  const double span = px[5] - px[0];
  if (!(span > 0.0)) return 0.0;
  double u = std::clamp((x - px[0]) / span, 0.0, 1.0);
  const double tol = 2.0 * kEps * (std::abs(x) + std::abs(span));
  for (int it = 0; it < 100; ++it) {
    const BernsteinSlope b = bernstein_slope(px, u);
    const double f = b.value - x;
    if (std::abs(f) <= tol) break;
    if (f < 0.0) {
      lo = u;
    } else {
      hi = u;
    }
    if (hi - lo <= 2.0 * kEps) break;
    double next = b.d1 > 0.0 ? u - f / b.d1 : 0.5 * (lo + hi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    u = next;
  }
  return u;
}

}  // namespace

double scale_curviness(double curviness) { return 0.1 + 0.8 * curviness; }

BezierSegment bezier_corner(double x0, double y0, double dydx0, double x1, double y1, double dydx1,
                            double scaled_curviness) {
  if (!(scaled_curviness >= 0.0 && scaled_curviness <= 1.0)) {
    throw std::invalid_argument("Bezier corner: curviness must be in [0, 1]");
  }
  // Intersection of the two end tangents (the midpoint of the ends when they are parallel).
  double xc = 0.5 * (x0 + x1);
  if (std::abs(dydx0 - dydx1) > std::sqrt(kEps)) xc = (y1 - y0 - x1 * dydx1 + x0 * dydx0) / (dydx0 - dydx1);
  const double yc = (xc - x1) * dydx1 + y1;
  // A C-shaped corner: the chord is longer than either end's distance to the intersection.
  const double a = (xc - x0) * (xc - x0) + (yc - y0) * (yc - y0);
  const double b = (xc - x1) * (xc - x1) + (yc - y1) * (yc - y1);
  const double c = (x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0);
  if (!(c > a && c > b)) {
    throw std::invalid_argument("Bezier corner: the end tangents do not form a C-shaped corner");
  }
  const double x0m = x0 + scaled_curviness * (xc - x0), y0m = y0 + scaled_curviness * (yc - y0);
  const double x1m = x1 + scaled_curviness * (xc - x1), y1m = y1 + scaled_curviness * (yc - y1);
  BezierSegment s;
  s.x = {x0, x0m, x0m, x1m, x1m, x1};
  s.y = {y0, y0m, y0m, y1m, y1m, y1};
  return s;
}

SegmentedCurve::SegmentedCurve(const BezierSegment* segments, int count, double x0, double x1, double y0,
                               double y1, double dydx0, double dydx1)
    : count_(count), x0_(x0), x1_(x1), y0_(y0), y1_(y1), dydx0_(dydx0), dydx1_(dydx1) {
  if (count < 1 || count > kMaxSegments) throw std::invalid_argument("SegmentedCurve: 1 to 5 segments");
  for (int i = 0; i < count; ++i) segments_[i] = segments[i];
}

SegmentedCurve::Local SegmentedCurve::locate(double x) const {
  if (x < x0_) return {-1, 0.0};
  if (x > x1_) return {count_, 0.0};
  // The first segment with x0 <= x < x5; the last one also owns its end point.
  int idx = count_ - 1;
  for (int i = 0; i < count_; ++i) {
    if (x >= segments_[i].x[0] && x < segments_[i].x[5]) {
      idx = i;
      break;
    }
  }
  return {idx, solve_u(segments_[idx].x, x)};
}

double SegmentedCurve::value(double x) const {
  const Local l = locate(x);
  if (l.segment < 0) return y0_ + dydx0_ * (x - x0_);
  if (l.segment >= count_) return y1_ + dydx1_ * (x - x1_);
  return bernstein_slope(segments_[l.segment].y, l.u).value;
}

CurvePoint SegmentedCurve::evaluate(double x) const {
  const Local l = locate(x);
  if (l.segment < 0) return {y0_ + dydx0_ * (x - x0_), dydx0_};
  if (l.segment >= count_) return {y1_ + dydx1_ * (x - x1_), dydx1_};
  const BezierSegment& s = segments_[l.segment];
  const BernsteinSlope bx = bernstein_slope(s.x, l.u), by = bernstein_slope(s.y, l.u);
  return {by.value, by.d1 / bx.d1};
}

double SegmentedCurve::derivative(double x, int order) const {
  if (order <= 0) return value(x);
  const Local l = locate(x);
  if (l.segment < 0) return order == 1 ? dydx0_ : 0.0;
  if (l.segment >= count_) return order == 1 ? dydx1_ : 0.0;
  const BezierSegment& s = segments_[l.segment];
  const Bernstein bx = bernstein(s.x, l.u), by = bernstein(s.y, l.u);
  if (order == 1) return by.d1 / bx.d1;
  if (order == 2) return (by.d2 * bx.d1 - by.d1 * bx.d2) / (bx.d1 * bx.d1 * bx.d1);
  throw std::invalid_argument("SegmentedCurve::derivative: order must be 0, 1 or 2");
}

}  // namespace glutelab
