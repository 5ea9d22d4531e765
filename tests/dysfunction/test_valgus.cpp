// Valgus collapse on the built-in model: the hip adduction and internal rotation found for weakened
// abductors and external rotators in a single-leg squat and a landing-like loading.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "glutelab/dysfunction/static_pose.hpp"
#include "glutelab/dysfunction/valgus.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

const Model& model() {
  static const Model m = read_osim(test::project_data("models/glutelab.osim"));
  return m;
}

const ValgusResult& result() {
  static const ValgusResult r = [] {
    ValgusOptions o;
    o.strengths = {1.0, 0.4, 0.0};
    o.scan_step_deg = 4.0;
    o.tolerance_deg = 0.1;
    return simulate_valgus(model(), o);
  }();
  return r;
}

void check_NoChangeAtFullStrength() {
  ASSERT_EQ(result().curves.size(), 2u);
  for (const ValgusCurve& c : result().curves) {
    const ValgusPoint& full = c.points.front();
    ASSERT_EQ(full.strength, 1.0);
    ASSERT_TRUE(full.found) << to_string(c.task) << ": " << full.note;
    EXPECT_EQ(full.hip_adduction_change_deg, 0.0);
    EXPECT_EQ(full.hip_rotation_change_deg, 0.0);
    EXPECT_NEAR(full.knee_frontal_moment_change_nm, 0.0, 1e-9);  // the same pose, evaluated twice
    EXPECT_EQ(full.evaluations, 1);
  }
}

void check_CollapseDoesNotShrinkAsStrengthFalls() {
  for (const ValgusCurve& c : result().curves) {
    SCOPED_TRACE(to_string(c.task));
    bool lost = false;
    for (std::size_t k = 1; k < c.points.size(); ++k) {
      const ValgusPoint &stronger = c.points[k - 1], &weaker = c.points[k];
      if (lost) {
        EXPECT_FALSE(weaker.found);
      }
      lost = lost || !weaker.found;
      EXPECT_GE(weaker.upright_reserve_nm, stronger.upright_reserve_nm);
      if (!weaker.found || !stronger.found) continue;
      EXPECT_GE(weaker.hip_adduction_change_deg, stronger.hip_adduction_change_deg);
      EXPECT_GE(weaker.hip_rotation_change_deg, stronger.hip_rotation_change_deg);
    }
    // The weakest body cannot hold the healthy posture.
    EXPECT_GT(c.points.back().upright_reserve_nm, 1.0);
  }
}

void check_PosturesAreInEquilibriumAndTheLandingLoadsTheKneeMore() {
  for (const ValgusCurve& c : result().curves)
    for (const ValgusPoint& p : c.points)
      if (p.found) {
        EXPECT_LT(p.residual_bw_m, 0.01);
      }
  const double squat = std::abs(result().curves[0].points.front().knee_frontal_moment_nm);
  const double landing = std::abs(result().curves[1].points.front().knee_frontal_moment_nm);
  EXPECT_GT(landing, 2.0 * squat);
  const StanceSetup setup = stance_setup(model(), StanceTask::Landing, Side::Right);
  StaticPoseOptions o;
  o.acceleration_mps2 = setup.acceleration_mps2;
  const StaticPoseResult r = StaticPoseEvaluator(model(), setup.foot, o).evaluate(setup.q);
  EXPECT_NEAR(r.grf_n.y(), 2.0 * model().total_mass_kg() * model().gravity.norm(), 1e-6);
  EXPECT_TRUE(r.feasible);
}

// One test over the shared run (ctest runs each test in its own process).
TEST(Valgus, NoChangeAtFullStrengthCollapseNeverShrinksLandingLoadsTheKneeMore) {
  check_NoChangeAtFullStrength();
  check_CollapseDoesNotShrinkAsStrengthFalls();
  check_PosturesAreInEquilibriumAndTheLandingLoadsTheKneeMore();
}

std::string error_of(const ValgusOptions& o) {
  try {
    validate_valgus_options(o);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(Valgus, BadOptionsAreNamed) {
  ValgusOptions o;
  o.strengths = {2.0};
  EXPECT_EQ(error_of(o), "strength must be in [0, 1], got 2");
  o.strengths = {};
  o.tasks = {StanceTask::SingleLegStance};
  EXPECT_EQ(error_of(o), "task: valgus simulates single_leg_squat and landing, got 'single_leg_stance'");
  o.tasks = {StanceTask::Landing};
  o.rotation_per_adduction = -1.0;
  EXPECT_EQ(error_of(o), "rotation_per_adduction must be in [0, 3], got -1");
  o.rotation_per_adduction = 1.0;
  o.max_collapse_deg = 40.0;
  EXPECT_EQ(error_of(o), "max_collapse_deg must be in (0, 30], got 40");
  EXPECT_THROW(simulate_valgus(model(), o), std::invalid_argument);
}

}  // namespace
}  // namespace glutelab
