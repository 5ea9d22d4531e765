// `glutelab simulate weak`: the compensation report's files and JSON, the --limit search, a table, and
// contradictory or impossible options ending in one error line that names the option and the value.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "glutelab/io/storage.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

using test::error_line;
using test::run_cli;
using test::RunResult;

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const nlohmann::json* find_by(const nlohmann::json& array, const char* key, const std::string& value) {
  for (const auto& e : array)
    if (e.at(key) == value) return &e;
  return nullptr;
}

TEST(CliSimulateWeak, WeakMediusWritesTheReportAndTheOtherAbductorsTakeOver) {
  const auto out = test::temp_dir("cli_simulate_weak");
  const RunResult r = run_cli(
      "simulate weak --muscle gluteus_medius --strength 0.5 --side right --exercise single_leg_stance "
      "--frames 30 "
      "--json -o " +
          out.string(),
      false);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j.at("exercise"), "single_leg_stance");
  EXPECT_EQ(j.at("side"), "right");
  ASSERT_EQ(j.at("impairments").size(), 1u);
  EXPECT_EQ(j.at("impairments")[0].at("side"), "right");
  EXPECT_EQ(j.at("impairments")[0].at("strength"), 0.5);
  const auto* minimus = find_by(j.at("groups"), "group", "gluteus minimus");
  const auto* medius = find_by(j.at("groups"), "group", "gluteus medius");
  ASSERT_TRUE(minimus && medius);
  EXPECT_GT(minimus->at("mean_force_N").at("change_percent").get<double>(), 20.0);
  EXPECT_LT(medius->at("mean_force_N").at("change").get<double>(), 0.0);
  const auto* tfl = find_by(j.at("muscles"), "name", "tfl_r");
  ASSERT_TRUE(tfl);
  EXPECT_GT(tfl->at("mean_force_N").at("change").get<double>(), 0.0);
  EXPECT_TRUE(j.at("possible").at("impaired").get<bool>());
  EXPECT_TRUE(j.at("hip_contact").at("impaired").contains("frontal_angle_deg"));
  EXPECT_TRUE(j.at("limits").empty());
  for (const char* f : {"compensation.csv", "compensation.json", "baseline_activation.sto",
                        "impaired_activation.sto", "compensation.html"})
    EXPECT_TRUE(std::filesystem::exists(out / f)) << f;
  const TimeTable base = read_storage(out / "baseline_activation.sto");
  const TimeTable weak = read_storage(out / "impaired_activation.sto");
  EXPECT_EQ(base.time_s.size(), 30u);
  EXPECT_EQ(base.labels, weak.labels);
  const std::string csv = read_text(out / "compensation.csv");
  EXPECT_EQ(csv.rfind("section,name,group,quantity,unit,baseline,impaired,change,change_percent\n", 0), 0u);
  EXPECT_NE(csv.find("muscle,tfl_r,hip flexors,mean_force,N,"), std::string::npos);
  EXPECT_NE(csv.find("load,hip_contact,,frontal_angle,deg,"), std::string::npos);
  const std::string html = read_text(out / "compensation.html");
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("gluteus minimus (impaired)"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(read_text(out / "compensation.json")).at("exercise"), "single_leg_stance");
}

TEST(CliSimulateWeak, TableAndImpairSpecs) {
  const auto out = test::temp_dir("cli_simulate_weak_table");
  const RunResult r =
      run_cli("simulate weak --impair glutes:1:0.1 --exercise hip_thrust --frames 30 -o " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("glutes, both sides: activation ceiling 0.10"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("take over most"), std::string::npos);
  EXPECT_NE(r.output.find("hamstrings"), std::string::npos);
  EXPECT_NE(r.output.find("hip contact: peak"), std::string::npos);
  EXPECT_NE(r.output.find("wrote "), std::string::npos);
}

TEST(CliSimulateWeak, LimitBracketsTheWeakestStrength) {
  const auto out = test::temp_dir("cli_simulate_weak_limit");
  const RunResult r = run_cli(
      "simulate weak --muscle hip_abductors --side right --exercise single_leg_stance --limit strength "
      "--tolerance "
      "0.05 --frames 30 --json -o " +
          out.string(),
      false);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  ASSERT_EQ(j.at("limits").size(), 1u);
  const auto& l = j.at("limits")[0];
  EXPECT_EQ(l.at("kind"), "strength");
  const double feasible = l.at("feasible_factor").get<double>(),
               infeasible = l.at("infeasible_factor").get<double>();
  EXPECT_GT(feasible, infeasible);
  EXPECT_LE(feasible - infeasible, 0.05);
  EXPECT_GT(feasible, 0.05);
  EXPECT_LT(feasible, 0.95);
  EXPECT_EQ(l.at("limiting_coordinate"), "hip_adduction_r");
  EXPECT_FALSE(l.at("takes_over_at_limit").empty());
  // The report shown is the body at the limit.
  EXPECT_EQ(j.at("impairments")[0].at("strength").get<double>(), feasible);
  EXPECT_TRUE(j.at("possible").at("impaired").get<bool>());
}

TEST(CliSimulateWeak, BadInputGivesOneErrorLine) {
  struct Case {
    std::string args, expect;
  };
  const std::string ex = " --exercise single_leg_stance --frames 30";
  for (const Case& c : {
           Case{"--muscle glutes --strength 1.5" + ex, "--strength must be in [0, 1], got 1.5"},
           Case{"--muscle glutes --ceiling -0.2" + ex, "--ceiling must be in [0, 1], got -0.2"},
           Case{"--muscle gluteus_medus --strength 0.5" + ex, "did you mean 'gluteus medius'"},
           Case{"--muscle glutes --limit --strength 0.5" + ex, "--limit searches"},
           Case{"--strength 0.5" + ex, "apply to --muscle"},
           Case{"--muscle glutes" + ex, "needs --strength or --ceiling"},
           Case{"--muscle glutes --muscle hamstrings --strength 0.5 --strength 0.6 --strength 0.7" + ex,
                "one per --muscle (2), got 3"},
           Case{"--impair glutes" + ex, "--impair expects NAME:STRENGTH[:CEILING]"},
           Case{"--impair glutes:weak" + ex, "got 'glutes:weak'"},
           Case{"--impair glutes:1:1.2" + ex, "--impair ceiling must be in [0, 1], got 1.2"},
           Case{"--muscle glutes --limit --impair glutes:0.5" + ex, "'glutes' is given twice"},
           Case{"--muscle glmed1_r --side left --strength 0.5" + ex, "not on the left side"},
           Case{"--muscle glutes --limit --tolerance 0" + ex, "--tolerance must be in (0, 0.5], got 0"},
           Case{"--muscle glutes --strength 0.5 --max-reserve 2" + ex,
                "--max-reserve must be in (0, 1), got 2"},
           Case{"--muscle glutes --strength 0.5 --exercise bak_squat", "did you mean 'back_squat'"},
           Case{"--muscle glutes --strength 0.5 --side middle" + ex, "--side"},
           Case{"--muscle glutes --limit sometimes" + ex, "--limit"},
           Case{"--limit" + ex, "--limit needs --muscle"},
           Case{"--muscle glutes --strength 0.5 --tolerance 0.1" + ex, "--tolerance requires --limit"},
           Case{ex, "give the muscles to weaken"},
       }) {
    const RunResult r = run_cli("simulate weak " + c.args);
    EXPECT_NE(r.exit_code, 0) << c.args;
    const std::string line = error_line(r);
    EXPECT_NE(line.find(c.expect), std::string::npos) << c.args << "\n" << r.output;
  }
}

}  // namespace
}  // namespace glutelab
