// `glutelab simulate trendelenburg` and `simulate valgus`: the files they write, JSON on stdout, and one
// error line naming the option, its range and the value for bad input.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "glutelab/io/storage.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

using test::error_line;
using test::run_cli;
using test::RunResult;

TEST(CliPosture, TrendelenburgWritesCurvesPagesAndMotions) {
  const auto out = test::temp_dir("cli_trendelenburg");
  const RunResult r = run_cli(
      "simulate trendelenburg --task single_leg_stance --strengths 1,0.5,0.2 --scan-step 2 "
      "--tolerance 0.1 --json -o " +
          out.string(),
      false);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  ASSERT_EQ(j.at("curves").size(), 2u);
  for (const auto& c : j.at("curves")) {
    ASSERT_EQ(c.at("points").size(), 3u);
    EXPECT_EQ(c.at("points")[0].at("strength").get<double>(), 1.0);
    EXPECT_EQ(c.at("points")[0].at("pelvic_drop_cm").get<double>(), 0.0);
  }
  for (const char* f : {"trendelenburg.csv", "trendelenburg.json", "trendelenburg.html", "trendelenburg.svg",
                        "postures_single_leg_stance_trunk_lean.sto"})
    EXPECT_TRUE(std::filesystem::exists(out / f)) << f;
  const TimeTable t = read_storage(out / "postures_single_leg_stance_trunk_lean.sto");
  EXPECT_EQ(t.rows(), 3);
  EXPECT_TRUE(t.in_degrees);
  std::ifstream in(out / "trendelenburg.html");
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_NE(ss.str().find("<svg"), std::string::npos);
  EXPECT_EQ(ss.str().find("<script"), std::string::npos);
}

TEST(CliPosture, TrendelenburgBadInputGivesOneErrorLine) {
  struct Case {
    std::string args, expected;
  };
  const Case cases[] = {
      {"--strengths 1,1.5", "strength must be in [0, 1], got 1.5"},
      {"--strengths -0.2", "strength must be in [0, 1], got -0.2"},
      {"--strengths 1,0.5 --step 0.1", "give either --strengths or --step, not both"},
      {"--step 0.9", "--step must be in [0.01, 0.5], got 0.9"},
      {"--task walking", "task must be one of single_leg_stance, walking_midstance"},
      {"--task landing", "Trendelenburg simulates single_leg_stance and walking_midstance, got 'landing'"},
      {"--tolerance 5", "tolerance_deg must be in (0, 1], got 5"},
      {"--height 1.7", "give both --height and --mass"},
      {"--side middle", "--side"},
      {"--frobnicate", "frobnicate"},
  };
  for (const Case& c : cases) {
    const RunResult r =
        run_cli("simulate trendelenburg " + c.args + " -o " + test::temp_dir("cli_trend_bad").string());
    EXPECT_NE(r.exit_code, 0) << c.args;
    const std::string line = error_line(r);
    EXPECT_NE(line.find(c.expected), std::string::npos) << c.args << "\n" << r.output;
  }
}

}  // namespace
}  // namespace glutelab
namespace glutelab {
namespace {

TEST(CliPosture, ValgusWritesItsTablesAndRefusesBadInput) {
  const auto out = test::temp_dir("cli_valgus");
  const RunResult r = test::run_cli(
      "simulate valgus --task landing --strengths 1,0.5 --scan-step 2 --tolerance 0.1 --json -o " +
          out.string(),
      false);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  ASSERT_EQ(j.at("curves").size(), 1u);
  const auto& full = j.at("curves")[0].at("points")[0];
  EXPECT_EQ(full.at("hip_adduction_change_deg").get<double>(), 0.0);
  for (const char* f : {"valgus.csv", "valgus.json", "valgus.html", "postures_landing.sto"})
    EXPECT_TRUE(std::filesystem::exists(out / f)) << f;
  const std::pair<std::string, std::string> cases[] = {
      {"--strengths 0.5,-1", "strength must be in [0, 1], got -1"},
      {"--task single_leg_stance", "valgus simulates single_leg_squat and landing, got 'single_leg_stance'"},
      {"--rotation-per-adduction 5", "rotation_per_adduction must be in [0, 3], got 5"},
      {"--strengths 1 --step 0.2", "give either --strengths or --step, not both"},
      {"--bogus", "bogus"},
  };
  for (const auto& [args, expected] : cases) {
    const RunResult e = test::run_cli("simulate valgus " + args + " -o " + out.string());
    EXPECT_NE(e.exit_code, 0) << args;
    EXPECT_NE(test::error_line(e).find(expected), std::string::npos) << args << "\n" << e.output;
  }
}

}  // namespace
}  // namespace glutelab
