// Forces applied to bodies (gravity excluded): per body a resultant force and its moment about the
// ground origin, both in ground axes. External loads and point actuators are accumulated here.
#pragma once

#include <vector>

#include "glutelab/math/spatial.hpp"
#include "glutelab/model/model.hpp"

namespace glutelab {

struct BodyForces {
  explicit BodyForces(const Model& model)
      : force_n(model.bodies.size(), Vec3::Zero()), moment_n_m(model.bodies.size(), Vec3::Zero()) {}
  std::vector<Vec3> force_n;     ///< resultant force on each body (ground axes)
  std::vector<Vec3> moment_n_m;  ///< its moment about the ground origin (ground axes)

  void clear() {
    for (auto& f : force_n) f.setZero();
    for (auto& m : moment_n_m) m.setZero();
  }
  /// A force acting at a point given in ground.
  void add_force_at_point(int body, const Vec3& force, const Vec3& point_ground) {
    force_n[static_cast<std::size_t>(body)] += force;
    moment_n_m[static_cast<std::size_t>(body)] += point_ground.cross(force);
  }
  /// A pure torque (couple).
  void add_torque(int body, const Vec3& torque) { moment_n_m[static_cast<std::size_t>(body)] += torque; }
};

}  // namespace glutelab
