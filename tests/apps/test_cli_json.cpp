// `--json` on every command that prints a table: stdout must be one JSON document (progress and notes
// go to stderr) whose figures agree with the files the command writes.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "glutelab/io/storage.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

using test::run_cli;
using test::RunResult;

/// Runs the command with stderr dropped and parses stdout as JSON (fails the test if it is not).
nlohmann::json run_json(const std::string& args) {
  const RunResult r = run_cli(args, false);
  EXPECT_EQ(r.exit_code, 0) << args << "\n" << r.output;
  try {
    return nlohmann::json::parse(r.output);
  } catch (const nlohmann::json::parse_error& e) {
    ADD_FAILURE() << args << ": stdout is not JSON: " << e.what() << "\n" << r.output;
    return {};
  }
}

nlohmann::json read_json(const std::filesystem::path& file) {
  return nlohmann::json::parse(std::ifstream(file));
}

std::string bench_case(const std::string& file) {
  return test::project_data("cases/gait2392_walk_static_optimization/" + file).string();
}

TEST(CliJson, Inspect) {
  const auto j = run_json("inspect glutelab --json");
  ASSERT_GT(j.at("muscles").size(), 40u);
  bool glmax = false;
  for (const auto& m : j.at("muscles"))
    if (m.at("name") == "glmax1_r") {
      glmax = true;
      EXPECT_EQ(m.at("region"), "gluteus maximus");
      EXPECT_GT(m.at("max_isometric_force_N").get<double>(), 0.0);
    }
  EXPECT_TRUE(glmax);
  bool hip = false;
  for (const auto& c : j.at("coordinates"))
    if (c.at("name") == "hip_flexion_r") {
      hip = true;
      EXPECT_EQ(c.at("unit"), "rad");
      EXPECT_LT(c.at("range")[0].get<double>(), c.at("range")[1].get<double>());
    }
  EXPECT_TRUE(hip);
  EXPECT_GT(j.at("total_mass_kg").get<double>(), 50.0);
}

TEST(CliJson, MuscleAnalysis) {
  const auto out = test::temp_dir("json_ma");
  const auto j = run_json("muscle-analysis --end 0.7 --no-moment-arms --json --out " + out.string());
  EXPECT_EQ(j.at("muscles").get<int>(), 92);
  EXPECT_EQ(j, read_json(out / "summary.json"));
  EXPECT_EQ(read_storage(out / "Length.sto").rows(), j.at("frames").get<int>());
}

TEST(CliJson, InverseDynamics) {
  const auto out = test::temp_dir("json_id");
  const auto j = run_json("inverse-dynamics " + bench_case("subject01_simbody_adjusted_StaticOp.osim") + " " +
                          bench_case("subject01_walk1_Kinematics.sto") + " -e " +
                          bench_case("foot_floor_loads.xml") + " --json -o " + (out / "id.sto").string());
  EXPECT_EQ(j, read_json(out / "id.json"));
  EXPECT_EQ(read_storage(out / "id.sto").rows(), j.at("frames").get<int>());
}

TEST(CliJson, StaticOptimizationAndJointReaction) {
  const auto out = test::temp_dir("json_so");
  const std::string inputs = bench_case("subject01_simbody_adjusted_StaticOp.osim") + " " +
                             bench_case("subject01_walk1_Kinematics.sto") + " -e " +
                             bench_case("foot_floor_loads.xml") + " -a " +
                             bench_case("gait2392_SO_weak_Residual_Actuators.xml") + " --start 0.6 --end 0.8";
  const auto so = run_json("static-optimization " + inputs + " --json -o " + (out / "so").string());
  EXPECT_EQ(so.at("infeasible_frames").get<int>(), 0);
  EXPECT_EQ(so, read_json(out / "so" / "summary.json"));
  EXPECT_EQ(so.at("per_frame").size(), so.at("frames").get<std::size_t>());

  const auto jr =
      run_json("joint-reaction " + inputs + " --joints hip_r hip_l --json -o " + (out / "jr").string());
  const double peak = jr.at("hip_contact").at("hip_r").at("peak_BW").get<double>();
  EXPECT_GT(peak, 0.5);
  const TimeTable hip = read_storage(out / "jr" / "hip_r_contact_force.sto");
  EXPECT_NEAR(hip.values.col(hip.column("magnitude_BW")).maxCoeff(), peak, 1e-9);
  for (const auto& f : jr.at("files")) EXPECT_TRUE(std::filesystem::exists(f.get<std::string>())) << f;
}

TEST(CliJson, ExerciseCommands) {
  const auto list = run_json("exercises --json");
  ASSERT_TRUE(list.is_array());
  const auto out = test::temp_dir("json_ex");
  const auto an = run_json("analyze back_squat --frames 20 --json -o " + (out / "squat").string());
  EXPECT_EQ(an, read_json(out / "squat" / "summary.json"));
  const auto rk = run_json("rank --muscle gluteus_medius --frames 20 --json");
  EXPECT_EQ(rk.at("ranking").size() + rk.at("skipped").size(), list.size());
  const auto sw = run_json("sweep femur --exercise hip_thrust --ratios 1.0 --frames 20 --json -o " +
                           (out / "sweep").string());
  EXPECT_EQ(sw, read_json(out / "sweep" / "femur_sweep.json"));
}

TEST(CliJson, ReportWritesTheHtmlAndTheFilesItIsBuiltFrom) {
  const auto out = test::temp_dir("json_report");
  const RunResult r = run_cli("report --frames 20 --ratios 0.9,1.2 --json -o " + out.string(), false);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j, read_json(out / "report.json"));
  EXPECT_NEAR(j.at("body").at("height_m").get<double>(), 1.75, 1e-12);
  const auto list = run_json("exercises --json");
  EXPECT_EQ(j.at("exercises").size() + j.at("skipped").size(), list.size());
  EXPECT_EQ(j.at("femur_sweep").at("points").size(), 6u);
  EXPECT_TRUE(std::filesystem::exists(out / "report.html"));
  EXPECT_EQ(std::filesystem::file_size(out / "report.html"), j.at("report_bytes").get<std::size_t>());
  for (const char* f : {"summary.csv", "ranking.csv", "femur_sweep.csv"})
    EXPECT_TRUE(std::filesystem::exists(out / f)) << f;
  for (const auto& e : j.at("exercises")) {
    const auto dir = out / e.at("files").get<std::string>();
    EXPECT_EQ(read_storage(dir / "activation.sto").rows(), 20) << dir;
    EXPECT_TRUE(std::filesystem::exists(dir / "group_activation.sto")) << dir;
    EXPECT_TRUE(std::filesystem::exists(dir / "summary.json")) << dir;
  }
  // The first of each ranking is the exercise with the highest mean activation in the summaries.
  const auto& glmed = j.at("rankings").at("gluteus medius");
  ASSERT_FALSE(glmed.empty());
  double best = 0.0;
  for (const auto& e : j.at("exercises"))
    best = std::max(best, e.at("mean_activation").at("gluteus medius").get<double>());
  EXPECT_DOUBLE_EQ(glmed[0].at("mean_activation").get<double>(), best);

  const RunResult text = run_cli("report --frames 20 --no-sweep -o " + (out / "text").string());
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_NE(text.output.find("report.html"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("Back squat"), std::string::npos) << text.output;
}

TEST(CliJson, ReportRefusesAnImpossibleBody) {
  const RunResult r = run_cli("report --height 3.5 --mass 70 -o " + test::temp_dir("bad_report").string());
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(test::error_line(r).find("height"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace glutelab
