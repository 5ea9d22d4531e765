// Wrapping over a sphere centred at the origin, with OpenSim's rules: the path wraps only when the
// straight segment p1-p2 pierces the sphere; tangent points lie in the plane (p1, p2, centre); the
// quadrant selects the side and can force a far-side (long way round) wrap.
#include <cmath>

#include "glutelab/muscle/wrap_internal.hpp"

namespace glutelab::wrap_detail {
namespace {

/// The two tangent points from p to the sphere, in the plane with unit normal n through the centre.
template <class S>
void sphere_tangents(const V3<S>& p, const V3<S>& n, double radius, V3<S>& a, V3<S>& b) {
  using std::asin;
  using std::cos;
  using std::sin;
  const S dist = p.norm();
  const V3<S> toward = unit_or_zero<S>(-p);
  const V3<S> across = n.cross(toward);
  const S half_angle = asin(radius / dist);
  const S reach = dist * cos(half_angle);
  a = p + reach * (cos(half_angle) * toward - sin(half_angle) * across);
  b = p + reach * (cos(half_angle) * toward + sin(half_angle) * across);
}

}  // namespace

template <class S>
WrapResult<S> wrap_sphere(double radius, Quadrant quadrant, const V3<S>& p1, const V3<S>& p2) {
  using std::sqrt;
  WrapResult<S> result;
  if (value_of(p1.norm()) < radius || value_of(p2.norm()) < radius) {
    result.status = WrapStatus::InsideRadius;
    return result;
  }
  // Both intersections of the line p2 + l (p1 - p2) with the sphere must lie strictly inside (0, 1).
  const V3<S> d = p1 - p2;
  const double qa = value_of(d.dot(d));
  const double qb = 2.0 * value_of(p2.dot(d));
  const double qc = value_of(p2.dot(p2)) - radius * radius;
  const double disc = qb * qb - 4.0 * qa * qc;
  if (disc < 0.0) return result;
  const double l1 = (-qb + std::sqrt(disc)) / (2.0 * qa);
  const double l2 = (-qb - std::sqrt(disc)) / (2.0 * qa);
  if (!(0.0 < l1 && l1 < 1.0) || !(0.0 < l2 && l2 < 1.0)) return result;

  WrapStatus status = WrapStatus::Wrapped;
  const V3<S> d_unit = unit_or_zero(d);
  V3<S> plane_normal = d_unit.cross(unit_or_zero(p2));
  if (value_of(plane_normal.norm()) < 1e-5) {
    // The line passes (almost) through the centre; OpenSim reuses the previous frame's tangent points
    // here. Without history we pick the plane containing the line and the most perpendicular axis.
    int k = 0;
    for (int i = 1; i < 3; ++i)
      if (std::abs(value_of(d_unit[i])) < std::abs(value_of(d_unit[k]))) k = i;
    plane_normal = d_unit.cross(V3<S>::Unit(k));
  }
  plane_normal = unit_or_zero(plane_normal);

  V3<S> r1a, r1b, r2a, r2b;
  sphere_tangents(p1, plane_normal, radius, r1a, r1b);
  sphere_tangents(p2, plane_normal, radius, r2a, r2b);
  const V3<S> u1a = unit_or_zero(r1a), u1b = unit_or_zero(r1b);
  const V3<S> u2a = unit_or_zero(r2a), u2b = unit_or_zero(r2b);

  // Shortest arc first (strict comparisons as in OpenSim); the other pair is kept for flipping.
  V3<S> r1, r2, other1, other2;
  {
    const double j1 = value_of(u1a.dot(u2a)), j2 = value_of(u1a.dot(u2b)), j3 = value_of(u1b.dot(u2a)),
                 j4 = value_of(u1b.dot(u2b));
    if (j1 > j2 && j1 > j3 && j1 > j4) {
      r1 = r1a;
      r2 = r2a;
      other1 = r1b;
      other2 = r2b;
    } else if (j2 > j3 && j2 > j4) {
      r1 = r1a;
      r2 = r2b;
      other1 = r1b;
      other2 = r2a;
    } else if (j3 > j4) {
      r1 = r1b;
      r2 = r2a;
      other1 = r1a;
      other2 = r2b;
    } else {
      r1 = r1b;
      r2 = r2b;
      other1 = r1a;
      other2 = r2a;
    }
  }

  bool far_side = false;
  if (quadrant.sign != 0) {
    const int ax = quadrant.axis;
    const int sg = quadrant.sign;
    const bool p1_on = dsign(p1[ax]) == sg;
    const bool p2_on = dsign(p2[ax]) == sg;
    if (p1_on || p2_on) {
      // Closest point of the line to the centre; OpenSim measures its distance from p1 in metres
      // (along the unit direction) and still compares it with 1.
      const S along_m = p1.dot(d_unit);
      const V3<S> nearest = p1 - along_m * d_unit;
      if (value_of(nearest.squaredNorm()) < radius * radius && value_of(along_m) > 0.0 &&
          value_of(along_m) < 1.0) {
        status = WrapStatus::Mandatory;
      } else if (dsign(p1[ax]) != dsign(p2[ax]) && dsign(nearest[ax]) != sg) {
        status = WrapStatus::Wrapped;
      } else {
        return result;
      }
    }
    if (!p1_on || !p2_on) {
      const V3<S> wrap_dir = V3<S>::Unit(ax) * S(sg);
      const V3<S> inward = unit_or_zero<S>(-p1 - p2);
      if (value_of(u1a.dot(inward)) > value_of(u1b.dot(inward))) {
        r1 = r1a;
        other1 = r1b;
      } else {
        r1 = r1b;
        other1 = r1a;
      }
      if (value_of(u2a.dot(inward)) > value_of(u2b.dot(inward))) {
        r2 = r2a;
        other2 = r2b;
      } else {
        r2 = r2b;
        other2 = r2a;
      }
      if (value_of(unit_or_zero<S>((r1 - p1) + (r2 - p2)).dot(wrap_dir)) < 0.0) {
        r1 = other1;
        r2 = other2;
      }
      far_side = value_of((r1 + r2).dot((r1 - p1) + (r2 - p2))) < 0.0;
    }
  }

  S angle = angle_between(r1, r2);
  // OpenSim quirk (kept for compatibility): a far-side wrap gets a NEGATIVE surface length.
  if (far_side) angle = -(S(2.0 * kPi) - angle);
  result.status = status;
  result.r1 = r1;
  result.r2 = r2;
  result.surface_length_m = radius * angle;
  return result;
}

template WrapResult<double> wrap_sphere(double, Quadrant, const V3<double>&, const V3<double>&);
template WrapResult<WrapDual> wrap_sphere(double, Quadrant, const V3<WrapDual>&, const V3<WrapDual>&);

}  // namespace glutelab::wrap_detail
