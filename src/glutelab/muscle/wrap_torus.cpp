// Wrapping over a torus (ring of tube centres of radius R in the z = 0 plane), the OpenSim way: find
// where the path line comes closest to the ring, place a very long cylinder of the tube radius
// tangent to the ring there, and wrap over that cylinder on the side facing the torus axis.
#include <cmath>

#include "glutelab/muscle/wrap_internal.hpp"

namespace glutelab::wrap_detail {
namespace {

constexpr double kTorusCylinderLength = 10000.0;

/// Stationary point, reached by damped Newton descent from `from`, of
///   h(u) = |x(u)|^2 - 4 R rho(u),  x(u) = from + u * unit(to - from),  rho = |x_xy|.
/// OpenSim's residual is h'(u) (its chain rule drops a factor 1/2, so it effectively measures the
/// distance to a ring of radius 2R); we keep that equation. Returns the point x(u). Under automatic
/// differentiation the final full Newton step carries the derivative of the stationary point.
template <class S>
V3<S> ring_search(const V3<S>& from, const V3<S>& to, double ring_radius) {
  using std::sqrt;
  const V3<S> n = unit_or_zero<S>(to - from);
  const S c2 = 2.0 * from.dot(n);
  const S c3 = from.x() * n.x() + from.y() * n.y();
  const S c4 = n.x() * n.x() + n.y() * n.y();
  const S c5 = from.x() * from.x() + from.y() * from.y();
  auto rho = [&](const S& u) {
    const S sq = u * u * c4 + 2.0 * c3 * u + c5;
    return value_of(sq) > 1e-300 ? S(sqrt(sq)) : S(1e-150);
  };
  auto h = [&](const S& u) { return value_of(u * u + c2 * u - 4.0 * ring_radius * rho(u)); };
  auto dh = [&](const S& u) { return S(c2 + 2.0 * u - 4.0 * ring_radius * (c4 * u + c3) / rho(u)); };
  auto d2h = [&](const S& u) {
    const S r = rho(u);
    return S(2.0 - 4.0 * ring_radius * (c4 * r * r - (c4 * u + c3) * (c4 * u + c3)) / (r * r * r));
  };
  S u(0.0);
  for (int iteration = 0; iteration < 200; ++iteration) {
    const S g = dh(u);
    const S curvature = d2h(u);
    S step = value_of(curvature) > 0.0 ? S(-g / curvature) : S(-g);
    const double h0 = h(u);
    for (int halving = 0; halving < 60 && h(u + step) > h0; ++halving) step *= 0.5;
    u += step;
    if (std::abs(value_of(step)) < 1e-14 * (1.0 + std::abs(value_of(u)))) break;
  }
  // One undamped Newton step at the converged point: no change in value, but the derivative of a
  // stationary point (d u = -h''^-1 d h') is then exact.
  const S curvature = d2h(u);
  if (value_of(curvature) > 0.0) u -= dh(u) / curvature;
  return from + u * n;
}

template <class S>
double distance_to_ring(const V3<S>& x, double ring_radius) {
  const double rho = std::hypot(value_of(x.x()), value_of(x.y()));
  return std::sqrt(
      std::max(value_of(x.squaredNorm()) + ring_radius * ring_radius - 2.0 * ring_radius * rho, 0.0));
}

}  // namespace

template <class S>
WrapResult<S> wrap_torus(double tube_radius, double ring_radius, Quadrant quadrant, bool adjust_tangents,
                         const V3<S>& p1, const V3<S>& p2) {
  using std::sqrt;
  WrapResult<S> result;
  // Search from both ends; keep the nearer candidate, or the one on the active side.
  const V3<S> near1 = ring_search(p1, p2, ring_radius);
  const V3<S> near2 = ring_search(p2, p1, ring_radius);
  const double dist1 = distance_to_ring(near1, ring_radius);
  const double dist2 = distance_to_ring(near2, ring_radius);
  bool use_first = dist1 < dist2;
  if (quadrant.sign != 0) {
    const bool on1 = dsign(near1[quadrant.axis]) == quadrant.sign;
    const bool on2 = dsign(near2[quadrant.axis]) == quadrant.sign;
    if (on1 && on2)
      use_first = dist1 < dist2;
    else if (on1)
      use_first = true;
    else if (on2)
      use_first = false;
    else
      return result;
  }
  const V3<S>& near = use_first ? near1 : near2;
  const S near_rho = sqrt(near.x() * near.x() + near.y() * near.y());
  const V3<S> ring_point = V3<S>(near.x(), near.y(), S(0.0)) * (ring_radius / near_rho);

  // Cylinder frame: x toward the torus axis, y = -z_torus, z = x cross y (ring tangent); origin on
  // the ring. Rows of `to_cyl` are the cylinder axes in torus coordinates.
  const V3<S> x_axis = unit_or_zero<S>(-ring_point);
  const V3<S> y_axis(S(0.0), S(0.0), S(-1.0));
  const V3<S> z_axis = x_axis.cross(y_axis);
  Eigen::Matrix<S, 3, 3> to_cyl;
  to_cyl.row(0) = x_axis.transpose();
  to_cyl.row(1) = y_axis.transpose();
  to_cyl.row(2) = z_axis.transpose();
  const V3<S> offset = to_cyl * (-ring_point);  // = (R, 0, 0)
  const WrapResult<S> cyl =
      wrap_cylinder<S>(tube_radius, kTorusCylinderLength, Quadrant{0, 1}, adjust_tangents,
                       V3<S>(to_cyl * p1 + offset), V3<S>(to_cyl * p2 + offset));
  if (cyl.status != WrapStatus::Wrapped && cyl.status != WrapStatus::Mandatory) return result;
  result.status = WrapStatus::Wrapped;  // OpenSim reports every torus wrap as "wrapped"
  result.r1 = to_cyl.transpose() * (cyl.r1 - offset);
  result.r2 = to_cyl.transpose() * (cyl.r2 - offset);
  result.surface_length_m = cyl.surface_length_m;
  return result;
}

template WrapResult<double> wrap_torus(double, double, Quadrant, bool, const V3<double>&, const V3<double>&);
template WrapResult<WrapDual> wrap_torus(double, double, Quadrant, bool, const V3<WrapDual>&,
                                         const V3<WrapDual>&);

}  // namespace glutelab::wrap_detail
