// Muscle wrapping against OpenSim's wrapping definitions (WrapSphere, WrapCylinder, WrapEllipsoid,
// WrapTorus, GeometryPath::applyWrapObjects) and against closed-form geometry: tangent points on the
// surface, tangent lines, analytic shortest-path lengths, quadrant and lift-off rules, the exact
// derivatives against central finite differences, and apply_path_wraps on hand-built paths.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "glutelab/muscle/wrapping.hpp"

namespace glutelab {
namespace {

constexpr double kPi = 3.14159265358979323846;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

WrapObject make_sphere(double radius, int quadrant_axis = -1, int quadrant_sign = 1) {
  WrapObject o;
  o.name = "sphere";
  o.shape = WrapShape::Sphere;
  o.dimensions_m = Vec3(radius, 0.0, 0.0);
  o.quadrant_axis = quadrant_axis;
  o.quadrant_sign = quadrant_sign;
  return o;
}

WrapObject make_cylinder(double radius, double length, int quadrant_axis = -1, int quadrant_sign = 1) {
  WrapObject o;
  o.name = "cylinder";
  o.shape = WrapShape::Cylinder;
  o.dimensions_m = Vec3(radius, length, 0.0);
  o.quadrant_axis = quadrant_axis;
  o.quadrant_sign = quadrant_sign;
  return o;
}

WrapObject make_ellipsoid(const Vec3& radii, int quadrant_axis = -1, int quadrant_sign = 1) {
  WrapObject o;
  o.name = "ellipsoid";
  o.shape = WrapShape::Ellipsoid;
  o.dimensions_m = radii;
  o.quadrant_axis = quadrant_axis;
  o.quadrant_sign = quadrant_sign;
  return o;
}

/// OpenSim's WrapTorus: inner_radius is the tube (cross-section) radius, outer_radius the radius of the
/// ring of tube centres (DecorativeTorus(outer, inner); the internal WrapCylinder gets inner_radius and
/// the closest-point search uses outer_radius). glutelab stores them as dimensions_m = (inner, outer, -)
/// and wrap_segment passes dim.x() as the tube radius and dim.y() as the ring radius.
WrapObject make_torus(double tube_radius, double ring_radius) {
  WrapObject o;
  o.name = "torus";
  o.shape = WrapShape::Torus;
  o.dimensions_m = Vec3(tube_radius, ring_radius, 0.0);
  return o;
}

double angle_between(const Vec3& u, const Vec3& v) { return std::atan2(u.cross(v).norm(), u.dot(v)); }

bool wraps(WrapStatus s) { return s == WrapStatus::Wrapped || s == WrapStatus::Mandatory; }

/// Whether the straight segment a-b enters the sphere |x| < R (both crossings strictly inside (0, 1)).
bool segment_pierces_sphere(const Vec3& a, const Vec3& b, double radius) {
  const Vec3 d = b - a;
  const double qa = d.squaredNorm(), qb = 2.0 * a.dot(d), qc = a.squaredNorm() - radius * radius;
  const double disc = qb * qb - 4.0 * qa * qc;
  if (disc <= 0.0) return false;
  const double t1 = (-qb - std::sqrt(disc)) / (2.0 * qa), t2 = (-qb + std::sqrt(disc)) / (2.0 * qa);
  return t1 > 0.0 && t2 < 1.0;
}

/// Whether the horizontal projection of segment a-b enters the circle of radius R about the z axis.
bool segment_pierces_cylinder(const Vec3& a, const Vec3& b, double radius) {
  return segment_pierces_sphere(Vec3(a.x(), a.y(), 0.0), Vec3(b.x(), b.y(), 0.0), radius);
}

/// Closest point of the infinite line through a and b to the origin.
Vec3 line_point_nearest_origin(const Vec3& a, const Vec3& b) {
  const Vec3 d = b - a;
  return a - (a.dot(d) / d.squaredNorm()) * d;
}

/// Shortest path from a to b (2-D, relative to the circle's centre) around a circle of radius r, passing on
/// the side that contains direction `side`: tangent lengths and the arc angle between the tangent points.
struct PlanarWrap {
  double tangent1 = 0.0;
  double tangent2 = 0.0;
  double arc_angle = 0.0;
  double total(double r) const { return tangent1 + r * arc_angle + tangent2; }
};

PlanarWrap planar_wrap(const Eigen::Vector2d& a, const Eigen::Vector2d& b, double r,
                       const Eigen::Vector2d& side) {
  auto mod2pi = [](double x) {
    x = std::fmod(x, 2.0 * kPi);
    return x < 0.0 ? x + 2.0 * kPi : x;
  };
  const double pa = std::atan2(a.y(), a.x()), pb = std::atan2(b.y(), b.x()),
               ps = std::atan2(side.y(), side.x());
  const double ccw = mod2pi(pb - pa);
  const double through_side = mod2pi(ps - pa) < ccw ? ccw : 2.0 * kPi - ccw;
  PlanarWrap w;
  w.tangent1 = std::sqrt(a.squaredNorm() - r * r);
  w.tangent2 = std::sqrt(b.squaredNorm() - r * r);
  w.arc_angle = through_side - std::acos(r / a.norm()) - std::acos(r / b.norm());
  return w;
}

/// Analytic shortest wrapped path over a sphere centred at the origin (in the plane of p1, p2 and the
/// centre, on the side of the shorter great-circle arc): |p - r| = sqrt(|p|^2 - R^2), angle = angle(p1, p2)
/// - acos(R/|p1|) - acos(R/|p2|).
PlanarWrap sphere_shortest(const Vec3& p1, const Vec3& p2, double radius) {
  PlanarWrap w;
  w.tangent1 = std::sqrt(p1.squaredNorm() - radius * radius);
  w.tangent2 = std::sqrt(p2.squaredNorm() - radius * radius);
  w.arc_angle = angle_between(p1, p2) - std::acos(radius / p1.norm()) - std::acos(radius / p2.norm());
  return w;
}

double wrapped_length(const Vec3& p1, const Vec3& p2, const WrapSegmentResult& w) {
  return (p1 - w.r1).norm() + w.surface_length_m + (w.r2 - p2).norm();
}

/// Deterministic, platform-independent uniform numbers (splitmix64).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  double uniform(double lo, double hi) {
    state_ += 0x9E3779B97F4A7C15ull;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return lo + (hi - lo) * (static_cast<double>(z >> 11) * (1.0 / 9007199254740992.0));
  }
  Vec3 unit_vector() {
    for (;;) {
      const Vec3 v(uniform(-1, 1), uniform(-1, 1), uniform(-1, 1));
      const double n = v.norm();
      if (n > 0.2 && n <= 1.0) return v / n;
    }
  }

 private:
  std::uint64_t state_;
};

struct Segment {
  Vec3 p1, p2;
};

/// A segment through a sphere of radius R about the origin: its line passes at 0.15..0.85 R from the centre
/// and both ends lie 1.3..4 R (along the line) beyond the closest point.
Segment random_sphere_segment(Rng& rng, double radius) {
  const Vec3 d = rng.unit_vector();
  Vec3 o = rng.unit_vector();
  o = (o - o.dot(d) * d).normalized() * (rng.uniform(0.15, 0.85) * radius);
  return {o - rng.uniform(1.3, 4.0) * radius * d, o + rng.uniform(1.3, 4.0) * radius * d};
}

/// A skew segment through an infinite z-axis cylinder of radius R: horizontal closest approach 0.15..0.85 R,
/// axial slope up to 0.6, ends 1.5..4 R (horizontally) beyond the closest approach, |z| well inside +-0.2.
Segment random_cylinder_segment(Rng& rng, double radius) {
  const double heading = rng.uniform(-kPi, kPi);
  const Vec3 h(std::cos(heading), std::sin(heading), 0.0);  // horizontal unit direction
  const Vec3 d = h + Vec3(0, 0, rng.uniform(-0.6, 0.6));    // horizontal part has unit length
  const Vec3 o =
      rng.uniform(0.15, 0.85) * radius * Vec3::UnitZ().cross(h) + Vec3(0, 0, rng.uniform(-0.03, 0.03));
  return {o - rng.uniform(1.5, 4.0) * radius * d, o + rng.uniform(1.5, 4.0) * radius * d};
}

/// A segment through the ellipsoid with semi-axes `radii`: it passes through an interior point at 0.2..0.8
/// of the way to the surface and ends 0.3..2 (mean radius) outside the surface along the line.
Segment random_ellipsoid_segment(Rng& rng, const Vec3& radii) {
  const Vec3 o = radii.cwiseProduct(rng.unit_vector()) * rng.uniform(0.2, 0.8);
  const Vec3 d = rng.unit_vector();
  const Vec3 inv = radii.cwiseInverse();
  const Vec3 od = o.cwiseProduct(inv), dd = d.cwiseProduct(inv);
  const double qa = dd.squaredNorm(), qb = 2.0 * od.dot(dd), qc = od.squaredNorm() - 1.0;
  const double root = std::sqrt(qb * qb - 4.0 * qa * qc);
  const double t_in = (-qb - root) / (2.0 * qa), t_out = (-qb + root) / (2.0 * qa);
  const double mean = radii.mean();
  return {o + (t_in - rng.uniform(0.3, 2.0) * mean) * d, o + (t_out + rng.uniform(0.3, 2.0) * mean) * d};
}

/// As random_ellipsoid_segment, for radii with y the shortest, but with the chord inside the ellipsoid kept
/// on one side of y = 0 (it starts in a plane y = y0, |y0| = 0.2..0.6 b, tilted so that y drifts by at most
/// |y0| / 4): it stays off the ellipsoid's medial disc (in y = 0, the plane of the two longest axes).
/// Interior points on either side of that disc have their closest surface points on opposite sides, so the
/// contact point c1 built from closest points (hybrid fan: 298 chord samples; midpoint; axial: the chord's
/// crossing of a coordinate plane, whose 2-D medial segment also lies in y = 0) jumps where such a point
/// crosses the disc and has derivatives ~ 1/distance next to it. That is OpenSim's algorithm, not an error,
/// but central differences with h = 1e-6 are meaningless within ~1e-5 m of such a point.
Segment random_ellipsoid_segment_off_medial_disc(Rng& rng, const Vec3& radii) {
  const double y0 = (rng.uniform(0.0, 1.0) < 0.5 ? -1.0 : 1.0) * rng.uniform(0.2, 0.6) * radii.y();
  const double shrink = std::sqrt(1.0 - (y0 / radii.y()) * (y0 / radii.y()));
  const double phi = rng.uniform(-kPi, kPi), s = rng.uniform(0.0, 0.7) * shrink;
  const Vec3 o(s * radii.x() * std::cos(phi), y0, s * radii.z() * std::sin(phi));
  const double psi = rng.uniform(-kPi, kPi);
  const Vec3 d = Vec3(std::cos(psi), rng.uniform(-1.0, 1.0) * std::abs(y0) / (8.0 * radii.x()), std::sin(psi))
                     .normalized();
  const Vec3 inv = radii.cwiseInverse();
  const Vec3 od = o.cwiseProduct(inv), dd = d.cwiseProduct(inv);
  const double qa = dd.squaredNorm(), qb = 2.0 * od.dot(dd), qc = od.squaredNorm() - 1.0;
  const double root = std::sqrt(qb * qb - 4.0 * qa * qc);
  const double t_in = (-qb - root) / (2.0 * qa), t_out = (-qb + root) / (2.0 * qa);
  const double mean = radii.mean();
  return {o + (t_in - rng.uniform(0.3, 2.0) * mean) * d, o + (t_out + rng.uniform(0.3, 2.0) * mean) * d};
}

/// A segment through the hole of a torus (ring radius Rr, tube radius rt), close to a meridian plane: it
/// runs from z = +(3..7) rt to z = -(3..7) rt and crosses z = 0 at 0.4..0.8 rt inside the ring, with a small
/// tangential skew.
Segment random_torus_segment(Rng& rng, double tube, double ring) {
  const double azimuth = rng.uniform(-kPi, kPi);
  const Vec3 e_rho(std::cos(azimuth), std::sin(azimuth), 0.0),
      e_phi(-std::sin(azimuth), std::cos(azimuth), 0.0);
  auto at = [&](double rho, double phi, double z) { return rho * e_rho + phi * e_phi + z * Vec3::UnitZ(); };
  const double rho_cross = ring - rng.uniform(0.4, 0.8) * tube;
  const double z1 = rng.uniform(3.0, 7.0) * tube, z2 = -rng.uniform(3.0, 7.0) * tube;
  const double slope_rho = rng.uniform(-0.15, 0.15), slope_phi = rng.uniform(-0.1, 0.1);
  return {at(rho_cross + slope_rho * z1, slope_phi * z1, z1),
          at(rho_cross + slope_rho * z2, slope_phi * z2, z2)};
}

// ---------------------------------------------------------------------------------------------
// Sphere
// ---------------------------------------------------------------------------------------------

/// All the geometric properties of OpenSim's unconstrained sphere wrap of a piercing segment.
void expect_sphere_shortest_wrap(const Vec3& p1, const Vec3& p2, double radius) {
  ASSERT_TRUE(segment_pierces_sphere(p1, p2, radius));
  const WrapSegmentResult w = wrap_segment(make_sphere(radius), WrapMethod::Hybrid, p1, p2);
  // OpenSim's WrapSphere reports an unconstrained wrap as "wrapped", never "mandatory".
  ASSERT_EQ(w.status, WrapStatus::Wrapped);
  // Tangent points on the sphere.
  EXPECT_NEAR(w.r1.norm(), radius, 1e-12);
  EXPECT_NEAR(w.r2.norm(), radius, 1e-12);
  // Lines p1-r1 and r2-p2 tangent: perpendicular to the radius at the tangent point.
  EXPECT_NEAR((w.r1 - p1).normalized().dot(w.r1.normalized()), 0.0, 1e-10);
  EXPECT_NEAR((p2 - w.r2).normalized().dot(w.r2.normalized()), 0.0, 1e-10);
  // r1, r2, the centre, p1 and p2 coplanar.
  const Vec3 n = p1.cross(p2).normalized();
  EXPECT_NEAR(w.r1.dot(n), 0.0, 1e-12);
  EXPECT_NEAR(w.r2.dot(n), 0.0, 1e-12);
  // The analytic shortest path.
  const PlanarWrap a = sphere_shortest(p1, p2, radius);
  ASSERT_GT(a.arc_angle, 0.0);
  EXPECT_NEAR((p1 - w.r1).norm(), a.tangent1, 1e-12);
  EXPECT_NEAR((p2 - w.r2).norm(), a.tangent2, 1e-12);
  EXPECT_NEAR(angle_between(w.r1, w.r2), a.arc_angle, 1e-10);
  EXPECT_NEAR(w.surface_length_m, radius * a.arc_angle, 1e-12);
  EXPECT_NEAR(wrapped_length(p1, p2, w), a.total(radius), 1e-12);
  // On the side where the straight line passes (the shorter way round).
  const Vec3 m = line_point_nearest_origin(p1, p2);
  EXPECT_GT(w.r1.dot(m), 0.0);
  EXPECT_GT(w.r2.dot(m), 0.0);
}

TEST(WrapSphere, PiercingSegmentTakesTheAnalyticShortestPath) {
  expect_sphere_shortest_wrap(Vec3(-0.12, 0.03, 0.015), Vec3(0.10, 0.02, -0.025), 0.05);
}

TEST(WrapSphere, RandomPiercingSegmentsTakeTheAnalyticShortestPath) {
  Rng rng(11);
  for (int i = 0; i < 25; ++i) {
    const Segment s = random_sphere_segment(rng, 0.04);
    SCOPED_TRACE("segment " + std::to_string(i));
    expect_sphere_shortest_wrap(s.p1, s.p2, 0.04);
  }
}

TEST(WrapSphere, MissingSegmentsDoNotWrap) {
  const double R = 0.05;
  const WrapObject sphere = make_sphere(R);
  // The line passes 0.07 from the centre.
  const auto beside = wrap_segment(sphere, WrapMethod::Hybrid, Vec3(-0.12, 0.07, 0.0), Vec3(0.12, 0.07, 0.0));
  EXPECT_EQ(beside.status, WrapStatus::NoWrap);
  EXPECT_EQ(beside.surface_length_m, 0.0);
  // The line goes through the sphere but the segment stops short of it.
  const auto short_of =
      wrap_segment(sphere, WrapMethod::Hybrid, Vec3(-0.3, 0.01, 0.0), Vec3(-0.1, 0.01, 0.0));
  EXPECT_EQ(short_of.status, WrapStatus::NoWrap);
  // Passing 0.1 mm outside the sphere.
  const auto grazing =
      wrap_segment(sphere, WrapMethod::Hybrid, Vec3(-0.1, 0.0501, 0.0), Vec3(0.1, 0.0501, 0.0));
  EXPECT_EQ(grazing.status, WrapStatus::NoWrap);
}

TEST(WrapSphere, PointInsideGivesInsideRadius) {
  const WrapObject sphere = make_sphere(0.05);
  EXPECT_EQ(wrap_segment(sphere, WrapMethod::Hybrid, Vec3(0.01, 0.02, 0.0), Vec3(0.2, 0.0, 0.0)).status,
            WrapStatus::InsideRadius);
  EXPECT_EQ(wrap_segment(sphere, WrapMethod::Hybrid, Vec3(-0.2, 0.0, 0.0), Vec3(0.0, -0.049, 0.0)).status,
            WrapStatus::InsideRadius);
}

TEST(WrapSphere, QuadrantForcesTheWrapToTheActiveSide) {
  // The line passes below the centre (y = -0.01), both ends have y < 0. With quadrant +y (both ends on
  // the inactive side) OpenSim wraps over the top; with -y (both ends active, piercing) it is mandatory
  // and takes the short way underneath.
  const double R = 0.05;
  const Vec3 p1(-0.1, -0.01, 0.02), p2(0.12, -0.015, -0.01);
  ASSERT_TRUE(segment_pierces_sphere(p1, p2, R));
  const Vec3 m = line_point_nearest_origin(p1, p2);
  ASSERT_LT(m.y(), 0.0);

  const auto top = wrap_segment(make_sphere(R, 1, +1), WrapMethod::Hybrid, p1, p2);
  ASSERT_EQ(top.status, WrapStatus::Wrapped);
  EXPECT_NEAR(top.r1.norm(), R, 1e-12);
  EXPECT_NEAR(top.r2.norm(), R, 1e-12);
  EXPECT_GT((top.r1 + top.r2).y(), 0.0);
  EXPECT_LT(top.r1.dot(m), 0.0);
  EXPECT_LT(top.r2.dot(m), 0.0);
  // Still tangent and in the plane of p1, p2 and the centre; the arc is the complement side.
  EXPECT_NEAR((top.r1 - p1).normalized().dot(top.r1.normalized()), 0.0, 1e-10);
  EXPECT_NEAR((p2 - top.r2).normalized().dot(top.r2.normalized()), 0.0, 1e-10);
  const Vec3 n = p1.cross(p2).normalized();
  EXPECT_NEAR(top.r1.dot(n), 0.0, 1e-12);
  EXPECT_NEAR(top.r2.dot(n), 0.0, 1e-12);
  const double long_arc =
      (2.0 * kPi - angle_between(p1, p2)) - std::acos(R / p1.norm()) - std::acos(R / p2.norm());
  ASSERT_GT(long_arc, 0.0);
  ASSERT_LT(long_arc, kPi);  // not a "far side" wrap, so OpenSim's length is positive
  EXPECT_NEAR(top.surface_length_m, R * long_arc, 1e-12);

  const auto below = wrap_segment(make_sphere(R, 1, -1), WrapMethod::Hybrid, p1, p2);
  ASSERT_EQ(below.status, WrapStatus::Mandatory);
  const auto free = wrap_segment(make_sphere(R), WrapMethod::Hybrid, p1, p2);
  EXPECT_NEAR((below.r1 - free.r1).norm(), 0.0, 1e-14);
  EXPECT_NEAR((below.r2 - free.r2).norm(), 0.0, 1e-14);
  EXPECT_NEAR(below.surface_length_m, free.surface_length_m, 1e-14);
}

TEST(WrapSphere, FarSideWrapHasOpenSimsNegativeLength) {
  // Ends just below the sphere, quadrant +y: forced over the top, more than half way round. OpenSim's
  // WrapSphere flags this as a far-side wrap and sets angle = -(2 pi - angle(r1, r2)), so its wrap length is
  // negative; glutelab keeps that quirk (docs/wrapping.md).
  const double R = 0.05;
  const Vec3 p1(-0.03, -0.045, 0.0), p2(0.03, -0.045, 0.0);
  ASSERT_TRUE(segment_pierces_sphere(p1, p2, R));
  const auto w = wrap_segment(make_sphere(R, 1, +1), WrapMethod::Hybrid, p1, p2);
  ASSERT_EQ(w.status, WrapStatus::Wrapped);
  EXPECT_NEAR(w.r1.norm(), R, 1e-12);
  EXPECT_NEAR(w.r2.norm(), R, 1e-12);
  EXPECT_LT(w.r1.x(), 0.0);  // r1 on p1's side, so the surface path runs up and over the top
  EXPECT_GT(w.r2.x(), 0.0);
  const double over_top = (2.0 * kPi - angle_between(p1, p2)) - 2.0 * std::acos(R / p1.norm());
  ASSERT_GT(over_top, kPi);
  EXPECT_NEAR(2.0 * kPi - angle_between(w.r1, w.r2), over_top, 1e-10);
  EXPECT_NEAR(w.surface_length_m, -R * over_top, 1e-12);
}

// ---------------------------------------------------------------------------------------------
// Cylinder
// ---------------------------------------------------------------------------------------------

/// Checks for a segment in a plane z = c perpendicular to the axis, wrapped round the side containing
/// `side` (2-D direction): tangent points at z = c on the surface, tangent lines, analytic length.
void expect_planar_cylinder_wrap(const WrapSegmentResult& w, const Vec3& p1, const Vec3& p2, double radius,
                                 const Eigen::Vector2d& side) {
  ASSERT_TRUE(wraps(w.status));
  const double c = p1.z();
  EXPECT_NEAR(w.r1.z(), c, 1e-12);
  EXPECT_NEAR(w.r2.z(), c, 1e-12);
  EXPECT_NEAR(w.r1.head<2>().norm(), radius, 1e-12);
  EXPECT_NEAR(w.r2.head<2>().norm(), radius, 1e-12);
  // Tangent lines: p-r perpendicular to the surface normal (the radial direction) at r.
  EXPECT_NEAR((w.r1 - p1).normalized().head<2>().dot(w.r1.head<2>().normalized()), 0.0, 1e-10);
  EXPECT_NEAR((p2 - w.r2).normalized().head<2>().dot(w.r2.head<2>().normalized()), 0.0, 1e-10);
  const PlanarWrap a = planar_wrap(p1.head<2>(), p2.head<2>(), radius, side);
  ASSERT_GT(a.arc_angle, 0.0);
  EXPECT_NEAR((p1 - w.r1).norm(), a.tangent1, 1e-12);
  EXPECT_NEAR((p2 - w.r2).norm(), a.tangent2, 1e-12);
  EXPECT_NEAR(w.surface_length_m, radius * a.arc_angle, 1e-12);
  EXPECT_NEAR(wrapped_length(p1, p2, w), a.total(radius), 1e-12);
}

TEST(WrapCylinder, PerpendicularPiercingSegmentTakesTheAnalyticPath) {
  const double R = 0.03, L = 0.2, c = 0.04;
  const Vec3 p1(-0.1, 0.012, c), p2(0.09, 0.018, c);
  ASSERT_TRUE(segment_pierces_cylinder(p1, p2, R));
  const Eigen::Vector2d side = line_point_nearest_origin(p1, p2).head<2>();
  for (const bool single : {true, false}) {
    SCOPED_TRACE(single ? "single wrap" : "tangency correction");
    const auto w = wrap_segment(make_cylinder(R, L), WrapMethod::Hybrid, p1, p2, single);
    EXPECT_EQ(w.status, WrapStatus::Mandatory);
    expect_planar_cylinder_wrap(w, p1, p2, R, side);
  }
}

TEST(WrapCylinder, RandomPerpendicularSegmentsTakeTheAnalyticPath) {
  Rng rng(23);
  const double R = 0.025;
  int checked = 0;
  for (int i = 0; i < 25; ++i) {
    SCOPED_TRACE("segment " + std::to_string(i));
    Segment s = random_cylinder_segment(rng, R);
    s.p2.z() = s.p1.z();  // flatten into the plane z = p1.z
    if (!segment_pierces_cylinder(s.p1, s.p2, R)) continue;
    const auto w = wrap_segment(make_cylinder(R, 0.5), WrapMethod::Hybrid, s.p1, s.p2, i % 2 == 0);
    EXPECT_EQ(w.status, WrapStatus::Mandatory);
    expect_planar_cylinder_wrap(w, s.p1, s.p2, R, line_point_nearest_origin(s.p1, s.p2).head<2>());
    ++checked;
  }
  EXPECT_EQ(checked, 25);
}

TEST(WrapCylinder, QuadrantPicksTheSideOfTheWrap) {
  // The line x ~ 0.011 crosses the cylinder on its +x side.
  const double R = 0.02, L = 0.2, c = 0.03;
  const Vec3 p1(0.01, -0.1, c), p2(0.012, 0.09, c);
  ASSERT_TRUE(segment_pierces_cylinder(p1, p2, R));

  const auto free = wrap_segment(make_cylinder(R, L), WrapMethod::Hybrid, p1, p2, true);
  EXPECT_EQ(free.status, WrapStatus::Mandatory);
  expect_planar_cylinder_wrap(free, p1, p2, R, Eigen::Vector2d(1, 0));
  EXPECT_GT(free.r1.x(), 0.0);
  EXPECT_GT(free.r2.x(), 0.0);

  // +x: both ends active and the segment pierces: mandatory, same as unconstrained.
  const auto plus = wrap_segment(make_cylinder(R, L, 0, +1), WrapMethod::Hybrid, p1, p2, true);
  EXPECT_EQ(plus.status, WrapStatus::Mandatory);
  EXPECT_NEAR((plus.r1 - free.r1).norm(), 0.0, 1e-14);
  EXPECT_NEAR((plus.r2 - free.r2).norm(), 0.0, 1e-14);
  EXPECT_NEAR(plus.surface_length_m, free.surface_length_m, 1e-14);

  // -x: both ends on the inactive side: OpenSim wraps round the -x side ("wrapped", not mandatory).
  const auto minus = wrap_segment(make_cylinder(R, L, 0, -1), WrapMethod::Hybrid, p1, p2, true);
  EXPECT_EQ(minus.status, WrapStatus::Wrapped);
  expect_planar_cylinder_wrap(minus, p1, p2, R, Eigen::Vector2d(-1, 0));
  EXPECT_LT(minus.r1.x(), 0.0);
  EXPECT_LT(minus.r2.x(), 0.0);
  EXPECT_GT(minus.surface_length_m, plus.surface_length_m);
}

TEST(WrapCylinder, QuadrantRulesForSegmentsThatMissTheCylinder) {
  const double R = 0.02, L = 0.2, c = -0.03;
  const WrapObject plus_x = make_cylinder(R, L, 0, +1);
  {
    // Entirely on the active (+x) side, passing beside the cylinder: no wrap, constrained or not.
    const Vec3 p1(0.05, -0.1, c), p2(0.05, 0.1, c);
    ASSERT_FALSE(segment_pierces_cylinder(p1, p2, R));
    EXPECT_EQ(wrap_segment(plus_x, WrapMethod::Hybrid, p1, p2, true).status, WrapStatus::NoWrap);
    EXPECT_EQ(wrap_segment(make_cylinder(R, L), WrapMethod::Hybrid, p1, p2, true).status, WrapStatus::NoWrap);
  }
  {
    // Entirely on the inactive (-x) side without piercing. Unconstrained: no wrap. With quadrant +x,
    // OpenSim's WrapCylinder::wrapLine runs its wrap/no-wrap test only when an end point is on the active
    // side, so here it always wraps, round the +x side (status "wrapped").
    const Vec3 p1(-0.05, -0.1, c), p2(-0.05, 0.1, c);
    ASSERT_FALSE(segment_pierces_cylinder(p1, p2, R));
    EXPECT_EQ(wrap_segment(make_cylinder(R, L), WrapMethod::Hybrid, p1, p2, true).status, WrapStatus::NoWrap);
    const auto w = wrap_segment(plus_x, WrapMethod::Hybrid, p1, p2, true);
    EXPECT_EQ(w.status, WrapStatus::Wrapped);
    expect_planar_cylinder_wrap(w, p1, p2, R, Eigen::Vector2d(1, 0));
    EXPECT_GT(w.r1.x(), 0.0);
    EXPECT_GT(w.r2.x(), 0.0);
  }
  {
    // Ends on opposite sides, the line's closest approach to the axis (outside the radius) on the inactive
    // side: the straight line passes the wrong way, so it is a candidate wrap round the +x side.
    const Vec3 p1(0.05, -0.1, c), p2(-0.1, 0.05, c);
    ASSERT_FALSE(segment_pierces_cylinder(p1, p2, R));
    ASSERT_LT(line_point_nearest_origin(p1, p2).x(), 0.0);
    EXPECT_EQ(wrap_segment(make_cylinder(R, L), WrapMethod::Hybrid, p1, p2, true).status, WrapStatus::NoWrap);
    const auto w = wrap_segment(plus_x, WrapMethod::Hybrid, p1, p2, true);
    EXPECT_EQ(w.status, WrapStatus::Wrapped);
    expect_planar_cylinder_wrap(w, p1, p2, R, Eigen::Vector2d(1, 0));
    // Quadrant -x: p2 is active and the closest approach lies on the active side, so the straight line
    // already passes the right way: no wrap.
    const auto w_minus = wrap_segment(make_cylinder(R, L, 0, -1), WrapMethod::Hybrid, p1, p2, true);
    EXPECT_EQ(w_minus.status, WrapStatus::NoWrap);
  }
}

TEST(WrapCylinder, QuadrantCanForceTheLongWayRound) {
  // Ends close to the -x side of the cylinder, quadrant +x: the path must go round the +x side, more than
  // half way (OpenSim's long_wrap: (r1 - p1) + (r2 - p2) points against the sum of the radial directions),
  // so the helix sweeps 2 pi - (angle between the tangent points).
  const double R = 0.02, c = 0.01;
  const Vec3 p1(-0.0205, -0.01, c), p2(-0.0205, 0.012, c);
  const auto w = wrap_segment(make_cylinder(R, 0.2, 0, +1), WrapMethod::Hybrid, p1, p2, true);
  EXPECT_EQ(w.status, WrapStatus::Wrapped);
  expect_planar_cylinder_wrap(w, p1, p2, R, Eigen::Vector2d(1, 0));
  const double short_angle = angle_between(w.r1 - Vec3(0, 0, c), w.r2 - Vec3(0, 0, c));
  EXPECT_NEAR(w.surface_length_m, R * (2.0 * kPi - short_angle), 1e-12);
  EXPECT_GT(w.surface_length_m, R * kPi);
}

TEST(WrapCylinder, LiftsOffBeyondItsEnds) {
  const double R = 0.02, L = 0.1;  // ends at z = +-0.05
  const WrapObject cylinder = make_cylinder(R, L);
  for (const bool single : {true, false}) {
    SCOPED_TRACE(single ? "single wrap" : "tangency correction");
    auto at = [&](double z1, double z2) {
      return wrap_segment(cylinder, WrapMethod::Hybrid, Vec3(-0.1, 0.01, z1), Vec3(0.1, 0.005, z2), single);
    };
    // Perpendicular segments beyond either end: both tangent points beyond the end, no wrap.
    EXPECT_EQ(at(0.08, 0.08).status, WrapStatus::NoWrap);
    EXPECT_EQ(at(-0.07, -0.07).status, WrapStatus::NoWrap);
    // Skew, both ends (hence both tangent points) above the top.
    EXPECT_EQ(at(0.06, 0.09).status, WrapStatus::NoWrap);
    // Inside the length: wraps.
    const auto inside = at(0.045, 0.045);
    EXPECT_EQ(inside.status, WrapStatus::Mandatory);
    // One tangent point inside, one beyond: still wraps (the cylinder is then treated as infinite).
    const auto mixed = at(-0.15, 0.25);
    ASSERT_EQ(mixed.status, WrapStatus::Mandatory);
    EXPECT_TRUE(std::abs(mixed.r1.z()) <= 0.05 || std::abs(mixed.r2.z()) <= 0.05);
    EXPECT_TRUE(std::abs(mixed.r1.z()) > 0.05 || std::abs(mixed.r2.z()) > 0.05);
  }
}

/// Angles between the straight lines p1 -> r1, r2 -> p2 and the helix r1 -> r2 (radius R about z, the short
/// way) where they meet it. The lines are horizontally tangent by construction, so these are the
/// differences of their inclinations to the axis (OpenSim's alpha - omega, against the exact helix).
std::pair<double, double> tangency_errors(const Vec3& p1, const Vec3& p2, const WrapSegmentResult& w,
                                          double radius) {
  const Vec3 u(w.r1.x(), w.r1.y(), 0.0), v(w.r2.x(), w.r2.y(), 0.0);
  const double theta = angle_between(u, v);
  const Vec3 turn = u.cross(v).normalized();
  const Vec3 rise(0, 0, w.r2.z() - w.r1.z());
  const Vec3 at_r1 = radius * theta * turn.cross(u).normalized() + rise;
  const Vec3 at_r2 = radius * theta * turn.cross(v).normalized() + rise;
  return {angle_between(w.r1 - p1, at_r1), angle_between(p2 - w.r2, at_r2)};
}

TEST(WrapCylinder, SkewSegmentFollowsAHelix) {
  const double R = 0.03, L = 1.0;
  const Vec3 p1(-0.05, 0.0, -0.1), p2(0.15, 0.02, 0.02);
  ASSERT_TRUE(segment_pierces_cylinder(p1, p2, R));
  const Eigen::Vector2d side = line_point_nearest_origin(p1, p2).head<2>();
  const PlanarWrap flat = planar_wrap(p1.head<2>(), p2.head<2>(), R, side);
  // Unrolled, the shortest wrapped path is a straight line: sqrt(H^2 + dz^2), H the planar length.
  const double shortest = std::hypot(flat.total(R), p2.z() - p1.z());

  WrapSegmentResult results[2];
  for (const bool single : {true, false}) {
    SCOPED_TRACE(single ? "single wrap" : "tangency correction");
    const auto w = wrap_segment(make_cylinder(R, L), WrapMethod::Hybrid, p1, p2, single);
    results[single ? 0 : 1] = w;
    ASSERT_EQ(w.status, WrapStatus::Mandatory);
    EXPECT_NEAR(w.r1.head<2>().norm(), R, 1e-12);
    EXPECT_NEAR(w.r2.head<2>().norm(), R, 1e-12);
    // The tangent points only slide along the axis: horizontally they are the planar tangent points.
    EXPECT_NEAR((w.r1 - p1).head<2>().normalized().dot(w.r1.head<2>().normalized()), 0.0, 1e-10);
    EXPECT_NEAR((p2 - w.r2).head<2>().normalized().dot(w.r2.head<2>().normalized()), 0.0, 1e-10);
    const double theta = angle_between(Vec3(w.r1.x(), w.r1.y(), 0), Vec3(w.r2.x(), w.r2.y(), 0));
    EXPECT_NEAR(theta, flat.arc_angle, 1e-10);
    // Helix length.
    EXPECT_NEAR(w.surface_length_m, std::hypot(R * theta, w.r2.z() - w.r1.z()), 1e-12);
    // Tangent points between the ends' levels, and never shorter than the shortest path.
    EXPECT_GT(w.r1.z(), p1.z());
    EXPECT_LT(w.r2.z(), p2.z());
    EXPECT_GE(wrapped_length(p1, p2, w), shortest - 1e-12);
  }
  // OpenSim's tangency correction (paths with more than one PathWrap) slides r1, r2 until each line meets
  // the chord to the helix sample 1/N from its end (N = length / 2 mm) within 0.1 degree; against the exact
  // helix tangent that leaves 0.1 degree plus a chord-vs-tangent difference of about 0.01 degree here. The
  // path is then the shortest one to second order in that angle.
  const auto& corrected = results[1];
  const auto [c1, c2] = tangency_errors(p1, p2, corrected, R);
  EXPECT_LT(c1, 0.12 * kPi / 180.0);
  EXPECT_LT(c2, 0.12 * kPi / 180.0);
  EXPECT_NEAR(wrapped_length(p1, p2, corrected), shortest, 1e-6);
  // With one PathWrap (OpenSim >= 4.4) the apex-plane tangent points are kept: not tangent, and longer.
  const auto [s1, s2] = tangency_errors(p1, p2, results[0], R);
  EXPECT_GT(std::max(s1, s2), 0.5 * kPi / 180.0);
  EXPECT_GT(wrapped_length(p1, p2, results[0]), shortest + 1e-5);
}

// ---------------------------------------------------------------------------------------------
// Ellipsoid
// ---------------------------------------------------------------------------------------------

/// OpenSim's ellipsoid surface length is a polyline of floor(chord / 1 mm) pieces (at most 499) at equal
/// angles; on a sphere (plane through the centre) it is N * 2R sin(theta / 2N).
double sphere_polyline_length(double radius, double theta) {
  const double chord = 2.0 * radius * std::sin(0.5 * theta);
  const int n = std::min(499, static_cast<int>(chord / 0.001));
  if (n < 1) return chord;
  return n * 2.0 * radius * std::sin(0.5 * theta / n);
}

TEST(WrapEllipsoid, EqualRadiiAgreeWithTheSphere) {
  const double R = 0.05;
  Rng rng(37);
  std::vector<Segment> segments = {{Vec3(-0.12, 0.03, 0.015), Vec3(0.10, 0.02, -0.025)}};
  for (int i = 0; i < 10; ++i) segments.push_back(random_sphere_segment(rng, R));
  for (const WrapMethod method : {WrapMethod::Hybrid, WrapMethod::Midpoint, WrapMethod::Axial}) {
    for (std::size_t i = 0; i < segments.size(); ++i) {
      SCOPED_TRACE("method " + std::to_string(static_cast<int>(method)) + ", segment " + std::to_string(i));
      const Segment& s = segments[i];
      const auto sphere = wrap_segment(make_sphere(R), method, s.p1, s.p2);
      const auto ellipsoid = wrap_segment(make_ellipsoid(Vec3(R, R, R)), method, s.p1, s.p2);
      ASSERT_EQ(sphere.status, WrapStatus::Wrapped);
      ASSERT_EQ(ellipsoid.status, WrapStatus::Mandatory);  // OpenSim: every ellipsoid wrap is mandatory
      EXPECT_NEAR(ellipsoid.r1.norm(), R, 1e-9 * R);
      EXPECT_NEAR(ellipsoid.r2.norm(), R, 1e-9 * R);
      // Same tangent points (the tangency conditions are solved exactly, so much tighter than needed).
      EXPECT_LT((ellipsoid.r1 - sphere.r1).norm(), 1e-3 * R);
      EXPECT_LT((ellipsoid.r2 - sphere.r2).norm(), 1e-3 * R);
      // Length within 1e-3 relative: the ellipsoid's surface length is OpenSim's polyline of ~1 mm chords,
      // shorter than the arc R*theta by about theta^2 / (24 N^2) relative (N chords).
      EXPECT_NEAR(ellipsoid.surface_length_m, sphere.surface_length_m, 1e-3 * sphere.surface_length_m);
      EXPECT_LE(ellipsoid.surface_length_m, sphere.surface_length_m + 1e-12);
      EXPECT_NEAR(wrapped_length(s.p1, s.p2, ellipsoid), wrapped_length(s.p1, s.p2, sphere),
                  1e-3 * wrapped_length(s.p1, s.p2, sphere));
      // And that polyline exactly (the plane passes through the centre, so the steps are about it).
      EXPECT_NEAR(ellipsoid.surface_length_m, sphere_polyline_length(R, angle_between(sphere.r1, sphere.r2)),
                  1e-9);
    }
  }
}

double ellipsoid_level(const Vec3& x, const Vec3& radii) { return x.cwiseQuotient(radii).squaredNorm(); }

TEST(WrapEllipsoid, TangentPointsLieOnTheSurfaceAndTheLinesAreTangent) {
  const Vec3 radii(0.06, 0.04, 0.05);
  Rng rng(41);
  std::vector<Segment> segments = {{Vec3(-0.12, 0.02, 0.01), Vec3(0.11, 0.01, -0.02)},
                                   {Vec3(0.01, -0.09, 0.07), Vec3(-0.02, 0.08, -0.06)}};
  for (int i = 0; i < 10; ++i) segments.push_back(random_ellipsoid_segment(rng, radii));
  for (const WrapMethod method : {WrapMethod::Hybrid, WrapMethod::Midpoint, WrapMethod::Axial}) {
    for (std::size_t i = 0; i < segments.size(); ++i) {
      SCOPED_TRACE("method " + std::to_string(static_cast<int>(method)) + ", segment " + std::to_string(i));
      const Segment& s = segments[i];
      const auto w = wrap_segment(make_ellipsoid(radii), method, s.p1, s.p2);
      ASSERT_EQ(w.status, WrapStatus::Mandatory);
      EXPECT_NEAR(ellipsoid_level(w.r1, radii), 1.0, 1e-9);
      EXPECT_NEAR(ellipsoid_level(w.r2, radii), 1.0, 1e-9);
      // Tangent lines: p - r perpendicular to the surface normal r / a^2.
      const Vec3 n1 = w.r1.cwiseQuotient(radii.cwiseProduct(radii)).normalized();
      const Vec3 n2 = w.r2.cwiseQuotient(radii.cwiseProduct(radii)).normalized();
      EXPECT_NEAR((w.r1 - s.p1).normalized().dot(n1), 0.0, 1e-9);
      EXPECT_NEAR((s.p2 - w.r2).normalized().dot(n2), 0.0, 1e-9);
      // p1, p2, r1, r2 in one (wrapping) plane.
      const Vec3 plane = (s.p2 - s.p1).cross(w.r1 - s.p1).normalized();
      EXPECT_NEAR(plane.dot((w.r2 - s.p1).normalized()), 0.0, 1e-9);
      // The surface path is at least the chord and the wrapped path at least the straight segment.
      EXPECT_GE(w.surface_length_m, (w.r2 - w.r1).norm() - 1e-12);
      EXPECT_GT(wrapped_length(s.p1, s.p2, w), (s.p2 - s.p1).norm());
    }
  }
}

TEST(WrapEllipsoid, MissAndInside) {
  const Vec3 radii(0.06, 0.04, 0.05);
  const WrapObject e = make_ellipsoid(radii);
  EXPECT_EQ(wrap_segment(e, WrapMethod::Hybrid, Vec3(-0.12, 0.045, 0.0), Vec3(0.12, 0.045, 0.0)).status,
            WrapStatus::NoWrap);
  EXPECT_EQ(wrap_segment(e, WrapMethod::Hybrid, Vec3(0.05, 0.0, 0.0), Vec3(0.12, 0.05, 0.0)).status,
            WrapStatus::InsideRadius);
}

// ---------------------------------------------------------------------------------------------
// Torus
// ---------------------------------------------------------------------------------------------

double distance_to_ring(const Vec3& x, double ring) {
  return std::hypot(std::hypot(x.x(), x.y()) - ring, x.z());
}

TEST(WrapTorus, SegmentThroughTheHoleWrapsOverTheInnerSideOfTheTube) {
  // Tube radius 0.02 (inner_radius), ring radius 0.1 (outer_radius). Segments in a meridian plane pass
  // through the tube near its inner side; the local cylinder is then exactly the tube's cross-section.
  const double tube = 0.02, ring = 0.1;
  const WrapObject torus = make_torus(tube, ring);
  for (const double azimuth : {0.0, 0.6, -2.3}) {
    const Vec3 e_rho(std::cos(azimuth), std::sin(azimuth), 0.0);
    auto at = [&](double rho, double z) { return Vec3(rho * e_rho + z * Vec3::UnitZ()); };
    const Vec3 p1 = at(0.088, 0.12), p2 = at(0.092, -0.1);
    // In the meridian plane: (rho - ring, z) about the tube centre, wrapping on the side facing the axis.
    const Eigen::Vector2d q1(0.088 - ring, 0.12), q2(0.092 - ring, -0.1);
    const PlanarWrap a = planar_wrap(q1, q2, tube, Eigen::Vector2d(-1, 0));
    for (const bool single : {true, false}) {
      SCOPED_TRACE("azimuth " + std::to_string(azimuth) + (single ? " single" : " corrected"));
      const auto w = wrap_segment(torus, WrapMethod::Hybrid, p1, p2, single);
      ASSERT_EQ(w.status, WrapStatus::Wrapped);  // OpenSim reports every torus wrap as "wrapped"
      EXPECT_NEAR(distance_to_ring(w.r1, ring), tube, 1e-10);
      EXPECT_NEAR(distance_to_ring(w.r2, ring), tube, 1e-10);
      // In the meridian plane, on the inner side of the tube.
      EXPECT_NEAR(w.r1.dot(e_rho.cross(Vec3::UnitZ())), 0.0, 1e-10);
      EXPECT_NEAR(w.r2.dot(e_rho.cross(Vec3::UnitZ())), 0.0, 1e-10);
      EXPECT_LT(std::hypot(w.r1.x(), w.r1.y()), ring);
      EXPECT_LT(std::hypot(w.r2.x(), w.r2.y()), ring);
      EXPECT_NEAR(w.surface_length_m, tube * a.arc_angle, 1e-10);
      EXPECT_NEAR(wrapped_length(p1, p2, w), a.total(tube), 1e-10);
    }
  }
}

TEST(WrapTorus, SegmentThroughTheHoleClearOfTheTubeDoesNotWrap) {
  const double tube = 0.02, ring = 0.1;
  // Through the hole at rho = 0.05, well inside the tube's inner edge (0.08): on the active side, no contact.
  EXPECT_EQ(
      wrap_segment(make_torus(tube, ring), WrapMethod::Hybrid, Vec3(0.05, 0.01, 0.1), Vec3(0.05, 0.0, -0.1))
          .status,
      WrapStatus::NoWrap);
}

// ---------------------------------------------------------------------------------------------
// Derivatives
// ---------------------------------------------------------------------------------------------

/// Compares the exact derivatives of wrap_segment with central finite differences (h = 1e-6).
void expect_derivatives_match(const WrapObject& object, WrapMethod method, const Vec3& p1, const Vec3& p2,
                              bool single) {
  constexpr double h = 1e-6;
  constexpr double tol = 1e-6;
  WrapSegmentDerivatives d;
  const WrapSegmentResult base = wrap_segment(object, method, p1, p2, single, &d);
  ASSERT_TRUE(wraps(base.status));
  // The derivative pass returns the same values as the plain one.
  const WrapSegmentResult plain = wrap_segment(object, method, p1, p2, single);
  ASSERT_EQ(plain.status, base.status);
  EXPECT_NEAR((plain.r1 - base.r1).norm(), 0.0, 1e-13);
  EXPECT_NEAR((plain.r2 - base.r2).norm(), 0.0, 1e-13);
  EXPECT_NEAR(plain.surface_length_m, base.surface_length_m, 1e-13);
  for (int j = 0; j < 6; ++j) {
    Vec3 a_plus = p1, b_plus = p2, a_minus = p1, b_minus = p2;
    if (j < 3) {
      a_plus[j] += h;
      a_minus[j] -= h;
    } else {
      b_plus[j - 3] += h;
      b_minus[j - 3] -= h;
    }
    const WrapSegmentResult plus = wrap_segment(object, method, a_plus, b_plus, single);
    const WrapSegmentResult minus = wrap_segment(object, method, a_minus, b_minus, single);
    ASSERT_EQ(plus.status, base.status) << "coordinate " << j;
    ASSERT_EQ(minus.status, base.status) << "coordinate " << j;
    const Vec3 fd_r1 = (plus.r1 - minus.r1) / (2 * h);
    const Vec3 fd_r2 = (plus.r2 - minus.r2) / (2 * h);
    const double fd_len = (plus.surface_length_m - minus.surface_length_m) / (2 * h);
    for (int k = 0; k < 3; ++k) {
      EXPECT_NEAR(d.dr1(k, j), fd_r1[k], tol * std::max(1.0, std::abs(fd_r1[k])))
          << "dr1(" << k << "," << j << ")";
      EXPECT_NEAR(d.dr2(k, j), fd_r2[k], tol * std::max(1.0, std::abs(fd_r2[k])))
          << "dr2(" << k << "," << j << ")";
    }
    EXPECT_NEAR(d.dsurface_length(0, j), fd_len, tol * std::max(1.0, std::abs(fd_len))) << "dlength/dp " << j;
  }
}

TEST(WrapDerivatives, SphereMatchesFiniteDifferences) {
  Rng rng(101);
  for (int i = 0; i < 6; ++i) {
    SCOPED_TRACE("segment " + std::to_string(i));
    const Segment s = random_sphere_segment(rng, 0.05);
    expect_derivatives_match(make_sphere(0.05), WrapMethod::Hybrid, s.p1, s.p2, true);
  }
  SCOPED_TRACE("quadrant +y, both ends inactive: wrapped over the top");
  expect_derivatives_match(make_sphere(0.05, 1, +1), WrapMethod::Hybrid, Vec3(-0.1, -0.01, 0.02),
                           Vec3(0.12, -0.015, -0.01), true);
}

TEST(WrapDerivatives, CylinderMatchesFiniteDifferences) {
  Rng rng(202);
  const double R = 0.03;
  for (int i = 0; i < 6; ++i) {
    const Segment s = random_cylinder_segment(rng, R);
    for (const bool single : {true, false}) {
      SCOPED_TRACE("segment " + std::to_string(i) + (single ? " single wrap" : " tangency correction"));
      expect_derivatives_match(make_cylinder(R, 1.0), WrapMethod::Hybrid, s.p1, s.p2, single);
    }
  }
  for (const bool single : {true, false}) {
    SCOPED_TRACE(single ? "quadrant, single wrap" : "quadrant, tangency correction");
    // -x quadrant, both ends on the inactive side (wrapped round the far side), skew.
    expect_derivatives_match(make_cylinder(0.02, 0.4, 0, -1), WrapMethod::Hybrid, Vec3(0.01, -0.1, 0.03),
                             Vec3(0.012, 0.09, -0.02), single);
    // +x quadrant, segment crossing on the inactive side (candidate wrap round +x), skew.
    expect_derivatives_match(make_cylinder(0.02, 0.4, 0, +1), WrapMethod::Hybrid, Vec3(0.05, -0.1, -0.03),
                             Vec3(-0.1, 0.05, 0.04), single);
  }
}

TEST(WrapDerivatives, EllipsoidMatchesFiniteDifferences) {
  const Vec3 radii(0.06, 0.04, 0.05);
  Rng rng(303);
  for (int i = 0; i < 8; ++i) {
    const Segment s = random_ellipsoid_segment_off_medial_disc(rng, radii);
    for (const WrapMethod method : {WrapMethod::Hybrid, WrapMethod::Midpoint, WrapMethod::Axial}) {
      SCOPED_TRACE("segment " + std::to_string(i) + ", method " + std::to_string(static_cast<int>(method)));
      expect_derivatives_match(make_ellipsoid(radii), method, s.p1, s.p2, true);
    }
  }
}

TEST(WrapDerivatives, TorusMatchesFiniteDifferences) {
  Rng rng(404);
  for (int i = 0; i < 5; ++i) {
    const Segment s = random_torus_segment(rng, 0.02, 0.1);
    for (const bool single : {true, false}) {
      SCOPED_TRACE("segment " + std::to_string(i) + (single ? " single wrap" : " tangency correction"));
      expect_derivatives_match(make_torus(0.02, 0.1), WrapMethod::Hybrid, s.p1, s.p2, single);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// apply_path_wraps
// ---------------------------------------------------------------------------------------------

Transform pose(const Vec3& axis, double angle, const Vec3& origin) {
  return {axis_rotation(axis.normalized(), angle), origin};
}

std::vector<PathVertex> path_in_ground(const Transform& X_ground_wrap,
                                       const std::vector<Vec3>& points_in_wrap) {
  std::vector<PathVertex> path;
  for (std::size_t i = 0; i < points_in_wrap.size(); ++i) {
    PathVertex v;
    v.position_ground = X_ground_wrap.apply(points_in_wrap[i]);
    v.point = static_cast<int>(i);
    path.push_back(v);
  }
  return path;
}

double straight_length(const std::vector<Vec3>& points) {
  double l = 0.0;
  for (std::size_t i = 0; i + 1 < points.size(); ++i) l += (points[i + 1] - points[i]).norm();
  return l;
}

WrapContext context(const WrapObject& object, const Transform& X_ground_wrap, int begin = -1, int end = -1) {
  WrapContext c;
  c.object = &object;
  c.method = WrapMethod::Hybrid;
  c.range_begin = begin;
  c.range_end = end;
  c.X_ground_wrap = X_ground_wrap;
  return c;
}

struct Applied {
  double length = 0.0;
  std::vector<PathVertex> out;
  std::vector<double> surface;
};

Applied apply(const std::vector<PathVertex>& path, const std::vector<WrapContext>& wraps) {
  Applied a;
  a.length = apply_path_wraps(path, wraps, a.out, a.surface);
  return a;
}

/// The path of the test: points 0 -> 1 pass beside the sphere, 1 -> 2 go through it.
struct SpherePath {
  double radius = 0.05;
  WrapObject sphere = make_sphere(0.05);
  Transform X = pose(Vec3(1, 2, 3), 0.7, Vec3(0.3, -0.2, 0.5));
  std::vector<Vec3> q = {Vec3(-0.15, 0.2, 0.05), Vec3(-0.12, 0.03, 0.015), Vec3(0.10, 0.02, -0.025)};
};

void expect_wrapped_over_segment_1_2(const Applied& a, const SpherePath& s) {
  ASSERT_EQ(a.out.size(), 5u);
  EXPECT_EQ(a.out[0].point, 0);
  EXPECT_EQ(a.out[1].point, 1);
  EXPECT_EQ(a.out[2].wrap, 0);
  EXPECT_EQ(a.out[3].wrap, 0);
  EXPECT_EQ(a.out[4].point, 2);
  const PlanarWrap analytic = sphere_shortest(s.q[1], s.q[2], s.radius);
  const double expected = (s.q[1] - s.q[0]).norm() + analytic.total(s.radius);
  EXPECT_NEAR(a.length, expected, 1e-12);
  // Tangent points in ground lie on the posed sphere; the length is straight segments + surface.
  EXPECT_NEAR((a.out[2].position_ground - s.X.p).norm(), s.radius, 1e-12);
  EXPECT_NEAR((a.out[3].position_ground - s.X.p).norm(), s.radius, 1e-12);
  EXPECT_NEAR(a.out[3].wrap_length_m, s.radius * analytic.arc_angle, 1e-12);
  ASSERT_EQ(a.surface.size(), 4u);
  EXPECT_EQ(a.surface[0], 0.0);
  EXPECT_EQ(a.surface[1], 0.0);
  EXPECT_NEAR(a.surface[2], s.radius * analytic.arc_angle, 1e-12);
  EXPECT_EQ(a.surface[3], 0.0);
  const double sum = (a.out[1].position_ground - a.out[0].position_ground).norm() +
                     (a.out[2].position_ground - a.out[1].position_ground).norm() + a.surface[2] +
                     (a.out[4].position_ground - a.out[3].position_ground).norm();
  EXPECT_NEAR(a.length, sum, 1e-12);
}

TEST(WrapPath, SphereInGroundAddsTheSurfacePath) {
  SpherePath s;
  ASSERT_FALSE(segment_pierces_sphere(s.q[0], s.q[1], s.radius));
  ASSERT_TRUE(segment_pierces_sphere(s.q[1], s.q[2], s.radius));
  const auto path = path_in_ground(s.X, s.q);
  const std::vector<WrapContext> wraps = {context(s.sphere, s.X)};
  const Applied a = apply(path, wraps);
  expect_wrapped_over_segment_1_2(a, s);
  EXPECT_TRUE(is_surface_segment(a.out, wraps, 2));
  EXPECT_FALSE(is_surface_segment(a.out, wraps, 1));
  EXPECT_FALSE(is_surface_segment(a.out, wraps, 3));
}

TEST(WrapPath, RangeRestrictsTheWrapToTheChosenPoints) {
  SpherePath s;
  const auto path = path_in_ground(s.X, s.q);
  const double straight = straight_length(s.q);
  // Ranges that contain the piercing segment (points 2 -> 3, 1-based): it wraps.
  for (const auto& [begin, end] :
       std::vector<std::pair<int, int>>{{-1, -1}, {2, 3}, {1, 3}, {2, -1}, {0, 0}}) {
    SCOPED_TRACE("range " + std::to_string(begin) + " " + std::to_string(end));
    expect_wrapped_over_segment_1_2(apply(path, {context(s.sphere, s.X, begin, end)}), s);
  }
  // Ranges that exclude it: no wrap, the straight path.
  for (const auto& [begin, end] : std::vector<std::pair<int, int>>{{1, 2}, {-1, 2}, {3, 3}, {1, 1}}) {
    SCOPED_TRACE("range " + std::to_string(begin) + " " + std::to_string(end));
    const Applied a = apply(path, {context(s.sphere, s.X, begin, end)});
    EXPECT_EQ(a.out.size(), 3u);
    EXPECT_NEAR(a.length, straight, 1e-12);
    for (double v : a.surface) EXPECT_EQ(v, 0.0);
  }
}

TEST(WrapPath, RangeIndicesCountInactiveConditionalPoints) {
  // Four path points, the third (index 2) an inactive conditional point: the active path is 0, 1, 3, and
  // its segment 1 -> 3 goes through the sphere. PathWrap ranges index all points, 1-based.
  SpherePath s;
  const std::vector<Vec3> q = {s.q[0], s.q[1], Vec3(0.3, 0.3, 0.3), s.q[2]};
  std::vector<PathVertex> path = path_in_ground(s.X, q);
  path.erase(path.begin() + 2);
  ASSERT_EQ(path[2].point, 3);
  const double straight = (q[1] - q[0]).norm() + (q[3] - q[1]).norm();
  const double wrapped = (q[1] - q[0]).norm() + sphere_shortest(q[1], q[3], s.radius).total(s.radius);
  struct Case {
    int begin, end;
    bool wraps;
  };
  for (const Case& c : {Case{-1, -1, true}, Case{2, 4, true}, Case{1, 4, true}, Case{3, 4, false},
                        Case{2, 3, false}, Case{1, 3, false}, Case{3, 3, false}}) {
    SCOPED_TRACE("range " + std::to_string(c.begin) + " " + std::to_string(c.end));
    const Applied a = apply(path, {context(s.sphere, s.X, c.begin, c.end)});
    EXPECT_EQ(a.out.size(), c.wraps ? 5u : 3u);
    EXPECT_NEAR(a.length, c.wraps ? wrapped : straight, 1e-12);
  }
}

TEST(WrapPath, InactiveWrapObjectIsIgnored) {
  SpherePath s;
  s.sphere.active = false;
  const Applied a = apply(path_in_ground(s.X, s.q), {context(s.sphere, s.X)});
  EXPECT_EQ(a.out.size(), 3u);
  EXPECT_NEAR(a.length, straight_length(s.q), 1e-12);
}

TEST(WrapPath, CylinderInGroundAddsTheSurfacePath) {
  const double R = 0.03, c = 0.02;
  const WrapObject cylinder = make_cylinder(R, 0.3);
  const Transform X = pose(Vec3(-1, 0.5, 2), 1.1, Vec3(-0.1, 0.8, 0.25));
  const std::vector<Vec3> q = {Vec3(-0.2, 0.15, 0.07), Vec3(-0.1, 0.012, c), Vec3(0.09, 0.018, c)};
  ASSERT_FALSE(segment_pierces_cylinder(q[0], q[1], R));
  ASSERT_TRUE(segment_pierces_cylinder(q[1], q[2], R));
  const Applied a = apply(path_in_ground(X, q), {context(cylinder, X)});
  ASSERT_EQ(a.out.size(), 5u);
  EXPECT_EQ(a.out[2].wrap, 0);
  EXPECT_EQ(a.out[3].wrap, 0);
  const PlanarWrap flat =
      planar_wrap(q[1].head<2>(), q[2].head<2>(), R, line_point_nearest_origin(q[1], q[2]).head<2>());
  EXPECT_NEAR(a.length, (q[1] - q[0]).norm() + flat.total(R), 1e-12);
  EXPECT_NEAR(a.surface[2], R * flat.arc_angle, 1e-12);
  // Tangent points, back in the cylinder frame, on the surface at z = c.
  for (int k : {2, 3}) {
    const Vec3 local = X.inverse().apply(a.out[k].position_ground);
    EXPECT_NEAR(local.head<2>().norm(), R, 1e-12);
    EXPECT_NEAR(local.z(), c, 1e-12);
  }
  // Excluding the piercing segment by range: straight.
  const Applied none = apply(path_in_ground(X, q), {context(cylinder, X, 1, 2)});
  EXPECT_EQ(none.out.size(), 3u);
  EXPECT_NEAR(none.length, straight_length(q), 1e-12);
}

TEST(WrapPath, FirstMandatorySegmentWinsAndRangesMoveTheWrap) {
  // Two segments through the cylinder (OpenSim: "mandatory"): the first one is wrapped even though the
  // second lengthens the path less.
  const double R = 0.03, c = -0.01;
  const WrapObject cylinder = make_cylinder(R, 0.3);
  const Transform X = pose(Vec3(0.3, 1, -0.2), -0.8, Vec3(0.05, 0.1, -0.3));
  const std::vector<Vec3> q = {Vec3(-0.1, 0.005, c), Vec3(0.1, 0.0, c), Vec3(0.1, -0.027, c),
                               Vec3(-0.1, -0.025, c)};
  ASSERT_TRUE(segment_pierces_cylinder(q[0], q[1], R));
  ASSERT_FALSE(segment_pierces_cylinder(q[1], q[2], R));
  ASSERT_TRUE(segment_pierces_cylinder(q[2], q[3], R));
  auto flat = [&](int i) {
    return planar_wrap(q[i].head<2>(), q[i + 1].head<2>(), R,
                       line_point_nearest_origin(q[i], q[i + 1]).head<2>());
  };
  const PlanarWrap w01 = flat(0), w23 = flat(2);
  const double change01 = w01.total(R) - (q[1] - q[0]).norm();
  const double change23 = w23.total(R) - (q[3] - q[2]).norm();
  ASSERT_GT(change01, change23);
  const auto path = path_in_ground(X, q);

  const Applied whole = apply(path, {context(cylinder, X)});
  ASSERT_EQ(whole.out.size(), 6u);
  EXPECT_EQ(whole.out[0].point, 0);
  EXPECT_EQ(whole.out[1].wrap, 0);
  EXPECT_EQ(whole.out[2].wrap, 0);
  EXPECT_EQ(whole.out[3].point, 1);
  EXPECT_NEAR(whole.length, straight_length(q) + change01, 1e-12);

  // Range 3..4 (1-based): only the last segment can wrap.
  const Applied last = apply(path, {context(cylinder, X, 3, 4)});
  ASSERT_EQ(last.out.size(), 6u);
  EXPECT_EQ(last.out[2].point, 2);
  EXPECT_EQ(last.out[3].wrap, 0);
  EXPECT_EQ(last.out[4].wrap, 0);
  EXPECT_NEAR(last.length, straight_length(q) + change23, 1e-12);
}

TEST(WrapPath, SphereCandidateWithTheLeastLengtheningWins) {
  // A sphere reports "wrapped" (not mandatory) when unconstrained: among several piercing segments the one
  // that lengthens the path least is wrapped.
  const double R = 0.05;
  const WrapObject sphere = make_sphere(R);
  const Transform X = pose(Vec3(2, -1, 1), 0.4, Vec3(0.2, 0.3, -0.1));
  const std::vector<Vec3> q = {Vec3(-0.12, -0.012, 0.01), Vec3(0.1, -0.008, -0.01), Vec3(0.12, 0.03, 0.0),
                               Vec3(-0.1, 0.03, 0.02)};
  ASSERT_TRUE(segment_pierces_sphere(q[0], q[1], R));
  ASSERT_FALSE(segment_pierces_sphere(q[1], q[2], R));
  ASSERT_TRUE(segment_pierces_sphere(q[2], q[3], R));
  const double change01 = sphere_shortest(q[0], q[1], R).total(R) - (q[1] - q[0]).norm();
  const double change23 = sphere_shortest(q[2], q[3], R).total(R) - (q[3] - q[2]).norm();
  ASSERT_GT(change01, change23 + 1e-4);
  const auto path = path_in_ground(X, q);
  const Applied whole = apply(path, {context(sphere, X)});
  ASSERT_EQ(whole.out.size(), 6u);
  EXPECT_EQ(whole.out[2].point, 2);
  EXPECT_EQ(whole.out[3].wrap, 0);
  EXPECT_EQ(whole.out[4].wrap, 0);
  EXPECT_EQ(whole.out[5].point, 3);
  EXPECT_NEAR(whole.length, straight_length(q) + change23, 1e-12);
  // Restricted to points 1..2: the first segment is the only candidate.
  const Applied first = apply(path, {context(sphere, X, 1, 2)});
  ASSERT_EQ(first.out.size(), 6u);
  EXPECT_EQ(first.out[1].wrap, 0);
  EXPECT_NEAR(first.length, straight_length(q) + change01, 1e-12);
}

TEST(WrapPath, LengthDerivativeMatchesFiniteDifferences) {
  // Four synthetic coordinates: q0, q1 move path points 1 and 2 along fixed ground directions; q2 rotates
  // the wrap body about a ground axis through its origin, q3 translates it. dL/dq from the chain rule
  // through the wrap's exact derivatives (path_length_derivative) against central differences of the
  // length; both shapes, the sphere and (with and without the tangency correction) the cylinder.
  const Vec3 e1 = Vec3(0.3, -1.0, 0.2).normalized(), e2 = Vec3(-0.5, 0.4, 1.0).normalized();
  const Vec3 spin = Vec3(0.2, 0.9, -0.4).normalized(), slide = Vec3(1.0, 0.3, 0.5).normalized();
  const Transform X_ground_body0 = pose(Vec3(1, 2, 3), 0.7, Vec3(0.3, -0.2, 0.5));
  const Transform X_body_wrap = pose(Vec3(-1, 0.2, 0.4), 0.5, Vec3(0.01, -0.02, 0.015));
  struct Case {
    WrapObject object;
    std::vector<Vec3> q_wrap;  // path points in the wrap frame at q = 0
    int wraps;                 // 1: single wrap; 2: a second (inactive) PathWrap, so no single-wrap rule
  };
  WrapObject inactive = make_sphere(0.01);
  inactive.active = false;
  const std::vector<Case> cases = {
      {make_sphere(0.05), {Vec3(-0.15, 0.2, 0.05), Vec3(-0.12, 0.03, 0.015), Vec3(0.10, 0.02, -0.025)}, 1},
      {make_cylinder(0.03, 1.0), {Vec3(-0.2, 0.15, 0.07), Vec3(-0.05, 0.0, -0.1), Vec3(0.15, 0.02, 0.02)}, 1},
      {make_cylinder(0.03, 1.0), {Vec3(-0.2, 0.15, 0.07), Vec3(-0.05, 0.0, -0.1), Vec3(0.15, 0.02, 0.02)}, 2},
  };
  constexpr int n = 4;
  for (std::size_t ci = 0; ci < cases.size(); ++ci) {
    SCOPED_TRACE("case " + std::to_string(ci));
    const Case& c = cases[ci];
    const std::vector<Vec3> base = {X_ground_body0.apply(X_body_wrap.apply(c.q_wrap[0])),
                                    X_ground_body0.apply(X_body_wrap.apply(c.q_wrap[1])),
                                    X_ground_body0.apply(X_body_wrap.apply(c.q_wrap[2]))};
    Eigen::Matrix<double, 6, Eigen::Dynamic> body_jacobian =
        Eigen::Matrix<double, 6, Eigen::Dynamic>::Zero(6, n);
    body_jacobian.col(2).head<3>() = spin;
    body_jacobian.col(3).tail<3>() = slide;
    auto evaluate = [&](const Eigen::Vector4d& q, PathJacobians* jac, Eigen::VectorXd* dl) {
      // The body turns about the ground axis `spin` through its origin (angular velocity spin, origin
      // velocity 0) and its origin slides along `slide`.
      const Transform X_gb = {axis_rotation(spin, q[2]) * X_ground_body0.R, X_ground_body0.p + q[3] * slide};
      std::vector<WrapContext> wraps = {context(c.object, X_gb * X_body_wrap)};
      wraps[0].body_jacobian = &body_jacobian;
      wraps[0].body_origin_ground = X_gb.p;
      if (c.wraps == 2) wraps.push_back(context(inactive, X_gb * X_body_wrap));
      std::vector<PathVertex> path(3);
      for (int i = 0; i < 3; ++i) {
        path[i].point = i;
        path[i].position_ground = base[i];
      }
      path[1].position_ground += q[0] * e1;
      path[2].position_ground += q[1] * e2;
      std::vector<PathVertex> out;
      std::vector<double> surface;
      if (jac == nullptr) return apply_path_wraps(path, wraps, out, surface);
      jac->resize(3 + 2 * kMaxWrapPasses * 2, n);
      for (int i = 0; i < 3; ++i) {
        path[i].jacobian = jac->allocate();
        jac->position[path[i].jacobian].setZero();
      }
      jac->position[path[1].jacobian].col(0) = e1;
      jac->position[path[2].jacobian].col(1) = e2;
      const double length = apply_path_wraps(path, wraps, out, surface, jac);
      EXPECT_EQ(out.size(), 5u);
      path_length_derivative(out, wraps, *jac, *dl);
      return length;
    };
    PathJacobians jac;
    Eigen::VectorXd dl(n);
    const Eigen::Vector4d q0(0.004, -0.003, 0.05, 0.002);
    evaluate(q0, &jac, &dl);
    constexpr double h = 1e-6;
    for (int k = 0; k < n; ++k) {
      Eigen::Vector4d qp = q0, qm = q0;
      qp[k] += h;
      qm[k] -= h;
      const double fd = (evaluate(qp, nullptr, nullptr) - evaluate(qm, nullptr, nullptr)) / (2 * h);
      EXPECT_NEAR(dl[k], fd, 1e-6 * std::max(1.0, std::abs(fd))) << "dL/dq" << k;
    }
  }
}

}  // namespace
}  // namespace glutelab
