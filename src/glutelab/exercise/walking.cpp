// The walking exercise: the shipped gait cycle (walking_cycle.cpp) played on any model with the
// glutelab/Rajagopal names, with the pelvis height re-derived for the model's legs and the ground
// reactions estimated from the motion as for recorded motions.
#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include "glutelab/exercise/generator.hpp"
#include "glutelab/exercise/recorded_motion.hpp"
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
  const Periodic lateral = Periodic::fit(cycle.pelvis_tz_m, cycle.pelvis_tz_m.size() - 1);
  State s(model);
  set_default_coordinates(model, s);
  const Eigen::VectorXd q_default = s.q;
  // Angles (clamped to the coordinate ranges: the recording's knee reaches -0.5 deg) and the lateral
  // pelvis position at a phase; pelvis_tx and pelvis_ty zero.
  auto angles = [&](double phase, Eigen::VectorXd& q) {
    q = q_default;
    for (const Column& col : columns) {
      const Coordinate& co = model.coordinates[static_cast<std::size_t>(col.coordinate)];
      q[col.coordinate] = std::clamp(col.f(phase), co.range_min, co.range_max);
    }
    q[tx] = 0.0;
    q[ty] = 0.0;
    q[tz] = lateral(phase);
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
  // Forward speed: the recorded one scaled by the pelvis height (leg length) and the cadence.
  const double speed =
      cycle.forward_speed_m_s * (pelvis_height.a0 / cycle.mean_pelvis_height_m) * (cycle.duration_s / T);
  auto pose = [&](double t, Eigen::VectorXd& out) {
    const double phase = phase0 + t / T;
    angles(phase, out);
    out[ty] = pelvis_height(phase);
    out[tx] = speed * t;
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
  estimate_ground_reactions(model, g, contacts);
  return g;
}

}  // namespace glutelab::exercise_detail
