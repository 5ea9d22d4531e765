#include "glutelab/exercise/recorded_motion.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "glutelab/analysis/coordinate_processing.hpp"
#include "glutelab/dynamics/inverse_dynamics.hpp"
#include "glutelab/exercise/contact_distribution.hpp"
#include "glutelab/exercise/generator.hpp"
#include "glutelab/exercise/support_polygon.hpp"
#include "glutelab/io/external_loads.hpp"
#include "glutelab/io/input_error.hpp"
#include "glutelab/kinematics/kinematics.hpp"

namespace glutelab {
namespace {

int body_or_throw(const Model& model, const std::string& name) {
  const int b = model.body_index(name);
  if (b < 0)
    throw std::invalid_argument("recorded motion: the model '" + model.name + "' has no body '" + name +
                                "' (foot contacts need calcn_r/l and toes_r/l)");
  return b;
}

// The value below which a fraction `q` of the samples lie (nearest rank).
double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0.0;
  const auto k = static_cast<std::size_t>(std::clamp(q, 0.0, 1.0) * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

Vec3 whole_body_com(const Model& model, const State& s) {
  Vec3 sum = Vec3::Zero();
  double mass = 0.0;
  for (std::size_t b = 1; b < model.bodies.size(); ++b) {
    sum += model.bodies[b].mass_kg * s.X_ground_body[b].apply(model.bodies[b].mass_center_m);
    mass += model.bodies[b].mass_kg;
  }
  return mass > 0.0 ? Vec3(sum / mass) : Vec3::Zero();
}

// Checks what recorded_exercise needs from the motion, naming the source and the column.
void validate_motion(const Model& model, const Motion& motion, const std::filesystem::path& source,
                     const RecordedMotionOptions& options) {
  if (motion.frames() == 0) throw InputError(source, "the motion has no frames (no data rows)");
  if (motion.q.rows() != motion.frames() || motion.q.cols() != model.num_coordinates())
    throw InputError(source, "the motion does not match model '" + model.name + "' (" +
                                 std::to_string(motion.q.cols()) + " coordinates, the model has " +
                                 std::to_string(model.num_coordinates()) + ")");
  for (int f = 0; f < motion.frames(); ++f) {
    const double t = motion.time_s[static_cast<std::size_t>(f)];
    if (!std::isfinite(t)) throw InputError(source, "time is not finite at row " + std::to_string(f + 1));
    if (f > 0 && !(t > motion.time_s[static_cast<std::size_t>(f - 1)]))
      throw InputError(source, "time must increase; row " + std::to_string(f + 1) +
                                   " has t = " + exercise_detail::fmt(t) + " s after " +
                                   exercise_detail::fmt(motion.time_s[static_cast<std::size_t>(f - 1)]) +
                                   " s");
    for (int c = 0; c < model.num_coordinates(); ++c)
      if (!std::isfinite(motion.q(f, c)))
        throw InputError(source, "column '" + model.coordinates[static_cast<std::size_t>(c)].name +
                                     "' is not finite (" + exercise_detail::fmt(motion.q(f, c)) +
                                     ") at row " + std::to_string(f + 1) +
                                     ", t = " + exercise_detail::fmt(t) + " s");
  }
  std::vector<std::string> missing;
  for (const std::string& name : options.required_coordinates) {
    const int c = model.coordinate_index(name);
    if (c < 0)
      throw std::invalid_argument("recorded motion: the model '" + model.name + "' has no coordinate '" +
                                  name + "' (a model with the Rajagopal/glutelab names is needed)");
    if (static_cast<std::size_t>(c) >= motion.from_file.size() ||
        !motion.from_file[static_cast<std::size_t>(c)])
      missing.push_back(name);
  }
  if (!missing.empty()) {
    std::string list;
    for (const std::string& m : missing) list += (list.empty() ? "'" : ", '") + m + "'";
    throw InputError(source, "no column for the required coordinate(s) " + list);
  }
}

// Filtered coordinates, speeds and accelerations of the independent coordinates (OpenSim's tool
// processing), with the dependent coordinates resolved from their couplers.
void process_motion(const Model& model, const Motion& motion, const std::filesystem::path& source,
                    double cutoff_hz, GeneratedExercise& ex) {
  const int nc = model.num_coordinates();
  std::vector<int> cols;
  for (int c = 0; c < nc; ++c)
    if (!model.coordinates[static_cast<std::size_t>(c)].is_dependent()) cols.push_back(c);
  Eigen::MatrixXd values(motion.frames(), static_cast<Eigen::Index>(cols.size()));
  for (std::size_t k = 0; k < cols.size(); ++k)
    values.col(static_cast<Eigen::Index>(k)) = motion.q.col(cols[k]);
  CoordinateProcessingOptions po;
  po.cutoff_hz = cutoff_hz;
  po.t0 = motion.time_s.front();  // the recorded frames, not the filter's padding
  po.t1 = motion.time_s.back();
  ProcessedCoordinates pc;
  try {
    pc = process_coordinates(motion.time_s, values, po);
  } catch (const std::invalid_argument& e) {
    throw InputError(source, std::string("cannot filter and spline the coordinates: ") + e.what());
  }
  const auto N = static_cast<Eigen::Index>(pc.time_s.size());
  ex.motion.time_s = pc.time_s;
  ex.motion.q.resize(N, nc);
  ex.motion.from_file = motion.from_file;
  ex.qdot.resize(N, nc);
  ex.qddot.resize(N, nc);
  State s(model);
  set_default_coordinates(model, s);
  for (Eigen::Index f = 0; f < N; ++f) {
    // Columns without data keep the (constant) values of the input motion.
    s.q = motion.q.row(std::min<Eigen::Index>(f, motion.q.rows() - 1)).transpose();
    s.qdot.setZero();
    s.qddot.setZero();
    for (std::size_t k = 0; k < cols.size(); ++k) {
      const auto kk = static_cast<Eigen::Index>(k);
      s.q[cols[k]] = pc.q(f, kk);
      s.qdot[cols[k]] = pc.qdot(f, kk);
      s.qddot[cols[k]] = pc.qddot(f, kk);
    }
    resolve_couplings(model, s);
    ex.motion.q.row(f) = s.q.transpose();
    ex.qdot.row(f) = s.qdot.transpose();
    ex.qddot.row(f) = s.qddot.transpose();
  }
}

// Frames whose whole-body centre of mass moves slower than the threshold throughout +-window
// (central differences of com_m); frames whose window runs past the recording are not static.
std::vector<bool> static_frames(const GeneratedExercise& ex, const RecordedMotionOptions& o) {
  const int N = ex.frames();
  const auto& t = ex.motion.time_s;
  std::vector<bool> still(static_cast<std::size_t>(N), false);
  for (int f = 1; f + 1 < N; ++f) {
    const auto fu = static_cast<std::size_t>(f);
    const Vec3 v = (ex.com_m[fu + 1] - ex.com_m[fu - 1]) / (t[fu + 1] - t[fu - 1]);
    still[fu] = v.norm() < o.static_com_speed_m_s;
  }
  std::vector<bool> out(static_cast<std::size_t>(N), false);
  for (int f = 0; f < N; ++f) {
    const double tf = t[static_cast<std::size_t>(f)];
    if (tf - o.static_window_s < t.front() || tf + o.static_window_s > t.back()) continue;
    bool ok = true;
    for (int g = f; g >= 0 && ok && tf - t[static_cast<std::size_t>(g)] <= o.static_window_s; --g)
      ok = still[static_cast<std::size_t>(g)];
    for (int g = f; g < N && ok && t[static_cast<std::size_t>(g)] - tf <= o.static_window_s; ++g)
      ok = still[static_cast<std::size_t>(g)];
    out[static_cast<std::size_t>(f)] = ok;
  }
  return out;
}

GeneratedExercise base_exercise(const Model& model, const std::filesystem::path& source,
                                const RecordedMotionOptions& options) {
  GeneratedExercise ex;
  ex.info.name = source.stem().string();
  ex.info.display_name = "Recorded motion " + source.filename().string();
  ex.info.description = "A recorded motion (" + source.string() + ")";
  ex.info.unilateral = true;  // the analysis reports options.side
  ex.parameters.side = options.side;
  ex.body_mass_kg = model.total_mass_kg();
  ex.load_kg = 0.0;
  return ex;
}

void finish_parameters(GeneratedExercise& ex) {
  ex.parameters.frames_per_rep = ex.frames();
  ex.parameters.tempo_s = ex.motion.time_s.back() - ex.motion.time_s.front();
}

}  // namespace

std::vector<FootPoint> foot_points(const Model& model) {
  State s(model);
  set_default_coordinates(model, s);
  compute_positions(model, s);
  std::vector<FootPoint> out;
  for (const Side side : {Side::Right, Side::Left}) {
    const std::string sfx = side == Side::Right ? "_r" : "_l";
    const int calcn = body_or_throw(model, "calcn" + sfx), toes = body_or_throw(model, "toes" + sfx);
    const Vec3 heel = point_in_ground(s, calcn, Vec3::Zero()), ball = point_in_ground(s, toes, Vec3::Zero());
    Vec3 along = ball - heel;
    along.y() = 0.0;
    const Vec3 tip = ball + 0.35 * along;
    out.push_back({"heel" + sfx, side, calcn, Vec3::Zero()});
    out.push_back({"ball" + sfx, side, toes, Vec3::Zero()});
    out.push_back(
        {"toe" + sfx, side, toes, s.X_ground_body[static_cast<std::size_t>(toes)].inverse().apply(tip)});
  }
  return out;
}

GroundReactionSummary estimate_ground_reactions(const Model& model, GeneratedExercise& ex,
                                                const FootContactOptions& o) {
  const std::vector<FootPoint> pts = foot_points(model);
  const std::size_t P = pts.size();
  const int N = ex.frames();
  const auto Nu = static_cast<std::size_t>(N);
  State s(model);
  // Point heights and speeds over the frames.
  std::vector<std::vector<Vec3>> pos(P, std::vector<Vec3>(Nu));
  std::vector<std::vector<Vec3>> vel(P, std::vector<Vec3>(Nu));
  for (int f = 0; f < N; ++f) {
    s.q = ex.motion.q.row(f).transpose();
    s.qdot = ex.qdot.row(f).transpose();
    compute_positions(model, s);
    compute_velocities(model, s);
    for (std::size_t p = 0; p < P; ++p) {
      pos[p][static_cast<std::size_t>(f)] = point_in_ground(s, pts[p].body, pts[p].point_m);
      vel[p][static_cast<std::size_t>(f)] = point_velocity(s, pts[p].body, pts[p].point_m);
    }
  }
  GroundReactionSummary summary;
  // The floor's velocity: zero overground, the belt's on a treadmill. The lowest foot point is
  // planted in most frames, so the median of its horizontal velocity is the floor's.
  {
    std::vector<double> vx(Nu), vz(Nu);
    for (std::size_t f = 0; f < Nu; ++f) {
      std::size_t low = 0;
      for (std::size_t p = 1; p < P; ++p)
        if (pos[p][f].y() < pos[low][f].y()) low = p;
      vx[f] = vel[low][f].x();
      vz[f] = vel[low][f].z();
    }
    summary.floor_velocity_m_s =
        o.floor_from_motion ? Vec3(percentile(vx, 0.5), 0.0, percentile(vz, 0.5)) : Vec3::Zero();
  }
  std::vector<std::vector<double>> speed(P, std::vector<double>(Nu));
  for (std::size_t p = 0; p < P; ++p)
    for (std::size_t f = 0; f < Nu; ++f) speed[p][f] = (vel[p][f] - summary.floor_velocity_m_s).norm();
  std::vector<double> rest(P, 0.0);
  if (o.floor_from_motion) {
    std::vector<double> lowest(Nu);
    for (std::size_t f = 0; f < Nu; ++f) {
      lowest[f] = pos[0][f].y();
      for (std::size_t p = 1; p < P; ++p) lowest[f] = std::min(lowest[f], pos[p][f].y());
    }
    summary.floor_height_m = percentile(lowest, 0.02);
    for (std::size_t p = 0; p < P; ++p) {
      std::vector<double> h(Nu);
      for (std::size_t f = 0; f < Nu; ++f) h[f] = pos[p][f].y() - summary.floor_height_m;
      rest[p] = std::clamp(percentile(h, 0.05), 0.0, o.max_rest_height_m);
    }
  } else {
    State d(model);
    set_default_coordinates(model, d);
    compute_positions(model, d);
    double low = 1e300;
    for (const FootPoint& fp : pts) low = std::min(low, point_in_ground(d, fp.body, fp.point_m).y());
    for (std::size_t p = 0; p < P; ++p) rest[p] = point_in_ground(d, pts[p].body, pts[p].point_m).y() - low;
  }
  const double floor = summary.floor_height_m;

  ex.loads.clear();
  for (const Side side : {Side::Right, Side::Left}) {
    ExerciseLoad l;
    const std::string sfx = side == Side::Right ? "_r" : "_l";
    l.name = "foot" + sfx;
    l.body = model.body_index("calcn" + sfx);
    l.contact = true;
    l.height_m = floor;
    l.scheduled = true;
    l.active.assign(Nu, false);
    l.force_n.assign(Nu, Vec3::Zero());
    l.point_m.assign(Nu, Vec3::Zero());
    l.torque_n_m.assign(Nu, Vec3::Zero());
    l.polygon_m.assign(Nu, {});
    ex.loads.push_back(l);
  }
  ex.com_m.assign(Nu, Vec3::Zero());
  ex.base_of_support_m.assign(Nu, {});
  InverseDynamicsWorkspace ws(model);
  Eigen::VectorXd tau(model.num_coordinates());
  // Shares follow the previous frame's (a foot that touches down starts from 0) instead of being fitted
  // afresh: fitted shares jump as the centre of pressure passes the patch centres, and the stance hip's
  // rotation moment with them (by 50 N m in two frames at heel strike of the built-in walking cycle).
  std::array<double, 2> previous_share{0.0, 0.0};
  bool have_previous = false;
  for (int f = 0; f < N; ++f) {
    const auto fu = static_cast<std::size_t>(f);
    std::vector<bool> planted(P, false);
    bool any = false;
    for (std::size_t p = 0; p < P; ++p) {
      planted[p] =
          pos[p][fu].y() - floor - rest[p] < o.contact_height_m && speed[p][fu] < o.contact_speed_m_s;
      any = any || planted[p];
    }
    if (!any && o.always_supported) {
      std::size_t low = 0;
      for (std::size_t p = 1; p < P; ++p)
        if (pos[p][fu].y() - rest[p] < pos[low][fu].y() - rest[low]) low = p;
      planted[low] = true;
    }
    s.q = ex.motion.q.row(f).transpose();
    s.qdot = ex.qdot.row(f).transpose();
    s.qddot = ex.qddot.row(f).transpose();
    // What the environment must supply: the ground_pelvis subtree load with no external load.
    inverse_dynamics(model, s, nullptr, ws, tau);
    const Vec3 F = ws.force[0], M = ws.moment[0];
    ex.com_m[fu] = whole_body_com(model, s);
    std::vector<ContactPatch> patches;
    std::vector<std::size_t> which;
    std::vector<Vec3> support;
    for (std::size_t foot = 0; foot < 2; ++foot) {
      const Side side = foot == 0 ? Side::Right : Side::Left;
      std::vector<Vec3> patch_points;
      for (std::size_t p = 0; p < P; ++p)
        if (pts[p].side == side && planted[p])
          patch_points.emplace_back(pos[p][fu].x(), floor, pos[p][fu].z());
      ExerciseLoad& l = ex.loads[foot];
      Vec3 centre = Vec3::Zero();
      for (std::size_t p = 0; p < P; ++p)
        if (pts[p].side == side) centre += pos[p][fu];
      centre /= 3.0;
      centre.y() = floor;
      l.point_m[fu] = centre;  // an unplanted foot keeps its centre
      if (patch_points.empty()) continue;
      ContactPatch cp;
      cp.centre_m = Vec3::Zero();
      for (const Vec3& v : patch_points) cp.centre_m += v;
      cp.centre_m /= static_cast<double>(patch_points.size());
      l.polygon_m[fu] = patch_points;
      patches.push_back(cp);
      which.push_back(foot);
      support.insert(support.end(), patch_points.begin(), patch_points.end());
    }
    ex.base_of_support_m[fu] = support_polygon(support);
    if (patches.empty()) {
      summary.flight_frames.push_back(f);
      continue;
    }
    if (!(F.y() > 0.0)) {
      summary.no_push_frames.push_back(f);
      continue;
    }
    std::vector<double> previous;
    for (const std::size_t foot : which) previous.push_back(previous_share[foot]);
    const std::vector<ContactLoad> cl =
        have_previous ? distribute_wrench_following(patches, F, M, previous, o.share_stickiness_m2)
                      : distribute_wrench(patches, F, M);
    previous_share = {0.0, 0.0};
    for (std::size_t i = 0; i < which.size(); ++i) previous_share[which[i]] = cl[i].share;
    have_previous = true;
    for (std::size_t i = 0; i < which.size(); ++i) {
      ExerciseLoad& l = ex.loads[which[i]];
      l.active[fu] = cl[i].share > 0.0;
      l.force_n[fu] = cl[i].force_n;
      l.point_m[fu] = cl[i].cop_m;
      l.torque_n_m[fu] = cl[i].torque_n_m;
    }
    ++summary.supported_frames;
  }
  return summary;
}

RecordedExercise recorded_exercise(const Model& model, const Motion& motion,
                                   const std::filesystem::path& source,
                                   const RecordedMotionOptions& options) {
  foot_points(model);  // the model must have the feet before any work is done
  validate_motion(model, motion, source, options);
  RecordedExercise r;
  r.exercise = base_exercise(model, source, options);
  process_motion(model, motion, source, options.cutoff_hz, r.exercise);
  finish_parameters(r.exercise);
  r.ground = estimate_ground_reactions(model, r.exercise, options.contacts);
  r.exercise.static_frame = static_frames(r.exercise, options);
  return r;
}

RecordedExercise recorded_exercise_with_loads(const Model& model, const Motion& motion,
                                              const std::filesystem::path& source,
                                              const std::filesystem::path& external_loads_xml,
                                              const RecordedMotionOptions& options) {
  RecordedExercise r = recorded_exercise(model, motion, source, options);
  const ExternalLoads measured = read_external_loads(external_loads_xml, model);
  GeneratedExercise& ex = r.exercise;
  const auto Nu = static_cast<std::size_t>(ex.frames());
  std::vector<ExerciseLoad> loads;
  State s(model);
  for (const ExternalForce& ef : measured.forces) {
    ExerciseLoad l;
    l.name = ef.name;
    l.body = ef.applied_body;
    l.contact = true;
    l.scheduled = true;
    l.height_m = r.ground.floor_height_m;
    l.active.assign(Nu, false);
    l.force_n.assign(Nu, Vec3::Zero());
    l.point_m.assign(Nu, Vec3::Zero());
    l.torque_n_m.assign(Nu, Vec3::Zero());
    l.polygon_m.assign(Nu, {});
    loads.push_back(l);
  }
  for (std::size_t f = 0; f < Nu; ++f) {
    const double t = ex.motion.time_s[f];
    s.q = ex.motion.q.row(static_cast<Eigen::Index>(f)).transpose();
    compute_positions(model, s);
    for (std::size_t k = 0; k < measured.forces.size(); ++k) {
      const ExternalForce& ef = measured.forces[k];
      ExerciseLoad& l = loads[k];
      auto column_vector = [&](const std::array<int, 3>& cols) {
        Vec3 v = Vec3::Zero();
        if (cols[0] < 0) return v;
        for (int a = 0; a < 3; ++a) v[a] = measured.value(cols[static_cast<std::size_t>(a)], t);
        return v;
      };
      const Transform Xf = frame_pose(model, s, ef.force_frame), Xp = frame_pose(model, s, ef.point_frame);
      const Vec3 force = Xf.R * column_vector(ef.force_columns);
      const Vec3 point = ef.has_point() ? Xp.apply(column_vector(ef.point_columns))
                                        : point_in_ground(s, ef.applied_body, Vec3::Zero());
      const Vec3 torque = Xf.R * column_vector(ef.torque_columns);
      l.force_n[f] = force;
      l.point_m[f] = point;
      l.torque_n_m[f] = torque;
      l.active[f] = force.norm() > 0.0 || torque.norm() > 0.0;
      if (l.active[f]) l.polygon_m[f] = {point};
    }
  }
  ex.loads = std::move(loads);
  r.ground.flight_frames.clear();
  r.ground.no_push_frames.clear();
  r.ground.supported_frames = 0;
  r.measured_ground_reactions = true;
  return r;
}

RecordedExercise read_recorded_exercise(const Model& model, const std::filesystem::path& motion_file,
                                        const RecordedMotionOptions& options,
                                        const std::filesystem::path& external_loads_xml) {
  const Motion motion = read_motion(model, motion_file);
  if (external_loads_xml.empty()) return recorded_exercise(model, motion, motion_file, options);
  return recorded_exercise_with_loads(model, motion, motion_file, external_loads_xml, options);
}

}  // namespace glutelab
