// Lying exercises: glute bridge, single-leg glute bridge and hip thrust.
#include <cmath>
#include <string>

#include "glutelab/exercise/generator.hpp"

namespace glutelab::exercise_detail {

// Lying exercises: upper back on the floor (bench_height 0) or on a bench, feet flat on the floor.
// Pelvis tilt is prescribed (the lift), hips/knees/ankles close the loop: the back point at the
// bench height, the feet at a fixed distance from it, flat, at the stance width.
void define_lying(Generator& G, const ExerciseParameters& P, double bench_height, double tilt_bottom,
                  double tilt_top, double knee_top, bool single_leg) {
  const std::string st = P.side == Side::Right ? "_r" : "_l";
  const std::string sw = P.side == Side::Right ? "_l" : "_r";
  const std::string stance_side = P.side == Side::Right ? "r" : "l";
  const ContactDef back = G.back_contact(bench_height);
  if (single_leg)
    G.contacts = {back, G.foot(stance_side)};
  else
    G.contacts = {back, G.foot("r"), G.foot("l")};
  G.anchor = 1;
  G.anchor_target = Vec3(0.0, 0.0, (stance_side == "r" ? 0.5 : -0.5) * P.stance_width_m);
  auto both = [&](const std::string& c) -> Unknown {
    if (single_leg) return {{G.coord(c + st), 1.0}};
    return {{G.coord(c + "_r"), 1.0}, {G.coord(c + "_l"), 1.0}};
  };
  const Generator* g = &G;
  const double half = 0.5 * P.stance_width_m;
  const double depth = P.depth;
  // Thighs rise from the hips to the knees by about `thigh` degrees: hip flexion = 90 + thigh - tilt.
  const double thigh = bench_height > 0.0 ? 20.0 : 35.0;
  auto nominal_at = [g, depth, tilt_bottom, tilt_top, thigh](double p, Eigen::VectorXd& q) {
    const double d = depth * p;
    const double tilt = tilt_bottom + (tilt_top - tilt_bottom) * d;
    set_deg(q, g->coord("pelvis_tilt"), tilt);
    set_deg(q, g->coord("lumbar_extension"), -8.0 * d);  // posterior pelvic tilt at the top
    for (const char* s : {"_r", "_l"}) {
      set_deg(q, g->coord(std::string("hip_flexion") + s), 90.0 + thigh - tilt);
      set_deg(q, g->coord(std::string("knee_angle") + s), 100.0);
      set_deg(q, g->coord(std::string("ankle_angle") + s), 0.0);
    }
    arms(*g, q, 0.0, -15.0, 0.0);
  };
  // Feet distance from the back contact: from the full-depth top posture with the knee at knee_top.
  double distance = 0.0;
  {
    G.nominal = [g, tilt_top, knee_top, thigh](double, Eigen::VectorXd& q) {
      set_deg(q, g->coord("pelvis_tilt"), tilt_top);
      set_deg(q, g->coord("lumbar_extension"), -8.0);
      for (const char* s : {"_r", "_l"}) {
        set_deg(q, g->coord(std::string("hip_flexion") + s), 90.0 + thigh - tilt_top);
        set_deg(q, g->coord(std::string("knee_angle") + s), knee_top);
      }
    };
    G.unknowns = {both("hip_flexion"), both("ankle_angle")};
    G.residual = [g, stance_side, bench_height, back](const State& s, const Vec3&, Eigen::VectorXd& r) {
      const Vec3 c = g->foot(stance_side).centre(s);
      r[0] = (back.centre(s).y() - c.y()) - bench_height;
      r[1] = g->sole_normal(s, stance_side).x();
    };
    State s(g->model());
    G.pose(1.0, s);
    distance = g->foot(stance_side).centre(s).x() - back.centre(s).x();
  }
  G.nominal = [nominal_at, single_leg, g, sw](double p, Eigen::VectorXd& q) {
    nominal_at(p, q);
    if (single_leg) {  // the free leg extended in line with the thigh (set after the solve below)
      set_deg(q, g->coord("knee_angle" + sw), 0.0);
    }
  };
  G.unknowns = {both("hip_flexion"), both("knee_angle"), both("ankle_angle"), both("hip_adduction"),
                both("subtalar_angle")};
  if (single_leg) G.unknowns[0].push_back({G.coord("hip_flexion" + sw), 1.0});  // free thigh parallel
  G.residual = [g, stance_side, bench_height, back, distance, half](const State& s, const Vec3&,
                                                                    Eigen::VectorXd& r) {
    const Vec3 c = g->foot(stance_side).centre(s);
    const Vec3 b = back.centre(s);
    const Vec3 n = g->sole_normal(s, stance_side);
    const Vec3 pelvis = s.X_ground_body[static_cast<std::size_t>(g->body("pelvis"))].p;
    r[0] = (b.y() - c.y()) - bench_height;
    r[1] = (c.x() - b.x()) - distance;
    r[2] = n.x();
    r[3] = std::abs(c.z() - pelvis.z()) - half;
    r[4] = n.z();
  };
}

}  // namespace glutelab::exercise_detail
