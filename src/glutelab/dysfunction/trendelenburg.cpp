#include "glutelab/dysfunction/trendelenburg.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <mutex>
#include <stdexcept>

#include "glutelab/dysfunction/impairment.hpp"
#include "glutelab/io/html_page.hpp"
#include "glutelab/kinematics/kinematics.hpp"
#include "glutelab/math/parallel.hpp"

namespace glutelab {
namespace {

constexpr double kDeg = 0.017453292519943295;

std::string sfx(Side side) { return side == Side::Right ? "_r" : "_l"; }

std::string num(double v) { return format_number("%g", v); }

std::vector<double> levels(const TrendelenburgOptions& o) {
  std::vector<double> s = o.strengths;
  if (s.empty())
    for (int k = 10; k >= 0; --k) s.push_back(k / 10.0);
  std::sort(s.begin(), s.end(), std::greater<>());
  return s;
}

/// Everything a posture of one task and strategy needs, shared read-only by the jobs.
struct Plan {
  const StanceSetup* setup = nullptr;
  TrendelenburgStrategy strategy = TrendelenburgStrategy::PelvicDrop;
  int list = -1, bending = -1;
  double sign = 1.0;           // of the coordinate that drops the swing side or leans towards the stance side
  double torso_lateral = 0.0;  // healthy torso's up axis, lateral component (kept in the drop strategy)
  std::vector<int> stance;     // stance leg unknowns
};

/// The posture at deviation d (radians) of a plan; nullopt-like empty vector when it cannot be solved.
Eigen::VectorXd posture(const Model& model, const Plan& p, double d, std::string* why) {
  const int torso = model.body_index("torso");
  State s(model);
  s.q = p.setup->q;
  std::vector<int> unknowns = p.stance;
  const Vec3 a = p.setup->acceleration_mps2;
  std::function<void(const State&, Eigen::VectorXd&)> residual;
  if (p.strategy == TrendelenburgStrategy::PelvicDrop) {
    s.q[p.list] += p.sign * d;
    unknowns.push_back(p.bending);
    residual = [&](const State& st, Eigen::VectorXd& r) {
      stance_residuals(model, p.setup->foot, a, st, r, 0);
      r[4] = st.X_ground_body[static_cast<std::size_t>(torso)].R(2, 1) - p.torso_lateral;
    };
  } else {
    s.q[p.bending] += p.sign * d;
    residual = [&](const State& st, Eigen::VectorXd& r) {
      stance_residuals(model, p.setup->foot, a, st, r, 0);
    };
  }
  if (!solve_posture(model, s, unknowns, residual)) {
    if (why) *why = "no posture keeps the foot flat and the centre of pressure at mid-foot";
    return {};
  }
  plant_foot(model, p.setup->foot, s, Vec3::Zero());
  const std::string out = coordinate_out_of_range(model, s.q);
  if (!out.empty()) {
    if (why) *why = out;
    return {};
  }
  return s.q;
}

PosturePoint run_level(const Model& model, const Plan& plan, double strength, const TrendelenburgOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  const Side side = plan.setup->foot.side;
  const MuscleImpairment weak{"hip abductors", side == Side::Right ? BodySide::Right : BodySide::Left,
                              strength, 1.0};
  const Model impaired = apply_impairments(model, std::span<const MuscleImpairment>(&weak, 1));
  StaticPoseOptions po;
  po.acceleration_mps2 = plan.setup->acceleration_mps2;
  const StaticPoseEvaluator eval(impaired, plan.setup->foot, po);
  PosturePoint pt;
  pt.strength = strength;
  const bool drop = plan.strategy == TrendelenburgStrategy::PelvicDrop;
  const double max = (drop ? o.max_drop_deg : o.max_lean_deg) * kDeg;
  const auto holds = [&](double d) -> std::optional<bool> {
    const Eigen::VectorXd q = posture(model, plan, d, nullptr);
    if (q.size() == 0) return std::nullopt;
    return eval.feasible(q);
  };
  const auto why = [&](double d) -> std::string {
    if (d < 0.0)
      return std::string("no ") + (drop ? "pelvic drop" : "trunk lean") + " up to " +
             num(drop ? o.max_drop_deg : o.max_lean_deg) + " deg is enough";
    std::string reason;
    posture(model, plan, d, &reason);
    char buf[64];
    std::snprintf(buf, sizeof buf, " at %.1f deg of %s", d / kDeg, drop ? "pelvic drop" : "trunk lean");
    return reason + buf;
  };
  const DeviationSearch found =
      smallest_workable_deviation(holds, max, o.scan_step_deg * kDeg, o.tolerance_deg * kDeg, why);
  pt.evaluations = found.evaluations;
  pt.found = found.found;
  pt.note = found.note;
  const StaticPoseResult upright = eval.evaluate(plan.setup->q);
  pt.upright_reserve_nm = upright.max_reserve_nm;
  pt.upright_reserve_coordinate = upright.max_reserve_coordinate;
  if (!found.found && found.last_built > 0.0) {
    pt.limit_deviation_deg = found.last_built / kDeg;
    pt.limit_reserve_nm = eval.evaluate(posture(model, plan, found.last_built, nullptr)).max_reserve_nm;
  }
  if (found.found) {
    pt.deviation_deg = found.deviation / kDeg;
    pt.q = posture(model, plan, found.deviation, nullptr);
    const StaticPoseResult r = eval.evaluate(pt.q);
    const PostureMeasures m = measure_posture(model, plan.setup->foot, pt.q);
    const PostureMeasures m0 = measure_posture(model, plan.setup->foot, plan.setup->q);
    pt.pelvic_drop_cm = 100.0 * (m.crest_drop_m - m0.crest_drop_m);
    pt.pelvic_list_deg = m.pelvic_list_deg;
    pt.trunk_lean_deg = m.trunk_lean_deg;
    pt.hip_adduction_deg = m.hip_adduction_deg;
    pt.hip_rotation_deg = m.hip_rotation_deg;
    pt.knee_over_foot_cm = 100.0 * m.knee_medial_m;
    pt.gluteus_medius_activation = group_activation(impaired, r.activation, "gluteus medius", side);
    pt.gluteus_minimus_activation = group_activation(impaired, r.activation, "gluteus minimus", side);
    pt.tfl_activation = group_activation(impaired, r.activation, "tfl" + sfx(side), side);
    pt.abductor_activation = group_activation(impaired, r.activation, "hip abductors", side);
    pt.deep_six_activation = group_activation(impaired, r.activation, "deep six", side);
    pt.gluteus_maximus_activation = group_activation(impaired, r.activation, "gluteus maximus", side);
    pt.max_activation = r.max_activation;
    pt.max_activation_muscle = r.max_activation_muscle;
    pt.hip_contact_bw = r.hip_contact_bw;
    pt.knee_frontal_moment_nm = r.knee_frontal_moment_nm;
    pt.hip_abduction_moment_nm = -r.tau[model.coordinate_index("hip_adduction" + sfx(side))];
    const double bw = model.total_mass_kg() * model.gravity.norm();
    pt.residual_bw_m = std::max(r.residual_force_n * 1.0, r.residual_moment_nm) / bw;
    pt.cop_margin_m = r.cop_margin_m;
    if (!r.feasible) {  // the search's test and the full evaluation must agree
      pt.found = false;
      pt.note = "the posture found does not hold on re-evaluation";
    }
  }
  pt.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return pt;
}

/// The lowest abductor strength (to 1/4096) at which pose `q` holds; NaN when it fails at full strength.
double lowest_holding_strength(const Model& model, const StanceSetup& setup, const Eigen::VectorXd& q) {
  const auto holds = [&](double strength) {
    const MuscleImpairment weak{
        "hip abductors", setup.foot.side == Side::Right ? BodySide::Right : BodySide::Left, strength, 1.0};
    const Model impaired = apply_impairments(model, std::span<const MuscleImpairment>(&weak, 1));
    StaticPoseOptions po;
    po.acceleration_mps2 = setup.acceleration_mps2;
    return StaticPoseEvaluator(impaired, setup.foot, po).feasible(q);
  };
  if (!holds(1.0)) return std::numeric_limits<double>::quiet_NaN();
  if (holds(0.0)) return 0.0;
  double lo = 0.0, hi = 1.0;
  while (hi - lo > 1.0 / 4096.0) {
    const double mid = 0.5 * (lo + hi);
    (holds(mid) ? hi : lo) = mid;
  }
  return hi;
}

/// The visible-drop threshold of a pelvic-drop curve: the strength below which no posture with a drop of
/// at most 2 cm holds (the lowest strength holding the level pelvis, a 1 cm and a 2 cm drop, whichever is
/// lowest), and the levels either side of it.
void find_threshold(const Model& model, const Plan& plan, TrendelenburgCurve& c) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  c.visible_drop_strength = c.bracket_high = c.bracket_low = nan;
  if (c.strategy != TrendelenburgStrategy::PelvicDrop) return;
  const PostureMeasures m0 = measure_posture(model, plan.setup->foot, plan.setup->q);
  const auto drop_cm = [&](double d) {
    const Eigen::VectorXd q = posture(model, plan, d, nullptr);
    return q.size() == 0
               ? nan
               : 100.0 * (measure_posture(model, plan.setup->foot, q).crest_drop_m - m0.crest_drop_m);
  };
  double best = nan;
  for (double target : {0.0, 0.5 * kVisibleDropCm, kVisibleDropCm}) {
    double d = 0.0;
    if (target > 0.0) {  // secant on the drop, which is close to linear in the pelvic list
      double d0 = 0.0, f0 = -target, d1 = 2.0 * kDeg, f1 = drop_cm(d1) - target;
      for (int it = 0; it < 20 && std::isfinite(f1) && std::abs(f1) > 1e-6 && f1 != f0; ++it) {
        const double d2 = d1 - f1 * (d1 - d0) / (f1 - f0);
        d0 = d1;
        f0 = f1;
        d1 = d2;
        f1 = drop_cm(d1) - target;
      }
      if (!(std::abs(f1) <= 1e-6)) continue;
      d = d1;
    }
    const Eigen::VectorXd q = posture(model, plan, d, nullptr);
    if (q.size() == 0) continue;
    const double s = lowest_holding_strength(model, *plan.setup, q);
    if (std::isfinite(s) && !(s >= best)) best = s;
  }
  c.visible_drop_strength = best;
  for (std::size_t k = 0; k + 1 < c.points.size(); ++k) {
    const PosturePoint &hi = c.points[k], &lo = c.points[k + 1];
    if (hi.found && hi.pelvic_drop_cm <= kVisibleDropCm &&
        (!lo.found || lo.pelvic_drop_cm > kVisibleDropCm)) {
      c.bracket_high = hi.strength;
      c.bracket_low = lo.strength;
      return;
    }
  }
}

}  // namespace

std::string to_string(TrendelenburgStrategy strategy) {
  return strategy == TrendelenburgStrategy::PelvicDrop ? "pelvic_drop" : "trunk_lean";
}

void validate_trendelenburg_options(const TrendelenburgOptions& o) {
  for (double s : o.strengths) check_option_range("strength", s, 0.0, 1.0, false);
  std::vector<double> s = o.strengths;
  std::sort(s.begin(), s.end());
  if (std::adjacent_find(s.begin(), s.end()) != s.end())
    throw std::invalid_argument("strengths must be distinct, got " +
                                num(*std::adjacent_find(s.begin(), s.end())) + " twice");
  if (o.tasks.empty()) throw std::invalid_argument("tasks: give at least one task");
  for (StanceTask t : o.tasks)
    if (t != StanceTask::SingleLegStance && t != StanceTask::WalkingMidStance)
      throw std::invalid_argument(
          "task: Trendelenburg simulates single_leg_stance and walking_midstance, got '" + to_string(t) +
          "'");
  check_option_range("max_drop_deg", o.max_drop_deg, 0.0, 45.0, true);
  check_option_range("max_lean_deg", o.max_lean_deg, 0.0, 60.0, true);
  check_option_range("scan_step_deg", o.scan_step_deg, 0.0, 5.0, true);
  check_option_range("tolerance_deg", o.tolerance_deg, 0.0, o.scan_step_deg, true);
  if (o.threads < 0) throw std::invalid_argument("threads must be >= 0, got " + std::to_string(o.threads));
}

const TrendelenburgCurve* TrendelenburgResult::curve(StanceTask task, TrendelenburgStrategy strategy) const {
  for (const TrendelenburgCurve& c : curves)
    if (c.task == task && c.strategy == strategy) return &c;
  return nullptr;
}

TrendelenburgResult simulate_trendelenburg(const Model& model, const TrendelenburgOptions& o) {
  validate_trendelenburg_options(o);
  const auto t0 = std::chrono::steady_clock::now();
  TrendelenburgResult out;
  out.side = o.side;
  out.body_mass_kg = model.total_mass_kg();
  const std::vector<double> strengths = levels(o);
  std::vector<StanceSetup> setups;
  for (StanceTask t : o.tasks) setups.push_back(stance_setup(model, t, o.side));
  std::vector<Plan> plans;
  const std::string st = sfx(o.side);
  for (const StanceSetup& setup : setups) {
    if (setup.task == StanceTask::WalkingMidStance) {
      out.midstance_acceleration_mps2 = setup.acceleration_mps2;
      out.midstance_cycle_fraction = setup.cycle_fraction;
    }
    for (TrendelenburgStrategy strategy :
         {TrendelenburgStrategy::PelvicDrop, TrendelenburgStrategy::TrunkLean}) {
      Plan p;
      p.setup = &setup;
      p.strategy = strategy;
      p.list = model.coordinate_index("pelvis_list");
      p.bending = model.coordinate_index("lumbar_bending");
      if (p.list < 0 || p.bending < 0)
        throw std::invalid_argument("trendelenburg: the model needs pelvis_list and lumbar_bending");
      for (const char* c : {"ankle_angle", "hip_adduction", "hip_flexion", "subtalar_angle"})
        p.stance.push_back(model.coordinate_index(c + st));
      // Which way the coordinate drops the swing side (or leans the trunk towards the stance side).
      const PostureMeasures m0 = measure_posture(model, setup.foot, setup.q);
      Eigen::VectorXd q = setup.q;
      q[strategy == TrendelenburgStrategy::PelvicDrop ? p.list : p.bending] += 0.05;
      const PostureMeasures m1 = measure_posture(model, setup.foot, q);
      p.sign = strategy == TrendelenburgStrategy::PelvicDrop
                   ? (m1.crest_drop_m > m0.crest_drop_m ? 1.0 : -1.0)
                   : (m1.trunk_lean_deg > m0.trunk_lean_deg ? 1.0 : -1.0);
      State s(model);
      s.q = setup.q;
      compute_positions(model, s);
      p.torso_lateral = s.X_ground_body[static_cast<std::size_t>(model.body_index("torso"))].R(2, 1);
      plans.push_back(p);
    }
  }
  const int per_curve = static_cast<int>(strengths.size());
  const int jobs = static_cast<int>(plans.size()) * per_curve;
  std::vector<PosturePoint> points(static_cast<std::size_t>(jobs));
  std::atomic<int> done{0};
  std::mutex progress_mutex;
  parallel_for(jobs, o.threads, [&](int j) {
    const Plan& p = plans[static_cast<std::size_t>(j / per_curve)];
    points[static_cast<std::size_t>(j)] =
        run_level(model, p, strengths[static_cast<std::size_t>(j % per_curve)], o);
    const int d = ++done;
    if (o.progress) {
      const std::lock_guard<std::mutex> lock(progress_mutex);
      o.progress(d, jobs);
    }
  });
  for (std::size_t c = 0; c < plans.size(); ++c) {
    TrendelenburgCurve curve;
    curve.task = plans[c].setup->task;
    curve.strategy = plans[c].strategy;
    for (int k = 0; k < per_curve; ++k) {
      curve.points.push_back(points[c * static_cast<std::size_t>(per_curve) + static_cast<std::size_t>(k)]);
      curve.seconds += curve.points.back().seconds;
    }
    find_threshold(model, plans[c], curve);
    out.curves.push_back(std::move(curve));
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

TimeTable trendelenburg_motion(const Model& model, const TrendelenburgCurve& curve) {
  TimeTable t;
  t.name = "trendelenburg_" + to_string(curve.task) + "_" + to_string(curve.strategy);
  t.in_degrees = true;
  for (const Coordinate& c : model.coordinates) t.labels.push_back(c.name);
  std::vector<const PosturePoint*> rows;
  for (const PosturePoint& p : curve.points)
    if (p.found) rows.push_back(&p);
  std::sort(rows.begin(), rows.end(),
            [](const PosturePoint* a, const PosturePoint* b) { return a->strength > b->strength; });
  t.values.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(t.labels.size()));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    t.time_s.push_back(1.0 - rows[r]->strength);
    for (int c = 0; c < model.num_coordinates(); ++c) {
      const bool rot = model.coordinates[static_cast<std::size_t>(c)].motion_type == MotionType::Rotational;
      t.values(static_cast<Eigen::Index>(r), c) = rows[r]->q[c] * (rot ? 1.0 / kDeg : 1.0);
    }
  }
  t.metadata["time"] = "1 - hip abductor strength";
  return t;
}

}  // namespace glutelab
