// The glutelab command line: help on every command, the main job, and bad input that must produce
// one clear line naming the file (and line/column where there is one), a non-zero exit and no crash.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "glutelab/io/storage.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

using test::error_line;
using test::run_cli;
using test::RunResult;
void write_file(const std::filesystem::path& p, const std::string& text) { std::ofstream(p) << text; }

std::string default_model() { return test::project_data("models/gait2392_subject01.osim").string(); }

TEST(Cli, EveryCommandHasHelp) {
  for (const std::string cmd : {"", "inspect", "muscle-analysis", "report", "sweep femur"}) {
    const RunResult r = run_cli(cmd + " --help");
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_NE(r.output.find("Usage"), std::string::npos) << cmd << r.output;
  }
}

TEST(Cli, InspectListsGlutealMusclesFirst) {
  const RunResult r = run_cli("inspect " + default_model());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto glut = r.output.find("gluteus maximus");
  const auto quads = r.output.find("quadriceps");
  ASSERT_NE(glut, std::string::npos);
  ASSERT_NE(quads, std::string::npos);
  EXPECT_LT(glut, quads);
  EXPECT_NE(r.output.find("hip_flexion_r"), std::string::npos);
  EXPECT_NE(r.output.find("92 muscles"), std::string::npos);
}

TEST(Cli, MuscleAnalysisWritesOpenSimTablesAndReportsThroughput) {
  const auto out = test::temp_dir("cli_ma");
  const RunResult r = run_cli("muscle-analysis --end 0.7 --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("frames/s"), std::string::npos);
  const TimeTable length = read_storage(out / "Length.sto");
  EXPECT_EQ(length.labels.size(), 92u);
  EXPECT_GT(length.rows(), 10);
  EXPECT_TRUE(std::filesystem::exists(out / "MomentArm_hip_flexion_r.sto"));
  EXPECT_FALSE(std::filesystem::exists(out / "MomentArm_pelvis_tx.sto"))
      << "no muscle spans pelvis translation";
  std::ifstream summary(out / "summary.json");
  const auto j = nlohmann::json::parse(summary);
  EXPECT_GT(j.at("frames_per_second").get<double>(), 0.0);
}

TEST(Cli, MalformedXmlNamesFileLineAndColumn) {
  const auto dir = test::temp_dir("cli_bad");
  write_file(dir / "broken.osim",
             "<OpenSimDocument Version=\"40000\">\n<Model name=\"m\">\n<BodySet>\n</Model>\n");
  const RunResult r = run_cli("inspect " + (dir / "broken.osim").string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  const std::string line = error_line(r);
  EXPECT_NE(line.find("broken.osim:4:"), std::string::npos) << r.output;
}

TEST(Cli, UnknownComponentIsNamedWithItsLine) {
  const auto dir = test::temp_dir("cli_unknown");
  std::ifstream in(default_model());
  std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto at = xml.find("<Thelen2003Muscle ");
  ASSERT_NE(at, std::string::npos);
  xml.insert(at, "<Blankevoort1991Ligament name=\"acl\"></Blankevoort1991Ligament>\n");
  const int expected_line =
      1 + static_cast<int>(std::count(xml.begin(), xml.begin() + static_cast<long>(at), '\n'));
  write_file(dir / "ligament.osim", xml);
  const RunResult r = run_cli("inspect " + (dir / "ligament.osim").string());
  EXPECT_NE(r.exit_code, 0);
  const std::string line = error_line(r);
  EXPECT_NE(line.find("ligament.osim:" + std::to_string(expected_line)), std::string::npos) << r.output;
  EXPECT_NE(line.find("Blankevoort1991Ligament"), std::string::npos) << r.output;
}

TEST(Cli, MissingMeshIsOnlyAWarning) {
  // The shipped model names .vtp meshes that are not shipped: loading must still succeed.
  const RunResult r = run_cli("inspect " + default_model());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  // One summary line, not one per mesh, naming the first with its line.
  EXPECT_NE(r.output.find("mesh files not found, the first:"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("warning", r.output.find("mesh files not found") + 1), std::string::npos)
      << r.output;
}

TEST(Cli, TheBuiltInGlutelabModelIsNamedGlutelab) {
  const RunResult r = run_cli("inspect glutelab");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("model glutelab"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("quad_fem_r"), std::string::npos) << r.output;
}

TEST(Cli, NaNInMotionNamesLineAndColumn) {
  const auto dir = test::temp_dir("cli_nan");
  write_file(dir / "nan.mot",
             "Coordinates\nversion=1\nnRows=2\nnColumns=3\ninDegrees=yes\nendheader\n"
             "time\thip_flexion_r\tknee_angle_r\n0.0\t10\t-5\n0.01\tnan\t-6\n");
  const RunResult r = run_cli("muscle-analysis " + default_model() + " " + (dir / "nan.mot").string() +
                              " --out " + (dir / "out").string());
  EXPECT_NE(r.exit_code, 0);
  const std::string line = error_line(r);
  EXPECT_NE(line.find("nan.mot:9:"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "out" / "Length.sto")) << "no output from bad input";
}

TEST(Cli, MotionWhoseColumnsMatchNoCoordinateIsRejected) {
  const auto dir = test::temp_dir("cli_cols");
  write_file(dir / "wrong.mot",
             "Coordinates\nversion=1\nnRows=2\nnColumns=3\ninDegrees=yes\nendheader\n"
             "time\telbow_flexion\tshoulder_elev\n0.0\t10\t-5\n0.01\t11\t-6\n");
  const RunResult r = run_cli("muscle-analysis " + default_model() + " " + (dir / "wrong.mot").string() +
                              " --out " + (dir / "out").string());
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(error_line(r).find("wrong.mot"), std::string::npos) << r.output;
}

TEST(Cli, EmptyFilesAreRejected) {
  const auto dir = test::temp_dir("cli_empty");
  write_file(dir / "empty.osim", "");
  write_file(dir / "empty.mot", "");
  RunResult r = run_cli("inspect " + (dir / "empty.osim").string());
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(error_line(r).find("empty.osim"), std::string::npos) << r.output;
  r = run_cli("muscle-analysis " + default_model() + " " + (dir / "empty.mot").string() + " --out " +
              (dir / "o").string());
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(error_line(r).find("empty.mot"), std::string::npos) << r.output;
}

TEST(Cli, HugeFilesAreRejectedBeforeReading) {
  const auto dir = test::temp_dir("cli_huge");
  for (const std::string name : {"huge.osim", "huge.mot"}) {
    { std::ofstream(dir / name) << "x"; }
    std::filesystem::resize_file(dir / name, std::uintmax_t{3} << 30);  // sparse 3 GiB
  }
  RunResult r = run_cli("inspect " + (dir / "huge.osim").string());
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(error_line(r).find("huge.osim"), std::string::npos) << r.output;
  r = run_cli("muscle-analysis " + default_model() + " " + (dir / "huge.mot").string() + " --out " +
              (dir / "o").string());
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(error_line(r).find("huge.mot"), std::string::npos) << r.output;
  std::filesystem::remove_all(dir);
}

TEST(Cli, MissingFileIsNamed) {
  const RunResult r = run_cli("inspect /nonexistent/model.osim");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(error_line(r).find("/nonexistent/model.osim"), std::string::npos) << r.output;
}

// A scratch copy of an OpenSim case: the setup file copied, the data files it names linked, so that
// the tool's outputs land in a temporary folder and ../shared is never written.
std::filesystem::path stage_case(const std::string& tag, const std::filesystem::path& setup,
                                 const std::vector<std::pair<std::string, std::filesystem::path>>& links) {
  const auto dir = test::temp_dir(tag);
  std::filesystem::copy_file(setup, dir / setup.filename());
  for (const auto& [name, target] : links) std::filesystem::create_symlink(target, dir / name);
  return dir / setup.filename();
}

// Per coordinate: RMS difference from OpenSim's output, relative to that coordinate's peak.
void expect_matches_opensim_id(const std::filesystem::path& ours_file, const std::filesystem::path& ref_file,
                               double max_relative_rms) {
  const TimeTable ours = read_storage(ours_file);
  const TimeTable ref = read_storage(ref_file);
  ASSERT_EQ(ours.rows(), ref.rows());
  ASSERT_EQ(ours.labels, ref.labels) << "same columns in the same order";
  for (int r = 0; r < ref.rows(); ++r) ASSERT_NEAR(ours.time_s[r], ref.time_s[r], 1e-7) << "row " << r;
  double worst = 0.0;
  std::string worst_label;
  for (std::size_t c = 0; c < ref.labels.size(); ++c) {
    const Eigen::VectorXd d =
        ours.values.col(static_cast<Eigen::Index>(c)) - ref.values.col(static_cast<Eigen::Index>(c));
    const double peak = std::max(1e-9, ref.values.col(static_cast<Eigen::Index>(c)).cwiseAbs().maxCoeff());
    const double rel = std::sqrt(d.squaredNorm() / static_cast<double>(d.size())) / peak;
    if (rel > worst) {
      worst = rel;
      worst_label = ref.labels[c];
    }
  }
  std::printf("%s: worst RMS difference %.3g of peak (%s)\n", ours_file.filename().string().c_str(), worst,
              worst_label.c_str());
  EXPECT_LT(worst, max_relative_rms) << worst_label;
}

TEST(CliRun, InverseDynamicsSetupOfTheGait2392PipelineMatchesOpenSim46) {
  const auto pipeline = test::shared_data("opensim-models/Pipelines/Gait2392_Simbody");
  const auto setup =
      stage_case("id_pipeline", pipeline / "subject01_Setup_InverseDynamics.xml",
                 {{"subject01_simbody.osim", pipeline / "OutputReference/subject01_simbody.osim"},
                  {"subject01_walk1_ik.mot", pipeline / "subject01_walk1_ik.mot"},
                  {"subject01_walk1_grf.xml", pipeline / "subject01_walk1_grf.xml"},
                  {"subject01_walk1_grf.mot", pipeline / "subject01_walk1_grf.mot"}});
  const RunResult r = run_cli("run " + setup.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("frames/s"), std::string::npos) << r.output;
  // Written where the setup says: results_directory/output_gen_force_file, next to the setup.
  const auto out = setup.parent_path() / "ResultsInverseDynamics/InverseDynamicsOutput.sto";
  ASSERT_TRUE(std::filesystem::exists(out)) << r.output;
  expect_matches_opensim_id(
      out,
      test::shared_data("opensim-models/reference-opensim-4.6/gait2392_pipeline_inverse_dynamics/"
                        "InverseDynamicsOutput.sto"),
      0.02);
}

TEST(CliRun, UnfilteredInverseDynamicsOfTheStaticOptimizationCaseMatchesOpenSim46) {
  const auto tutorial = test::shared_data("opensim-models/Tutorials/Estimating_Joint_Reaction_Loads");
  const auto ref_dir =
      test::shared_data("opensim-models/reference-opensim-4.6/gait2392_walk_inverse_dynamics");
  const auto setup = stage_case(
      "id_walk", ref_dir / "setup_inverse_dynamics.xml",
      {{"subject01_simbody_adjusted_StaticOp.osim", tutorial / "subject01_simbody_adjusted_StaticOp.osim"},
       {"subject01_walk1_Kinematics.sto", tutorial / "subject01_walk1_Kinematics.sto"},
       {"foot_floor_loads.xml", tutorial / "foot_floor_loads.xml"},
       {"subject01_walk1_grf.mot", tutorial / "subject01_walk1_grf.mot"}});
  const auto results = setup.parent_path() / "elsewhere";
  const RunResult r = run_cli("run " + setup.string() + " --results-dir " + results.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  expect_matches_opensim_id(results / "subject01_walk1_InverseDynamics.sto",
                            ref_dir / "subject01_walk1_InverseDynamics.sto", 0.02);
}

TEST(CliRun, SetupNamingAMissingFileFailsWithItsLine) {
  const auto dir = test::temp_dir("id_missing");
  write_file(
      dir / "setup.xml",
      "<?xml version=\"1.0\"?>\n<OpenSimDocument Version=\"40000\">\n  <InverseDynamicsTool name=\"x\">\n"
      "    <model_file>nowhere.osim</model_file>\n  </InverseDynamicsTool>\n</OpenSimDocument>\n");
  const RunResult r = run_cli("run " + (dir / "setup.xml").string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  const std::string line = error_line(r);
  EXPECT_NE(line.find("setup.xml:4:"), std::string::npos) << r.output;
  EXPECT_NE(line.find("nowhere.osim"), std::string::npos) << r.output;
}

TEST(CliRun, ExternalLoadsNamingAnUnknownBodyFailWithTheLine) {
  const auto tutorial = test::shared_data("opensim-models/Tutorials/Estimating_Joint_Reaction_Loads");
  const auto dir = test::temp_dir("id_unknown_body");
  std::ifstream in(tutorial / "foot_floor_loads.xml");
  std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto at = xml.find("calcn_r");
  ASSERT_NE(at, std::string::npos);
  xml.replace(at, 7, "hoof_r");
  const int line_no =
      1 + static_cast<int>(std::count(xml.begin(), xml.begin() + static_cast<long>(at), '\n'));
  write_file(dir / "loads.xml", xml);
  std::filesystem::create_symlink(tutorial / "subject01_walk1_grf.mot", dir / "subject01_walk1_grf.mot");
  const RunResult r =
      run_cli("inverse-dynamics " + (tutorial / "subject01_simbody_adjusted_StaticOp.osim").string() + " " +
              (tutorial / "subject01_walk1_Kinematics.sto").string() + " -e " + (dir / "loads.xml").string() +
              " -o " + (dir / "id.sto").string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  const std::string line = error_line(r);
  EXPECT_NE(line.find("loads.xml:" + std::to_string(line_no)), std::string::npos) << r.output;
  EXPECT_NE(line.find("hoof_r"), std::string::npos) << r.output;
}

TEST(CliRun, MotionShorterThanTheFilterNeedsIsRejected) {
  // Every coordinate present, but only three samples: too few for the filter and the splines.
  TimeTable table = read_storage(test::project_data("motions/gait2392_subject01_walk1_ik.mot"));
  table.time_s.resize(3);
  table.values.conservativeResize(3, Eigen::NoChange);
  const auto dir = test::temp_dir("id_short");
  write_storage(dir / "short.mot", table);
  const RunResult r = run_cli("inverse-dynamics " + default_model() + " " + (dir / "short.mot").string() +
                              " --cutoff 6 -o " + (dir / "id.sto").string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  const std::string line = error_line(r);
  EXPECT_NE(line.find("short.mot"), std::string::npos) << r.output;
  EXPECT_NE(line.find("samples"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "id.sto"));
}

std::filesystem::path stage_joint_reaction_case(const std::string& tag) {
  const auto tutorial = test::shared_data("opensim-models/Tutorials/Estimating_Joint_Reaction_Loads");
  const auto setup = stage_case(
      tag, tutorial / "setup_static_optimization.xml",
      {{"subject01_simbody_adjusted.osim", tutorial / "subject01_simbody_adjusted_StaticOp.osim"},
       {"subject01_walk1_Kinematics.sto", tutorial / "subject01_walk1_Kinematics.sto"},
       {"foot_floor_loads.xml", tutorial / "foot_floor_loads.xml"},
       {"subject01_walk1_grf.mot", tutorial / "subject01_walk1_grf.mot"},
       {"gait2392_SO_weak_Residual_Actuators.xml", tutorial / "gait2392_SO_weak_Residual_Actuators.xml"}});
  std::filesystem::copy_file(tutorial / "setup_JointReaction.xml",
                             setup.parent_path() / "setup_JointReaction.xml");
  return setup;
}

TEST(CliRun, AnalyzeToolSetupsRunStaticOptimizationThenJointReactionWithOpenSimsFileNames) {
  const auto setup = stage_joint_reaction_case("so_jr");
  const auto dir = setup.parent_path();
  RunResult r = run_cli("run " + setup.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto results = dir / "ResultsStaticOptimization";
  const TimeTable activation = read_storage(results / "subject01_StaticOptimization_activation.sto");
  const TimeTable force = read_storage(results / "subject01_StaticOptimization_force.sto");
  EXPECT_EQ(activation.name, "Static Optimization");
  EXPECT_EQ(activation.rows(), 151);
  EXPECT_EQ(activation.labels.size(), 92u + 6u) << "92 muscles and the 6 residual actuators";
  EXPECT_EQ(activation.labels.front(), "glut_med1_r");
  EXPECT_TRUE(activation.values.allFinite());
  EXPECT_TRUE(force.values.allFinite());
  // The joint reaction setup reads the forces the first run wrote (its path uses a Windows separator).
  r = run_cli("run " + (dir / "setup_JointReaction.xml").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const TimeTable jr = read_storage(results / "subject01_JointReaction_ReactionLoads.sto");
  EXPECT_EQ(jr.name, "Joint Reaction Loads");
  ASSERT_EQ(jr.labels.size(), 27u);
  EXPECT_EQ(jr.labels[0], "ground_pelvis_on_pelvis_in_ground_fx");
  EXPECT_EQ(jr.labels[9], "hip_r_on_femur_r_in_femur_r_fx");
  EXPECT_EQ(jr.labels[18], "hip_r_on_pelvis_in_femur_r_fx")
      << "OpenSim 4.2 reference column: child means the child body";
  EXPECT_TRUE(jr.values.allFinite());
}

TEST(CliRun, StaticOptimizationWithoutReservesNamesTheFramesItCannotBalance) {
  const auto tutorial = test::shared_data("opensim-models/Tutorials/Estimating_Joint_Reaction_Loads");
  const auto dir = test::temp_dir("so_infeasible");
  const RunResult r = run_cli(
      "static-optimization " + (tutorial / "subject01_simbody_adjusted_StaticOp.osim").string() + " " +
      (tutorial / "subject01_walk1_Kinematics.sto").string() + " -e " +
      (tutorial / "foot_floor_loads.xml").string() + " --start 0.5 --end 0.7 --step 10 -o " + dir.string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  const std::string line = error_line(r);
  EXPECT_NE(line.find("cannot be balanced"), std::string::npos) << r.output;
  EXPECT_NE(line.find("--actuators"), std::string::npos) << r.output;
  // The outputs exist and hold numbers, never NaN.
  const TimeTable activation = read_storage(dir / "StaticOptimization_activation.sto");
  EXPECT_TRUE(activation.values.allFinite());
  const auto summary = nlohmann::json::parse(std::ifstream(dir / "summary.json"));
  EXPECT_GT(summary.at("infeasible_frames").get<int>(), 0);
}

TEST(CliRun, JointReactionReportsTheHipContactForceWithAPlot) {
  const auto tutorial = test::shared_data("opensim-models/Tutorials/Estimating_Joint_Reaction_Loads");
  const auto dir = test::temp_dir("jr_hip");
  const RunResult r = run_cli(
      "joint-reaction " + (tutorial / "subject01_simbody_adjusted_StaticOp.osim").string() + " " +
      (tutorial / "subject01_walk1_Kinematics.sto").string() + " -e " +
      (tutorial / "foot_floor_loads.xml").string() + " -a " +
      (tutorial / "gait2392_SO_weak_Residual_Actuators.xml").string() +
      " --start 0.5 --end 1.999 --step 10 --joints hip_r hip_l --on child --in child -o " + dir.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("hip_r contact force: peak"), std::string::npos) << r.output;
  const TimeTable hip = read_storage(dir / "hip_r_contact_force.sto");
  const int bw = hip.column("magnitude_BW");
  ASSERT_GE(bw, 0);
  EXPECT_GT(hip.values.col(bw).maxCoeff(), 2.0);
  EXPECT_LT(hip.values.col(bw).maxCoeff(), 5.0);
  std::ifstream svg(dir / "hip_contact_force.svg");
  std::string text((std::istreambuf_iterator<char>(svg)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("<svg"), std::string::npos);
  EXPECT_NE(text.find("hip_r (BW)"), std::string::npos);
}

TEST(CliRun, MotionMissingACoordinateIsRejectedByTheDynamicsTools) {
  const auto tutorial = test::shared_data("opensim-models/Tutorials/Estimating_Joint_Reaction_Loads");
  const TimeTable full = read_storage(tutorial / "subject01_walk1_Kinematics.sto");
  TimeTable cut = full;
  const int knee = full.column("knee_angle_r");
  ASSERT_GE(knee, 0);
  cut.labels.erase(cut.labels.begin() + knee);
  Eigen::MatrixXd values(full.values.rows(), full.values.cols() - 1);
  values << full.values.leftCols(knee), full.values.rightCols(full.values.cols() - knee - 1);
  cut.values = values;
  const auto dir = test::temp_dir("missing_coordinate");
  write_storage(dir / "no_knee.sto", cut);
  for (const std::string cmd : {"inverse-dynamics", "static-optimization"}) {
    const RunResult r = run_cli(cmd + " " + (tutorial / "subject01_simbody_adjusted_StaticOp.osim").string() +
                                " " + (dir / "no_knee.sto").string() + " -o " + (dir / cmd).string());
    EXPECT_EQ(r.exit_code, 2) << cmd << ": " << r.output;
    const std::string line = error_line(r);
    EXPECT_NE(line.find("no_knee.sto"), std::string::npos) << r.output;
    EXPECT_NE(line.find("knee_angle_r"), std::string::npos) << r.output;
  }
}

TEST(CliRun, BenchReportsThroughputAndFlatMemory) {
  const auto dir = test::temp_dir("bench");
  // The exercise-library timing (seconds of work) is left to bench/ and `glutelab bench` by hand.
  const RunResult r =
      run_cli("bench --repeats 1 --no-exercises --json --json-file " + (dir / "bench.json").string(), false);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(std::ifstream(dir / "bench.json"));
  EXPECT_EQ(nlohmann::json::parse(r.output), j) << "--json prints what --json-file writes";
  EXPECT_FALSE(j.contains("exercise_library_seconds"));
  EXPECT_GT(j.at("inverse_dynamics_frames_per_second").at("1").get<double>(), 0.0);
  EXPECT_GT(j.at("static_optimization_frames_per_second").at("1").get<double>(), 0.0);
  const auto rss = j.at("peak_rss_mib_after_each_trial").get<std::vector<double>>();
  ASSERT_EQ(rss.size(), 5u);
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer keeps freed memory in quarantine, so peak RSS grows by design: the flat-memory
  // check is made in the Release build.
  GTEST_SKIP() << "peak memory is not meaningful under AddressSanitizer";
#endif
  EXPECT_LE(rss.back(), rss.front() * 1.05 + 1.0) << "memory must not grow from trial to trial";
}

}  // namespace
}  // namespace glutelab
