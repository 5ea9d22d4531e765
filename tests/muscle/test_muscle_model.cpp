// Muscle mechanics: the curves of Thelen2003, Millard2012 and DeGrooteFregly2016 at the points
// OpenSim defines them through, derivatives against finite differences, continuity, the fixed-width
// pennation identities, the elastic-tendon equilibrium, parameters read from the shared models, and
// the force per unit activation against OpenSim's own static optimization of arm26.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "glutelab/io/motion.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "glutelab/io/storage.hpp"
#include "glutelab/kinematics/kinematics.hpp"
#include "glutelab/muscle/muscle_equilibrium.hpp"
#include "glutelab/muscle/muscle_model.hpp"
#include "glutelab/muscle/muscle_path.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

Model load_shared(const std::string& relative) {
  const auto path = test::shared_data(relative);
  if (!std::filesystem::exists(path)) throw std::runtime_error("missing shared model " + path.string());
  return read_osim(path);
}

/// Largest |derivative - central difference| over samples of [a, b], skipping samples within `h` of a kink.
double worst_slope_error(const std::function<CurvePoint(double)>& f, double a, double b, int n,
                         const std::vector<double>& kinks = {}) {
  const double h = 1e-7;
  double worst = 0.0;
  for (int i = 0; i <= n; ++i) {
    const double x = a + (b - a) * i / n;
    bool near_kink = false;
    for (double k : kinks) near_kink |= std::abs(x - k) < 2 * h;
    if (near_kink) continue;
    const double fd = (f(x + h).value - f(x - h).value) / (2 * h);
    const double scale = std::max(1.0, std::abs(f(x).slope));
    worst = std::max(worst, std::abs(f(x).slope - fd) / scale);
  }
  return worst;
}

/// Largest jump of f between neighbouring samples, relative to what its slope allows there.
double worst_jump(const std::function<CurvePoint(double)>& f, double a, double b, int n) {
  double worst = 0.0;
  CurvePoint prev = f(a);
  const double dx = (b - a) / n;
  for (int i = 1; i <= n; ++i) {
    const CurvePoint cur = f(a + dx * i);
    const double allowed = dx * std::max(std::abs(prev.slope), std::abs(cur.slope)) + 1e-12;
    worst = std::max(worst, std::abs(cur.value - prev.value) / allowed);
    prev = cur;
  }
  return worst;
}

Muscle synthetic_muscle(MuscleModel model, double f0 = 1000.0, double lopt = 0.1, double lts = 0.2,
                        double alpha = 0.3) {
  Muscle m;
  m.name = "synthetic";
  m.model = model;
  m.max_isometric_force_N = f0;
  m.optimal_fiber_length_m = lopt;
  m.tendon_slack_length_m = lts;
  m.pennation_angle_at_optimal_rad = alpha;
  m.max_contraction_velocity = 10.0;
  return m;
}

// ------------------------------------------------------------------------------------------------
// Quintic Bezier corners and the Millard curves

TEST(MuscleCurves, BezierCornerMeetsItsEndPointsAndSlopes) {
  const BezierSegment s = bezier_corner(0.0, 0.0, 0.2, 1.0, 1.0, 3.0, scale_curviness(0.5));
  const SegmentedCurve c(&s, 1, 0.0, 1.0, 0.0, 1.0, 0.2, 3.0);
  EXPECT_NEAR(c.value(0.0), 0.0, 1e-15);
  EXPECT_NEAR(c.value(1.0), 1.0, 1e-15);
  EXPECT_NEAR(c.derivative(0.0, 1), 0.2, 1e-12);
  EXPECT_NEAR(c.derivative(1.0, 1), 3.0, 1e-12);
  // Linear beyond the ends, with the end slopes.
  EXPECT_NEAR(c.value(-0.5), -0.1, 1e-15);
  EXPECT_NEAR(c.value(1.5), 2.5, 1e-15);
  // An S-shaped request is refused, as OpenSim does.
  EXPECT_THROW(bezier_corner(0.0, 0.0, 5.0, 1.0, 1.0, 5.0, 0.5), std::invalid_argument);
}

TEST(MuscleCurves, MillardDefaultCurvesPassThroughTheirDefiningPoints) {
  const ActiveForceLengthCurveParameters fal_p;
  const SegmentedCurve fal = millard_active_force_length_curve(fal_p);
  EXPECT_NEAR(fal.value(1.0), 1.0, 1e-14);
  EXPECT_NEAR(fal.derivative(1.0, 1), 0.0, 1e-12);
  EXPECT_NEAR(fal.value(0.47 - 0.0259), 0.1, 1e-14);
  EXPECT_NEAR(fal.value(1.8123), 0.1, 1e-14);
  EXPECT_NEAR(fal.value(0.2), 0.1, 1e-14);  // flat beyond both ends
  EXPECT_NEAR(fal.value(2.5), 0.1, 1e-14);
  // The shallow ascending limb: its mid point y1s at x1s with the given slope.
  const double xs = 0.95, y1 = 1.0 - 0.8616 * (xs - 0.73);
  EXPECT_NEAR(fal.value(0.73 + 0.5 * (xs - 0.73)), y1 + 0.5 * (1.0 - y1), 1e-14);
  EXPECT_NEAR(fal.derivative(0.73 + 0.5 * (xs - 0.73), 1), 0.8616, 1e-10);
  EXPECT_EQ(fal.segment_count(), 5);

  const ForceVelocityCurveParameters fv_p;
  const SegmentedCurve fv = millard_force_velocity_curve(fv_p);
  EXPECT_NEAR(fv.value(-1.0), 0.0, 1e-15);
  EXPECT_NEAR(fv.value(0.0), 1.0, 1e-14);
  EXPECT_NEAR(fv.derivative(0.0, 1), 5.0, 1e-10);
  EXPECT_NEAR(fv.value(1.0), 1.4, 1e-14);
  EXPECT_NEAR(fv.value(-0.9), 0.5 * 0.25 * 0.1, 1e-14);
  EXPECT_NEAR(fv.derivative(-0.9, 1), 0.25, 1e-10);
  EXPECT_NEAR(fv.value(0.9), 1.4 - 0.5 * 0.15 * 0.1, 1e-14);
  EXPECT_NEAR(fv.derivative(0.9, 1), 0.15, 1e-10);
  EXPECT_NEAR(fv.value(-1.3), 0.0, 1e-15);
  EXPECT_NEAR(fv.value(1.7), 1.4, 1e-15);

  // The inverse curve has the same segments with x and y exchanged: it inverts the f_V curve of the
  // same parameters everywhere (OpenSim builds it with end slopes of half the near slopes, so it differs
  // from the damped model's f_V).
  ForceVelocityCurveParameters inv_p = fv_p;
  inv_p.concentric_slope_at_vmax = 0.125;
  inv_p.eccentric_slope_at_vmax = 0.075;
  const SegmentedCurve fv_inv = millard_force_velocity_inverse_curve(inv_p);
  const SegmentedCurve fv_same = millard_force_velocity_curve(inv_p);
  for (double v = -1.5; v <= 1.5; v += 0.05) EXPECT_NEAR(fv_inv.value(fv_same.value(v)), v, 1e-12) << v;
  EXPECT_NEAR(fv_inv.derivative(1.0, 1), 0.2, 1e-10);
  EXPECT_NEAR(fv_inv.derivative(-0.5, 1), 8.0, 1e-12);  // 1 / 0.125 beyond the concentric end

  const SegmentedCurve fpe = millard_fiber_force_length_curve(fitted_fiber_force_length(0.0, 0.7));
  EXPECT_NEAR(fpe.value(1.0), 0.0, 1e-15);
  EXPECT_NEAR(fpe.value(0.8), 0.0, 1e-15);
  EXPECT_NEAR(fpe.value(1.7), 1.0, 1e-14);
  EXPECT_NEAR(fpe.derivative(1.7, 1), 2.0 / 0.7, 1e-10);
  EXPECT_NEAR(fpe.value(1.8), 1.0 + 0.1 * 2.0 / 0.7, 1e-13);

  const TendonForceLengthCurveParameters fse_p = fitted_tendon_force_length(0.049);
  const SegmentedCurve fse = millard_tendon_force_length_curve(fse_p);
  const double k = 1.375 / 0.049;
  EXPECT_NEAR(fse.value(1.0), 0.0, 1e-15);
  EXPECT_NEAR(fse.value(0.98), 0.0, 1e-15);
  EXPECT_NEAR(fse.value(1.049), 1.0, 1e-13);
  EXPECT_NEAR(fse.derivative(1.049, 1), k, 1e-9);
  const double x_toe = (2.0 / 3.0 - 1.0) / k + 1.049;
  EXPECT_NEAR(fse.value(x_toe), 2.0 / 3.0, 1e-14);
  EXPECT_NEAR(fse.derivative(x_toe, 1), k, 1e-8);
  EXPECT_NEAR(fse.derivative(1.0, 1), 0.0, 1e-12);
}

TEST(MuscleCurves, MillardCurveDerivativesMatchFiniteDifferencesAndAreContinuous) {
  const SegmentedCurve curves[] = {millard_active_force_length_curve({}), millard_force_velocity_curve({}),
                                   millard_fiber_force_length_curve(fitted_fiber_force_length(0.0, 0.7)),
                                   millard_tendon_force_length_curve(fitted_tendon_force_length(0.049))};
  const double ranges[][2] = {{0.2, 2.2}, {-1.3, 1.3}, {0.9, 1.9}, {0.98, 1.08}};
  for (int i = 0; i < 4; ++i) {
    const SegmentedCurve& c = curves[i];
    auto f = [&](double x) { return c.evaluate(x); };
    EXPECT_LT(worst_slope_error(f, ranges[i][0], ranges[i][1], 997), 1e-7) << "curve " << i;
    EXPECT_LT(worst_jump(f, ranges[i][0], ranges[i][1], 20000), 1.01) << "curve " << i;
    // Second derivative against differences of the first (the curves are C2; the third derivative jumps
    // where segments join, so those points are skipped).
    double worst = 0.0;
    for (int k = 0; k <= 200; ++k) {
      const double x = ranges[i][0] + (ranges[i][1] - ranges[i][0]) * k / 200.0, h = 1e-6;
      bool at_joint = std::abs(x - c.x_end()) < 2 * h;
      for (int seg = 0; seg < c.segment_count(); ++seg) at_joint |= std::abs(x - c.segment(seg).x[0]) < 2 * h;
      if (at_joint) continue;
      const double fd = (c.derivative(x + h, 1) - c.derivative(x - h, 1)) / (2 * h);
      worst = std::max(worst, std::abs(c.derivative(x, 2) - fd) / std::max(1.0, std::abs(fd)));
    }
    EXPECT_LT(worst, 1e-4) << "curve " << i;
  }
}

TEST(MuscleCurves, MillardBuildersRejectWhatOpenSimRejects) {
  ActiveForceLengthCurveParameters fal;
  fal.transition_norm_fiber_length = 0.3;  // below min_norm_active_fiber_length
  EXPECT_THROW(millard_active_force_length_curve(fal), std::invalid_argument);
  ForceVelocityCurveParameters fv;
  fv.isometric_slope = 0.9;
  EXPECT_THROW(millard_force_velocity_curve(fv), std::invalid_argument);
  EXPECT_THROW(millard_force_velocity_inverse_curve(ForceVelocityCurveParameters{}), std::invalid_argument);
  FiberForceLengthCurveParameters fpe = fitted_fiber_force_length(0.0, 0.7);
  fpe.stiffness_at_one_norm_force = 1.0;  // below 1 / 0.7
  EXPECT_THROW(millard_fiber_force_length_curve(fpe), std::invalid_argument);
  TendonForceLengthCurveParameters fse = fitted_tendon_force_length(0.049);
  fse.norm_force_at_toe_end = 1.2;
  EXPECT_THROW(millard_tendon_force_length_curve(fse), std::invalid_argument);
}

// ------------------------------------------------------------------------------------------------
// Thelen2003

/// OpenSim's calcfvInv: Newton's method on calcdlceN from f_V = 1, tolerance 1e-6, 100 iterations.
double opensim_thelen_fv(const ThelenCurveParameters& p, double a, double v) {
  double afalfv = a, err = 1.0;  // a f_L f_V with f_L = 1
  for (int it = 0; it < 100 && std::abs(err) >= 1e-6; ++it) {
    const CurvePoint inv = thelen_force_velocity_inverse(p, a, afalfv / a);
    err = inv.value - v;
    const double slope = inv.slope / a;  // d v / d (a f_V)
    if (std::abs(slope) > 1e-14) afalfv -= err / slope;
  }
  return std::max(0.0, afalfv / a);
}

TEST(MuscleCurves, ThelenCurvesPassThroughTheirDefiningPoints) {
  ThelenCurveParameters p;  // OpenSim 4.x defaults: FmaxTendonStrain 0.04, Flen 1.4
  EXPECT_DOUBLE_EQ(thelen_active_force_length(p, 1.0).value, 1.0);
  EXPECT_NEAR(thelen_active_force_length(p, 1.0 + std::sqrt(0.45)).value, std::exp(-1.0), 1e-15);
  EXPECT_EQ(thelen_passive_force_length(p, 1.0).value, 0.0);
  EXPECT_EQ(thelen_passive_force_length(p, 0.7).value, 0.0);
  EXPECT_NEAR(thelen_passive_force_length(p, 1.6).value, 1.0, 1e-15);
  EXPECT_EQ(thelen_tendon_force_length(p, 1.0).value, 0.0);
  EXPECT_NEAR(thelen_tendon_force_length(p, 1.04).value, 1.0, 1e-14);
  // The toe ends at force 0.33, where the exponential and the line meet with the same slope.
  const double e3 = std::exp(3.0), toe = 99.0 * 0.04 * e3 / (166.0 * e3 - 67.0);
  const CurvePoint below = thelen_tendon_force_length(p, 1.0 + toe - 1e-12);
  const CurvePoint above = thelen_tendon_force_length(p, 1.0 + toe + 1e-12);
  EXPECT_NEAR(below.value, 0.33, 1e-10);
  EXPECT_NEAR(above.value, 0.33, 1e-10);
  EXPECT_NEAR(below.slope / above.slope, 1.0, 1e-9);
  // gait2392's older values.
  p.fmax_tendon_strain = 0.033;
  EXPECT_NEAR(thelen_tendon_force_length(p, 1.033).value, 1.0, 1e-14);

  // Force-velocity: 1 isometric, 0 at -(0.25 + 0.75 a), inverse of calcdlceN, OpenSim's Newton result.
  p = ThelenCurveParameters{};
  for (double a : {1.0, 0.5, 0.05}) {
    const double k = 0.25 + 0.75 * a;
    EXPECT_NEAR(thelen_force_velocity(p, a, 0.0).value, 1.0, 1e-15);
    EXPECT_NEAR(thelen_force_velocity(p, a, -k).value, 0.0, 1e-15);
    EXPECT_EQ(thelen_force_velocity(p, a, -1.5 * k).value, 0.0);
    for (double v = -1.2; v <= 1.6; v += 0.01) {
      const double fv = thelen_force_velocity(p, a, v).value;
      if (v > -k) {
        EXPECT_NEAR(thelen_force_velocity_inverse(p, a, fv).value, v, 1e-12) << a << " " << v;
      }
      EXPECT_NEAR(fv, opensim_thelen_fv(p, a, v), 1e-9) << a << " " << v;
    }
  }
  // Eccentric: approaches Flen, linear beyond 0.95 Flen.
  const double v_ecc = thelen_force_velocity_inverse(p, 1.0, 0.95 * 1.4).value;
  EXPECT_NEAR(thelen_force_velocity(p, 1.0, v_ecc).value, 0.95 * 1.4, 1e-13);
  const double s = thelen_force_velocity(p, 1.0, v_ecc + 0.5).slope;
  EXPECT_NEAR(
      thelen_force_velocity(p, 1.0, v_ecc + 1.0).value - thelen_force_velocity(p, 1.0, v_ecc + 0.5).value,
      0.5 * s, 1e-12);
}

TEST(MuscleCurves, ThelenDerivativesMatchFiniteDifferencesAndAreContinuous) {
  ThelenCurveParameters p;
  p.fmax_tendon_strain = 0.033;
  p.kshape_active = 0.5;
  p.kshape_passive = 4.0;
  p.af = 0.3;
  p.flen = 1.8;
  const double e3 = std::exp(3.0), toe = 99.0 * 0.033 * e3 / (166.0 * e3 - 67.0);
  auto fl = [&](double x) { return thelen_active_force_length(p, x); };
  auto fpe = [&](double x) { return thelen_passive_force_length(p, x); };
  auto ft = [&](double x) { return thelen_tendon_force_length(p, x); };
  auto fv = [&](double x) { return thelen_force_velocity(p, 0.7, x); };
  auto fvi = [&](double x) { return thelen_force_velocity_inverse(p, 0.7, x); };
  const double k = 0.25 + 0.75 * 0.7;
  EXPECT_LT(worst_slope_error(fl, 0.2, 2.0, 999), 1e-7);
  EXPECT_LT(worst_slope_error(fpe, 0.5, 2.0, 999, {1.0}), 1e-7);
  EXPECT_LT(worst_slope_error(ft, 0.97, 1.08, 999, {1.0}), 1e-6);
  EXPECT_LT(worst_slope_error(fv, -1.0, 2.0, 999, {-k, 0.0}), 1e-7);
  EXPECT_LT(worst_slope_error(fvi, -0.5, 1.8, 999, {0.0, 1.0}), 1e-7);
  for (auto& f : {std::function<CurvePoint(double)>(fl), std::function<CurvePoint(double)>(fpe)}) {
    EXPECT_LT(worst_jump(f, 0.2, 2.0, 20000), 1.01);
  }
  EXPECT_LT(worst_jump(ft, 0.97, 1.0 + 3 * toe, 20000), 1.01);
  EXPECT_LT(worst_jump(fv, -1.0, 3.0, 40000), 1.01);
}

// ------------------------------------------------------------------------------------------------
// DeGrooteFregly2016

TEST(MuscleCurves, DeGrooteCurvesPassThroughTheirDefiningPoints) {
  DeGrooteCurveParameters p;
  EXPECT_NEAR(degroote_active_force_length(p, 1.0).value, 1.0, 1e-9);
  EXPECT_NEAR(degroote_force_velocity(-1.0).value, 0.0, 1e-14);
  EXPECT_NEAR(degroote_force_velocity(0.0).value, 1.0, 1e-14);
  EXPECT_NEAR(degroote_tendon_force_length(p, 1.0).value, 0.0, 1e-15);
  EXPECT_NEAR(degroote_tendon_force_length(p, 1.049).value, 1.0, 1e-14);
  EXPECT_LT(degroote_tendon_force_length(p, 0.99).value, 0.0);  // negative when slack, as in OpenSim
  EXPECT_NEAR(degroote_passive_force_length(p, 0.2).value, 0.0, 1e-15);
  EXPECT_NEAR(degroote_passive_force_length(p, 1.6).value, 1.0, 1e-14);
  for (double f : {0.1, 0.5, 1.0, 2.0}) {
    EXPECT_NEAR(degroote_tendon_force_length(p, degroote_tendon_force_length_inverse(p, f)).value, f, 1e-13);
  }
  for (double v = -1.0; v <= 1.0; v += 0.05) {
    EXPECT_NEAR(degroote_force_velocity_inverse(degroote_force_velocity(v).value), v, 1e-12);
  }
  // A wider curve keeps its peak and spreads out.
  p.active_force_width_scale = 2.0;
  EXPECT_NEAR(degroote_active_force_length(p, 1.0).value, 1.0, 1e-9);
  DeGrooteCurveParameters narrow;
  EXPECT_NEAR(degroote_active_force_length(p, 1.4).value, degroote_active_force_length(narrow, 1.2).value,
              1e-15);
  p.ignore_passive_fiber_force = true;
  EXPECT_EQ(degroote_passive_force_length(p, 1.5).value, 0.0);

  DeGrooteCurveParameters d;
  auto fl = [&](double x) { return degroote_active_force_length(d, x); };
  auto fpe = [&](double x) { return degroote_passive_force_length(d, x); };
  auto ft = [&](double x) { return degroote_tendon_force_length(d, x); };
  auto fv = [&](double x) { return degroote_force_velocity(x); };
  EXPECT_LT(worst_slope_error(fl, 0.3, 1.8, 999), 1e-7);
  EXPECT_LT(worst_slope_error(fpe, 0.3, 1.8, 999), 1e-7);
  EXPECT_LT(worst_slope_error(ft, 0.98, 1.08, 999), 1e-6);
  EXPECT_LT(worst_slope_error(fv, -1.2, 1.2, 999), 1e-7);
}

// ------------------------------------------------------------------------------------------------
// Parameters, pennation and the rigid tendon

TEST(MuscleModel, ParametersTakeOpenSimDefaultsAndModeAdjustments) {
  Muscle m = synthetic_muscle(MuscleModel::Millard2012Equilibrium);
  MuscleParameters p = muscle_parameters(m);  // elastic tendon, damping 0.1 (the default): damped model
  EXPECT_EQ(p.fiber_damping, 0.1);
  EXPECT_EQ(p.millard.active_force_length_parameters.minimum_value, 0.0);
  EXPECT_EQ(p.millard.force_velocity_parameters.concentric_slope_at_vmax, 0.0);
  EXPECT_EQ(p.millard.force_velocity_inverse_parameters.concentric_slope_at_vmax, 0.125);
  EXPECT_NEAR(p.millard.tendon_force_length_parameters.stiffness_at_one_norm_force, 1.375 / 0.049, 1e-12);
  EXPECT_NEAR(p.millard.fiber_force_length_parameters.stiffness_at_one_norm_force, 2.0 / 0.7, 1e-12);
  EXPECT_NEAR(p.maximum_pennation_angle_rad, std::acos(0.1), 1e-15);
  EXPECT_NEAR(p.fiber_width_m, 0.1 * std::sin(0.3), 1e-15);
  EXPECT_NEAR(p.minimum_fiber_length_m,
              std::max(0.4441 * 0.1, 0.1 * std::sin(0.3) / std::sin(std::acos(0.1))), 1e-15);

  m.parameters["fiber_damping"] = 0.0;  // classic Hill model: minimum 0.1, end slopes half the near slopes
  p = muscle_parameters(m);
  EXPECT_EQ(p.fiber_damping, 0.0);
  EXPECT_EQ(p.millard.active_force_length_parameters.minimum_value, 0.1);
  EXPECT_EQ(p.millard.force_velocity_parameters.concentric_slope_at_vmax, 0.125);
  EXPECT_EQ(p.millard.force_velocity_parameters.eccentric_slope_at_vmax, 0.075);

  m.parameters["FiberForceLengthCurve/curviness"] = 0.5;  // one optional property without the others
  EXPECT_THROW(muscle_parameters(m), std::invalid_argument);

  Muscle t = synthetic_muscle(MuscleModel::Thelen2003);
  p = muscle_parameters(t);
  EXPECT_EQ(p.thelen.fmax_tendon_strain, 0.04);
  EXPECT_EQ(p.thelen.flen, 1.4);
  EXPECT_EQ(p.fiber_damping, 0.0);
  EXPECT_EQ(p.minimum_fiber_length_m, p.pennation_minimum_fiber_length_m);
  t.parameters["Flen"] = 1.0;
  EXPECT_THROW(muscle_parameters(t), std::invalid_argument);

  const MuscleParameters d = muscle_parameters(synthetic_muscle(MuscleModel::DeGrooteFregly2016));
  EXPECT_EQ(d.degroote.tendon_strain_at_one_norm_force, 0.049);
  EXPECT_EQ(d.fiber_damping, 0.0);
  EXPECT_EQ(clamp_activation(d, 1.3), 1.3);
  EXPECT_EQ(clamp_activation(p, 0.0), 0.01);
}

TEST(MuscleModel, FixedWidthPennationIdentitiesHold) {
  for (MuscleModel model :
       {MuscleModel::Thelen2003, MuscleModel::Millard2012Equilibrium, MuscleModel::DeGrooteFregly2016}) {
    Muscle m = synthetic_muscle(model, 800.0, 0.09, 0.25, 0.35);
    m.parameters["ignore_tendon_compliance"] = 1.0;
    const MuscleParameters p = muscle_parameters(m);
    const double h = p.fiber_width_m;
    for (double l_mt = 0.27; l_mt <= 0.42; l_mt += 0.005) {
      const FiberState s = rigid_tendon_state(p, l_mt, 0.3, 0.5);
      if (s.at_minimum_fiber_length) continue;
      EXPECT_NEAR(s.fiber_length_m * std::cos(s.pennation_angle_rad), l_mt - p.tendon_slack_length_m, 1e-15);
      EXPECT_NEAR(s.fiber_length_m * std::sin(s.pennation_angle_rad), h, 1e-15);
      EXPECT_NEAR(s.tendon_length_m, p.tendon_slack_length_m, 1e-15);
      // Fiber velocity v_mt cos(alpha) is the time derivative of the fiber length.
      const double dt = 1e-6;
      const double lp = rigid_tendon_state(p, l_mt + 0.3 * dt, 0.3, 0.5).fiber_length_m;
      const double lm = rigid_tendon_state(p, l_mt - 0.3 * dt, 0.3, 0.5).fiber_length_m;
      EXPECT_NEAR(s.fiber_velocity_mps, (lp - lm) / (2 * dt), 1e-8);
      // The pennation angular velocity is the time derivative of the angle.
      const double ap = pennation_angle(p, lp), am = pennation_angle(p, lm);
      EXPECT_NEAR(pennation_angular_velocity(s.fiber_length_m, s.fiber_velocity_mps, s.pennation_angle_rad),
                  (ap - am) / (2 * dt), 1e-7);
      EXPECT_NEAR(s.tendon_force_N, s.fiber_force_N * std::cos(s.pennation_angle_rad), 1e-10);
    }
  }
  // The pennation model's clamps: the maximum angle at the minimum fiber length, no angle without pennation.
  const MuscleParameters p =
      muscle_parameters(synthetic_muscle(MuscleModel::Thelen2003, 800.0, 0.09, 0.25, 0.35));
  EXPECT_NEAR(pennation_angle(p, p.pennation_minimum_fiber_length_m), std::acos(0.1), 1e-15);
  EXPECT_NEAR(pennation_angle(p, 0.5 * p.pennation_minimum_fiber_length_m), std::acos(0.1), 1e-15);
  EXPECT_NEAR(fiber_length_from_tendon(p, 0.25, 0.25), p.pennation_minimum_fiber_length_m, 1e-15);
  const MuscleParameters flat =
      muscle_parameters(synthetic_muscle(MuscleModel::Thelen2003, 800.0, 0.09, 0.25, 0.0));
  EXPECT_EQ(pennation_angle(flat, 0.05), 0.0);
  EXPECT_NEAR(fiber_length_from_tendon(flat, 0.33, 0.25), 0.08, 1e-15);
}

TEST(MuscleModel, RigidTendonForcesFollowTheCurves) {
  Muscle m = synthetic_muscle(MuscleModel::Millard2012Equilibrium, 1000.0, 0.1, 0.2, 0.2);
  m.parameters["ignore_tendon_compliance"] = 1.0;
  const MuscleParameters p = muscle_parameters(m);
  const double l_mt = 0.2 + std::sqrt(0.11 * 0.11 - p.fiber_width_m * p.fiber_width_m);  // l_f = 1.1 l_opt
  const FiberState s = rigid_tendon_state(p, l_mt, -0.2, 0.6);
  EXPECT_NEAR(s.norm_fiber_length, 1.1, 1e-14);
  const double cos_a = std::sqrt(1.0 - std::pow(p.fiber_width_m / 0.11, 2));
  EXPECT_NEAR(s.norm_fiber_velocity, -0.2 * cos_a / 1.0, 1e-14);
  const double fal = p.millard.active_force_length.value(1.1);
  const double fv = p.millard.force_velocity.value(s.norm_fiber_velocity);
  const double fpe = p.millard.fiber_force_length.value(1.1);
  EXPECT_NEAR(s.active_fiber_force_N, 1000.0 * 0.6 * fal * fv, 1e-10);
  EXPECT_NEAR(s.passive_fiber_force_N, 1000.0 * (fpe + 0.1 * s.norm_fiber_velocity), 1e-10);
  EXPECT_NEAR(s.tendon_force_N, (s.active_fiber_force_N + s.passive_fiber_force_N) * cos_a, 1e-10);
  EXPECT_NEAR(rigid_tendon_passive_force(p, l_mt, -0.2), s.passive_fiber_force_N * cos_a, 1e-10);
  // Shorter than the minimum fiber length: clamped, no force.
  const FiberState c = rigid_tendon_state(p, 0.2 + 0.02, -0.2, 0.6);
  EXPECT_TRUE(c.at_minimum_fiber_length);
  EXPECT_EQ(c.tendon_force_N, 0.0);
  EXPECT_EQ(force_per_activation(p, 0.22, -0.2), 0.0);
  // Fast shortening with low activation: the damping force would pull the fiber into compression.
  const FiberState f = rigid_tendon_state(p, 0.2 + 0.095, -8.0, 0.01);
  EXPECT_EQ(f.fiber_force_N, 0.0);
  EXPECT_EQ(f.tendon_force_N, 0.0);
}

TEST(MuscleModel, ForcePerActivationIsOpenSimsInextensibleTendonActiveForce) {
  // Thelen: F0 f_L f_V cos(alpha) with f_V from Thelen's curve at activation 1.
  Muscle t = synthetic_muscle(MuscleModel::Thelen2003, 600.0, 0.12, 0.3, 0.25);
  t.parameters["Af"] = 0.3;
  t.parameters["Flen"] = 1.8;
  t.parameters["KshapeActive"] = 0.5;
  const MuscleParameters p = muscle_parameters(t);
  for (double l_mt : {0.38, 0.41, 0.44}) {
    for (double v_mt : {-0.6, 0.0, 0.4}) {
      const double l = std::sqrt(p.fiber_width_m * p.fiber_width_m + std::pow(l_mt - 0.3, 2));
      const double cos_a = (l_mt - 0.3) / l;
      const double expected = 600.0 * std::exp(-std::pow(l / 0.12 - 1.0, 2) / 0.5) *
                              opensim_thelen_fv(p.thelen, 1.0, v_mt * cos_a / 1.2) * cos_a;
      EXPECT_NEAR(force_per_activation(p, l_mt, v_mt), expected, 1e-8);
      EXPECT_NEAR(force_per_activation(p, l_mt, v_mt),
                  rigid_tendon_state(p, l_mt, v_mt, 1.0).active_fiber_force_N * cos_a, 1e-9);
    }
  }
  // Millard: the pennation angle of the projection is taken at the normalized fiber length (OpenSim).
  Muscle m = synthetic_muscle(MuscleModel::Millard2012Equilibrium, 1000.0, 0.1, 0.2, 0.4);
  const MuscleParameters mp = muscle_parameters(m);
  const double l_mt = 0.29, l = std::sqrt(mp.fiber_width_m * mp.fiber_width_m + 0.09 * 0.09);
  const double phi_opensim = std::asin(mp.fiber_width_m / (l / 0.1));
  const double expected = 1000.0 * mp.millard.active_force_length.value(l / 0.1) *
                          mp.millard.force_velocity.value(0.1 * (0.09 / l) / 1.0) * std::cos(phi_opensim);
  EXPECT_NEAR(force_per_activation(mp, l_mt, 0.1), expected, 1e-9);
  // DeGroote: the active fiber force, without the projection on the tendon.
  const MuscleParameters dp =
      muscle_parameters(synthetic_muscle(MuscleModel::DeGrooteFregly2016, 1000.0, 0.1, 0.2, 0.4));
  const FiberState ds = rigid_tendon_state(dp, l_mt, 0.1, 1.0);
  EXPECT_NEAR(force_per_activation(dp, l_mt, 0.1), ds.active_fiber_force_N, 1e-10);
  EXPECT_GT(ds.active_fiber_force_N, ds.active_fiber_force_N * ds.cos_pennation);
}

// ------------------------------------------------------------------------------------------------
// Elastic tendon equilibrium

std::vector<MuscleParameters> equilibrium_cases() {
  std::vector<MuscleParameters> out;
  Muscle t = synthetic_muscle(MuscleModel::Thelen2003, 600.0, 0.1, 0.25, 0.2);
  t.parameters["FmaxTendonStrain"] = 0.033;
  t.parameters["Flen"] = 1.8;
  t.parameters["Af"] = 0.3;
  out.push_back(muscle_parameters(t));
  out.push_back(
      muscle_parameters(synthetic_muscle(MuscleModel::Millard2012Equilibrium, 1000.0, 0.1, 0.25, 0.2)));
  Muscle undamped = synthetic_muscle(MuscleModel::Millard2012Equilibrium, 1000.0, 0.08, 0.3, 0.0);
  undamped.parameters["fiber_damping"] = 0.0;
  out.push_back(muscle_parameters(undamped));
  out.push_back(
      muscle_parameters(synthetic_muscle(MuscleModel::DeGrooteFregly2016, 1500.0, 0.09, 0.25, 0.1)));
  return out;
}

TEST(MuscleEquilibrium, SolutionSatisfiesTheEquilibriumEquation) {
  for (const MuscleParameters& p : equilibrium_cases()) {
    const double lopt = p.optimal_fiber_length_m, lts = p.tendon_slack_length_m;
    int solved = 0;
    for (double a : {0.01, 0.2, 1.0}) {
      for (double x = 0.5; x <= 1.7; x += 0.05) {
        const double l_mt = lts * 1.01 + x * lopt;
        for (EquilibriumVelocity rule : {EquilibriumVelocity::Zero, EquilibriumVelocity::StiffnessSharing,
                                         EquilibriumVelocity::RigidTendonVelocity}) {
          const double v_mt = rule == EquilibriumVelocity::Zero ? 0.0 : 0.3;
          const FiberState s = equilibrium_state(p, l_mt, v_mt, a, rule);
          ASSERT_TRUE(s.converged) << p.name << " " << a << " " << x;
          if (s.at_minimum_fiber_length) continue;
          ++solved;
          EXPECT_LT(std::abs(s.tendon_force_N - s.fiber_force_along_tendon_N), 1e-9 * p.max_isometric_force_N)
              << static_cast<int>(p.model) << " a " << a << " l_mt " << l_mt;
          EXPECT_NEAR(s.tendon_length_m + s.fiber_length_m * s.cos_pennation, l_mt, 1e-15);
          EXPECT_NEAR(equilibrium_residual(p, l_mt, s.fiber_length_m, s.norm_fiber_velocity, a), 0.0,
                      1e-9 * p.max_isometric_force_N);
          if (rule == EquilibriumVelocity::RigidTendonVelocity) {
            EXPECT_NEAR(s.fiber_velocity_mps, v_mt * s.cos_pennation, 1e-12);
          }
        }
      }
    }
    EXPECT_GT(solved, 150) << static_cast<int>(p.model);
  }
}

TEST(MuscleEquilibrium, SolutionIsContinuousInLength) {
  // Sweep the musculotendon length in small steps: a jump in the solution would show as one step of
  // the fiber length much larger than its neighbours. (The fiber can move faster than the whole muscle
  // where its stiffness along the tendon is negative, so no fixed bound applies.)
  for (const MuscleParameters& p : equilibrium_cases()) {
    const double lopt = p.optimal_fiber_length_m, lts = p.tendon_slack_length_m;
    for (double a : {0.05, 0.5, 1.0}) {
      const double step = 1e-4 * lopt;
      std::vector<double> fiber;
      for (double l_mt = lts + 0.6 * lopt; l_mt < lts + 1.6 * lopt; l_mt += step) {
        fiber.push_back(equilibrium_state(p, l_mt, 0.0, a, EquilibriumVelocity::Zero).fiber_length_m);
      }
      double worst = 0.0, largest = 0.0;
      for (std::size_t i = 1; i + 2 < fiber.size(); ++i) {
        const double d0 = std::abs(fiber[i] - fiber[i - 1]), d1 = std::abs(fiber[i + 1] - fiber[i]);
        const double d2 = std::abs(fiber[i + 2] - fiber[i + 1]);
        worst = std::max(worst, d1 / std::max({d0, d2, 1e-13}));
        largest = std::max(largest, d1 / step);
      }
      EXPECT_LT(worst, 1.5) << static_cast<int>(p.model) << " a " << a;
      EXPECT_LT(largest, 3.0) << static_cast<int>(p.model) << " a " << a;
    }
  }
}

TEST(MuscleEquilibrium, StiffnessSharingIsTheDerivativeOfTheStaticEquilibrium) {
  // With a slow speed (f_V ~ 1), the shared fiber velocity equals d l_f / d l_mt of the static
  // equilibrium times the speed.
  for (const MuscleParameters& p : equilibrium_cases()) {
    const double lopt = p.optimal_fiber_length_m, lts = p.tendon_slack_length_m;
    for (double x : {0.9, 1.1, 1.3}) {
      const double l_mt = lts * 1.02 + x * lopt, v_mt = 1e-7, h = 1e-6;
      const FiberState s = equilibrium_state(p, l_mt, v_mt, 0.7, EquilibriumVelocity::StiffnessSharing);
      if (s.at_minimum_fiber_length) continue;
      const double lp = equilibrium_state(p, l_mt + h, 0.0, 0.7, EquilibriumVelocity::Zero).fiber_length_m;
      const double lm = equilibrium_state(p, l_mt - h, 0.0, 0.7, EquilibriumVelocity::Zero).fiber_length_m;
      EXPECT_NEAR(s.fiber_velocity_mps / v_mt, (lp - lm) / (2 * h), 2e-5)
          << static_cast<int>(p.model) << " " << x;
    }
    // A real speed: the velocity used for f_V is the one the sharing rule gives at the solution.
    const double l_mt = lts * 1.02 + 1.0 * lopt;
    const FiberState s = equilibrium_state(p, l_mt, -0.4, 0.5, EquilibriumVelocity::StiffnessSharing);
    ASSERT_TRUE(s.converged);
    EXPECT_LT(s.fiber_velocity_mps, 0.0);
    EXPECT_GT(s.fiber_velocity_mps, -0.4);
    EXPECT_NEAR(s.force_velocity_multiplier, force_velocity(p, s.norm_fiber_velocity, 0.5).value, 1e-15);
  }
}

TEST(MuscleEquilibrium, StiffTendonApproachesTheRigidTendonAndSlackMusclesClamp) {
  Muscle m = synthetic_muscle(MuscleModel::Millard2012Equilibrium, 1000.0, 0.1, 0.25, 0.2);
  m.parameters["TendonForceLengthCurve/strain_at_one_norm_force"] = 1e-5;
  const MuscleParameters p = muscle_parameters(m);
  const double l_mt = 0.25 + 0.1;
  const FiberState e = equilibrium_state(p, l_mt, 0.0, 1.0, EquilibriumVelocity::Zero);
  const FiberState r = rigid_tendon_state(p, l_mt, 0.0, 1.0);
  EXPECT_NEAR(e.fiber_length_m, r.fiber_length_m, 5e-6);  // the tendon stretches 2.5 um at F0
  // A musculotendon shorter than its slack tendon plus the shortest fiber: the fiber sits at its minimum.
  const FiberState c = equilibrium_state(p, 0.25, 0.0, 1.0, EquilibriumVelocity::Zero);
  EXPECT_TRUE(c.at_minimum_fiber_length);
  EXPECT_EQ(c.fiber_length_m, p.minimum_fiber_length_m);
  EXPECT_EQ(c.tendon_force_N, 0.0);
  EXPECT_EQ(opensim_equilibrium_velocity(MuscleModel::Thelen2003), EquilibriumVelocity::StiffnessSharing);
  EXPECT_EQ(opensim_equilibrium_velocity(MuscleModel::Millard2012Equilibrium), EquilibriumVelocity::Zero);
}

// ------------------------------------------------------------------------------------------------
// Shared models

/// Musculotendon lengths of every muscle at the model's default pose.
std::vector<double> default_lengths(const Model& model) {
  State s(model);
  PathWorkspace ws(model);
  set_default_coordinates(model, s);
  compute_positions(model, s);
  std::vector<double> out;
  for (std::size_t m = 0; m < model.muscles.size(); ++m)
    out.push_back(path_length(model, s, static_cast<int>(m), ws));
  return out;
}

TEST(MuscleModelSharedModels, Gait2392ThelenParametersAndDefaultPose) {
  const Model model = load_shared("opensim-models/Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim");
  const std::vector<MuscleParameters> params = muscle_parameters(model);
  ASSERT_EQ(params.size(), 92u);
  const MuscleParameters& g = params[static_cast<std::size_t>(model.muscle_index("glut_max1_r"))];
  EXPECT_EQ(g.model, MuscleModel::Thelen2003);
  EXPECT_EQ(g.max_isometric_force_N, 573.0);
  EXPECT_EQ(g.thelen.fmax_tendon_strain, 0.033);
  EXPECT_EQ(g.thelen.kshape_active, 0.5);
  EXPECT_EQ(g.thelen.kshape_passive, 4.0);
  EXPECT_EQ(g.thelen.af, 0.3);
  EXPECT_EQ(g.thelen.flen, 1.8);
  EXPECT_EQ(g.thelen.fv_linear_extrap_threshold, 0.95);  // absent: 4.x default
  const std::vector<double> lengths = default_lengths(model);
  int sensible = 0;
  for (std::size_t i = 0; i < params.size(); ++i) {
    const MuscleParameters& p = params[i];
    const FiberState r = rigid_tendon_state(p, lengths[i], 0.0, 1.0);
    const FiberState e = equilibrium_state(p, lengths[i], 0.0, 1.0, EquilibriumVelocity::Zero);
    ASSERT_TRUE(e.converged) << p.name;
    // Standing: fibers near their optimal length, the elastic fiber a little shorter than the rigid one.
    if (r.norm_fiber_length > 0.5 && r.norm_fiber_length < 1.5) ++sensible;
    EXPECT_LE(e.fiber_length_m, r.fiber_length_m + 1e-12) << p.name;
    const double f = force_per_activation(p, lengths[i], 0.0);
    EXPECT_GE(f, 0.0);
    EXPECT_LE(f, p.max_isometric_force_N) << p.name;
  }
  EXPECT_GT(sensible, 80);
}

TEST(MuscleModelSharedModels, RajagopalMillardParametersAndDefaultPose) {
  const Model model = load_shared("opensim-models/Models/Rajagopal/Rajagopal2016.osim");
  const std::vector<MuscleParameters> params = muscle_parameters(model);
  ASSERT_EQ(params.size(), 80u);
  const MuscleParameters& g = params[static_cast<std::size_t>(model.muscle_index("glmax1_r"))];
  EXPECT_EQ(g.model, MuscleModel::Millard2012Equilibrium);
  EXPECT_NEAR(g.max_isometric_force_N, 983.78360655737799, 1e-12);
  EXPECT_NEAR(g.optimal_fiber_length_m, 0.147, 1e-15);
  EXPECT_TRUE(g.ignore_tendon_compliance);
  EXPECT_NEAR(g.fiber_damping, 0.1, 1e-15);
  EXPECT_EQ(g.millard.active_force_length_parameters.min_norm_active_fiber_length, 0.25);
  EXPECT_NEAR(g.millard.active_force_length_parameters.transition_norm_fiber_length, 0.77, 1e-15);
  EXPECT_NEAR(g.millard.active_force_length_parameters.max_norm_active_fiber_length, 1.9, 1e-15);
  EXPECT_EQ(g.millard.active_force_length_parameters.shallow_ascending_slope, 0.75);
  EXPECT_EQ(g.millard.active_force_length_parameters.minimum_value, 0.0);
  EXPECT_EQ(g.millard.force_velocity_parameters.concentric_curviness, 0.6);  // absent: default
  EXPECT_NEAR(g.millard.tendon_force_length_parameters.strain_at_one_norm_force, 0.049, 1e-15);
  // The larger of 0.25 l_opt and the pennation model's width / sin(acos(0.1)).
  EXPECT_NEAR(g.minimum_fiber_length_m,
              std::max(0.25 * 0.147, 0.147 * std::sin(0.35401178) / std::sqrt(0.99)), 1e-15);
  EXPECT_NEAR(g.millard.active_force_length.value(1.0), 1.0, 1e-14);
  EXPECT_NEAR(g.millard.active_force_length.value(0.25), 0.0, 1e-15);
  const std::vector<double> lengths = default_lengths(model);
  int sensible = 0;
  for (std::size_t i = 0; i < params.size(); ++i) {
    const MuscleParameters& p = params[i];
    const FiberState r = rigid_tendon_state(p, lengths[i], 0.0, 1.0);
    if (r.norm_fiber_length > 0.5 && r.norm_fiber_length < 1.5) ++sensible;
    const double f = force_per_activation(p, lengths[i], 0.0);
    EXPECT_GE(f, 0.0);
    EXPECT_LE(f, p.max_isometric_force_N) << p.name;
  }
  EXPECT_GT(sensible, static_cast<int>(params.size()) * 8 / 10);
}

TEST(MuscleModelSharedModels, EverySharedModelBuildsItsParameters) {
  const char* files[] = {
      "opensim-models/Models/Arm26/arm26.osim",
      "opensim-models/Models/Leg6Dof9Musc/leg6dof9musc.osim",
      "opensim-models/Models/Gait10dof18musc/gait10dof18musc.osim",
      "opensim-models/Models/Gait2392_Simbody/gait2392_millard2012muscle.osim",
      "opensim-models/Models/Rajagopal/RajagopalLaiUhlrich2023.osim",
      "opensim-models/Pipelines/Hamner/FullBodyModel_Hamner2010_v2_0.osim",
      "opensim-models/Tutorials/Estimating_Joint_Reaction_Loads/subject01_simbody_adjusted_StaticOp.osim"};
  for (const char* file : files) {
    const Model model = load_shared(file);
    const std::vector<MuscleParameters> params = muscle_parameters(model);
    ASSERT_EQ(params.size(), model.muscles.size()) << file;
    const std::vector<double> lengths = default_lengths(model);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const double f = force_per_activation(params[i], lengths[i], 0.0);
      EXPECT_TRUE(f >= 0.0 && f <= params[i].max_isometric_force_N) << file << " " << params[i].name;
      const FiberState e = equilibrium_state(params[i], lengths[i], 0.0, 0.5, EquilibriumVelocity::Zero);
      EXPECT_TRUE(e.converged) << file << " " << params[i].name;
      if (!e.at_minimum_fiber_length) {
        EXPECT_LT(std::abs(e.tendon_force_N - e.fiber_force_along_tendon_N),
                  1e-9 * params[i].max_isometric_force_N)
            << file << " " << params[i].name;
      }
    }
  }
}

TEST(MuscleModelSharedModels, DeGrooteMuscleReadFromADocument) {
  const std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<OpenSimDocument Version=\"40000\"><Model name=\"dg\">"
      "<Ground name=\"ground\" /><BodySet name=\"bodyset\"><objects><Body name=\"a\"><mass>1</mass>"
      "<mass_center>0 0 0</mass_center><inertia>0.1 0.1 0.1 0 0 0</inertia></Body></objects></BodySet>"
      "<JointSet name=\"jointset\"><objects><SliderJoint name=\"slide\"><socket_parent_frame>ground_offset"
      "</socket_parent_frame><socket_child_frame>a_offset</socket_child_frame><coordinates><Coordinate "
      "name=\"x\"><range>-1 1</range></Coordinate></coordinates><frames><PhysicalOffsetFrame "
      "name=\"ground_offset\"><socket_parent>/ground</socket_parent></"
      "PhysicalOffsetFrame><PhysicalOffsetFrame "
      "name=\"a_offset\"><socket_parent>/bodyset/a</socket_parent></PhysicalOffsetFrame></frames></"
      "SliderJoint>"
      "</objects></JointSet><ForceSet name=\"forceset\"><objects><DeGrooteFregly2016Muscle name=\"dg\">"
      "<GeometryPath><PathPointSet><objects><PathPoint name=\"p1\"><socket_parent_frame>/ground"
      "</socket_parent_frame><location>-0.35 0 0</location></PathPoint><PathPoint name=\"p2\">"
      "<socket_parent_frame>/bodyset/a</socket_parent_frame><location>0 0 0</location></PathPoint></objects>"
      "</PathPointSet></GeometryPath><max_isometric_force>1500</"
      "max_isometric_force><optimal_fiber_length>0.09"
      "</optimal_fiber_length><tendon_slack_length>0.25</tendon_slack_length><pennation_angle_at_optimal>0.1"
      "</pennation_angle_at_optimal><ignore_tendon_compliance>true</ignore_tendon_compliance>"
      "<fiber_damping>0.01</fiber_damping><active_force_width_scale>1.5</active_force_width_scale>"
      "<passive_fiber_strain_at_one_norm_force>0.5</passive_fiber_strain_at_one_norm_force>"
      "</DeGrooteFregly2016Muscle></objects></ForceSet></Model></OpenSimDocument>\n";
  const Model model = read_osim_string(xml, "degroote.osim");
  const MuscleParameters p = muscle_parameters(model).at(0);
  EXPECT_EQ(p.model, MuscleModel::DeGrooteFregly2016);
  EXPECT_TRUE(p.ignore_tendon_compliance);
  EXPECT_EQ(p.fiber_damping, 0.01);
  EXPECT_EQ(p.degroote.active_force_width_scale, 1.5);
  EXPECT_EQ(p.degroote.passive_fiber_strain_at_one_norm_force, 0.5);
  EXPECT_EQ(p.degroote.tendon_strain_at_one_norm_force, 0.049);
  const double l_mt = default_lengths(model).at(0);
  EXPECT_NEAR(l_mt, 0.35, 1e-15);
  const FiberState s = rigid_tendon_state(p, l_mt, 0.0, 1.0);
  EXPECT_NEAR(s.fiber_length_m, std::sqrt(0.1 * 0.1 + std::pow(0.09 * std::sin(0.1), 2)), 1e-15);
  EXPECT_NEAR(s.passive_force_length_multiplier,
              degroote_passive_force_length(p.degroote, s.norm_fiber_length).value, 1e-15);
}

// ------------------------------------------------------------------------------------------------
// The only shared OpenSim output with muscle forces at known states: the arm26 static optimization of
// Tutorials/Computed_Muscle_Control (Thelen muscles, use_muscle_physiology), where force / activation
// is the force per unit activation of each frame. Its setup file is an OpenSim 2.3 document
// (Version 20302) and the results predate the 3.x/4.x Thelen2003Muscle: they match neither 4.x's
// rigid-tendon F0 f_L f_V cos(alpha) nor an elastic-tendon isometric force exactly (the reference lies
// between the static and the stiffness-shared equilibrium tendon forces at activation 1). So this is a
// bound on gross errors (units, curve shapes, speeds), not a validation of the 4.x formula, which the
// tests above check term by term against opensim-core's code.

TEST(MuscleModelOpenSim, Arm26StaticOptimizationOfOpenSim2IsWithinItsModellingDifferences) {
  const std::string dir = "opensim-models/Tutorials/Computed_Muscle_Control/OutputReference/";
  const Model model = load_shared(dir + "arm26.osim");
  const std::vector<MuscleParameters> params = muscle_parameters(model);
  const Motion motion =
      read_motion(model, test::shared_data(dir + "InverseKinematics/arm26_InverseKinematics.mot"));
  const TimeTable force = read_storage(
      test::shared_data(dir + "StaticOptimization/PhysiologicalResults/arm26_StaticOptimization_force.sto"));
  const TimeTable activation = read_storage(test::shared_data(
      dir + "StaticOptimization/PhysiologicalResults/arm26_StaticOptimization_activation.sto"));
  ASSERT_EQ(force.rows(), motion.frames());
  State s(model);
  PathWorkspace ws(model);
  Eigen::VectorXd dl_dq(model.num_coordinates());
  double worst = 0.0, sum = 0.0;
  int compared = 0;
  std::string worst_at;
  for (int f = 2; f + 2 < motion.frames(); ++f) {
    // Speeds by central differences of the (unfiltered) IK coordinates; OpenSim low-passes at 6 Hz and
    // differentiates a spline.
    const double dt = motion.time_s[f + 1] - motion.time_s[f - 1];
    s.q = motion.q.row(f).transpose();
    s.qdot = (motion.q.row(f + 1) - motion.q.row(f - 1)).transpose() / dt;
    compute_positions(model, s);
    compute_jacobians(model, s);
    for (std::size_t m = 0; m < params.size(); ++m) {
      const int col_f = force.column(model.muscles[m].name), col_a = activation.column(model.muscles[m].name);
      ASSERT_GE(col_f, 0);
      const double a = activation.values(f, col_a);
      if (a < 1e-3) continue;  // too few digits in the reference
      const double expected = force.values(f, col_f) / a;
      const double l = path_length_and_gradient(model, s, static_cast<int>(m), ws, dl_dq);
      const double v = lengthening_speed(s, dl_dq);
      const double got = force_per_activation(params[m], l, v);
      const double err = std::abs(got - expected) / expected;
      sum += err;
      ++compared;
      if (err > worst) {
        worst = err;
        worst_at = model.muscles[m].name + " at t=" + std::to_string(motion.time_s[f]);
      }
    }
  }
  std::printf("arm26 SO force per activation: %d compared, mean relative error %.2e, worst %.2e (%s)\n",
              compared, sum / compared, worst, worst_at.c_str());
  EXPECT_GT(compared, 300);
  EXPECT_LT(sum / compared, 0.15);     // measured 0.112
  EXPECT_LT(worst, 0.25) << worst_at;  // measured 0.181
}

}  // namespace
}  // namespace glutelab
