#include "glutelab/dysfunction/stance_task.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <string>

#include "glutelab/dysfunction/impairment.hpp"
#include "glutelab/exercise/walking_cycle.hpp"
#include "glutelab/io/html_page.hpp"
#include "glutelab/kinematics/kinematics.hpp"
#include "glutelab/model/muscle_groups.hpp"

namespace glutelab {
namespace {

constexpr double kDeg = 0.017453292519943295;
constexpr double kPi = 3.141592653589793;

std::string sfx(Side side) { return side == Side::Right ? "_r" : "_l"; }

int coordinate(const Model& model, const std::string& name) {
  const int c = model.coordinate_index(name);
  if (c < 0) throw std::invalid_argument("stance task: the model has no coordinate '" + name + "'");
  return c;
}

const Marker& marker(const Model& model, const std::string& name) {
  for (const Marker& m : model.markers)
    if (m.name == name) return m;
  throw std::invalid_argument("stance task: the model has no marker '" + name + "'");
}

/// The stance leg's coordinates that keep the sole flat and the centre of pressure at mid-foot.
std::vector<int> stance_unknowns(const Model& model, Side side) {
  const std::string s = sfx(side);
  return {coordinate(model, "ankle_angle" + s), coordinate(model, "hip_adduction" + s),
          coordinate(model, "hip_flexion" + s), coordinate(model, "subtalar_angle" + s)};
}

/// Solves the stance leg for q (its other coordinates kept) and plants the sole centre at the origin.
Eigen::VectorXd settle(const Model& model, const StanceFoot& foot, const Vec3& acceleration,
                       Eigen::VectorXd q, const std::string& what) {
  State s(model);
  s.q = std::move(q);
  const auto residual = [&](const State& st, Eigen::VectorXd& r) {
    stance_residuals(model, foot, acceleration, st, r, 0);
  };
  if (!solve_posture(model, s, stance_unknowns(model, foot.side), residual))
    throw std::runtime_error("stance task: the healthy posture of " + what + " could not be solved");
  plant_foot(model, foot, s, Vec3::Zero());
  return s.q;
}

}  // namespace

std::string to_string(StanceTask task) {
  switch (task) {
    case StanceTask::SingleLegStance:
      return "single_leg_stance";
    case StanceTask::WalkingMidStance:
      return "walking_midstance";
    case StanceTask::SingleLegSquat:
      return "single_leg_squat";
    case StanceTask::Landing:
      return "landing";
  }
  return "single_leg_stance";
}

StanceTask parse_stance_task(const std::string& text) {
  for (StanceTask t : {StanceTask::SingleLegStance, StanceTask::WalkingMidStance, StanceTask::SingleLegSquat,
                       StanceTask::Landing})
    if (to_string(t) == text) return t;
  throw std::invalid_argument(
      "task must be one of single_leg_stance, walking_midstance, single_leg_squat, "
      "landing; got '" +
      text + "'");
}

StanceSetup stance_setup(const Model& model, StanceTask task, Side side) {
  StanceSetup out;
  out.task = task;
  out.foot = stance_foot(model, side);
  const std::string st = sfx(side), sw = side == Side::Right ? "_l" : "_r";
  switch (task) {
    case StanceTask::SingleLegStance: {
      // The generator's single-leg stance at a third of its range: swing hip 30 deg, swing knee 50 deg.
      ExerciseParameters p;
      p.side = side;
      p.depth = 1.0 / 3.0;
      p.frames_per_rep = 11;  // frame 5 is the middle of the hold
      const GeneratedExercise g = generate_exercise(model, "single_leg_stance", p);
      out.q = settle(model, out.foot, Vec3::Zero(), g.motion.q.row(5).transpose(), to_string(task));
      out.description =
          "single-leg stance held still: swing hip 30 deg, swing knee 50 deg, stance knee 5 deg";
      break;
    }
    case StanceTask::WalkingMidStance: {
      // The recorded cycle from the stance side's heel strike; mid-stance is the single-support frame where
      // the swing foot passes the stance foot.
      ExerciseParameters p;
      p.side = side;
      p.frames_per_rep = 101;
      const GeneratedExercise g = generate_exercise(model, "walking", p);
      const auto find = [&](const std::string& name) -> const ExerciseLoad& {
        for (const ExerciseLoad& l : g.loads)
          if (l.name == name) return l;
        throw std::logic_error("stance task: the walking cycle has no contact '" + name + "'");
      };
      const ExerciseLoad& stance = find("foot" + st);
      const ExerciseLoad& swing = find("foot" + sw);
      const int calcn_st = model.body_index("calcn" + st), calcn_sw = model.body_index("calcn" + sw);
      State s(model);
      int best = -1;
      double best_gap = std::numeric_limits<double>::infinity();
      for (int f = 1; f + 1 < g.frames(); ++f) {
        const auto fu = static_cast<std::size_t>(f);
        if (!stance.active[fu] || swing.active[fu]) continue;
        s.q = g.motion.q.row(f).transpose();
        compute_positions(model, s);
        const double gap = std::abs(s.X_ground_body[static_cast<std::size_t>(calcn_sw)].p.x() -
                                    s.X_ground_body[static_cast<std::size_t>(calcn_st)].p.x());
        if (gap < best_gap) {
          best_gap = gap;
          best = f;
        }
      }
      if (best < 0) throw std::runtime_error("stance task: the walking cycle has no single-support frame");
      const auto b = static_cast<std::size_t>(best);
      out.cycle_fraction = g.motion.time_s[b] / g.motion.time_s.back();
      // The centre of mass's mediolateral acceleration at that instant, from the recorded cycle (the
      // generated walking re-derives the pelvis path for the legs): the first harmonic of the recorded
      // pelvis's lateral path (the pelvis standing in for the centre of mass), differentiated twice. The
      // stride's own fluctuations are noise at 1 % sampling, so only the first harmonic is kept.
      const exercise_detail::WalkingCycle& cycle = exercise_detail::recorded_walking_cycle();
      const std::size_t n = cycle.pelvis_tz_m.size() - 1;  // periodic: the last point repeats the first
      double a1 = 0.0, b1 = 0.0;
      for (std::size_t k = 0; k < n; ++k) {
        const double angle = 2.0 * kPi * static_cast<double>(k) / static_cast<double>(n);
        a1 += 2.0 / static_cast<double>(n) * cycle.pelvis_tz_m[k] * std::cos(angle);
        b1 += 2.0 / static_cast<double>(n) * cycle.pelvis_tz_m[k] * std::sin(angle);
      }
      const double phase =
          2.0 * kPi * (out.cycle_fraction + (side == Side::Left ? cycle.left_heel_strike : 0.0));
      const double omega = 2.0 * kPi / cycle.duration_s;
      out.acceleration_mps2 = Vec3(0.0, 0.0, -omega * omega * (a1 * std::cos(phase) + b1 * std::sin(phase)));
      out.q =
          settle(model, out.foot, out.acceleration_mps2, g.motion.q.row(best).transpose(), to_string(task));
      char line[256];
      std::snprintf(
          line, sizeof line,
          "walking mid-stance (%.0f %% of the cycle, swing foot passing the stance foot), speeds zero, "
          "the centre of mass accelerating %.2f m/s^2 towards the %s (recorded cycle)",
          100.0 * out.cycle_fraction, std::abs(out.acceleration_mps2.z()),
          out.acceleration_mps2.z() > 0.0 ? "right" : "left");
      out.description = line;
      break;
    }
    case StanceTask::SingleLegSquat: {
      // The catalogue's single-leg squat at its bottom (frame 5 of 11 is the middle of the hold).
      ExerciseParameters p;
      p.side = side;
      p.frames_per_rep = 11;
      const GeneratedExercise g = generate_exercise(model, "single_leg_squat", p);
      out.q = settle(model, out.foot, Vec3::Zero(), g.motion.q.row(5).transpose(), to_string(task));
      out.description =
          "the single_leg_squat exercise's bottom posture held still: stance knee 75 deg, pelvis tilted 30 "
          "deg "
          "forward, free leg forward (hip 45 deg, knee 30 deg), arms 60 deg forward";
      break;
    }
    case StanceTask::Landing: {
      // From the single-leg stance: the stance knee bent 30 deg, the pelvis tilted 10 deg forward; the stance
      // leg re-solved (foot flat, centre of pressure at mid-foot).
      ExerciseParameters p;
      p.side = side;
      p.depth = 1.0 / 3.0;
      p.frames_per_rep = 11;
      const GeneratedExercise g = generate_exercise(model, "single_leg_stance", p);
      Eigen::VectorXd q = g.motion.q.row(5).transpose();
      q[coordinate(model, "knee_angle" + st)] = 30.0 * kDeg;
      q[coordinate(model, "pelvis_tilt")] = -10.0 * kDeg;
      q[coordinate(model, "hip_flexion" + st)] = 25.0 * kDeg;  // starting guess
      q[coordinate(model, "ankle_angle" + st)] = 12.0 * kDeg;  // starting guess
      q[coordinate(model, "hip_flexion" + sw)] = 30.0 * kDeg;
      q[coordinate(model, "knee_angle" + sw)] = 50.0 * kDeg;
      for (const char* arm : {"arm_flex_r", "arm_flex_l"}) q[coordinate(model, arm)] = 20.0 * kDeg;
      // The body decelerating its fall at 1 g, so the floor pushes with twice the body weight.
      out.acceleration_mps2 = Vec3(0.0, model.gravity.norm(), 0.0);
      out.q = settle(model, out.foot, out.acceleration_mps2, q, to_string(task));
      out.description =
          "landing-like loading: single-leg stance at 30 deg of knee flexion, pelvis tilted 10 deg forward, "
          "the "
          "body decelerating at 1 g (ground reaction 2 body weights, vertical)";
      break;
    }
  }
  return out;
}

PostureMeasures measure_posture(const Model& model, const StanceFoot& foot, const Eigen::VectorXd& q) {
  State s(model);
  s.q = q;
  compute_positions(model, s);
  const bool right = foot.side == Side::Right;
  const double sgn = right ? 1.0 : -1.0;  // +z is the right side
  const int pelvis = model.body_index("pelvis"), torso = model.body_index("torso");
  auto crest = [&](const char* asis, const char* psis) {
    const Marker &a = marker(model, asis), &p = marker(model, psis);
    const Vec3 local(0.5 * (a.location_m.x() + p.location_m.x()), 0.5 * (a.location_m.y() + p.location_m.y()),
                     a.location_m.z());
    return point_in_ground(s, pelvis, local);
  };
  const Vec3 crest_r = crest("RASI", "RPSI"), crest_l = crest("LASI", "LPSI");
  PostureMeasures m;
  m.crest_drop_m = right ? crest_r.y() - crest_l.y() : crest_l.y() - crest_r.y();
  const Vec3 pelvis_z = s.X_ground_body[static_cast<std::size_t>(pelvis)].R.col(2);
  m.pelvic_list_deg = std::asin(std::clamp(sgn * pelvis_z.y(), -1.0, 1.0)) / kDeg;
  const Vec3 torso_y = s.X_ground_body[static_cast<std::size_t>(torso)].R.col(1);
  m.trunk_lean_deg = std::atan2(sgn * torso_y.z(), torso_y.y()) / kDeg;
  const std::string st = sfx(foot.side);
  m.hip_adduction_deg = q[coordinate(model, "hip_adduction" + st)] / kDeg;
  m.hip_rotation_deg = q[coordinate(model, "hip_rotation" + st)] / kDeg;
  Vec3 centre = Vec3::Zero();
  for (const Vec3& p : foot.sole_body) centre += point_in_ground(s, foot.calcn, p);
  centre /= static_cast<double>(foot.sole_body.size());
  const Vec3 knee = s.X_ground_body[static_cast<std::size_t>(model.body_index("tibia" + st))].p;
  m.knee_medial_m = sgn * (centre.z() - knee.z());
  return m;
}

DeviationSearch smallest_workable_deviation(const std::function<std::optional<bool>(double)>& holds,
                                            double max, double step, double tolerance,
                                            const std::function<std::string(double)>& why) {
  DeviationSearch out;
  double below = -1.0;  // largest deviation known not to hold
  for (int k = 0;; ++k) {
    const double d = std::min(max, k * step);
    const std::optional<bool> ok = holds(d);
    ++out.evaluations;
    if (ok) out.last_built = d;
    if (!ok) {
      out.note = why(d);
      return out;
    }
    if (*ok) {
      out.found = true;
      out.deviation = d;
      break;
    }
    below = d;
    if (d >= max) {
      out.note = why(-1.0);
      return out;
    }
  }
  if (below < 0.0) return out;  // the healthy posture holds
  double above = out.deviation;
  while (above - below > tolerance) {
    const double mid = 0.5 * (above + below);
    const std::optional<bool> ok = holds(mid);
    ++out.evaluations;
    if (ok && *ok)
      above = mid;
    else
      below = mid;
  }
  out.deviation = above;
  return out;
}

double group_activation(const Model& model, const Eigen::VectorXd& activation, const std::string& group,
                        Side side) {
  const std::vector<int> idx =
      impaired_muscles(model, {group, side == Side::Right ? BodySide::Right : BodySide::Left, 1.0, 1.0});
  double sum = 0.0, weight = 0.0;
  for (int i : idx) {
    const double f = model.muscles[static_cast<std::size_t>(i)].max_isometric_force_N;
    sum += f * activation[i];
    weight += f;
  }
  return weight > 0.0 ? sum / weight : 0.0;
}

std::string coordinate_out_of_range(const Model& model, const Eigen::VectorXd& q) {
  for (int c = 0; c < model.num_coordinates(); ++c) {
    const Coordinate& co = model.coordinates[static_cast<std::size_t>(c)];
    if (co.is_dependent() || co.joint < 0) continue;
    if (model.joints[static_cast<std::size_t>(co.joint)].name == "ground_pelvis") continue;
    if (q[c] >= co.range_min - 1e-9 && q[c] <= co.range_max + 1e-9) continue;
    const bool rot = co.motion_type == MotionType::Rotational;
    const double k = rot ? 1.0 / kDeg : 1.0;
    char buf[256];
    std::snprintf(buf, sizeof buf, "%s at %.1f %s, beyond its range [%.0f, %.0f]", co.name.c_str(), q[c] * k,
                  rot ? "deg" : "m", co.range_min * k, co.range_max * k);
    return buf;
  }
  return "";
}

void check_option_range(const char* option, double value, double lo, double hi, bool open_low) {
  if (std::isfinite(value) && (open_low ? value > lo : value >= lo) && value <= hi) return;
  throw std::invalid_argument(std::string(option) + " must be in " + (open_low ? "(" : "[") +
                              format_number("%g", lo) + ", " + format_number("%g", hi) + "], got " +
                              format_number("%g", value));
}

}  // namespace glutelab
