// `glutelab exercises`, `analyze` and `rank`: JSON listing, the files analyze writes, a ranking, and bad
// input (unknown exercise or muscle, impossible body, negative load) with one error line.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "glutelab/io/storage.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

using test::error_line;
using test::run_cli;
using test::RunResult;
TEST(CliExercises, ListAsJson) {
  const RunResult r = run_cli("exercises --json", false);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  ASSERT_TRUE(j.is_array());
  ASSERT_GE(j.size(), 3u);
  bool squat = false;
  for (const auto& e : j) {
    EXPECT_FALSE(e.at("description").get<std::string>().empty());
    EXPECT_FALSE(e.at("cues").get<std::string>().empty());
    squat |= e.at("name") == "back_squat";
  }
  EXPECT_TRUE(squat);
  const RunResult t = run_cli("exercises");
  EXPECT_EQ(t.exit_code, 0);
  EXPECT_NE(t.output.find("Back squat"), std::string::npos);
}

TEST(CliExercises, AnalyzeWritesFiles) {
  const auto out = test::temp_dir("cli_analyze");
  const RunResult r = run_cli(
      "analyze back_squat --height 1.70 --mass 65 --sex female --load 30 --frames 40 --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("gluteus maximus"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("hip contact force"), std::string::npos);
  for (const char* f : {"activation.sto", "force.sto", "group_activation.sto", "summary.csv", "summary.json",
                        "group_activation.svg"})
    EXPECT_TRUE(std::filesystem::exists(out / f)) << f;
  const TimeTable act = read_storage(out / "activation.sto");
  EXPECT_EQ(act.time_s.size(), 40u);
  std::ifstream in(out / "summary.json");
  std::stringstream ss;
  ss << in.rdbuf();
  const auto j = nlohmann::json::parse(ss.str());
  EXPECT_NEAR(j.at("body_mass_kg").get<double>(), 65.0, 1e-6);
  EXPECT_GT(j.at("peak_hip_contact_BW").get<double>(), 1.0);

  const RunResult js =
      run_cli("analyze glute_bridge --frames 30 --json --out " + (out / "bridge").string(), false);
  ASSERT_EQ(js.exit_code, 0) << js.output;
  const auto jj = nlohmann::json::parse(js.output);
  EXPECT_EQ(jj.at("exercise"), "glute_bridge");
}

TEST(CliExercises, Rank) {
  const RunResult r = run_cli("rank --muscle gluteus_maximus --frames 40 --json", false);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  ASSERT_GE(j.at("ranking").size(), 3u);
  EXPECT_EQ(j.at("muscle_or_group"), "gluteus maximus");
  const auto& ranking = j.at("ranking");
  for (std::size_t i = 1; i < ranking.size(); ++i)
    EXPECT_GE(ranking[i - 1].at("mean_activation").get<double>(),
              ranking[i].at("mean_activation").get<double>());
  std::printf("rank (all exercises, 40 frames): %.2f s, first %s\n", j.at("seconds").get<double>(),
              ranking[0].at("exercise").get<std::string>().c_str());
  const RunResult t = run_cli("rank --muscle quadriceps --frames 20");
  EXPECT_EQ(t.exit_code, 0) << t.output;
  EXPECT_NE(t.output.find("quadriceps"), std::string::npos);
}

TEST(CliExercises, BadInput) {
  struct Case {
    std::string args, expect;
  };
  for (const Case& c :
       {Case{"analyze bak_squat", "back_squat"}, Case{"analyze back_squat --height 3 --mass 70", "height"},
        Case{"analyze back_squat --load -5", "load"},
        Case{"rank --muscle gluteus_maximum", "gluteus_maximus"},
        Case{"analyze back_squat --height 1.8", "--mass"},
        Case{"analyze step_up --support-height 0.9", "height_m"},
        Case{"analyze step_up --support-height 0.6", "the box of step_up"},
        Case{"analyze lateral_band_walk --band 6000", "band_stiffness_n_per_m"}}) {
    const RunResult r = run_cli(c.args);
    EXPECT_NE(r.exit_code, 0) << c.args;
    const std::string line = error_line(r);
    EXPECT_NE(line.find(c.expect), std::string::npos) << c.args << "\n" << r.output;
  }
}

TEST(CliExercises, FemurSweepWritesItsTablesAndRefusesImpossibleRatios) {
  const auto dir = test::temp_dir("cli_sweep");
  const RunResult r =
      run_cli("sweep femur --exercise back_squat --ratios 0.9,1.2 --frames 30 -o " + dir.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(std::filesystem::exists(dir / "femur_sweep.csv"));
  EXPECT_TRUE(std::filesystem::exists(dir / "femur_sweep.json"));
  EXPECT_TRUE(std::filesystem::exists(dir / "femur_sweep.svg"));
  const RunResult bad = run_cli("sweep femur --ratios 0,1 -o " + dir.string());
  EXPECT_NE(bad.exit_code, 0) << bad.output;
  EXPECT_NE(error_line(bad).find("ratio"), std::string::npos) << bad.output;
}

}  // namespace
}  // namespace glutelab
