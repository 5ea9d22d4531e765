#include "glutelab/dysfunction/static_pose.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <Eigen/Dense>

#include "glutelab/analysis/joint_reaction.hpp"
#include "glutelab/analysis/static_optimization.hpp"
#include "glutelab/dynamics/inverse_dynamics.hpp"
#include "glutelab/exercise/contact_distribution.hpp"
#include "glutelab/exercise/support_polygon.hpp"
#include "glutelab/kinematics/kinematics.hpp"

namespace glutelab {
namespace {

std::string suffix(Side side) { return side == Side::Right ? "_r" : "_l"; }

int require_coordinate(const Model& model, const std::string& name) {
  const int c = model.coordinate_index(name);
  if (c < 0) throw std::invalid_argument("static pose: the model has no coordinate '" + name + "'");
  return c;
}

int require_joint(const Model& model, const std::string& name) {
  for (std::size_t j = 0; j < model.joints.size(); ++j)
    if (model.joints[j].name == name) return static_cast<int>(j);
  throw std::invalid_argument("static pose: the model has no joint '" + name + "'");
}

bool is_pelvis_coordinate(const Model& model, const Coordinate& co) {
  return co.joint >= 0 && model.joints[static_cast<std::size_t>(co.joint)].name == "ground_pelvis";
}

/// A copy of `model` with an unbounded CoordinateActuator on every free pelvis coordinate (residuals) and,
/// when `reserves`, on every other free coordinate.
Model with_actuators(const Model& model, bool reserves, double optimal_force) {
  Model m = model;
  for (int c = 0; c < m.num_coordinates(); ++c) {
    const Coordinate& co = m.coordinates[static_cast<std::size_t>(c)];
    if (co.is_dependent() || co.locked) continue;
    const bool pelvis = is_pelvis_coordinate(m, co);
    if (!pelvis && !reserves) continue;
    Actuator a;
    a.name = (pelvis ? "residual_" : "reserve_") + co.name;
    a.type = ActuatorType::Coordinate;
    a.coordinate = c;
    a.optimal_force = pelvis ? 1.0 : optimal_force;
    a.min_control = -std::numeric_limits<double>::infinity();
    a.max_control = std::numeric_limits<double>::infinity();
    m.actuators.push_back(a);
  }
  return m;
}

}  // namespace

StanceFoot stance_foot(const Model& model, Side side) {
  ExerciseParameters p;
  p.side = side;
  p.frames_per_rep = 10;
  const GeneratedExercise g = generate_exercise(model, "single_leg_stance", p);
  const std::string name = side == Side::Right ? "foot_r" : "foot_l";
  const auto it =
      std::find_if(g.loads.begin(), g.loads.end(), [&](const ExerciseLoad& l) { return l.name == name; });
  if (it == g.loads.end() || it->polygon_m.empty())
    throw std::logic_error("stance_foot: the single-leg stance has no contact '" + name + "'");
  StanceFoot foot;
  foot.side = side;
  foot.calcn = it->body;
  State s(model);
  s.q = g.motion.q.row(0).transpose();
  compute_positions(model, s);
  const Transform inv = s.X_ground_body[static_cast<std::size_t>(foot.calcn)].inverse();
  for (const Vec3& v : it->polygon_m[0]) foot.sole_body.push_back(inv.apply(v));
  foot.sole_normal_body = inv.R * Vec3::UnitY();  // the generated sole is flat
  return foot;
}

Vec3 midfoot_point(const StanceFoot& foot, const State& state) {
  const Vec3 heel = point_in_ground(state, foot.calcn, foot.sole_body[0]);
  const Vec3 toe = point_in_ground(state, foot.calcn, foot.sole_body[2]);
  return heel + 0.42 * (toe - heel);
}

Vec3 whole_body_com(const Model& model, const State& state) {
  Vec3 sum = Vec3::Zero();
  double mass = 0.0;
  for (std::size_t b = 1; b < model.bodies.size(); ++b) {
    sum += model.bodies[b].mass_kg * state.X_ground_body[b].apply(model.bodies[b].mass_center_m);
    mass += model.bodies[b].mass_kg;
  }
  return sum / mass;
}

Vec3 uniform_acceleration_cop(const Vec3& com, const Vec3& acceleration, double gravity_mps2,
                              double floor_y) {
  // Ground reaction F = m (a + g up); its line passes through the CoM: CoP = com - (h / F_y) F_h.
  const double fy = gravity_mps2 + acceleration.y();
  const double h = com.y() - floor_y;
  return Vec3(com.x() - h * acceleration.x() / fy, floor_y, com.z() - h * acceleration.z() / fy);
}

bool solve_posture(const Model& model, State& s, const std::vector<int>& unknowns,
                   const std::function<void(const State&, Eigen::VectorXd&)>& residual) {
  const auto n = static_cast<Eigen::Index>(unknowns.size());
  Eigen::VectorXd x(n), r(n), r2(n);
  for (Eigen::Index k = 0; k < n; ++k) x[k] = s.q[unknowns[static_cast<std::size_t>(k)]];
  auto eval = [&](const Eigen::VectorXd& xv, Eigen::VectorXd& out) {
    for (Eigen::Index k = 0; k < n; ++k) s.q[unknowns[static_cast<std::size_t>(k)]] = xv[k];
    compute_positions(model, s);
    residual(s, out);
  };
  eval(x, r);
  for (int it = 0; it < 50 && r.norm() > 1e-12; ++it) {
    Eigen::MatrixXd J(n, n);
    for (Eigen::Index k = 0; k < n; ++k) {
      Eigen::VectorXd xp = x;
      xp[k] += 1e-7;
      eval(xp, r2);
      J.col(k) = (r2 - r) / 1e-7;
    }
    const Eigen::VectorXd dx = J.fullPivLu().solve(-r);
    double step = 1.0;
    for (int ls = 0; ls < 20; ++ls, step *= 0.5) {
      eval(x + step * dx, r2);
      if (r2.norm() < r.norm() || ls == 19) break;
    }
    x += step * dx;
    r = r2;
  }
  eval(x, r);
  return r.norm() < 1e-9;
}

void stance_residuals(const Model& model, const StanceFoot& foot, const Vec3& acceleration, const State& s,
                      Eigen::VectorXd& r, int offset) {
  const Vec3 n = s.X_ground_body[static_cast<std::size_t>(foot.calcn)].R * foot.sole_normal_body;
  Vec3 centre = Vec3::Zero();
  for (const Vec3& p : foot.sole_body) centre += point_in_ground(s, foot.calcn, p);
  centre /= static_cast<double>(foot.sole_body.size());
  const Vec3 cop =
      uniform_acceleration_cop(whole_body_com(model, s), acceleration, model.gravity.norm(), centre.y());
  r[offset] = n.x();
  r[offset + 1] = n.z();
  r[offset + 2] = cop.x() - midfoot_point(foot, s).x();
  r[offset + 3] = cop.z() - centre.z();
}

void plant_foot(const Model& model, const StanceFoot& foot, State& s, const Vec3& sole_centre) {
  compute_positions(model, s);
  Vec3 centre = Vec3::Zero();
  for (const Vec3& p : foot.sole_body) centre += point_in_ground(s, foot.calcn, p);
  centre /= static_cast<double>(foot.sole_body.size());
  const Vec3 shift = sole_centre - centre;
  const char* names[3] = {"pelvis_tx", "pelvis_ty", "pelvis_tz"};
  for (int k = 0; k < 3; ++k) s.q[require_coordinate(model, names[k])] += shift[k];
  compute_positions(model, s);
}

// ---------------------------------------------------------------------------------------------------

struct StaticPoseEvaluator::Loaded {
  AnalysisFrames frames;
  ExternalLoads loads;
  Vec3 com = Vec3::Zero(), force = Vec3::Zero(), cop = Vec3::Zero();
  double free_torque = 0.0, cop_margin = 0.0;
};

StaticPoseEvaluator::StaticPoseEvaluator(const Model& model, StanceFoot foot, StaticPoseOptions options)
    : model_(model),
      foot_(std::move(foot)),
      options_(options),
      residual_model_(with_actuators(model, false, options.reserve_optimal_force_nm)),
      reserve_model_(with_actuators(model, true, options.reserve_optimal_force_nm)) {
  if (foot_.calcn < 0 || foot_.sole_body.size() != 4)
    throw std::invalid_argument("static pose: the stance foot needs its calcaneus and four sole corners");
  if (!(options_.reserve_optimal_force_nm > 0.0))
    throw std::invalid_argument("static pose: reserve_optimal_force_nm must be > 0");
}

StaticPoseEvaluator::Loaded StaticPoseEvaluator::load(const Eigen::VectorXd& q) const {
  const Model& m = model_;
  const int nc = m.num_coordinates();
  if (q.size() != nc) throw std::invalid_argument("static pose: q has the wrong number of coordinates");
  Loaded L;
  L.frames.time_s = {0.0};
  L.frames.q = q.transpose();
  L.frames.qdot = Eigen::MatrixXd::Zero(1, nc);
  L.frames.qddot = Eigen::MatrixXd::Zero(1, nc);
  const char* names[3] = {"pelvis_tx", "pelvis_ty", "pelvis_tz"};
  for (int k = 0; k < 3; ++k)
    L.frames.qddot(0, require_coordinate(m, names[k])) = options_.acceleration_mps2[k];
  // What the ground must supply: the whole body's requirement at the ground-pelvis joint.
  State s(m);
  s.q = q;
  s.qdot.setZero();
  s.qddot = L.frames.qddot.row(0).transpose();
  InverseDynamicsWorkspace ws(m);
  Eigen::VectorXd tau(nc);
  inverse_dynamics(m, s, nullptr, ws, tau);
  L.com = whole_body_com(m, s);
  Vec3 centre = Vec3::Zero();
  std::vector<Vec3> sole;
  for (const Vec3& p : foot_.sole_body) {
    sole.push_back(point_in_ground(s, foot_.calcn, p));
    centre += sole.back();
  }
  centre /= 4.0;
  ContactPatch patch;
  patch.centre_m = centre;
  const std::vector<ContactLoad> cl = distribute_wrench({patch}, ws.force[0], ws.moment[0]);
  L.force = cl[0].force_n;
  L.cop = cl[0].cop_m;
  L.free_torque = cl[0].torque_n_m.y();
  L.cop_margin = distance_inside_polygon(support_polygon(sole), L.cop);
  // One ExternalForce on the calcaneus, constant in time.
  L.loads.data.name = "stance_foot";
  L.loads.data.time_s = {0.0};
  L.loads.data.values.resize(1, 9);
  ExternalForce ef;
  ef.name = "foot" + suffix(foot_.side);
  ef.applied_body = foot_.calcn;
  const char* axes = "xyz";
  for (int k = 0; k < 3; ++k) {
    ef.force_columns[static_cast<std::size_t>(k)] = k;
    ef.point_columns[static_cast<std::size_t>(k)] = 3 + k;
    ef.torque_columns[static_cast<std::size_t>(k)] = 6 + k;
    L.loads.data.values(0, k) = L.force[k];
    L.loads.data.values(0, 3 + k) = L.cop[k];
    L.loads.data.values(0, 6 + k) = cl[0].torque_n_m[k];
  }
  for (const char* kind : {"_force_v", "_point_p", "_torque_"})
    for (int k = 0; k < 3; ++k) L.loads.data.labels.push_back(ef.name + kind + std::string(1, axes[k]));
  L.loads.forces.push_back(ef);
  for (int c = 0; c < 9; ++c)
    L.loads.column_functions.push_back(Function::constant(L.loads.data.values(0, c)));
  return L;
}

bool StaticPoseEvaluator::feasible(const Eigen::VectorXd& q) const {
  const Loaded L = load(q);
  StaticOptimizationOptions so;
  so.mode = StaticOptimizationMode::Physiological;
  so.threads = 1;
  so.tendon_iterations = options_.tendon_iterations;
  return static_optimization(residual_model_, L.frames, &L.loads, so).frames[0].converged;
}

StaticPoseResult StaticPoseEvaluator::evaluate(const Eigen::VectorXd& q) const {
  const Model& m = model_;
  const Loaded L = load(q);
  StaticPoseResult r;
  r.com_m = L.com;
  r.grf_n = L.force;
  r.cop_m = L.cop;
  r.free_torque_nm = L.free_torque;
  r.cop_margin_m = L.cop_margin;
  StaticOptimizationOptions so;
  so.mode = StaticOptimizationMode::Physiological;
  so.threads = 1;
  so.tendon_iterations = options_.tendon_iterations;
  StaticOptimizationResult sor = static_optimization(residual_model_, L.frames, &L.loads, so);
  r.feasible = sor.frames[0].converged;
  const Model* used = &residual_model_;
  if (!r.feasible) {
    sor = static_optimization(reserve_model_, L.frames, &L.loads, so);
    used = &reserve_model_;
  }
  const auto nm = static_cast<Eigen::Index>(m.muscles.size());
  r.activation = sor.activation.row(0).head(nm).transpose();
  r.force = sor.force.row(0).head(nm).transpose();
  Eigen::Index imax = 0;
  r.max_activation = nm > 0 ? r.activation.maxCoeff(&imax) : 0.0;
  if (nm > 0) r.max_activation_muscle = m.muscles[static_cast<std::size_t>(imax)].name;
  for (std::size_t k = m.muscles.size(); k < sor.actuator_names.size(); ++k) {
    const std::string& name = sor.actuator_names[k];
    if (name.rfind("reserve_", 0) != 0) continue;
    const double v = std::abs(sor.force(0, static_cast<Eigen::Index>(k)));
    if (v > r.max_reserve_nm) {
      r.max_reserve_nm = v;
      r.max_reserve_coordinate = name.substr(8);
    }
  }
  // Equilibrium check: inverse dynamics with the ground reaction applied leaves the pelvis unloaded.
  {
    State s(m);
    s.q = q;
    s.qdot.setZero();
    s.qddot = L.frames.qddot.row(0).transpose();
    BodyForces applied(m);
    applied.add_force_at_point(foot_.calcn, L.force, L.cop);
    applied.add_torque(foot_.calcn, Vec3(0.0, L.free_torque, 0.0));
    InverseDynamicsWorkspace ws(m);
    Eigen::VectorXd tau_loaded(m.num_coordinates());
    inverse_dynamics(m, s, &applied, ws, tau_loaded);
    r.tau = tau_loaded;
    for (int c = 0; c < m.num_coordinates(); ++c) {
      const Coordinate& co = m.coordinates[static_cast<std::size_t>(c)];
      if (!is_pelvis_coordinate(m, co)) continue;
      if (co.motion_type == MotionType::Translational)
        r.residual_force_n = std::max(r.residual_force_n, std::abs(tau_loaded[c]));
      else
        r.residual_moment_nm = std::max(r.residual_moment_nm, std::abs(tau_loaded[c]));
    }
  }
  // Hip contact force and the knee's frontal-plane reaction moment on the stance side.
  const std::string sfx = suffix(foot_.side);
  const int hip = require_joint(*used, "hip" + sfx);
  int knee = -1;
  for (const char* k : {"walker_knee", "knee"})
    for (std::size_t j = 0; j < used->joints.size() && knee < 0; ++j)
      if (used->joints[j].name == std::string(k) + sfx) knee = static_cast<int>(j);
  const int tibia = used->body_index("tibia" + sfx);
  std::vector<JointReactionRequest> requests{
      {hip, true, used->joints[static_cast<std::size_t>(hip)].child_body}};
  if (knee >= 0 && tibia >= 0) requests.push_back({knee, true, tibia});
  const JointReactionResult jr = joint_reactions(*used, sor, &L.loads, requests);
  r.hip_contact_bw = jr.values.row(0).head(3).norm() / (m.total_mass_kg() * m.gravity.norm());
  if (requests.size() > 1) r.knee_frontal_moment_nm = jr.values(0, 9 + 3);
  return r;
}

}  // namespace glutelab
