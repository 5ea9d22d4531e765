// wrap_segment dispatch and OpenSim's GeometryPath::applyWrapObjects logic (segment choice, passes,
// tangent point insertion, total length). See docs/wrapping.md.
#include <cmath>
#include <limits>
#include <stdexcept>

#include "glutelab/muscle/wrap_internal.hpp"
#include "glutelab/muscle/wrapping.hpp"

namespace glutelab {

namespace {

template <class S>
wrap_detail::WrapResult<S> wrap_segment_t(const WrapObject& object, WrapMethod method,
                                          const wrap_detail::V3<S>& p1, const wrap_detail::V3<S>& p2,
                                          bool path_has_single_wrap) {
  using namespace wrap_detail;
  const Quadrant quadrant = quadrant_of(object);
  const Vec3& dim = object.dimensions_m;
  switch (object.shape) {
    case WrapShape::Cylinder:
      return wrap_cylinder<S>(dim.x(), dim.y(), quadrant, !path_has_single_wrap, p1, p2);
    case WrapShape::Sphere:
      return wrap_sphere<S>(dim.x(), quadrant, p1, p2);
    case WrapShape::Ellipsoid:
      return wrap_ellipsoid<S>(dim, quadrant, method, p1, p2);
    case WrapShape::Torus:
      return wrap_torus<S>(dim.x(), dim.y(), quadrant, !path_has_single_wrap, p1, p2);
  }
  return {};
}

}  // namespace

WrapSegmentResult wrap_segment(const WrapObject& object, WrapMethod method, const Vec3& p1, const Vec3& p2,
                               bool path_has_single_wrap, WrapSegmentDerivatives* derivatives) {
  using wrap_detail::WrapDual;
  WrapSegmentResult out;
  if (derivatives == nullptr) {
    const auto r = wrap_segment_t<double>(object, method, p1, p2, path_has_single_wrap);
    out.status = r.status;
    out.r1 = r.r1;
    out.r2 = r.r2;
    out.surface_length_m = r.surface_length_m;
    return out;
  }
  wrap_detail::V3<WrapDual> d1, d2;
  for (int k = 0; k < 3; ++k) {
    d1[k] = WrapDual(p1[k], 6, k);
    d2[k] = WrapDual(p2[k], 6, 3 + k);
  }
  const auto r = wrap_segment_t<WrapDual>(object, method, d1, d2, path_has_single_wrap);
  out.status = r.status;
  for (int k = 0; k < 3; ++k) {
    out.r1[k] = r.r1[k].value();
    out.r2[k] = r.r2[k].value();
    for (int j = 0; j < 6; ++j) {
      derivatives->dr1(k, j) = r.r1[k].derivatives()[j];
      derivatives->dr2(k, j) = r.r2[k].derivatives()[j];
    }
  }
  out.surface_length_m = r.surface_length_m.value();
  for (int j = 0; j < 6; ++j) derivatives->dsurface_length(0, j) = r.surface_length_m.derivatives()[j];
  return out;
}

void PathJacobians::resize(int slots, int columns) {
  position.assign(static_cast<std::size_t>(slots),
                  Eigen::Matrix<double, 3, Eigen::Dynamic>::Zero(3, columns));
  surface.assign(static_cast<std::size_t>(slots), Eigen::Matrix<double, 1, Eigen::Dynamic>::Zero(1, columns));
  endpoints_in_wrap.setZero(6, columns);
  scratch.setZero(3, columns);
  used = 0;
}

int PathJacobians::allocate() {
  if (used >= static_cast<int>(position.size())) throw std::length_error("PathJacobians: out of slots");
  return used++;
}

bool is_surface_segment(std::span<const PathVertex> out, std::span<const WrapContext> wraps, std::size_t i) {
  const PathVertex& a = out[i];
  const PathVertex& b = out[i + 1];
  return a.wrap >= 0 && b.wrap >= 0 && wraps[a.wrap].object == wraps[b.wrap].object;
}

namespace {

constexpr double kPassConvergence = 0.0005;  // m; OpenSim stops the passes when the length changes less

/// Remove the two tangent points of wrap `w` from the path, if present.
void remove_tangent_points(std::vector<PathVertex>& path, int w) {
  for (std::size_t j = 0; j < path.size(); ++j) {
    if (path[j].wrap == w) {
      path.erase(path.begin() + static_cast<std::ptrdiff_t>(j),
                 path.begin() + static_cast<std::ptrdiff_t>(j) + 2);
      return;
    }
  }
}

double path_length(const std::vector<PathVertex>& path, std::span<const WrapContext> wraps) {
  double length = 0.0;
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    length += is_surface_segment(path, wraps, i)
                  ? path[i + 1].wrap_length_m
                  : (path[i + 1].position_ground - path[i].position_ground).norm();
  }
  return length;
}

/// Index in `path` of the vertex of path point `point`, or -1.
int find_point(const std::vector<PathVertex>& path, int point) {
  int found = -1;
  for (std::size_t j = 0; j < path.size(); ++j)
    if (path[j].point == point) found = static_cast<int>(j);
  return found;
}

/// Jacobian (3 x n) of the point of the wrap body that coincides with `x_ground`, added into `J`.
void add_wrap_body_point_jacobian(const WrapContext& wrap, const Vec3& x_ground,
                                  Eigen::Ref<Eigen::Matrix<double, 3, Eigen::Dynamic>> J) {
  if (wrap.body_jacobian == nullptr) return;
  const auto& Jb = *wrap.body_jacobian;
  const Vec3 arm = x_ground - wrap.body_origin_ground;
  for (Eigen::Index c = 0; c < J.cols(); ++c) {
    const Vec3 omega = Jb.col(c).head<3>();
    J.col(c) += Jb.col(c).tail<3>() + omega.cross(arm);
  }
}

/// Chain rule through one wrap: from the Jacobians of the segment's end vertices a, b (ground) to
/// those of the tangent points t1, t2 and of the surface length, using the wrap's exact derivatives.
void differentiate_tangent_points(const WrapContext& wrap, const PathVertex& a, const PathVertex& b,
                                  bool single_wrap, PathJacobians& jac, const PathVertex& t1,
                                  const PathVertex& t2) {
  const Transform X_wrap_ground = wrap.X_ground_wrap.inverse();
  const Vec3 p1 = X_wrap_ground.apply(a.position_ground);
  const Vec3 p2 = X_wrap_ground.apply(b.position_ground);
  WrapSegmentDerivatives d;
  wrap_segment(*wrap.object, wrap.method, p1, p2, single_wrap, &d);
  // d p_wrap / dq = R^T (d p_ground / dq - velocity of the coincident wrap-body point).
  const Mat3 Rt = wrap.X_ground_wrap.R.transpose();
  const PathVertex* ends[2] = {&a, &b};
  for (int e = 0; e < 2; ++e) {
    jac.scratch = -jac.position[ends[e]->jacobian];
    add_wrap_body_point_jacobian(wrap, ends[e]->position_ground, jac.scratch);
    jac.endpoints_in_wrap.middleRows<3>(3 * e).noalias() = -(Rt * jac.scratch);
  }
  const Mat3& R = wrap.X_ground_wrap.R;
  jac.scratch.noalias() = d.dr1 * jac.endpoints_in_wrap;
  jac.position[t1.jacobian].noalias() = R * jac.scratch;
  add_wrap_body_point_jacobian(wrap, t1.position_ground, jac.position[t1.jacobian]);
  jac.scratch.noalias() = d.dr2 * jac.endpoints_in_wrap;
  jac.position[t2.jacobian].noalias() = R * jac.scratch;
  add_wrap_body_point_jacobian(wrap, t2.position_ground, jac.position[t2.jacobian]);
  jac.surface[t1.jacobian].setZero();
  jac.surface[t2.jacobian].noalias() = d.dsurface_length * jac.endpoints_in_wrap;
}

}  // namespace

double apply_path_wraps(std::span<const PathVertex> active, std::span<const WrapContext> wraps,
                        std::vector<PathVertex>& out, std::vector<double>& surface_length_m,
                        PathJacobians* jacobians) {
  out.clear();
  for (const PathVertex& v : active) out.push_back(v);
  const int num_wraps = static_cast<int>(wraps.size());
  const bool single_wrap = num_wraps == 1;

  auto finish = [&]() {
    surface_length_m.clear();
    for (std::size_t i = 0; i + 1 < out.size(); ++i)
      surface_length_m.push_back(is_surface_segment(out, wraps, i) ? out[i + 1].wrap_length_m : 0.0);
    return path_length(out, wraps);
  };
  if (num_wraps < 1 || active.empty()) return finish();

  // Processing order: the listed order, except that the first two may be swapped after pass 0.
  bool swap_first_two = false;
  auto wrap_at = [&](int position) {
    if (swap_first_two && position < 2) return 1 - position;
    return position;
  };
  WrapStatus first_results[2] = {WrapStatus::NoWrap, WrapStatus::NoWrap};

  const int max_passes = num_wraps < 2 ? 1 : kMaxWrapPasses;
  double last_length = std::numeric_limits<double>::infinity();
  for (int pass = 0; pass < max_passes; ++pass) {
    for (int position = 0; position < num_wraps; ++position) {
      const int w = wrap_at(position);
      const WrapContext& wrap = wraps[w];
      WrapStatus status = WrapStatus::NoWrap;
      remove_tangent_points(out, w);
      if (wrap.object != nullptr && wrap.object->active) {
        // Range: 1-based indices into ALL path points (active or not); < 1 means open.
        const int first = wrap.range_begin < 1 ? 0 : wrap.range_begin - 1;
        const int last = wrap.range_end < 1 ? std::numeric_limits<int>::max() : wrap.range_end - 1;
        int start_point = -1, end_point = -1;
        for (const PathVertex& v : active) {
          if (v.point < first || v.point > last) continue;
          if (start_point < 0) start_point = v.point;
          end_point = v.point;
        }
        // No active point in the range: OpenSim abandons the whole wrap application here.
        if (start_point < 0) return finish();
        const int start = find_point(out, start_point);
        const int end = find_point(out, end_point);
        if (start < 0 || end < 0) return finish();

        const Transform X_wrap_ground = wrap.X_ground_wrap.inverse();
        bool have_best = false;
        WrapSegmentResult best;
        int best_end = -1;
        double min_change = std::numeric_limits<double>::infinity();
        for (int pt1 = start; pt1 < end; ++pt1) {
          const PathVertex& a = out[pt1];
          const PathVertex& b = out[pt1 + 1];
          // Skip surface segments of other wraps (both ends tangent points of one wrap object).
          if (a.wrap >= 0 && b.wrap >= 0 && wraps[a.wrap].object == wraps[b.wrap].object) continue;
          const Vec3 p1 = X_wrap_ground.apply(a.position_ground);
          const Vec3 p2 = X_wrap_ground.apply(b.position_ground);
          const WrapSegmentResult r = wrap_segment(*wrap.object, wrap.method, p1, p2, single_wrap);
          status = r.status;
          if (r.status == WrapStatus::Mandatory) {
            best = r;
            best_end = pt1 + 1;
            have_best = true;
            break;  // the first piercing segment wins outright
          }
          if (r.status == WrapStatus::Wrapped) {
            const double change =
                (p1 - r.r1).norm() + r.surface_length_m + (p2 - r.r2).norm() - (p1 - p2).norm();
            if (change < min_change) {
              best = r;
              best_end = pt1 + 1;
              have_best = true;
              min_change = change;
            }
          }
        }
        if (have_best) {
          PathVertex t1, t2;
          t1.position_ground = wrap.X_ground_wrap.apply(best.r1);
          t1.wrap = w;
          t2.position_ground = wrap.X_ground_wrap.apply(best.r2);
          t2.wrap = w;
          t2.wrap_length_m = best.surface_length_m;
          if (jacobians != nullptr) {
            t1.jacobian = jacobians->allocate();
            t2.jacobian = jacobians->allocate();
            differentiate_tangent_points(wrap, out[best_end - 1], out[best_end], single_wrap, *jacobians, t1,
                                         t2);
          }
          out.insert(out.begin() + best_end, t1);
          out.insert(out.begin() + best_end + 1, t2);
        }
      }
      if (position < 2) first_results[position] = status;
    }

    const double length = path_length(out, wraps);
    if (std::abs(length - last_length) < kPassConvergence) break;
    last_length = length;

    if (pass == 0 && num_wraps > 1 && first_results[0] == WrapStatus::NoWrap &&
        first_results[1] == WrapStatus::InsideRadius) {
      // The first wrap missed and the second had a point inside: retry with the two swapped.
      swap_first_two = true;
      remove_tangent_points(out, 0);
    }
  }
  return finish();
}

void path_length_derivative(std::span<const PathVertex> out, std::span<const WrapContext> wraps,
                            const PathJacobians& jacobians, Eigen::Ref<Eigen::VectorXd> dl_dq) {
  dl_dq.setZero();
  for (std::size_t i = 0; i + 1 < out.size(); ++i) {
    if (is_surface_segment(out, wraps, i)) {
      dl_dq += jacobians.surface[out[i + 1].jacobian].transpose();
      continue;
    }
    const Vec3 d = out[i + 1].position_ground - out[i].position_ground;
    const double len = d.norm();
    if (!(len > 0.0)) continue;
    const Vec3 u = d / len;
    dl_dq.noalias() += jacobians.position[out[i + 1].jacobian].transpose() * u;
    dl_dq.noalias() -= jacobians.position[out[i].jacobian].transpose() * u;
  }
}

}  // namespace glutelab
