// Muscle-path wrapping over cylinders, spheres, ellipsoids and tori, following OpenSim's algorithms
// (WrapCylinder, WrapSphere, WrapEllipsoid, WrapTorus, and GeometryPath's wrap application),
// including quadrant restrictions and PathWrap ranges. See docs/wrapping.md.
#pragma once

#include <span>
#include <vector>

#include "glutelab/math/spatial.hpp"
#include "glutelab/model/model.hpp"

namespace glutelab {

enum class WrapStatus { NoWrap, InsideRadius, Wrapped, Mandatory };

/// Result of wrapping one straight segment p1->p2 over one object, in the wrap object's frame.
struct WrapSegmentResult {
  WrapStatus status = WrapStatus::NoWrap;
  Vec3 r1 = Vec3::Zero();           ///< first tangent point (path leaves the line from p1 here)
  Vec3 r2 = Vec3::Zero();           ///< second tangent point
  double surface_length_m = 0.0;    ///< length of the path over the surface from r1 to r2
};

/// Wrap the segment p1 -> p2 (both expressed in the wrap object's frame) over `object`; r1, r2 are
/// returned in the same frame. `path_has_single_wrap` mirrors OpenSim 4.4+: for a path with exactly
/// one PathWrap, cylinder (and torus) tangent points skip the iterative tangency correction.
WrapSegmentResult wrap_segment(const WrapObject& object, WrapMethod method, const Vec3& p1, const Vec3& p2,
                               bool path_has_single_wrap = false);

/// A vertex of a muscle path, in ground. A path point has point >= 0 (index into
/// GeometryPath::points); a wrap tangent point has point == -1 and wrap >= 0 (index into the
/// path's wraps), and is fixed to the wrap object's body.
struct PathVertex {
  Vec3 position_ground = Vec3::Zero();
  int point = -1;
  int wrap = -1;
};

/// One PathWrap of a path, with the current pose of its wrap object.
struct WrapContext {
  const WrapObject* object = nullptr;
  WrapMethod method = WrapMethod::Hybrid;
  int range_begin = -1;             ///< as PathWrap::range_begin
  int range_end = -1;
  Transform X_ground_wrap;
};

/// OpenSim's GeometryPath wrap application. `active` are the active path points in path order
/// (conditional points already filtered; `point` = index into GeometryPath::points, which is what
/// PathWrap ranges refer to). Writes the full vertex list (path points with each wrap's two tangent
/// points inserted, in ground) into `out` (cleared first; reserve active.size() + 2 * wraps.size()
/// to avoid allocation) and, per consecutive pair out[i], out[i+1], `surface_length_m[i]`: the length
/// over the wrap surface when that pair is a surface segment (both tangent points of the same wrap
/// object, see is_surface_segment), else 0. Returns the total path length in metres.
double apply_path_wraps(std::span<const PathVertex> active, std::span<const WrapContext> wraps,
                        std::vector<PathVertex>& out, std::vector<double>& surface_length_m);

/// Whether out[i] -> out[i+1] runs over a wrap surface (its length is not the straight distance).
bool is_surface_segment(std::span<const PathVertex> out, std::span<const WrapContext> wraps, std::size_t i);

}  // namespace glutelab
