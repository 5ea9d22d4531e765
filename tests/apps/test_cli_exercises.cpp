// `glutelab exercises`, `analyze` and `rank`: JSON listing, the files analyze writes, a ranking, and bad
// input (unknown exercise or muscle, impossible body, negative load) with one error line.
#include <gtest/gtest.h>

#include <cstdio>
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

// Absurd values for every option of analyze, rank and sweep femur: a non-zero exit (not a crash) and one
// "error:" line naming the option or parameter, the allowed range (or choices) and the value given.
TEST(CliExercises, AbsurdValuesGiveOneErrorLineWithTheRangeAndTheValue) {
  struct Case {
    std::string args;
    std::vector<std::string> expect;
  };
  const auto out = test::temp_dir("cli_bad_input");
  const std::string o = " -o " + out.string();
  const std::vector<Case> cases{
      {"analyze back_squat --height nan --mass 70", {"height_m", "[1, 2.5] m", "nan"}},
      {"analyze back_squat --height inf --mass 70", {"height_m", "[1, 2.5] m", "inf"}},
      {"analyze back_squat --height -1.7 --mass 70", {"height_m", "[1, 2.5] m", "-1.7"}},
      {"analyze back_squat --height 0 --mass 70", {"height_m", "[1, 2.5] m", "got 0"}},
      {"analyze back_squat --height 3 --mass 70", {"height_m", "[1, 2.5] m", "3 m"}},
      {"analyze back_squat --height 1.8 --mass 500", {"mass_kg", "[25, 300] kg", "500"}},
      {"analyze back_squat --height 1.8 --mass 0", {"mass_kg", "[25, 300] kg", "got 0"}},
      {"analyze back_squat --height 1.8 --mass 80 --femur 0.9", {"thigh_length_m", "[0.27, 0.63] m", "0.9"}},
      {"analyze back_squat --height 1.8 --mass 80 --femur -0.4",
       {"thigh_length_m", "[0.27, 0.63] m", "-0.4"}},
      {"analyze back_squat --femur 0.45", {"--height", "--mass"}},
      {"analyze back_squat --sex alien", {"--sex", "male", "female", "alien"}},
      {"analyze back_squat --load 750", {"load_kg", "[0, ", "5 x body mass", "750"}},  // 10 x body mass
      {"analyze back_squat --load -5", {"--load", "[0, 5 x body mass] kg", "-5"}},
      {"analyze back_squat --load nan", {"--load", "[0, 5 x body mass] kg", "nan"}},
      {"analyze back_squat --load inf", {"load_kg", "[0, ", "inf"}},
      {"analyze back_squat --depth 1.5", {"depth", "[0, 1]", "1.5"}},
      {"analyze back_squat --depth -0.2", {"depth", "[0, 1]", "-0.2"}},
      {"analyze back_squat --depth nan", {"depth", "[0, 1]", "nan"}},
      {"analyze back_squat --stance 5", {"stance_width_m", "[0.10, 0.80] m", "5"}},
      {"analyze back_squat --stance 0", {"stance_width_m", "[0.10, 0.80] m", "got 0"}},
      {"analyze back_squat --stance 0.8 --frames 20",
       {"hip_adduction_r", "beyond its range", "[-50.0, 30.0]"}},
      {"analyze back_squat --tempo 0.2", {"tempo_s", "[0.5, 60] s", "0.2"}},
      {"analyze back_squat --tempo nan", {"tempo_s", "[0.5, 60] s", "nan"}},
      {"analyze back_squat --tempo -3", {"tempo_s", "[0.5, 60] s", "-3"}},
      {"analyze back_squat --frames 2", {"frames_per_rep", "[10, 10000]", "2"}},
      {"analyze back_squat --frames abc", {"--frames", "abc"}},
      {"analyze back_squat --threads -3", {"--threads", "0 to 1024", "-3"}},
      {"analyze back_squat --placement shoulders", {"--placement", "back_barbell", "shoulders"}},
      {"analyze back_squat --side up", {"--side", "right", "up"}},
      {"analyze bak_squat", {"bak_squat", "back_squat"}},
      {"rank --muscle gluteus_maximum", {"gluteus_maximum", "gluteus_maximus"}},
      {"rank --muscle gluteus_maximus --depth 2", {"depth", "[0, 1]", "2"}},
      {"rank --muscle gluteus_maximus --load -1", {"--load", "-1"}},
      {"rank --muscle gluteus_maximus --height 1.8 --mass 500", {"mass_kg", "[25, 300] kg", "500"}},
      {"sweep femur --height 3" + o, {"height_m", "[1, 2.5] m", "3"}},
      {"sweep femur --height nan" + o, {"height_m", "[1, 2.5] m", "nan"}},
      {"sweep femur --mass 500" + o, {"mass_kg", "[25, 300] kg", "500"}},
      {"sweep femur --mass -70" + o, {"mass_kg", "[25, 300] kg", "-70"}},
      {"sweep femur --sex x" + o, {"--sex", "male", "x"}},
      {"sweep femur --ratios nan" + o, {"ratio", "[0.5, 2.0]", "nan"}},
      {"sweep femur --ratios 0.1" + o, {"ratio", "[0.5, 2.0]", "0.1"}},
      {"sweep femur --ratios 1.9" + o, {"ratio 1.9", "thigh_length_m", "[0.2625, 0.6125] m"}},  // femur > leg
      {"sweep femur --from 0.9 --to 1.2 --steps 1" + o, {"--steps", "at least 2", "got 1"}},
      {"sweep femur --load -1" + o, {"--load", "[0, 5 x body mass] kg", "-1"}},
      {"sweep femur --load 750" + o, {"load_kg", "5 x body mass", "750"}},
      {"sweep femur --depth 1.5" + o, {"depth", "[0, 1]", "1.5"}},
      {"sweep femur --frames 1" + o, {"frames_per_rep", "[10, 10000]", "1"}},
      {"sweep femur --threads -1" + o, {"--threads", "0 to 1024", "-1"}},
      {"sweep femur --exercise bak_squat" + o, {"bak_squat", "back_squat"}},
  };
  for (const Case& c : cases) {
    const RunResult r = run_cli(c.args);
    EXPECT_NE(r.exit_code, 0) << c.args << "\n" << r.output;
    EXPECT_LT(r.exit_code, 128) << c.args << ": killed by a signal\n" << r.output;
    const std::string line = error_line(r);
    EXPECT_FALSE(line.empty()) << c.args << ": not exactly one error line\n" << r.output;
    for (const std::string& part : c.expect)
      EXPECT_NE(line.find(part), std::string::npos) << c.args << ": '" << part << "' missing from\n" << line;
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
