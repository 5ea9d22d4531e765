// `glutelab claims`: the JSON on stdout matches claims.json, every claim has a verdict from the allowed
// set, finite numbers and a citation; the table has one line per claim; bad input gives one error line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

using test::error_line;
using test::run_cli;
using test::RunResult;

const char* kSmall = "--frames 20 --ratios 1.0,1.2";

TEST(CliClaims, JsonListsEveryClaimWithItsNumbersAndEvidence) {
  const auto out = test::temp_dir("cli_claims_json");
  const RunResult r =
      run_cli(std::string("claims --json --no-posture ") + kSmall + " -o " + out.string(), false);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const nlohmann::json j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j, nlohmann::json::parse(std::ifstream(out / "claims.json")));
  ASSERT_EQ(j.at("claims").size(), 7u);
  const std::set<std::string> allowed{"supported", "not supported", "mixed", "outside the model"};
  std::size_t numbers = 0;
  for (const auto& c : j.at("claims")) {
    const std::string id = c.at("id");
    EXPECT_TRUE(allowed.count(c.at("verdict").get<std::string>())) << id;
    EXPECT_FALSE(c.at("reason").get<std::string>().empty()) << id;
    ASSERT_FALSE(c.at("model").at("numbers").empty()) << id;
    for (const auto& n : c.at("model").at("numbers")) {
      EXPECT_TRUE(n.at("value").is_number()) << id << " " << n.at("key");
      ++numbers;
    }
    ASSERT_TRUE(c.at("evidence").is_object()) << id;
    EXPECT_GE(c.at("evidence").at("findings").size(), 1u) << id;
  }
  EXPECT_EQ(j.at("frames_per_rep"), 20);
  EXPECT_GT(j.at("analyses").get<int>(), 20);
  std::ifstream csv(out / "claims.csv");
  std::size_t lines = 0;
  for (std::string line; std::getline(csv, line);) ++lines;
  EXPECT_EQ(lines, numbers + 1);  // header + one row per number
  std::stringstream html;
  html << std::ifstream(out / "claims.html").rdbuf();
  EXPECT_NE(html.str().find("<svg"), std::string::npos);
  EXPECT_EQ(html.str().find("<script"), std::string::npos);
}

TEST(CliClaims, TableHasOneLinePerClaim) {
  const auto out = test::temp_dir("cli_claims_table");
  const RunResult r =
      run_cli(std::string("claims --height 1.65 --mass 60 --sex female --posture-strengths 1,0.2 ") + kSmall +
                  " -o " + out.string(),
              false);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* id :
       {"squat_quad_dominance", "hinges_lunges_beat_squat", "medius_pelvis_knee", "tight_flexors_glutes_off",
        "gluteal_amnesia", "single_leg_asymmetry", "spot_reduction"}) {
    const auto at = r.output.find(std::string("\n") + id + " ");
    ASSERT_NE(at, std::string::npos) << id << "\n" << r.output;
    const std::string line = r.output.substr(at + 1, r.output.find('\n', at + 1) - at - 1);
    const bool has_verdict = line.find(" supported ") != std::string::npos ||
                             line.find(" mixed ") != std::string::npos ||
                             line.find(" outside the model ") != std::string::npos;
    EXPECT_TRUE(has_verdict) << line;
  }
  EXPECT_TRUE(std::filesystem::exists(out / "claims.html"));
}

TEST(CliClaims, BadInputGivesOneErrorLine) {
  const auto missing = test::temp_dir("cli_claims_bad") / "none.json";
  struct Case {
    std::string args, expect;
  };
  for (const Case& c :
       {Case{"claims --sex other", "--sex"}, Case{"claims --height 3", "height"},
        Case{"claims --mass 0", "mass"}, Case{"claims --ratios 0.2", "femur_ratios"},
        Case{"claims --frames 5", "frames_per_rep"}, Case{"claims --load -5", "--load"},
        Case{"claims -j -1", "--threads"}, Case{"claims --evidence " + missing.string(), "none.json"},
        Case{"claims --bogus", "--bogus"}, Case{"claims --posture-strengths 1.5", "posture_strengths"}}) {
    const RunResult r = run_cli(c.args);
    EXPECT_NE(r.exit_code, 0) << c.args;
    const std::string line = error_line(r);
    EXPECT_NE(line.find(c.expect), std::string::npos) << c.args << "\n" << r.output;
  }
}

}  // namespace
}  // namespace glutelab
