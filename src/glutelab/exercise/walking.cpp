// The walking exercise: the shipped gait cycle (walking_cycle.cpp) played on any model with the
// glutelab/Rajagopal names. The recorded joint angles are kept; the pelvis path is re-derived for the
// model's legs (its height puts the lowest foot point on the floor, its horizontal path keeps the planted
// foot still, then the path is corrected until the centre of pressure the motion needs lies on the
// planted soles), and the ground reactions are estimated from the motion as for recorded motions.
#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include "glutelab/dynamics/inverse_dynamics.hpp"
#include "glutelab/exercise/generator.hpp"
#include "glutelab/exercise/recorded_motion.hpp"
#include "glutelab/exercise/support_polygon.hpp"
#include "glutelab/exercise/walking_cycle.hpp"
#include "glutelab/kinematics/kinematics.hpp"

namespace glutelab::exercise_detail {
namespace {

// Harmonics kept of the cycle (periodic smoothing): 12 per cycle resolve ~0.1 s at a normal pace.
constexpr int kHarmonics = 12;
// The pelvis height keeps 4: the centre of mass's double bump per cycle, without the jolts of the
// lowest point switching between heels and balls (with 12 the vertical reaction reaches 1.7 BW at
// the heel strike, with 4 it stays within 0.75-1.25 BW).
constexpr int kHeightHarmonics = 4;

// A periodic function of the phase (period 1) as a truncated Fourier series of evenly spaced samples.
struct Periodic {
  double a0 = 0.0;
  std::array<double, kHarmonics> a{}, b{};

  // The first n samples of y over one period, keeping `harmonics` (<= kHarmonics) harmonics.
  static Periodic fit(const std::vector<double>& y, std::size_t n, int harmonics = kHarmonics) {
    Periodic p;
    for (std::size_t k = 0; k < n; ++k) p.a0 += y[k] / static_cast<double>(n);
    for (int h = 1; h <= std::min(harmonics, kHarmonics); ++h)
      for (std::size_t k = 0; k < n; ++k) {
        const double w = 2.0 * std::numbers::pi * h * static_cast<double>(k) / static_cast<double>(n);
        p.a[static_cast<std::size_t>(h - 1)] += 2.0 * y[k] * std::cos(w) / static_cast<double>(n);
        p.b[static_cast<std::size_t>(h - 1)] += 2.0 * y[k] * std::sin(w) / static_cast<double>(n);
      }
    return p;
  }
  double operator()(double phase) const {
    double v = a0;
    for (int h = 1; h <= kHarmonics; ++h) {
      const double w = 2.0 * std::numbers::pi * h * phase;
      v +=
          a[static_cast<std::size_t>(h - 1)] * std::cos(w) + b[static_cast<std::size_t>(h - 1)] * std::sin(w);
    }
    return v;
  }
};

struct Column {
  int coordinate = 0;
  Periodic f;
};

// The recorded angles replayed on this body's segments are not a dynamically consistent gait: the
// centre of pressure the motion needs strays off the feet. Moving the whole body by d(t) moves the feet
// with it, so relative to them the centre of pressure moves only by -(h/g) d'' (an inverted pendulum
// of height h). Each pass measures, on the phase grid, how far the required centre of pressure lies
// outside the planted soles (1 cm margin) and adds to the pelvis path the periodic d that cancels it
// harmonic by harmonic (the mean cannot be cancelled this way and is left).
template <class Pose>
void balance_centre_of_pressure(const Model& model, double T, const std::vector<FootPoint>& pts,
                                const std::vector<double>& rest, Pose pose, Periodic& forward,
                                Periodic& lateral) {
  constexpr std::size_t kGrid = 200;
  constexpr int kPasses = 8;
  constexpr double kSoleHalfWidth = 0.04, kMargin = 0.01, kPlanted = 0.01;
  const int nc = model.num_coordinates();
  State s(model);
  InverseDynamicsWorkspace ws(model);
  Eigen::VectorXd tau(nc), qm(nc), qc(nc), qp(nc);
  const double hp = 1e-3, dt = hp * T, g = -model.gravity.y();
  std::vector<double> ex(kGrid + 1), ez(kGrid + 1);
  for (int pass = 0; pass < kPasses; ++pass) {
    double com_height = 0.0;
    for (std::size_t k = 0; k < kGrid; ++k) {
      const double phase = static_cast<double>(k) / kGrid;
      pose(phase - hp, qm);
      pose(phase, qc);
      pose(phase + hp, qp);
      for (Eigen::VectorXd* v : {&qm, &qc, &qp}) {
        s.q = *v;
        resolve_couplings(model, s);
        *v = s.q;
      }
      s.q = qc;
      s.qdot = (qp - qm) / (2.0 * dt);
      s.qddot = (qp - 2.0 * qc + qm) / (dt * dt);
      inverse_dynamics(model, s, nullptr, ws, tau);
      const Vec3 F = ws.force[0], M = ws.moment[0];
      const Vec3 cop(M.z() / F.y(), 0.0, -M.x() / F.y());
      std::vector<Vec3> corners;
      for (const Side side : {Side::Right, Side::Left}) {
        Vec3 heel = Vec3::Zero(), toe = Vec3::Zero();
        double low = 1e300;
        for (std::size_t p = 0; p < pts.size(); ++p) {
          if (pts[p].side != side) continue;
          const Vec3 x = point_in_ground(s, pts[p].body, pts[p].point_m);
          if (pts[p].name.rfind("heel", 0) == 0) heel = x;
          if (pts[p].name.rfind("toe", 0) == 0) toe = x;
          if (pts[p].name.rfind("toe", 0) != 0) low = std::min(low, x.y() - rest[p]);
        }
        if (low > kPlanted) continue;
        Vec3 along = toe - heel;
        along.y() = 0.0;
        along.normalize();
        const Vec3 across(-along.z(), 0.0, along.x());
        for (const Vec3& end : {heel, toe})
          for (double w : {-kSoleHalfWidth, kSoleHalfWidth}) corners.push_back(end + w * across);
      }
      const std::vector<Vec3> hull = support_polygon(corners);
      Vec3 error = Vec3::Zero();
      if (hull.size() >= 3 && distance_inside_polygon(hull, cop) < kMargin) {
        // Closest point of the hull's boundary, moved the margin towards its centroid.
        Vec3 centroid = Vec3::Zero();
        for (const Vec3& v : hull) centroid += v;
        centroid /= static_cast<double>(hull.size());
        centroid.y() = 0.0;
        Vec3 best = centroid;
        double best_d = 1e300;
        for (std::size_t i = 0; i < hull.size(); ++i) {
          Vec3 a = hull[i], b = hull[(i + 1) % hull.size()];
          a.y() = b.y() = 0.0;
          const double u = std::clamp((cop - a).dot(b - a) / (b - a).squaredNorm(), 0.0, 1.0);
          const Vec3 c = a + u * (b - a);
          if ((c - cop).norm() < best_d) best_d = (c - cop).norm(), best = c;
        }
        const Vec3 inward = (centroid - best).normalized();
        error = cop - (best + kMargin * inward);
      }
      ex[k] = error.x();
      ez[k] = error.z();
      com_height += s.q[model.coordinate_index("pelvis_ty")] / kGrid;
    }
    ex[kGrid] = ex[0];
    ez[kGrid] = ez[0];
    const Periodic dx = Periodic::fit(ex, kGrid), dz = Periodic::fit(ez, kGrid);
    for (int h = 1; h <= kHarmonics; ++h) {
      const double w = 2.0 * std::numbers::pi * h / T;
      const double gain = -g / (com_height * w * w);  // d = -e g / (h w^2): -(h/g) d'' = -e
      const auto i = static_cast<std::size_t>(h - 1);
      forward.a[i] += gain * dx.a[i];
      forward.b[i] += gain * dx.b[i];
      lateral.a[i] += gain * dz.a[i];
      lateral.b[i] += gain * dz.b[i];
    }
  }
}

}  // namespace

GeneratedExercise generate_walking(const Model& model, const ExerciseParameters& P,
                                   const ExerciseInfo& info) {
  const WalkingCycle& cycle = recorded_walking_cycle();
  const double T = P.tempo_s > 0.0 ? P.tempo_s : cycle.duration_s;
  const int N = P.frames_per_rep;
  const int nc = model.num_coordinates();
  const double phase0 = P.side == Side::Left ? cycle.left_heel_strike : 0.0;
  auto coord = [&](const char* name) {
    const int i = model.coordinate_index(name);
    if (i < 0)
      throw std::invalid_argument(std::string("generate_exercise: the model has no coordinate '") + name +
                                  "'");
    return i;
  };
  const int tx = coord("pelvis_tx"), ty = coord("pelvis_ty"), tz = coord("pelvis_tz");
  std::vector<Column> columns;
  for (const auto& [name, deg] : cycle.angles_deg) {
    const int c = model.coordinate_index(name);
    if (c < 0) continue;  // e.g. a model without arms
    const Coordinate& co = model.coordinates[static_cast<std::size_t>(c)];
    if (co.is_dependent() || co.locked) continue;  // subtalar and mtp stay at the model's default
    std::vector<double> rad(deg.size());
    for (std::size_t k = 0; k < deg.size(); ++k) rad[k] = deg[k] * kDeg;
    columns.push_back({c, Periodic::fit(rad, deg.size() - 1)});
  }
  State s(model);
  set_default_coordinates(model, s);
  const Eigen::VectorXd q_default = s.q;
  // Angles (clamped to the coordinate ranges: the recording's knee reaches -0.5 deg) and the lateral
  // pelvis position at a phase; the pelvis translations zero.
  auto angles = [&](double phase, Eigen::VectorXd& q) {
    q = q_default;
    for (const Column& col : columns) {
      const Coordinate& co = model.coordinates[static_cast<std::size_t>(col.coordinate)];
      q[col.coordinate] = std::clamp(col.f(phase), co.range_min, co.range_max);
    }
    q[tx] = 0.0;
    q[ty] = 0.0;
    q[tz] = 0.0;
  };
  // Pelvis height that puts the lowest heel or ball point (less its resting height in the default
  // pose) on the floor, on a fine grid, then smoothed as the angles are. The toe tips are left out:
  // the model's toes are rigid (mtp locked), so at push-off they would pivot the body on their tips.
  const std::vector<FootPoint> pts = foot_points(model);
  compute_positions(model, s);
  std::vector<double> rest;
  for (const FootPoint& fp : pts) rest.push_back(point_in_ground(s, fp.body, fp.point_m).y());
  const double rest_low = *std::min_element(rest.begin(), rest.end());
  for (double& r : rest) r -= rest_low;
  constexpr std::size_t kGrid = 200;
  std::vector<double> height(kGrid);
  Eigen::VectorXd q(nc);
  for (std::size_t k = 0; k < kGrid; ++k) {
    angles(static_cast<double>(k) / kGrid, q);
    s.q = q;
    compute_positions(model, s);
    double low = 1e300;
    for (std::size_t p = 0; p < pts.size(); ++p)
      if (pts[p].name.rfind("toe", 0) != 0)
        low = std::min(low, point_in_ground(s, pts[p].body, pts[p].point_m).y() - rest[p]);
    height[k] = -low;
  }
  const Periodic pelvis_height = Periodic::fit(height, kGrid, kHeightHarmonics);
  // Horizontal pelvis path: the pelvis moves so that the planted foot's contact point (its lowest heel
  // or ball point: the heel in early stance, the ball at push-off) stays where it landed. The recorded
  // pelvis path, replayed on other legs, slid the stance foot by ~8 cm and its lateral sway needed
  // centres of pressure 0.3-0.5 m beside the foot. In double support both feet's implied velocities
  // are averaged, weighted by how close each is to the floor.
  std::vector<double> vx(kGrid), vz(kGrid);
  {
    const double dp = 0.25 / kGrid;
    std::array<Vec3, 2> lowest_point{};  // per side: body point of the lowest contact point at the phase
    std::array<int, 2> lowest_body{};
    std::array<double, 2> lowest_height{};
    auto relative = [&](double phase, int side) {
      angles(phase, q);
      q[ty] = pelvis_height(phase);
      s.q = q;
      compute_positions(model, s);
      return point_in_ground(s, lowest_body[static_cast<std::size_t>(side)],
                             lowest_point[static_cast<std::size_t>(side)]);
    };
    for (std::size_t k = 0; k < kGrid; ++k) {
      const double phase = static_cast<double>(k) / kGrid;
      angles(phase, q);
      q[ty] = pelvis_height(phase);
      s.q = q;
      compute_positions(model, s);
      lowest_height = {1e300, 1e300};
      for (std::size_t p = 0; p < pts.size(); ++p) {
        if (pts[p].name.rfind("toe", 0) == 0) continue;
        const auto side = static_cast<std::size_t>(pts[p].side == Side::Right ? 0 : 1);
        const double h = point_in_ground(s, pts[p].body, pts[p].point_m).y() - rest[p];
        if (h < lowest_height[side]) {
          lowest_height[side] = h;
          lowest_body[side] = pts[p].body;
          lowest_point[side] = pts[p].point_m;
        }
      }
      double wsum = 0.0, x = 0.0, z = 0.0;
      for (int side = 0; side < 2; ++side) {
        // 1 on the floor, 1/e at 3 mm above it: a foot in swing has no say.
        const double w = std::exp(-std::max(0.0, lowest_height[static_cast<std::size_t>(side)]) / 0.003);
        const Vec3 d = (relative(phase + dp, side) - relative(phase - dp, side)) / (2.0 * dp);
        x -= w * d.x();
        z -= w * d.z();
        wsum += w;
      }
      vx[k] = x / wsum;
      vz[k] = z / wsum;
    }
  }
  // Integrated over the phase (trapezoids on the periodic grid): the stride length, and a lateral
  // drift removed linearly (the recorded left and right steps differ slightly).
  std::vector<double> px(kGrid + 1, 0.0), pz(kGrid + 1, 0.0);
  for (std::size_t k = 0; k < kGrid; ++k) {
    px[k + 1] = px[k] + 0.5 * (vx[k] + vx[(k + 1) % kGrid]) / kGrid;
    pz[k + 1] = pz[k] + 0.5 * (vz[k] + vz[(k + 1) % kGrid]) / kGrid;
  }
  const double stride_m = px[kGrid], drift_m = pz[kGrid];
  for (std::size_t k = 0; k <= kGrid; ++k) {
    const double phase = static_cast<double>(k) / kGrid;
    px[k] -= stride_m * phase;
    pz[k] -= drift_m * phase;
  }
  Periodic forward = Periodic::fit(px, kGrid, 4), lateral = Periodic::fit(pz, kGrid, 4);
  balance_centre_of_pressure(
      model, T, pts, rest,
      [&](double phase, Eigen::VectorXd& out) {
        angles(phase, out);
        out[ty] = pelvis_height(phase);
        out[tx] = stride_m * phase + forward(phase);
        out[tz] = lateral(phase);
      },
      forward, lateral);
  auto pose = [&](double t, Eigen::VectorXd& out) {
    const double phase = phase0 + t / T;
    angles(phase, out);
    out[ty] = pelvis_height(phase);
    out[tx] = stride_m * (t / T) + forward(phase) - forward(phase0);
    out[tz] = lateral(phase);
  };

  GeneratedExercise g;
  g.info = info;
  g.parameters = P;
  g.parameters.tempo_s = T;
  g.body_mass_kg = model.total_mass_kg();
  g.load_kg = 0.0;
  g.motion.time_s.resize(static_cast<std::size_t>(N));
  g.motion.q.resize(N, nc);
  g.motion.from_file.assign(static_cast<std::size_t>(nc), true);
  g.qdot.resize(N, nc);
  g.qddot.resize(N, nc);
  const double h = 1e-3 * T;
  Eigen::VectorXd qm(nc), qp(nc);
  for (int f = 0; f < N; ++f) {
    const double t = T * f / (N - 1);
    g.motion.time_s[static_cast<std::size_t>(f)] = t;
    pose(t - h, qm);
    pose(t, q);
    pose(t + h, qp);
    // Dependent coordinates (knee_angle_*_beta) follow their couplers.
    for (Eigen::VectorXd* v : {&qm, &q, &qp}) {
      s.q = *v;
      resolve_couplings(model, s);
      *v = s.q;
    }
    g.motion.q.row(f) = q.transpose();
    g.qdot.row(f) = ((qp - qm) / (2.0 * h)).transpose();
    g.qddot.row(f) = ((qp - 2.0 * q + qm) / (h * h)).transpose();
  }
  g.static_frame.assign(static_cast<std::size_t>(N), false);
  FootContactOptions contacts;
  contacts.floor_from_motion = false;  // the floor is y = 0 by construction
  contacts.always_supported = true;    // walking always has a foot down
  // The floor is exact here: 1 cm and 1 m/s give ~26 % double support, as measured at this pace.
  contacts.contact_height_m = 0.01;
  contacts.contact_speed_m_s = 1.0;
  // Loose shares: in double support the load moves to the leading foot as fast as the wrench needs
  // (0.5 m^2, the recordings' default, kept both centres of pressure ~0.3 m ahead of the feet).
  contacts.share_stickiness_m2 = 0.03;
  estimate_ground_reactions(model, g, contacts);
  return g;
}

}  // namespace glutelab::exercise_detail
