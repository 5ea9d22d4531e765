#include "glutelab/exercise/work_analysis.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "glutelab/analysis/inverse_dynamics_tool.hpp"
#include "glutelab/analysis/joint_reaction.hpp"
#include "glutelab/analysis/static_optimization.hpp"
#include "glutelab/kinematics/kinematics.hpp"
#include "glutelab/kinematics/state.hpp"
#include "glutelab/math/parallel.hpp"
#include "glutelab/model/muscle_groups.hpp"
#include "glutelab/model/names.hpp"
#include "glutelab/muscle/muscle_path.hpp"

namespace glutelab {
namespace {

std::string suffix(Side side) { return side == Side::Left ? "_l" : "_r"; }

bool ends_with(const std::string& s, const std::string& end) {
  return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
}

bool starts_with(const std::string& s, const std::string& start) { return s.rfind(start, 0) == 0; }

std::string lower_with_spaces(std::string_view s) {
  std::string out;
  for (char c : s)
    out += c == '_' || c == '-' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int require_coordinate(const Model& model, const std::string& name) {
  const int c = model.coordinate_index(name);
  if (c < 0) throw std::invalid_argument("work analysis: the model has no coordinate '" + name + "'");
  return c;
}

int joint_index(const Model& model, const std::string& name) {
  for (std::size_t j = 0; j < model.joints.size(); ++j)
    if (model.joints[j].name == name) return static_cast<int>(j);
  return -1;
}

// The compartment/contributor a muscle's moment is booked under in MomentShare.
std::string contributor_of(const std::string& muscle, const std::string& side_suffix) {
  if (!ends_with(muscle, side_suffix)) return "other muscles";
  const std::string base = muscle.substr(0, muscle.size() - side_suffix.size());
  for (const char* c :
       {"glmax1", "glmax2", "glmax3", "glmed1", "glmed2", "glmed3", "glmin1", "glmin2", "glmin3"})
    if (base == c) return base;
  if (starts_with(base, "addmag")) return "adductor magnus";
  if (muscle_group(muscle) == "hamstrings") return "hamstrings";
  return "other muscles";
}

const std::vector<std::string>& contributor_names() {
  static const std::vector<std::string> names{
      "glmax1", "glmax2", "glmax3",     "glmed1",          "glmed2",        "glmed3", "glmin1",
      "glmin2", "glmin3", "hamstrings", "adductor magnus", "other muscles", "reserve"};
  return names;
}

struct ShareInputs {
  const Eigen::MatrixXd* moment_arm;  // frames x muscles about the coordinate
  const Eigen::MatrixXd* muscle_force;
  const Eigen::VectorXd* reserve;  // frames
  const Eigen::VectorXd* net;      // frames, ID generalized force
  double dt;
  double min_moment;
};

MomentShare moment_share(const std::string& action, const std::string& coordinate, int sign,
                         const std::vector<std::string>& muscles, const std::string& side_suffix,
                         const ShareInputs& in) {
  MomentShare s;
  s.action = action;
  s.coordinate = coordinate;
  s.sign = sign;
  std::map<std::string, double> by_contributor, by_group;
  double total = 0.0, agonist = 0.0;
  const Eigen::Index frames = in.net->size();
  for (Eigen::Index f = 0; f < frames; ++f) {
    const double net = sign * (*in.net)[f];
    if (!(net > in.min_moment)) continue;
    ++s.frames;
    total += net;
    for (std::size_t m = 0; m < muscles.size(); ++m) {
      const auto k = static_cast<Eigen::Index>(m);
      const double moment = sign * (*in.moment_arm)(f, k) * (*in.muscle_force)(f, k);
      if (moment == 0.0) continue;
      agonist += std::max(0.0, moment);
      by_contributor[contributor_of(muscles[m], side_suffix)] += moment;
      const std::string g = muscle_group(muscles[m]);
      const auto& groups = work_groups();
      by_group[std::find(groups.begin(), groups.end(), g) != groups.end() &&
                       ends_with(muscles[m], side_suffix)
                   ? g
                   : "others"] += moment;
    }
    by_contributor["reserve"] += sign * (*in.reserve)[f];
  }
  s.impulse_nms = total * in.dt;
  s.agonist_impulse_nms = agonist * in.dt;
  for (const std::string& c : contributor_names()) {
    const double share = total > 0.0 ? by_contributor[c] / total : 0.0;
    s.contributors.emplace_back(c, share);
    s.contributors_sum += share;
  }
  for (const std::string& g : work_groups())
    s.by_group.emplace_back(g, total > 0.0 ? by_group[g] / total : 0.0);
  s.by_group.emplace_back("others", total > 0.0 ? by_group["others"] / total : 0.0);
  return s;
}

}  // namespace

double MomentShare::share_of(const std::string& contributor) const {
  for (const auto& [name, share] : contributors)
    if (name == contributor) return share;
  return 0.0;
}

double MomentShare::group_share(const std::string& group) const {
  for (const auto& [name, share] : by_group)
    if (name == group) return share;
  return 0.0;
}

double ExerciseWorkReport::reserve_fraction(const std::string& coordinate) const {
  for (const auto& [name, fraction] : reserve_fractions)
    if (name == coordinate) return fraction;
  return 0.0;
}

const std::vector<std::string>& work_groups() {
  static const std::vector<std::string> groups{
      "gluteus maximus", "gluteus medius", "gluteus minimus", "deep six",   "hamstrings",
      "quadriceps",      "adductors",      "hip flexors",     "lower back", "calves"};
  return groups;
}

ExerciseWorkReport analyze_exercise_work(const Model& model, const GeneratedExercise& exercise,
                                         const ExerciseWorkOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  ExerciseWorkReport r;
  r.exercise = exercise.info.name;
  r.display_name = exercise.info.display_name;
  r.side = exercise.info.unilateral ? exercise.parameters.side : Side::Right;
  r.body_mass_kg = exercise.body_mass_kg;
  r.load_kg = exercise.load_kg;
  const std::string sfx = suffix(r.side);

  // Reserves on every free coordinate.
  Model m = model;
  std::vector<int> reserve_of(static_cast<std::size_t>(m.num_coordinates()), -1);
  for (int c = 0; c < m.num_coordinates(); ++c) {
    const Coordinate& co = m.coordinates[static_cast<std::size_t>(c)];
    if (co.is_dependent() || co.locked) continue;
    Actuator a;
    a.name = "reserve_" + co.name;
    a.type = ActuatorType::Coordinate;
    a.coordinate = c;
    a.optimal_force = options.reserve_optimal_force_nm;
    a.min_control = -std::numeric_limits<double>::infinity();
    a.max_control = std::numeric_limits<double>::infinity();
    m.actuators.push_back(a);
  }

  const ExternalLoads loads = exercise_external_loads(m, exercise);
  StaticOptimizationOptions so;
  so.mode = StaticOptimizationMode::Physiological;
  so.exponent = options.exponent;
  so.threads = options.threads;
  so.tendon_iterations = options.tendon_iterations;
  const int hip_flex = require_coordinate(m, "hip_flexion" + sfx);
  const int hip_add = require_coordinate(m, "hip_adduction" + sfx);
  const int hip_rot = require_coordinate(m, "hip_rotation" + sfx);
  const int knee = require_coordinate(m, "knee_angle" + sfx);
  so.record_moment_arms = {hip_flex, hip_add, hip_rot, knee};
  const int lumbar = m.coordinate_index("lumbar_extension");
  if (lumbar >= 0) so.record_moment_arms.push_back(lumbar);
  // The exercise's own speeds and accelerations (exact for generated ones, the filtered splines' for
  // recorded ones): the contact loads were made with them, so the pelvis needs no residual. Re-deriving
  // them with the tools' splines left pelvis residuals of 2.5 N (generated) to 57 N (recorded, at the ends).
  AnalysisFrames frames;
  frames.time_s = exercise.motion.time_s;
  frames.q = exercise.motion.q;
  frames.qdot = exercise.qdot;
  frames.qddot = exercise.qddot;
  const StaticOptimizationResult sor = static_optimization(m, frames, &loads, so);
  InverseDynamicsOptions ido;
  ido.threads = options.threads;
  const InverseDynamicsResult idr =
      inverse_dynamics_at_frames(m, frames.time_s, frames.q, frames.qdot, frames.qddot, &loads, ido);
  if (idr.time_s.size() != sor.time_s.size())
    throw std::logic_error("work analysis: inverse dynamics and static optimization visit different frames");

  const auto F = static_cast<Eigen::Index>(sor.time_s.size());
  const auto M = static_cast<Eigen::Index>(m.muscles.size());
  r.frames = static_cast<int>(F);
  r.time_s = sor.time_s;
  for (const auto& fr : sor.frames) r.converged_frames += fr.converged ? 1 : 0;
  const double dt = F > 1 ? (r.time_s.back() - r.time_s.front()) / static_cast<double>(F - 1) : 0.0;

  // Columns of the SO result by name.
  std::map<std::string, Eigen::Index> column;
  for (std::size_t k = 0; k < sor.actuator_names.size(); ++k)
    column[sor.actuator_names[k]] = static_cast<Eigen::Index>(k);
  r.activation = Eigen::MatrixXd::Zero(F, M);
  r.force = Eigen::MatrixXd::Zero(F, M);
  for (Eigen::Index i = 0; i < M; ++i) {
    const std::string& name = m.muscles[static_cast<std::size_t>(i)].name;
    r.muscle_names.push_back(name);
    const auto it = column.find(name);
    if (it == column.end()) continue;
    r.activation.col(i) = sor.activation.col(it->second);
    r.force.col(i) = sor.force.col(it->second);
  }
  auto reserve_force = [&](int c) -> Eigen::VectorXd {
    const auto it = column.find("reserve_" + m.coordinates[static_cast<std::size_t>(c)].name);
    return it == column.end() ? Eigen::VectorXd::Zero(F) : Eigen::VectorXd(sor.force.col(it->second));
  };
  // ID generalized forces per model coordinate.
  Eigen::MatrixXd tau = Eigen::MatrixXd::Zero(F, m.num_coordinates());
  for (std::size_t k = 0; k < idr.coordinates.size(); ++k)
    tau.col(idr.coordinates[k]) = idr.generalized_forces.col(static_cast<Eigen::Index>(k));

  // Per muscle and per group.
  for (Eigen::Index i = 0; i < M; ++i) {
    MuscleWorkSummary s;
    s.name = r.muscle_names[static_cast<std::size_t>(i)];
    s.group = muscle_group(s.name);
    if (F > 0) {
      s.peak_activation = r.activation.col(i).maxCoeff();
      s.mean_activation = r.activation.col(i).mean();
      s.peak_force_n = r.force.col(i).maxCoeff();
      s.mean_force_n = r.force.col(i).mean();
    }
    r.muscles.push_back(s);
  }
  r.group_names = work_groups();
  r.group_activation = Eigen::MatrixXd::Zero(F, static_cast<Eigen::Index>(r.group_names.size()));
  for (std::size_t g = 0; g < r.group_names.size(); ++g) {
    GroupWorkSummary gs;
    gs.group = r.group_names[g];
    Eigen::VectorXd act = Eigen::VectorXd::Zero(F), force = Eigen::VectorXd::Zero(F);
    double weight = 0.0;
    for (Eigen::Index i = 0; i < M; ++i) {
      const Muscle& mu = m.muscles[static_cast<std::size_t>(i)];
      if (!ends_with(mu.name, sfx) || muscle_group(mu.name) != gs.group) continue;
      gs.muscles.push_back(mu.name);
      act += mu.max_isometric_force_N * r.activation.col(i);
      force += r.force.col(i);
      weight += mu.max_isometric_force_N;
    }
    if (weight > 0.0) act /= weight;
    r.group_activation.col(static_cast<Eigen::Index>(g)) = act;
    if (F > 0 && !gs.muscles.empty()) {
      gs.peak_activation = act.maxCoeff();
      gs.mean_activation = act.mean();
      gs.peak_force_n = force.maxCoeff();
      gs.mean_force_n = force.mean();
    }
    r.groups.push_back(gs);
  }

  // Moment arms about the working side's hip and knee coordinates at SO's frames (recorded by SO).
  const std::vector<Eigen::MatrixXd>& arm = sor.moment_arms;  // hip flexion, adduction, rotation, knee
  const std::array<int, 4> coords{hip_flex, hip_add, hip_rot, knee};
  const std::array<const char*, 4> actions{"hip extension", "hip abduction", "hip external rotation",
                                           "knee extension"};
  // Rajagopal/gait2392 signs: hip flexion +, adduction +, internal rotation +, knee flexion +.
  const std::array<int, 4> signs{-1, -1, -1, -1};
  std::array<MomentShare*, 4> out{&r.hip_extension, &r.hip_abduction, &r.hip_external_rotation,
                                  &r.knee_extension};
  for (std::size_t k = 0; k < 4; ++k) {
    const Eigen::VectorXd reserve = reserve_force(coords[k]);
    const Eigen::VectorXd net = tau.col(coords[k]);
    const ShareInputs in{&arm[k], &r.force, &reserve, &net, dt, options.min_share_moment_nm};
    *out[k] = moment_share(actions[k], m.coordinates[static_cast<std::size_t>(coords[k])].name, signs[k],
                           r.muscle_names, sfx, in);
  }
  for (auto& g : r.groups) g.hip_extension_share = r.hip_extension.group_share(g.group);
  if (lumbar >= 0) {  // recorded after the four above
    r.lumbar_extension_moment_nm = tau.col(lumbar);
    r.lumbar_extension_muscle_moment_nm = (arm[4].array() * r.force.array()).rowwise().sum().matrix();
  }

  // Extensor work from the ID moments.
  struct WorkJoint {
    const char* name;
    std::vector<std::string> coordinates;
    int extensor_sign;
  };
  const std::vector<WorkJoint> work_joints{{"hip", {"hip_flexion_r", "hip_flexion_l"}, -1},
                                           {"knee", {"knee_angle_r", "knee_angle_l"}, -1},
                                           {"ankle", {"ankle_angle_r", "ankle_angle_l"}, -1},
                                           {"lower back", {"lumbar_extension"}, +1}};
  for (const WorkJoint& wj : work_joints) {
    JointWork w;
    w.joint = wj.name;
    for (const std::string& cn : wj.coordinates) {
      const int c = m.coordinate_index(cn);
      if (c < 0) continue;
      std::vector<double> power(static_cast<std::size_t>(F), 0.0);
      for (Eigen::Index f = 0; f < F; ++f) {
        const double t = tau(f, c), v = idr.qdot(f, c);
        if (wj.extensor_sign * t > 0.0 && t * v > 0.0) power[static_cast<std::size_t>(f)] = t * v;
      }
      for (Eigen::Index f = 1; f < F; ++f)
        w.positive_work_j +=
            0.5 * (power[static_cast<std::size_t>(f)] + power[static_cast<std::size_t>(f - 1)]) *
            (r.time_s[static_cast<std::size_t>(f)] - r.time_s[static_cast<std::size_t>(f - 1)]);
    }
    r.extensor_work_total_j += w.positive_work_j;
    r.extensor_work.push_back(w);
  }
  for (auto& w : r.extensor_work)
    w.fraction = r.extensor_work_total_j > 0.0 ? w.positive_work_j / r.extensor_work_total_j : 0.0;

  // Hip contact force and the knee's frontal-plane reaction moment, from one pass of joint reactions.
  const int hip_joint = joint_index(m, "hip" + sfx);
  const int knee_adduction = m.coordinate_index("knee_adduction" + sfx);
  int knee_joint = joint_index(m, "walker_knee" + sfx);
  if (knee_joint < 0) knee_joint = joint_index(m, "knee" + sfx);
  const int tibia = m.body_index("tibia" + sfx);
  std::vector<JointReactionRequest> requests;
  if (hip_joint >= 0)
    requests.push_back({hip_joint, true, m.joints[static_cast<std::size_t>(hip_joint)].child_body});
  const bool knee_reaction = knee_adduction < 0 && knee_joint >= 0 && tibia >= 0;
  if (knee_reaction) requests.push_back({knee_joint, true, tibia});
  // Last: the same hip force in the pelvis's axes (its direction relative to the pelvis).
  if (hip_joint >= 0)
    requests.push_back({hip_joint, true, m.joints[static_cast<std::size_t>(hip_joint)].parent_body});
  if (!requests.empty() && F > 0) {
    const JointReactionResult jr = joint_reactions(m, sor, &loads, requests);
    const double body_weight_n = m.total_mass_kg() * m.gravity.norm();
    if (hip_joint >= 0) {  // the pelvis's force on the femur, in body weights
      r.hip_contact_bw = jr.values.leftCols(3).rowwise().norm() / body_weight_n;
      Eigen::Index peak = 0;
      r.peak_hip_contact_bw = r.hip_contact_bw.maxCoeff(&peak);
      r.peak_hip_contact_time_s = r.time_s[static_cast<std::size_t>(peak)];
      r.hip_contact_pelvis_bw = jr.values.middleCols(jr.values.cols() - 9, 3) / body_weight_n;
    }
    if (knee_reaction) {
      const Eigen::Index first = hip_joint >= 0 ? 9 : 0;
      r.knee_reaction_bw = jr.values.middleCols(first, 3).rowwise().norm() / body_weight_n;
      r.peak_knee_reaction_bw = r.knee_reaction_bw.maxCoeff();
      const Eigen::Index col = first + 3;
      r.peak_knee_frontal_moment_nm = jr.values.col(col).cwiseAbs().maxCoeff();
      r.knee_frontal_moment_source = "reaction moment of " +
                                     m.joints[static_cast<std::size_t>(knee_joint)].name + " on tibia" + sfx +
                                     " about the tibia's anteroposterior axis (no knee "
                                     "adduction coordinate in the model)";
    }
  }
  if (knee_adduction >= 0) {
    r.peak_knee_frontal_moment_nm = F > 0 ? tau.col(knee_adduction).cwiseAbs().maxCoeff() : 0.0;
    r.knee_frontal_moment_source = "inverse-dynamics moment of knee_adduction" + sfx;
  }

  // Reserves relative to the joint moments.
  for (int c = 0; c < m.num_coordinates(); ++c) {
    const Coordinate& co = m.coordinates[static_cast<std::size_t>(c)];
    if (co.is_dependent() || co.locked || F == 0) continue;
    const double reserve = reserve_force(c).cwiseAbs().maxCoeff();
    if (co.joint >= 0 && m.joints[static_cast<std::size_t>(co.joint)].name == "ground_pelvis") {
      r.max_pelvis_residual = std::max(r.max_pelvis_residual, reserve);
      continue;
    }
    const double net = tau.col(c).cwiseAbs().maxCoeff();
    if (net < 5.0) continue;
    r.reserve_fractions.emplace_back(co.name, reserve / net);
    if (reserve / net > r.max_reserve_fraction) {
      r.max_reserve_fraction = reserve / net;
      r.max_reserve_coordinate = co.name;
      r.max_reserve_nm = reserve;
    }
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

std::string resolve_muscle_or_group(const Model& model, const std::string& name) {
  const std::string key = lower_with_spaces(name);
  for (const std::string& g : work_groups())
    if (g == key) return g;
  std::vector<std::string> candidates;
  for (const std::string& g : work_groups()) {
    std::string u = g;
    std::replace(u.begin(), u.end(), ' ', '_');
    candidates.push_back(u);
  }
  for (const Muscle& mu : model.muscles) {
    if (mu.name == name) return mu.name;
    if (mu.name == name + "_r" || mu.name == name + "_l") return name;
    candidates.push_back(mu.name);
  }
  const std::string best = closest_name(name, candidates, lower_with_spaces);
  throw std::invalid_argument("unknown muscle or group '" + name + "'; did you mean '" + best + "'?");
}

std::pair<double, double> peak_and_mean_activation(const ExerciseWorkReport& report,
                                                   const std::string& muscle_or_group) {
  for (const GroupWorkSummary& g : report.groups)
    if (g.group == muscle_or_group) return {g.peak_activation, g.mean_activation};
  const std::string sided = muscle_or_group + suffix(report.side);
  for (const std::string& n : {muscle_or_group, sided})
    for (const MuscleWorkSummary& s : report.muscles)
      if (s.name == n) return {s.peak_activation, s.mean_activation};
  throw std::invalid_argument("no muscle or group '" + muscle_or_group + "' in the analysis of " +
                              report.exercise);
}

std::vector<ExerciseRank> rank_exercises(const std::vector<ExerciseWorkReport>& reports,
                                         const std::string& muscle_or_group, RankBy by) {
  std::vector<ExerciseRank> out;
  for (const ExerciseWorkReport& r : reports) {
    const auto [peak, mean] = peak_and_mean_activation(r, muscle_or_group);
    out.push_back({r.exercise, r.display_name, mean, peak});
  }
  std::stable_sort(out.begin(), out.end(), [by](const ExerciseRank& a, const ExerciseRank& b) {
    return by == RankBy::Mean ? a.mean_activation > b.mean_activation : a.peak_activation > b.peak_activation;
  });
  return out;
}

std::vector<ExerciseRank> rank_exercises(const Model& model, const std::vector<GeneratedExercise>& exercises,
                                         const std::string& muscle_or_group, RankBy by,
                                         const ExerciseWorkOptions& options) {
  const std::string key = resolve_muscle_or_group(model, muscle_or_group);
  std::vector<ExerciseWorkReport> reports(exercises.size());
  ExerciseWorkOptions one = options;
  one.threads = 1;
  parallel_for(static_cast<int>(exercises.size()), options.threads, [&](int i) {
    reports[static_cast<std::size_t>(i)] =
        analyze_exercise_work(model, exercises[static_cast<std::size_t>(i)], one);
  });
  return rank_exercises(reports, key, by);
}

ExerciseLibraryAnalysis analyze_exercises(const Model& model, const std::vector<ExerciseJob>& jobs,
                                          const ExerciseWorkOptions& options,
                                          const std::function<void(int done, int total)>& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  const int n = static_cast<int>(jobs.size());
  std::vector<std::optional<ExerciseWorkReport>> reports(jobs.size());
  std::vector<std::string> why(jobs.size());
  std::atomic<int> done{0};
  std::mutex progress_mutex;
  ExerciseWorkOptions one = options;
  one.threads = 1;
  parallel_for(n, options.threads, [&](int i) {
    const auto k = static_cast<std::size_t>(i);
    std::optional<GeneratedExercise> ex;
    try {
      ex = generate_exercise(model, jobs[k].exercise, jobs[k].parameters);
    } catch (const std::invalid_argument& e) {
      why[k] = e.what();
    } catch (const std::runtime_error& e) {
      why[k] = e.what();
    }
    if (ex) reports[k] = analyze_exercise_work(model, *ex, one);
    const int d = ++done;
    if (progress) {
      const std::lock_guard<std::mutex> lock(progress_mutex);
      progress(d, n);
    }
  });
  ExerciseLibraryAnalysis out;
  for (std::size_t k = 0; k < jobs.size(); ++k) {
    if (reports[k])
      out.reports.push_back(std::move(*reports[k]));
    else
      out.skipped.emplace_back(jobs[k].exercise, why[k]);
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace glutelab
