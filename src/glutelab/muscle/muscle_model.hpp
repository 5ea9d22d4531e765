// Muscle mechanics of OpenSim 4.x's Thelen2003Muscle, Millard2012EquilibriumMuscle and
// DeGrooteFregly2016Muscle: immutable per-muscle parameters built once from a Model (with OpenSim's
// defaults and its finalizeFromProperties adjustments), the curves of each model, the fixed-width
// pennation model, the rigid-tendon fiber state and the force per unit activation that
// StaticOptimization uses. The elastic-tendon equilibrium is in muscle_equilibrium.hpp.
// SI units throughout; fiber velocity is positive when lengthening.
#pragma once

#include <string>
#include <vector>

#include "glutelab/model/model.hpp"
#include "glutelab/muscle/muscle_curves.hpp"

namespace glutelab {

/// Millard2012EquilibriumMuscle's curves as OpenSim uses them. finalizeFromProperties changes two of
/// them by mode: with a rigid tendon or fiber damping the active force-length minimum and the
/// force-velocity end slopes become 0 (if positive); with an elastic, undamped tendon ("classic Hill")
/// the minimum is raised to 0.1 and the end slopes to half the near-vmax slopes. The inverse
/// force-velocity curve always has end slopes of half the near-vmax slopes.
struct MillardCurves {
  ActiveForceLengthCurveParameters active_force_length_parameters;  ///< as adjusted
  ForceVelocityCurveParameters force_velocity_parameters;           ///< as adjusted
  ForceVelocityCurveParameters force_velocity_inverse_parameters;
  FiberForceLengthCurveParameters fiber_force_length_parameters;    ///< optional properties resolved
  TendonForceLengthCurveParameters tendon_force_length_parameters;  ///< optional properties resolved
  SegmentedCurve active_force_length;
  SegmentedCurve force_velocity;
  SegmentedCurve force_velocity_inverse;
  SegmentedCurve fiber_force_length;
  SegmentedCurve tendon_force_length;
};

/// Everything the muscle functions need about one muscle, built once (muscle_parameters).
struct MuscleParameters {
  std::string name;
  MuscleModel model = MuscleModel::Millard2012Equilibrium;
  double max_isometric_force_N = 1000.0;
  double optimal_fiber_length_m = 0.1;
  double tendon_slack_length_m = 0.2;
  double pennation_angle_at_optimal_rad = 0.0;
  double max_contraction_velocity = 10.0;  ///< optimal fiber lengths per second
  /// Muscle::ignore_tendon_compliance (used by Millard and DeGroote; Thelen always has an elastic tendon).
  bool ignore_tendon_compliance = false;
  /// Damping coefficient beta (normalized force per normalized velocity): Millard (0 when below 0.001,
  /// default 0.1) and DeGroote (default 0); always 0 for Thelen.
  double fiber_damping = 0.0;
  /// Activation is clamped to [minimum_activation, 1] (Thelen, Millard; default 0.01). DeGroote does
  /// not clamp (minimum_activation = 0, and no upper clamp).
  double minimum_activation = 0.01;
  /// MuscleFixedWidthPennationModel's maximum_pennation_angle (default acos(0.1)); pi/2 for DeGroote.
  double maximum_pennation_angle_rad = 0.0;

  // Derived.
  double fiber_width_m = 0.0;  ///< parallelogram height l_opt sin(alpha_opt), constant
  /// The pennation model's minimum fiber length: width / sin(max angle) (1% of l_opt if the maximum
  /// angle is 0), and its projection on the tendon.
  double pennation_minimum_fiber_length_m = 0.0;
  double pennation_minimum_fiber_length_along_tendon_m = 0.0;
  /// The model's fiber-length floor: the pennation minimum (Thelen); max of it,
  /// min_norm_active_fiber_length * l_opt and SimTK::SignificantReal (Millard); the fiber width (DeGroote).
  double minimum_fiber_length_m = 0.0;

  ThelenCurveParameters thelen;      ///< used when model == Thelen2003
  MillardCurves millard;             ///< used when model == Millard2012Equilibrium
  DeGrooteCurveParameters degroote;  ///< used when model == DeGrooteFregly2016
};

/// Builds a muscle's parameters from the properties the .osim reader kept (absent ones take OpenSim's
/// defaults). Throws std::invalid_argument for values OpenSim rejects (e.g. Flen <= 1, a curve
/// given only some of its optional properties, curve shapes its factory refuses).
MuscleParameters muscle_parameters(const Muscle& muscle);
/// Parameters of every muscle of a model, in Model::muscles order.
std::vector<MuscleParameters> muscle_parameters(const Model& model);

/// Activation as the model uses it: clamped to [minimum_activation, 1] (Thelen, Millard), as given
/// (DeGroote).
double clamp_activation(const MuscleParameters& p, double activation);

// ---------------------------------------------------------------------------------------------
// Curves of the muscle's own model (value and derivative).
// ---------------------------------------------------------------------------------------------

/// Active force-length multiplier f_L at a normalized fiber length.
CurvePoint active_force_length(const MuscleParameters& p, double norm_fiber_length);
/// Passive (elastic) fiber force multiplier f_PE at a normalized fiber length.
CurvePoint passive_force_length(const MuscleParameters& p, double norm_fiber_length);
/// Normalized tendon force f_T at a normalized tendon length (tendon length / slack length).
CurvePoint tendon_force_length(const MuscleParameters& p, double norm_tendon_length);
/// Force-velocity multiplier f_V at a normalized fiber velocity (Thelen's also depends on activation).
CurvePoint force_velocity(const MuscleParameters& p, double norm_fiber_velocity, double activation = 1.0);
/// Normalized fiber velocity at a force-velocity multiplier: Thelen's calcdlceN, Millard's
/// ForceVelocityInverseCurve (built with end slopes of half the near-vmax slopes, so not exactly the
/// inverse of the f_V curve in use whenever that curve's end slopes differ), DeGroote's closed-form inverse.
double force_velocity_inverse(const MuscleParameters& p, double fv, double activation = 1.0);

// ---------------------------------------------------------------------------------------------
// Fixed-width pennation (MuscleFixedWidthPennationModel): l_f sin(alpha) = width, constant.
// ---------------------------------------------------------------------------------------------

/// Pennation angle of a fiber length: asin(width / l_f), clamped to the maximum angle (and the maximum
/// angle at or below the pennation minimum length); 0 for a muscle without pennation.
double pennation_angle(const MuscleParameters& p, double fiber_length_m);
/// Fiber length for a musculotendon and tendon length: sqrt(width^2 + (l_mt - l_t)^2), or the pennation
/// minimum fiber length when l_mt - l_t falls below its projection (DeGroote: never clamped).
double fiber_length_from_tendon(const MuscleParameters& p, double mt_length_m, double tendon_length_m);
/// Fiber velocity from musculotendon and tendon lengthening speeds: (v_mt - v_t) cos(alpha).
double fiber_velocity_from_tendon(double cos_pennation, double mt_speed_mps, double tendon_speed_mps);
/// Pennation angular velocity -(v_f / l_f) tan(alpha).
double pennation_angular_velocity(double fiber_length_m, double fiber_velocity_mps, double pennation_rad);

// ---------------------------------------------------------------------------------------------
// Fiber state.
// ---------------------------------------------------------------------------------------------

/// Fiber, tendon and force quantities of a muscle at one instant.
struct FiberState {
  double activation = 0.0;  ///< as used (clamped for Thelen and Millard)
  double fiber_length_m = 0.0;
  double norm_fiber_length = 0.0;
  double pennation_angle_rad = 0.0;
  double cos_pennation = 1.0;
  double fiber_length_along_tendon_m = 0.0;
  double tendon_length_m = 0.0;
  double norm_tendon_length = 0.0;
  double fiber_velocity_mps = 0.0;   ///< along the fiber
  double norm_fiber_velocity = 0.0;  ///< fiber velocity / (l_opt v_max)
  double tendon_velocity_mps = 0.0;
  double active_force_length_multiplier = 0.0;   ///< f_L
  double passive_force_length_multiplier = 0.0;  ///< f_PE
  double force_velocity_multiplier = 1.0;        ///< f_V
  double active_fiber_force_N = 0.0;             ///< F0 a f_L f_V, along the fiber
  double passive_fiber_force_N = 0.0;            ///< F0 (f_PE + beta v~), along the fiber (elastic + damping)
  double fiber_force_N = 0.0;                    ///< active + passive
  double fiber_force_along_tendon_N = 0.0;
  double tendon_force_N = 0.0;
  /// The fiber is at its minimum length (the clamp of the model): fiber velocity and forces follow
  /// OpenSim's clamped-state rules.
  bool at_minimum_fiber_length = false;
  bool converged = true;  ///< elastic-tendon equilibrium only
  int iterations = 0;     ///< elastic-tendon equilibrium only: residual evaluations used
};

/// Rigid tendon (tendon length = slack length): fiber length from the pennation model, fiber velocity
/// v_mt cos(alpha), multipliers, forces; tendon force = fiber force along the tendon. Follows
/// Millard2012EquilibriumMuscle with ignore_tendon_compliance for Millard (clamped fiber: velocity and
/// forces 0; total fiber force floored at 0 by saturating the damping force), DeGroote's rigid-tendon
/// helpers for DeGroote (no clamping), and the same rules as Millard for Thelen (which OpenSim only
/// runs with an elastic tendon).
FiberState rigid_tendon_state(const MuscleParameters& p, double mt_length_m, double mt_speed_mps,
                              double activation);

/// Elastic tendon at a given fiber length and normalized fiber velocity (OpenSim's fiber-length state):
/// pennation, tendon length l_mt - l_f cos(alpha), tendon velocity v_mt - v_f / cos(alpha), fiber forces,
/// and tendon force F0 f_T from the tendon curve (equal to the fiber force along the tendon only at
/// equilibrium).
FiberState elastic_tendon_state(const MuscleParameters& p, double mt_length_m, double mt_speed_mps,
                                double fiber_length_m, double norm_fiber_velocity, double activation);

// ---------------------------------------------------------------------------------------------
// What StaticOptimization needs.
// ---------------------------------------------------------------------------------------------

/// Force per unit activation of StaticOptimization with use_muscle_physiology, exactly as OpenSim's
/// calcInextensibleTendonActiveFiberForce(state, 1.0): rigid tendon, active fiber force at activation 1.
///  - Thelen: F0 f_L f_V cos(alpha), f_V from Thelen's f-v at activation 1; 0 at or below the minimum
///    fiber length.
///  - Millard: F0 f_L f_V cos(phi), 0 at or below the minimum fiber length, where OpenSim evaluates the
///    pennation angle phi at the *normalized* fiber length (calcPennationAngle(lceN)); reproduced.
///  - DeGroote: F0 f_L f_V, the active fiber force without the cos(alpha) projection, as OpenSim returns.
double force_per_activation(const MuscleParameters& p, double mt_length_m, double mt_speed_mps);

/// Passive fiber force along the tendon with a rigid tendon, F0 (f_PE + beta v~) cos(alpha) (0 when the
/// fiber is clamped): the term a static optimization that includes passive forces adds to x F̂.
/// OpenSim's StaticOptimization does not include it (the override replaces the whole muscle force).
double rigid_tendon_passive_force(const MuscleParameters& p, double mt_length_m, double mt_speed_mps);

}  // namespace glutelab
