#include "glutelab/dysfunction/tight_hip_flexors.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <stdexcept>

#include "glutelab/kinematics/kinematics.hpp"
#include "glutelab/math/parallel.hpp"
#include "glutelab/model/muscle_groups.hpp"
#include "glutelab/muscle/muscle_equilibrium.hpp"

namespace glutelab {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kThomasSearchBeyondRange = 10.0 * kPi / 180.0;

std::string fmt(double v) {
  char b[64];
  std::snprintf(b, sizeof b, "%g", v);
  return b;
}

void check_shortening(double s) {
  if (!std::isfinite(s) || s < 0.0 || s > kMaxFlexorShortening)
    throw std::invalid_argument("shortening must be in [0, " + fmt(kMaxFlexorShortening) + "], got " +
                                fmt(s));
}

int require_coordinate(const Model& model, const std::string& name) {
  const int c = model.coordinate_index(name);
  if (c < 0) throw std::invalid_argument("tight hip flexors: the model has no coordinate '" + name + "'");
  return c;
}

const char* side_suffix(BodySide side) { return side == BodySide::Left ? "_l" : "_r"; }

/// The hip centre of a side in ground (origin of the hip joint's child frame), after compute_positions.
Vec3 hip_centre(const Model& model, const State& state, const std::string& joint_name) {
  for (const Joint& j : model.joints)
    if (j.name == joint_name)
      return state.X_ground_body[static_cast<std::size_t>(j.child_body)].apply(j.X_child_M.p);
  throw std::invalid_argument("tight hip flexors: the model has no joint '" + joint_name + "'");
}

/// Bodies below `root` (itself included).
std::vector<int> subtree(const Model& model, int root) {
  std::vector<int> out;
  for (int b = 0; b < static_cast<int>(model.bodies.size()); ++b) {
    int k = b;
    while (k > 0 && k != root) {
      const int j = model.bodies[static_cast<std::size_t>(k)].parent_joint;
      if (j < 0) break;
      k = model.joints[static_cast<std::size_t>(j)].parent_body;
    }
    if (k == root) out.push_back(b);
  }
  return out;
}

/// Central differences of a per-frame value over (nearly) uniform times; one-sided at the ends.
void add_derivatives(const std::vector<double>& t, const Eigen::VectorXd& d, Eigen::Ref<Eigen::VectorXd> qdot,
                     Eigen::Ref<Eigen::VectorXd> qddot) {
  const auto n = d.size();
  if (n < 3) return;
  for (Eigen::Index f = 0; f < n; ++f) {
    const Eigen::Index a = std::max<Eigen::Index>(f - 1, 0), b = std::min<Eigen::Index>(f + 1, n - 1);
    const Eigen::Index c = std::clamp<Eigen::Index>(f, 1, n - 2);
    const double h = (t[static_cast<std::size_t>(c + 1)] - t[static_cast<std::size_t>(c - 1)]) / 2.0;
    qdot[f] += (d[b] - d[a]) / (t[static_cast<std::size_t>(b)] - t[static_cast<std::size_t>(a)]);
    qddot[f] += (d[c + 1] - 2.0 * d[c] + d[c - 1]) / (h * h);
  }
}

}  // namespace

const std::vector<std::string>& tight_hip_flexor_names() {
  static const std::vector<std::string> names{"iliacus", "psoas", "recfem", "tfl"};
  return names;
}

std::vector<int> tight_hip_flexor_muscles(const Model& model, BodySide side) {
  std::vector<int> out;
  std::vector<const char*> sides;
  if (side != BodySide::Left) sides.push_back("_r");
  if (side != BodySide::Right) sides.push_back("_l");
  for (const char* sfx : sides)
    for (const std::string& n : tight_hip_flexor_names()) {
      const int m = model.muscle_index(n + sfx);
      if (m < 0) throw std::invalid_argument("tight hip flexors: the model has no muscle '" + n + sfx + "'");
      out.push_back(m);
    }
  return out;
}

Model shorten_hip_flexors(const Model& model, double shortening, BodySide side) {
  check_shortening(shortening);
  Model out = model;
  if (shortening == 0.0) return out;
  for (int m : tight_hip_flexor_muscles(model, side)) {
    Muscle& mu = out.muscles[static_cast<std::size_t>(m)];
    mu.optimal_fiber_length_m *= 1.0 - shortening;
  }
  return out;
}

double resting_passive_force_n(const MuscleParameters& p, double mt_length_m) {
  if (p.model != MuscleModel::Thelen2003 && p.ignore_tendon_compliance)
    return rigid_tendon_passive_force(p, mt_length_m, 0.0);
  const double a = std::max(0.01, p.minimum_activation);
  const FiberState st = equilibrium_state(p, mt_length_m, 0.0, a, EquilibriumVelocity::Zero);
  return st.passive_fiber_force_N * st.cos_pennation;
}

PassiveMomentProbe::PassiveMomentProbe(const Model& model, std::vector<int> muscles, int coordinate)
    : model_(&model),
      muscles_(std::move(muscles)),
      coordinate_(coordinate),
      state_(model),
      ws_(model),
      arms_(Eigen::VectorXd::Zero(model.num_coordinates())) {
  for (int m : muscles_) params_.push_back(muscle_parameters(model.muscles[static_cast<std::size_t>(m)]));
}

double PassiveMomentProbe::moment_nm(const Eigen::VectorXd& q) {
  state_.q = q;
  state_.qdot.setZero();
  state_.qddot.setZero();
  compute_positions(*model_, state_);
  compute_jacobians(*model_, state_);
  double sum = 0.0;
  for (std::size_t k = 0; k < muscles_.size(); ++k) {
    const double length = moment_arms(*model_, state_, muscles_[k], ws_, arms_);
    sum += arms_[coordinate_] * resting_passive_force_n(params_[k], length);
  }
  return sum;
}

double PassiveMomentProbe::moment_by_length_differences_nm(const Eigen::VectorXd& q, double step_rad) {
  auto lengths = [&](double dq) {
    state_.q = q;
    state_.q[coordinate_] += dq;
    compute_positions(*model_, state_);
    std::vector<double> l;
    for (int m : muscles_) l.push_back(path_length(*model_, state_, m, ws_));
    return l;
  };
  const std::vector<double> plus = lengths(step_rad), minus = lengths(-step_rad), mid = lengths(0.0);
  double sum = 0.0;
  for (std::size_t k = 0; k < muscles_.size(); ++k)
    sum += -(plus[k] - minus[k]) / (2.0 * step_rad) * resting_passive_force_n(params_[k], mid[k]);
  return sum;
}

ThomasTestResult thomas_test(const Model& model, const ThomasTestOptions& options) {
  if (options.side == BodySide::Both)
    throw std::invalid_argument("Thomas test: choose the right or the left side, not both");
  const std::string sfx = side_suffix(options.side);
  const int hip = require_coordinate(model, "hip_flexion" + sfx);
  const int knee = require_coordinate(model, "knee_angle" + sfx);
  const Coordinate& kc = model.coordinates[static_cast<std::size_t>(knee)];
  if (!std::isfinite(options.knee_flexion_rad) || options.knee_flexion_rad < kc.range_min ||
      options.knee_flexion_rad > kc.range_max)
    throw std::invalid_argument("Thomas test knee flexion must be in [" + fmt(kc.range_min * 180.0 / kPi) +
                                ", " + fmt(kc.range_max * 180.0 / kPi) + "] deg, got " +
                                fmt(options.knee_flexion_rad * 180.0 / kPi));
  const int pelvis = model.body_index("pelvis"), femur = model.body_index("femur" + sfx);
  if (pelvis < 0 || femur < 0)
    throw std::invalid_argument("Thomas test: the model needs pelvis and femur bodies");
  const std::vector<int> leg = subtree(model, femur);
  PassiveMomentProbe probe(model, tight_hip_flexor_muscles(model, options.side), hip);
  State st(model);
  set_default_coordinates(model, st);
  Eigen::VectorXd q = st.q;
  q[knee] = options.knee_flexion_rad;
  constexpr double g = 9.80665;
  // Generalized force of the leg's weight on the hip flexion coordinate, gravity along -x of the pelvis.
  auto leg_moment = [&](double hip_rad) {
    st.q = q;
    st.q[hip] = hip_rad;
    compute_positions(model, st);
    compute_jacobians(model, st);
    const Vec3 down = -st.X_ground_body[static_cast<std::size_t>(pelvis)].R.col(0);
    double tau = 0.0;
    for (int b : leg) {
      const Body& body = model.bodies[static_cast<std::size_t>(b)];
      const Transform& X = st.X_ground_body[static_cast<std::size_t>(b)];
      const BodyJacobian& J = st.body_jacobian[static_cast<std::size_t>(b)];
      const Vec3 w = J.block<3, 1>(0, hip), v = J.block<3, 1>(3, hip);
      const Vec3 com_velocity = v + w.cross(X.R * body.mass_center_m);
      tau += body.mass_kg * g * down.dot(com_velocity);
    }
    return tau;
  };
  auto balance = [&](double hip_rad) {
    Eigen::VectorXd qq = q;
    qq[hip] = hip_rad;
    return probe.moment_nm(qq) + leg_moment(hip_rad);
  };
  const Coordinate& hc = model.coordinates[static_cast<std::size_t>(hip)];
  // The balance is searched past the hip's range (by kThomasSearchBeyondRange) so that a healthy hip
  // that would reach its range limit still has a comparable end point; it is flagged.
  double lo = hc.range_min - kThomasSearchBeyondRange, hi = std::min(hc.range_max, 60.0 * kPi / 180.0);
  ThomasTestResult r;
  if (balance(hi) > 0.0) {
    r.end_hip_flexion_rad = hi;
    r.leg_moment_nm = -leg_moment(hi);
    r.outside_range = true;
    return r;
  }
  if (balance(lo) <= 0.0) {
    r.end_hip_flexion_rad = lo;
    r.leg_moment_nm = -leg_moment(lo);
    r.outside_range = true;
    return r;
  }
  for (int it = 0; it < 60 && hi - lo > 1e-9; ++it) {
    const double mid = 0.5 * (lo + hi);
    (balance(mid) > 0.0 ? lo : hi) = mid;
  }
  r.end_hip_flexion_rad = 0.5 * (lo + hi);
  r.leg_moment_nm = -leg_moment(r.end_hip_flexion_rad);
  r.outside_range = r.end_hip_flexion_rad < hc.range_min;
  return r;
}

std::vector<double> passive_flexor_moment_curve(const Model& model, BodySide side,
                                                const std::vector<double>& hip_flexion_rad,
                                                double knee_flexion_rad) {
  if (side == BodySide::Both)
    throw std::invalid_argument("passive flexor moment: choose the right or left side");
  const std::string sfx = side_suffix(side);
  const int hip = require_coordinate(model, "hip_flexion" + sfx);
  const int knee = require_coordinate(model, "knee_angle" + sfx);
  PassiveMomentProbe probe(model, tight_hip_flexor_muscles(model, side), hip);
  State st(model);
  set_default_coordinates(model, st);
  Eigen::VectorXd q = st.q;
  q[knee] = knee_flexion_rad;
  std::vector<double> out;
  for (double h : hip_flexion_rad) {
    q[hip] = h;
    out.push_back(probe.moment_nm(q));
  }
  return out;
}

GeneratedExercise compensate_with_lumbar_extension(const Model& healthy, const Model& tight,
                                                   const GeneratedExercise& exercise,
                                                   std::vector<double>* lumbar_shift_rad) {
  const std::string sfx = exercise.info.unilateral && exercise.parameters.side == Side::Left ? "_l" : "_r";
  const BodySide side = sfx == std::string("_l") ? BodySide::Left : BodySide::Right;
  const int hip = require_coordinate(tight, "hip_flexion" + sfx);
  const int hip_r = require_coordinate(tight, "hip_flexion_r"),
            hip_l = require_coordinate(tight, "hip_flexion_l");
  const int tilt = require_coordinate(tight, "pelvis_tilt"),
            lumbar = require_coordinate(tight, "lumbar_extension");
  const std::array<int, 3> translation{require_coordinate(tight, "pelvis_tx"),
                                       require_coordinate(tight, "pelvis_ty"),
                                       require_coordinate(tight, "pelvis_tz")};
  PassiveMomentProbe healthy_probe(healthy, tight_hip_flexor_muscles(healthy, side), hip);
  PassiveMomentProbe tight_probe(tight, tight_hip_flexor_muscles(tight, side), hip);
  const double hip_max = tight.coordinates[static_cast<std::size_t>(hip)].range_max;
  State st(tight);
  auto hip_midpoint = [&](const Eigen::VectorXd& q) -> Vec3 {
    st.q = q;
    compute_positions(tight, st);
    return 0.5 * (hip_centre(tight, st, "hip_r") + hip_centre(tight, st, "hip_l"));
  };

  GeneratedExercise out = exercise;
  const int F = exercise.frames();
  const Eigen::Index C = exercise.motion.q.cols();
  Eigen::MatrixXd change = Eigen::MatrixXd::Zero(F, C);
  std::vector<double> shift(static_cast<std::size_t>(F), 0.0);
  // The shift that spares the hip at its most extended frame, d_top; each frame takes d_top times its
  // fraction of the way from the start's hip angle to that frame's (1 throughout an isometric hold).
  int top = 0;
  for (int f = 1; f < F; ++f)
    if (exercise.motion.q(f, hip) < exercise.motion.q(top, hip)) top = f;
  const Eigen::VectorXd q_top = exercise.motion.q.row(top).transpose();
  const double target = healthy_probe.moment_nm(q_top);
  auto excess = [&](double d) {
    Eigen::VectorXd q = q_top;
    q[hip] += d;
    return tight_probe.moment_nm(q) - target;
  };
  double d_top = 0.0;
  if (excess(0.0) > 0.0) {
    const double room = hip_max - q_top[hip];
    double lo = 0.0, hi = std::min(0.1, room);
    while (excess(hi) > 0.0 && hi < room) hi = std::min(2.0 * hi, room);
    for (int it = 0; it < 60 && hi - lo > 1e-10; ++it) {
      const double mid = 0.5 * (lo + hi);
      (excess(mid) > 0.0 ? lo : hi) = mid;
    }
    d_top = hi;
  }
  const double start = exercise.motion.q(0, hip), excursion = start - q_top[hip];
  for (int f = 0; f < F && d_top > 0.0; ++f) {
    const Eigen::VectorXd q0 = exercise.motion.q.row(f).transpose();
    const double w = excursion > 1e-9 ? std::clamp((start - q0[hip]) / excursion, 0.0, 1.0) : 1.0;
    const double d = w * d_top;
    shift[static_cast<std::size_t>(f)] = d;
    Eigen::VectorXd q = q0;
    q[hip_r] += d;
    q[hip_l] += d;
    q[tilt] -= d;
    q[lumbar] += d;
    const Vec3 move = hip_midpoint(q0) - hip_midpoint(q);
    for (int k = 0; k < 3; ++k) q[translation[static_cast<std::size_t>(k)]] += move[k];
    change.row(f) = (q - q0).transpose();
    // Every load keeps its point on its body (the pelvis's barbell turns with it, the upper-back
    // contact follows the trunk); forces and free torques stay as they were in ground.
    hip_midpoint(q0);
    const std::vector<Transform> before = st.X_ground_body;
    hip_midpoint(q);
    for (ExerciseLoad& load : out.loads) {
      const auto b = static_cast<std::size_t>(load.body);
      const Transform moved = st.X_ground_body[b] * before[b].inverse();
      Vec3& point = load.point_m[static_cast<std::size_t>(f)];
      point = moved.apply(point);
      for (Vec3& corner : load.polygon_m[static_cast<std::size_t>(f)]) corner = moved.apply(corner);
    }
  }
  out.motion.q += change;
  for (Eigen::Index c = 0; c < C; ++c) {
    if (change.col(c).isZero(0.0)) continue;
    Eigen::VectorXd qd = out.qdot.col(c), qdd = out.qddot.col(c);
    add_derivatives(exercise.motion.time_s, change.col(c), qd, qdd);
    out.qdot.col(c) = qd;
    out.qddot.col(c) = qdd;
  }
  if (lumbar_shift_rad) *lumbar_shift_rad = shift;
  return out;
}

std::string tight_flexor_exercise_name(const std::string& name) {
  return name == "standing" ? "standing_glute_squeeze" : name;
}

namespace {

/// Per frame, the working-side hip extensors' moment (sum of -r F over muscles with r < 0 about the hip
/// flexion) and the lower back muscles' force and moment about lumbar_extension (both sides).
struct MomentSums {
  std::vector<double> hip_extensor_nm, erector_force_n, erector_moment_nm;
};

MomentSums moment_sums(const Model& model, const GeneratedExercise& ex, const ExerciseWorkReport& r,
                       const std::string& sfx) {
  const int hip = require_coordinate(model, "hip_flexion" + sfx);
  const int lumbar = require_coordinate(model, "lumbar_extension");
  State st(model);
  PathWorkspace ws(model);
  Eigen::VectorXd arms = Eigen::VectorXd::Zero(model.num_coordinates());
  MomentSums s;
  for (int f = 0; f < r.frames; ++f) {
    st.q = ex.motion.q.row(f).transpose();
    compute_positions(model, st);
    compute_jacobians(model, st);
    double ext = 0.0, ef = 0.0, em = 0.0;
    for (std::size_t m = 0; m < model.muscles.size(); ++m) {
      const std::string& name = model.muscles[m].name;
      const double force = r.force(f, static_cast<Eigen::Index>(m));
      const bool working = name.size() > 2 && name.compare(name.size() - 2, 2, sfx) == 0;
      const bool erector = muscle_group(name) == "lower back";
      if (!working && !erector) continue;
      moment_arms(model, st, static_cast<int>(m), ws, arms);
      if (working && arms[hip] < 0.0) ext += -arms[hip] * force;
      if (erector) {
        ef += force;
        em += arms[lumbar] * force;
      }
    }
    s.hip_extensor_nm.push_back(ext);
    s.erector_force_n.push_back(ef);
    s.erector_moment_nm.push_back(em);
  }
  return s;
}

double group_activation_at(const ExerciseWorkReport& r, const std::string& group, int frame) {
  for (std::size_t g = 0; g < r.group_names.size(); ++g)
    if (r.group_names[g] == group) return r.group_activation(frame, static_cast<Eigen::Index>(g));
  return 0.0;
}

}  // namespace

TightFlexorReport simulate_tight_hip_flexors(const Model& model, const TightFlexorOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  if (options.shortening.empty()) throw std::invalid_argument("give at least one shortening level");
  for (double s : options.shortening) check_shortening(s);
  const double ceiling = options.glute_activation_ceiling;
  if (!std::isfinite(ceiling) || ceiling < 0.0 || ceiling > 1.0)
    throw std::invalid_argument("glute activation ceiling must be in [0, 1], got " + fmt(ceiling));
  if (options.exercises.empty()) throw std::invalid_argument("give at least one exercise");
  std::vector<std::string> names;
  for (const std::string& e : options.exercises) {
    const std::string n = tight_flexor_exercise_name(e);
    if (std::find(names.begin(), names.end(), n) != names.end())
      throw std::invalid_argument("exercise '" + n + "' is given twice");
    names.push_back(n);
  }
  TightFlexorReport rep;
  for (int m : tight_hip_flexor_muscles(model, BodySide::Both))
    rep.flexor_muscles.push_back(model.muscles[static_cast<std::size_t>(m)].name);
  rep.glute_activation_ceiling = ceiling;
  rep.parameters = options.parameters;
  rep.thomas_options = options.thomas;
  rep.curve_hip_flexion_rad = options.curve_hip_flexion_rad;
  if (rep.curve_hip_flexion_rad.empty())
    for (int k = 0; k <= 24; ++k) rep.curve_hip_flexion_rad.push_back((-30.0 + 2.5 * k) * kPi / 180.0);

  // Every exercise is generated once, for the healthy body (the shortening changes no segment).
  std::vector<GeneratedExercise> exercises;
  for (const std::string& n : names) exercises.push_back(generate_exercise(model, n, options.parameters));

  std::vector<Model> tight;
  for (double s : options.shortening) {
    Model m = shorten_hip_flexors(model, s);
    if (ceiling < 1.0) {
      const std::vector<MuscleImpairment> imp{{"glutes", BodySide::Both, 1.0, ceiling}};
      m = apply_impairments(m, imp);
    }
    tight.push_back(std::move(m));
  }

  rep.healthy_thomas = thomas_test(model, options.thomas);
  rep.healthy_curve_nm = passive_flexor_moment_curve(model, options.thomas.side, rep.curve_hip_flexion_rad,
                                                     options.thomas.knee_flexion_rad);
  for (std::size_t l = 0; l < options.shortening.size(); ++l) {
    TightFlexorLevel lv;
    lv.shortening = options.shortening[l];
    lv.thomas = thomas_test(tight[l], options.thomas);
    lv.end_range_loss_rad = lv.thomas.end_hip_flexion_rad - rep.healthy_thomas.end_hip_flexion_rad;
    lv.passive_curve_nm = passive_flexor_moment_curve(
        tight[l], options.thomas.side, rep.curve_hip_flexion_rad, options.thomas.knee_flexion_rad);
    lv.exercises.resize(exercises.size());
    rep.levels.push_back(std::move(lv));
  }

  // Analyses: per exercise the healthy one, then per level the posture held and the compensated one.
  const int E = static_cast<int>(exercises.size()), L = static_cast<int>(options.shortening.size());
  const int per_exercise = 1 + 2 * L;
  std::vector<ExerciseWorkReport> reports(static_cast<std::size_t>(E * per_exercise));
  std::vector<GeneratedExercise> compensated(static_cast<std::size_t>(E * L));
  std::vector<std::vector<double>> shifts(static_cast<std::size_t>(E * L));
  ExerciseWorkOptions one = options.work;
  one.threads = 1;
  std::mutex mutex;
  int done = 0;
  const int total = E * per_exercise;
  parallel_for(total, options.work.threads, [&](int job) {
    const int e = job / per_exercise, k = job % per_exercise;
    const GeneratedExercise& ex = exercises[static_cast<std::size_t>(e)];
    ExerciseWorkReport r;
    if (k == 0) {
      r = analyze_exercise_work(model, ex, one);
    } else {
      const int l = (k - 1) / 2;
      const Model& m = tight[static_cast<std::size_t>(l)];
      if ((k - 1) % 2 == 0) {
        r = analyze_exercise_work(m, ex, one);
      } else {
        const auto c = static_cast<std::size_t>(e * L + l);
        compensated[c] = compensate_with_lumbar_extension(model, m, ex, &shifts[c]);
        r = analyze_exercise_work(m, compensated[c], one);
      }
    }
    reports[static_cast<std::size_t>(job)] = std::move(r);
    if (options.progress) {
      std::lock_guard<std::mutex> lock(mutex);
      options.progress(++done, total);
    }
  });

  for (int e = 0; e < E; ++e) {
    const GeneratedExercise& ex = exercises[static_cast<std::size_t>(e)];
    const std::string sfx = ex.info.unilateral && ex.parameters.side == Side::Left ? "_l" : "_r";
    const BodySide side = sfx == std::string("_l") ? BodySide::Left : BodySide::Right;
    const int hip = require_coordinate(model, "hip_flexion" + sfx);
    const ExerciseWorkReport& h = reports[static_cast<std::size_t>(e * per_exercise)];
    int top = 0;
    for (int f = 1; f < ex.frames(); ++f)
      if (ex.motion.q(f, hip) < ex.motion.q(top, hip)) top = f;
    const MomentSums hs = moment_sums(model, ex, h, sfx);
    PassiveMomentProbe healthy_probe(model, tight_hip_flexor_muscles(model, side), hip);
    std::vector<double> healthy_passive;
    for (int f = 0; f < ex.frames(); ++f)
      healthy_passive.push_back(healthy_probe.moment_nm(ex.motion.q.row(f).transpose()));
    for (int l = 0; l < L; ++l) {
      const Model& m = tight[static_cast<std::size_t>(l)];
      const ExerciseWorkReport& t = reports[static_cast<std::size_t>(e * per_exercise + 1 + 2 * l)];
      const ExerciseWorkReport& c = reports[static_cast<std::size_t>(e * per_exercise + 2 + 2 * l)];
      const auto ci = static_cast<std::size_t>(e * L + l);
      const MomentSums ts = moment_sums(m, ex, t, sfx);
      const MomentSums cs = moment_sums(m, compensated[ci], c, sfx);
      PassiveMomentProbe probe(m, tight_hip_flexor_muscles(m, side), hip);
      TightFlexorExerciseResult x;
      x.exercise = ex.info.name;
      x.display_name = ex.info.display_name;
      x.shortening = options.shortening[static_cast<std::size_t>(l)];
      x.top_frame = top;
      x.top_hip_flexion_rad = ex.motion.q(top, hip);
      TightFlexorSeries& s = x.series;
      s.time_s = ex.motion.time_s;
      for (int f = 0; f < ex.frames(); ++f) {
        s.hip_flexion_rad.push_back(ex.motion.q(f, hip));
        s.passive_flexor_moment_nm.push_back(probe.moment_nm(ex.motion.q.row(f).transpose()));
        x.peak_extra_passive_moment_nm =
            std::max(x.peak_extra_passive_moment_nm,
                     s.passive_flexor_moment_nm.back() - healthy_passive[static_cast<std::size_t>(f)]);
      }
      s.extensor_moment_nm = ts.hip_extensor_nm;
      s.lumbar_shift_rad = shifts[ci];
      s.erector_spinae_force_n = cs.erector_force_n;
      const auto tf = static_cast<std::size_t>(top);
      x.passive_flexor_moment_top_nm = s.passive_flexor_moment_nm[tf];
      x.healthy_passive_flexor_moment_top_nm = healthy_passive[tf];
      x.extra_passive_moment_top_nm = x.passive_flexor_moment_top_nm - x.healthy_passive_flexor_moment_top_nm;
      x.extensor_moment_top_nm = ts.hip_extensor_nm[tf];
      x.healthy_extensor_moment_top_nm = hs.hip_extensor_nm[tf];
      x.extra_extensor_moment_top_nm = x.extensor_moment_top_nm - x.healthy_extensor_moment_top_nm;
      x.gluteus_maximus_activation_top = group_activation_at(t, "gluteus maximus", top);
      x.healthy_gluteus_maximus_activation_top = group_activation_at(h, "gluteus maximus", top);
      x.hamstrings_activation_top = group_activation_at(t, "hamstrings", top);
      x.healthy_hamstrings_activation_top = group_activation_at(h, "hamstrings", top);
      x.adductors_activation_top = group_activation_at(t, "adductors", top);
      x.healthy_adductors_activation_top = group_activation_at(h, "adductors", top);
      x.hip_reserve_fraction = t.reserve_fraction("hip_flexion" + sfx);
      x.converged_frames = t.converged_frames;
      x.frames = t.frames;
      x.lumbar_extension_added_top_rad = shifts[ci][tf];
      x.peak_lumbar_extension_added_rad = *std::max_element(shifts[ci].begin(), shifts[ci].end());
      x.erector_spinae_force_top_n = cs.erector_force_n[tf];
      x.healthy_erector_spinae_force_top_n = hs.erector_force_n[tf];
      x.erector_spinae_activation_top = group_activation_at(c, "lower back", top);
      x.healthy_erector_spinae_activation_top = group_activation_at(h, "lower back", top);
      x.erector_spinae_moment_top_nm = cs.erector_moment_nm[tf];
      x.healthy_erector_spinae_moment_top_nm = hs.erector_moment_nm[tf];
      x.compensated_extensor_moment_top_nm = cs.hip_extensor_nm[tf];
      x.compensated_max_pelvis_residual = c.max_pelvis_residual;
      x.healthy_max_pelvis_residual = h.max_pelvis_residual;
      rep.levels[static_cast<std::size_t>(l)].exercises[static_cast<std::size_t>(e)] = std::move(x);
    }
  }
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return rep;
}

}  // namespace glutelab
