// Static optimization against OpenSim's reference results (arm26), on the gait2392 walking case
// (every frame converges and balances), and the dedicated solver against Ipopt on real frames.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "glutelab/analysis/static_optimization.hpp"
#include "glutelab/io/external_loads.hpp"
#include "glutelab/io/force_set_reader.hpp"
#include "glutelab/io/motion.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

const std::string kArm = "opensim-models/Tutorials/Computed_Muscle_Control/OutputReference/";
const std::string kGait = "opensim-models/Tutorials/Estimating_Joint_Reaction_Loads/";

// Worst per-muscle RMS difference of our table from OpenSim's, over the rows both have.
double worst_rms_difference(const StaticOptimizationResult& r, const Eigen::MatrixXd& ours,
                            const TimeTable& ref, double scale_per_column_peak, std::string& worst_name) {
  double worst = 0.0;
  const int rows = std::min<int>(ref.rows(), static_cast<int>(r.time_s.size()));
  for (std::size_t i = 0; i < r.actuator_names.size(); ++i) {
    const int c = ref.column(r.actuator_names[i]);
    EXPECT_GE(c, 0) << r.actuator_names[i];
    if (c < 0) continue;
    double sum = 0.0;
    for (int k = 0; k < rows; ++k) {
      EXPECT_NEAR(r.time_s[static_cast<std::size_t>(k)], ref.time_s[static_cast<std::size_t>(k)], 1e-7);
      const double e = ours(k, static_cast<Eigen::Index>(i)) - ref.values(k, c);
      sum += e * e;
    }
    double rms = std::sqrt(sum / rows);
    if (scale_per_column_peak > 0) rms /= scale_per_column_peak;
    if (rms > worst) {
      worst = rms;
      worst_name = r.actuator_names[i];
    }
  }
  return worst;
}

StaticOptimizationResult run_arm26(bool physiology) {
  const Model model = read_osim(test::shared_data(kArm + "arm26.osim"));
  const Motion motion =
      read_motion(model, test::shared_data(kArm + "InverseKinematics/arm26_InverseKinematics.mot"));
  StaticOptimizationOptions o;
  o.cutoff_hz = 6.0;  // as the reference setup
  o.start_s = 0.0;
  o.end_s = 1.0;
  o.use_muscle_physiology = physiology;
  o.opensim_version = OpenSimForceModel::Version3;  // the reference was made with OpenSim 2.3
  return static_optimization(model, motion, nullptr, o);
}

TEST(StaticOptimization, Arm26MatchesOpenSimsPhysiologicalReference) {
  const StaticOptimizationResult r = run_arm26(true);
  ASSERT_EQ(r.time_s.size(), 121u);
  for (const auto& f : r.frames) EXPECT_TRUE(f.converged);
  std::string name;
  const double act = worst_rms_difference(
      r, r.activation,
      read_storage(test::shared_data(
          kArm + "StaticOptimization/PhysiologicalResults/arm26_StaticOptimization_activation.sto")),
      0, name);
  std::printf("arm26 physiological: worst activation RMS difference %.4f (%s)\n", act, name.c_str());
  EXPECT_LT(act, 0.01) << name;
  // Forces relative to the largest muscle force in the reference (small muscles have tiny peaks).
  const TimeTable ref_force = read_storage(
      test::shared_data(kArm + "StaticOptimization/PhysiologicalResults/arm26_StaticOptimization_force.sto"));
  const double force =
      worst_rms_difference(r, r.force, ref_force, ref_force.values.cwiseAbs().maxCoeff(), name);
  std::printf("arm26 physiological: worst force RMS difference %.4f of the peak muscle force (%s)\n", force,
              name.c_str());
  EXPECT_LT(force, 0.05) << name;
}

TEST(StaticOptimization, Arm26MatchesOpenSimsNonphysiologicalReference) {
  const StaticOptimizationResult r = run_arm26(false);
  std::string name;
  const double act = worst_rms_difference(
      r, r.activation,
      read_storage(test::shared_data(
          kArm + "StaticOptimization/NonphysiologicalResults/arm26_StaticOptimization_activation.sto")),
      0, name);
  std::printf("arm26 non-physiological: worst activation RMS difference %.4f (%s)\n", act, name.c_str());
  EXPECT_LT(act, 0.01) << name;
}

struct GaitCase {
  Model model;
  Motion motion;
  ExternalLoads loads;
};

GaitCase gait_case() {
  Model model = read_osim(test::shared_data(kGait + "subject01_simbody_adjusted_StaticOp.osim"));
  for (Actuator& a :
       read_force_set_actuators(test::shared_data(kGait + "gait2392_SO_weak_Residual_Actuators.xml"), model))
    model.actuators.push_back(a);
  Motion motion = read_motion(model, test::shared_data(kGait + "subject01_walk1_Kinematics.sto"));
  ExternalLoads loads =
      read_external_loads(test::shared_data(kGait + "foot_floor_loads.xml"), model, test::shared_data(kGait));
  return {std::move(model), std::move(motion), std::move(loads)};
}

StaticOptimizationOptions gait_options() {
  StaticOptimizationOptions o;
  o.start_s = 0.5;
  o.end_s = 1.999;
  o.step_interval = 10;
  return o;
}

TEST(StaticOptimization, Gait2392EveryFrameConvergesAndBalancesTheMoments) {
  const GaitCase g = gait_case();
  const StaticOptimizationResult r = static_optimization(g.model, g.motion, &g.loads, gait_options());
  ASSERT_EQ(r.time_s.size(), 151u) << "rows 0, 10, ..., 1490 and the last, as OpenSim's step_interval";
  double worst = 0.0;
  for (const auto& f : r.frames) {
    EXPECT_TRUE(f.converged);
    worst = std::max(worst, f.max_residual);
  }
  std::printf("gait2392 SO: 151 frames, worst moment balance residual %.3g N m, %.1f frames/s\n", worst,
              151.0 / r.seconds);
  EXPECT_LT(worst, 1e-6);
  // Activations stay within the muscles' bounds [0.01, 1].
  EXPECT_GE(r.activation.leftCols(r.num_muscles).minCoeff(), 0.01 - 1e-9);
  EXPECT_LE(r.activation.leftCols(r.num_muscles).maxCoeff(), 1.0 + 1e-9);
}

TEST(StaticOptimization, DedicatedSolverAgreesWithIpoptOnRealFrames) {
  const GaitCase g = gait_case();
  StaticOptimizationOptions o = gait_options();
  o.end_s = 0.7;  // 21 frames
  const StaticOptimizationResult dedicated = static_optimization(g.model, g.motion, &g.loads, o);
  o.force_ipopt = true;
  const StaticOptimizationResult ipopt = static_optimization(g.model, g.motion, &g.loads, o);
  ASSERT_EQ(dedicated.activation.rows(), ipopt.activation.rows());
  const double diff = (dedicated.activation - ipopt.activation).cwiseAbs().maxCoeff();
  std::printf("dedicated vs Ipopt on %ld gait frames: max activation difference %.2g\n",
              static_cast<long>(dedicated.activation.rows()), diff);
  EXPECT_LT(diff, 1e-6);
}

TEST(StaticOptimization, PhysiologicalModeCountsPassiveForceAndReportsInfeasibleFrames) {
  GaitCase g = gait_case();
  StaticOptimizationOptions o = gait_options();
  o.end_s = 0.8;
  o.mode = StaticOptimizationMode::Physiological;
  const StaticOptimizationResult phys = static_optimization(g.model, g.motion, &g.loads, o);
  for (const auto& f : phys.frames) EXPECT_TRUE(f.converged);
  // Passive fiber force: muscles stretched in the stance phase carry force that OpenSim's mode leaves
  // out, so some muscle force rises well above OpenSim mode's at the same frame.
  o.mode = StaticOptimizationMode::OpenSim;
  const StaticOptimizationResult plain = static_optimization(g.model, g.motion, &g.loads, o);
  const Eigen::MatrixXd extra =
      phys.force.leftCols(phys.num_muscles) - plain.force.leftCols(plain.num_muscles);
  std::printf("physiological minus OpenSim mode: largest muscle force difference %.1f N\n",
              extra.cwiseAbs().maxCoeff());
  EXPECT_GT(extra.cwiseAbs().maxCoeff(), 10.0);
  o.mode = StaticOptimizationMode::Physiological;
  // Without reserves and residuals the pelvis cannot be balanced by muscles alone.
  g.model.actuators.clear();
  const StaticOptimizationResult bare = static_optimization(g.model, g.motion, &g.loads, o);
  int infeasible = 0;
  for (const auto& f : bare.frames) {
    if (f.converged) continue;
    ++infeasible;
    EXPECT_GE(f.worst_coordinate, 0);
    EXPECT_GT(f.max_residual, 1e-3);
  }
  EXPECT_GT(infeasible, 0);
  EXPECT_TRUE(bare.activation.allFinite());
  EXPECT_TRUE(bare.force.allFinite());
}

}  // namespace
}  // namespace glutelab
