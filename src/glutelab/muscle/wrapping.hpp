// Muscle-path wrapping over cylinders, spheres, ellipsoids and tori, following OpenSim's algorithms
// (WrapCylinder, WrapSphere, WrapEllipsoid, WrapTorus, and GeometryPath's wrap application),
// including quadrant restrictions and PathWrap ranges; optionally with the exact derivatives of the
// tangent points and surface lengths (forward-mode automatic differentiation). See docs/wrapping.md.
#pragma once

#include <span>
#include <vector>

#include <Eigen/Core>

#include "glutelab/math/spatial.hpp"
#include "glutelab/model/model.hpp"

namespace glutelab {

/// OpenSim applies a path's wraps in up to this many passes (when it has more than one).
inline constexpr int kMaxWrapPasses = 8;

enum class WrapStatus { NoWrap, InsideRadius, Wrapped, Mandatory };

/// Result of wrapping one straight segment p1->p2 over one object, in the wrap object's frame.
struct WrapSegmentResult {
  WrapStatus status = WrapStatus::NoWrap;
  Vec3 r1 = Vec3::Zero();         ///< first tangent point (path leaves the line from p1 here)
  Vec3 r2 = Vec3::Zero();         ///< second tangent point
  double surface_length_m = 0.0;  ///< length of the path over the surface from r1 to r2
};

/// Derivatives of a WrapSegmentResult with respect to (p1, p2) stacked as a 6-vector.
struct WrapSegmentDerivatives {
  Eigen::Matrix<double, 3, 6> dr1 = Eigen::Matrix<double, 3, 6>::Zero();
  Eigen::Matrix<double, 3, 6> dr2 = Eigen::Matrix<double, 3, 6>::Zero();
  Eigen::Matrix<double, 1, 6> dsurface_length = Eigen::Matrix<double, 1, 6>::Zero();
};

/// Wrap the segment p1 -> p2 (both expressed in the wrap object's frame) over `object`; r1, r2 are
/// returned in the same frame. `path_has_single_wrap` mirrors OpenSim 4.4+: for a path with exactly
/// one PathWrap, cylinder (and torus) tangent points skip the iterative tangency correction. With
/// `derivatives`, also the exact derivatives of r1, r2 and the surface length.
WrapSegmentResult wrap_segment(const WrapObject& object, WrapMethod method, const Vec3& p1, const Vec3& p2,
                               bool path_has_single_wrap = false,
                               WrapSegmentDerivatives* derivatives = nullptr);

/// A vertex of a muscle path, in ground. A path point has point >= 0 (index into
/// GeometryPath::points); a wrap tangent point has point == -1 and wrap >= 0 (index into the
/// path's wraps), and is fixed to the wrap object's body.
struct PathVertex {
  Vec3 position_ground = Vec3::Zero();
  int point = -1;
  int wrap = -1;
  /// On a wrap's second tangent point: the surface length from its first tangent point (as
  /// OpenSim's PathWrapPoint wrap length); 0 elsewhere.
  double wrap_length_m = 0.0;
  /// Slot in PathJacobians holding d position_ground / dq (and, on a second tangent point, the
  /// derivative of wrap_length_m); -1 when derivatives are not tracked.
  int jacobian = -1;
};

/// One PathWrap of a path, with the current pose of its wrap object.
struct WrapContext {
  const WrapObject* object = nullptr;
  WrapMethod method = WrapMethod::Hybrid;
  int range_begin = -1;  ///< as PathWrap::range_begin
  int range_end = -1;
  Transform X_ground_wrap;
  /// For derivatives: the wrap body's 6 x n Jacobian (angular rows, then linear velocity of the body
  /// origin) and its origin in ground; null for a wrap object on ground.
  const Eigen::Matrix<double, 6, Eigen::Dynamic>* body_jacobian = nullptr;
  Vec3 body_origin_ground = Vec3::Zero();
};

/// Jacobians of path vertices with respect to the model's coordinates, so that the length of a
/// wrapped path can be differentiated exactly, tangent-point motion included. Sized once; `used`
/// slots are handed out per path evaluation.
struct PathJacobians {
  void resize(int slots, int columns);
  int allocate();  ///< next free slot (throws std::length_error when full)

  std::vector<Eigen::Matrix<double, 3, Eigen::Dynamic>> position;  ///< d position_ground / dq
  std::vector<Eigen::Matrix<double, 1, Eigen::Dynamic>> surface;   ///< d wrap_length_m / dq
  int used = 0;
  // Scratch for the chain rule through one wrap.
  Eigen::Matrix<double, 6, Eigen::Dynamic> endpoints_in_wrap;
  Eigen::Matrix<double, 3, Eigen::Dynamic> scratch;
};

/// OpenSim's GeometryPath wrap application. `active` are the active path points in path order
/// (conditional points already filtered; `point` = index into GeometryPath::points, which is what
/// PathWrap ranges refer to). Writes the full vertex list (path points with each wrap's two tangent
/// points inserted, in ground) into `out` (cleared first; reserve active.size() + 2 * wraps.size()
/// to avoid allocation) and, per consecutive pair out[i], out[i+1], `surface_length_m[i]`: the length
/// over the wrap surface when that pair is a surface segment (both tangent points of the same wrap
/// object, see is_surface_segment), else 0. Returns the total path length in metres.
/// With `jacobians`, every vertex of `active` must carry a filled slot, and every inserted tangent
/// point gets one (chain rule through the wrap's exact derivatives).
double apply_path_wraps(std::span<const PathVertex> active, std::span<const WrapContext> wraps,
                        std::vector<PathVertex>& out, std::vector<double>& surface_length_m,
                        PathJacobians* jacobians = nullptr);

/// dL/dq of a path produced by apply_path_wraps with jacobians (straight segments and surface
/// segments), into `dl_dq` (overwritten).
void path_length_derivative(std::span<const PathVertex> out, std::span<const WrapContext> wraps,
                            const PathJacobians& jacobians, Eigen::Ref<Eigen::VectorXd> dl_dq);

/// Whether out[i] -> out[i+1] runs over a wrap surface (its length is not the straight distance).
bool is_surface_segment(std::span<const PathVertex> out, std::span<const WrapContext> wraps, std::size_t i);

}  // namespace glutelab
