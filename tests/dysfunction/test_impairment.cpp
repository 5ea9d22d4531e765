// Weak and inhibited muscles applied to the built-in model: which muscles a name reaches, how factors
// combine, and the errors for names and values that make no sense.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "glutelab/dysfunction/impairment.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "glutelab/model/muscle_groups.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

const Model& model() {
  static const Model m = read_osim(test::project_data("models/glutelab.osim"));
  return m;
}

std::vector<std::string> names(const std::vector<int>& idx) {
  std::vector<std::string> out;
  for (int i : idx) out.push_back(model().muscles[static_cast<std::size_t>(i)].name);
  return out;
}

std::string error_of(const MuscleImpairment& imp) {
  try {
    impaired_muscles(model(), imp);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(Impairment, GroupReachesEveryCompartmentOnTheSideAsked) {
  const auto right = names(impaired_muscles(model(), {"gluteus_medius", BodySide::Right, 0.5, 1.0}));
  EXPECT_EQ(right, (std::vector<std::string>{"glmed1_r", "glmed2_r", "glmed3_r"}));
  const auto both = names(impaired_muscles(model(), {"Gluteus Medius", BodySide::Both, 0.5, 1.0}));
  EXPECT_EQ(both.size(), 6u);
  const auto glutes = impaired_muscles(model(), {"glutes", BodySide::Left, 1.0, 0.2});
  EXPECT_EQ(glutes.size(), 9u);
  for (const std::string& n : names(glutes)) EXPECT_EQ(n.substr(n.size() - 2), "_l") << n;
  const auto deep = names(impaired_muscles(model(), {"deep six", BodySide::Right, 1.0, 0.5}));
  EXPECT_EQ(deep.size(), 10u);  // piriformis, gemelli, obturator internus 1-3 and externus 1-3, quadratus
  for (const std::string& n : deep) EXPECT_EQ(muscle_group(n), "deep six") << n;
  const auto abductors = names(impaired_muscles(model(), {"hip_abductors", BodySide::Right, 0.5, 1.0}));
  EXPECT_EQ(abductors.size(), 7u);  // medius 1-3, minimus 1-3, tensor fasciae latae
}

TEST(Impairment, SingleMuscleWithOrWithoutSide) {
  EXPECT_EQ(names(impaired_muscles(model(), {"glmax2", BodySide::Both, 0.5, 1.0})),
            (std::vector<std::string>{"glmax2_r", "glmax2_l"}));
  EXPECT_EQ(names(impaired_muscles(model(), {"glmax2_l", BodySide::Both, 0.5, 1.0})),
            (std::vector<std::string>{"glmax2_l"}));
}

TEST(Impairment, CapacitiesCombineAndReachTheModelCopy) {
  const std::vector<MuscleImpairment> imps = {{"gluteus medius", BodySide::Right, 0.5, 1.0},
                                              {"glmed1_r", BodySide::Both, 0.5, 0.3},
                                              {"glmed1", BodySide::Both, 1.0, 0.6}};
  const Model weak = apply_impairments(model(), imps);
  ASSERT_EQ(weak.muscles.size(), model().muscles.size());
  for (std::size_t i = 0; i < weak.muscles.size(); ++i) {
    const Muscle& before = model().muscles[i];
    const Muscle& after = weak.muscles[i];
    double strength = 1.0, ceiling = 1.0;
    if (before.name == "glmed1_r")
      strength = 0.25, ceiling = 0.3;
    else if (before.name == "glmed2_r" || before.name == "glmed3_r")
      strength = 0.5;
    else if (before.name == "glmed1_l")
      ceiling = 0.6;
    EXPECT_DOUBLE_EQ(after.max_isometric_force_N, strength * before.max_isometric_force_N) << before.name;
    const auto it = after.parameters.find("max_control");
    const double max_control = it == after.parameters.end() ? 1.0 : it->second;
    EXPECT_DOUBLE_EQ(max_control, ceiling) << before.name;
  }
  EXPECT_FALSE(muscle_capacity(model(), imps).healthy());
  EXPECT_TRUE(muscle_capacity(model(), std::vector<MuscleImpairment>{}).healthy());
}

TEST(Impairment, BadInputIsNamed) {
  EXPECT_NE(error_of({"gluteus_medus", BodySide::Both, 0.5, 1.0}).find("did you mean 'gluteus medius'"),
            std::string::npos);
  EXPECT_NE(error_of({"glmed1_r", BodySide::Left, 0.5, 1.0}).find("not on the left side"), std::string::npos);
  EXPECT_NE(error_of({"glutes", BodySide::Both, 1.5, 1.0}).find("strength of 'glutes' must be in [0, 1]"),
            std::string::npos);
  EXPECT_NE(error_of({"glutes", BodySide::Both, 1.0, -0.1}).find("activation ceiling"), std::string::npos);
  EXPECT_NE(error_of({"glutes", BodySide::Both, std::nan(""), 1.0}).find("strength"), std::string::npos);
  EXPECT_THROW(parse_body_side("middle"), std::invalid_argument);
  EXPECT_EQ(parse_body_side("Left"), BodySide::Left);
}

}  // namespace
}  // namespace glutelab
