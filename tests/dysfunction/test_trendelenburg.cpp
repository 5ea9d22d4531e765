// Trendelenburg on the built-in model: the posture found for weakened stance-side hip abductors.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "glutelab/dysfunction/impairment.hpp"
#include "glutelab/dysfunction/static_pose.hpp"
#include "glutelab/dysfunction/trendelenburg.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

const Model& model() {
  static const Model m = read_osim(test::project_data("models/glutelab.osim"));
  return m;
}

/// One run shared by the tests: single-leg stance and walking mid-stance at a few strengths.
const TrendelenburgResult& result() {
  static const TrendelenburgResult r = [] {
    TrendelenburgOptions o;
    o.strengths = {1.0, 0.4, 0.25, 0.0};
    o.scan_step_deg = 2.5;
    o.tolerance_deg = 0.1;
    return simulate_trendelenburg(model(), o);
  }();
  return r;
}

void check_HealthyPostureAtFullStrength() {
  ASSERT_EQ(result().curves.size(), 4u);
  for (const TrendelenburgCurve& c : result().curves) {
    const PosturePoint& full = c.points.front();
    ASSERT_EQ(full.strength, 1.0);
    ASSERT_TRUE(full.found) << full.note;
    EXPECT_EQ(full.deviation_deg, 0.0);
    EXPECT_EQ(full.pelvic_drop_cm, 0.0);
    EXPECT_EQ(full.upright_reserve_nm, 0.0);
    EXPECT_EQ(full.evaluations, 1);  // the healthy posture holds: nothing to search
  }
}

void check_DeviationGrowsAsAbductorStrengthFalls() {
  for (const TrendelenburgCurve& c : result().curves) {
    SCOPED_TRACE(to_string(c.task) + " " + to_string(c.strategy));
    bool lost = false;
    for (std::size_t k = 1; k < c.points.size(); ++k) {
      const PosturePoint &stronger = c.points[k - 1], &weaker = c.points[k];
      ASSERT_LT(weaker.strength, stronger.strength);
      if (lost) {
        EXPECT_FALSE(weaker.found) << "a weaker body found a posture a stronger one had not";
      }
      lost = lost || !weaker.found;
      if (!weaker.found || !stronger.found) continue;
      EXPECT_GE(weaker.deviation_deg, stronger.deviation_deg);
      EXPECT_GE(weaker.pelvic_drop_cm, stronger.pelvic_drop_cm - 1e-9);
      EXPECT_GE(weaker.upright_reserve_nm, stronger.upright_reserve_nm);
      if (c.strategy == TrendelenburgStrategy::TrunkLean) {
        EXPECT_GE(weaker.trunk_lean_deg, stronger.trunk_lean_deg);
      }
    }
  }
  // The lean carries the weakest body: some level below the healthy limit needs a lean, and it is found.
  for (StanceTask t : {StanceTask::SingleLegStance, StanceTask::WalkingMidStance}) {
    const TrendelenburgCurve* lean = result().curve(t, TrendelenburgStrategy::TrunkLean);
    ASSERT_NE(lean, nullptr);
    const PosturePoint& weakest = lean->points.back();
    ASSERT_TRUE(weakest.found) << weakest.note;
    EXPECT_GT(weakest.trunk_lean_deg, lean->points.front().trunk_lean_deg + 5.0);
    // Leaning over the stance hip is what makes the abduction moment smaller.
    EXPECT_LT(weakest.hip_abduction_moment_nm, lean->points.front().hip_abduction_moment_nm - 10.0);
  }
}

void check_PosturesAreInStaticEquilibrium() {
  const double body_weight = model().total_mass_kg() * model().gravity.norm();
  int found = 0;
  for (const TrendelenburgCurve& c : result().curves)
    for (const PosturePoint& p : c.points) {
      if (!p.found) continue;
      ++found;
      EXPECT_LT(p.residual_bw_m, 0.01);
      EXPECT_GT(p.cop_margin_m, 0.0);
      EXPECT_LE(p.max_activation, 1.0 + 1e-9);
    }
  EXPECT_GE(found, 10);
  // The ground reaction balances gravity (still stance) or gravity and the CoM's acceleration (mid-stance).
  for (StanceTask t : {StanceTask::SingleLegStance, StanceTask::WalkingMidStance}) {
    const StanceSetup setup = stance_setup(model(), t, Side::Right);
    StaticPoseOptions o;
    o.acceleration_mps2 = setup.acceleration_mps2;
    const StaticPoseEvaluator eval(model(), setup.foot, o);
    const StaticPoseResult r = eval.evaluate(setup.q);
    const Vec3 expected = model().total_mass_kg() * (setup.acceleration_mps2 - model().gravity);
    EXPECT_LT((r.grf_n - expected).norm(), 1e-6 * body_weight);
    EXPECT_LT(std::max(r.residual_force_n, r.residual_moment_nm), 1e-6 * body_weight);
    EXPECT_TRUE(r.feasible);
    // Mid-stance's CoM accelerates towards the swing side, so the CoP lies lateral of the CoM's projection.
    if (t == StanceTask::WalkingMidStance) {
      EXPECT_GT(r.cop_m.z() - r.com_m.z(), 0.005);
    }
    if (t == StanceTask::SingleLegStance) {
      EXPECT_LT(std::abs(r.cop_m.z() - r.com_m.z()), 1e-9);
    }
  }
}

void check_VisibleDropThresholdIsBracketedByTheLevels() {
  for (StanceTask t : {StanceTask::SingleLegStance, StanceTask::WalkingMidStance}) {
    const TrendelenburgCurve* drop = result().curve(t, TrendelenburgStrategy::PelvicDrop);
    ASSERT_NE(drop, nullptr);
    ASSERT_TRUE(std::isfinite(drop->visible_drop_strength)) << to_string(t);
    EXPECT_LE(drop->visible_drop_strength, drop->bracket_high);
    EXPECT_GT(drop->visible_drop_strength, drop->bracket_low);
    EXPECT_TRUE(std::isnan(result().curve(t, TrendelenburgStrategy::TrunkLean)->visible_drop_strength));
  }
}

void check_PosturesAsAnOpenSimMotion() {
  const TrendelenburgCurve* lean =
      result().curve(StanceTask::SingleLegStance, TrendelenburgStrategy::TrunkLean);
  const TimeTable t = trendelenburg_motion(model(), *lean);
  EXPECT_TRUE(t.in_degrees);
  ASSERT_EQ(t.rows(), static_cast<int>(lean->points.size()));
  EXPECT_EQ(t.time_s.front(), 0.0);
  const int bending = t.column("lumbar_bending");
  ASSERT_GE(bending, 0);
  EXPECT_NEAR(t.values(t.rows() - 1, bending),
              lean->points.back().q[model().coordinate_index("lumbar_bending")] * 180.0 / 3.141592653589793,
              1e-9);
}

// ctest runs every test in its own process: the checks on the shared run are grouped in two tests so that
// the run is made twice, not five times.
TEST(Trendelenburg, PosturesFromFullStrengthDownAsAnOpenSimMotion) {
  check_HealthyPostureAtFullStrength();
  check_DeviationGrowsAsAbductorStrengthFalls();
  check_PosturesAsAnOpenSimMotion();
}

TEST(Trendelenburg, StaticEquilibriumAndTheVisibleDropThreshold) {
  check_PosturesAreInStaticEquilibrium();
  check_VisibleDropThresholdIsBracketedByTheLevels();
}

std::string error_of(const TrendelenburgOptions& o) {
  try {
    validate_trendelenburg_options(o);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(Trendelenburg, BadOptionsAreNamed) {
  TrendelenburgOptions o;
  o.strengths = {1.0, 1.2};
  EXPECT_EQ(error_of(o), "strength must be in [0, 1], got 1.2");
  o.strengths = {-0.1};
  EXPECT_EQ(error_of(o), "strength must be in [0, 1], got -0.1");
  o.strengths = {std::nan("")};
  EXPECT_NE(error_of(o).find("strength must be in [0, 1]"), std::string::npos);
  o.strengths = {0.5, 0.5};
  EXPECT_EQ(error_of(o), "strengths must be distinct, got 0.5 twice");
  o.strengths = {};
  o.tasks = {StanceTask::Landing};
  EXPECT_NE(
      error_of(o).find("Trendelenburg simulates single_leg_stance and walking_midstance, got 'landing'"),
      std::string::npos);
  o.tasks = {StanceTask::SingleLegStance};
  o.tolerance_deg = 2.0;
  EXPECT_EQ(error_of(o), "tolerance_deg must be in (0, 1], got 2");
  o.tolerance_deg = 0.01;
  o.max_drop_deg = 0.0;
  EXPECT_EQ(error_of(o), "max_drop_deg must be in (0, 45], got 0");
  EXPECT_THROW(parse_stance_task("walking"), std::invalid_argument);
  EXPECT_THROW(simulate_trendelenburg(model(), o), std::invalid_argument);
}

}  // namespace
}  // namespace glutelab
