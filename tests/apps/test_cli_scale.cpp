// `glutelab run SETUP_Scale.xml`: OpenSim's ScaleTool from the command line (table, JSON, files, errors).
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

namespace fs = std::filesystem;

const std::string kDir = "opensim-models/Pipelines/Gait2392_Simbody/";

struct Case {
  fs::path setup, generic;
  bool available() const { return fs::exists(setup) && fs::exists(generic); }
};

Case gait_case() {
  return {test::shared_data(kDir + "subject01_Setup_Scale.xml"),
          test::shared_data("opensim-models/Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim")};
}

TEST(CliScale, PrintsTheScaleFactorsAndWritesTheOutputs) {
  const Case c = gait_case();
  if (!c.available()) GTEST_SKIP() << "shared data absent";
  const fs::path out = test::temp_dir("cli_scale");
  const test::RunResult r = test::run_cli("run " + c.setup.string() + " --model " + c.generic.string() +
                                          " --results-dir " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("pelvis             1.024577   1.024577   1.024577"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("total mass 72.6000 kg"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("39 markers fitted over 61 frames"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("warning:"), std::string::npos);  // patella bodies, .osim outputs
  EXPECT_TRUE(fs::exists(out / "subject01_scaleSet_applied.xml"));
  EXPECT_TRUE(fs::exists(out / "subject01_static_output.mot"));
  EXPECT_TRUE(fs::exists(out / "subject01_simbody_markers.xml"));  // stands in for the unwritten .osim
  EXPECT_TRUE(fs::exists(out / "subject01_scale.json"));
}

TEST(CliScale, JsonHasFactorsMassesPoseAndMarkers) {
  const Case c = gait_case();
  if (!c.available()) GTEST_SKIP() << "shared data absent";
  const fs::path out = test::temp_dir("cli_scale_json");
  const test::RunResult r = test::run_cli("run " + c.setup.string() + " --model " + c.generic.string() +
                                              " --results-dir " + out.string() + " --json",
                                          false);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  EXPECT_NEAR(j.at("mass_kg").get<double>(), 72.6, 1e-9);
  bool pelvis = false;
  for (const auto& b : j.at("bodies"))
    if (b.at("body") == "pelvis") {
      pelvis = true;
      EXPECT_NEAR(b.at("scale_factors")[1].get<double>(), 1.02458, 5e-6);
    }
  EXPECT_TRUE(pelvis);
  EXPECT_EQ(j.at("measurements").size(), 5u);
  const auto& placement = j.at("marker_placement");
  EXPECT_EQ(placement.at("markers").size(), 39u);
  EXPECT_TRUE(placement.at("static_pose").contains("hip_flexion_r"));
}

TEST(CliScale, MissingGenericModelIsOneErrorLineWithTheSetupLine) {
  const Case c = gait_case();
  if (!fs::exists(c.setup)) GTEST_SKIP() << "shared data absent";
  const fs::path out = test::temp_dir("cli_scale_err");
  // The setup's gait2392_simbody.osim is not in the shared data.
  const test::RunResult r = test::run_cli("run " + c.setup.string() + " --results-dir " + out.string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  const std::string line = test::error_line(r);
  EXPECT_NE(line.find("subject01_Setup_Scale.xml:18:"), std::string::npos) << r.output;
  EXPECT_NE(line.find("gait2392_simbody.osim"), std::string::npos) << r.output;
}

// The shared setup scales patella bodies that gait2392 lacks: OpenSim skips them, --strict refuses.
TEST(CliScale, StrictRefusesBodiesTheModelLacks) {
  const Case c = gait_case();
  if (!c.available()) GTEST_SKIP() << "shared data absent";
  const fs::path out = test::temp_dir("cli_scale_strict");
  const test::RunResult r = test::run_cli("run " + c.setup.string() + " --model " + c.generic.string() +
                                          " --results-dir " + out.string() + " --strict");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  const std::string line = test::error_line(r);
  EXPECT_NE(line.find("subject01_Setup_Scale.xml:118:"), std::string::npos) << r.output;
  EXPECT_NE(line.find("'patella_r'"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace glutelab
