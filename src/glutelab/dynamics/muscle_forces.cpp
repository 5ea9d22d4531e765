#include "glutelab/dynamics/muscle_forces.hpp"

namespace glutelab {

void add_muscle_forces(const Model& model, const State& state, int muscle, double tension_n,
                       PathWorkspace& ws, BodyForces& out) {
  if (tension_n == 0.0) return;
  const GeometryPath& path = model.muscles[static_cast<std::size_t>(muscle)].path;
  path_length(model, state, muscle, ws);
  const std::vector<PathVertex>& v = ws.vertices;
  auto body_of = [&](const PathVertex& vertex) {
    if (vertex.point >= 0) return path.points[static_cast<std::size_t>(vertex.point)].body;
    return model
        .wrap_objects[static_cast<std::size_t>(path.wraps[static_cast<std::size_t>(vertex.wrap)].wrap_object)]
        .body;
  };
  for (std::size_t i = 0; i + 1 < v.size(); ++i) {
    // A segment over a wrap surface pulls nothing: both ends are on the wrap object's body.
    if (v[i].point < 0 && v[i + 1].point < 0 && v[i].wrap == v[i + 1].wrap) continue;
    const Vec3 d = v[i + 1].position_ground - v[i].position_ground;
    const double len = d.norm();
    if (!(len > 0.0)) continue;
    const Vec3 pull = tension_n * d / len;
    out.add_force_at_point(body_of(v[i]), pull, v[i].position_ground);
    out.add_force_at_point(body_of(v[i + 1]), -pull, v[i + 1].position_ground);
  }
}

}  // namespace glutelab
