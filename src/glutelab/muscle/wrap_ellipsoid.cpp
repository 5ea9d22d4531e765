// Wrapping over an ellipsoid centred at the origin with semi-axes `radii`, reproducing OpenSim's
// WrapEllipsoid outcome: the path wraps only when the segment pierces the ellipsoid (always reported
// as a mandatory wrap); a "contact" point c1 is found by the hybrid (axis-plane / fan blend), axial
// or midpoint method; the wrapping plane passes through p1, p2 and c1; the tangent points are where
// the lines from p1 and p2 touch the ellipse cut by that plane (OpenSim finds them by a damped
// least-squares iteration, we solve the same conditions in closed form); and the surface length is
// OpenSim's polyline of about 1 mm chords, swept at equal angles about a point of the plane.
#include <cmath>
#include <limits>

#include "glutelab/muscle/wrap_internal.hpp"

namespace glutelab::wrap_detail {
namespace {

constexpr double kMuBlendMin = 0.7073;  // below: fan solution only
constexpr double kMuBlendMax = 0.9;     // above: axis-plane solution only
constexpr int kFanSamples = 300;
constexpr double kSvBoundaryBlend = 0.3;
constexpr double kRoundoff = 2e-13;     // OpenSim's ROUNDOFF_ERROR
constexpr double kChordLength = 0.001;  // surface sampling step [m]
constexpr int kMaxChords = 499;

/// Closest point to (u, v) on the ellipse (x/a)^2 + (y/b)^2 = 1 (Eberly, Graphics Gems IV, with
/// OpenSim's handling of points on the axes, including the interior evolute case).
template <class S>
void closest_on_ellipse(double a, double b, const S& u, const S& v, S& x, S& y) {
  using std::abs;
  using std::sqrt;
  const double a2 = a * a, b2 = b * b;
  const bool on_y_axis = std::abs(value_of(u)) <= kRoundoff;
  const bool on_x_axis = std::abs(value_of(v)) <= kRoundoff;
  if (on_y_axis && on_x_axis) {
    if (a < b) {
      x = S(value_of(u) < 0.0 ? -a : a);
      y = v;
    } else {
      x = u;
      y = S(value_of(v) < 0.0 ? -b : b);
    }
    return;
  }
  if (on_y_axis) {
    if (a >= b || std::abs(value_of(v)) >= b - a2 / b) {
      x = u;
      y = S(value_of(v) >= 0.0 ? b : -b);
    } else {
      y = b2 * v / (b2 - a2);
      const S yb = y / b;
      x = a * sqrt(abs(S(1.0) - yb * yb));
    }
    return;
  }
  if (on_x_axis) {
    if (b >= a || std::abs(value_of(u)) >= a - b2 / a) {
      x = S(value_of(u) >= 0.0 ? a : -a);
      y = v;
    } else {
      x = a2 * u / (a2 - b2);
      const S xa = x / a;
      y = b * sqrt(abs(S(1.0) - xa * xa));
    }
    return;
  }
  const S a2u2 = a2 * u * u, b2v2 = b2 * v * v;
  S t = value_of((u / a) * (u / a) + (v / b) * (v / b)) < 1.0 ? S(0.0)
                                                              : S(std::max(a, b) * sqrt(u * u + v * v));
  auto residual = [&](const S& tt, S& f, S& fp) {
    const S p = tt + a2, q = tt + b2;
    f = p * p * q * q - a2u2 * q * q - b2v2 * p * p;
    fp = 2.0 * (p * q * (p + q) - a2u2 * q - b2v2 * p);
  };
  S f, fp;
  for (int i = 0; i < 64; ++i) {
    residual(t, f, fp);
    if (std::abs(value_of(f)) < 1e-9) break;
    t -= f / fp;
  }
  // A last Newton step: negligible in value, and it makes the derivative of the root exact.
  residual(t, f, fp);
  t -= f / fp;
  x = a2 * u / (t + a2);
  y = b2 * v / (t + b2);
}

/// Closest point on the ellipsoid with semi-axes a to `point`. `plane_axis` >= 0 forces the planar
/// (2-D) solution in the plane where that coordinate is kept; -1 picks it automatically for points
/// on a coordinate plane (the narrowest cross-section wins). `out` is left unchanged when the 3-D
/// Newton iteration does not converge, as in OpenSim.
template <class S>
void closest_on_ellipsoid(const Vec3& a, const V3<S>& point, V3<S>& out, int plane_axis = -1) {
  using std::sqrt;
  if (plane_axis < 0) {
    double best = std::numeric_limits<double>::infinity();
    for (int i = 0; i < 3; ++i) {
      if (std::abs(value_of(point[i])) <= kRoundoff) {
        const double radii_sum = a.sum() - a[i];
        if (best > radii_sum) {
          plane_axis = i;
          best = radii_sum;
        }
      }
    }
  }
  if (plane_axis == 0) {
    out.x() = point.x();
    closest_on_ellipse(a.y(), a.z(), point.y(), point.z(), out.y(), out.z());
    return;
  }
  if (plane_axis == 1) {
    out.y() = point.y();
    closest_on_ellipse(a.z(), a.x(), point.z(), point.x(), out.z(), out.x());
    return;
  }
  if (plane_axis == 2) {
    out.z() = point.z();
    closest_on_ellipse(a.x(), a.y(), point.x(), point.y(), out.x(), out.y());
    return;
  }
  const Vec3 a2 = a.cwiseProduct(a);
  const S wx = a2.x() * point.x() * point.x(), wy = a2.y() * point.y() * point.y(),
          wz = a2.z() * point.z() * point.z();  // a^2 u^2, b^2 v^2, c^2 w^2
  const double scaled_sq =
      value_of(point.x() / a.x() * (point.x() / a.x()) + point.y() / a.y() * (point.y() / a.y()) +
               point.z() / a.z() * (point.z() / a.z()));
  S t = scaled_sq < 1.0 ? S(0.0) : S(a.maxCoeff() * point.norm());
  auto residual = [&](const S& tt, S& f, S& fp) {
    const S p = tt + a2.x(), q = tt + a2.y(), r = tt + a2.z();
    const S p2 = p * p, q2 = q * q, r2 = r * r;
    f = p2 * q2 * r2 - wx * q2 * r2 - wy * p2 * r2 - wz * p2 * q2;
    const S pqr = p * q * r;
    fp = 2.0 *
         (pqr * (q * r + p * r + p * q) - wx * q * r * (q + r) - wy * p * r * (p + r) - wz * p * q * (p + q));
  };
  S f, fp;
  for (int i = 0; i < 64; ++i) {
    residual(t, f, fp);
    if (std::abs(value_of(f)) < 1e-9) {
      t -= f / fp;  // see closest_on_ellipse: exact derivative of the root
      out = V3<S>(a2.x() * point.x() / (t + a2.x()), a2.y() * point.y() / (t + a2.y()),
                  a2.z() * point.z() / (t + a2.z()));
      return;
    }
    t -= f / fp;
  }
}

/// Tangent point from p (outside, in the wrapping plane vs.x + vs4 = 0) to the ellipse cut from the
/// ellipsoid by that plane: r lies on the ellipsoid, on the plane and on p's polar plane
/// (p/a^2).r = 1. Of the two solutions, the one on the same side of the line p1-p2 as `guess`
/// (OpenSim starts its iteration at the guess and converges to that one).
template <class S>
V3<S> ellipse_tangent_point(const Vec3& a, const V3<S>& p, double p_level, const V3<S>& vs, const S& vs4,
                            const V3<S>& guess, const V3<S>& p1, const V3<S>& p2) {
  using std::sqrt;
  if (std::abs(p_level) < 1e-4) return p;  // p is on the surface
  const V3<S> inv_a2 = a.cwiseProduct(a).cwiseInverse().template cast<S>();
  const V3<S> polar_n = p.cwiseProduct(inv_a2);
  const V3<S> dir = polar_n.cross(vs);
  const S dir_sq = dir.squaredNorm();
  if (!(value_of(dir_sq) > 0.0)) return guess;
  const V3<S> base = (vs.cross(dir) + dir.cross(polar_n) * (-vs4)) / dir_sq;
  const S qa = dir.cwiseProduct(inv_a2).dot(dir);
  const S qb = 2.0 * base.cwiseProduct(inv_a2).dot(dir);
  const S qc = base.cwiseProduct(inv_a2).dot(base) - 1.0;
  const S disc = qb * qb - 4.0 * qa * qc;
  if (value_of(disc) < 0.0) return guess;
  const S root = sqrt(disc);
  const V3<S> ta = base + ((-qb + root) / (2.0 * qa)) * dir;
  const V3<S> tb = base + ((-qb - root) / (2.0 * qa)) * dir;
  const V3<S> line = p2 - p1;
  auto side = [&](const V3<S>& x) { return value_of(vs.dot((x - p1).cross(line))); };
  const double guess_side = side(guess);
  const double scale = value_of(line.norm() * (guess - p1).norm());
  if (std::abs(guess_side) > 1e-9 * scale) {
    const bool a_same = (side(ta) > 0.0) == (guess_side > 0.0);
    const bool b_same = (side(tb) > 0.0) == (guess_side > 0.0);
    if (a_same != b_same) return a_same ? ta : tb;
  }
  return value_of((ta - guess).squaredNorm()) <= value_of((tb - guess).squaredNorm()) ? ta : tb;
}

/// OpenSim's surface polyline from r1 to r2 (scaled coordinates, `factor` = scale): vertices are the
/// ellipsoid points hit by rays from the plane point a0 at equal angular steps.
template <class S>
struct SurfacePolyline {
  S length = S(0.0);  ///< scaled
  int points = 2;
  V3<S> after_r1, before_r2;
};

template <class S>
SurfacePolyline<S> surface_polyline(const Vec3& a, const V3<S>& r1, const V3<S>& r2, const V3<S>& vs,
                                    const S& vs4, bool far_side, double factor) {
  using std::cos;
  using std::sin;
  using std::sqrt;
  SurfacePolyline<S> out;
  out.after_r1 = r2;
  out.before_r2 = r1;
  const S chord_m = (r1 - r2).norm() / factor;
  if (value_of(chord_m) < kChordLength) {
    out.length = chord_m * factor;
    return out;
  }
  const int chords = std::min(kMaxChords, static_cast<int>(value_of(chord_m) / kChordLength));
  int imax = 0;
  for (int i = 1; i < 3; ++i)
    if (std::abs(value_of(vs[i])) > std::abs(value_of(vs[imax]))) imax = i;
  V3<S> a0 = V3<S>::Zero();
  a0[imax] = -vs4 / vs[imax];
  const V3<S> ar1 = unit_or_zero<S>(r1 - a0);
  const V3<S> ar2 = unit_or_zero<S>(r2 - a0);
  const S phi0 = angle_between(ar1, ar2);
  const S dphi = far_side ? S(-(S(2.0 * kPi) - phi0) / double(chords)) : S(phi0 / double(chords));
  const V3<S> vsz = unit_or_zero<S>(ar1.cross(ar2));
  const V3<S> vsy = vsz.cross(ar1);
  const V3<S> inv_a = a.cwiseInverse().template cast<S>();
  const V3<S> f2 = a0.cwiseProduct(inv_a);
  const S cc = f2.squaredNorm() - 1.0;
  V3<S> previous = r1;
  out.length = S(0.0);
  for (int i = 1; i < chords; ++i) {
    const S phi = double(i) * dphi;
    const V3<S> ray = ar1 * cos(phi) + vsy * sin(phi);
    const V3<S> f1 = ray.cwiseProduct(inv_a);
    const S aa = f1.squaredNorm();
    const S bb = 2.0 * f1.dot(f2);
    const S reach = (-bb + sqrt(bb * bb - 4.0 * aa * cc)) / (2.0 * aa);
    const V3<S> s = a0 + reach * ray;
    if (i == 1) out.after_r1 = s;
    out.before_r2 = s;
    out.length += (s - previous).norm();
    previous = s;
  }
  out.length += (r2 - previous).norm();
  out.points = chords + 1;
  return out;
}

}  // namespace

template <class S>
WrapResult<S> wrap_ellipsoid(const Vec3& radii, Quadrant quadrant, WrapMethod method, const V3<S>& point1,
                             const V3<S>& point2) {
  using std::sqrt;
  WrapResult<S> result;
  // OpenSim works in coordinates scaled so that the radii average 1.
  const double factor = 3.0 / radii.sum();
  const V3<S> p1 = point1 * factor;
  const V3<S> p2 = point2 * factor;
  const Vec3 a = radii * factor;
  const V3<S> inv_a = a.cwiseInverse().template cast<S>();
  const double p1_level = value_of(p1.cwiseProduct(inv_a).squaredNorm()) - 1.0;
  const double p2_level = value_of(p2.cwiseProduct(inv_a).squaredNorm()) - 1.0;
  if (p1_level < -0.0001 || p2_level < -0.0001) {
    result.status = WrapStatus::InsideRadius;
    return result;
  }
  const V3<S> p1p2 = p1 - p2;
  if (std::abs(value_of(unit_or_zero(p1).dot(unit_or_zero(p2))) - 1.0) < 0.0001)
    return result;  // collinear with centre

  // Intersections of the line p2 + l (p1 - p2) with the ellipsoid; both must lie within (0, 1).
  const V3<S> f1 = p1p2.cwiseProduct(inv_a);
  const V3<S> f2 = p2.cwiseProduct(inv_a);
  const S qa = f1.squaredNorm();
  const S qb = 2.0 * f1.dot(f2);
  const S qc = f2.squaredNorm() - 1.0;
  const S disc = qb * qb - 4.0 * qa * qc;
  if (value_of(disc) < 0.0) return result;
  const S l1 = (-qb + sqrt(disc)) / (2.0 * qa);
  const S l2 = (-qb - sqrt(disc)) / (2.0 * qa);
  if (!(0.0 < value_of(l1) && value_of(l1) < 1.0) || !(0.0 < value_of(l2) && value_of(l2) < 1.0))
    return result;
  const V3<S> entry = p2 + l1 * p1p2;  // nearer p1
  const V3<S> exit = p2 + l2 * p1p2;
  const V3<S> chord = exit - entry;

  // Contact point c1 (and the line point sv it was found from).
  V3<S> mu = unit_or_zero(p1p2);
  for (int i = 0; i < 3; ++i)
    if (value_of(mu[i]) < 0.0) mu[i] = -mu[i];
  V3<S> axis_t;
  V3<S> plane_sv[3];
  V3<S> plane_c1[3];
  for (int i = 0; i < 3; ++i) {
    axis_t[i] = -entry[i] / chord[i];
    plane_sv[i] = entry + axis_t[i] * chord;
    plane_c1[i] = V3<S>::Zero();
    closest_on_ellipsoid(a, plane_sv[i], plane_c1[i], i);
  }
  int best = 0;
  for (int i = 1; i < 3; ++i)
    if (value_of(mu[i]) > value_of(mu[best])) best = i;

  V3<S> c1 = V3<S>::Zero();
  S fan_weight = S(-std::numeric_limits<double>::infinity());
  if (method == WrapMethod::Hybrid || method == WrapMethod::Axial) {
    if (method == WrapMethod::Hybrid && value_of(mu[best]) > kMuBlendMin) {
      // Fade out the axis-plane solution when its line point nears either end of the chord.
      S s(1.0);
      const double tb = value_of(axis_t[best]);
      if (tb < 0.0 || tb > 1.0)
        s = S(0.0);
      else if (tb < kSvBoundaryBlend)
        s = axis_t[best] / kSvBoundaryBlend;
      else if (tb > 1.0 - kSvBoundaryBlend)
        s = (1.0 - axis_t[best]) / kSvBoundaryBlend;
      if (value_of(s) < 1.0) mu[best] = kMuBlendMin + s * (mu[best] - kMuBlendMin);
    }
    if (method == WrapMethod::Axial || value_of(mu[best]) > kMuBlendMin) c1 = plane_c1[best];
    if (method == WrapMethod::Hybrid && value_of(mu[best]) < kMuBlendMax) {
      // Fan: average the unit directions from chord samples to their closest surface points.
      const V3<S> mid = entry + 0.5 * chord;
      V3<S> blade_sum = V3<S>::Zero();
      V3<S> sample_c1 = plane_c1[0];
      for (int i = 1; i < kFanSamples - 1; ++i) {
        const V3<S> sample = entry + (static_cast<double>(i) / kFanSamples) * chord;
        closest_on_ellipsoid(a, sample, sample_c1);
        blade_sum += unit_or_zero<S>(sample_c1 - sample);
      }
      const V3<S> fan_target = mid + unit_or_zero(blade_sum);
      if (value_of(mu[best]) <= kMuBlendMin) {
        closest_on_ellipsoid(a, fan_target, c1);
        fan_weight = S(1.0);
      } else {
        const S tt = (mu[best] - kMuBlendMin) / (kMuBlendMax - kMuBlendMin);
        V3<S> fan_c1 = plane_c1[1];
        closest_on_ellipsoid(a, fan_target, fan_c1);
        const V3<S> blended = tt * c1 + (S(1.0) - tt) * fan_c1;
        closest_on_ellipsoid(a, blended, c1);
        fan_weight = S(1.0) - tt;
      }
    }
  } else {
    closest_on_ellipsoid(a, V3<S>(entry + 0.5 * (exit - entry)), c1);
  }

  // Starting guesses for the tangent points (they decide which of the two tangents is taken).
  V3<S> guess1 = entry, guess2 = exit;
  const double tb = value_of(axis_t[best]);
  const bool start_at_c1 = method != WrapMethod::Axial || (tb > 0.0 && tb < 1.0);
  if (start_at_c1) guess1 = guess2 = c1;

  if (quadrant.sign != 0) {
    const int ax = quadrant.axis;
    if (dsign(c1[ax]) != quadrant.sign) {
      // Mirror c1 onto the active side; blend toward the cut plane by the fan weight. (OpenSim's
      // "fan weight not set" test never fires, so an unset weight means no blending.)
      c1[ax] = -c1[ax];
      guess1 = guess2 = c1;
      const S weight = value_of(fan_weight) < 1.0 ? fan_weight : S(1.0);
      if (value_of(weight) > 0.0) {
        c1[ax] = (S(1.0) - weight) * c1[ax];
        const V3<S> target = c1;
        closest_on_ellipsoid(a, target, c1);
      }
    }
  }

  const V3<S> vs = unit_or_zero<S>(p1p2.cross(p1 - c1));
  const S vs4 = -vs.dot(c1);
  const V3<S> r1 = ellipse_tangent_point(a, p1, p1_level, vs, vs4, guess1, p1, p2);
  const V3<S> r2 = ellipse_tangent_point(a, p2, p2_level, vs, vs4, guess2, p1, p2);

  bool far_side = false;
  SurfacePolyline<S> path = surface_polyline(a, r1, r2, vs, vs4, far_side, factor);
  if (quadrant.sign != 0 && path.points > 2) {
    // A path that leaves r1 (or arrives at r2) folding back toward p1 (p2) went the wrong way.
    const bool folds1 = value_of(unit_or_zero<S>(p1 - r1).dot(unit_or_zero<S>(path.after_r1 - r1))) > 0.0;
    const bool folds2 = value_of(unit_or_zero<S>(p2 - r2).dot(unit_or_zero<S>(path.before_r2 - r2))) > 0.0;
    if (folds1 || folds2) {
      far_side = true;
      path = surface_polyline(a, r1, r2, vs, vs4, far_side, factor);
    }
  }
  result.status = WrapStatus::Mandatory;
  result.r1 = r1 / factor;
  result.r2 = r2 / factor;
  result.surface_length_m = path.length / factor;
  return result;
}

template WrapResult<double> wrap_ellipsoid(const Vec3&, Quadrant, WrapMethod, const V3<double>&,
                                           const V3<double>&);
template WrapResult<WrapDual> wrap_ellipsoid(const Vec3&, Quadrant, WrapMethod, const V3<WrapDual>&,
                                             const V3<WrapDual>&);

}  // namespace glutelab::wrap_detail
