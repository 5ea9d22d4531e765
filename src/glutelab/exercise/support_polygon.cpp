#include "glutelab/exercise/support_polygon.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace glutelab {
namespace {

// Cross product of (b - a) and (c - a) in the ground plane, counter-clockwise seen from +y positive.
// Seen from above with x forward and z right, counter-clockwise is the sense z -> x.
double turn(const Vec3& a, const Vec3& b, const Vec3& c) {
  return (b.z() - a.z()) * (c.x() - a.x()) - (b.x() - a.x()) * (c.z() - a.z());
}

}  // namespace

std::vector<Vec3> support_polygon(const std::vector<Vec3>& points) {
  std::vector<Vec3> p = points;
  std::sort(p.begin(), p.end(),
            [](const Vec3& a, const Vec3& b) { return a.z() < b.z() || (a.z() == b.z() && a.x() < b.x()); });
  if (p.size() < 3) return p;
  std::vector<Vec3> hull(2 * p.size());
  std::size_t k = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {  // lower chain (monotone chain)
    while (k >= 2 && turn(hull[k - 2], hull[k - 1], p[i]) <= 0.0) --k;
    hull[k++] = p[i];
  }
  for (std::size_t i = p.size() - 1, t = k + 1; i-- > 0;) {  // upper chain
    while (k >= t && turn(hull[k - 2], hull[k - 1], p[i]) <= 0.0) --k;
    hull[k++] = p[i];
  }
  hull.resize(k - 1);
  return hull;
}

double distance_inside_polygon(const std::vector<Vec3>& polygon, const Vec3& point) {
  if (polygon.size() < 3) return -std::numeric_limits<double>::infinity();
  double d = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < polygon.size(); ++i) {
    const Vec3& a = polygon[i];
    const Vec3& b = polygon[(i + 1) % polygon.size()];
    const double len = std::hypot(b.x() - a.x(), b.z() - a.z());
    if (len == 0.0) continue;
    d = std::min(d, turn(a, b, point) / len);
  }
  return d;
}

}  // namespace glutelab
