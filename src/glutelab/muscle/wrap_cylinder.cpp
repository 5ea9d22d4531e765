// Wrapping over a finite cylinder (z axis, centred at the origin), with OpenSim's rules: candidate
// tangent points in the planes z = p.z, the quadrant decision table, the "apex plane" slide of the
// tangent points along the axis, the finite-length lift-off test, and the helical surface path with
// its optional iterative tangency correction (0.1 degree tolerance).
#include <cmath>

#include "glutelab/muscle/wrap_internal.hpp"

namespace glutelab::wrap_detail {
namespace {

constexpr double kTangencyToleranceRad = 0.1 * kPi / 180.0;
constexpr int kMaxTangentCorrections = 100;
constexpr double kSurfaceSampleLength = 0.002;  // OpenSim's surface sampling step [m]
constexpr double kParallelEpsilon = 2e-13;      // OpenSim's ROUNDOFF_ERROR
constexpr double kPlaneEpsilon = 1e-5;          // OpenSim's LINE_EPSILON

template <class S>
V3<S> axis_z() {
  return V3<S>(S(0.0), S(0.0), S(1.0));
}

template <class S>
V3<S> foot_on_axis(const V3<S>& p) {
  return V3<S>(S(0.0), S(0.0), p.z());
}

/// Closest points between the infinite lines a0->a1 and b0->b1; s and t are the parameters along
/// each line in units of |a1 - a0| and |b1 - b0|. Returns false (NaN outputs) for parallel lines.
template <class S>
bool closest_points_between_lines(const V3<S>& a0, const V3<S>& a1, const V3<S>& b0, const V3<S>& b1,
                                  V3<S>& on_a, S& s, V3<S>& on_b, S& t) {
  V3<S> da = a1 - a0;
  V3<S> db = b1 - b0;
  const S len_a = da.norm();
  const S len_b = db.norm();
  da = unit_or_zero(da);
  db = unit_or_zero(db);
  const V3<S> normal = da.cross(db);
  const S denom = normal.squaredNorm();
  if (std::abs(value_of(denom)) <= kParallelEpsilon) {
    s = t = S(std::numeric_limits<double>::quiet_NaN());
    on_a = on_b = V3<S>::Constant(S(std::numeric_limits<double>::quiet_NaN()));
    return false;
  }
  const V3<S> offset = b0 - a0;
  const S t_abs = offset.dot(da.cross(normal)) / denom;
  const S s_abs = offset.dot(db.cross(normal)) / denom;
  on_b = b0 + t_abs * db;
  on_a = a0 + s_abs * da;
  s = s_abs / len_a;
  t = t_abs / len_b;
  return true;
}

/// The two tangent points from p to the cylinder, in the plane z = p.z.
template <class S>
struct TangentCandidates {
  V3<S> a, b;
  V3<S> foot;  ///< closest point on the axis to p
  S distance;  ///< |p - foot|
};

template <class S>
TangentCandidates<S> tangent_candidates(const V3<S>& p, double radius) {
  using std::sqrt;
  TangentCandidates<S> c;
  c.foot = foot_on_axis(p);
  const V3<S> radial = p - c.foot;
  c.distance = radial.norm();
  const V3<S> dir = unit_or_zero(radial);
  const S along = radius * (radius / c.distance);
  const V3<S> base = c.foot + along * dir;
  const S half_chord = sqrt(S(radius * radius) - along * along);
  const V3<S> side = axis_z<S>().cross(dir);
  c.a = base + half_chord * side;
  c.b = base - half_chord * side;
  return c;
}

/// Rotate v about unit axis k by angle (right hand).
template <class S>
V3<S> rotate(const V3<S>& v, const V3<S>& k, const S& angle) {
  using std::cos;
  using std::sin;
  const S c = cos(angle);
  const S s = sin(angle);
  return v * c + k.cross(v) * s + k * (k.dot(v) * (S(1.0) - c));
}

template <class S>
struct Helix {
  V3<S> start_foot;
  V3<S> axial;         ///< from r1's axis foot to r2's
  V3<S> radial_start;  ///< unit radial direction at r1
  V3<S> turn_axis;
  double sense = 1.0;
  S sweep = S(0.0);  ///< angle swept around the axis
  double radius = 0.0;
  S length = S(0.0);

  V3<S> point(double fraction) const {
    return start_foot + radius * rotate<S>(radial_start, turn_axis, S(S(sense * fraction) * sweep)) +
           fraction * axial;
  }
};

template <class S>
Helix<S> make_helix(const V3<S>& r1, const V3<S>& r2, bool long_way, double radius) {
  using std::sqrt;
  Helix<S> h;
  h.radius = radius;
  h.sense = long_way ? -1.0 : 1.0;
  h.start_foot = foot_on_axis(r1);
  const V3<S> end_foot = foot_on_axis(r2);
  h.axial = end_foot - h.start_foot;
  const V3<S> u = (r1 - h.start_foot) / radius;
  const V3<S> v = (r2 - end_foot) / radius;
  h.sweep = angle_between(u, v);
  if (long_way) h.sweep = S(2.0 * kPi) - h.sweep;
  const S arc = radius * h.sweep;
  h.length = sqrt(arc * arc + h.axial.squaredNorm());
  h.turn_axis = unit_or_zero<S>(u.cross(v));
  h.radial_start = u;
  return h;
}

/// OpenSim's tangency test: the line p->r and the surface path r->w leave r at axial angles that
/// differ by more than the tolerance (computed on values only).
inline bool needs_tangent_correction(const Vec3& p, const Vec3& r, const Vec3& w) {
  const Vec3 k(0.0, 0.0, 1.0);
  const double alpha = safe_acos<double>(unit_or_zero<double>(r - p).dot(k));
  const double omega = safe_acos<double>(unit_or_zero<double>(w - r).dot(k));
  return std::abs(alpha - omega) > kTangencyToleranceRad;
}

/// OpenSim's tangency correction: slide r along the axis (over-relaxed by 1.5) toward where the
/// chord p->w crosses r's axial line.
template <class S>
void correct_tangent_point(const V3<S>& p, V3<S>& r, const V3<S>& w) {
  const V3<S> k = axis_z<S>();
  const V3<S> p_on_line = r + (p - r).dot(k) * k;
  const V3<S> w_on_line = r + (w - r).dot(k) * k;
  V3<S> on_chord, on_line;
  S s(0.0), t(0.0);
  closest_points_between_lines(p, w, p_on_line, w_on_line, on_chord, s, on_line, t);
  r += 1.5 * (on_line - r);
}

/// Intersection of the segment a->b with the plane n.x + d = 0 (OpenSim's tolerances).
template <class S>
bool segment_plane_intersection(const V3<S>& a, const V3<S>& b, const V3<S>& n, const S& d, V3<S>& out) {
  const V3<S> dir = b - a;
  const S dn = dir.dot(n);
  if (std::abs(value_of(dn)) < kPlaneEpsilon) return false;
  const S t = (-d - n.dot(a)) / dn;
  if (value_of(t) < -kPlaneEpsilon || value_of(t) > 1.0 + kPlaneEpsilon) return false;
  out = a + t * dir;
  return true;
}

}  // namespace

template <class S>
WrapResult<S> wrap_cylinder(double radius, double length, Quadrant quadrant, bool adjust_tangents,
                            const V3<S>& p1, const V3<S>& p2) {
  WrapResult<S> result;
  const double r_sq = radius * radius;
  if (value_of(p1.template head<2>().squaredNorm()) < r_sq ||
      value_of(p2.template head<2>().squaredNorm()) < r_sq) {
    result.status = WrapStatus::InsideRadius;
    return result;
  }
  const bool constrained = quadrant.sign != 0;
  const int ax = quadrant.axis;
  const int sg = quadrant.sign;
  const V3<S> k = axis_z<S>();

  // Closest approach of the (infinite) path line and the (infinite) cylinder axis (it only steers
  // branches, so it is computed on values).
  Vec3 near_path, near_axis;
  double t_path = 0.0, t_axis = 0.0;
  closest_points_between_lines<double>(values(p1), values(p2), Vec3(0.0, 0.0, -0.5 * length),
                                       Vec3(0.0, 0.0, 0.5 * length), near_path, t_path, near_axis, t_axis);
  const bool line_hits = (near_path - near_axis).squaredNorm() < r_sq && t_path > 0.0 && t_path < 1.0;

  WrapStatus status = WrapStatus::Wrapped;
  if (!constrained) {
    if (!line_hits) return result;
    status = WrapStatus::Mandatory;
  }

  const TangentCandidates<S> c1 = tangent_candidates(p1, radius);
  const TangentCandidates<S> c2 = tangent_candidates(p2, radius);
  V3<S> r1, r2;
  bool far_side = false;
  bool long_wrap = false;

  if (constrained) {
    if (dsign(p1[ax]) == sg || dsign(p2[ax]) == sg) {
      if (line_hits) {
        status = WrapStatus::Mandatory;
      } else if (dsign(p1[ax]) != dsign(p2[ax]) && dsign(near_path[ax]) != sg) {
        status = WrapStatus::Wrapped;
      } else {
        return result;
      }
    }
    const double alpha = angle_between<double>(values(c1.a) - values(c1.foot), values(c2.b) - values(c2.foot));
    const double beta = angle_between<double>(values(c1.b) - values(c1.foot), values(c2.a) - values(c2.foot));
    const bool a1_on = dsign(c1.a[ax]) == sg;
    const bool b1_on = dsign(c1.b[ax]) == sg;
    // Pair (r1a, r2b) or (r1b, r2a); which one follows OpenSim's decision table.
    auto use_ab = [&](bool far_if_alpha_greater) {
      r1 = c1.a;
      r2 = c2.b;
      far_side = (alpha > beta) == far_if_alpha_greater;
    };
    auto use_ba = [&](bool far_if_alpha_greater) {
      r1 = c1.b;
      r2 = c2.a;
      far_side = (alpha > beta) == far_if_alpha_greater;
    };
    if (a1_on && b1_on) {
      if (dsign(c2.a[ax]) == sg)
        use_ba(false);
      else
        use_ab(true);
    } else if (a1_on) {
      use_ab(true);
    } else if (b1_on) {
      use_ba(false);
    } else if (dsign(c2.a[ax]) == sg) {
      use_ba(false);
    } else if (dsign(c2.b[ax]) == sg) {
      use_ab(true);
    } else {
      // No candidate on the active side: take the pair with the larger angle, long way round.
      if (alpha > beta) {
        r1 = c1.a;
        r2 = c2.b;
      } else {
        r1 = c1.b;
        r2 = c2.a;
      }
      far_side = true;
    }
    const V3<S> sum_path = (r1 - p1) + (r2 - p2);
    const V3<S> sum_radial = (r1 - c1.foot) + (r2 - c2.foot);
    long_wrap = value_of(sum_radial.dot(sum_path)) < 0.0;
  } else {
    // Shortest arc: the pair whose radial directions are most aligned (strict comparisons).
    const Vec3 ua = unit_or_zero<double>(values(c1.a) - values(c1.foot));
    const Vec3 ub = unit_or_zero<double>(values(c1.b) - values(c1.foot));
    const Vec3 va = unit_or_zero<double>(values(c2.a) - values(c2.foot));
    const Vec3 vb = unit_or_zero<double>(values(c2.b) - values(c2.foot));
    const double d1 = ua.dot(va), d2 = ua.dot(vb), d3 = ub.dot(va), d4 = ub.dot(vb);
    if (d1 > d2 && d1 > d3 && d1 > d4) {
      r1 = c1.a;
      r2 = c2.a;
    } else if (d2 > d3 && d2 > d4) {
      r1 = c1.a;
      r2 = c2.b;
    } else if (d3 > d4) {
      r1 = c1.b;
      r2 = c2.a;
    } else {
      r1 = c1.b;
      r2 = c2.b;
    }
  }

  // Apex: the surface line facing the path point that splits p1-p2 in the ratio of the radial
  // distances; the plane (p1, p2, apex) then fixes how far r1, r2 slide along the axis.
  const S split = c1.distance / (c1.distance + c2.distance);
  const V3<S> mid = p1 + split * (p2 - p1);
  const V3<S> mid_foot = foot_on_axis(mid);
  const V3<S> normal_a =
      unit_or_zero<S>(unit_or_zero<S>(p1 - mid_foot).cross(unit_or_zero<S>(p2 - mid_foot)));
  const V3<S> out1 = unit_or_zero<S>(k.cross(normal_a));
  const V3<S> apex1 = mid_foot + radius * out1;
  const V3<S> apex2 = mid_foot - radius * out1;
  const bool apex1_nearer = value_of((mid - apex1).squaredNorm()) < value_of((mid - apex2).squaredNorm());
  const V3<S> apex = (apex1_nearer != far_side) ? apex1 : apex2;

  const V3<S> plane_n = unit_or_zero<S>(unit_or_zero<S>(p1 - apex).cross(unit_or_zero<S>(p2 - apex)));
  const S plane_d = -p1.dot(plane_n);
  V3<S> slid;
  if (segment_plane_intersection<S>(r1 - 10.0 * k, r1 + 10.0 * k, plane_n, plane_d, slid)) {
    // Accept only if the slide moves r1 toward p2's axial level (OpenSim's projection test). OpenSim
    // projects onto a line whose direction is p2's axis foot taken as a vector, so when that foot is
    // the origin (p2 at z = 0) the test always fails and r1 stays.
    if (value_of(c2.foot.z()) != 0.0 &&
        value_of((foot_on_axis(slid) - c2.foot).squaredNorm()) < value_of((c1.foot - c2.foot).squaredNorm()))
      r1 = slid;
  }
  if (segment_plane_intersection<S>(r2 - 10.0 * k, r2 + 10.0 * k, plane_n, plane_d, slid)) {
    if (value_of(c1.foot.z()) != 0.0 &&
        value_of((foot_on_axis(slid) - c1.foot).squaredNorm()) < value_of((c2.foot - c1.foot).squaredNorm()))
      r2 = slid;
  }

  // Lift-off: both tangent points beyond the ends of the cylinder.
  const double half = 0.5 * length;
  const double z1 = value_of(r1.z()), z2 = value_of(r2.z());
  if ((z1 < -half || z1 > half) && (z2 < -half || z2 > half)) return result;

  Helix<S> helix = make_helix(r1, r2, long_wrap, radius);
  if (adjust_tangents) {
    for (int iteration = 0; iteration < kMaxTangentCorrections; ++iteration) {
      const int samples = std::max(1, static_cast<int>(value_of(helix.length) / kSurfaceSampleLength));
      if (samples < 2) break;
      const double step = 1.0 / samples;
      const V3<S> w1 = helix.point(step);
      const V3<S> w2 = helix.point(1.0 - step);
      const bool moved1 = needs_tangent_correction(values(p1), values(r1), values(w1));
      const bool moved2 = needs_tangent_correction(values(p2), values(r2), values(w2));
      if (!moved1 && !moved2) break;
      if (moved1) correct_tangent_point(p1, r1, w1);
      if (moved2) correct_tangent_point(p2, r2, w2);
      helix = make_helix(r1, r2, long_wrap, radius);
    }
  }
  result.status = status;
  result.r1 = r1;
  result.r2 = r2;
  result.surface_length_m = helix.length;
  return result;
}

template WrapResult<double> wrap_cylinder(double, double, Quadrant, bool, const V3<double>&,
                                          const V3<double>&);
template WrapResult<WrapDual> wrap_cylinder(double, double, Quadrant, bool, const V3<WrapDual>&,
                                            const V3<WrapDual>&);

}  // namespace glutelab::wrap_detail
