#include "glutelab/dynamics/actuator_loads.hpp"

namespace glutelab {

void add_actuator_loads(const Model&, const State& state, const Actuator& a, double force, BodyForces& out) {
  if (a.type == ActuatorType::Coordinate || a.body < 0) return;
  const Transform& X = state.X_ground_body[static_cast<std::size_t>(a.body)];
  const Vec3 direction = (a.direction_is_global ? a.direction : Vec3(X.R * a.direction)).normalized();
  if (a.type == ActuatorType::Point) {
    out.add_force_at_point(a.body, force * direction, a.point_is_global ? a.point_m : X.apply(a.point_m));
  } else {
    out.add_torque(a.body, force * direction);
    if (a.body_b >= 0) out.add_torque(a.body_b, -force * direction);
  }
}

}  // namespace glutelab
