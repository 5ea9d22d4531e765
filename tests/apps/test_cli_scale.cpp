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
  EXPECT_NE(r.output.find("warning:"), std::string::npos);  // patella bodies
  EXPECT_EQ(r.output.find("not written"), std::string::npos) << r.output;
  EXPECT_TRUE(fs::exists(out / "subject01_scaleSet_applied.xml"));
  EXPECT_TRUE(fs::exists(out / "subject01_static_output.mot"));
  EXPECT_TRUE(fs::exists(out / "subject01_scaledOnly.osim"));  // ModelScaler's output_model_file
  EXPECT_TRUE(fs::exists(out / "subject01_simbody.osim"));     // MarkerPlacer's output_model_file
  EXPECT_NE(r.output.find("wrote " + (out / "subject01_simbody.osim").string()), std::string::npos);
  EXPECT_FALSE(fs::exists(out / "subject01_simbody_markers.xml"));  // only when the .osim cannot be written
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

TEST(CliScale, ScaleWritesTheBodysModelAsOsim) {
  const fs::path out = test::temp_dir("cli_scale_body");
  const fs::path file = out / "tall.osim";
  const test::RunResult r = test::run_cli(
      "scale --height 1.90 --mass 92 --sex female --femur 0.48 --name tall -o " + file.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("femur_r"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("model tall: 92.0000 kg"), std::string::npos) << r.output;
  ASSERT_TRUE(fs::exists(file));
  // The written model loads in glutelab under its new name and weighs the body's mass.
  const test::RunResult inspect = test::run_cli("inspect " + file.string() + " --json", false);
  ASSERT_EQ(inspect.exit_code, 0) << inspect.output;
  const auto j = nlohmann::json::parse(inspect.output);
  EXPECT_EQ(j.at("name"), "tall");
  EXPECT_NEAR(j.at("total_mass_kg").get<double>(), 92.0, 1e-9);
  const test::RunResult json =
      test::run_cli("scale --height 1.60 --mass 55 --json -o " + (out / "short.osim").string(), false);
  ASSERT_EQ(json.exit_code, 0) << json.output;
  const auto s = nlohmann::json::parse(json.output);
  EXPECT_NEAR(s.at("mass_kg").get<double>(), 55.0, 1e-9);
  EXPECT_TRUE(fs::exists(out / "short.osim"));
}

// The written file is the scaled body: analysing it gives what analysing the body scaled in memory gives.
TEST(CliScale, TheWrittenModelAnalysesLikeTheBodyItDescribes) {
  const fs::path file = test::temp_dir("cli_scale_body_analyze") / "body.osim";
  ASSERT_EQ(test::run_cli("scale --height 1.62 --mass 58 --sex female -o " + file.string()).exit_code, 0);
  const test::RunResult from_file =
      test::run_cli("analyze back_squat --frames 20 --json --model " + file.string(), false);
  const test::RunResult in_memory =
      test::run_cli("analyze back_squat --frames 20 --json --height 1.62 --mass 58 --sex female", false);
  ASSERT_EQ(from_file.exit_code, 0) << from_file.output;
  ASSERT_EQ(in_memory.exit_code, 0) << in_memory.output;
  auto a = nlohmann::json::parse(from_file.output), b = nlohmann::json::parse(in_memory.output);
  a.erase("seconds");
  b.erase("seconds");
  EXPECT_FALSE(a.at("muscles").empty());
  EXPECT_EQ(a, b);
}

TEST(CliScale, ScaleIntoAMissingFolderIsOneErrorLine) {
  const fs::path out = test::temp_dir("cli_scale_body_err") / "missing" / "m.osim";
  const test::RunResult r = test::run_cli("scale --height 1.75 --mass 70 -o " + out.string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(test::error_line(r).find(out.string()), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(out.parent_path()));
  const test::RunResult tall = test::run_cli("scale --height 3.1 --mass 70 -o " +
                                             (test::temp_dir("cli_scale_body_err2") / "m.osim").string());
  EXPECT_NE(tall.exit_code, 0);
  EXPECT_NE(test::error_line(tall).find("height"), std::string::npos) << tall.output;
}

}  // namespace
}  // namespace glutelab
