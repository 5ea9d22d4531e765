// Body scaling (model/scaling, muscle/body_scaling): de Leva anthropometry, description validation,
// OpenSim-style model scaling of the Rajagopal 2023 and gait2392 models, and the muscle length rescale.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "glutelab/io/osim_reader.hpp"
#include "glutelab/kinematics/kinematics.hpp"
#include "glutelab/model/scaling.hpp"
#include "glutelab/muscle/body_scaling.hpp"
#include "glutelab/muscle/muscle_path.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

const char* const kRajagopal = "opensim-models/Models/Rajagopal/RajagopalLaiUhlrich2023.osim";
const char* const kGait2392 = "opensim-models/Models/Gait2392_Simbody/gait2392_millard2012muscle.osim";

Model load(const std::string& relative) {
  const auto path = test::shared_data(relative);
  if (!std::filesystem::exists(path)) throw std::runtime_error("missing shared model " + path.string());
  return read_osim(path);
}

BodyDescription person(double height_m, double mass_kg, Sex sex = Sex::Male) {
  BodyDescription body;
  body.height_m = height_m;
  body.mass_kg = mass_kg;
  body.sex = sex;
  return body;
}

/// Joint-centre distances measured in ground at the default pose with glutelab's kinematics.
struct MeasuredLengths {
  double femur_m;  ///< hip_r centre to knee centre
  double tibia_m;  ///< knee centre to ankle centre
  double trunk_m;  ///< mid-hip to the torso's mass centre
};

int joint_into(const Model& model, const std::string& child_body) {
  return model.bodies[static_cast<std::size_t>(model.body_index(child_body))].parent_joint;
}

Vec3 joint_centre_in_ground(const Model& model, const State& state, int joint) {
  const Joint& j = model.joints[static_cast<std::size_t>(joint)];
  return point_in_ground(state, j.child_body, j.X_child_M.p);
}

MeasuredLengths measure(const Model& model) {
  State state(model);
  set_default_coordinates(model, state);
  compute_positions(model, state);
  const Vec3 hip_r = joint_centre_in_ground(model, state, joint_into(model, "femur_r"));
  const Vec3 hip_l = joint_centre_in_ground(model, state, joint_into(model, "femur_l"));
  const Vec3 knee = joint_centre_in_ground(model, state, joint_into(model, "tibia_r"));
  const Vec3 ankle = joint_centre_in_ground(model, state, joint_into(model, "talus_r"));
  const int torso = model.body_index("torso");
  const Vec3 torso_com =
      point_in_ground(state, torso, model.bodies[static_cast<std::size_t>(torso)].mass_center_m);
  return {(knee - hip_r).norm(), (ankle - knee).norm(), (torso_com - 0.5 * (hip_r + hip_l)).norm()};
}

void expect_rejected(const BodyDescription& body, const std::string& field) {
  try {
    validate(body);
    ADD_FAILURE() << "accepted an invalid " << field;
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
  }
}

TEST(Anthropometry, DeLevaMassFractionsSumToOne) {
  for (const Sex sex : {Sex::Male, Sex::Female}) {
    double total = 0.0;
    for (int s = 0; s < kNumSegments; ++s) {
      const Segment segment = static_cast<Segment>(s);
      const bool bilateral = segment == Segment::UpperArm || segment == Segment::Forearm ||
                             segment == Segment::Hand || segment == Segment::Thigh ||
                             segment == Segment::Shank || segment == Segment::Foot;
      total += (bilateral ? 2.0 : 1.0) * anthropometry(sex, segment).mass_fraction;
    }
    EXPECT_NEAR(total, 1.0, 2e-4);
  }
  // de Leva's trunk (531.9 mm male, 529.3 mm female) is the sum of its three parts.
  EXPECT_NEAR(trunk_fraction_of_height(Sex::Male) * 1.741, 0.5319, 1e-9);
  EXPECT_NEAR(trunk_fraction_of_height(Sex::Female) * 1.735, 0.5293, 1e-9);
  const SegmentInertia thigh = segment_inertia(person(1.741, 73.0), Segment::Thigh);
  EXPECT_NEAR(thigh.mass_kg, 0.1416 * 73.0, 1e-12);
  EXPECT_NEAR(thigh.length_m, 0.4222, 1e-12);
  EXPECT_NEAR(thigh.mass_center_from_proximal_m, 0.4095 * 0.4222, 1e-12);
}

TEST(BodyDescription, RejectsImpossibleValuesNamingTheField) {
  expect_rejected(person(3.0, 70.0), "height_m");
  expect_rejected(person(0.0, 70.0), "height_m");
  expect_rejected(person(std::numeric_limits<double>::quiet_NaN(), 70.0), "height_m");
  expect_rejected(person(1.75, 0.0), "mass_kg");
  expect_rejected(person(1.75, 400.0), "mass_kg");
  BodyDescription body = person(1.80, 75.0);
  body.thigh_length_m = 0.70;  // > 0.35 height
  expect_rejected(body, "thigh_length_m");
  body = person(1.80, 75.0);
  body.shank_length_m = -0.4;
  expect_rejected(body, "shank_length_m");
  body = person(1.80, 75.0);
  body.pelvis_width_m = std::numeric_limits<double>::infinity();
  expect_rejected(body, "pelvis_width_m");
  body = person(1.80, 75.0);
  body.thigh_length_m = 0.45;
  body.shank_length_m = 0.42;
  body.thigh_to_shank_ratio = 1.5;  // contradicts 0.45 / 0.42
  expect_rejected(body, "thigh_to_shank_ratio");
  body = person(1.80, 75.0);
  body.thigh_to_trunk_ratio = 0.1;
  expect_rejected(body, "thigh_to_trunk_ratio");
  EXPECT_NO_THROW(validate(person(1.75, 70.0, Sex::Female)));
}

// Each message names the field, the plausible range and the value given.
void expect_message(const BodyDescription& body, const std::vector<std::string>& parts) {
  try {
    validate(body);
    ADD_FAILURE() << "accepted an invalid body";
  } catch (const std::invalid_argument& e) {
    for (const std::string& part : parts)
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << "'" << part << "' in: " << e.what();
  }
}

TEST(BodyDescription, MessagesGiveTheRangeAndTheValue) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  expect_message(person(nan, 70.0), {"height_m", "[1, 2.5] m", "nan"});
  expect_message(person(inf, 70.0), {"height_m", "[1, 2.5] m", "inf"});
  expect_message(person(-1.7, 70.0), {"height_m", "[1, 2.5] m", "-1.7"});
  expect_message(person(0.0, 70.0), {"height_m", "[1, 2.5] m", "got 0"});
  expect_message(person(3.0, 70.0), {"height_m", "[1, 2.5] m", "3 m"});
  expect_message(person(1.8, 500.0), {"mass_kg", "[25, 300] kg", "500 kg"});
  expect_message(person(1.8, -70.0), {"mass_kg", "[25, 300] kg", "-70"});
  BodyDescription body = person(1.80, 75.0);
  body.thigh_length_m = 0.9;  // a femur longer than the whole leg should be
  expect_message(body, {"thigh_length_m", "[0.27, 0.63] m", "0.9 m"});
  body = person(1.80, 75.0);
  body.shank_length_m = 0.0;
  expect_message(body, {"shank_length_m", "[0.27, 0.63] m", "got 0"});
  body = person(1.80, 75.0);
  body.thigh_to_shank_ratio = nan;
  expect_message(body, {"thigh_to_shank_ratio", "[0.5, 2]", "nan"});
  body = person(1.80, 75.0);
  body.sex = static_cast<Sex>(7);  // not a sex the anthropometry knows
  expect_message(body, {"sex", "Male", "7"});
}

TEST(BodyDescription, RatiosDeriveMissingLengths) {
  BodyDescription body = person(1.80, 75.0);
  body.thigh_length_m = 0.44;
  body.thigh_to_shank_ratio = 1.1;
  body.thigh_to_trunk_ratio = 0.8;
  const TargetSegmentLengths lengths = target_segment_lengths(body);
  EXPECT_DOUBLE_EQ(lengths.thigh_m, 0.44);
  EXPECT_DOUBLE_EQ(lengths.shank_m, 0.44 / 1.1);
  EXPECT_DOUBLE_EQ(lengths.trunk_m, 0.44 / 0.8);
  body = person(1.80, 75.0);
  body.thigh_to_shank_ratio = 1.0;
  const TargetSegmentLengths split = target_segment_lengths(body);
  EXPECT_DOUBLE_EQ(split.thigh_m, split.shank_m);
  EXPECT_NEAR(split.thigh_m + split.shank_m,
              1.80 * (length_fraction_of_height(Sex::Male, Segment::Thigh) +
                      length_fraction_of_height(Sex::Male, Segment::Shank)),
              1e-12);
}

class ScalingOnModel : public ::testing::TestWithParam<const char*> {};

TEST_P(ScalingOnModel, ScalingByOneReproducesTheGenericModel) {
  const Model generic = load(GetParam());
  std::vector<SegmentScale> ones;
  for (const Body& body : generic.bodies) ones.push_back({body.name, Vec3::Ones()});
  const Model same = scale_body(generic, ones, generic.total_mass_kg(), true);
  ASSERT_EQ(same.bodies.size(), generic.bodies.size());
  for (std::size_t b = 0; b < generic.bodies.size(); ++b) {
    EXPECT_EQ(same.bodies[b].mass_kg, generic.bodies[b].mass_kg) << generic.bodies[b].name;
    EXPECT_EQ(same.bodies[b].mass_center_m, generic.bodies[b].mass_center_m);
    EXPECT_EQ(same.bodies[b].inertia_kg_m2, generic.bodies[b].inertia_kg_m2);
  }
  for (std::size_t j = 0; j < generic.joints.size(); ++j) {
    EXPECT_EQ(same.joints[j].X_parent_F.p, generic.joints[j].X_parent_F.p);
    EXPECT_EQ(same.joints[j].X_child_M.p, generic.joints[j].X_child_M.p);
    for (int k = 3; k < 6; ++k)
      for (const double q : {-1.0, 0.0, 0.7})
        EXPECT_EQ(same.joints[j].axes[static_cast<std::size_t>(k)].function.value(q),
                  generic.joints[j].axes[static_cast<std::size_t>(k)].function.value(q));
  }
  for (std::size_t m = 0; m < generic.markers.size(); ++m)
    EXPECT_EQ(same.markers[m].location_m, generic.markers[m].location_m);
  for (std::size_t w = 0; w < generic.wrap_objects.size(); ++w) {
    EXPECT_EQ(same.wrap_objects[w].dimensions_m, generic.wrap_objects[w].dimensions_m);
    EXPECT_EQ(same.wrap_objects[w].X_body_wrap.p, generic.wrap_objects[w].X_body_wrap.p);
  }
  for (std::size_t m = 0; m < generic.muscles.size(); ++m) {
    EXPECT_EQ(same.muscles[m].optimal_fiber_length_m, generic.muscles[m].optimal_fiber_length_m);
    EXPECT_EQ(same.muscles[m].tendon_slack_length_m, generic.muscles[m].tendon_slack_length_m);
    for (std::size_t p = 0; p < generic.muscles[m].path.points.size(); ++p)
      EXPECT_EQ(same.muscles[m].path.points[p].location_m, generic.muscles[m].path.points[p].location_m);
  }
}

TEST_P(ScalingOnModel, TallerBodiesHaveLongerSegmentsAndMassesSumToBodyMass) {
  const Model generic = load(GetParam());
  const MeasuredLengths g = measure(generic);
  const Model short_model = scale_body(generic, person(1.60, 55.0));
  const Model tall_model = scale_body(generic, person(1.90, 90.0), false);
  const MeasuredLengths s = measure(short_model), t = measure(tall_model);
  std::printf(
      "%s: femur %.4f / %.4f / %.4f m, tibia %.4f / %.4f / %.4f m, mid-hip to torso COM %.4f / %.4f / %.4f m"
      " (generic / 1.60 m / 1.90 m)\n",
      generic.name.c_str(), g.femur_m, s.femur_m, t.femur_m, g.tibia_m, s.tibia_m, t.tibia_m, g.trunk_m,
      s.trunk_m, t.trunk_m);
  EXPECT_GT(t.femur_m, s.femur_m + 0.04);
  EXPECT_GT(t.tibia_m, s.tibia_m + 0.04);
  EXPECT_GT(t.trunk_m, s.trunk_m + 0.01);
  // Without measured lengths, the femur is de Leva's thigh fraction of height.
  EXPECT_NEAR(s.femur_m, 1.60 * length_fraction_of_height(Sex::Male, Segment::Thigh), 1e-3);
  EXPECT_NEAR(t.tibia_m, 1.90 * length_fraction_of_height(Sex::Male, Segment::Shank), 1e-3);
  EXPECT_NEAR(short_model.total_mass_kg(), 55.0, 1e-9);
  EXPECT_NEAR(tall_model.total_mass_kg(), 90.0, 1e-9);
  // Preserved distribution keeps the generic proportions; de Leva's puts his thigh fraction on each femur.
  const int femur = generic.body_index("femur_r");
  EXPECT_NEAR(short_model.bodies[static_cast<std::size_t>(femur)].mass_kg / 55.0,
              generic.bodies[static_cast<std::size_t>(femur)].mass_kg / generic.total_mass_kg(), 1e-12);
  EXPECT_NEAR(tall_model.bodies[static_cast<std::size_t>(femur)].mass_kg / 90.0, 0.1416, 1e-3);
  for (const Body& body : tall_model.bodies) {
    EXPECT_TRUE(body.inertia_kg_m2.allFinite()) << body.name;
    EXPECT_GE(body.inertia_kg_m2.diagonal().minCoeff(), 0.0) << body.name;
  }
}

TEST_P(ScalingOnModel, ScaledMusclesHaveFiniteLengthsAndMomentArmsAndKeepFiberToPathRatios) {
  const Model generic = load(GetParam());
  const Model scaled = scale_body(generic, person(1.90, 90.0));
  const std::vector<double> before = default_pose_musculotendon_lengths(generic);
  const std::vector<double> after = default_pose_musculotendon_lengths(scaled);
  State state(scaled);
  PathWorkspace workspace(scaled);
  set_default_coordinates(scaled, state);
  state.q[scaled.coordinate_index("hip_flexion_r")] = 0.6;
  state.q[scaled.coordinate_index("knee_angle_r")] =
      scaled.coordinates[static_cast<std::size_t>(scaled.coordinate_index("knee_angle_r"))].range_max > 0
          ? 0.8
          : -0.8;
  compute_positions(scaled, state);
  compute_jacobians(scaled, state);
  Eigen::VectorXd moment_arm(scaled.num_coordinates());
  double worst_ratio_error = 0.0;
  for (std::size_t m = 0; m < scaled.muscles.size(); ++m) {
    const double length = moment_arms(scaled, state, static_cast<int>(m), workspace, moment_arm);
    EXPECT_TRUE(std::isfinite(length) && length > 0.0) << scaled.muscles[m].name;
    EXPECT_TRUE(moment_arm.allFinite()) << scaled.muscles[m].name;
    EXPECT_TRUE(std::isfinite(after[m]) && after[m] > 0.0);
    const double generic_ratio = generic.muscles[m].optimal_fiber_length_m / before[m];
    const double scaled_ratio = scaled.muscles[m].optimal_fiber_length_m / after[m];
    worst_ratio_error = std::max(worst_ratio_error, std::abs(scaled_ratio / generic_ratio - 1.0));
    EXPECT_NEAR(scaled.muscles[m].tendon_slack_length_m / after[m],
                generic.muscles[m].tendon_slack_length_m / before[m], 1e-12);
  }
  EXPECT_LT(worst_ratio_error, 1e-12);
  const int glmax = scaled.muscle_index("glmax1_r") >= 0 ? scaled.muscle_index("glmax1_r")
                                                         : scaled.muscle_index("glut_max1_r");
  if (glmax >= 0)
    std::printf("%s gluteus maximus 1 (right) at 1.90 m: optimal fiber %.4f -> %.4f m, path %.4f -> %.4f m\n",
                generic.name.c_str(), generic.muscles[static_cast<std::size_t>(glmax)].optimal_fiber_length_m,
                scaled.muscles[static_cast<std::size_t>(glmax)].optimal_fiber_length_m,
                before[static_cast<std::size_t>(glmax)], after[static_cast<std::size_t>(glmax)]);
}

TEST_P(ScalingOnModel, MeasuredThighAndPelvisWidthAreHonoured) {
  const Model generic = load(GetParam());
  BodyDescription body = person(1.75, 70.0, Sex::Female);
  body.thigh_length_m = 0.455;
  body.shank_length_m = 0.405;
  body.pelvis_width_m = 0.19;
  const Model scaled = scale_body(generic, body);
  const MeasuredLengths lengths = measure(scaled);
  EXPECT_NEAR(lengths.femur_m, 0.455, 1e-3);
  EXPECT_NEAR(lengths.tibia_m, 0.405, 1e-3);
  State state(scaled);
  set_default_coordinates(scaled, state);
  compute_positions(scaled, state);
  const double width = (joint_centre_in_ground(scaled, state, joint_into(scaled, "femur_r")) -
                        joint_centre_in_ground(scaled, state, joint_into(scaled, "femur_l")))
                           .norm();
  EXPECT_NEAR(width, 0.19, 1e-3);
  std::printf("%s measured: femur %.6f m (target 0.455), tibia %.6f m (0.405), hip width %.6f m (0.19)\n",
              generic.name.c_str(), lengths.femur_m, lengths.tibia_m, width);
}

INSTANTIATE_TEST_SUITE_P(RealModels, ScalingOnModel, ::testing::Values(kRajagopal, kGait2392),
                         [](const ::testing::TestParamInfo<const char*>& param_info) {
                           return std::string(param_info.index == 0 ? "Rajagopal2023" : "Gait2392");
                         });

TEST(ScaleModel, RejectsUnknownBodiesAndBadFactors) {
  const Model generic = load(kGait2392);
  EXPECT_THROW(scale_model(generic, {{"no_such_body", Vec3::Ones()}}, 70.0, true), std::invalid_argument);
  EXPECT_THROW(scale_model(generic, {{"femur_r", Vec3(1.0, 0.0, 1.0)}}, 70.0, true), std::invalid_argument);
  EXPECT_THROW(scale_model(generic, {}, 0.0, true), std::invalid_argument);
}

}  // namespace
}  // namespace glutelab
