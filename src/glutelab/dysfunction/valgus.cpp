#include "glutelab/dysfunction/valgus.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
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

struct Plan {
  const StanceSetup* setup = nullptr;
  int add = -1, rot = -1, list = -1, rotation = -1, bending = -1;
  std::vector<int> unknowns;
  double heading = 0.0;        // healthy foot's heading (its heel-to-toe direction's angle about vertical)
  double torso_lateral = 0.0;  // healthy torso's up axis, lateral component
  double ratio = 1.0;
};

double foot_heading(const StanceFoot& foot, const State& s) {
  const Vec3 heel = point_in_ground(s, foot.calcn, foot.sole_body[0]);
  const Vec3 toe = point_in_ground(s, foot.calcn, foot.sole_body[2]);
  return std::atan2(toe.z() - heel.z(), toe.x() - heel.x());
}

/// The collapsed posture: hip adduction + d, internal rotation + ratio d; the foot flat, in place and
/// pointing as before, the centre of pressure at mid-foot and the trunk as upright as before, by the stance
/// ankle, subtalar and hip flexion, the pelvis's list and rotation and lumbar bending.
Eigen::VectorXd posture(const Model& model, const Plan& p, double d, std::string* why) {
  const int torso = model.body_index("torso");
  State s(model);
  s.q = p.setup->q;
  s.q[p.add] += d;
  s.q[p.rot] += p.ratio * d;
  const Vec3 a = p.setup->acceleration_mps2;
  const auto residual = [&](const State& st, Eigen::VectorXd& r) {
    stance_residuals(model, p.setup->foot, a, st, r, 0);
    r[4] = foot_heading(p.setup->foot, st) - p.heading;
    r[5] = st.X_ground_body[static_cast<std::size_t>(torso)].R(2, 1) - p.torso_lateral;
  };
  if (!solve_posture(model, s, p.unknowns, residual)) {
    if (why) *why = "no posture keeps the foot flat and in place with the centre of pressure at mid-foot";
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

std::vector<MuscleImpairment> impairments(const ValgusOptions& o, double strength) {
  const BodySide side = o.side == Side::Right ? BodySide::Right : BodySide::Left;
  std::vector<MuscleImpairment> out{{"hip abductors", side, strength, 1.0},
                                    {"deep six", side, strength, 1.0}};
  if (o.weaken_gluteus_maximus) out.push_back({"gluteus maximus", side, strength, 1.0});
  return out;
}

ValgusPoint run_level(const Model& model, const Plan& plan, double strength, const ValgusOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  const Side side = plan.setup->foot.side;
  const std::vector<MuscleImpairment> imp = impairments(o, strength);
  const Model impaired = apply_impairments(model, imp);
  StaticPoseOptions po;
  po.acceleration_mps2 = plan.setup->acceleration_mps2;
  const StaticPoseEvaluator eval(impaired, plan.setup->foot, po);
  ValgusPoint pt;
  pt.strength = strength;
  const auto holds = [&](double d) -> std::optional<bool> {
    const Eigen::VectorXd q = posture(model, plan, d, nullptr);
    if (q.size() == 0) return std::nullopt;
    return eval.feasible(q);
  };
  const auto why = [&](double d) -> std::string {
    if (d < 0.0)
      return "no collapse up to " + num(o.max_collapse_deg) + " deg of extra hip adduction is enough";
    std::string reason;
    posture(model, plan, d, &reason);
    char buf[64];
    std::snprintf(buf, sizeof buf, " at %.1f deg of extra hip adduction", d / kDeg);
    return reason + buf;
  };
  const DeviationSearch found = smallest_workable_deviation(
      holds, o.max_collapse_deg * kDeg, o.scan_step_deg * kDeg, o.tolerance_deg * kDeg, why);
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
    pt.q = posture(model, plan, found.deviation, nullptr);
    const StaticPoseResult r = eval.evaluate(pt.q);
    const PostureMeasures m = measure_posture(model, plan.setup->foot, pt.q);
    const PostureMeasures m0 = measure_posture(model, plan.setup->foot, plan.setup->q);
    pt.hip_adduction_deg = m.hip_adduction_deg;
    pt.hip_rotation_deg = m.hip_rotation_deg;
    pt.hip_adduction_change_deg = m.hip_adduction_deg - m0.hip_adduction_deg;
    pt.hip_rotation_change_deg = m.hip_rotation_deg - m0.hip_rotation_deg;
    pt.knee_medial_change_cm = 100.0 * (m.knee_medial_m - m0.knee_medial_m);
    pt.pelvic_drop_cm = 100.0 * (m.crest_drop_m - m0.crest_drop_m);
    pt.knee_frontal_moment_nm = r.knee_frontal_moment_nm;
    // The healthy body's knee moment in the healthy posture (the muscles' share of the reaction differs).
    const StaticPoseEvaluator healthy(model, plan.setup->foot, po);
    pt.knee_frontal_moment_change_nm =
        r.knee_frontal_moment_nm - healthy.evaluate(plan.setup->q).knee_frontal_moment_nm;
    pt.abductor_activation = group_activation(impaired, r.activation, "hip abductors", side);
    pt.deep_six_activation = group_activation(impaired, r.activation, "deep six", side);
    pt.gluteus_maximus_activation = group_activation(impaired, r.activation, "gluteus maximus", side);
    pt.max_activation = r.max_activation;
    pt.max_activation_muscle = r.max_activation_muscle;
    pt.hip_contact_bw = r.hip_contact_bw;
    const double bw = model.total_mass_kg() * model.gravity.norm();
    pt.residual_bw_m = std::max(r.residual_force_n, r.residual_moment_nm) / bw;
    if (!r.feasible) {
      pt.found = false;
      pt.note = "the posture found does not hold on re-evaluation";
    }
  }
  pt.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return pt;
}

}  // namespace

void validate_valgus_options(const ValgusOptions& o) {
  for (double s : o.strengths) check_option_range("strength", s, 0.0, 1.0, false);
  std::vector<double> s = o.strengths;
  std::sort(s.begin(), s.end());
  if (std::adjacent_find(s.begin(), s.end()) != s.end())
    throw std::invalid_argument("strengths must be distinct, got " +
                                num(*std::adjacent_find(s.begin(), s.end())) + " twice");
  if (o.tasks.empty()) throw std::invalid_argument("tasks: give at least one task");
  for (StanceTask t : o.tasks)
    if (t != StanceTask::SingleLegSquat && t != StanceTask::Landing)
      throw std::invalid_argument("task: valgus simulates single_leg_squat and landing, got '" +
                                  to_string(t) + "'");
  check_option_range("rotation_per_adduction", o.rotation_per_adduction, 0.0, 3.0, false);
  check_option_range("max_collapse_deg", o.max_collapse_deg, 0.0, 30.0, true);
  check_option_range("scan_step_deg", o.scan_step_deg, 0.0, 5.0, true);
  check_option_range("tolerance_deg", o.tolerance_deg, 0.0, o.scan_step_deg, true);
  if (o.threads < 0) throw std::invalid_argument("threads must be >= 0, got " + std::to_string(o.threads));
}

ValgusResult simulate_valgus(const Model& model, const ValgusOptions& o) {
  validate_valgus_options(o);
  const auto t0 = std::chrono::steady_clock::now();
  ValgusResult out;
  out.side = o.side;
  out.body_mass_kg = model.total_mass_kg();
  for (const MuscleImpairment& m : impairments(o, 1.0)) out.weakened.push_back(m.target);
  std::vector<double> strengths = o.strengths;
  if (strengths.empty())
    for (int k = 10; k >= 0; --k) strengths.push_back(k / 10.0);
  std::sort(strengths.begin(), strengths.end(), std::greater<>());
  std::vector<StanceSetup> setups;
  for (StanceTask t : o.tasks) setups.push_back(stance_setup(model, t, o.side));
  const std::string st = sfx(o.side);
  std::vector<Plan> plans;
  for (const StanceSetup& setup : setups) {
    Plan p;
    p.setup = &setup;
    p.ratio = o.rotation_per_adduction;
    p.add = model.coordinate_index("hip_adduction" + st);
    p.rot = model.coordinate_index("hip_rotation" + st);
    for (const std::string& c :
         {"ankle_angle" + st, "subtalar_angle" + st, "hip_flexion" + st, std::string("pelvis_list"),
          std::string("pelvis_rotation"), std::string("lumbar_bending")}) {
      const int i = model.coordinate_index(c);
      if (i < 0) throw std::invalid_argument("valgus: the model has no coordinate '" + c + "'");
      p.unknowns.push_back(i);
    }
    State s(model);
    s.q = setup.q;
    compute_positions(model, s);
    p.heading = foot_heading(setup.foot, s);
    p.torso_lateral = s.X_ground_body[static_cast<std::size_t>(model.body_index("torso"))].R(2, 1);
    plans.push_back(p);
  }
  const int per = static_cast<int>(strengths.size());
  const int jobs = static_cast<int>(plans.size()) * per;
  std::vector<ValgusPoint> points(static_cast<std::size_t>(jobs));
  std::atomic<int> done{0};
  std::mutex progress_mutex;
  parallel_for(jobs, o.threads, [&](int j) {
    points[static_cast<std::size_t>(j)] = run_level(model, plans[static_cast<std::size_t>(j / per)],
                                                    strengths[static_cast<std::size_t>(j % per)], o);
    const int d = ++done;
    if (o.progress) {
      const std::lock_guard<std::mutex> lock(progress_mutex);
      o.progress(d, jobs);
    }
  });
  for (std::size_t c = 0; c < plans.size(); ++c) {
    ValgusCurve curve;
    curve.task = plans[c].setup->task;
    curve.description = plans[c].setup->description;
    for (int k = 0; k < per; ++k) {
      curve.points.push_back(points[c * static_cast<std::size_t>(per) + static_cast<std::size_t>(k)]);
      curve.seconds += curve.points.back().seconds;
    }
    out.curves.push_back(std::move(curve));
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

TimeTable valgus_motion(const Model& model, const ValgusCurve& curve) {
  TimeTable t;
  t.name = "valgus_" + to_string(curve.task);
  t.in_degrees = true;
  for (const Coordinate& c : model.coordinates) t.labels.push_back(c.name);
  std::vector<const ValgusPoint*> rows;
  for (const ValgusPoint& p : curve.points)
    if (p.found) rows.push_back(&p);
  t.values.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(t.labels.size()));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    t.time_s.push_back(1.0 - rows[r]->strength);
    for (int c = 0; c < model.num_coordinates(); ++c) {
      const bool rot = model.coordinates[static_cast<std::size_t>(c)].motion_type == MotionType::Rotational;
      t.values(static_cast<Eigen::Index>(r), c) = rows[r]->q[c] * (rot ? 1.0 / kDeg : 1.0);
    }
  }
  t.metadata["time"] = "1 - strength of the weakened muscles";
  return t;
}

}  // namespace glutelab
