// The exercise generator on the built-in glutelab model: postures inside the joint ranges, the centre
// of mass over the base of support in the static phases, contacts on the floor/bench, reactions that
// carry the body and load, pelvis residuals ~0 after inverse dynamics with the generated loads, input
// errors, and static optimization over a generated squat.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <tuple>

#include "glutelab/analysis/static_optimization.hpp"
#include "glutelab/dynamics/inverse_dynamics.hpp"
#include "glutelab/exercise/contact_distribution.hpp"
#include "glutelab/exercise/exercise.hpp"
#include "glutelab/exercise/support_polygon.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "glutelab/kinematics/kinematics.hpp"
#include "glutelab/muscle/body_scaling.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

const Model& model() {
  static const Model m = read_osim(test::project_data("models/glutelab.osim"));
  return m;
}

// Exercises whose pelvis lies beyond the ground-pelvis joint's +-90 deg tilt range. The side-lying
// exercises need none: their pelvis_list is exactly +-90 deg (inside the range), roll and rotation 0.
bool lying(const std::string& name) {
  return name == "glute_bridge" || name == "single_leg_glute_bridge" || name == "hip_thrust";
}

struct Case {
  std::string name;
  ExerciseParameters params;
};

std::vector<Case> cases() {
  std::vector<Case> out;
  for (const ExerciseInfo& e : exercise_catalog()) {
    ExerciseParameters p;
    p.frames_per_rep = 60;
    out.push_back({e.name, p});  // defaults: full depth, the exercise's default placement, no load
    ExerciseParameters half = p;
    half.depth = 0.5;
    half.tempo_s = 0.7 * e.default_tempo_s;
    half.stance_width_m = e.name == "lateral_band_walk" ? 0.35 : 0.40;  // the band walk's widest start
    half.side = Side::Left;
    if (e.default_placement != LoadPlacement::None) half.load_kg = 40.0;
    out.push_back({e.name, half});
  }
  ExerciseParameters heavy;
  heavy.frames_per_rep = 60;
  heavy.load_kg = 100.0;
  heavy.tempo_s = 1.5;
  out.push_back({"back_squat", heavy});
  out.push_back({"conventional_deadlift", heavy});
  out.push_back({"hip_thrust", heavy});
  ExerciseParameters front = heavy;
  front.load_kg = 50.0;
  out.push_back({"front_squat", front});
  out.push_back({"goblet_squat", front});
  // Bands are internal loads: a stiff band, an optional band and no band must all stay consistent.
  ExerciseParameters band;
  band.frames_per_rep = 60;
  band.band_stiffness_n_per_m = 1000.0;
  out.push_back({"clamshell", band});
  band.band_stiffness_n_per_m = 300.0;
  out.push_back({"side_lying_hip_abduction", band});
  band.band_stiffness_n_per_m = 0.0;
  out.push_back({"fire_hydrant", band});
  return out;
}

std::string label(const Case& c) {
  char buf[200];
  std::snprintf(buf, sizeof buf, "%s depth %.2f load %.0f kg width %.2f m side %s band %.0f N/m",
                c.name.c_str(), c.params.depth, c.params.load_kg, c.params.stance_width_m,
                c.params.side == Side::Right ? "r" : "l", c.params.band_stiffness_n_per_m);
  return buf;
}

TEST(Exercise, EveryExerciseIsConsistent) {
  const Model& m = model();
  const double g = -m.gravity.y();
  const std::vector<int> pelvis = {m.coordinate_index("pelvis_tilt"),     m.coordinate_index("pelvis_list"),
                                   m.coordinate_index("pelvis_rotation"), m.coordinate_index("pelvis_tx"),
                                   m.coordinate_index("pelvis_ty"),       m.coordinate_index("pelvis_tz")};
  double worst_force = 0.0, worst_moment = 0.0, worst_grf = 0.0, worst_height = 0.0, min_margin = 1e9;
  for (const Case& c : cases()) {
    SCOPED_TRACE(label(c));
    GeneratedExercise ex;
    try {
      ex = generate_exercise(m, c.name, c.params);
    } catch (const std::exception& e) {
      ADD_FAILURE() << label(c) << ": " << e.what();
      continue;
    }
    ASSERT_EQ(ex.frames(), c.params.frames_per_rep);
    const double weight = (ex.body_mass_kg + ex.load_kg) * g;
    State s(m);
    InverseDynamicsWorkspace ws(m);
    Eigen::VectorXd tau(m.num_coordinates());
    for (int f = 0; f < ex.frames(); ++f) {
      const auto fu = static_cast<std::size_t>(f);
      // Joint ranges (the pelvis of lying exercises goes beyond the free joint's +-90 deg display range).
      for (int k = 0; k < m.num_coordinates(); ++k) {
        const Coordinate& co = m.coordinates[static_cast<std::size_t>(k)];
        if (co.is_dependent()) continue;
        if (lying(c.name) && (k == pelvis[0] || k == pelvis[1] || k == pelvis[2])) continue;
        const double v = ex.motion.q(f, k);
        EXPECT_TRUE(v >= co.range_min - 1e-9 && v <= co.range_max + 1e-9)
            << co.name << " = " << v << " outside [" << co.range_min << ", " << co.range_max << "] frame "
            << f;
      }
      // Contacts at their heights: every foot-sole corner on the floor, the back on the floor/bench.
      s.q = ex.motion.q.row(f).transpose();
      compute_positions(m, s);
      Vec3 total = Vec3::Zero();
      for (const ExerciseLoad& l : ex.loads) {
        if (!l.contact) continue;
        // Contacts push, never pull. A planted contact carries load in static frames; in motion it may be
        // unloaded (a foot at the onset of the lean off a chair) and a scheduled one lifts (the chair after
        // seat-off, a stepping foot): then it has no force.
        EXPECT_GE(l.force_n[fu].y(), 0.0) << l.name << " frame " << f;
        if (ex.static_frame[fu] && !l.scheduled) {
          ASSERT_TRUE(l.active[fu]) << l.name << " frame " << f;
        }
        if (!l.active[fu]) {
          EXPECT_EQ(l.force_n[fu].norm(), 0.0) << l.name;
          continue;
        }
        const double h = l.height_m;
        for (const Vec3& p : l.polygon_m[fu]) {
          worst_height = std::max(worst_height, std::abs(p.y() - h));
          EXPECT_NEAR(p.y(), h, 2e-3) << l.name << " frame " << f;
        }
        EXPECT_NEAR(l.point_m[fu].y(), h, 1e-9) << l.name;
        total += l.force_n[fu];
        if (ex.static_frame[fu] && l.name.rfind("foot", 0) == 0) {  // the CoP lies on the sole
          const std::vector<Vec3> sole = support_polygon(l.polygon_m[fu]);
          EXPECT_GT(distance_inside_polygon(sole, l.point_m[fu]), 0.0) << l.name << " frame " << f;
        }
      }
      if (ex.static_frame[fu]) {
        // Reactions carry body and load; the centre of mass is over the base of support.
        worst_grf = std::max(worst_grf, std::abs(total.y() - weight) / weight);
        EXPECT_NEAR(total.y(), weight, 0.01 * weight) << "frame " << f;
        const double margin = distance_inside_polygon(ex.base_of_support_m[fu], ex.com_m[fu]);
        min_margin = std::min(min_margin, margin);
        EXPECT_GT(margin, 0.01) << "frame " << f;
      }
      // Inverse dynamics with the generated loads: the pelvis needs no residual force or moment.
      s.qdot = ex.qdot.row(f).transpose();
      s.qddot = ex.qddot.row(f).transpose();
      BodyForces applied(m);
      add_exercise_loads(ex, f, applied);
      inverse_dynamics(m, s, &applied, ws, tau);
      for (int k = 0; k < 3; ++k) {
        worst_moment = std::max(worst_moment, std::abs(tau[pelvis[static_cast<std::size_t>(k)]]));
        worst_force = std::max(worst_force, std::abs(tau[pelvis[static_cast<std::size_t>(k + 3)]]) / weight);
        EXPECT_LT(std::abs(tau[pelvis[static_cast<std::size_t>(k)]]), 1e-3) << "frame " << f;  // N m
        EXPECT_LT(std::abs(tau[pelvis[static_cast<std::size_t>(k + 3)]]), 1e-4 * weight)
            << "frame " << f;  // N
      }
    }
  }
  std::printf(
      "worst pelvis residual force %.2e BW, moment %.2e N m; worst static GRF error %.2e; contact "
      "height error %.2e m; smallest COM margin inside the base of support %.3f m\n",
      worst_force, worst_moment, worst_grf, worst_height, min_margin);
}

// At each exercise's default tempo the motion is balanced in every frame, not only in the static ones:
// every loaded contact's centre of pressure lies on its patch (foot sole, back, bench, chair).
TEST(Exercise, DefaultTempoKeepsTheCentreOfPressureOnTheContacts) {
  for (const ExerciseInfo& e : exercise_catalog()) {
    for (const int frames : {60, 100}) {
      ExerciseParameters p;
      p.frames_per_rep = frames;
      const GeneratedExercise ex = generate_exercise(model(), e.name, p);
      EXPECT_GE(ex.worst_cop_margin_m, 0.0)
          << e.name << ": " << ex.worst_cop_contact << " frame " << ex.worst_cop_frame << " at tempo "
          << ex.parameters.tempo_s << " s";
    }
  }
  // Twice as fast, the step-up's weight shift needs a centre of pressure beyond the box foot.
  ExerciseParameters fast;
  fast.tempo_s = 3.5;
  EXPECT_LT(generate_exercise(model(), "step_up", fast).worst_cop_margin_m, -0.05);
}

// The two pulls of a band: on body a (towards b) and on body b.
std::vector<const ExerciseLoad*> band_loads(const GeneratedExercise& ex) {
  std::vector<const ExerciseLoad*> out;
  for (const ExerciseLoad& l : ex.loads)
    if (l.name.rfind("band_", 0) == 0) out.push_back(&l);
  return out;
}

// A linear band: tension k (L - L0) along the line between its ends, equal and opposite on the two
// bodies; the default mini band (200 N/m) starts with a 3 cm pre-stretch, so L0 is the start length
// less 3 cm. Its pull grows with the opening and in proportion to the stiffness; as an internal load
// it leaves the motion and the floor reactions unchanged, and stiffness 0 removes it.
TEST(Exercise, MiniBandTensionFollowsTheOpeningAndTheStiffness) {
  const Model& m = model();
  for (const char* name : {"clamshell", "fire_hydrant"}) {
    SCOPED_TRACE(name);
    ExerciseParameters p;
    p.frames_per_rep = 41;  // frame 20 is the middle of the hold at the top
    const GeneratedExercise ex = generate_exercise(m, name, p);
    const auto band = band_loads(ex);
    ASSERT_EQ(band.size(), 2u);
    const double k = 200.0, pre_stretch = 0.03;
    const double rest = (band[1]->point_m[0] - band[0]->point_m[0]).norm() - pre_stretch;
    double previous = 0.0;
    for (int f = 0; f < ex.frames(); ++f) {
      const auto fu = static_cast<std::size_t>(f);
      const Vec3 a = band[0]->point_m[fu], b = band[1]->point_m[fu];
      const Vec3 pull = band[0]->force_n[fu];
      const double length = (b - a).norm(), tension = pull.norm();
      EXPECT_NEAR(tension, k * (length - rest), 1e-9) << "frame " << f;
      EXPECT_LT((pull + band[1]->force_n[fu]).norm(), 1e-12);                // equal and opposite
      EXPECT_LT(pull.cross(b - a).norm(), 1e-9 * tension * length + 1e-12);  // along the band
      EXPECT_GT(pull.dot(b - a), 0.0);                                       // pulls a towards b
      if (f <= 20) {  // the knee opens monotonically up to the top: so does the band's tension
        EXPECT_GE(tension, previous - 1e-9) << "frame " << f;
        previous = tension;
      }
    }
    const double start = band[0]->force_n[0].norm(), top = band[0]->force_n[20].norm();
    EXPECT_NEAR(start, k * pre_stretch, 1e-9);
    EXPECT_GT(top, start + 10.0);  // the knees part by more than 5 cm at full depth
    std::printf("%s default mini band: %.1f N at the start, %.1f N at the top (band %.3f -> %.3f m)\n", name,
                start, top, rest + pre_stretch, (band[1]->point_m[20] - band[0]->point_m[20]).norm());

    // Twice as stiff: the same motion and reactions, twice the tension in every frame.
    ExerciseParameters stiff = p;
    stiff.band_stiffness_n_per_m = 2.0 * k;
    const GeneratedExercise ex2 = generate_exercise(m, name, stiff);
    EXPECT_LT((ex2.motion.q - ex.motion.q).cwiseAbs().maxCoeff(), 1e-12);
    const auto band2 = band_loads(ex2);
    ASSERT_EQ(band2.size(), 2u);
    for (int f = 0; f < ex.frames(); ++f) {
      const auto fu = static_cast<std::size_t>(f);
      EXPECT_NEAR(band2[0]->force_n[fu].norm(), 2.0 * band[0]->force_n[fu].norm(), 1e-9);
    }
    // No band: no band loads, and the floor carries exactly what it carried with the band.
    ExerciseParameters none = p;
    none.band_stiffness_n_per_m = 0.0;
    const GeneratedExercise ex0 = generate_exercise(m, name, none);
    EXPECT_TRUE(band_loads(ex0).empty());
    for (int f = 0; f < ex.frames(); ++f) {
      const auto fu = static_cast<std::size_t>(f);
      for (std::size_t c = 0; c < ex.loads.size(); ++c) {
        if (!ex.loads[c].contact) continue;
        ASSERT_EQ(ex0.loads[c].name, ex.loads[c].name);
        EXPECT_LT((ex0.loads[c].force_n[fu] - ex.loads[c].force_n[fu]).norm(), 1e-9) << ex.loads[c].name;
        EXPECT_LT((ex0.loads[c].point_m[fu] - ex.loads[c].point_m[fu]).norm(), 1e-9) << ex.loads[c].name;
      }
    }
  }
  // The side-lying abduction has no band unless one is asked for; the quadruped hip extension has none.
  ExerciseParameters p;
  p.frames_per_rep = 20;
  EXPECT_TRUE(band_loads(generate_exercise(m, "side_lying_hip_abduction", p)).empty());
  EXPECT_TRUE(band_loads(generate_exercise(m, "quadruped_hip_extension", p)).empty());
  p.band_stiffness_n_per_m = 300.0;
  EXPECT_EQ(band_loads(generate_exercise(m, "side_lying_hip_abduction", p)).size(), 2u);
}

// Side-lying: the working side faces the ceiling and the pelvis is stacked (no roll); in the clamshell
// the feet stay together while the top knee rises 0.20 m x depth. Quadruped: hands under the
// shoulders, the stance knee under its hip, the working knee off the floor after the start.
TEST(Exercise, FloorPosturesMatchTheirDescription) {
  const Model& m = model();
  for (Side side : {Side::Right, Side::Left}) {
    const std::string top = side == Side::Right ? "_r" : "_l", bottom = side == Side::Right ? "_l" : "_r";
    ExerciseParameters p;
    p.frames_per_rep = 41;
    p.side = side;
    p.depth = 0.8;
    const GeneratedExercise clam = generate_exercise(m, "clamshell", p);
    State s(m);
    auto at = [&](const GeneratedExercise& ex, int f) {
      s.q = ex.motion.q.row(f).transpose();
      compute_positions(m, s);
    };
    auto origin = [&](const std::string& body) {
      return s.X_ground_body[static_cast<std::size_t>(m.body_index(body))].p;
    };
    auto marker = [&](const std::string& name) {
      for (std::size_t i = 0; i < m.markers.size(); ++i)
        if (m.markers[i].name == name) return marker_position(m, s, static_cast<int>(i));
      ADD_FAILURE() << "no marker " << name;
      return Vec3(Vec3::Zero());
    };
    const std::string T = side == Side::Right ? "R" : "L", B = side == Side::Right ? "L" : "R";
    auto knee_lift = [&] { return marker(T + "KJC").y() - marker(B + "KJC").y(); };
    at(clam, 0);
    const Vec3 ankle0 = origin("talus" + top);
    const double knee_lift0 = knee_lift();
    EXPECT_GT(origin("femur" + top).y() - origin("femur" + bottom).y(), 0.12);  // hips stacked, top up
    // Pelvis not rolled: its left-right axis is vertical.
    const Vec3 lateral = s.X_ground_body[static_cast<std::size_t>(m.body_index("pelvis"))].R * Vec3::UnitZ();
    EXPECT_NEAR(std::abs(lateral.y()), 1.0, 1e-9);
    at(clam, 20);
    EXPECT_LT((origin("talus" + top) - ankle0).norm(), 1e-6);  // feet together
    EXPECT_NEAR(knee_lift() - knee_lift0, 0.17 * p.depth, 1e-6);

    for (const char* name : {"fire_hydrant", "quadruped_hip_extension"}) {
      SCOPED_TRACE(name);
      const GeneratedExercise q = generate_exercise(m, name, p);
      for (int f : {0, 20}) {
        at(q, f);
        const Vec3 shoulders = 0.5 * (origin("humerus_r") + origin("humerus_l"));
        Vec3 palms = Vec3::Zero();
        for (const char* h : {"hand_r", "hand_l"}) {
          const int b = m.body_index(h);
          palms += 0.5 * s.X_ground_body[static_cast<std::size_t>(b)].apply(
                             m.bodies[static_cast<std::size_t>(b)].mass_center_m);
        }
        EXPECT_NEAR(palms.x(), shoulders.x(), 1e-6);
        EXPECT_NEAR(palms.y(), 0.0, 1e-6);
        // The stance knee under its hip (within the knee's own translation, < 1 cm).
        EXPECT_NEAR(origin("tibia" + bottom).x(), origin("femur" + bottom).x(), 0.01);
      }
      for (const ExerciseLoad& l : q.loads)
        if (l.name == "knee" + top) {
          EXPECT_TRUE(l.active[0]);
          EXPECT_FALSE(l.active[20]);
        }
    }
  }
}

// The floor postures are built from markers, so they carry over to scaled bodies: a small woman and a
// tall heavy man, full depth, both sides. Contacts on the floor, the floor carries the weight in the
// static frames, the centre of mass over the base of support there.
TEST(Exercise, FloorExercisesOnScaledBodies) {
  for (const auto& [height, mass, sex] :
       {std::tuple{1.55, 50.0, Sex::Female}, std::tuple{1.95, 100.0, Sex::Male}}) {
    BodyDescription body;
    body.height_m = height;
    body.mass_kg = mass;
    body.sex = sex;
    const Model m = scale_body(model(), body);
    const double weight = m.total_mass_kg() * -m.gravity.y();
    for (const char* name :
         {"clamshell", "side_lying_hip_abduction", "fire_hydrant", "quadruped_hip_extension"}) {
      for (Side side : {Side::Right, Side::Left}) {
        SCOPED_TRACE(std::string(name) + " " + std::to_string(height) + " m");
        ExerciseParameters p;
        p.frames_per_rep = 40;
        p.side = side;
        GeneratedExercise ex;
        try {
          ex = generate_exercise(m, name, p);
        } catch (const std::exception& e) {
          ADD_FAILURE() << e.what();
          continue;
        }
        for (int f = 0; f < ex.frames(); ++f) {
          const auto fu = static_cast<std::size_t>(f);
          Vec3 total = Vec3::Zero();
          for (const ExerciseLoad& l : ex.loads) {
            if (!l.contact || !l.active[fu]) continue;
            for (const Vec3& c : l.polygon_m[fu]) EXPECT_NEAR(c.y(), 0.0, 2e-3) << l.name << " frame " << f;
            total += l.force_n[fu];
          }
          if (!ex.static_frame[fu]) continue;
          EXPECT_NEAR(total.y(), weight, 1e-9 * weight) << "frame " << f;
          EXPECT_GT(distance_inside_polygon(ex.base_of_support_m[fu], ex.com_m[fu]), 0.01) << "frame " << f;
        }
      }
    }
  }
}

TEST(Exercise, IsometricSqueezeHoldsStill) {
  ExerciseParameters p;
  p.frames_per_rep = 20;
  const GeneratedExercise ex = generate_exercise(model(), "standing_glute_squeeze", p);
  for (int f = 0; f < ex.frames(); ++f) {
    EXPECT_TRUE(ex.static_frame[static_cast<std::size_t>(f)]);
    EXPECT_LT((ex.motion.q.row(f) - ex.motion.q.row(0)).cwiseAbs().maxCoeff(), 1e-12);
    EXPECT_LT(ex.qdot.row(f).cwiseAbs().maxCoeff(), 1e-9);
  }
  EXPECT_GT(ex.motion.q(0, model().coordinate_index("pelvis_tilt")),
            5.0 * 3.14159 / 180.0);  // posterior tilt
}

TEST(Exercise, DepthScalesTheSquat) {
  ExerciseParameters p;
  p.frames_per_rep = 21;
  const int knee = model().coordinate_index("knee_angle_r");
  p.depth = 0.3;
  const double shallow = generate_exercise(model(), "bodyweight_squat", p).motion.q.col(knee).maxCoeff();
  p.depth = 1.0;
  const GeneratedExercise deep = generate_exercise(model(), "bodyweight_squat", p);
  EXPECT_GT(deep.motion.q.col(knee).maxCoeff(), shallow + 0.8);
  // Starts and ends standing, bottom in the middle.
  EXPECT_NEAR(deep.motion.q(0, knee), deep.motion.q(20, knee), 1e-12);
  EXPECT_NEAR(deep.motion.q(10, knee), deep.motion.q.col(knee).maxCoeff(), 1e-12);
}

TEST(Exercise, UnknownNameSuggestsTheClosest) {
  try {
    generate_exercise(model(), "bak_squat", {});
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "unknown exercise 'bak_squat'; did you mean 'back_squat'?");
  }
  EXPECT_EQ(closest_exercise_name("hipthrust"), "hip_thrust");
  EXPECT_EQ(closest_exercise_name("RDL_romanian_deadlift"), "romanian_deadlift");
}

void expect_invalid(const ExerciseParameters& p, const std::string& parameter,
                    const std::string& exercise = "back_squat") {
  try {
    generate_exercise(model(), exercise, p);
    FAIL() << "no exception for " << parameter;
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(parameter), std::string::npos) << e.what();
  }
}

TEST(Exercise, BadParametersNameTheParameter) {
  ExerciseParameters p;
  p.depth = 1.2;
  expect_invalid(p, "depth must be in [0, 1]");
  p.depth = -0.1;
  expect_invalid(p, "depth");
  p = {};
  p.load_kg = -5.0;
  expect_invalid(p, "load_kg must be in [0, ");
  p.load_kg = 6.0 * model().total_mass_kg();
  expect_invalid(p, "(5 x body mass)");
  p = {};
  p.tempo_s = 0.1;
  expect_invalid(p, "tempo_s");
  p = {};
  p.frames_per_rep = 3;
  expect_invalid(p, "frames_per_rep");
  p = {};
  p.stance_width_m = 2.0;
  expect_invalid(p, "stance_width_m");
  p = {};
  p.band_stiffness_n_per_m = 6000.0;
  expect_invalid(p, "band_stiffness_n_per_m", "lateral_band_walk");
  p = {};
  p.stance_width_m = 0.40;
  expect_invalid(p, "stance_width_m: lateral_band_walk starts from a stance of at most 0.35 m",
                 "lateral_band_walk");
  p = {};
  p.height_m = 0.60;
  expect_invalid(p, "height_m: the box of step_up must be in [0.15, ", "step_up");
  // A repetition too fast for the body to follow without the floor pulling it down names the tempo.
  p = {};
  p.tempo_s = 1.0;
  expect_invalid(p, "choose a slower tempo", "step_up");
  p = {};
  p.load_kg = 10.0;
  try {
    generate_exercise(model(), "glute_bridge", p);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("placement"), std::string::npos);
  }
  p = {};
  p.load_kg = 5.0;
  p.placement = LoadPlacement::Hands;
  for (const char* floor : {"clamshell", "fire_hydrant"}) {
    try {
      generate_exercise(model(), floor, p);
      ADD_FAILURE() << floor;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("load_kg: exercise '" + std::string(floor)), std::string::npos)
          << e.what();
    }
  }
}

// The band around the knees: equal and opposite pulls along the line between its ends, tension k x stretch,
// growing as the feet step apart; a stiffer band pulls harder; stiffness 0 removes it.
TEST(Exercise, BandPullsTheKneesTogether) {
  ExerciseParameters p;
  p.frames_per_rep = 60;
  const GeneratedExercise light = generate_exercise(model(), "lateral_band_walk", p);
  p.band_stiffness_n_per_m = 400.0;
  const GeneratedExercise stiff = generate_exercise(model(), "lateral_band_walk", p);
  std::vector<const ExerciseLoad*> ends;
  for (const ExerciseLoad& l : light.loads)
    if (l.name.rfind("band_", 0) == 0) ends.push_back(&l);
  ASSERT_EQ(ends.size(), 2u);
  double min_tension = 1e9, max_tension = 0.0;
  for (int f = 0; f < light.frames(); ++f) {
    const auto fu = static_cast<std::size_t>(f);
    const Vec3 a = ends[0]->force_n[fu], b = ends[1]->force_n[fu];
    EXPECT_LT((a + b).norm(), 1e-9);  // internal: the pulls cancel
    const Vec3 along = ends[1]->point_m[fu] - ends[0]->point_m[fu];
    EXPECT_GT(a.dot(along), 0.0);                                      // end a is pulled towards end b
    EXPECT_LT(a.cross(along).norm(), 1e-9 * a.norm() * along.norm());  // along the band
    min_tension = std::min(min_tension, a.norm());
    max_tension = std::max(max_tension, a.norm());
    // Same stiffness ratio, same geometry: the stiff band pulls twice as hard.
    double stiff_tension = 0.0;
    for (const ExerciseLoad& l : stiff.loads)
      if (l.name == ends[0]->name) stiff_tension = l.force_n[fu].norm();
    EXPECT_NEAR(stiff_tension, 2.0 * a.norm(), 1e-6 * a.norm() + 1e-9);
  }
  EXPECT_GT(max_tension, min_tension + 200.0 * 0.05);  // the step out stretches it by more than 5 cm
  p.band_stiffness_n_per_m = 0.0;
  const GeneratedExercise none = generate_exercise(model(), "lateral_band_walk", p);
  for (const ExerciseLoad& l : none.loads) EXPECT_NE(l.name.rfind("band_", 0), 0u) << l.name;
}

// A depth or stance that would take a coordinate outside the model's range is an error naming the
// coordinate, where it would go and by how much (no clamping): a 0.80 m full squat abducts the hips past
// the model's 50 deg.
TEST(Exercise, PosturesBeyondAJointRangeNameTheCoordinate) {
  ExerciseParameters p;
  p.frames_per_rep = 20;
  p.stance_width_m = 0.80;
  try {
    generate_exercise(model(), "back_squat", p);
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    for (const char* part :
         {"back_squat", "stance_width_m 0.8", "hip_adduction_", "beyond its range", "[-50.0, 30.0] deg"})
      EXPECT_NE(what.find(part), std::string::npos) << part << " in: " << what;
  }
  p.depth = 0.5;  // a half squat stays inside the range
  EXPECT_NO_THROW(generate_exercise(model(), "back_squat", p));
}

// Two feet side by side asked for a vertical torque: a couple of opposite fore-aft forces (one foot
// braking, the other pushing) carries it, with no free torque, and the wrench is reproduced exactly.
TEST(Exercise, VerticalTorqueBecomesAShearCouple) {
  const std::vector<ContactPatch> patches = {{Vec3(0.0, 0.0, 0.15)}, {Vec3(0.0, 0.0, -0.15)}};
  const Vec3 F(0.0, 700.0, 0.0);
  const Vec3 M(0.0, 12.0, 0.0);  // yaw only: the resultant passes midway between the feet
  const std::vector<ContactLoad> loads = distribute_wrench(patches, F, M);
  Vec3 force = Vec3::Zero(), moment = Vec3::Zero();
  for (const ContactLoad& l : loads) {
    EXPECT_EQ(l.torque_n_m.norm(), 0.0);
    force += l.force_n;
    moment += l.cop_m.cross(l.force_n) + l.torque_n_m;
  }
  EXPECT_LT((force - F).norm(), 1e-9);
  EXPECT_LT((moment - M).norm(), 1e-9);
  // Equal shares: +-M / (2 x 0.15 m) along x, opposite on the two feet.
  EXPECT_NEAR(loads[0].force_n.x(), 12.0 / 0.30, 1e-9);
  EXPECT_NEAR(loads[1].force_n.x(), -12.0 / 0.30, 1e-9);
}

// Following the previous frame's shares: a foot that just touched down (previous share 0) takes less
// load than the fitted split would give it, and the wrench is still reproduced exactly.
TEST(Exercise, FollowingSharesMoveTheLoadGradually) {
  const std::vector<ContactPatch> patches = {{Vec3(0.10, 0.0, -0.1)}, {Vec3(0.55, 0.0, 0.1)}};
  const Vec3 F(20.0, 750.0, 5.0);
  const Vec3 c(0.25, 0.0, 0.0);  // combined centre of pressure a third of the way to the new foot
  const Vec3 M = c.cross(F) + Vec3(0.0, 3.0, 0.0);
  const std::vector<ContactLoad> fitted = distribute_wrench(patches, F, M);
  const std::vector<ContactLoad> following = distribute_wrench_following(patches, F, M, {1.0, 0.0}, 0.5);
  EXPECT_GT(fitted[1].share, 0.2);
  EXPECT_LT(following[1].share, 0.5 * fitted[1].share);
  EXPECT_GT(following[1].share, 0.0);
  Vec3 force = Vec3::Zero(), moment = Vec3::Zero();
  for (const ContactLoad& l : following) {
    force += l.force_n;
    moment += l.cop_m.cross(l.force_n) + l.torque_n_m;
  }
  EXPECT_LT((force - F).norm(), 1e-9);
  EXPECT_LT((moment - M).norm(), 1e-9);
  EXPECT_THROW(distribute_wrench_following(patches, F, M, {1.0}, 0.5), std::invalid_argument);
}

TEST(Exercise, WrenchDistributionIsExact) {
  const std::vector<ContactPatch> patches = {
      {Vec3(0.0, 0.0, 0.15)}, {Vec3(0.02, 0.0, -0.15)}, {Vec3(-0.8, 0.4, 0.0)}};
  const Vec3 F(12.0, 800.0, -5.0);
  const Vec3 c(-0.2, 0.1, 0.03);
  const Vec3 M = c.cross(F) + Vec3(0.0, 3.0, 0.0);
  const std::vector<ContactLoad> loads = distribute_wrench(patches, F, M);
  Vec3 f = Vec3::Zero(), mo = Vec3::Zero();
  double share = 0.0;
  for (const ContactLoad& l : loads) {
    EXPECT_GE(l.share, 0.0);
    share += l.share;
    f += l.force_n;
    mo += l.cop_m.cross(l.force_n) + l.torque_n_m;
  }
  EXPECT_NEAR(share, 1.0, 1e-12);
  EXPECT_LT((f - F).norm(), 1e-9);
  EXPECT_LT((mo - M).norm(), 1e-9);
  EXPECT_THROW(distribute_wrench(patches, Vec3(0.0, -1.0, 0.0), M), std::invalid_argument);
}

TEST(Exercise, StaticOptimizationOverAGeneratedSquat) {
  Model m = model();
  for (int c = 0; c < m.num_coordinates(); ++c) {  // a reserve on every coordinate
    const Coordinate& co = m.coordinates[static_cast<std::size_t>(c)];
    if (co.is_dependent() || co.locked) continue;
    Actuator a;
    a.name = "reserve_" + co.name;
    a.type = ActuatorType::Coordinate;
    a.coordinate = c;
    a.optimal_force = 1.0;
    a.min_control = -std::numeric_limits<double>::infinity();
    a.max_control = std::numeric_limits<double>::infinity();
    m.actuators.push_back(a);
  }
  ExerciseParameters p;
  p.load_kg = 40.0;
  p.frames_per_rep = 60;
  const GeneratedExercise ex = generate_exercise(m, "back_squat", p);
  const ExternalLoads loads = exercise_external_loads(m, ex);
  StaticOptimizationOptions o;
  o.mode = StaticOptimizationMode::Physiological;
  o.threads = 1;
  const StaticOptimizationResult r = static_optimization(m, ex.motion, &loads, o);
  ASSERT_EQ(static_cast<int>(r.frames.size()), ex.frames());
  double glmax = 0.0, vasti = 0.0, pelvis_reserve = 0.0, max_reserve = 0.0;
  for (int f = 0; f < ex.frames(); ++f) {
    EXPECT_TRUE(r.frames[static_cast<std::size_t>(f)].converged) << "frame " << f;
    for (Eigen::Index k = 0; k < r.activation.cols(); ++k) {
      const double a = r.activation(f, k);
      ASSERT_TRUE(std::isfinite(a));
      const std::string& n = r.actuator_names[static_cast<std::size_t>(k)];
      if (n.rfind("glmax", 0) == 0) glmax = std::max(glmax, a);
      if (n.rfind("vas", 0) == 0) vasti = std::max(vasti, a);
      if (n.rfind("reserve_pelvis", 0) == 0)
        pelvis_reserve = std::max(pelvis_reserve, std::abs(a));
      else if (n.rfind("reserve_", 0) == 0)
        max_reserve = std::max(max_reserve, std::abs(a));
    }
  }
  std::printf(
      "back squat 40 kg: peak activation gluteus maximus %.3f, vasti %.3f; pelvis residuals up to %.2f "
      "(N or N m, from SO's spline accelerations), other reserves up to %.2f N m\n",
      glmax, vasti, pelvis_reserve, max_reserve);
  EXPECT_GT(glmax, 0.0);
  EXPECT_GT(vasti, 0.0);
}

}  // namespace
}  // namespace glutelab
