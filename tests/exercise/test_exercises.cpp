// The exercise generator on the built-in glutelab model: postures inside the joint ranges, the centre
// of mass over the base of support in the static phases, contacts on the floor/bench, reactions that
// carry the body and load, pelvis residuals ~0 after inverse dynamics with the generated loads, input
// errors, and static optimization over a generated squat.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "glutelab/analysis/static_optimization.hpp"
#include "glutelab/dynamics/inverse_dynamics.hpp"
#include "glutelab/exercise/contact_distribution.hpp"
#include "glutelab/exercise/exercise.hpp"
#include "glutelab/exercise/support_polygon.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "glutelab/kinematics/kinematics.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

const Model& model() {
  static const Model m = read_osim(test::project_data("models/glutelab.osim"));
  return m;
}

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
    half.stance_width_m = 0.40;
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
  return out;
}

std::string label(const Case& c) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%s depth %.2f load %.0f kg width %.2f m side %s", c.name.c_str(),
                c.params.depth, c.params.load_kg, c.params.stance_width_m,
                c.params.side == Side::Right ? "r" : "l");
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

void expect_invalid(const ExerciseParameters& p, const std::string& parameter) {
  try {
    generate_exercise(model(), "back_squat", p);
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
  p.load_kg = 10.0;
  try {
    generate_exercise(model(), "glute_bridge", p);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("placement"), std::string::npos);
  }
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
