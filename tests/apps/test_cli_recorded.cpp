// `glutelab analyze --motion FILE [--model M] [--grf XML] [--cutoff HZ]`: a recorded motion analysed
// like a generated exercise (table, --json, --out files), with estimated or measured ground reactions,
// and bad input with one error line.
#include <gtest/gtest.h>

#include <cmath>
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

namespace fs = std::filesystem;
using test::error_line;
using test::run_cli;
using test::RunResult;

TEST(CliRecorded, AnalyzesTheOpenCapSquat) {
  const fs::path motion = test::shared_data("opencap/Moco/exampleSquat/squats1_videoAndMocap.mot");
  const fs::path model = test::shared_data("opencap/Moco/models/LaiArnoldModified2017_contacts.osim");
  if (!fs::exists(motion) || !fs::exists(model)) GTEST_SKIP() << "shared data absent";
  const fs::path out = test::temp_dir("cli_recorded");
  const RunResult r = run_cli("analyze --motion " + motion.string() + " --model " + model.string() +
                                  " --cutoff 6 --json --out " + out.string(),
                              false);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j.at("ground_reactions").at("source"), "estimated");
  EXPECT_EQ(j.at("ground_reactions").at("flight_frames"), 0);  // both feet stay down in a squat
  EXPECT_EQ(j.at("frames"), j.at("converged_frames"));
  EXPECT_GT(j.at("peak_hip_contact_BW").get<double>(), 1.0);
  for (const char* f : {"activation.sto", "force.sto", "group_activation.sto", "summary.csv", "summary.json",
                        "group_activation.svg"})
    EXPECT_TRUE(fs::exists(out / f)) << f;
  const TimeTable act = read_storage(out / "activation.sto");
  EXPECT_EQ(static_cast<int>(act.time_s.size()), j.at("frames").get<int>());
}

// A still standing recording with measured reactions of half the body weight under each heel.
TEST(CliRecorded, MeasuredGroundReactionsAndTable) {
  const fs::path dir = test::temp_dir("cli_recorded_grf");
  const std::vector<std::string> names = {
      "pelvis_tilt",     "pelvis_list",    "pelvis_rotation", "pelvis_tx",
      "pelvis_ty",       "pelvis_tz",      "hip_flexion_r",   "hip_adduction_r",
      "hip_rotation_r",  "knee_angle_r",   "ankle_angle_r",   "hip_flexion_l",
      "hip_adduction_l", "hip_rotation_l", "knee_angle_l",    "ankle_angle_l"};
  std::ostringstream mot, grf;
  mot << "still\nversion=1\ninDegrees=yes\nendheader\ntime";
  for (const std::string& n : names) mot << '\t' << n;
  grf << "grf\nversion=1\nendheader\ntime";
  for (const char* s : {"r", "l"})
    for (const char* q :
         {"force_%_vx", "force_%_vy", "force_%_vz", "force_%_px", "force_%_py", "force_%_pz"}) {
      std::string label = std::string("ground_") + q;
      label.replace(label.find('%'), 1, s);
      grf << '\t' << label;
    }
  for (int f = 0; f <= 50; ++f) {
    mot << '\n' << 0.02 * f;
    for (const std::string& n : names) mot << '\t' << (n == "pelvis_ty" ? 0.95 : 0.0);
    grf << '\n' << 0.02 * f;
    for (const double z : {0.09, -0.09}) grf << "\t0\t370\t0\t0.0\t0\t" << z;
  }
  mot << '\n';
  grf << '\n';
  std::ofstream(dir / "still.mot") << mot.str();
  std::ofstream(dir / "grf.mot") << grf.str();
  std::ofstream(dir / "grf.xml") << R"(<?xml version="1.0" encoding="UTF-8" ?>
<OpenSimDocument Version="30000"><ExternalLoads name="grf"><objects>
<ExternalForce name="right"><applied_to_body>calcn_r</applied_to_body><force_expressed_in_body>ground</force_expressed_in_body>
<point_expressed_in_body>ground</point_expressed_in_body><force_identifier>ground_force_r_v</force_identifier>
<point_identifier>ground_force_r_p</point_identifier></ExternalForce>
<ExternalForce name="left"><applied_to_body>calcn_l</applied_to_body><force_expressed_in_body>ground</force_expressed_in_body>
<point_expressed_in_body>ground</point_expressed_in_body><force_identifier>ground_force_l_v</force_identifier>
<point_identifier>ground_force_l_p</point_identifier></ExternalForce>
</objects><groups /><datafile>grf.mot</datafile></ExternalLoads></OpenSimDocument>
)";
  const RunResult r = run_cli("analyze --motion " + (dir / "still.mot").string() + " --grf " +
                              (dir / "grf.xml").string() + " --out " + (dir / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("ground reactions: measured"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("gluteus maximus"), std::string::npos) << r.output;
  EXPECT_TRUE(fs::exists(dir / "out" / "summary.json"));

  const RunResult est = run_cli(
      "analyze --motion " + (dir / "still.mot").string() + " --json --out " + (dir / "out_est").string(),
      false);
  ASSERT_EQ(est.exit_code, 0) << est.output;
  const auto j = nlohmann::json::parse(est.output);
  EXPECT_EQ(j.at("ground_reactions").at("source"), "estimated");
  EXPECT_EQ(j.at("frames"), 51);
}

TEST(CliRecorded, BadInput) {
  const fs::path dir = test::temp_dir("cli_recorded_bad");
  std::ofstream(dir / "short.mot") << "short\nversion=1\ninDegrees=yes\nendheader\ntime\tpelvis_tilt\n0\t1\n";
  struct Case {
    std::string args, expect;
  };
  for (const Case& c : {Case{"analyze --motion " + (dir / "missing.mot").string(), "missing.mot"},
                        Case{"analyze --motion " + (dir / "short.mot").string(), "pelvis_list"},
                        Case{"analyze --motion " + (dir / "short.mot").string() + " --load 10", "--load"},
                        Case{"analyze", "--motion"}}) {
    const RunResult r = run_cli(c.args);
    EXPECT_NE(r.exit_code, 0) << c.args;
    const std::string line = error_line(r);
    EXPECT_NE(line.find(c.expect), std::string::npos) << c.args << "\n" << r.output;
  }
}

}  // namespace
}  // namespace glutelab
