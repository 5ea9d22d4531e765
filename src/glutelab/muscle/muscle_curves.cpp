#include "glutelab/muscle/muscle_curves.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace glutelab {
namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();
/// SimTK::SignificantReal = eps^(7/8).
const double kSignificantReal = std::pow(kEps, 0.875);

void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument(message);
}

// Thelen's tendon toe: kToe = 3, Ftoe = 0.33; the toe strain and linear stiffness follow from
// requiring force 1 at FmaxTendonStrain (OpenSim's exact expressions, not the paper's 0.609 e0).
struct ThelenTendon {
  double toe_strain, linear_stiffness;
};
constexpr double kThelenKToe = 3.0;
constexpr double kThelenFToe = 0.33;

ThelenTendon thelen_tendon(double e0) {
  const double e3 = std::exp(3.0);
  const double toe = 99.0 * e0 * e3 / (166.0 * e3 - 67.0);
  return {toe, 0.67 / (e0 - toe)};
}

// Thelen's dv/dF and v at F (a f_L = 1): eq. 7's b(F) for concentric (F <= 1) and eccentric forces.
struct ThelenB {
  double b, db;
};
ThelenB thelen_b(const ThelenCurveParameters& p, double f) {
  if (f <= 1.0) return {1.0 + f / p.af, 1.0 / p.af};
  const double c = (2.0 + 2.0 / p.af) / (p.flen - 1.0);
  return {c * (p.flen - f), -c};
}

// DeGroote-Fregly 2016 constants (OpenSim's adjusted values).
constexpr double kB[3][4] = {{0.8150671134243542, 1.055033428970575, 0.162384573599574, 0.063303448465465},
                             {0.433004984392647, 0.716775413397760, -0.029947116970696, 0.200356847296188},
                             {0.1, 1.0, 0.353553390593274, 0.0}};
constexpr double kKpe = 4.0;
constexpr double kC1 = 0.2, kC2 = 1.0, kC3 = 0.2;
constexpr double kD1 = -0.3211346127989808, kD2 = -8.149, kD3 = -0.374, kD4 = 0.8825327733249912;
constexpr double kDeGrooteMinNormFiberLength = 0.2;

double degroote_kt(const DeGrooteCurveParameters& p) {
  return std::log((1.0 + kC3) / kC1) / (1.0 + p.tendon_strain_at_one_norm_force - kC2);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Thelen2003Muscle
// ---------------------------------------------------------------------------------------------

CurvePoint thelen_active_force_length(const ThelenCurveParameters& p, double l) {
  const double d = l - 1.0;
  const double f = std::exp(-d * d / p.kshape_active);
  return {f, -2.0 * d / p.kshape_active * f};
}

CurvePoint thelen_passive_force_length(const ThelenCurveParameters& p, double l) {
  if (!(l > 1.0)) return {0.0, 0.0};
  const double k = p.kshape_passive, e0 = p.fmax_muscle_strain;
  const double e = std::exp(k * (l - 1.0) / e0), denom = std::exp(k) - 1.0;
  return {(e - 1.0) / denom, k / e0 * e / denom};
}

CurvePoint thelen_tendon_force_length(const ThelenCurveParameters& p, double lt) {
  const double x = lt - 1.0;
  const ThelenTendon t = thelen_tendon(p.fmax_tendon_strain);
  if (x > t.toe_strain) return {t.linear_stiffness * (x - t.toe_strain) + kThelenFToe, t.linear_stiffness};
  if (x > 0.0) {
    const double scale = kThelenFToe / (std::exp(kThelenKToe) - 1.0);
    const double e = std::exp(kThelenKToe * x / t.toe_strain);
    return {scale * (e - 1.0), scale * kThelenKToe / t.toe_strain * e};
  }
  return {0.0, 0.0};
}

CurvePoint thelen_force_velocity_inverse(const ThelenCurveParameters& p, double activation, double fv) {
  const double k = 0.25 + 0.75 * activation;
  const double f_ecc = p.fv_linear_extrap_threshold * p.flen;
  if (fv > 0.0 && fv < f_ecc) {
    const ThelenB b = thelen_b(p, fv);
    return {k * (fv - 1.0) / b.b, k / b.b - k * (fv - 1.0) / (b.b * b.b) * b.db};
  }
  // Linear extrapolation from the last point where eqs. 6-7 hold (f_V = 0 or threshold * Flen).
  const double f0 = fv <= 0.0 ? 0.0 : f_ecc;
  const ThelenB b = thelen_b(p, f0);
  const double v0 = k * (f0 - 1.0) / b.b;
  const double slope = k / b.b - k * (f0 - 1.0) / (b.b * b.b) * b.db;
  return {v0 + slope * (fv - f0), slope};
}

CurvePoint thelen_force_velocity(const ThelenCurveParameters& p, double activation, double v) {
  const double k = 0.25 + 0.75 * activation;
  // Faster than -k the concentric extrapolation gives f_V < 0; calcfvInv returns max(0, f_V).
  if (v < -k) return {0.0, 0.0};
  double f = 0.0;
  if (v <= 0.0) {
    f = (k + v) / (k - v / p.af);  // concentric: v = k (f - 1) / (1 + f / Af)
  } else {
    const double f_ecc = p.fv_linear_extrap_threshold * p.flen;
    const double v_ecc = thelen_force_velocity_inverse(p, activation, f_ecc).value;
    if (v < v_ecc) {
      const double c = (2.0 + 2.0 / p.af) / (p.flen - 1.0);
      f = (k + v * c * p.flen) / (k + v * c);  // eccentric: v = k (f - 1) / (c (Flen - f))
    } else {
      const double slope = thelen_force_velocity_inverse(p, activation, f_ecc).slope;
      return {f_ecc + (v - v_ecc) / slope, 1.0 / slope};
    }
  }
  return {f, 1.0 / thelen_force_velocity_inverse(p, activation, f).slope};
}

// ---------------------------------------------------------------------------------------------
// Millard2012EquilibriumMuscle
// ---------------------------------------------------------------------------------------------

FiberForceLengthCurveParameters fitted_fiber_force_length(double e0, double e1) {
  FiberForceLengthCurveParameters p;
  p.strain_at_zero_force = e0;
  p.strain_at_one_norm_force = e1;
  p.stiffness_at_one_norm_force = 2.0 / (e1 - e0);
  p.stiffness_at_low_force = 0.2;
  p.curviness = 0.75;
  return p;
}

TendonForceLengthCurveParameters fitted_tendon_force_length(double e0) {
  TendonForceLengthCurveParameters p;
  p.strain_at_one_norm_force = e0;
  p.stiffness_at_one_norm_force = 1.375 / e0;
  p.norm_force_at_toe_end = 2.0 / 3.0;
  p.curviness = 0.5;
  return p;
}

SegmentedCurve millard_active_force_length_curve(const ActiveForceLengthCurveParameters& p) {
  const double x0 = p.min_norm_active_fiber_length, x1 = p.transition_norm_fiber_length, x2 = 1.0,
               x3 = p.max_norm_active_fiber_length;
  const double ylow = p.minimum_value, dydx = p.shallow_ascending_slope;
  const double root_eps = std::sqrt(kEps);
  require(x0 >= 0 && x1 > x0 + root_eps && x2 > x1 + root_eps && x3 > x2 + root_eps,
          "ActiveForceLengthCurve: need 0 <= min_norm_active_fiber_length < transition_norm_fiber_length < 1 "
          "< max_norm_active_fiber_length");
  require(ylow >= 0, "ActiveForceLengthCurve: minimum_value must be >= 0");
  require(dydx >= 0 && dydx < (1 - ylow) / (x2 - x1),
          "ActiveForceLengthCurve: shallow_ascending_slope must be in [0, (1 - minimum_value) / (1 - "
          "transition_norm_fiber_length))");
  const double c = scale_curviness(1.0);
  // Shoulder half-width, ascending limb, shallow plateau, and descending limb join points.
  const double x_delta = 0.05 * x2;
  const double xs = x2 - x_delta;
  const double y0 = 0.0, dydx0 = 0.0;
  const double y1 = 1.0 - dydx * (xs - x1);
  const double dydx01 = 1.25 * (y1 - y0) / (x1 - x0);
  const double x01 = x0 + 0.5 * (x1 - x0), y01 = y0 + 0.5 * (y1 - y0);
  const double x1s = x1 + 0.5 * (xs - x1), y1s = y1 + 0.5 * (1.0 - y1), dydx1s = dydx;
  const double y2 = 1.0, dydx2 = 0.0;
  const double y3 = 0.0, dydx3 = 0.0;
  const double x23 = (x2 + x_delta) + 0.5 * (x3 - (x2 + x_delta)), y23 = y2 + 0.5 * (y3 - y2);
  const double dydx23 = (y3 - y2) / ((x3 - x_delta) - (x2 + x_delta));
  const BezierSegment s[5] = {
      bezier_corner(x0, ylow, dydx0, x01, y01, dydx01, c),
      bezier_corner(x01, y01, dydx01, x1s, y1s, dydx1s, c), bezier_corner(x1s, y1s, dydx1s, x2, y2, dydx2, c),
      bezier_corner(x2, y2, dydx2, x23, y23, dydx23, c), bezier_corner(x23, y23, dydx23, x3, ylow, dydx3, c)};
  return SegmentedCurve(s, 5, x0, x3, ylow, ylow, 0.0, 0.0);
}

namespace {

// The four force-velocity segments shared by the curve and its inverse.
void force_velocity_segments(const ForceVelocityCurveParameters& p, BezierSegment out[4]) {
  const double fmax_e = p.max_eccentric_velocity_force_multiplier;
  const double cc = scale_curviness(p.concentric_curviness), ce = scale_curviness(p.eccentric_curviness);
  const double xc = -1.0, yc = 0.0, xiso = 0.0, yiso = 1.0, xe = 1.0, ye = fmax_e;
  const double dydx_c = p.concentric_slope_at_vmax, dydx_near_c = p.concentric_slope_near_vmax;
  const double dydx_e = p.eccentric_slope_at_vmax, dydx_near_e = p.eccentric_slope_near_vmax;
  const double dydx_iso = p.isometric_slope;
  const double x_near_c = -0.9;
  const double y_near_c = yc + 0.5 * dydx_near_c * (x_near_c - xc) + 0.5 * dydx_c * (x_near_c - xc);
  const double x_near_e = 0.9;
  const double y_near_e = ye + 0.5 * dydx_near_e * (x_near_e - xe) + 0.5 * dydx_e * (x_near_e - xe);
  out[0] = bezier_corner(xc, yc, dydx_c, x_near_c, y_near_c, dydx_near_c, cc);
  out[1] = bezier_corner(x_near_c, y_near_c, dydx_near_c, xiso, yiso, dydx_iso, cc);
  out[2] = bezier_corner(xiso, yiso, dydx_iso, x_near_e, y_near_e, dydx_near_e, ce);
  out[3] = bezier_corner(x_near_e, y_near_e, dydx_near_e, xe, ye, dydx_e, ce);
}

void check_curviness(const ForceVelocityCurveParameters& p) {
  require(p.concentric_curviness >= 0 && p.concentric_curviness <= 1,
          "ForceVelocityCurve: concentric_curviness must be in [0, 1]");
  require(p.eccentric_curviness >= 0 && p.eccentric_curviness <= 1,
          "ForceVelocityCurve: eccentric_curviness must be in [0, 1]");
}

}  // namespace

SegmentedCurve millard_force_velocity_curve(const ForceVelocityCurveParameters& p) {
  const double fmax_e = p.max_eccentric_velocity_force_multiplier;
  require(fmax_e > 1.0, "ForceVelocityCurve: max_eccentric_velocity_force_multiplier must be > 1");
  require(p.concentric_slope_at_vmax >= 0 && p.concentric_slope_at_vmax < 1,
          "ForceVelocityCurve: concentric_slope_at_vmax must be in [0, 1)");
  require(p.concentric_slope_near_vmax > p.concentric_slope_at_vmax && p.concentric_slope_near_vmax <= 1,
          "ForceVelocityCurve: concentric_slope_near_vmax must be in (concentric_slope_at_vmax, 1]");
  require(p.isometric_slope > 1, "ForceVelocityCurve: isometric_slope must be > 1");
  require(p.eccentric_slope_at_vmax >= 0 && p.eccentric_slope_at_vmax < fmax_e - 1,
          "ForceVelocityCurve: eccentric_slope_at_vmax must be in [0, max multiplier - 1)");
  require(
      p.eccentric_slope_near_vmax >= p.eccentric_slope_at_vmax && p.eccentric_slope_near_vmax < fmax_e - 1,
      "ForceVelocityCurve: eccentric_slope_near_vmax must be in [eccentric_slope_at_vmax, max multiplier - "
      "1)");
  check_curviness(p);
  BezierSegment s[4];
  force_velocity_segments(p, s);
  return SegmentedCurve(s, 4, -1.0, 1.0, 0.0, fmax_e, p.concentric_slope_at_vmax, p.eccentric_slope_at_vmax);
}

SegmentedCurve millard_force_velocity_inverse_curve(const ForceVelocityCurveParameters& p) {
  const double fmax_e = p.max_eccentric_velocity_force_multiplier;
  require(fmax_e > 1.0, "ForceVelocityInverseCurve: max_eccentric_velocity_force_multiplier must be > 1");
  require(p.concentric_slope_at_vmax > kSignificantReal && p.concentric_slope_at_vmax < 1,
          "ForceVelocityInverseCurve: concentric_slope_at_vmax must be in (0, 1)");
  require(p.concentric_slope_near_vmax > p.concentric_slope_at_vmax && p.concentric_slope_near_vmax < 1,
          "ForceVelocityInverseCurve: concentric_slope_near_vmax must be in (concentric_slope_at_vmax, 1)");
  require(p.isometric_slope > 1, "ForceVelocityInverseCurve: isometric_slope must be > 1");
  require(p.eccentric_slope_at_vmax > kSignificantReal && p.eccentric_slope_at_vmax < fmax_e - 1,
          "ForceVelocityInverseCurve: eccentric_slope_at_vmax must be in (0, max multiplier - 1)");
  require(
      p.eccentric_slope_near_vmax >= p.eccentric_slope_at_vmax && p.eccentric_slope_near_vmax < fmax_e - 1,
      "ForceVelocityInverseCurve: eccentric_slope_near_vmax must be in [eccentric_slope_at_vmax, max "
      "multiplier - 1)");
  check_curviness(p);
  BezierSegment s[4];
  force_velocity_segments(p, s);
  for (auto& seg : s) std::swap(seg.x, seg.y);
  return SegmentedCurve(s, 4, 0.0, fmax_e, -1.0, 1.0, 1.0 / p.concentric_slope_at_vmax,
                        1.0 / p.eccentric_slope_at_vmax);
}

SegmentedCurve millard_fiber_force_length_curve(const FiberForceLengthCurveParameters& p) {
  const double e_zero = p.strain_at_zero_force, e_iso = p.strain_at_one_norm_force;
  const double k_low = p.stiffness_at_low_force, k_iso = p.stiffness_at_one_norm_force;
  require(e_iso > e_zero, "FiberForceLengthCurve: strain_at_one_norm_force must exceed strain_at_zero_force");
  require(k_iso > 1.0 / (e_iso - e_zero),
          "FiberForceLengthCurve: stiffness_at_one_norm_force must exceed 1 / "
          "(strain_at_one_norm_force - strain_at_zero_force)");
  require(k_low > 0.0 && k_low < 1.0 / (e_iso - e_zero),
          "FiberForceLengthCurve: stiffness_at_low_force must be in (0, 1 / (strain_at_one_norm_force - "
          "strain_at_zero_force))");
  require(p.curviness >= 0 && p.curviness <= 1, "FiberForceLengthCurve: curviness must be in [0, 1]");
  const double c = scale_curviness(p.curviness);
  const double x_zero = 1.0 + e_zero, y_zero = 0.0, x_iso = 1.0 + e_iso, y_iso = 1.0;
  const double delta_x = std::min(0.1 * (1.0 / k_iso), 0.1 * (x_iso - x_zero));
  const double x_low = x_zero + delta_x;
  const double x_foot = x_zero + 0.5 * (x_low - x_zero), y_foot = 0.0;
  const double y_low = y_foot + k_low * (x_low - x_foot);
  const BezierSegment s[2] = {bezier_corner(x_zero, y_zero, 0.0, x_low, y_low, k_low, c),
                              bezier_corner(x_low, y_low, k_low, x_iso, y_iso, k_iso, c)};
  return SegmentedCurve(s, 2, x_zero, x_iso, y_zero, y_iso, 0.0, k_iso);
}

SegmentedCurve millard_tendon_force_length_curve(const TendonForceLengthCurveParameters& p) {
  const double e_iso = p.strain_at_one_norm_force, k_iso = p.stiffness_at_one_norm_force;
  const double f_toe = p.norm_force_at_toe_end;
  require(e_iso > 0, "TendonForceLengthCurve: strain_at_one_norm_force must be > 0");
  require(f_toe > 0 && f_toe < 1, "TendonForceLengthCurve: norm_force_at_toe_end must be in (0, 1)");
  require(k_iso > 1.0 / e_iso,
          "TendonForceLengthCurve: stiffness_at_one_norm_force must exceed 1 / "
          "strain_at_one_norm_force");
  require(p.curviness >= 0 && p.curviness <= 1, "TendonForceLengthCurve: curviness must be in [0, 1]");
  const double c = scale_curviness(p.curviness);
  const double x0 = 1.0, y0 = 0.0, dydx0 = 0.0;
  const double x_iso = 1.0 + e_iso, y_iso = 1.0;
  // End of the toe: where the line of slope k_iso through (x_iso, 1) reaches f_toe.
  const double y_toe = f_toe, x_toe = (y_toe - 1.0) / k_iso + x_iso;
  const double x_foot = 1.0 + (x_toe - 1.0) / 10.0, y_foot = 0.0;
  const double y_toe_mid = 0.5 * y_toe, x_toe_mid = (y_toe_mid - y_iso) / k_iso + x_iso;
  const double dydx_toe_mid = (y_toe_mid - y_foot) / (x_toe_mid - x_foot);
  const double x_toe_ctrl = x_foot + 0.5 * (x_toe_mid - x_foot);
  const double y_toe_ctrl = y_foot + dydx_toe_mid * (x_toe_ctrl - x_foot);
  const BezierSegment s[2] = {bezier_corner(x0, y0, dydx0, x_toe_ctrl, y_toe_ctrl, dydx_toe_mid, c),
                              bezier_corner(x_toe_ctrl, y_toe_ctrl, dydx_toe_mid, x_toe, y_toe, k_iso, c)};
  return SegmentedCurve(s, 2, x0, x_toe, y0, y_toe, dydx0, k_iso);
}

// ---------------------------------------------------------------------------------------------
// DeGrooteFregly2016Muscle
// ---------------------------------------------------------------------------------------------

CurvePoint degroote_active_force_length(const DeGrooteCurveParameters& p, double l) {
  const double scale = p.active_force_width_scale;
  const double x = (l - 1.0) / scale + 1.0;
  CurvePoint r;
  for (const auto& b : kB) {
    const double w = b[2] + b[3] * x;
    const double g = b[0] * std::exp(-0.5 * (x - b[1]) * (x - b[1]) / (w * w));
    r.value += g;
    r.slope += g * (b[1] - x) * (b[2] + b[1] * b[3]) / (w * w * w);
  }
  r.slope /= scale;
  return r;
}

CurvePoint degroote_passive_force_length(const DeGrooteCurveParameters& p, double l) {
  if (p.ignore_passive_fiber_force) return {0.0, 0.0};
  const double e0 = p.passive_fiber_strain_at_one_norm_force;
  const double offset = std::exp(kKpe * (kDeGrooteMinNormFiberLength - 1.0) / e0);
  const double denom = std::exp(kKpe) - offset;
  const double e = std::exp(kKpe * (l - 1.0) / e0);
  return {(e - offset) / denom, kKpe * e / (e0 * denom)};
}

CurvePoint degroote_tendon_force_length(const DeGrooteCurveParameters& p, double lt) {
  const double kt = degroote_kt(p);
  const double e = std::exp(kt * (lt - kC2));
  return {kC1 * e - kC3, kC1 * kt * e};
}

double degroote_tendon_force_length_inverse(const DeGrooteCurveParameters& p, double f) {
  return std::log((f + kC3) / kC1) / degroote_kt(p) + kC2;
}

CurvePoint degroote_force_velocity(double v) {
  const double t = kD2 * v + kD3;
  const double root = std::sqrt(t * t + 1.0);
  return {kD1 * std::log(t + root) + kD4, kD1 * kD2 / root};
}

double degroote_force_velocity_inverse(double fv) { return (std::sinh((fv - kD4) / kD1) - kD3) / kD2; }

}  // namespace glutelab
