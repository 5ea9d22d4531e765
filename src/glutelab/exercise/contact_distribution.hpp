// Distribution of a required external wrench over contact patches on horizontal planes, so that the
// contact forces reproduce it exactly (force, and moment about the ground origin).
#pragma once

#include <vector>

#include "glutelab/math/spatial.hpp"

namespace glutelab {

/// A contact patch on a horizontal plane.
struct ContactPatch {
  Vec3 centre_m = Vec3::Zero();  ///< reference point (its y is the plane height)
};

/// The load one patch carries: force at a centre of pressure on its plane plus a free vertical torque.
struct ContactLoad {
  double share = 0.0;  ///< fraction of the total force
  Vec3 force_n = Vec3::Zero();
  Vec3 cop_m = Vec3::Zero();
  Vec3 torque_n_m = Vec3::Zero();  ///< along +y (zero when a horizontal couple carries it)
};

/// Splits the wrench (force F, moment M about the ground origin, F_y > 0 required) over `patches`:
/// every patch takes the same fraction w_i of F and of the free torque, the fractions (>= 0, sum 1)
/// are the minimum-norm least-squares weights that put the combined centre of pressure c at
/// sum w_i centre_i, and every patch's CoP is its centre shifted by the same horizontal offset
/// c - sum w_i centre_i. When the loaded patches lie on one plane and are spread apart, the vertical
/// (free) torque is carried instead by a couple of opposite horizontal forces added to the patches
/// (least sum of squares weighted by 1 / w_i: the braking and pushing feet of double support) and the
/// free torques are zero. Hence sum_i cop_i x F_i + torque_i = M exactly. Throws std::invalid_argument
/// when there is no patch or F_y <= 0 (the body would have to be pulled).
std::vector<ContactLoad> distribute_wrench(const std::vector<ContactPatch>& patches, const Vec3& force_n,
                                           const Vec3& moment_n_m);

/// The same for a sequence of frames: the fractions are pulled towards the previous frame's
/// (`previous_shares`, one per patch, 0 for a patch that just touched down) with weight
/// `stickiness_m2` (m^2) instead of fitted afresh, so the load moves between contacts smoothly (a foot
/// that touches down takes load progressively) and the remaining mismatch shifts the centres of pressure
/// within the patches. The wrench is still reproduced exactly.
std::vector<ContactLoad> distribute_wrench_following(const std::vector<ContactPatch>& patches,
                                                     const Vec3& force_n, const Vec3& moment_n_m,
                                                     const std::vector<double>& previous_shares,
                                                     double stickiness_m2);

}  // namespace glutelab
