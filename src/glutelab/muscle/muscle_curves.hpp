// The dimensionless muscle curves of OpenSim 4.x's three muscle models, written from their
// definitions in opensim-core: Thelen2003Muscle (closed-form exponentials and Thelen's eqs. 6-7 with
// linear extrapolation), Millard2012EquilibriumMuscle (quintic Bezier curves of
// SmoothSegmentedFunctionFactory) and DeGrooteFregly2016Muscle (Gaussian sums, asinh, exponentials).
// Lengths are normalized by optimal fiber length (fiber) or tendon slack length (tendon); velocities
// by optimal fiber length x max_contraction_velocity (negative = shortening); forces by
// max_isometric_force. Every function returns the value and its derivative.
#pragma once

#include "glutelab/muscle/bezier_curve.hpp"

namespace glutelab {

// ---------------------------------------------------------------------------------------------
// Thelen2003Muscle
// ---------------------------------------------------------------------------------------------

/// Thelen2003Muscle's curve properties, with OpenSim 4.x defaults.
struct ThelenCurveParameters {
  double fmax_tendon_strain = 0.04;          ///< FmaxTendonStrain: tendon strain at 1 normalized force
  double fmax_muscle_strain = 0.6;           ///< FmaxMuscleStrain: fiber strain at 1 normalized passive force
  double kshape_active = 0.45;               ///< KshapeActive: width of the Gaussian active force-length
  double kshape_passive = 5.0;               ///< KshapePassive: exponential shape of the passive force
  double af = 0.25;                          ///< Af: force-velocity shape factor
  double flen = 1.4;                         ///< Flen: eccentric force asymptote (normalized)
  double fv_linear_extrap_threshold = 0.95;  ///< fraction of Flen beyond which f_V is extrapolated linearly
};

/// Active force-length exp(-(l - 1)^2 / KshapeActive).
CurvePoint thelen_active_force_length(const ThelenCurveParameters& p, double norm_fiber_length);
/// Passive force-length (exp(Kpe (l - 1) / e0) - 1) / (exp(Kpe) - 1) for l > 1, else 0.
CurvePoint thelen_passive_force_length(const ThelenCurveParameters& p, double norm_fiber_length);
/// Tendon force: 0 when slack, exponential toe up to the toe strain, then linear (1 at FmaxTendonStrain).
CurvePoint thelen_tendon_force_length(const ThelenCurveParameters& p, double norm_tendon_length);
/// Normalized fiber velocity from the force-velocity multiplier (Thelen 2003 eqs. 6-7, OpenSim's
/// calcdlceN with a f_L factored out, linear beyond f_V <= 0 and f_V >= threshold * Flen), and d v / d f_V.
CurvePoint thelen_force_velocity_inverse(const ThelenCurveParameters& p, double activation, double fv);
/// The force-velocity multiplier at a normalized fiber velocity: the exact inverse of
/// thelen_force_velocity_inverse (what OpenSim's calcfvInv finds by Newton's method), floored at 0 as
/// calcfvInv does, and d f_V / d v. Depends on activation through (0.25 + 0.75 a).
CurvePoint thelen_force_velocity(const ThelenCurveParameters& p, double activation,
                                 double norm_fiber_velocity);

// ---------------------------------------------------------------------------------------------
// Millard2012EquilibriumMuscle (ActiveForceLengthCurve, ForceVelocityCurve, ForceVelocityInverseCurve,
// FiberForceLengthCurve, TendonForceLengthCurve)
// ---------------------------------------------------------------------------------------------

/// ActiveForceLengthCurve properties with OpenSim's defaults.
struct ActiveForceLengthCurveParameters {
  double min_norm_active_fiber_length = 0.47 - 0.0259;
  double transition_norm_fiber_length = 0.73;
  double max_norm_active_fiber_length = 1.8123;
  double shallow_ascending_slope = 0.8616;
  double minimum_value = 0.1;
};

/// ForceVelocityCurve properties with OpenSim's defaults.
struct ForceVelocityCurveParameters {
  double concentric_slope_at_vmax = 0.0;
  double concentric_slope_near_vmax = 0.25;
  double isometric_slope = 5.0;
  double eccentric_slope_at_vmax = 0.0;
  double eccentric_slope_near_vmax = 0.15;
  double max_eccentric_velocity_force_multiplier = 1.4;
  double concentric_curviness = 0.6;
  double eccentric_curviness = 0.9;
};

/// FiberForceLengthCurve properties as used (the optional ones resolved, see fitted_fiber_force_length).
struct FiberForceLengthCurveParameters {
  double strain_at_zero_force = 0.0;
  double strain_at_one_norm_force = 0.7;
  double stiffness_at_low_force = 0.2;
  double stiffness_at_one_norm_force = 2.0 / 0.7;
  double curviness = 0.75;
};

/// TendonForceLengthCurve properties as used (the optional ones resolved, see fitted_tendon_force_length).
struct TendonForceLengthCurveParameters {
  double strain_at_one_norm_force = 0.049;
  double stiffness_at_one_norm_force = 1.375 / 0.049;
  double norm_force_at_toe_end = 2.0 / 3.0;
  double curviness = 0.5;
};

/// OpenSim's values of the optional fiber properties when none is given: stiffness 2 / (e1 - e0) at
/// one normalized force, 0.2 at low force, curviness 0.75.
FiberForceLengthCurveParameters fitted_fiber_force_length(double strain_at_zero_force,
                                                          double strain_at_one_norm_force);
/// OpenSim's values of the optional tendon properties when none is given: stiffness 1.375 / e0,
/// toe-end force 2/3, curviness 0.5.
TendonForceLengthCurveParameters fitted_tendon_force_length(double strain_at_one_norm_force);

/// The five-segment active force-length curve (createFiberActiveForceLengthCurve, curviness 1).
/// Throws std::invalid_argument on the parameter combinations OpenSim rejects (as all builders below).
SegmentedCurve millard_active_force_length_curve(const ActiveForceLengthCurveParameters& p);
/// The four-segment force-velocity curve through (-1, 0), (0, 1), (1, max multiplier).
SegmentedCurve millard_force_velocity_curve(const ForceVelocityCurveParameters& p);
/// The same Bezier segments with x and y exchanged: normalized velocity from f_V (end slopes 1/slope).
SegmentedCurve millard_force_velocity_inverse_curve(const ForceVelocityCurveParameters& p);
/// The two-segment passive fiber force-length curve: 0 at 1 + e0, 1 at 1 + e1.
SegmentedCurve millard_fiber_force_length_curve(const FiberForceLengthCurveParameters& p);
/// The two-segment tendon force-length curve: 0 at 1, toe up to norm_force_at_toe_end, then linear.
SegmentedCurve millard_tendon_force_length_curve(const TendonForceLengthCurveParameters& p);

// ---------------------------------------------------------------------------------------------
// DeGrooteFregly2016Muscle
// ---------------------------------------------------------------------------------------------

/// DeGrooteFregly2016Muscle's curve properties, with OpenSim's defaults.
struct DeGrooteCurveParameters {
  double active_force_width_scale = 1.0;
  double passive_fiber_strain_at_one_norm_force = 0.6;
  double tendon_strain_at_one_norm_force = 0.049;
  bool ignore_passive_fiber_force = false;
};

/// Sum of three Gaussian-like curves of (l - 1) / width_scale + 1.
CurvePoint degroote_active_force_length(const DeGrooteCurveParameters& p, double norm_fiber_length);
/// Exponential passive force, 0 at normalized length 0.2 and 1 at 1 + strain (negative below 0.2).
CurvePoint degroote_passive_force_length(const DeGrooteCurveParameters& p, double norm_fiber_length);
/// Tendon force 0.2 exp(kT (l - 1)) - 0.2, 1 at 1 + strain (negative when slack).
CurvePoint degroote_tendon_force_length(const DeGrooteCurveParameters& p, double norm_tendon_length);
/// Normalized tendon length from normalized tendon force (the inverse of the tendon curve).
double degroote_tendon_force_length_inverse(const DeGrooteCurveParameters& p, double norm_tendon_force);
/// Force-velocity d1 asinh(d2 v + d3) + d4 through (-1, 0) and (0, 1).
CurvePoint degroote_force_velocity(double norm_fiber_velocity);
/// Normalized fiber velocity from the force-velocity multiplier.
double degroote_force_velocity_inverse(double fv);

}  // namespace glutelab
