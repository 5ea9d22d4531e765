// Single-leg exercises: single-leg deadlift, step-up and lateral band walk.
#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>

#include "glutelab/exercise/generator.hpp"

namespace glutelab::exercise_detail {

// Single-leg (Romanian) deadlift: hinge on the working leg, the free leg extending behind in line with the
// trunk, hips square (pelvis list and rotation 0), arms hanging. Prescribed: pelvis tilt -5 -> -70 deg,
// stance knee 10 -> 20 deg, free hip 0 -> -5 deg and knee 10 deg; solved: the stance ankle (centre of mass
// with the load over mid-foot), stance hip adduction (centre of mass over the foot's centre line), stance hip
// flexion and subtalar (sole flat).
void define_single_leg_deadlift(Generator& G, const ExerciseParameters& P) {
  const std::string st = P.side == Side::Right ? "_r" : "_l";
  const std::string sw = P.side == Side::Right ? "_l" : "_r";
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
  const double depth = P.depth;
  G.nominal = [g, depth, st, sw](double p, Eigen::VectorXd& q) {
    const double d = depth * p;
    const double tilt = -5.0 - 65.0 * d;
    set_deg(q, g->coord("pelvis_tilt"), tilt);
    set_deg(q, g->coord("lumbar_extension"), 0.0);
    set_deg(q, g->coord("knee_angle" + st), 10.0 + 10.0 * d);
    set_deg(q, g->coord("hip_flexion" + st), -tilt);  // starting guess
    set_deg(q, g->coord("hip_flexion" + sw), -5.0 * d);
    set_deg(q, g->coord("knee_angle" + sw), 10.0);
    set_deg(q, g->coord("ankle_angle" + sw), 0.0);
    arms(*g, q, -tilt, -8.0, 5.0);
  };
}

// Step-up onto a box of height H (default 0.30 m): the working foot flat on the box (the anchor), the
// trailing foot on the floor behind, on the ball of its foot (0.40 m behind the box foot's centre). Phase 1
// (p < 0.4, both feet planted): the trunk leans 10 -> 30 deg and the centre of mass moves from 40 % of the
// way between the feet to over the box foot while the trailing heel rises (ankle 5 -> -20 deg) with the
// trailing knee at 15 deg; the box hip and subtalar keep the sole flat, its ankle and adduction place the
// centre of mass; the box knee with the trailing hip, adduction and subtalar keep the ball of the trailing
// foot in place and level. Phase 2 (p >= 0.4, the trailing foot lifted): the box knee extends to 5 deg and
// the trunk rises while the centre of mass stays over the box foot's mid-foot; the trailing leg swings to a
// knee drive (hip 70 deg, knee 90 deg). The phases meet at rest at p = 0.4, so the motion is smooth.
void define_step_up(Generator& G, const ExerciseParameters& P, LoadPlacement placement) {
  const double H = P.height_m > 0.0 ? P.height_m : 0.30;
  if (H > 0.50)
    throw std::invalid_argument("height_m: the box of step_up must be in [0.15, 0.50] m, got " + fmt(H));
  const std::string ws = P.side == Side::Right ? "r" : "l";  // working (box) side
  const std::string ts = P.side == Side::Right ? "l" : "r";  // trailing side
  const std::string W = "_" + ws, T = "_" + ts;
  const double sgn = ws == "r" ? 1.0 : -1.0;
  constexpr double p_off = 0.4, lambda0 = 0.4, behind = 0.40;
  ContactDef box = G.foot(ws);
  box.height = H;
  ContactDef trail;
  trail.name = "forefoot_" + ts;
  trail.body = G.foot(ts).body;
  trail.point_body = G.ball_body(ts, 0.0);
  trail.half_x = 0.04;
  trail.half_z = 0.045;
  trail.lift_from = p_off;
  G.contacts = {box, trail};
  G.anchor = 0;
  G.anchor_target = Vec3(0.0, H, sgn * 0.5 * P.stance_width_m);
  G.linear_progress = true;
  // Solved: the box knee and the trailing hip flexion, adduction and subtalar (phase 2 prescribes them
  // through residuals, from their lift-off values).
  const std::vector<std::string> trail_solved = {"knee_angle" + W, "hip_flexion" + T, "hip_adduction" + T,
                                                 "subtalar_angle" + T};
  G.unknowns = {{{G.coord("hip_flexion" + W), 1.0}},
                {{G.coord("subtalar_angle" + W), 1.0}},
                {{G.coord("ankle_angle" + W), 1.0}},
                {{G.coord("hip_adduction" + W), 1.0}}};
  std::vector<int> trail_idx;
  for (const std::string& c : trail_solved) {
    trail_idx.push_back(G.coord(c));
    G.unknowns.push_back({{trail_idx.back(), 1.0}});
  }
  const Generator* g = &G;
  const double depth = P.depth, width = P.stance_width_m;
  auto lift_off = std::make_shared<std::vector<double>>();  // the trailing coordinates at lift-off (rad)
  auto rise = [depth](double p) { return p < p_off ? 0.0 : depth * smooth01((p - p_off) / (1.0 - p_off)); };
  constexpr double tilt0 = -10.0, tilt_off = -35.0;
  G.nominal = [g, W, T, placement, rise](double p, Eigen::VectorXd& q) {
    const double u = rise(p), shift = smooth01(p / p_off);
    const double lean = tilt0 + (tilt_off - tilt0) * shift;
    const double tilt = lean + (-3.0 - lean) * u;
    set_deg(q, g->coord("pelvis_tilt"), tilt);
    set_deg(q, g->coord("knee_angle" + T), 15.0 + 75.0 * u);
    const double heel = 5.0 - 25.0 * shift;  // the trailing heel rises, then the foot relaxes in the air
    set_deg(q, g->coord("ankle_angle" + T), heel + (0.0 - heel) * u);
    // Starting guesses of the solved coordinates.
    set_deg(q, g->coord("knee_angle" + W), 90.0);
    set_deg(q, g->coord("hip_flexion" + W), 80.0);
    set_deg(q, g->coord("ankle_angle" + W), 15.0);
    set_deg(q, g->coord("hip_flexion" + T), -10.0);
    arms_for(*g, q, placement, -tilt);
  };
  const ContactDef box_c = box, trail_c = trail;
  G.residual = [g, ws, ts, box_c, trail_c, H, sgn, width, lift_off, rise, trail_idx](
                   const State& s, const Vec3& com, Eigen::VectorXd& r) {
    const double p = g->p();
    const Vec3 nb = g->sole_normal(s, ws), mb = g->midfoot(s, ws);
    r[0] = nb.x();
    r[1] = nb.z();
    if (p < p_off || lift_off->empty()) {
      const double lambda = lambda0 + (1.0 - lambda0) * smooth01(p / p_off);
      const Vec3 ct = trail_c.centre(s);
      Vec3 axis = mb - ct, rel = com - ct;
      axis.y() = 0.0;
      rel.y() = 0.0;
      r[2] = rel.dot(axis) / axis.squaredNorm() - lambda;
      r[3] = rel.cross(axis).y() / axis.norm();
      const Vec3 cb = box_c.centre(s);
      r[4] = ct.x() - cb.x() + behind;
      r[5] = ct.y() - cb.y() + H;
      r[6] = ct.z() - cb.z() + sgn * width;
      const ContactDef& tf = g->foot(ts);  // both metatarsal heads level (no roll)
      r[7] =
          point_in_ground(s, tf.body, tf.sole_body[1]).y() - point_in_ground(s, tf.body, tf.sole_body[3]).y();
    } else {
      const double u = rise(p);
      const std::vector<double>& L = *lift_off;
      r[2] = com.x() - mb.x();
      r[3] = com.z() - mb.z();
      const double target[4] = {5.0 * kDeg, 70.0 * kDeg, 0.0, 0.0};
      for (std::size_t k = 0; k < 4; ++k)
        r[4 + static_cast<int>(k)] = s.q[trail_idx[k]] - (L[k] + (target[k] - L[k]) * u);
    }
  };
  State s(G.model());
  G.pose(p_off, s);  // the end of phase 1: the posture at lift-off
  for (const int c : trail_idx) lift_off->push_back(s.q[c]);
  G.reset_warm_start();
}

}  // namespace glutelab::exercise_detail
