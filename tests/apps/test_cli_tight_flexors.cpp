// `glutelab simulate tight-flexors`: JSON on stdout that agrees with the files written, and one error line
// naming the option, its range and the value for bad input.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

using test::error_line;
using test::run_cli;
using test::RunResult;

TEST(CliTightFlexors, JsonAndFiles) {
  const auto out = test::temp_dir("cli_tight_flexors");
  const RunResult r =
      run_cli("simulate tight-flexors --shortening 0,0.1 --exercise glute_bridge --frames 30 --json -o " +
                  out.string(),
              false);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  ASSERT_EQ(j.at("levels").size(), 2u);
  const auto& zero = j.at("levels")[0].at("exercises")[0];
  const auto& ten = j.at("levels")[1].at("exercises")[0];
  EXPECT_EQ(zero.at("extra_extensor_moment_top_Nm").get<double>(), 0.0);
  EXPECT_GT(ten.at("extra_extensor_moment_top_Nm").get<double>(), 0.0);
  EXPECT_GT(ten.at("lumbar_extension_added_top_deg").get<double>(), 0.0);
  EXPECT_GT(j.at("levels")[1].at("end_range_loss_deg").get<double>(), 0.0);
  for (const char* f : {"tight_flexors.json", "tight_flexors.csv", "passive_flexor_moment.csv",
                        "tight_flexors.html", "glute_bridge_tight_flexors.sto"})
    EXPECT_TRUE(std::filesystem::exists(out / f)) << f;
  const auto file = nlohmann::json::parse(std::ifstream(out / "tight_flexors.json"));
  EXPECT_EQ(file.at("levels"), j.at("levels"));
  std::ifstream html(out / "tight_flexors.html");
  const std::string page((std::istreambuf_iterator<char>(html)), std::istreambuf_iterator<char>());
  EXPECT_NE(page.find("<svg"), std::string::npos);
}

TEST(CliTightFlexors, BadInput) {
  struct Case {
    std::string args;
    std::vector<std::string> expect;
  };
  for (const Case& c : std::vector<Case>{{"--shortening 0.5", {"--shortening", "[0, 0.3]", "0.5"}},
                                         {"--shortening -0.1", {"--shortening", "[0, 0.3]", "-0.1"}},
                                         {"--inhibit-glutes 1.5", {"--inhibit-glutes", "[0, 1]", "1.5"}},
                                         {"--sweep-to 0.2 --shortening 0.1", {"--sweep-to", "--shortening"}},
                                         {"--sweep-to 0.4", {"--sweep-to", "0.3", "0.4"}},
                                         {"--steps 4", {"--steps", "--sweep-to"}},
                                         {"--exercise glute_brige", {"glute_bridge"}},
                                         {"--exercise standing,standing_glute_squeeze", {"given twice"}},
                                         {"--thomas-knee 150", {"--thomas-knee", "[0, 120]", "150"}}}) {
    const RunResult r = run_cli("simulate tight-flexors --frames 30 " + c.args);
    EXPECT_NE(r.exit_code, 0) << c.args;
    const std::string line = error_line(r);
    for (const std::string& e : c.expect)
      EXPECT_NE(line.find(e), std::string::npos) << c.args << "\n" << r.output;
  }
}

}  // namespace
}  // namespace glutelab
