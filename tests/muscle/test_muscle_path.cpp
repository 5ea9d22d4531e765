// Muscle paths: moment arms against finite differences of length, and the gait2392 walk against
// OpenSim 4.6's MuscleAnalysis reference.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "glutelab/analysis/muscle_analysis.hpp"
#include "glutelab/io/motion.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "glutelab/io/storage.hpp"
#include "glutelab/kinematics/kinematics.hpp"
#include "glutelab/muscle/muscle_path.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

Model load_or_skip(const std::string& relative) {
  const auto path = test::shared_data(relative);
  if (!std::filesystem::exists(path)) throw std::runtime_error("missing shared model " + path.string());
  return read_osim(path);
}

double length_at(const Model& model, State& s, PathWorkspace& ws, int muscle) {
  compute_positions(model, s);
  return path_length(model, s, muscle, ws);
}

struct SweepStats {
  int compared = 0;
  int skipped_nonsmooth = 0;
  double worst_error_m = 0.0;
  std::string worst;
};

// For every muscle and spanned coordinate, sweep the coordinate over its range (others at default)
// and compare the moment arm with minus the central finite difference of length.
SweepStats sweep_moment_arms_against_finite_differences(const Model& model, int samples_per_range) {
  State s(model), probe(model);
  PathWorkspace ws(model), ws_probe(model);
  Eigen::VectorXd ma(model.num_coordinates());
  SweepStats stats;
  for (std::size_t m = 0; m < model.muscles.size(); ++m) {
    for (int c : model.muscles[m].path.spanned_coordinates) {
      const Coordinate& coord = model.coordinates[c];
      const double lo = std::max(coord.range_min, -3.0), hi = std::min(coord.range_max, 3.0);
      for (int k = 0; k < samples_per_range; ++k) {
        set_default_coordinates(model, s);
        // Stay 1 % inside the range so that the finite-difference stencil stays in range too.
        s.q[c] = lo + (hi - lo) * (0.01 + 0.98 * k / (samples_per_range - 1));
        compute_positions(model, s);
        compute_jacobians(model, s);
        moment_arms(model, s, static_cast<int>(m), ws, ma);
        auto fd = [&](double h) {
          probe.q = s.q;
          probe.q[c] = s.q[c] + h;
          const double lp = length_at(model, probe, ws_probe, static_cast<int>(m));
          probe.q = s.q;
          probe.q[c] = s.q[c] - h;
          const double lm = length_at(model, probe, ws_probe, static_cast<int>(m));
          return -(lp - lm) / (2 * h);
        };
        const double h = coord.motion_type == MotionType::Translational ? 1e-6 : 1e-6;
        const double fd1 = fd(h), fd2 = fd(4 * h);
        // Where the path is not smooth within the stencil (a conditional point or wrap switching),
        // the two step sizes disagree; such points are counted, not compared.
        if (std::abs(fd1 - fd2) > 1e-6) {
          ++stats.skipped_nonsmooth;
          continue;
        }
        ++stats.compared;
        const double err = std::abs(ma[c] - fd1);
        if (err > stats.worst_error_m) {
          stats.worst_error_m = err;
          stats.worst = model.muscles[m].name + " about " + coord.name + " at " + std::to_string(s.q[c]);
        }
      }
    }
  }
  return stats;
}

TEST(MusclePath, Gait2392MomentArmsEqualFiniteDifferencesOverEveryRange) {
  const Model model = load_or_skip("opensim-models/Models/Gait2392_Simbody/gait2392_millard2012muscle.osim");
  const SweepStats stats = sweep_moment_arms_against_finite_differences(model, 9);
  EXPECT_GT(stats.compared, 1000);
  EXPECT_LT(stats.skipped_nonsmooth, stats.compared / 50) << "too many non-smooth samples";
  EXPECT_LT(stats.worst_error_m, 1e-6) << stats.worst;
}

TEST(MusclePath, RajagopalWrappingMomentArmsEqualFiniteDifferencesOverEveryRange) {
  const Model model = load_or_skip("opensim-models/Models/Rajagopal/Rajagopal2016.osim");
  const SweepStats stats = sweep_moment_arms_against_finite_differences(model, 9);
  std::printf("Rajagopal2016: %d compared, %d non-smooth skipped, worst %.3g m\n", stats.compared,
              stats.skipped_nonsmooth, stats.worst_error_m);
  EXPECT_GT(stats.compared, 1000);
  EXPECT_LT(stats.skipped_nonsmooth, stats.compared / 20) << "too many non-smooth samples";
  EXPECT_LT(stats.worst_error_m, 1e-6) << stats.worst;
}

TEST(MusclePath, LaiUhlrichDeepSquatMomentArmsEqualFiniteDifferences) {
  const Model model = load_or_skip("opensim-models/Models/Rajagopal/RajagopalLaiUhlrich2023.osim");
  const SweepStats stats = sweep_moment_arms_against_finite_differences(model, 7);
  std::printf("RajagopalLaiUhlrich2023: %d compared, %d non-smooth skipped, worst %.3g m\n", stats.compared,
              stats.skipped_nonsmooth, stats.worst_error_m);
  EXPECT_GT(stats.compared, 500);
  EXPECT_LT(stats.skipped_nonsmooth, stats.compared / 20) << "too many non-smooth samples";
  EXPECT_LT(stats.worst_error_m, 1e-6) << stats.worst;
}

// Moment arms against finite differences along a recorded motion (every `stride`-th frame): every
// muscle, every spanned coordinate, at the recorded pose.
SweepStats moment_arms_along_motion(const Model& model, const Motion& motion, int stride) {
  State s(model), probe(model);
  PathWorkspace ws(model), ws_probe(model);
  Eigen::VectorXd ma(model.num_coordinates());
  SweepStats stats;
  for (int f = 0; f < motion.frames(); f += stride) {
    s.q = motion.q.row(f).transpose();
    compute_positions(model, s);
    compute_jacobians(model, s);
    for (std::size_t m = 0; m < model.muscles.size(); ++m) {
      moment_arms(model, s, static_cast<int>(m), ws, ma);
      for (int c : model.muscles[m].path.spanned_coordinates) {
        auto fd = [&](double h) {
          probe.q = s.q;
          probe.q[c] += h;
          const double lp = length_at(model, probe, ws_probe, static_cast<int>(m));
          probe.q = s.q;
          probe.q[c] -= h;
          const double lm = length_at(model, probe, ws_probe, static_cast<int>(m));
          return -(lp - lm) / (2 * h);
        };
        const double fd1 = fd(1e-6), fd2 = fd(4e-6);
        if (std::abs(fd1 - fd2) > 1e-6) {
          ++stats.skipped_nonsmooth;
          continue;
        }
        ++stats.compared;
        const double err = std::abs(ma[c] - fd1);
        if (err > stats.worst_error_m) {
          stats.worst_error_m = err;
          stats.worst = model.muscles[m].name + " about " + model.coordinates[c].name + " at frame " +
                        std::to_string(f);
        }
      }
    }
  }
  return stats;
}

TEST(MusclePath, OpenCapDeepSquatMomentArmsEqualFiniteDifferencesAlongTheMotion) {
  const Model model = load_or_skip("opencap/Moco/models/LaiArnoldModified2017_contacts.osim");
  const Motion motion =
      read_motion(model, test::shared_data("opencap/Moco/exampleSquat/squats1_videoAndMocap.mot"));
  // The squat reaches deep hip flexion: the wraps around the hip and knee are exercised.
  const int hip = model.coordinate_index("hip_flexion_r");
  ASSERT_GE(hip, 0);
  EXPECT_GT(motion.q.col(hip).maxCoeff(), 100.0 * 3.14159265358979 / 180.0);
  const SweepStats stats = moment_arms_along_motion(model, motion, 4);
  std::printf("opencap squat: %d compared, %d non-smooth skipped, worst |MA + dL/dq| %.3g m (%s)\n",
              stats.compared, stats.skipped_nonsmooth, stats.worst_error_m, stats.worst.c_str());
  EXPECT_GT(stats.compared, 5000);
  EXPECT_LT(stats.skipped_nonsmooth, stats.compared / 50) << "too many non-smooth samples";
  EXPECT_LT(stats.worst_error_m, 1e-6) << stats.worst;
}

double rms(const Eigen::VectorXd& v) {
  return std::sqrt(v.squaredNorm() / std::max<Eigen::Index>(1, v.size()));
}

TEST(MusclePath, Gait2392WalkMatchesOpenSimMuscleAnalysis) {
  const std::string ref_dir = "opensim-models/reference-opensim-4.6/gait2392_walk_muscle_analysis/";
  const Model model =
      load_or_skip("opensim-models/Pipelines/Gait2392_Simbody/OutputReference/subject01_simbody.osim");
  const Motion full = read_motion(
      model, test::shared_data("opensim-models/Pipelines/Gait2392_Simbody/subject01_walk1_ik.mot"));
  const TimeTable ref_length = read_storage(test::shared_data(ref_dir + "walk_MuscleAnalysis_Length.sto"));
  // Same frames as the reference (t = 0.5 .. 1.6 s).
  Motion motion;
  motion.from_file = full.from_file;
  std::vector<int> rows;
  for (int f = 0; f < full.frames(); ++f)
    if (full.time_s[f] >= 0.5 - 1e-9 && full.time_s[f] <= 1.6 + 1e-9) rows.push_back(f);
  ASSERT_EQ(static_cast<int>(rows.size()), ref_length.rows());
  motion.q.resize(static_cast<Eigen::Index>(rows.size()), full.q.cols());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    motion.time_s.push_back(full.time_s[rows[i]]);
    motion.q.row(static_cast<Eigen::Index>(i)) = full.q.row(rows[i]);
    ASSERT_NEAR(motion.time_s.back(), ref_length.time_s[i], 1e-6);
  }
  MuscleAnalysisOptions options;
  options.threads = 1;
  const MuscleAnalysisResult result = muscle_analysis(model, motion, options);

  double worst_length = 0.0;
  std::string worst_length_muscle;
  for (std::size_t m = 0; m < model.muscles.size(); ++m) {
    const int col = ref_length.column(model.muscles[m].name);
    ASSERT_GE(col, 0) << model.muscles[m].name;
    const double e = rms(result.length_m.col(static_cast<Eigen::Index>(m)) - ref_length.values.col(col));
    if (e > worst_length) {
      worst_length = e;
      worst_length_muscle = model.muscles[m].name;
    }
  }
  EXPECT_LT(worst_length, 1e-4) << "worst length RMS " << worst_length << " m for " << worst_length_muscle;

  int compared = 0;
  double worst_ma = 0.0;
  std::string worst_ma_where;
  for (int c = 0; c < model.num_coordinates(); ++c) {
    const std::string cname = model.coordinates[c].name;
    const TimeTable ref =
        read_storage(test::shared_data(ref_dir + "walk_MuscleAnalysis_MomentArm_" + cname + ".sto"));
    const auto it = std::find(result.coordinates.begin(), result.coordinates.end(), c);
    for (std::size_t m = 0; m < model.muscles.size(); ++m) {
      const int col = ref.column(model.muscles[m].name);
      ASSERT_GE(col, 0);
      Eigen::VectorXd ours = Eigen::VectorXd::Zero(ref.rows());
      if (it != result.coordinates.end())
        ours = result.moment_arm_m[static_cast<std::size_t>(it - result.coordinates.begin())].col(
            static_cast<Eigen::Index>(m));
      const double e = rms(ours - ref.values.col(col));
      ++compared;
      if (e > worst_ma) {
        worst_ma = e;
        worst_ma_where = model.muscles[m].name + " about " + cname;
      }
    }
  }
  EXPECT_EQ(compared, 92 * 23);
  std::printf(
      "gait2392 walk vs OpenSim 4.6: worst length RMS %.3g m (%s), worst moment-arm RMS %.3g m (%s)\n",
      worst_length, worst_length_muscle.c_str(), worst_ma, worst_ma_where.c_str());
  EXPECT_LT(worst_ma, 5e-4) << "worst moment-arm RMS " << worst_ma << " m for " << worst_ma_where;
}

}  // namespace
}  // namespace glutelab
