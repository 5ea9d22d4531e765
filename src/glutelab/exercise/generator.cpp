#include "glutelab/exercise/generator.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include <Eigen/Dense>

#include "glutelab/dynamics/inverse_dynamics.hpp"
#include "glutelab/exercise/contact_distribution.hpp"
#include "glutelab/exercise/support_polygon.hpp"

namespace glutelab::exercise_detail {

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

Generator::Generator(const Model& model, const ExerciseParameters& params)
    : model_(model), params_(params), state_(model) {
  set_default_coordinates(model_, state_);
  compute_positions(model_, state_);
  default_q_ = state_.q;
  for (const char* side : {"r", "l"}) {
    const std::string s = side;
    const int calcn = body("calcn_" + s);
    const std::string up = s == "r" ? "R" : "L";
    const Vec3 heel = marker_ground(up + "CAL"), toe = marker_ground(up + "TOE"),
               lat = marker_ground(up + "MT5");
    // Medial corner: the lateral one mirrored about the heel-toe line.
    Vec3 axis = toe - heel;
    axis.y() = 0.0;
    axis.normalize();
    Vec3 rel = lat - heel;
    rel.y() = 0.0;
    const Vec3 perp = rel - rel.dot(axis) * axis;
    const Vec3 med = lat - 2.0 * perp;
    ContactDef foot;
    foot.name = "foot_" + s;
    foot.body = calcn;
    const Transform inv = state_.X_ground_body[static_cast<std::size_t>(calcn)].inverse();
    // The sole plane: below the heel marker by the built-in model's proportion of the heel-to-toe marker
    // distance (its RCAL is 33.5 mm above the floor, 231.6 mm from RTOE), so that it follows the foot of a
    // scaled model, whose default pose (coordinate defaults are not scaled) may leave the feet off the floor.
    const double sole_y = heel.y() - kHeelMarkerHeightPerFootLength * (toe - heel).norm();
    if (s == "r") leg_length_ = marker_ground("RHJC").y() - sole_y;
    for (Vec3 p : {heel, lat, toe, med}) {
      p.y() = sole_y;
      foot.sole_body.push_back(inv.apply(p));
    }
    feet_[s == "r" ? 0 : 1] = foot;
    sole_normal_body_[s == "r" ? 0 : 1] = inv.R * Vec3::UnitY();
  }
  // Upper-back contact: 0.12 m below C7 on the torso.
  const int torso = body("torso");
  back_point_body_ = state_.X_ground_body[static_cast<std::size_t>(torso)].inverse().apply(
      marker_ground("C7") - Vec3(0.0, 0.12, 0.0));
}

Eigen::VectorXd Generator::pose(double p, State& s) const {
  Eigen::VectorXd q0(model_.num_coordinates());
  q0 = default_q_;
  for (const char* t : {"pelvis_tx", "pelvis_ty", "pelvis_tz"}) q0[coord(t)] = 0.0;
  p_ = p;
  nominal(p, q0);
  const int n = static_cast<int>(unknowns.size());
  // Warm start from the previous pose keeps every frame on the same solution branch.
  Eigen::VectorXd x = warm_.size() == n ? warm_ : Eigen::VectorXd::Zero(n);
  auto eval = [&](const Eigen::VectorXd& xv, Eigen::VectorXd& r) {
    s.q = q0;
    for (int k = 0; k < n; ++k)
      for (const auto& [c, g] : unknowns[static_cast<std::size_t>(k)]) s.q[c] += g * xv[k];
    compute_positions(model_, s);
    residual(s, com(s), r);
  };
  if (n > 0) {
    Eigen::VectorXd r(n), r2(n);
    eval(x, r);
    for (int it = 0; it < 60 && r.norm() > 1e-13; ++it) {
      Eigen::MatrixXd J(n, n);
      for (int k = 0; k < n; ++k) {
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
    if (!(r.norm() < 1e-8)) {
      std::string detail;
      for (int k = 0; k < n; ++k) detail += (k ? ", " : "") + fmt(r[k]);
      if (std::getenv("GLUTELAB_DEBUG"))
        for (int c = 0; c < model_.num_coordinates(); ++c)
          if (std::abs(s.q[c]) > 1e-9)
            detail += " " + model_.coordinates[static_cast<std::size_t>(c)].name + "=" + fmt(s.q[c] / kDeg);
      throw std::runtime_error("generate_exercise: posture solve did not converge (residual " +
                               fmt(r.norm()) + ": " + detail + ") at progress " + fmt(p) +
                               ": the posture is out of reach at depth " + fmt(params_.depth) +
                               ", stance_width_m " + fmt(params_.stance_width_m));
    }
    eval(x, r);
    warm_ = x;
  } else {
    s.q = q0;
    compute_positions(model_, s);
  }
  const auto [anchor_now, target_now] =
      anchor_at ? anchor_at(p) : std::pair<int, Vec3>(anchor, anchor_target);
  const Vec3 shift = target_now - contacts[static_cast<std::size_t>(anchor_now)].centre(s);
  Eigen::VectorXd q = s.q;
  q[coord("pelvis_tx")] += shift.x();
  q[coord("pelvis_ty")] += shift.y();
  q[coord("pelvis_tz")] += shift.z();
  return q;
}

namespace {

// A posture that leaves a coordinate's range is an error naming the coordinate and by how much, not a
// silently clamped or impossible pose. The ground-pelvis coordinates are exempt: the lying exercises
// take pelvis tilt past the free joint's +-90 deg on purpose (docs/exercises.md, Postures).
void require_in_range(const Model& model, const ExerciseInfo& info, const ExerciseParameters& params,
                      const Eigen::VectorXd& q, double progress) {
  for (int c = 0; c < model.num_coordinates(); ++c) {
    const Coordinate& co = model.coordinates[static_cast<std::size_t>(c)];
    if (co.is_dependent() || co.joint < 0) continue;
    if (model.joints[static_cast<std::size_t>(co.joint)].name == "ground_pelvis") continue;
    const double v = q[c], tol = 1e-9;
    if (v >= co.range_min - tol && v <= co.range_max + tol) continue;
    const bool rot = co.motion_type == MotionType::Rotational;
    const double k = rot ? 1.0 / kDeg : 1.0;
    const std::string unit = rot ? " deg" : " m";
    const double beyond = v < co.range_min ? co.range_min - v : v - co.range_max;
    auto f1 = [](double x) {  // one decimal
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.1f", x);
      return std::string(buf);
    };
    throw std::invalid_argument(
        "generate_exercise: " + info.name + " at depth " + fmt(params.depth) + ", stance_width_m " +
        fmt(params.stance_width_m) + (params.height_m > 0.0 ? ", height_m " + fmt(params.height_m) : "") +
        " drives " + co.name + " to " + f1(v * k) + unit + ", " + f1(beyond * k) + unit +
        " beyond its range [" + f1(co.range_min * k) + ", " + f1(co.range_max * k) + "]" + unit +
        " (at progress " + f1(progress) + ")" +
        (progress > 0.0 ? "; choose a smaller depth or another stance width"
                        : "; this is the starting posture, which the depth does not change: try another "
                          "stance width, or the exercise does not fit this body"));
  }
}

}  // namespace

GeneratedExercise Generator::run(const ExerciseInfo& info) const {
  const int N = params_.frames_per_rep;
  const int nc = model_.num_coordinates();
  const double T = params_.tempo_s;
  const double h = 1e-3 * T;  // central-difference step for speeds and accelerations
  GeneratedExercise g;
  g.info = info;
  g.parameters = params_;
  g.body_mass_kg = model_.total_mass_kg();
  g.load_kg = load_points.empty() ? 0.0 : params_.load_kg;
  g.motion.time_s.resize(static_cast<std::size_t>(N));
  g.motion.q.resize(N, nc);
  g.motion.from_file.assign(static_cast<std::size_t>(nc), true);
  g.qdot.resize(N, nc);
  g.qddot.resize(N, nc);
  State s(model_);
  std::vector<ExerciseLoad> loads(contacts.size());
  for (std::size_t c = 0; c < contacts.size(); ++c) {
    loads[c].name = contacts[c].name;
    loads[c].body = contacts[c].body;
    loads[c].contact = true;
    loads[c].height_m = contacts[c].height;
    loads[c].scheduled = contacts[c].scheduled();
  }
  for (const LoadPoint& lp : load_points) {
    ExerciseLoad l;
    l.name = "load_" + model_.bodies[static_cast<std::size_t>(lp.body)].name;
    l.body = lp.body;
    loads.push_back(l);
  }
  const std::size_t first_band = loads.size();
  for (const BandDef& b : bands) {  // two loads per band: its pull on each end
    for (const int body : {b.body_a, b.body_b}) {
      ExerciseLoad l;
      l.name = "band_" + b.name + "_" + model_.bodies[static_cast<std::size_t>(body)].name;
      l.body = body;
      loads.push_back(l);
    }
  }
  for (std::size_t k = 0; k < loads.size(); ++k) {
    ExerciseLoad& l = loads[k];
    const bool on = k >= first_band ? true : (l.contact ? false : g.load_kg > 0.0);
    l.active.assign(static_cast<std::size_t>(N), on);
    l.force_n.assign(static_cast<std::size_t>(N), Vec3::Zero());
    l.point_m.assign(static_cast<std::size_t>(N), Vec3::Zero());
    l.torque_n_m.assign(static_cast<std::size_t>(N), Vec3::Zero());
    l.polygon_m.assign(static_cast<std::size_t>(N), {});
  }
  InverseDynamicsWorkspace ws(model_);
  Eigen::VectorXd tau(nc);
  for (int f = 0; f < N; ++f) {
    const double t = T * f / (N - 1);
    g.motion.time_s[static_cast<std::size_t>(f)] = t;
    const Eigen::VectorXd qm = pose(progress(t - h), s), qp = pose(progress(t + h), s);
    const double pt = progress(t);
    const Eigen::VectorXd q = pose(pt, s);
    require_in_range(model_, info, params_, q, pt);
    // Load points at t - h, t, t + h for their accelerations.
    std::vector<Vec3> lp_m, lp_0, lp_p, band_ends;
    for (const Eigen::VectorXd* qq : {&qm, &qp, &q}) {
      s.q = *qq;
      compute_positions(model_, s);
      auto& dst = qq == &qm ? lp_m : (qq == &q ? lp_0 : lp_p);
      for (const LoadPoint& lp : load_points) dst.push_back(point_in_ground(s, lp.body, lp.point_body));
    }
    for (const BandDef& b : bands) {
      band_ends.push_back(point_in_ground(s, b.body_a, b.point_a));
      band_ends.push_back(point_in_ground(s, b.body_b, b.point_b));
    }
    g.motion.q.row(f) = q.transpose();
    g.qdot.row(f) = ((qp - qm) / (2.0 * h)).transpose();
    g.qddot.row(f) = ((qp - 2.0 * q + qm) / (h * h)).transpose();
    s.q = q;
    s.qdot = g.qdot.row(f).transpose();
    s.qddot = g.qddot.row(f).transpose();
    // The load object: weight and inertia, m (g - a), at its point.
    BodyForces applied(model_);
    for (std::size_t k = 0; k < load_points.size(); ++k) {
      ExerciseLoad& l = loads[contacts.size() + k];
      const double m = g.load_kg * load_points[k].fraction;
      const Vec3 a = (lp_p[k] - 2.0 * lp_0[k] + lp_m[k]) / (h * h);
      l.force_n[static_cast<std::size_t>(f)] = m * (model_.gravity - a);
      l.point_m[static_cast<std::size_t>(f)] = lp_0[k];
      if (l.active[static_cast<std::size_t>(f)])
        applied.add_force_at_point(l.body, l.force_n[static_cast<std::size_t>(f)], lp_0[k]);
    }
    // Bands: equal and opposite pulls on their ends, tension k max(0, length - rest length).
    for (std::size_t k = 0; k < bands.size(); ++k) {
      const Vec3 a = band_ends[2 * k], b = band_ends[2 * k + 1];
      const double length = (b - a).norm();
      const double tension = bands[k].stiffness_n_per_m * std::max(0.0, length - bands[k].rest_length_m);
      const Vec3 pull = length > 0.0 ? Vec3(tension * (b - a) / length) : Vec3(Vec3::Zero());
      ExerciseLoad& la = loads[first_band + 2 * k];
      ExerciseLoad& lb = loads[first_band + 2 * k + 1];
      la.force_n[static_cast<std::size_t>(f)] = pull;
      la.point_m[static_cast<std::size_t>(f)] = a;
      lb.force_n[static_cast<std::size_t>(f)] = -pull;
      lb.point_m[static_cast<std::size_t>(f)] = b;
      applied.add_force_at_point(la.body, pull, a);
      applied.add_force_at_point(lb.body, -pull, b);
    }
    // What the environment must supply: the ground_pelvis subtree load accumulated on ground.
    inverse_dynamics(model_, s, &applied, ws, tau);
    const Vec3 F = ws.force[0], M = ws.moment[0];
    std::vector<ContactPatch> patches;
    std::vector<std::size_t> which;
    std::vector<Vec3> support;
    for (std::size_t c = 0; c < contacts.size(); ++c) {
      ContactPatch patch;
      patch.centre_m = contacts[c].centre(s);
      patch.centre_m.y() = contacts[c].height;
      loads[c].polygon_m[static_cast<std::size_t>(f)] = contacts[c].polygon(s);
      loads[c].point_m[static_cast<std::size_t>(f)] = patch.centre_m;  // an off contact keeps its centre
      if (!contacts[c].planted(pt)) continue;
      patches.push_back(patch);
      which.push_back(c);
      for (const Vec3& v : loads[c].polygon_m[static_cast<std::size_t>(f)]) support.push_back(v);
    }
    if (!(F.y() > 0.0))
      throw std::invalid_argument(
          "tempo_s: at t = " + fmt(t) + " s the repetition of '" + info.name +
          "' accelerates the body downwards faster than gravity (the contacts would have "
          "to pull with " +
          fmt(-F.y()) + " N); choose a slower tempo than " + fmt(T) + " s");
    const std::vector<ContactLoad> cl = distribute_wrench(patches, F, M);
    for (std::size_t i = 0; i < which.size(); ++i) {
      ExerciseLoad& l = loads[which[i]];
      l.active[static_cast<std::size_t>(f)] = cl[i].share > 0.0;
      l.force_n[static_cast<std::size_t>(f)] = cl[i].force_n;
      l.point_m[static_cast<std::size_t>(f)] = cl[i].cop_m;
      l.torque_n_m[static_cast<std::size_t>(f)] = cl[i].torque_n_m;
    }
    for (std::size_t i = 0; i < which.size(); ++i) {
      const ExerciseLoad& l = loads[which[i]];
      if (!l.active[static_cast<std::size_t>(f)]) continue;
      const double margin = distance_inside_polygon(support_polygon(l.polygon_m[static_cast<std::size_t>(f)]),
                                                    l.point_m[static_cast<std::size_t>(f)]);
      if (g.worst_cop_frame < 0 || margin < g.worst_cop_margin_m) {
        g.worst_cop_margin_m = margin;
        g.worst_cop_frame = f;
        g.worst_cop_contact = l.name;
      }
    }
    g.com_m.push_back(com(s));
    g.base_of_support_m.push_back(support_polygon(support));
    g.static_frame.push_back(is_static(t));
  }
  g.loads = std::move(loads);
  if (finish) finish(g);
  return g;
}

void set_deg(Eigen::VectorXd& q, int c, double deg) { q[c] = deg * kDeg; }

// Load points of a placement.
std::vector<LoadPoint> load_points_for(const Generator& G, LoadPlacement placement, const Model& model) {
  std::vector<LoadPoint> out;
  const int torso = G.body("torso");
  switch (placement) {
    case LoadPlacement::None:
      break;
    case LoadPlacement::BackBarbell:  // high bar: just below C7, on the trapezius
      out.push_back({torso, G.default_point_on(torso, G.marker_ground("C7") + Vec3(0.02, -0.04, 0.0)), 1.0});
      break;
    case LoadPlacement::FrontRack:  // on the anterior deltoids, in front of the clavicle
      out.push_back(
          {torso, G.default_point_on(torso, G.marker_ground("CLAV") + Vec3(0.06, -0.02, 0.0)), 1.0});
      break;
    case LoadPlacement::Hands:
      for (const char* h : {"hand_r", "hand_l"}) {
        const int b = G.body(h);
        out.push_back({b, model.bodies[static_cast<std::size_t>(b)].mass_center_m, 0.5});
      }
      break;
    case LoadPlacement::Hips: {  // across the hip crease, in front of the pelvis
      const int pelvis = G.body("pelvis");
      const Vec3 asis = 0.5 * (G.marker_ground("RASI") + G.marker_ground("LASI"));
      out.push_back({pelvis, G.default_point_on(pelvis, asis + Vec3(0.06, -0.06, 0.0)), 1.0});
      break;
    }
  }
  return out;
}

// Both feet planted at +-width/2, flat, symmetric legs; unknown 0 balances the centre of mass over
// the feet (antero-posterior), the others keep the feet flat (hip flexion: pitch; subtalar: roll)
// and at the stance width (hip adduction).
void standing_double(Generator& G, const ExerciseParameters& P, const Unknown& balance) {
  G.contacts = {G.foot("r"), G.foot("l")};
  G.anchor = 0;
  G.anchor_target = Vec3(0.0, 0.0, 0.5 * P.stance_width_m);
  G.unknowns = {balance,
                {{G.coord("hip_flexion_r"), 1.0}, {G.coord("hip_flexion_l"), 1.0}},
                {{G.coord("hip_adduction_r"), 1.0}, {G.coord("hip_adduction_l"), 1.0}},
                {{G.coord("subtalar_angle_r"), 1.0}, {G.coord("subtalar_angle_l"), 1.0}}};
  const double half = 0.5 * P.stance_width_m;
  const Generator* g = &G;
  G.residual = [g, half](const State& s, const Vec3& com, Eigen::VectorXd& r) {
    const Vec3 c = g->foot("r").centre(s);
    const Vec3 n = g->sole_normal(s, "r");
    const Vec3 pelvis = s.X_ground_body[static_cast<std::size_t>(g->body("pelvis"))].p;
    r[0] = com.x() - g->midfoot(s, "r").x();
    r[1] = n.x();
    r[2] = (c.z() - pelvis.z()) - half;
    r[3] = n.z();
  };
}

void standing_single(Generator& G, const ExerciseParameters& P) {
  const std::string st = P.side == Side::Right ? "_r" : "_l";
  const std::string stance_side = P.side == Side::Right ? "r" : "l";
  G.contacts = {G.foot(stance_side)};
  G.anchor = 0;
  G.anchor_target = Vec3::Zero();
  G.unknowns = {{{G.coord("ankle_angle" + st), 1.0}},
                {{G.coord("hip_adduction" + st), 1.0}},
                {{G.coord("hip_flexion" + st), 1.0}},
                {{G.coord("subtalar_angle" + st), 1.0}}};
  const Generator* g = &G;
  G.residual = [g, stance_side](const State& s, const Vec3& com, Eigen::VectorXd& r) {
    const Vec3 n = g->sole_normal(s, stance_side);
    r[0] = com.x() - g->midfoot(s, stance_side).x();
    r[1] = com.z() - g->foot(stance_side).centre(s).z();
    r[2] = n.x();
    r[3] = n.z();
  };
}

void arms(const Generator& G, Eigen::VectorXd& q, double flex, double add, double elbow) {
  for (const char* s : {"_r", "_l"}) {
    set_deg(q, G.coord(std::string("arm_flex") + s), flex);
    set_deg(q, G.coord(std::string("arm_add") + s), add);
    set_deg(q, G.coord(std::string("elbow_flex") + s), elbow);
  }
}
void legs(const Generator& G, Eigen::VectorXd& q, const char* coordinate, double deg) {
  for (const char* s : {"_r", "_l"}) set_deg(q, G.coord(std::string(coordinate) + s), deg);
}

double smooth01(double u) {
  u = std::clamp(u, 0.0, 1.0);
  return u * u * u * (10.0 - 15.0 * u + 6.0 * u * u);
}

// Arms for a placement; `hang` is the arm flexion that keeps free-hanging arms vertical.
void arms_for(const Generator& G, Eigen::VectorXd& q, LoadPlacement placement, double hang) {
  switch (placement) {
    case LoadPlacement::BackBarbell:
      arms(G, q, -20.0, -70.0, 110.0);
      break;
    case LoadPlacement::FrontRack:
      arms(G, q, 80.0, -20.0, 140.0);
      break;
    default:
      arms(G, q, hang, -10.0, 5.0);
      break;
  }
}

}  // namespace glutelab::exercise_detail
