// Elastic-tendon muscles in equilibrium: the fiber length at which the tendon force equals the fiber
// force along the tendon, F0 f_T(l_t / l_ts) = F0 (a f_L f_V + f_PE + beta v~) cos(alpha), with
// l_t = l_mt - l_f cos(alpha), for a musculotendon length, lengthening speed and activation (what
// OpenSim's computeInitialFiberEquilibrium / equilibrateMuscles solve for).
#pragma once

#include "glutelab/muscle/muscle_model.hpp"

namespace glutelab {

/// How the fiber velocity (and so f_V and the damping force) is chosen while solving for equilibrium.
enum class EquilibriumVelocity {
  /// Fiber velocity 0, f_V = 1: a static solution. Millard2012EquilibriumMuscle's
  /// computeInitialFiberEquilibrium (computeFiberEquilibrium(s, false)), used by equilibrateMuscles.
  Zero,
  /// The musculotendon speed is shared between fiber and tendon by their stiffnesses,
  /// v_t = K_fAT / (K_fAT + K_t) v_mt (v_t = v_mt when the tendon is slack or the sum vanishes), and
  /// v_f = (v_mt - v_t) cos(alpha): Thelen2003Muscle's initMuscleState and Millard's
  /// computeFiberEquilibrium(s, true). It is the time derivative of the equilibrium condition at
  /// constant activation and f_V. glutelab solves it as a fixed point (f_V consistent with the velocity
  /// at the returned length); OpenSim stops its Newton loop with f_V from the previous iterate.
  StiffnessSharing,
  /// Tendon velocity 0, the fiber takes the whole speed: v_f = v_mt cos(alpha). DeGrooteFregly2016's
  /// computeInitialFiberEquilibrium (normalized tendon force derivative set to 0).
  RigidTendonVelocity,
};

/// The velocity rule of OpenSim's computeInitialFiberEquilibrium for each model: Thelen
/// StiffnessSharing, Millard Zero, DeGroote RigidTendonVelocity.
EquilibriumVelocity opensim_equilibrium_velocity(MuscleModel model);

/// The equilibrium fiber state. The root is bracketed between the model's minimum fiber length and the
/// length at which the tendon is at its slack length, and refined by Newton's method kept inside the
/// bracket; when the residual has several roots, the longest fiber is taken (the root OpenSim's
/// search, started from a tendon strain of 1%, normally reaches), and the velocity iterations then
/// follow that root. If even the minimum fiber length
/// leaves the fiber force above the tendon force, the fiber sits at its minimum length
/// (at_minimum_fiber_length, fiber velocity 0, tendon force from the tendon curve), as OpenSim's
/// "fiber at lower bound" result. The residual reached is below 1e-12 F0 or at rounding level.
/// Ignores MuscleParameters::ignore_tendon_compliance (use rigid_tendon_state for that).
FiberState equilibrium_state(const MuscleParameters& p, double mt_length_m, double mt_speed_mps,
                             double activation, EquilibriumVelocity velocity);

/// Tendon force minus fiber force along the tendon (N) at a fiber length and normalized fiber velocity.
double equilibrium_residual(const MuscleParameters& p, double mt_length_m, double fiber_length_m,
                            double norm_fiber_velocity, double activation);

}  // namespace glutelab
