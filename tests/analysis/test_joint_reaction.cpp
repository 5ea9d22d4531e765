// Joint reactions: consistency of the loads (the root joint carries nothing when the residuals act as
// body forces; parent and child loads are equal and opposite), and the hip contact force during
// walking against what instrumented implants and musculoskeletal models report.
#include <gtest/gtest.h>

#include <cstdio>

#include "glutelab/analysis/joint_reaction.hpp"
#include "glutelab/io/force_set_reader.hpp"
#include "glutelab/io/motion.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

const std::string kGait = "opensim-models/Tutorials/Estimating_Joint_Reaction_Loads/";

struct Walk {
  Model model;
  ExternalLoads loads;
  StaticOptimizationResult so;
};

const Walk& walk() {
  static const Walk w = [] {
    Walk result;
    result.model = read_osim(test::shared_data(kGait + "subject01_simbody_adjusted_StaticOp.osim"));
    for (Actuator& a : read_force_set_actuators(
             test::shared_data(kGait + "gait2392_SO_weak_Residual_Actuators.xml"), result.model))
      result.model.actuators.push_back(a);
    const Motion motion =
        read_motion(result.model, test::shared_data(kGait + "subject01_walk1_Kinematics.sto"));
    result.loads = read_external_loads(test::shared_data(kGait + "foot_floor_loads.xml"), result.model,
                                       test::shared_data(kGait));
    StaticOptimizationOptions o;
    o.start_s = 0.5;
    o.end_s = 1.999;
    o.step_interval = 10;
    result.so = static_optimization(result.model, motion, &result.loads, o);
    return result;
  }();
  return w;
}

int joint_named(const Model& model, const std::string& name) {
  for (std::size_t j = 0; j < model.joints.size(); ++j)
    if (model.joints[j].name == name) return static_cast<int>(j);
  return -1;
}

TEST(JointReaction, RootJointCarriesNothingWhenResidualsAreBodyForces) {
  // The residual actuators of this case are point and torque actuators on the pelvis (body forces),
  // so with static optimization's forces the ground-pelvis joint has nothing left to transmit.
  const Walk& w = walk();
  const auto requests = joint_reaction_requests(w.model, {"ground_pelvis"}, {"child"}, {"ground"});
  const JointReactionResult jr = joint_reactions(w.model, w.so, &w.loads, requests);
  ASSERT_EQ(jr.labels.front(), "ground_pelvis_on_pelvis_in_ground_fx");
  EXPECT_LT(jr.values.leftCols(6).cwiseAbs().maxCoeff(), 1e-6);
}

TEST(JointReaction, ParentAndChildLoadsAreEqualAndOpposite) {
  const Walk& w = walk();
  const auto requests = joint_reaction_requests(w.model, {"hip_r", "hip_r"}, {"child", "parent"}, {"ground"});
  const JointReactionResult jr = joint_reactions(w.model, w.so, &w.loads, requests);
  ASSERT_EQ(jr.labels[0], "hip_r_on_femur_r_in_ground_fx");
  ASSERT_EQ(jr.labels[9], "hip_r_on_pelvis_in_ground_fx");
  EXPECT_LT((jr.values.middleCols(0, 3) + jr.values.middleCols(9, 3)).cwiseAbs().maxCoeff(), 1e-9);
  // Moments about the two joint centres, which coincide for a hip: opposite as well.
  EXPECT_LT((jr.values.middleCols(3, 3) + jr.values.middleCols(12, 3)).cwiseAbs().maxCoeff(), 1e-6);
}

TEST(JointReaction, HipContactForcePeaksTwiceInStanceAtTwoToFiveBodyWeights) {
  const Walk& w = walk();
  const int hip = joint_named(w.model, "hip_r");
  ASSERT_GE(hip, 0);
  const HipContactForce h = hip_contact_force(w.model, w.so, &w.loads, hip);
  // Right stance from the right foot's vertical ground reaction force.
  const int fy = w.loads.data.column("right_foot_force_vy");
  ASSERT_GE(fy, 0);
  // The first contiguous loaded interval.
  double on = -1.0, off = -1.0;
  for (std::size_t f = 0; f < h.time_s.size(); ++f) {
    const bool loaded = w.loads.value(fy, h.time_s[f]) > 20.0;
    if (loaded && on < 0) on = h.time_s[f];
    if (loaded && on >= 0) off = h.time_s[f];
    if (!loaded && on >= 0) break;
  }
  ASSERT_GT(off - on, 0.3) << "a stance phase in the window";
  const double mid = 0.5 * (on + off);
  double first = 0.0, second = 0.0, t_first = 0.0, t_second = 0.0;
  for (std::size_t f = 0; f < h.time_s.size(); ++f) {
    const double t = h.time_s[f], bw = h.magnitude_bw[static_cast<Eigen::Index>(f)];
    if (t >= on && t < mid && bw > first) {
      first = bw;
      t_first = t;
    }
    if (t >= mid && t <= off && bw > second) {
      second = bw;
      t_second = t;
    }
  }
  std::printf(
      "right stance %.3f-%.3f s; hip contact peaks %.2f BW at %.3f s and %.2f BW at %.3f s (BW %.0f N)\n", on,
      off, first, t_first, second, t_second, h.body_weight_n);
  EXPECT_GT(first, 2.0);
  EXPECT_LT(first, 5.0);
  EXPECT_GT(second, 2.0);
  EXPECT_LT(second, 5.0);
  // A dip between the two peaks.
  double dip = 1e9;
  for (std::size_t f = 0; f < h.time_s.size(); ++f)
    if (h.time_s[f] > t_first && h.time_s[f] < t_second)
      dip = std::min(dip, h.magnitude_bw[static_cast<Eigen::Index>(f)]);
  EXPECT_LT(dip, std::min(first, second));
  // The femur frame's components have the same magnitude as the pelvis frame's (a rotation).
  EXPECT_LT((h.in_femur_n.rowwise().norm() - h.in_pelvis_n.rowwise().norm()).cwiseAbs().maxCoeff(), 1e-8);
}

TEST(JointReaction, UnknownJointOrFrameIsNamed) {
  const Walk& w = walk();
  try {
    joint_reaction_requests(w.model, {"hip_x"}, {"child"}, {"ground"});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("hip_x"), std::string::npos);
  }
  EXPECT_THROW(joint_reaction_requests(w.model, {"hip_r"}, {"child"}, {"moon"}), std::invalid_argument);
  EXPECT_THROW(joint_reaction_requests(w.model, {"hip_r", "hip_l"}, {"child", "parent", "child"}, {"ground"}),
               std::invalid_argument);
}

}  // namespace
}  // namespace glutelab
