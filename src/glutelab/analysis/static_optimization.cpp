#include "glutelab/analysis/static_optimization.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <thread>

#include "glutelab/analysis/bounded_least_effort.hpp"
#include "glutelab/analysis/coordinate_processing.hpp"
#include "glutelab/analysis/ipopt_least_effort.hpp"
#include "glutelab/dynamics/actuator_loads.hpp"
#include "glutelab/dynamics/external_load_forces.hpp"
#include "glutelab/dynamics/inverse_dynamics.hpp"
#include "glutelab/kinematics/kinematics.hpp"
#include "glutelab/muscle/muscle_equilibrium.hpp"
#include "glutelab/muscle/muscle_model.hpp"
#include "glutelab/muscle/muscle_path.hpp"

namespace glutelab {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
/// Physiological mode: an elastic-tendon muscle's equilibrium is recomputed when its activation
/// estimate moved by more than this since the last evaluation.
constexpr double kActivationTolerance = 1e-3;

double bound_or_infinite(double v) { return std::abs(v) >= 1e299 ? std::copysign(kInfinity, v) : v; }

double muscle_parameter(const Muscle& m, const char* key, double fallback) {
  const auto it = m.parameters.find(key);
  return it == m.parameters.end() ? fallback : it->second;
}

/// The problem's structure, shared by all threads: which coordinate each constraint row balances,
/// and the bounds of every unknown.
struct Layout {
  std::vector<int> row_coordinates;  ///< independent, unlocked coordinates (OpenSim: not constrained)
  std::vector<int> row_of;  ///< per model coordinate: its row (dependents: their independent's), or -1
  Eigen::VectorXd lower, upper, weights;
  std::vector<MuscleParameters> muscles;
  std::vector<int> actuators;  ///< Model::actuators indices that apply force
};

Layout make_layout(const Model& model) {
  Layout L;
  const int nc = model.num_coordinates();
  L.row_of.assign(static_cast<std::size_t>(nc), -1);
  for (int c : coordinates_in_tree_order(model)) {
    const Coordinate& coord = model.coordinates[static_cast<std::size_t>(c)];
    if (coord.is_dependent() || coord.locked) continue;
    L.row_of[static_cast<std::size_t>(c)] = static_cast<int>(L.row_coordinates.size());
    L.row_coordinates.push_back(c);
  }
  for (int c = 0; c < nc; ++c) {
    const Coordinate& coord = model.coordinates[static_cast<std::size_t>(c)];
    if (coord.is_dependent())
      L.row_of[static_cast<std::size_t>(c)] = L.row_of[static_cast<std::size_t>(coord.independent)];
  }
  L.muscles = muscle_parameters(model);
  for (std::size_t a = 0; a < model.actuators.size(); ++a)
    if (model.actuators[a].applies_force) L.actuators.push_back(static_cast<int>(a));
  const auto nm = model.muscles.size();
  const auto n = static_cast<Eigen::Index>(nm + L.actuators.size());
  L.lower.resize(n);
  L.upper.resize(n);
  L.weights = Eigen::VectorXd::Ones(n);
  for (std::size_t i = 0; i < nm; ++i) {
    const Muscle& m = model.muscles[i];
    L.lower[static_cast<Eigen::Index>(i)] =
        m.applies_force ? bound_or_infinite(muscle_parameter(m, "min_control", 0.0)) : 0.0;
    L.upper[static_cast<Eigen::Index>(i)] =
        m.applies_force ? bound_or_infinite(muscle_parameter(m, "max_control", 1.0)) : 0.0;
  }
  for (std::size_t k = 0; k < L.actuators.size(); ++k) {
    const Actuator& a = model.actuators[static_cast<std::size_t>(L.actuators[k])];
    L.lower[static_cast<Eigen::Index>(nm + k)] = bound_or_infinite(a.min_control);
    L.upper[static_cast<Eigen::Index>(nm + k)] = bound_or_infinite(a.max_control);
  }
  return L;
}

/// Generalized force per unit control of a non-muscle actuator, folded onto the constraint rows.
/// `scratch` is a per-thread BodyForces used for point and torque actuators.
void actuator_column(const Model& model, const State& s, const Layout& L, const Actuator& a,
                     BodyForces& scratch, Eigen::Ref<Eigen::VectorXd> column) {
  column.setZero();
  if (a.type == ActuatorType::Coordinate) {
    const Coordinate& coord = model.coordinates[static_cast<std::size_t>(a.coordinate)];
    const int r = L.row_of[static_cast<std::size_t>(a.coordinate)];
    if (r >= 0) column[r] += a.optimal_force * (coord.is_dependent() ? s.coupling_slope[a.coordinate] : 1.0);
    return;
  }
  scratch.clear();
  add_actuator_loads(model, s, a, a.optimal_force, scratch);
  // Virtual power of each loaded body's force and moment (about its origin) over its Jacobian columns.
  for (int body : {a.body, a.body_b}) {
    if (body <= 0) continue;
    const auto b = static_cast<std::size_t>(body);
    const Vec3& F = scratch.force_n[b];
    const Vec3 N = scratch.moment_n_m[b] - s.X_ground_body[b].p.cross(F);
    for (int c : s.body_columns[b]) {
      const int r = L.row_of[static_cast<std::size_t>(c)];
      if (r >= 0)
        column[r] += s.body_jacobian[b].col(c).tail<3>().dot(F) + s.body_jacobian[b].col(c).head<3>().dot(N);
    }
    scratch.force_n[b].setZero();  // body_b == body must not count twice
    scratch.moment_n_m[b].setZero();
  }
}

/// OpenSim 2.x/3.x computeIsokineticForceAssumingInfinitelyStiffTendon(s, 1): see OpenSimForceModel.
double legacy_isokinetic_force(const MuscleParameters& p, double mt_length_m, double mt_speed_mps) {
  const FiberState isometric = equilibrium_state(p, mt_length_m, 0.0, 1.0, EquilibriumVelocity::Zero);
  const double shortening = -std::cos(p.pennation_angle_at_optimal_rad) * mt_speed_mps /
                            (p.max_contraction_velocity * p.optimal_fiber_length_m);
  const double f_v = 1.8 - 1.8 / (1.0 + std::exp((0.04 - shortening) / 0.18));
  return isometric.tendon_force_N * f_v;
}

}  // namespace

AnalysisFrames analysis_frames(const Motion& motion, double cutoff_hz, double start_s, double end_s,
                               int step_interval) {
  if (step_interval < 1) throw std::invalid_argument("the step interval must be at least 1");
  CoordinateProcessingOptions processing;
  processing.cutoff_hz = cutoff_hz;
  processing.t0 = start_s;
  processing.t1 = end_s;
  const ProcessedCoordinates all =
      process_coordinates_static_optimization(motion.time_s, motion.q, processing);
  // Rows analysed: every step_interval-th of the states (absolute index), the first and the last.
  int first_absolute = 0;
  if (step_interval > 1) {
    const TimeSeries filtered = filter_coordinates(TimeSeries{motion.time_s, motion.q}, cutoff_hz);
    first_absolute = tool_row_range(filtered.time_s, start_s, end_s).first;
  }
  std::vector<int> rows;
  const int available = static_cast<int>(all.time_s.size());
  for (int r = 0; r < available; ++r)
    if (r == 0 || r == available - 1 || (first_absolute + r) % step_interval == 0) rows.push_back(r);
  AnalysisFrames out;
  const auto n = static_cast<Eigen::Index>(rows.size());
  out.q.resize(n, all.q.cols());
  out.qdot.resize(n, all.q.cols());
  out.qddot.resize(n, all.q.cols());
  for (Eigen::Index f = 0; f < n; ++f) {
    const int r = rows[static_cast<std::size_t>(f)];
    out.time_s.push_back(all.time_s[static_cast<std::size_t>(r)]);
    out.q.row(f) = all.q.row(r);
    out.qdot.row(f) = all.qdot.row(r);
    out.qddot.row(f) = all.qddot.row(r);
  }
  return out;
}

StaticOptimizationResult static_optimization(const Model& model, const Motion& motion,
                                             const ExternalLoads* loads,
                                             const StaticOptimizationOptions& options) {
  if (!(options.exponent > 1.0))
    throw std::invalid_argument("the activation exponent must be greater than 1");
  if (options.step_interval < 1) throw std::invalid_argument("the step interval must be at least 1");
  const AnalysisFrames frames_in =
      analysis_frames(motion, options.cutoff_hz, options.start_s, options.end_s, options.step_interval);

  const Layout layout = make_layout(model);
  const int nm = static_cast<int>(model.muscles.size());
  const int na = static_cast<int>(layout.actuators.size());
  const int n = nm + na;
  const int m = static_cast<int>(layout.row_coordinates.size());
  const int nc = model.num_coordinates();
  const int frames = static_cast<int>(frames_in.time_s.size());

  StaticOptimizationResult result;
  result.num_muscles = nm;
  for (const Muscle& mu : model.muscles) result.actuator_names.push_back(mu.name);
  for (int a : layout.actuators)
    result.actuator_names.push_back(model.actuators[static_cast<std::size_t>(a)].name);
  result.activation.setZero(frames, n);
  result.force.setZero(frames, n);
  result.frames.resize(static_cast<std::size_t>(frames));
  result.time_s = frames_in.time_s;
  result.q = frames_in.q;
  result.qdot = frames_in.qdot;
  result.qddot = frames_in.qddot;
  if (result.q.cols() != nc)
    throw std::invalid_argument("the motion does not belong to this model (coordinate count)");

  for (const int c : options.record_moment_arms) {
    if (c < 0 || c >= nc)
      throw std::invalid_argument("record_moment_arms: no coordinate " + std::to_string(c) + " in the model");
    result.moment_arms.push_back(Eigen::MatrixXd::Zero(frames, nm));
  }
  const auto start = std::chrono::steady_clock::now();
  int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::clamp(threads, 1, std::max(1, frames / 8));
  if (options.exponent != 2.0 || options.force_ipopt) threads = 1;  // Ipopt calls are serialised anyway
  std::atomic<int> done{0};
  const bool physiological = options.mode == StaticOptimizationMode::Physiological;

  auto worker = [&](int begin, int end) {
    State s(model);
    PathWorkspace paths(model);
    InverseDynamicsWorkspace idw(model);
    BodyForces applied(model), scratch_loads(model);
    Eigen::VectorXd tau(nc), dl_dq(nc), b(m), lambda = Eigen::VectorXd::Zero(m), x = Eigen::VectorXd::Zero(n);
    Eigen::VectorXd per_activation(nm), passive(nm), lengths(nm), speeds(nm), b_dynamics(m);
    Eigen::MatrixXd arms(m, nm), A(m, n);
    LeastEffortWorkspace qp(m, n);
    Eigen::VectorXd activation_guess = Eigen::VectorXd::Constant(nm, 0.05);
    Eigen::VectorXd equilibrium_activation = Eigen::VectorXd::Constant(nm, -1.0);
    for (int f = begin; f < end; ++f) {
      s.q = result.q.row(f).transpose();
      s.qdot = result.qdot.row(f).transpose();
      s.qddot = result.qddot.row(f).transpose();
      applied.clear();
      compute_positions(model, s);
      if (loads != nullptr)
        add_external_loads(model, s, *loads, result.time_s[static_cast<std::size_t>(f)], applied);
      inverse_dynamics(model, s, loads != nullptr ? &applied : nullptr, idw, tau);
      compute_jacobians(model, s);
      // Generalized forces to produce, folded onto the rows (dependent coordinates through their couplers).
      b_dynamics.setZero();
      for (int c = 0; c < nc; ++c) {
        const int r = layout.row_of[static_cast<std::size_t>(c)];
        if (r < 0) continue;
        const Coordinate& coord = model.coordinates[static_cast<std::size_t>(c)];
        b_dynamics[r] += tau[c] * (coord.is_dependent() ? s.coupling_slope[c] : 1.0);
      }
      // Muscles: moment arms on the rows, length and speed.
      for (int i = 0; i < nm; ++i) {
        lengths[i] = path_length_and_gradient(model, s, i, paths, dl_dq);
        speeds[i] = dl_dq.dot(s.qdot);
        arms.col(i).setZero();
        for (int r = 0; r < m; ++r) arms(r, i) = -dl_dq[layout.row_coordinates[static_cast<std::size_t>(r)]];
        for (std::size_t k = 0; k < options.record_moment_arms.size(); ++k)
          result.moment_arms[k](f, i) = -dl_dq[options.record_moment_arms[k]];
      }
      for (int k = 0; k < na; ++k)
        actuator_column(
            model, s, layout,
            model.actuators[static_cast<std::size_t>(layout.actuators[static_cast<std::size_t>(k)])],
            scratch_loads, A.col(nm + k));
      const int passes = physiological ? std::max(1, options.tendon_iterations) : 1;
      LeastEffortResult solved;
      for (int pass = 0; pass < passes; ++pass) {
        // After the first pass only elastic-tendon muscles whose activation moved since their last
        // equilibrium are re-evaluated; when none moved, the fixed point is reached.
        int reevaluated = 0;
        for (int i = 0; i < nm; ++i) {
          const MuscleParameters& p = layout.muscles[static_cast<std::size_t>(i)];
          const bool elastic = physiological && model.muscles[static_cast<std::size_t>(i)].applies_force &&
                               !(p.model != MuscleModel::Thelen2003 && p.ignore_tendon_compliance);
          if (pass > 0 &&
              (!elastic || std::abs(activation_guess[i] - equilibrium_activation[i]) < kActivationTolerance))
            continue;
          if (pass > 0) ++reevaluated;
          if (!model.muscles[static_cast<std::size_t>(i)].applies_force) {
            per_activation[i] = passive[i] = 0.0;
          } else if (!physiological) {
            if (!options.use_muscle_physiology)
              per_activation[i] = p.max_isometric_force_N;
            else if (options.opensim_version == OpenSimForceModel::Version4)
              per_activation[i] = force_per_activation(p, lengths[i], speeds[i]);
            else
              per_activation[i] = legacy_isokinetic_force(p, lengths[i], speeds[i]);
            passive[i] = 0.0;
          } else if (p.model != MuscleModel::Thelen2003 && p.ignore_tendon_compliance) {
            const FiberState st = rigid_tendon_state(p, lengths[i], speeds[i], 1.0);
            per_activation[i] = st.active_fiber_force_N * st.cos_pennation;
            passive[i] = rigid_tendon_passive_force(p, lengths[i], speeds[i]);
          } else {
            // Elastic tendon in equilibrium at the current activation estimate.
            equilibrium_activation[i] = activation_guess[i];
            const double a = std::clamp(activation_guess[i], std::max(0.01, p.minimum_activation), 1.0);
            const FiberState st =
                equilibrium_state(p, lengths[i], speeds[i], a, opensim_equilibrium_velocity(p.model));
            per_activation[i] =
                st.activation > 0.0 ? st.active_fiber_force_N / st.activation * st.cos_pennation : 0.0;
            passive[i] = st.passive_fiber_force_N * st.cos_pennation;
          }
        }
        if (pass > 0 && reevaluated == 0) break;
        for (int i = 0; i < nm; ++i) A.col(i) = arms.col(i) * per_activation[i];
        b = b_dynamics;
        if (physiological) b.noalias() -= arms * passive;
        if (options.exponent == 2.0 && !options.force_ipopt) {
          solved = solve_least_effort(A, b, layout.weights, layout.lower, layout.upper, lambda, x, qp);
        } else {
          x = x.cwiseMax(layout.lower).cwiseMin(layout.upper);
          const IpoptLeastEffortResult r = solve_least_effort_ipopt(A, b, layout.weights, options.exponent,
                                                                    layout.lower, layout.upper, x, 1e-10);
          solved.converged = r.converged;
          solved.iterations = r.iterations;
          Eigen::Index worst = 0;
          solved.max_residual = (A * x - b).cwiseAbs().maxCoeff(&worst);
          solved.worst_row = static_cast<int>(worst);
        }
        activation_guess = x.head(nm);
      }
      StaticOptimizationFrame& report = result.frames[static_cast<std::size_t>(f)];
      report.converged = solved.converged;
      report.iterations = solved.iterations;
      report.max_residual = solved.max_residual;
      report.worst_coordinate = solved.worst_row >= 0 && solved.worst_row < m
                                    ? layout.row_coordinates[static_cast<std::size_t>(solved.worst_row)]
                                    : -1;
      for (int i = 0; i < nm; ++i)
        if (x[i] >= layout.upper[i] - 1e-6) report.saturated_muscles.push_back(i);
      for (int k = 0; k < na; ++k)
        report.max_reserve_control = std::max(report.max_reserve_control, std::abs(x[nm + k]));
      result.activation.row(f) = x.transpose();
      for (int i = 0; i < nm; ++i) result.force(f, i) = x[i] * per_activation[i] + passive[i];
      for (int k = 0; k < na; ++k)
        result.force(f, nm + k) =
            x[nm + k] *
            model.actuators[static_cast<std::size_t>(layout.actuators[static_cast<std::size_t>(k)])]
                .optimal_force;
      const int d = ++done;
      if (options.progress && (d % 16 == 0 || d == frames)) options.progress(d, frames);
    }
  };
  std::vector<std::thread> pool;
  const int block = (frames + threads - 1) / threads;
  for (int t = 1; t < threads; ++t)
    pool.emplace_back(worker, std::min(frames, t * block), std::min(frames, (t + 1) * block));
  worker(0, std::min(frames, block));
  for (auto& t : pool) t.join();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

TimeTable static_optimization_activation_table(const StaticOptimizationResult& result) {
  TimeTable t;
  t.name = "Static Optimization";
  t.time_s = result.time_s;
  t.labels = result.actuator_names;
  t.values = result.activation;
  return t;
}

TimeTable static_optimization_force_table(const StaticOptimizationResult& result) {
  TimeTable t;
  t.name = "ModelForces";
  t.time_s = result.time_s;
  t.labels = result.actuator_names;
  t.values = result.force;
  return t;
}

}  // namespace glutelab
