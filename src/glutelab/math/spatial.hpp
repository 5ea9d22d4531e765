// Small rigid-body math shared by every module: vectors, rotations and rigid transforms (SI units).
#pragma once

#include <Eigen/Core>
#include <Eigen/Geometry>

namespace glutelab {

using Vec3 = Eigen::Vector3d;
using Mat3 = Eigen::Matrix3d;

/// Rigid transform X_AB: maps coordinates expressed in frame B to frame A (p_A = R * p_B + p).
struct Transform {
  Mat3 R = Mat3::Identity();
  Vec3 p = Vec3::Zero();

  Vec3 apply(const Vec3& x) const { return R * x + p; }
  Transform operator*(const Transform& o) const { return {R * o.R, R * o.p + p}; }
  Transform inverse() const { return {R.transpose(), -(R.transpose() * p)}; }
  static Transform identity() { return {}; }
};

/// Rotation by `angle_rad` about a unit `axis`.
inline Mat3 axis_rotation(const Vec3& axis, double angle_rad) {
  return Eigen::AngleAxisd(angle_rad, axis).toRotationMatrix();
}

/// OpenSim's frame-fixed (body-fixed) x-y-z rotation sequence, used by `orientation` and
/// `xyz_body_rotation` properties: R = Rx(a) * Ry(b) * Rz(c).
inline Mat3 body_fixed_xyz(const Vec3& angles_rad) {
  return (Eigen::AngleAxisd(angles_rad.x(), Vec3::UnitX()) *
          Eigen::AngleAxisd(angles_rad.y(), Vec3::UnitY()) *
          Eigen::AngleAxisd(angles_rad.z(), Vec3::UnitZ()))
      .toRotationMatrix();
}

/// Transform from an OpenSim (translation, orientation) pair expressed in the parent frame.
inline Transform offset_transform(const Vec3& translation_m, const Vec3& orientation_rad) {
  return {body_fixed_xyz(orientation_rad), translation_m};
}

}  // namespace glutelab
