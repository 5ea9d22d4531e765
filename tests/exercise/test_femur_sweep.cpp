// Femur length sweep: a 3-ratio back squat sweep converges with finite values and moves the hip/knee
// work split; impossible ratios give a clear error.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "glutelab/exercise/femur_sweep.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

const Model& model() {
  static const Model m = read_osim(test::project_data("models/glutelab.osim"));
  return m;
}

BodyDescription body() {
  BodyDescription b;
  b.height_m = 1.78;
  b.mass_kg = 75.0;
  b.sex = Sex::Male;
  return b;
}

TEST(FemurSweep, BackSquatThreeRatios) {
  ExerciseParameters p;
  p.frames_per_rep = 40;
  const FemurSweepResult r = femur_length_sweep(model(), body(), {"back_squat"}, {0.9, 1.05, 1.2}, p);
  ASSERT_EQ(r.points.size(), 3u);
  std::printf("femur sweep, back squat (1.78 m, 75 kg, no load, 40 frames): %.2f s\n", r.seconds);
  std::printf("%6s %7s %6s %8s %8s %6s %5s %5s %5s %5s %6s %6s\n", "ratio", "thigh", "lean", "hip Nm",
              "knee Nm", "h/k", "hip", "knee", "ankle", "back", "glmax", "quads");
  for (const FemurSweepPoint& q : r.points) {
    std::printf("%6.2f %7.3f %6.1f %8.1f %8.1f %6.2f %5.2f %5.2f %5.2f %5.2f %6.3f %6.3f\n",
                q.thigh_to_shank_ratio, q.thigh_length_m, q.peak_trunk_lean_deg,
                q.peak_hip_extension_moment_nm, q.peak_knee_extension_moment_nm, q.hip_to_knee_moment_ratio,
                q.hip_work_share, q.knee_work_share, q.ankle_work_share, q.lower_back_work_share,
                q.gluteus_maximus_mean_activation, q.quadriceps_mean_activation);
    EXPECT_EQ(q.converged_frames, q.frames);
    EXPECT_GT(q.frames, 0);
    for (double v :
         {q.peak_trunk_lean_deg, q.peak_hip_extension_moment_nm, q.peak_knee_extension_moment_nm,
          q.hip_to_knee_moment_ratio, q.hip_work_share, q.knee_work_share, q.ankle_work_share,
          q.lower_back_work_share, q.gluteus_maximus_mean_activation, q.quadriceps_mean_activation})
      EXPECT_TRUE(std::isfinite(v));
    EXPECT_NEAR(q.hip_work_share + q.knee_work_share + q.ankle_work_share + q.lower_back_work_share, 1.0,
                1e-6);
  }
  const FemurSweepPoint& shortest = r.at(0, 0);
  const FemurSweepPoint& longest = r.at(0, 2);
  EXPECT_GT(longest.thigh_length_m, shortest.thigh_length_m);
  const double split_short = shortest.hip_work_share - shortest.knee_work_share;
  const double split_long = longest.hip_work_share - longest.knee_work_share;
  std::printf(
      "hip minus knee work share: %.3f at ratio %.2f, %.3f at ratio %.2f: the longer thigh shifts "
      "work towards the %s\n",
      split_short, shortest.thigh_to_shank_ratio, split_long, longest.thigh_to_shank_ratio,
      split_long > split_short ? "hip" : "knee");
  EXPECT_GT(std::abs(split_long - split_short), 1e-3);
}

TEST(FemurSweep, BadRatios) {
  for (double bad : {0.0, -1.0, 3.0, std::nan("")}) {
    try {
      (void)femur_length_sweep(model(), body(), {"back_squat"}, {1.0, bad});
      ADD_FAILURE() << "ratio " << bad << " accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("thigh-to-shank ratio"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW((void)femur_length_sweep(model(), body(), {"back_squat"}, {}), std::invalid_argument);
  EXPECT_THROW((void)femur_length_sweep(model(), body(), {"bak_squat"}, {1.0}), std::invalid_argument);
}

// A thigh too long for the squat's full depth (the hip would pass its 120 deg range) is kept in the sweep
// with the reason and no figures; the other ratios are analysed.
TEST(FemurSweep, APointTheBodyCannotDoIsReportedNotThrown) {
  ExerciseParameters p;
  p.frames_per_rep = 30;
  const FemurSweepResult r = femur_length_sweep(model(), body(), {"back_squat"}, {1.0, 1.3}, p);
  ASSERT_EQ(r.points.size(), 2u);
  EXPECT_TRUE(r.at(0, 0).error.empty()) << r.at(0, 0).error;
  EXPECT_EQ(r.at(0, 0).converged_frames, 30);
  EXPECT_NE(r.at(0, 1).error.find("hip_flexion"), std::string::npos) << r.at(0, 1).error;
  EXPECT_TRUE(std::isnan(r.at(0, 1).hip_work_share));
  EXPECT_EQ(r.at(0, 1).frames, 0);
}

}  // namespace
}  // namespace glutelab
