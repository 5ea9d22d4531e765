// Shape-specific wrapping routines behind wrap_segment (private to the muscle module). All points are
// expressed in the wrap object's own frame; see docs/wrapping.md for the OpenSim rules they follow.
// Every routine is a template over the scalar type: `double` for lengths, and WrapDual (forward-mode
// automatic differentiation seeded with the six coordinates of p1 and p2) for the exact derivatives
// of the tangent points and the surface length that moment arms need.
#pragma once

#include <cmath>
#include <limits>

#include <Eigen/Core>
#include <unsupported/Eigen/AutoDiff>

#include "glutelab/muscle/wrapping.hpp"

namespace glutelab::wrap_detail {

/// Scalar carrying the value and its derivatives with respect to (p1.x, p1.y, p1.z, p2.x, p2.y, p2.z).
using WrapDual = Eigen::AutoDiffScalar<Eigen::Matrix<double, 6, 1>>;

template <class S>
using V3 = Eigen::Matrix<S, 3, 1>;

template <class S>
struct WrapResult {
  WrapStatus status = WrapStatus::NoWrap;
  V3<S> r1 = V3<S>::Zero();
  V3<S> r2 = V3<S>::Zero();
  S surface_length_m = S(0.0);
};

inline double value_of(double x) { return x; }
inline double value_of(const WrapDual& x) { return x.value(); }

/// The values of a vector (drops derivatives): for quantities that only steer branches.
template <class S>
Vec3 values(const V3<S>& v) {
  return Vec3(value_of(v[0]), value_of(v[1]), value_of(v[2]));
}

/// Quadrant restriction: sign 0 means unconstrained; otherwise the path must stay where
/// sign(x[axis]) == sign (OpenSim's DSIGN, which counts 0 as positive).
struct Quadrant {
  int axis = 0;
  int sign = 0;
};

inline Quadrant quadrant_of(const WrapObject& object) {
  if (object.quadrant_axis < 0 || object.quadrant_axis > 2) return {};
  return {object.quadrant_axis, object.quadrant_sign >= 0 ? 1 : -1};
}

/// OpenSim's DSIGN: +1 for x >= 0, -1 otherwise (including NaN).
template <class S>
int dsign(const S& x) {
  return value_of(x) >= 0.0 ? 1 : -1;
}

/// v / |v|, or zero when |v| == 0 (OpenSim's NormalizeOrZero).
template <class S>
V3<S> unit_or_zero(const V3<S>& v) {
  const S n = v.norm();
  return value_of(n) > 0.0 ? V3<S>(v / n) : V3<S>(V3<S>::Zero());
}

/// acos that tolerates round-off just outside [-1, 1].
template <class S>
S safe_acos(const S& c) {
  using std::acos;
  if (value_of(c) >= 1.0) return S(0.0) * c;
  if (value_of(c) <= -1.0) return S(3.14159265358979323846) + S(0.0) * c;
  return acos(c);
}

/// Angle between two vectors, accurate (and differentiable) near 0 and pi.
template <class S>
S angle_between(const V3<S>& u, const V3<S>& v) {
  using std::atan2;
  return atan2(u.cross(v).norm(), u.dot(v));
}

constexpr double kPi = 3.14159265358979323846;

/// Cylinder along z centred at the origin. `adjust_tangents` enables OpenSim's axial sliding of the
/// tangent points (done only when the path has more than one PathWrap).
template <class S>
WrapResult<S> wrap_cylinder(double radius, double length, Quadrant quadrant, bool adjust_tangents,
                            const V3<S>& p1, const V3<S>& p2);
template <class S>
WrapResult<S> wrap_sphere(double radius, Quadrant quadrant, const V3<S>& p1, const V3<S>& p2);
template <class S>
WrapResult<S> wrap_ellipsoid(const Vec3& radii, Quadrant quadrant, WrapMethod method, const V3<S>& p1,
                             const V3<S>& p2);
/// Torus in the z = 0 plane: `ring_radius` is the circle of tube centres, `tube_radius` the tube.
template <class S>
WrapResult<S> wrap_torus(double tube_radius, double ring_radius, Quadrant quadrant, bool adjust_tangents,
                         const V3<S>& p1, const V3<S>& p2);

}  // namespace glutelab::wrap_detail
