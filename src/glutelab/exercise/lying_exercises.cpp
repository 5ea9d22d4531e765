// Lying exercises: glute bridge, single-leg glute bridge and hip thrust.
#include <cmath>
#include <string>

#include "glutelab/exercise/generator.hpp"

namespace glutelab::exercise_detail {

// Lying exercises: upper back on the floor (bench_height 0) or on a bench, feet flat on the floor.
// Pelvis tilt is prescribed (the lift, from tilt_bottom to the solved top posture), hips/knees/ankles
// close the loop: the back point at the bench height, the feet at a fixed distance from it, flat, at
// the stance width, knees above the ankles.
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
  // The foot's distance from the midline: half the stance width; on one leg the foot is in line with
  // its hip (thigh straight ahead): at half the stance width the stance thigh was abducted ~12 deg and
  // the foot's push about that tilted thigh needed more internal rotation than the muscles can give.
  const double half = single_leg ? std::abs(G.marker_ground(stance_side == "r" ? "RHJC" : "LHJC").z())
                                 : 0.5 * P.stance_width_m;
  G.anchor_target = Vec3(0.0, 0.0, stance_side == "r" ? half : -half);
  auto both = [&](const std::string& c) -> Unknown {
    if (single_leg) return {{G.coord(c + st), 1.0}};
    return {{G.coord(c + "_r"), 1.0}, {G.coord(c + "_l"), 1.0}};
  };
  const Generator* g = &G;
  const double depth = P.depth;
  // Thighs rise from the hips to the knees by about `thigh` degrees: hip flexion = 90 + thigh - tilt
  // (starting guesses of the solve).
  const double thigh = bench_height > 0.0 ? 20.0 : 35.0;
  // Top posture (full depth): shoulders, hips and knees in a line (hip flexion 0; 10 deg on one leg),
  // the knee at knee_top, feet flat at the stance width; the pelvis tilt that puts the back contact at
  // the bench height is solved (tilt_top is its starting guess), and the feet's distance from the back
  // contact follows.
  // Prescribing the tilt instead left the hip to the loop closure: 8 to 16 deg of hyperextension at the
  // top with the knees at 90-95 deg, where the passive rectus femoris and adductors pull harder than
  // the (then short, actively insufficient) hamstrings can balance, so the reserves carried up to all
  // of the hip rotation moment.
  const int tilt_c = G.coord("pelvis_tilt");
  // Knee straight above the ankle seen from the front (the shin vertical in the frontal plane), by hip
  // rotation: with the hip rotation left at 0 the stance width was reached by 15 to 25 deg of hip
  // abduction with the knees splayed far outside the feet.
  const int tibia = G.body("tibia_" + stance_side), talus = G.body("talus_" + stance_side);
  auto knee_over_ankle = [tibia, talus](const State& s) {
    return s.X_ground_body[static_cast<std::size_t>(tibia)].p.z() -
           s.X_ground_body[static_cast<std::size_t>(talus)].p.z();
  };
  double top_tilt = tilt_top, distance = 0.0;
  {
    // On one leg the hip stops 10 deg short of full extension: at 0 deg the single hip must extend
    // against the free leg held out straight and the stretched rectus femoris, beyond what the model's
    // extensors can give while they also hold the hip rotation.
    const double hip_top = single_leg ? 10.0 : 0.0;
    G.nominal = [g, tilt_top, knee_top, hip_top](double, Eigen::VectorXd& q) {
      set_deg(q, g->coord("pelvis_tilt"), tilt_top);
      set_deg(q, g->coord("lumbar_extension"), -8.0);
      for (const char* s : {"_r", "_l"}) {
        set_deg(q, g->coord(std::string("hip_flexion") + s), hip_top);
        set_deg(q, g->coord(std::string("knee_angle") + s), knee_top);
      }
    };
    G.unknowns = {{{tilt_c, 1.0}},
                  both("ankle_angle"),
                  both("hip_adduction"),
                  both("subtalar_angle"),
                  both("hip_rotation")};
    G.residual = [g, stance_side, bench_height, back, half, knee_over_ankle](const State& s, const Vec3&,
                                                                             Eigen::VectorXd& r) {
      const Vec3 c = g->foot(stance_side).centre(s);
      const Vec3 n = g->sole_normal(s, stance_side);
      const Vec3 pelvis = s.X_ground_body[static_cast<std::size_t>(g->body("pelvis"))].p;
      r[0] = (back.centre(s).y() - c.y()) - bench_height;
      r[1] = n.x();
      r[2] = std::abs(c.z() - pelvis.z()) - half;
      r[3] = n.z();
      r[4] = knee_over_ankle(s);
    };
    State s(g->model());
    G.pose(1.0, s);
    top_tilt = s.q[tilt_c] / kDeg;
    distance = g->foot(stance_side).centre(s).x() - back.centre(s).x();
    G.reset_warm_start();
  }
  auto nominal_at = [g, depth, tilt_bottom, top_tilt, thigh](double p, Eigen::VectorXd& q) {
    const double d = depth * p;
    const double tilt = tilt_bottom + (top_tilt - tilt_bottom) * d;
    set_deg(q, g->coord("pelvis_tilt"), tilt);
    set_deg(q, g->coord("lumbar_extension"), -8.0 * d);  // posterior pelvic tilt at the top
    for (const char* s : {"_r", "_l"}) {
      set_deg(q, g->coord(std::string("hip_flexion") + s), 90.0 + thigh - tilt);
      set_deg(q, g->coord(std::string("knee_angle") + s), 100.0);
      set_deg(q, g->coord(std::string("ankle_angle") + s), 0.0);
    }
    arms(*g, q, 0.0, -15.0, 0.0);
  };
  G.nominal = [nominal_at, single_leg, g, sw](double p, Eigen::VectorXd& q) {
    nominal_at(p, q);
    if (single_leg) {  // the free leg extended in line with the thigh (set after the solve below)
      set_deg(q, g->coord("knee_angle" + sw), 0.0);
    }
  };
  G.unknowns = {both("hip_flexion"),   both("knee_angle"),     both("ankle_angle"),
                both("hip_adduction"), both("subtalar_angle"), both("hip_rotation")};
  if (single_leg) G.unknowns[0].push_back({G.coord("hip_flexion" + sw), 1.0});  // free thigh parallel
  G.residual = [g, stance_side, bench_height, back, distance, half, knee_over_ankle](
                   const State& s, const Vec3&, Eigen::VectorXd& r) {
    const Vec3 c = g->foot(stance_side).centre(s);
    const Vec3 b = back.centre(s);
    const Vec3 n = g->sole_normal(s, stance_side);
    const Vec3 pelvis = s.X_ground_body[static_cast<std::size_t>(g->body("pelvis"))].p;
    r[0] = (b.y() - c.y()) - bench_height;
    r[1] = (c.x() - b.x()) - distance;
    r[2] = n.x();
    r[3] = std::abs(c.z() - pelvis.z()) - half;
    r[4] = n.z();
    r[5] = knee_over_ankle(s);
  };
}

}  // namespace glutelab::exercise_detail
