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
  return value >= point.range_min && value <= point.range_max;
}

int vertex_body(const Model& model, const GeometryPath& path, const PathVertex& v) {
  if (v.point >= 0) return path.points[v.point].body;
  return model.wrap_objects[path.wraps[v.wrap].wrap_object].body;
}

// True when the segment from vertex i to i+1 runs over a wrap surface (both are tangent points of the same wrap).
bool on_surface(const std::vector<PathVertex>& v, std::size_t i) {
  return v[i].point < 0 && v[i + 1].point < 0 && v[i].wrap == v[i + 1].wrap;
}

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
}

double path_length(const Model& model, const State& state, int muscle, PathWorkspace& ws) {
  const GeometryPath& path = model.muscles[muscle].path;
  ws.active.clear();
  for (std::size_t i = 0; i < path.points.size(); ++i) {
    const PathPoint& point = path.points[i];
    if (!point_is_active(point, state)) continue;
    ws.active.push_back({state.X_ground_body[point.body].apply(point_location(point, state)), static_cast<int>(i), -1});
  }
  ws.wraps.clear();
  for (const PathWrap& wrap : path.wraps) {
    const WrapObject& object = model.wrap_objects[wrap.wrap_object];
    if (!object.active) continue;
    ws.wraps.push_back({&object, wrap.method, wrap.range_begin, wrap.range_end,
                        state.X_ground_body[object.body] * object.X_body_wrap});
  }
  if (ws.wraps.empty()) {
    ws.vertices.assign(ws.active.begin(), ws.active.end());
    ws.surface_length_m.assign(ws.vertices.size(), 0.0);
    double length = 0.0;
    for (std::size_t i = 0; i + 1 < ws.vertices.size(); ++i)
      length += (ws.vertices[i + 1].position_ground - ws.vertices[i].position_ground).norm();
    return length;
  }
  // apply_path_wraps reports wrap indices into ws.wraps (active wraps only); map them back to path.wraps.
  const double length = apply_path_wraps(ws.active, ws.wraps, ws.vertices, ws.surface_length_m);
  if (ws.wraps.size() != path.wraps.size()) {
    for (PathVertex& v : ws.vertices) {
      if (v.wrap < 0) continue;
      int seen = -1;
      for (std::size_t k = 0; k < path.wraps.size(); ++k) {
        if (model.wrap_objects[path.wraps[k].wrap_object].active && ++seen == v.wrap) {
          v.wrap = static_cast<int>(k);
          break;
        }
      }
    }
  }
  return length;
}

void path_length_gradient(const Model& model, const State& state, int muscle, PathWorkspace& ws,
                          Eigen::Ref<Eigen::VectorXd> dl_dq) {
  const GeometryPath& path = model.muscles[muscle].path;
  const std::vector<PathVertex>& v = ws.vertices;
  dl_dq.setZero();
  ws.loads.clear();
  const std::size_t n = v.size();
  for (std::size_t i = 0; i < n; ++i) {
    // Net unit-tension pull on vertex i: towards the previous and the next vertex along straight segments.
    Vec3 pull = Vec3::Zero();
    if (i > 0 && !on_surface(v, i - 1)) {
      const Vec3 d = v[i].position_ground - v[i - 1].position_ground;
      const double len = d.norm();
      if (len > 0.0) pull += d / len;
    }
    if (i + 1 < n && !on_surface(v, i)) {
      const Vec3 d = v[i + 1].position_ground - v[i].position_ground;
      const double len = d.norm();
      if (len > 0.0) pull -= d / len;
    }
    if (pull.isZero(0.0)) continue;
    const int body = vertex_body(model, path, v[i]);
    if (body == 0) continue;
    const Vec3 r = v[i].position_ground - state.X_ground_body[body].p;
    auto it = std::find_if(ws.loads.begin(), ws.loads.end(), [&](const auto& l) { return l.body == body; });
    if (it == ws.loads.end()) {
      ws.loads.push_back({body, Vec3::Zero(), Vec3::Zero()});
      it = ws.loads.end() - 1;
    }
    it->force += pull;
    it->moment += r.cross(pull);
    // A moving path point also moves in its body as its coordinates change.
    if (v[i].point >= 0) {
      const PathPoint& point = path.points[v[i].point];
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
    }
  }
  for (const auto& load : ws.loads) {
    const BodyJacobian& J = state.body_jacobian[load.body];
    for (int col : state.body_columns[load.body])
      dl_dq[col] += J.col(col).head<3>().dot(load.moment) + J.col(col).tail<3>().dot(load.force);
  }
}

double moment_arms(const Model& model, const State& state, int muscle, PathWorkspace& ws,
                   Eigen::Ref<Eigen::VectorXd> moment_arm_m) {
  const double length = path_length(model, state, muscle, ws);
  path_length_gradient(model, state, muscle, ws, moment_arm_m);
  moment_arm_m = -moment_arm_m;
  return length;
}

double lengthening_speed(const State& state, const Eigen::Ref<const Eigen::VectorXd>& dl_dq) {
  return dl_dq.dot(state.qdot);
}

}  // namespace glutelab
