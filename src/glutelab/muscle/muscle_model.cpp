#include "glutelab/muscle/muscle_model.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <numbers>
#include <stdexcept>

namespace glutelab {
namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();

double param(const Muscle& m, const std::string& key, double fallback) {
  const auto it = m.parameters.find(key);
  return it == m.parameters.end() ? fallback : it->second;
}

void require(bool ok, const Muscle& m, const std::string& message) {
  if (!ok) throw std::invalid_argument("muscle '" + m.name + "': " + message);
}

ThelenCurveParameters thelen_from(const Muscle& m) {
  ThelenCurveParameters t;
  t.fmax_tendon_strain = param(m, "FmaxTendonStrain", t.fmax_tendon_strain);
  t.fmax_muscle_strain = param(m, "FmaxMuscleStrain", t.fmax_muscle_strain);
  t.kshape_active = param(m, "KshapeActive", t.kshape_active);
  t.kshape_passive = param(m, "KshapePassive", t.kshape_passive);
  t.af = param(m, "Af", t.af);
  t.flen = param(m, "Flen", t.flen);
  t.fv_linear_extrap_threshold = param(m, "fv_linear_extrap_threshold", t.fv_linear_extrap_threshold);
  require(t.fmax_tendon_strain > 0, m, "FmaxTendonStrain must be greater than zero");
  require(t.fmax_muscle_strain > 0, m, "FmaxMuscleStrain must be greater than zero");
  require(t.kshape_active > 0, m, "KshapeActive must be greater than zero");
  require(t.kshape_passive > 0, m, "KshapePassive must be greater than zero");
  require(t.af > 0, m, "Af must be greater than zero");
  require(t.flen > 1.0, m, "Flen must be greater than 1.0");
  require(t.fv_linear_extrap_threshold > 1.0 / t.flen, m,
          "fv_linear_extrap_threshold must be greater than 1.0/Flen");
  return t;
}

// A curve whose optional properties must all be given or all be absent.
int count_present(const Muscle& m, const std::string& curve, std::initializer_list<const char*> keys) {
  int n = 0;
  for (const char* k : keys) n += m.parameters.count(curve + "/" + k) ? 1 : 0;
  return n;
}

MillardCurves millard_from(const Muscle& m, bool use_damping, bool rigid_tendon, double& minimum_activation) {
  MillardCurves c;
  auto& fal = c.active_force_length_parameters;
  const std::string a = "ActiveForceLengthCurve/";
  fal.min_norm_active_fiber_length =
      param(m, a + "min_norm_active_fiber_length", fal.min_norm_active_fiber_length);
  fal.transition_norm_fiber_length =
      param(m, a + "transition_norm_fiber_length", fal.transition_norm_fiber_length);
  fal.max_norm_active_fiber_length =
      param(m, a + "max_norm_active_fiber_length", fal.max_norm_active_fiber_length);
  fal.shallow_ascending_slope = param(m, a + "shallow_ascending_slope", fal.shallow_ascending_slope);
  fal.minimum_value = param(m, a + "minimum_value", fal.minimum_value);

  auto& fv = c.force_velocity_parameters;
  const std::string v = "ForceVelocityCurve/";
  fv.concentric_slope_at_vmax = param(m, v + "concentric_slope_at_vmax", fv.concentric_slope_at_vmax);
  fv.concentric_slope_near_vmax = param(m, v + "concentric_slope_near_vmax", fv.concentric_slope_near_vmax);
  fv.isometric_slope = param(m, v + "isometric_slope", fv.isometric_slope);
  fv.eccentric_slope_at_vmax = param(m, v + "eccentric_slope_at_vmax", fv.eccentric_slope_at_vmax);
  fv.eccentric_slope_near_vmax = param(m, v + "eccentric_slope_near_vmax", fv.eccentric_slope_near_vmax);
  fv.max_eccentric_velocity_force_multiplier =
      param(m, v + "max_eccentric_velocity_force_multiplier", fv.max_eccentric_velocity_force_multiplier);
  fv.concentric_curviness = param(m, v + "concentric_curviness", fv.concentric_curviness);
  fv.eccentric_curviness = param(m, v + "eccentric_curviness", fv.eccentric_curviness);
  require(fv.concentric_slope_near_vmax >= std::sqrt(kEps), m,
          "ForceVelocityCurve concentric_slope_near_vmax cannot be less than 1.49e-8");
  require(fv.eccentric_slope_near_vmax >= std::sqrt(kEps), m,
          "ForceVelocityCurve eccentric_slope_near_vmax cannot be less than 1.49e-8");

  // The inverse curve (used to start velocity solves) takes the unadjusted shape with end slopes of
  // half the near-vmax slopes, so that it stays invertible.
  c.force_velocity_inverse_parameters = fv;
  c.force_velocity_inverse_parameters.concentric_slope_at_vmax = 0.5 * fv.concentric_slope_near_vmax;
  c.force_velocity_inverse_parameters.eccentric_slope_at_vmax = 0.5 * fv.eccentric_slope_near_vmax;

  // Millard2012EquilibriumMuscle::extendFinalizeFromProperties.
  if (!rigid_tendon && !use_damping) {  // classic Hill model with an elastic tendon
    require(minimum_activation >= 0.01, m,
            "minimum_activation cannot be less than 0.01 with an elastic tendon and no fiber damping");
    fal.minimum_value = std::max(fal.minimum_value, 0.1);
    fv.concentric_slope_at_vmax = std::max(fv.concentric_slope_at_vmax, 0.5 * fv.concentric_slope_near_vmax);
    fv.eccentric_slope_at_vmax = std::max(fv.eccentric_slope_at_vmax, 0.5 * fv.eccentric_slope_near_vmax);
  } else {
    minimum_activation = std::clamp(minimum_activation, 0.0, 1.0);
    fal.minimum_value = std::min(fal.minimum_value, 0.0);
    fv.concentric_slope_at_vmax = std::min(fv.concentric_slope_at_vmax, 0.0);
    fv.eccentric_slope_at_vmax = std::min(fv.eccentric_slope_at_vmax, 0.0);
  }

  const std::string f = "FiberForceLengthCurve/";
  const double e0 = param(m, f + "strain_at_zero_force", 0.0);
  const double e1 = param(m, f + "strain_at_one_norm_force", 0.7);
  const int fiber_optional = count_present(
      m, "FiberForceLengthCurve", {"stiffness_at_low_force", "stiffness_at_one_norm_force", "curviness"});
  require(
      fiber_optional == 0 || fiber_optional == 3, m,
      "FiberForceLengthCurve stiffness_at_low_force, stiffness_at_one_norm_force and curviness must either "
      "all be set or all be empty");
  c.fiber_force_length_parameters = fitted_fiber_force_length(e0, e1);
  if (fiber_optional == 3) {
    c.fiber_force_length_parameters.stiffness_at_low_force = param(m, f + "stiffness_at_low_force", 0.0);
    c.fiber_force_length_parameters.stiffness_at_one_norm_force =
        param(m, f + "stiffness_at_one_norm_force", 0.0);
    c.fiber_force_length_parameters.curviness = param(m, f + "curviness", 0.0);
  }

  const std::string t = "TendonForceLengthCurve/";
  const double et = param(m, t + "strain_at_one_norm_force", 0.049);
  const int tendon_optional = count_present(
      m, "TendonForceLengthCurve", {"stiffness_at_one_norm_force", "norm_force_at_toe_end", "curviness"});
  require(
      tendon_optional == 0 || tendon_optional == 3, m,
      "TendonForceLengthCurve stiffness_at_one_norm_force, norm_force_at_toe_end and curviness must either "
      "all be set or all be empty");
  c.tendon_force_length_parameters = fitted_tendon_force_length(et);
  if (tendon_optional == 3) {
    c.tendon_force_length_parameters.stiffness_at_one_norm_force =
        param(m, t + "stiffness_at_one_norm_force", 0.0);
    c.tendon_force_length_parameters.norm_force_at_toe_end = param(m, t + "norm_force_at_toe_end", 0.0);
    c.tendon_force_length_parameters.curviness = param(m, t + "curviness", 0.0);
  }

  try {
    c.active_force_length = millard_active_force_length_curve(fal);
    c.force_velocity = millard_force_velocity_curve(fv);
    c.force_velocity_inverse = millard_force_velocity_inverse_curve(c.force_velocity_inverse_parameters);
    c.fiber_force_length = millard_fiber_force_length_curve(c.fiber_force_length_parameters);
    c.tendon_force_length = millard_tendon_force_length_curve(c.tendon_force_length_parameters);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("muscle '" + m.name + "': " + e.what());
  }
  return c;
}

DeGrooteCurveParameters degroote_from(const Muscle& m) {
  DeGrooteCurveParameters d;
  d.active_force_width_scale = param(m, "active_force_width_scale", d.active_force_width_scale);
  d.passive_fiber_strain_at_one_norm_force =
      param(m, "passive_fiber_strain_at_one_norm_force", d.passive_fiber_strain_at_one_norm_force);
  d.tendon_strain_at_one_norm_force =
      param(m, "tendon_strain_at_one_norm_force", d.tendon_strain_at_one_norm_force);
  d.ignore_passive_fiber_force = param(m, "ignore_passive_fiber_force", 0.0) != 0.0;
  require(d.active_force_width_scale >= 1.0, m, "active_force_width_scale must be at least 1");
  require(d.passive_fiber_strain_at_one_norm_force > 0, m,
          "passive_fiber_strain_at_one_norm_force must be greater than zero");
  require(d.tendon_strain_at_one_norm_force > 0, m,
          "tendon_strain_at_one_norm_force must be greater than zero");
  return d;
}

/// Multipliers and forces (along the fiber and along the tendon) from the state's activation,
/// normalized fiber length, normalized fiber velocity and pennation.
void apply_forces(const MuscleParameters& p, FiberState& s) {
  const double f0 = p.max_isometric_force_N;
  s.active_force_length_multiplier = active_force_length(p, s.norm_fiber_length).value;
  s.passive_force_length_multiplier = passive_force_length(p, s.norm_fiber_length).value;
  s.force_velocity_multiplier = force_velocity(p, s.norm_fiber_velocity, s.activation).value;
  s.active_fiber_force_N = f0 * s.activation * s.active_force_length_multiplier * s.force_velocity_multiplier;
  s.passive_fiber_force_N =
      f0 * (s.passive_force_length_multiplier + p.fiber_damping * s.norm_fiber_velocity);
  s.fiber_force_N = s.active_fiber_force_N + s.passive_fiber_force_N;
  s.fiber_force_along_tendon_N = s.fiber_force_N * s.cos_pennation;
}

/// Fiber length, pennation and tendon length; `along` is the fiber length along the tendon when the
/// caller knows it with its sign (DeGroote's rigid tendon), else NaN.
void set_fiber_length(const MuscleParameters& p, double fiber_length, double mt_length, FiberState& s,
                      double along = std::numeric_limits<double>::quiet_NaN()) {
  s.fiber_length_m = fiber_length;
  s.norm_fiber_length = fiber_length / p.optimal_fiber_length_m;
  s.pennation_angle_rad = pennation_angle(p, fiber_length);
  if (p.model == MuscleModel::DeGrooteFregly2016) {
    // DeGroote takes the angle from its sine and the cosine from the projection on the tendon.
    if (std::isnan(along)) {
      along = std::sqrt(std::max(0.0, fiber_length * fiber_length - p.fiber_width_m * p.fiber_width_m));
    }
    s.cos_pennation = fiber_length > 0.0 ? along / fiber_length : 1.0;
  } else {
    s.cos_pennation = std::cos(s.pennation_angle_rad);
  }
  s.fiber_length_along_tendon_m = fiber_length * s.cos_pennation;
  s.tendon_length_m = mt_length - s.fiber_length_along_tendon_m;
  s.norm_tendon_length = s.tendon_length_m / p.tendon_slack_length_m;
}

}  // namespace

double clamp_activation(const MuscleParameters& p, double activation) {
  if (p.model == MuscleModel::DeGrooteFregly2016) return activation;
  return std::clamp(activation, p.minimum_activation, 1.0);
}

MuscleParameters muscle_parameters(const Muscle& m) {
  MuscleParameters p;
  p.name = m.name;
  p.model = m.model;
  p.max_isometric_force_N = m.max_isometric_force_N;
  p.optimal_fiber_length_m = m.optimal_fiber_length_m;
  p.tendon_slack_length_m = m.tendon_slack_length_m;
  p.pennation_angle_at_optimal_rad = m.pennation_angle_at_optimal_rad;
  p.max_contraction_velocity = m.max_contraction_velocity;
  p.ignore_tendon_compliance = param(m, "ignore_tendon_compliance", 0.0) != 0.0;
  p.fiber_width_m = p.optimal_fiber_length_m * std::sin(p.pennation_angle_at_optimal_rad);
  require(p.optimal_fiber_length_m > 0, m, "optimal_fiber_length must be greater than zero");
  require(p.tendon_slack_length_m > 0, m, "tendon_slack_length must be greater than zero");
  require(p.max_contraction_velocity > 0, m, "max_contraction_velocity must be greater than zero");

  switch (p.model) {
    case MuscleModel::Thelen2003:
      p.ignore_tendon_compliance = false;
      p.thelen = thelen_from(m);
      p.fiber_damping = 0.0;
      p.minimum_activation = param(m, "minimum_activation", 0.01);
      require(p.minimum_activation >= 0.01, m, "minimum_activation cannot be less than 0.01");
      p.maximum_pennation_angle_rad = param(m, "maximum_pennation_angle", std::acos(0.1));
      break;
    case MuscleModel::Millard2012Equilibrium: {
      double damping = param(m, "fiber_damping", 0.1);
      const bool use_damping = damping >= 0.001;
      if (!use_damping) damping = 0.0;
      require(damping >= 0.0, m, "fiber_damping must be non-negative");
      p.fiber_damping = damping;
      p.minimum_activation = param(m, "minimum_activation", 0.01);
      p.millard = millard_from(m, use_damping, p.ignore_tendon_compliance, p.minimum_activation);
      p.maximum_pennation_angle_rad = param(m, "maximum_pennation_angle", std::acos(0.1));
      break;
    }
    case MuscleModel::DeGrooteFregly2016:
      p.degroote = degroote_from(m);
      p.fiber_damping = param(m, "fiber_damping", 0.0);
      require(p.fiber_damping >= 0.0, m, "fiber_damping must be non-negative");
      p.minimum_activation = 0.0;
      p.maximum_pennation_angle_rad = std::numbers::pi / 2;
      break;
  }
  require(p.maximum_pennation_angle_rad >= 0 && p.maximum_pennation_angle_rad <= std::numbers::pi / 2, m,
          "maximum_pennation_angle must be in [0, pi/2]");

  // MuscleFixedWidthPennationModel::extendFinalizeFromProperties.
  const double significant_real = std::pow(kEps, 0.875);
  if (p.maximum_pennation_angle_rad > significant_real) {
    p.pennation_minimum_fiber_length_m = p.fiber_width_m / std::sin(p.maximum_pennation_angle_rad);
  } else {
    p.pennation_minimum_fiber_length_m = 0.01 * p.optimal_fiber_length_m;
  }
  p.pennation_minimum_fiber_length_along_tendon_m =
      p.pennation_minimum_fiber_length_m * std::cos(p.maximum_pennation_angle_rad);
  switch (p.model) {
    case MuscleModel::Thelen2003:
      p.minimum_fiber_length_m = p.pennation_minimum_fiber_length_m;
      break;
    case MuscleModel::Millard2012Equilibrium:
      p.minimum_fiber_length_m = std::max(
          significant_real, std::max(p.millard.active_force_length_parameters.min_norm_active_fiber_length *
                                         p.optimal_fiber_length_m,
                                     p.pennation_minimum_fiber_length_m));
      break;
    case MuscleModel::DeGrooteFregly2016:
      p.minimum_fiber_length_m = p.fiber_width_m;
      break;
  }
  return p;
}

std::vector<MuscleParameters> muscle_parameters(const Model& model) {
  std::vector<MuscleParameters> out;
  out.reserve(model.muscles.size());
  for (const auto& m : model.muscles) out.push_back(muscle_parameters(m));
  return out;
}

CurvePoint active_force_length(const MuscleParameters& p, double l) {
  switch (p.model) {
    case MuscleModel::Thelen2003:
      return thelen_active_force_length(p.thelen, l);
    case MuscleModel::Millard2012Equilibrium:
      return p.millard.active_force_length.evaluate(l);
    case MuscleModel::DeGrooteFregly2016:
      return degroote_active_force_length(p.degroote, l);
  }
  return {};
}

CurvePoint passive_force_length(const MuscleParameters& p, double l) {
  switch (p.model) {
    case MuscleModel::Thelen2003:
      return thelen_passive_force_length(p.thelen, l);
    case MuscleModel::Millard2012Equilibrium:
      return p.millard.fiber_force_length.evaluate(l);
    case MuscleModel::DeGrooteFregly2016:
      return degroote_passive_force_length(p.degroote, l);
  }
  return {};
}

CurvePoint tendon_force_length(const MuscleParameters& p, double lt) {
  switch (p.model) {
    case MuscleModel::Thelen2003:
      return thelen_tendon_force_length(p.thelen, lt);
    case MuscleModel::Millard2012Equilibrium:
      return p.millard.tendon_force_length.evaluate(lt);
    case MuscleModel::DeGrooteFregly2016:
      return degroote_tendon_force_length(p.degroote, lt);
  }
  return {};
}

CurvePoint force_velocity(const MuscleParameters& p, double v, double activation) {
  switch (p.model) {
    case MuscleModel::Thelen2003:
      return thelen_force_velocity(p.thelen, clamp_activation(p, activation), v);
    case MuscleModel::Millard2012Equilibrium:
      return p.millard.force_velocity.evaluate(v);
    case MuscleModel::DeGrooteFregly2016:
      return degroote_force_velocity(v);
  }
  return {};
}

double force_velocity_inverse(const MuscleParameters& p, double fv, double activation) {
  switch (p.model) {
    case MuscleModel::Thelen2003:
      return thelen_force_velocity_inverse(p.thelen, clamp_activation(p, activation), fv).value;
    case MuscleModel::Millard2012Equilibrium:
      return p.millard.force_velocity_inverse.value(fv);
    case MuscleModel::DeGrooteFregly2016:
      return degroote_force_velocity_inverse(fv);
  }
  return 0.0;
}

double pennation_angle(const MuscleParameters& p, double l) {
  if (p.model == MuscleModel::DeGrooteFregly2016) {
    if (!(l > 0.0)) return p.fiber_width_m > 0.0 ? std::numbers::pi / 2 : 0.0;
    return std::asin(std::min(1.0, p.fiber_width_m / l));
  }
  if (!(p.pennation_angle_at_optimal_rad > kEps)) return 0.0;
  if (!(l > p.pennation_minimum_fiber_length_m)) return p.maximum_pennation_angle_rad;
  const double s = p.fiber_width_m / l;
  return s < std::sin(p.maximum_pennation_angle_rad) ? std::asin(s) : p.maximum_pennation_angle_rad;
}

double fiber_length_from_tendon(const MuscleParameters& p, double l_mt, double l_t) {
  const double along = l_mt - l_t;
  const double h = p.fiber_width_m;
  if (p.model == MuscleModel::DeGrooteFregly2016) return std::sqrt(along * along + h * h);
  if (along >= p.pennation_minimum_fiber_length_along_tendon_m) return std::sqrt(h * h + along * along);
  return p.pennation_minimum_fiber_length_m;
}

double fiber_velocity_from_tendon(double cos_pennation, double mt_speed, double tendon_speed) {
  return (mt_speed - tendon_speed) * cos_pennation;
}

double pennation_angular_velocity(double fiber_length, double fiber_velocity, double pennation) {
  return fiber_length > 0.0 ? -(fiber_velocity / fiber_length) * std::tan(pennation) : 0.0;
}

namespace {

/// Rigid-tendon kinematics shared by rigid_tendon_state and rigid_tendon_passive_force.
FiberState rigid_kinematics(const MuscleParameters& p, double l_mt, double v_mt) {
  FiberState s;
  const double significant_real = std::pow(kEps, 0.875);
  const double vmax = p.optimal_fiber_length_m * p.max_contraction_velocity;
  if (p.model == MuscleModel::DeGrooteFregly2016) {
    // No clamping: l_f = sqrt(l_AT^2 + w^2), cos(alpha) = l_AT / l_f even when l_AT < 0.
    const double along = l_mt - p.tendon_slack_length_m;
    set_fiber_length(p, fiber_length_from_tendon(p, l_mt, p.tendon_slack_length_m), l_mt, s, along);
    s.fiber_velocity_mps = v_mt * s.cos_pennation;
    s.norm_fiber_velocity = s.fiber_velocity_mps / vmax;
    return s;
  }
  const double l =
      std::max(fiber_length_from_tendon(p, l_mt, p.tendon_slack_length_m), p.minimum_fiber_length_m);
  set_fiber_length(p, l, l_mt, s);
  // A rigid tendon shorter than its slack length is buckling: no fiber velocity.
  if (s.tendon_length_m >= p.tendon_slack_length_m - significant_real) {
    s.fiber_velocity_mps = fiber_velocity_from_tendon(s.cos_pennation, v_mt, 0.0);
  }
  s.norm_fiber_velocity = s.fiber_velocity_mps / vmax;
  const double lmin = p.minimum_fiber_length_m;
  if ((l <= lmin && s.norm_fiber_velocity <= 0.0) || l < lmin) {
    s.at_minimum_fiber_length = true;
    s.fiber_velocity_mps = 0.0;
    s.norm_fiber_velocity = 0.0;
  }
  return s;
}

}  // namespace

FiberState rigid_tendon_state(const MuscleParameters& p, double l_mt, double v_mt, double activation) {
  FiberState s = rigid_kinematics(p, l_mt, v_mt);
  s.activation = clamp_activation(p, activation);
  s.tendon_velocity_mps = 0.0;
  apply_forces(p, s);
  if (s.at_minimum_fiber_length) {
    // Millard's clamped fiber generates no force.
    s.force_velocity_multiplier = 1.0;
    s.active_fiber_force_N = s.passive_fiber_force_N = s.fiber_force_N = s.fiber_force_along_tendon_N = 0.0;
  } else if (p.model != MuscleModel::DeGrooteFregly2016 && s.fiber_force_N < 0.0) {
    // No compressive fiber force with a rigid tendon: the damping force saturates.
    s.passive_fiber_force_N = -s.active_fiber_force_N;
    s.fiber_force_N = 0.0;
    s.fiber_force_along_tendon_N = 0.0;
  }
  s.tendon_force_N = s.fiber_force_along_tendon_N;
  return s;
}

FiberState elastic_tendon_state(const MuscleParameters& p, double l_mt, double v_mt, double fiber_length,
                                double norm_fiber_velocity, double activation) {
  FiberState s;
  set_fiber_length(p, fiber_length, l_mt, s);
  s.activation = clamp_activation(p, activation);
  s.norm_fiber_velocity = norm_fiber_velocity;
  s.fiber_velocity_mps = norm_fiber_velocity * p.optimal_fiber_length_m * p.max_contraction_velocity;
  s.tendon_velocity_mps = s.cos_pennation != 0.0 ? v_mt - s.fiber_velocity_mps / s.cos_pennation : v_mt;
  apply_forces(p, s);
  s.tendon_force_N = p.max_isometric_force_N * tendon_force_length(p, s.norm_tendon_length).value;
  s.at_minimum_fiber_length = fiber_length <= p.minimum_fiber_length_m;
  return s;
}

double force_per_activation(const MuscleParameters& p, double l_mt, double v_mt) {
  const double f0 = p.max_isometric_force_N, lopt = p.optimal_fiber_length_m;
  const double vmax = lopt * p.max_contraction_velocity;
  switch (p.model) {
    case MuscleModel::Thelen2003: {
      const double l = fiber_length_from_tendon(p, l_mt, p.tendon_slack_length_m);
      if (!(l > p.pennation_minimum_fiber_length_m)) return 0.0;
      const double cos_phi = std::cos(pennation_angle(p, l));
      const double v = fiber_velocity_from_tendon(cos_phi, v_mt, 0.0);
      const double a = clamp_activation(p, 1.0);
      return f0 * a * thelen_active_force_length(p.thelen, l / lopt).value *
             thelen_force_velocity(p.thelen, a, v / vmax).value * cos_phi;
    }
    case MuscleModel::Millard2012Equilibrium: {
      const double l = fiber_length_from_tendon(p, l_mt, p.tendon_slack_length_m);
      const double v = fiber_velocity_from_tendon(std::cos(pennation_angle(p, l)), v_mt, 0.0);
      if (l <= p.minimum_fiber_length_m) return 0.0;
      const double a = clamp_activation(p, 1.0);
      const double fal = p.millard.active_force_length.value(l / lopt);
      const double fv = p.millard.force_velocity.value(v / vmax);
      // OpenSim evaluates this pennation angle at the normalized fiber length (a unit slip kept here).
      const double phi = pennation_angle(p, l / lopt);
      return f0 * a * fal * fv * std::cos(phi);
    }
    case MuscleModel::DeGrooteFregly2016: {
      FiberState s = rigid_kinematics(p, l_mt, v_mt);
      return f0 * degroote_active_force_length(p.degroote, s.norm_fiber_length).value *
             degroote_force_velocity(s.norm_fiber_velocity).value;
    }
  }
  return 0.0;
}

double rigid_tendon_passive_force(const MuscleParameters& p, double l_mt, double v_mt) {
  const FiberState s = rigid_kinematics(p, l_mt, v_mt);
  if (s.at_minimum_fiber_length) return 0.0;
  const double fpe = passive_force_length(p, s.norm_fiber_length).value;
  return p.max_isometric_force_N * (fpe + p.fiber_damping * s.norm_fiber_velocity) * s.cos_pennation;
}

}  // namespace glutelab
