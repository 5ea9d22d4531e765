#include "glutelab/muscle/muscle_path.hpp"

#include <algorithm>

namespace glutelab {
namespace {

// Location of a path point in its body frame for the current coordinates.
Vec3 point_location(const PathPoint& point, const State& state) {
  if (point.kind != PathPointKind::Moving) return point.location_m;
  Vec3 loc;
  for (int k = 0; k < 3; ++k) {
    const int c = point.location_coordinates[k];
    loc[k] = point.location_functions[k].value(c >= 0 ? state.q[c] : 0.0);
  }
  return loc;
}

bool point_is_active(const PathPoint& point, const State& state) {
  if (point.kind != PathPointKind::Conditional) return true;
  const double value = state.q[point.coordinate];
  // OpenSim's ConditionalPathPoint widens its range by 1e-5 at each end.
  constexpr double kRangeTolerance = 1e-5;
  return value >= point.range_min - kRangeTolerance && value <= point.range_max + kRangeTolerance;
}

// d position / dq (3 x n, independent-coordinate columns) of a path point at `position` (ground).
void point_jacobian(const Model& model, const State& state, const PathPoint& point, const Vec3& position,
                    Eigen::Matrix<double, 3, Eigen::Dynamic>& J) {
  J.setZero();
  if (point.body != 0) {
    const BodyJacobian& Jb = state.body_jacobian[point.body];
    const Vec3 arm = position - state.X_ground_body[point.body].p;
    for (int col : state.body_columns[point.body]) {
      const Vec3 omega = Jb.col(col).head<3>();
      J.col(col) = Jb.col(col).tail<3>() + omega.cross(arm);
    }
  }
  if (point.kind == PathPointKind::Moving) {
    const Mat3& R = state.X_ground_body[point.body].R;
    for (int k = 0; k < 3; ++k) {
      const int c = point.location_coordinates[k];
      if (c < 0) continue;
      const Coordinate& coord = model.coordinates[c];
      const int col = coord.is_dependent() ? coord.independent : c;
      J.col(col) += point.location_functions[k].derivative(state.q[c]) * state.coupling_slope[c] * R.col(k);
    }
  }
}

// Fill ws.active (active path points in ground) and ws.wraps (active wraps with their poses).
void gather_path(const Model& model, const State& state, const GeometryPath& path, PathWorkspace& ws) {
  ws.active.clear();
  for (std::size_t i = 0; i < path.points.size(); ++i) {
    const PathPoint& point = path.points[i];
    if (!point_is_active(point, state)) continue;
    PathVertex v;
    v.position_ground = state.X_ground_body[point.body].apply(point_location(point, state));
    v.point = static_cast<int>(i);
    ws.active.push_back(v);
  }
  ws.wraps.clear();
  // Inactive wrap objects stay in the list (apply_path_wraps skips them): OpenSim counts every
  // PathWrap when it decides whether a path has a single wrap and how many passes it makes.
  for (const PathWrap& wrap : path.wraps) {
    const WrapObject& object = model.wrap_objects[wrap.wrap_object];
    WrapContext context;
    context.object = &object;
    context.method = wrap.method;
    context.range_begin = wrap.range_begin;
    context.range_end = wrap.range_end;
    context.X_ground_wrap = state.X_ground_body[object.body] * object.X_body_wrap;
    if (object.body != 0 && static_cast<std::size_t>(object.body) < state.body_jacobian.size()) {
      context.body_jacobian = &state.body_jacobian[object.body];
      context.body_origin_ground = state.X_ground_body[object.body].p;
    }
    ws.wraps.push_back(context);
  }
}

// A path without wraps: its vertices are its active points.
double straight_path_length(PathWorkspace& ws) {
  ws.vertices.assign(ws.active.begin(), ws.active.end());
  ws.surface_length_m.assign(ws.vertices.size(), 0.0);
  double length = 0.0;
  for (std::size_t i = 0; i + 1 < ws.vertices.size(); ++i)
    length += (ws.vertices[i + 1].position_ground - ws.vertices[i].position_ground).norm();
  return length;
}

// dL/dq of a path without wraps: each vertex feels the unit-tension pulls of its two segments.
void straight_path_gradient(const Model& model, const State& state, const GeometryPath& path,
                            PathWorkspace& ws, Eigen::Ref<Eigen::VectorXd> dl_dq);

}  // namespace

PathWorkspace::PathWorkspace(const Model& model) {
  std::size_t max_points = 2, max_wraps = 0;
  for (const Muscle& m : model.muscles) {
    max_points = std::max(max_points, m.path.points.size());
    max_wraps = std::max(max_wraps, m.path.wraps.size());
  }
  active.reserve(max_points);
  wraps.reserve(max_wraps);
  vertices.reserve(max_points + 2 * max_wraps + 2);
  surface_length_m.reserve(max_points + 2 * max_wraps + 2);
  loads.reserve(max_points + max_wraps + 2);
  if (max_wraps > 0) {
    const std::size_t insertions = max_wraps * static_cast<std::size_t>(kMaxWrapPasses);
    jacobians.resize(static_cast<int>(max_points + 2 * insertions), model.num_coordinates());
  }
}

double path_length(const Model& model, const State& state, int muscle, PathWorkspace& ws) {
  const GeometryPath& path = model.muscles[muscle].path;
  gather_path(model, state, path, ws);
  if (ws.wraps.empty()) return straight_path_length(ws);
  const double length = apply_path_wraps(ws.active, ws.wraps, ws.vertices, ws.surface_length_m);
  return length;
}

double path_length_and_gradient(const Model& model, const State& state, int muscle, PathWorkspace& ws,
                                Eigen::Ref<Eigen::VectorXd> dl_dq) {
  const GeometryPath& path = model.muscles[muscle].path;
  gather_path(model, state, path, ws);
  if (ws.wraps.empty()) {
    const double length = straight_path_length(ws);
    straight_path_gradient(model, state, path, ws, dl_dq);
    return length;
  }
  ws.jacobians.used = 0;
  for (PathVertex& v : ws.active) {
    v.jacobian = ws.jacobians.allocate();
    point_jacobian(model, state, path.points[v.point], v.position_ground, ws.jacobians.position[v.jacobian]);
  }
  const double length =
      apply_path_wraps(ws.active, ws.wraps, ws.vertices, ws.surface_length_m, &ws.jacobians);
  path_length_derivative(ws.vertices, ws.wraps, ws.jacobians, dl_dq);
  return length;
}

namespace {

void straight_path_gradient(const Model& model, const State& state, const GeometryPath& path,
                            PathWorkspace& ws, Eigen::Ref<Eigen::VectorXd> dl_dq) {
  const std::vector<PathVertex>& v = ws.vertices;
  dl_dq.setZero();
  ws.loads.clear();
  const std::size_t n = v.size();
  for (std::size_t i = 0; i < n; ++i) {
    // Net unit-tension pull on vertex i: towards the previous and the next vertex.
    Vec3 pull = Vec3::Zero();
    if (i > 0) {
      const Vec3 d = v[i].position_ground - v[i - 1].position_ground;
      const double len = d.norm();
      if (len > 0.0) pull += d / len;
    }
    if (i + 1 < n) {
      const Vec3 d = v[i + 1].position_ground - v[i].position_ground;
      const double len = d.norm();
      if (len > 0.0) pull -= d / len;
    }
    if (pull.isZero(0.0)) continue;
    const PathPoint& point = path.points[v[i].point];
    const int body = point.body;
    // A moving path point also moves in its body as its coordinates change.
    if (point.kind == PathPointKind::Moving) {
      const Mat3& R = state.X_ground_body[body].R;
      for (int k = 0; k < 3; ++k) {
        const int c = point.location_coordinates[k];
        if (c < 0) continue;
        const Coordinate& coord = model.coordinates[c];
        const int col = coord.is_dependent() ? coord.independent : c;
        const double slope = point.location_functions[k].derivative(state.q[c]) * state.coupling_slope[c];
        dl_dq[col] += slope * pull.dot(R.col(k));
      }
    }
    if (body == 0) continue;
    const Vec3 r = v[i].position_ground - state.X_ground_body[body].p;
    auto it = std::find_if(ws.loads.begin(), ws.loads.end(), [&](const auto& l) { return l.body == body; });
    if (it == ws.loads.end()) {
      ws.loads.push_back({body, Vec3::Zero(), Vec3::Zero()});
      it = ws.loads.end() - 1;
    }
    it->force += pull;
    it->moment += r.cross(pull);
  }
  for (const auto& load : ws.loads) {
    const BodyJacobian& J = state.body_jacobian[load.body];
    for (int col : state.body_columns[load.body])
      dl_dq[col] += J.col(col).head<3>().dot(load.moment) + J.col(col).tail<3>().dot(load.force);
  }
}

}  // namespace

double moment_arms(const Model& model, const State& state, int muscle, PathWorkspace& ws,
                   Eigen::Ref<Eigen::VectorXd> moment_arm_m) {
  const double length = path_length_and_gradient(model, state, muscle, ws, moment_arm_m);
  moment_arm_m = -moment_arm_m;
  return length;
}

double lengthening_speed(const State& state, const Eigen::Ref<const Eigen::VectorXd>& dl_dq) {
  return dl_dq.dot(state.qdot);
}

}  // namespace glutelab
