#include "glutelab/dysfunction/compensation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <stdexcept>

#include "glutelab/io/html_page.hpp"
#include "glutelab/model/muscle_groups.hpp"

namespace glutelab {
namespace {

constexpr double kDeg = 180.0 / std::numbers::pi;

std::string fmt(const char* format, double v) { return format_number(format, v); }

double peak(const Eigen::VectorXd& v) { return v.size() > 0 ? v.maxCoeff() : 0.0; }
double mean(const Eigen::VectorXd& v) { return v.size() > 0 ? v.mean() : 0.0; }

/// Force of the muscles of `group` (both sides) per frame.
Eigen::VectorXd group_force(const ExerciseWorkReport& r, const std::string& group) {
  Eigen::VectorXd f = Eigen::VectorXd::Zero(r.force.rows());
  for (std::size_t i = 0; i < r.muscle_names.size(); ++i)
    if (muscle_group(r.muscle_names[i]) == group) f += r.force.col(static_cast<Eigen::Index>(i));
  return f;
}

ShareChange share_change(const MomentShare& b, const MomentShare& i) {
  ShareChange s;
  s.action = b.action;
  s.coordinate = b.coordinate;
  s.baseline_cocontraction = b.dominated_by_cocontraction();
  s.impaired_cocontraction = i.dominated_by_cocontraction();
  s.impulse_nms = {b.impulse_nms, i.impulse_nms};
  for (const auto& [name, share] : b.contributors)
    s.contributors.emplace_back(name, Comparison{share, i.share_of(name)});
  for (const auto& [name, share] : b.by_group)
    s.groups.emplace_back(name, Comparison{share, i.group_share(name)});
  return s;
}

void check_threshold(double max_reserve_fraction) {
  if (!(max_reserve_fraction > 0.0 && max_reserve_fraction < 1.0))
    throw std::invalid_argument("max_reserve_fraction must be in (0, 1), got " +
                                fmt("%g", max_reserve_fraction));
}

}  // namespace

double Comparison::relative_change() const {
  if (baseline == 0.0) return impaired == 0.0 ? 0.0 : std::numeric_limits<double>::quiet_NaN();
  return (impaired - baseline) / std::abs(baseline);
}

Comparison ShareChange::contributor(const std::string& name) const {
  for (const auto& [n, c] : contributors)
    if (n == name) return c;
  return {};
}

Comparison ShareChange::group(const std::string& name) const {
  for (const auto& [n, c] : groups)
    if (n == name) return c;
  return {};
}

const MuscleChange* CompensationReport::muscle(const std::string& name) const {
  for (const MuscleChange& m : muscles)
    if (m.name == name) return &m;
  return nullptr;
}

const GroupChange* CompensationReport::group(const std::string& name) const {
  for (const GroupChange& g : groups)
    if (g.group == name) return &g;
  return nullptr;
}

HipContactPeak hip_contact_peak(const ExerciseWorkReport& r) {
  HipContactPeak h;
  if (r.hip_contact_bw.size() == 0 || r.hip_contact_pelvis_bw.rows() != r.hip_contact_bw.size()) return h;
  Eigen::Index f = 0;
  h.peak_bw = r.hip_contact_bw.maxCoeff(&f);
  h.time_s = r.time_s[static_cast<std::size_t>(f)];
  // Pelvis axes: x anterior, y superior, z to the right; medial is -z for the right hip.
  h.anterior_bw = r.hip_contact_pelvis_bw(f, 0);
  h.superior_bw = r.hip_contact_pelvis_bw(f, 1);
  h.medial_bw = (r.side == Side::Right ? -1.0 : 1.0) * r.hip_contact_pelvis_bw(f, 2);
  h.frontal_angle_deg = kDeg * std::atan2(h.medial_bw, -h.superior_bw);
  h.sagittal_angle_deg = kDeg * std::atan2(h.anterior_bw, -h.superior_bw);
  return h;
}

bool exercise_possible(const ExerciseWorkReport& r, double max_reserve_fraction, std::string* why) {
  std::string reason;
  if (r.converged_frames < r.frames)
    reason = "static optimization failed on " + std::to_string(r.frames - r.converged_frames) + " of " +
             std::to_string(r.frames) + " frames";
  else if (r.max_reserve_fraction > max_reserve_fraction)
    reason = "the reserve of " + r.max_reserve_coordinate + " carries " +
             fmt("%.1f", 100.0 * r.max_reserve_fraction) + " % of its peak moment (" +
             fmt("%.1f", r.max_reserve_nm) + " N m; the muscles may leave at most " +
             fmt("%.0f", 100.0 * max_reserve_fraction) + " %)";
  if (why) *why = reason;
  return reason.empty();
}

CompensationReport compensation_report(const Model& model, ExerciseWorkReport baseline,
                                       ExerciseWorkReport impaired,
                                       std::span<const MuscleImpairment> impairments,
                                       double max_reserve_fraction) {
  check_threshold(max_reserve_fraction);
  if (baseline.exercise != impaired.exercise || baseline.frames != impaired.frames ||
      baseline.muscle_names != impaired.muscle_names)
    throw std::invalid_argument("compensation report: the baseline (" + baseline.exercise + ", " +
                                std::to_string(baseline.frames) + " frames) and the impaired analysis (" +
                                impaired.exercise + ", " + std::to_string(impaired.frames) +
                                " frames) are not of the same exercise and model");
  CompensationReport c;
  c.exercise = baseline.exercise;
  c.display_name = baseline.display_name;
  c.side = baseline.side;
  c.impairments.assign(impairments.begin(), impairments.end());
  const MuscleCapacity capacity = muscle_capacity(model, impairments);
  if (capacity.strength.size() != baseline.muscle_names.size())
    throw std::invalid_argument("compensation report: the model has " +
                                std::to_string(capacity.strength.size()) + " muscles, the analyses " +
                                std::to_string(baseline.muscle_names.size()));

  for (std::size_t i = 0; i < baseline.muscles.size(); ++i) {
    const MuscleWorkSummary& b = baseline.muscles[i];
    const MuscleWorkSummary& a = impaired.muscles[i];
    MuscleChange m;
    m.name = b.name;
    m.group = b.group;
    m.strength = capacity.strength[i];
    m.activation_ceiling = capacity.activation_ceiling[i];
    m.peak_activation = {b.peak_activation, a.peak_activation};
    m.mean_activation = {b.mean_activation, a.mean_activation};
    m.peak_force_n = {b.peak_force_n, a.peak_force_n};
    m.mean_force_n = {b.mean_force_n, a.mean_force_n};
    c.muscles.push_back(m);
  }
  for (std::size_t g = 0; g < baseline.groups.size(); ++g) {
    const GroupWorkSummary& b = baseline.groups[g];
    const GroupWorkSummary& a = impaired.groups[g];
    GroupChange gc;
    gc.group = b.group;
    gc.peak_activation = {b.peak_activation, a.peak_activation};
    gc.mean_activation = {b.mean_activation, a.mean_activation};
    gc.peak_force_n = {b.peak_force_n, a.peak_force_n};
    gc.mean_force_n = {b.mean_force_n, a.mean_force_n};
    gc.hip_extension_share = {baseline.hip_extension.group_share(b.group),
                              impaired.hip_extension.group_share(b.group)};
    gc.hip_abduction_share = {baseline.hip_abduction.group_share(b.group),
                              impaired.hip_abduction.group_share(b.group)};
    c.groups.push_back(gc);
  }
  // Who takes over first; ties (unchanged muscles) keep the model's order.
  std::stable_sort(c.muscles.begin(), c.muscles.end(), [](const MuscleChange& x, const MuscleChange& y) {
    return x.mean_force_n.change() > y.mean_force_n.change();
  });
  std::stable_sort(c.groups.begin(), c.groups.end(), [](const GroupChange& x, const GroupChange& y) {
    return x.mean_force_n.change() > y.mean_force_n.change();
  });
  c.hip_extension = share_change(baseline.hip_extension, impaired.hip_extension);
  c.hip_abduction = share_change(baseline.hip_abduction, impaired.hip_abduction);

  const Eigen::VectorXd erector_b = group_force(baseline, "lower back"),
                        erector_i = group_force(impaired, "lower back");
  c.erector_spinae_peak_force_n = {peak(erector_b), peak(erector_i)};
  c.erector_spinae_mean_force_n = {mean(erector_b), mean(erector_i)};
  c.lumbar_extension_muscle_peak_nm = {std::max(0.0, peak(baseline.lumbar_extension_muscle_moment_nm)),
                                       std::max(0.0, peak(impaired.lumbar_extension_muscle_moment_nm))};
  c.knee_reaction_peak_bw = {baseline.peak_knee_reaction_bw, impaired.peak_knee_reaction_bw};
  c.knee_frontal_moment_peak_nm = {baseline.peak_knee_frontal_moment_nm,
                                   impaired.peak_knee_frontal_moment_nm};
  c.baseline_hip_contact = hip_contact_peak(baseline);
  c.impaired_hip_contact = hip_contact_peak(impaired);
  {
    const HipContactPeak& b = c.baseline_hip_contact;
    const HipContactPeak& a = c.impaired_hip_contact;
    const Eigen::Vector3d u(b.anterior_bw, b.superior_bw, b.medial_bw),
        v(a.anterior_bw, a.superior_bw, a.medial_bw);
    const double n = u.norm() * v.norm();
    c.hip_contact_direction_change_deg = n > 0.0 ? kDeg * std::atan2(u.cross(v).norm(), u.dot(v)) : 0.0;
  }
  c.max_reserve_fraction = {baseline.max_reserve_fraction, impaired.max_reserve_fraction};
  c.baseline_reserve_coordinate = baseline.max_reserve_coordinate;
  c.impaired_reserve_coordinate = impaired.max_reserve_coordinate;
  c.max_reserve_threshold = max_reserve_fraction;
  c.baseline_possible = exercise_possible(baseline, max_reserve_fraction, &c.baseline_why_not);
  c.impaired_possible = exercise_possible(impaired, max_reserve_fraction, &c.impaired_why_not);
  c.seconds = baseline.seconds + impaired.seconds;
  c.baseline = std::move(baseline);
  c.impaired = std::move(impaired);
  return c;
}

CompensationReport compare_compensation(const Model& model, const GeneratedExercise& exercise,
                                        std::span<const MuscleImpairment> impairments,
                                        const CompensationOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  check_threshold(options.max_reserve_fraction);
  const Model weak = apply_impairments(model, impairments);  // checks the impairments before any analysis
  ExerciseWorkReport baseline = analyze_exercise_work(model, exercise, options.work);
  if (options.progress) options.progress(1, 2);
  ExerciseWorkReport impaired = analyze_exercise_work(weak, exercise, options.work);
  if (options.progress) options.progress(2, 2);
  CompensationReport c = compensation_report(model, std::move(baseline), std::move(impaired), impairments,
                                             options.max_reserve_fraction);
  c.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return c;
}

std::string to_string(WeaknessKind kind) {
  return kind == WeaknessKind::Strength ? "strength" : "activation ceiling";
}

WeakestFeasible weakest_feasible_strength(const Model& model, const GeneratedExercise& exercise,
                                          std::span<const MuscleImpairment> targets, WeaknessKind kind,
                                          const WeakestFeasibleOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  if (targets.empty()) throw std::invalid_argument("weakest feasible strength: no muscle or group to weaken");
  if (!(options.tolerance > 0.0 && options.tolerance <= 0.5))
    throw std::invalid_argument("tolerance must be in (0, 0.5], got " + fmt("%g", options.tolerance));
  const double threshold = options.compensation.max_reserve_fraction;
  check_threshold(threshold);
  WeakestFeasible w;
  w.targets.assign(targets.begin(), targets.end());
  w.kind = kind;
  w.tolerance = options.tolerance;
  const auto at = [&](double factor) {
    std::vector<MuscleImpairment> imps = options.background;
    for (MuscleImpairment t : targets) {
      t.strength = kind == WeaknessKind::Strength ? factor : 1.0;
      t.activation_ceiling = kind == WeaknessKind::ActivationCeiling ? factor : 1.0;
      imps.push_back(t);
    }
    return imps;
  };
  // Check every name and factor before the first analysis.
  (void)muscle_capacity(model, at(0.0));
  const int steps = static_cast<int>(std::ceil(std::log2(1.0 / options.tolerance) - 1e-12));
  const int total = 2 + steps + (options.background.empty() ? 0 : 1);
  const auto analyse = [&](const std::vector<MuscleImpairment>& imps) {
    ExerciseWorkReport r =
        analyze_exercise_work(apply_impairments(model, imps), exercise, options.compensation.work);
    ++w.analyses;
    if (options.compensation.progress) options.compensation.progress(w.analyses, total);
    return r;
  };
  const auto note_limit = [&](const ExerciseWorkReport& r) {
    exercise_possible(r, threshold, &w.why_not);
    w.limiting_coordinate = r.max_reserve_coordinate;
    w.limiting_reserve_fraction = r.max_reserve_fraction;
  };
  const auto finish = [&](ExerciseWorkReport healthy, ExerciseWorkReport limit, double factor) {
    std::vector<MuscleImpairment> imps = at(factor);
    w.at_limit = compensation_report(model, std::move(healthy), std::move(limit), imps, threshold);
    w.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (options.compensation.progress) options.compensation.progress(total, total);
    return w;
  };
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();

  ExerciseWorkReport healthy = analyze_exercise_work(model, exercise, options.compensation.work);
  ++w.analyses;
  if (options.compensation.progress) options.compensation.progress(w.analyses, total);
  ExerciseWorkReport full = options.background.empty() ? healthy : analyse(at(1.0));
  if (!exercise_possible(full, threshold)) {
    w.impossible_at_full = true;
    w.feasible_factor = nan;
    w.infeasible_factor = 1.0;
    note_limit(full);
    return finish(std::move(healthy), std::move(full), 1.0);
  }
  ExerciseWorkReport zero = analyse(at(0.0));
  if (exercise_possible(zero, threshold)) {
    w.possible_at_zero = true;
    w.feasible_factor = 0.0;
    w.infeasible_factor = nan;
    return finish(std::move(healthy), std::move(zero), 0.0);
  }
  double lo = 0.0, hi = 1.0;  // impossible at lo, possible at hi
  ExerciseWorkReport at_lo = std::move(zero), at_hi = std::move(full);
  while (hi - lo > options.tolerance) {
    const double mid = 0.5 * (lo + hi);
    ExerciseWorkReport r = analyse(at(mid));
    if (exercise_possible(r, threshold)) {
      hi = mid;
      at_hi = std::move(r);
    } else {
      lo = mid;
      at_lo = std::move(r);
    }
  }
  w.feasible_factor = hi;
  w.infeasible_factor = lo;
  note_limit(at_lo);
  return finish(std::move(healthy), std::move(at_hi), hi);
}

}  // namespace glutelab
