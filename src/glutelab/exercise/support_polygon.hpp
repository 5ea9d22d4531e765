// Base of support: the convex hull of contact points seen from above (the x-z plane, y up).
#pragma once

#include <vector>

#include "glutelab/math/spatial.hpp"

namespace glutelab {

/// Convex hull of `points` projected on the ground plane, counter-clockwise seen from above (+y);
/// each hull vertex keeps its original height.
std::vector<Vec3> support_polygon(const std::vector<Vec3>& points);

/// Signed horizontal distance from `point` to the polygon's boundary: positive inside, negative
/// outside (metres). A polygon of fewer than 3 points has no inside (the distance is then negative).
double distance_inside_polygon(const std::vector<Vec3>& polygon, const Vec3& point);

}  // namespace glutelab
