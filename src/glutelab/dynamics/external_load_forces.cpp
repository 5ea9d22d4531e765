#include "glutelab/dynamics/external_load_forces.hpp"

#include "glutelab/kinematics/kinematics.hpp"

namespace glutelab {
namespace {

Vec3 columns_at(const ExternalLoads& loads, const std::array<int, 3>& columns, double t_s) {
  return {loads.value(columns[0], t_s), loads.value(columns[1], t_s), loads.value(columns[2], t_s)};
}

}  // namespace

void add_external_loads(const Model& model, const State& state, const ExternalLoads& loads, double t_s,
                        BodyForces& out) {
  for (const ExternalForce& f : loads.forces) {
    const Transform X_ground_force = frame_pose(model, state, f.force_frame);
    if (f.has_force()) {
      const Vec3 force = X_ground_force.R * columns_at(loads, f.force_columns, t_s);
      const Vec3 point =
          f.has_point()
              ? frame_pose(model, state, f.point_frame).apply(columns_at(loads, f.point_columns, t_s))
              : state.X_ground_body[static_cast<std::size_t>(f.applied_body)].p;
      out.add_force_at_point(f.applied_body, force, point);
    }
    if (f.has_torque())
      out.add_torque(f.applied_body, X_ground_force.R * columns_at(loads, f.torque_columns, t_s));
  }
}

}  // namespace glutelab
