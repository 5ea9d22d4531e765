// Recorded motions through the exercise pipeline: ground reactions estimated from the motion against
// force plates (walking, running), the OpenCap squat and walk through the work analysis, and bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>

#include "glutelab/exercise/recorded_motion.hpp"
#include "glutelab/exercise/work_analysis.hpp"
#include "glutelab/io/external_loads.hpp"
#include "glutelab/io/input_error.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "glutelab/kinematics/kinematics.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

namespace fs = std::filesystem;

#define SKIP_WITHOUT(path)                                                   \
  do {                                                                       \
    if (!fs::exists(path)) GTEST_SKIP() << "shared data absent: " << (path); \
  } while (0)

struct GrfComparison {
  double rms_vertical_bw = 0.0, rms_ap_bw = 0.0, measured_bw_n = 0.0;
  int frames = 0;
  int measured_flight = 0, estimated_flight_of_measured = 0;  // frames with measured F_y < 20 N
  int estimated_flight = 0, measured_flight_of_estimated = 0;
};

// Total measured and estimated ground reaction (both feet) at the motion's frames inside the force
// data's time range; errors in body weights of the measured mean vertical force over the trial.
GrfComparison compare(const Model& model, const RecordedExercise& rec, const fs::path& xml) {
  const ExternalLoads measured = read_external_loads(xml, model);
  const GeneratedExercise& ex = rec.exercise;
  GrfComparison c;
  const double t0 = measured.data.time_s.front(), t1 = measured.data.time_s.back();
  std::vector<Vec3> meas, est;
  for (int f = 0; f < ex.frames(); ++f) {
    const double t = ex.motion.time_s[static_cast<std::size_t>(f)];
    if (t < t0 || t > t1) continue;
    Vec3 m = Vec3::Zero(), e = Vec3::Zero();
    for (const ExternalForce& ef : measured.forces)
      for (int a = 0; a < 3; ++a) m[a] += measured.value(ef.force_columns[static_cast<std::size_t>(a)], t);
    for (const ExerciseLoad& l : ex.loads)
      if (l.active[static_cast<std::size_t>(f)]) e += l.force_n[static_cast<std::size_t>(f)];
    meas.push_back(m);
    est.push_back(e);
    const bool mf = m.y() < 20.0, ef = e.y() == 0.0;
    c.measured_flight += mf;
    c.estimated_flight_of_measured += mf && ef;
    c.estimated_flight += ef;
    c.measured_flight_of_estimated += ef && mf;
  }
  c.frames = static_cast<int>(meas.size());
  for (const Vec3& m : meas) c.measured_bw_n += m.y() / c.frames;
  double sv = 0.0, sa = 0.0;
  for (std::size_t k = 0; k < meas.size(); ++k) {
    sv += std::pow(est[k].y() - meas[k].y(), 2);
    sa += std::pow(est[k].x() - meas[k].x(), 2);
  }
  c.rms_vertical_bw = std::sqrt(sv / c.frames) / c.measured_bw_n;
  c.rms_ap_bw = std::sqrt(sa / c.frames) / c.measured_bw_n;
  return c;
}

// (a) Walking with force plates: OpenSim's Gait2392 subject01 (the leg and pelvis coordinates carry
// the Rajagopal names; the scaled model the IK ran in).
TEST(RecordedMotion, EstimatedWalkingGroundReactionMatchesForcePlates) {
  const fs::path dir = test::shared_data("opensim-models/Pipelines/Gait2392_Simbody");
  SKIP_WITHOUT(dir);
  const Model model = read_osim(dir / "OutputReference/subject01_simbody.osim");
  const RecordedExercise rec = read_recorded_exercise(model, dir / "subject01_walk1_ik.mot");
  EXPECT_FALSE(rec.measured_ground_reactions);
  const GrfComparison c = compare(model, rec, dir / "subject01_walk1_grf.xml");
  std::printf(
      "gait2392 subject01 walk: %d frames, measured mean vertical force %.0f N (model weight %.0f N); "
      "estimated vs measured RMS error: vertical %.3f BW, anteroposterior %.3f BW; flight frames %zu, "
      "no-push frames %zu\n",
      c.frames, c.measured_bw_n, model.total_mass_kg() * 9.80665, c.rms_vertical_bw, c.rms_ap_bw,
      rec.ground.flight_frames.size(), rec.ground.no_push_frames.size());
  ASSERT_GT(c.frames, 50);
  // Walking always has a foot on the ground.
  EXPECT_LT(rec.ground.flight_frames.size(), 3u);
  // Measured 0.042 and 0.023 BW (docs/exercises.md, "Recorded motions"); the bounds leave ~40 % for
  // other filters or platforms. The estimate cannot be exact: the markers are noisy, the 6 Hz filter
  // rounds the heel strikes, and the segment masses are scaled, not measured.
  EXPECT_LT(c.rms_vertical_bw, 0.06);
  EXPECT_LT(c.rms_ap_bw, 0.035);
}

// Running with force plates (Hamner subject02): flight phases get no contact, never a crash.
TEST(RecordedMotion, RunningFlightPhasesHaveNoContact) {
  const fs::path dir = test::shared_data("opensim-models/Pipelines/Hamner");
  SKIP_WITHOUT(dir);
  const Model model = read_osim(dir / "outputReference/subject02_RRA_Adjusted.osim");
  const RecordedExercise rec =
      read_recorded_exercise(model, dir / "outputReference/ResultsIK/subject02_running_ik.mot");
  const GrfComparison c = compare(model, rec, dir / "External_Loads.xml");
  std::printf(
      "hamner subject02 run: %d frames, measured mean vertical force %.0f N (model weight %.0f N); RMS "
      "error vertical %.3f BW, anteroposterior %.3f BW; measured flight frames %d, of which estimated "
      "without contact %d; estimated without contact %d, of which measured flight %d (flight %zu, "
      "no-push %zu)\n",
      c.frames, c.measured_bw_n, model.total_mass_kg() * 9.80665, c.rms_vertical_bw, c.rms_ap_bw,
      c.measured_flight, c.estimated_flight_of_measured, c.estimated_flight, c.measured_flight_of_estimated,
      rec.ground.flight_frames.size(), rec.ground.no_push_frames.size());
  ASSERT_GT(c.measured_flight, 10);
  // Measured 0.151 and 0.087 BW: the 6 Hz filter spreads the impact peaks and the stance edges.
  EXPECT_LT(c.rms_vertical_bw, 0.2);
  EXPECT_LT(c.rms_ap_bw, 0.12);
  EXPECT_FALSE(rec.ground.flight_frames.empty());
  // Most measured flight frames are found as such, and most frames said to be in flight are.
  EXPECT_GT(c.estimated_flight_of_measured, c.measured_flight / 2);
  EXPECT_GT(c.measured_flight_of_estimated, c.estimated_flight / 2);
  for (const ExerciseLoad& l : rec.exercise.loads)
    for (int f = 0; f < rec.exercise.frames(); ++f) {
      ASSERT_TRUE(l.force_n[static_cast<std::size_t>(f)].allFinite());
      if (l.active[static_cast<std::size_t>(f)]) {
        EXPECT_GT(l.force_n[static_cast<std::size_t>(f)].y(), 0.0);
      }
    }
}

// The measured reactions can replace the estimate.
TEST(RecordedMotion, MeasuredGroundReactionsReplaceTheEstimate) {
  const fs::path dir = test::shared_data("opensim-models/Pipelines/Gait2392_Simbody");
  SKIP_WITHOUT(dir);
  const Model model = read_osim(dir / "OutputReference/subject01_simbody.osim");
  const RecordedExercise rec =
      read_recorded_exercise(model, dir / "subject01_walk1_ik.mot", {}, dir / "subject01_walk1_grf.xml");
  EXPECT_TRUE(rec.measured_ground_reactions);
  ASSERT_EQ(rec.exercise.loads.size(), 2u);
  const GrfComparison c = compare(model, rec, dir / "subject01_walk1_grf.xml");
  EXPECT_LT(c.rms_vertical_bw, 1e-9);
}

struct OpenCapRun {
  RecordedExercise rec;
  ExerciseWorkReport report;
  double seconds_per_frame = 0.0;
};

OpenCapRun analyse_opencap(const std::string& motion) {
  const Model model = read_osim(test::shared_data("opencap/Moco/models/LaiArnoldModified2017_contacts.osim"));
  OpenCapRun r;
  r.rec = read_recorded_exercise(model, test::shared_data(motion));
  const auto t0 = std::chrono::steady_clock::now();
  r.report = analyze_exercise_work(model, r.rec.exercise);
  r.seconds_per_frame =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / r.rec.exercise.frames();
  return r;
}

double median(const Eigen::VectorXd& v) {
  std::vector<double> x(v.data(), v.data() + v.size());
  std::nth_element(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(x.size() / 2), x.end());
  return x[x.size() / 2];
}

void expect_sound(const OpenCapRun& r, const std::string& what) {
  const GeneratedExercise& ex = r.rec.exercise;
  ASSERT_EQ(r.report.frames, ex.frames());
  for (Eigen::Index f = 0; f < r.report.activation.rows(); ++f)
    for (Eigen::Index k = 0; k < r.report.activation.cols(); ++k)
      ASSERT_TRUE(std::isfinite(r.report.activation(f, k))) << what << " frame " << f;
  const double g = 9.80665, weight = ex.body_mass_kg * g;
  int statics = 0;
  double worst = 0.0;
  for (int f = 0; f < ex.frames(); ++f) {
    if (!ex.static_frame[static_cast<std::size_t>(f)]) continue;
    ++statics;
    double fy = 0.0;
    for (const ExerciseLoad& l : ex.loads)
      if (l.active[static_cast<std::size_t>(f)]) fy += l.force_n[static_cast<std::size_t>(f)].y();
    worst = std::max(worst, std::abs(fy - weight) / weight);
    // A body still for 0.2 s has a small acceleration: the reactions carry its weight.
    EXPECT_NEAR(fy, weight, 0.05 * weight) << what << " static frame " << f;
  }
  // Impulse and momentum: over the recording the mean vertical reaction is the weight plus the change
  // of vertical momentum over the duration (the recordings start and end nearly still).
  double mean_fy = 0.0;
  for (int f = 0; f < ex.frames(); ++f)
    for (const ExerciseLoad& l : ex.loads)
      if (l.active[static_cast<std::size_t>(f)])
        mean_fy += l.force_n[static_cast<std::size_t>(f)].y() / ex.frames();
  std::printf("%s: %d static frames, worst vertical reaction error %.3f BW; mean vertical reaction %.3f BW\n",
              what.c_str(), statics, worst, mean_fy / weight);
  EXPECT_NEAR(mean_fy, weight, 0.03 * weight) << what;
}

// (b) The OpenCap squat and walk (no force plates) through the work analysis.
TEST(RecordedMotion, OpenCapSquatThroughTheWorkAnalysis) {
  SKIP_WITHOUT(test::shared_data("opencap/Moco/exampleSquat/squats1_videoAndMocap.mot"));
  const OpenCapRun r = analyse_opencap("opencap/Moco/exampleSquat/squats1_videoAndMocap.mot");
  expect_sound(r, "opencap squat");
  const ExerciseWorkReport& w = r.report;
  std::printf(
      "opencap squat: %d frames, %d converged, %.2f ms per frame; peak hip contact %.2f BW at %.2f s, median "
      "%.2f BW; hip extension: "
      "glmax1-3 %.0f%% %.0f%% %.0f%%, hamstrings %.0f%%, adductor magnus %.0f%%, reserve %.0f%%; gluteus "
      "maximus mean activation %.3f; work hip %.0f%% knee %.0f%% ankle %.0f%%; flight frames %zu\n",
      w.frames, w.converged_frames, 1e3 * r.seconds_per_frame, w.peak_hip_contact_bw,
      w.peak_hip_contact_time_s, median(w.hip_contact_bw), 100 * w.hip_extension.share_of("glmax1"),
      100 * w.hip_extension.share_of("glmax2"), 100 * w.hip_extension.share_of("glmax3"),
      100 * w.hip_extension.share_of("hamstrings"), 100 * w.hip_extension.share_of("adductor magnus"),
      100 * w.hip_extension.share_of("reserve"), w.groups[0].mean_activation,
      100 * w.extensor_work[0].fraction, 100 * w.extensor_work[1].fraction, 100 * w.extensor_work[2].fraction,
      r.rec.ground.flight_frames.size());
  EXPECT_TRUE(r.rec.ground.flight_frames.empty());  // both feet stay down in a squat
  EXPECT_GT(w.peak_hip_contact_bw, 1.0);            // the hip carries at least the upper body
  EXPECT_GT(w.hip_extension.frames, 0);
}

TEST(RecordedMotion, OpenCapWalkThroughTheWorkAnalysis) {
  SKIP_WITHOUT(test::shared_data("opencap/Moco/exampleWalking/walking1_videoAndMocap.mot"));
  const OpenCapRun r = analyse_opencap("opencap/Moco/exampleWalking/walking1_videoAndMocap.mot");
  expect_sound(r, "opencap walk");
  std::printf("opencap walk: %d frames, %.2f ms per frame, peak hip contact %.2f BW, flight frames %zu\n",
              r.report.frames, 1e3 * r.seconds_per_frame, r.report.peak_hip_contact_bw,
              r.rec.ground.flight_frames.size());
  EXPECT_LT(r.rec.ground.flight_frames.size(), 3u);
  EXPECT_GT(r.report.peak_hip_contact_bw, 1.0);
}

// A recording of a body standing still: every interior frame is static and the feet carry the weight
// exactly, with the centre of pressure under the centre of mass.
TEST(RecordedMotion, StandingStillCarriesTheWeight) {
  const Model model = read_osim(test::project_data("models/glutelab.osim"));
  State s(model);
  set_default_coordinates(model, s);
  Motion m;
  const int N = 101;
  m.q.resize(N, model.num_coordinates());
  for (int f = 0; f < N; ++f) {
    m.time_s.push_back(0.01 * f);
    m.q.row(f) = s.q.transpose();
  }
  m.from_file.assign(static_cast<std::size_t>(model.num_coordinates()), true);
  const RecordedExercise rec = recorded_exercise(model, m, "still.mot");
  const GeneratedExercise& ex = rec.exercise;
  const double weight = ex.body_mass_kg * -model.gravity.y();
  int statics = 0;
  for (int f = 0; f < N; ++f) {
    const auto fu = static_cast<std::size_t>(f);
    ASSERT_TRUE(ex.loads[0].active[fu] && ex.loads[1].active[fu]) << "frame " << f;
    Vec3 F = Vec3::Zero(), M = Vec3::Zero();
    for (const ExerciseLoad& l : ex.loads) {
      F += l.force_n[fu];
      M += l.point_m[fu].cross(l.force_n[fu]) + l.torque_n_m[fu];
    }
    EXPECT_NEAR(F.y(), weight, 1e-9 * weight);
    // The combined centre of pressure lies under the centre of mass (moment of the weight).
    EXPECT_NEAR(M.z() / F.y(), ex.com_m[fu].x(), 1e-9);
    statics += ex.static_frame[fu];
  }
  EXPECT_GE(statics, N - 25);  // all but ~0.1 s at each end
}

// (c) Bad input names the file and the column.
fs::path write_file(const fs::path& dir, const std::string& name, const std::string& text) {
  const fs::path p = dir / name;
  std::ofstream(p) << text;
  return p;
}

std::string error_of(const Model& model, const fs::path& file) {
  try {
    read_recorded_exercise(model, file);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

TEST(RecordedMotion, BadInputNamesFileAndColumn) {
  const Model model = read_osim(test::project_data("models/glutelab.osim"));
  const fs::path dir = test::temp_dir("recorded_bad");
  const std::string header = "bad\nversion=1\ninDegrees=yes\nendheader\n";
  std::string all = "time";
  const std::vector<std::string> names = RecordedMotionOptions{}.required_coordinates;
  for (const std::string& n : names) all += "\t" + n;
  std::string rows;
  for (int f = 0; f < 20; ++f) {
    rows += "\n" + std::to_string(0.01 * f);
    for (const std::string& n : names) rows += n == "pelvis_ty" ? "\t0.95" : "\t1";
  }
  // Without knee_angle_l.
  std::string no_knee = "time";
  for (const std::string& n : names)
    if (n != "knee_angle_l") no_knee += "\t" + n;
  std::string no_knee_rows;
  for (int f = 0; f < 20; ++f) {
    no_knee_rows += "\n" + std::to_string(0.01 * f);
    for (std::size_t k = 1; k < names.size(); ++k) no_knee_rows += "\t1";
  }
  const fs::path missing = write_file(dir, "missing.mot", header + no_knee + no_knee_rows + "\n");
  std::string e = error_of(model, missing);
  EXPECT_NE(e.find("missing.mot"), std::string::npos) << e;
  EXPECT_NE(e.find("knee_angle_l"), std::string::npos) << e;

  std::string nan_rows = rows;
  nan_rows.replace(nan_rows.rfind("\t1"), 2, "\tnan");
  e = error_of(model, write_file(dir, "nan.mot", header + all + nan_rows + "\n"));
  EXPECT_NE(e.find("nan.mot"), std::string::npos) << e;
  EXPECT_NE(e.find("NaN"), std::string::npos) << e;

  e = error_of(model, write_file(dir, "empty.mot", header + all + "\n"));
  EXPECT_NE(e.find("empty.mot"), std::string::npos) << e;
  EXPECT_NE(e.find("no frames"), std::string::npos) << e;

  // In memory: NaN and zero frames, with the column named.
  Motion m = read_motion(model, write_file(dir, "good.mot", header + all + rows + "\n"));
  EXPECT_NO_THROW(recorded_exercise(model, m, "good.mot"));
  Motion bad = m;
  bad.q(7, model.coordinate_index("hip_flexion_r")) = std::numeric_limits<double>::quiet_NaN();
  try {
    recorded_exercise(model, bad, "memory.mot");
    FAIL() << "no exception for NaN";
  } catch (const InputError& err) {
    EXPECT_NE(std::string(err.what()).find("memory.mot"), std::string::npos) << err.what();
    EXPECT_NE(std::string(err.what()).find("'hip_flexion_r'"), std::string::npos) << err.what();
  }
  Motion none = m;
  none.time_s.clear();
  none.q.resize(0, model.num_coordinates());
  EXPECT_THROW(recorded_exercise(model, none, "none.mot"), InputError);
  Motion few = m;
  few.time_s.resize(3);
  few.q.conservativeResize(3, Eigen::NoChange);
  EXPECT_THROW(recorded_exercise(model, few, "few.mot"), InputError);
}

}  // namespace
}  // namespace glutelab

namespace glutelab {
namespace {

// The walking exercise is a periodic gait: over one cycle the vertical momentum returns, so the mean
// vertical reaction is the weight; a foot is always down, with single and double support; the cycle
// starts at the heel strike of the chosen side.
TEST(RecordedMotion, WalkingExerciseIsAPeriodicGait) {
  const Model model = read_osim(test::project_data("models/glutelab.osim"));
  for (const Side side : {Side::Right, Side::Left}) {
    ExerciseParameters p;
    p.frames_per_rep = 101;
    p.side = side;
    const GeneratedExercise ex = generate_exercise(model, "walking", p);
    const double weight = ex.body_mass_kg * -model.gravity.y();
    double mean_fy = 0.0;
    int single = 0, both = 0;
    for (int f = 0; f + 1 < ex.frames(); ++f) {  // one period: the last frame repeats the first
      const auto fu = static_cast<std::size_t>(f);
      const bool r = ex.loads[0].active[fu], l = ex.loads[1].active[fu];
      EXPECT_TRUE(r || l) << "frame " << f;
      single += r != l;
      both += r && l;
      for (const ExerciseLoad& load : ex.loads)
        if (load.active[fu]) mean_fy += load.force_n[fu].y() / (ex.frames() - 1);
    }
    std::printf("walking (%s): mean vertical reaction %.4f BW, single support %d%%, double support %d%%\n",
                side == Side::Right ? "right" : "left", mean_fy / weight, single, both);
    EXPECT_NEAR(mean_fy, weight, 0.01 * weight);
    EXPECT_GT(single, 50);
    EXPECT_GT(both, 5);
    // The cycle starts at the heel strike of the chosen side (found from the joint angles, a few
    // per cent early): that foot lands within the first 8 % of the cycle.
    const ExerciseLoad& lead = ex.loads[side == Side::Right ? 0 : 1];
    bool landed = false;
    for (std::size_t f = 0; f <= 8; ++f) landed = landed || lead.active[f];
    EXPECT_TRUE(landed);
    const int tx = model.coordinate_index("pelvis_tx");
    EXPECT_GT(ex.motion.q(ex.frames() - 1, tx) - ex.motion.q(0, tx), 0.5);  // walks forward
  }
}

// The generated walking keeps its feet still and needs centres of pressure on its soles: the pelvis path
// is derived for this body's legs (the recorded one, replayed, slid the stance foot ~8 cm and needed
// centres of pressure up to 0.4 m beside the foot). The total centre of pressure is kept on the soles; the
// split between the feet in double support lets each foot's stray a little: measured up to 3.1 cm past
// heel or toe tip and 5.5 cm beside the heel-toe line (a forefoot is ~10 cm wide). The bounds hold it
// there (4 and 6 cm; it was 17 and 42 cm); the shear forces stay within those of real gait (< 0.3 BW).
TEST(RecordedMotion, WalkingExerciseKeepsItsCentresOfPressureOnTheFeet) {
  const Model model = read_osim(test::project_data("models/glutelab.osim"));
  const std::vector<FootPoint> pts = foot_points(model);
  for (const int frames : {50, 100}) {
    SCOPED_TRACE(frames);
    ExerciseParameters p;
    p.frames_per_rep = frames;
    const GeneratedExercise ex = generate_exercise(model, "walking", p);
    const double weight = ex.body_mass_kg * -model.gravity.y();
    State s(model);
    double worst_along = -1.0, worst_across = -1.0, worst_shear = 0.0;
    for (int f = 0; f < ex.frames(); ++f) {
      s.q = ex.motion.q.row(f).transpose();
      compute_positions(model, s);
      for (std::size_t foot = 0; foot < 2; ++foot) {
        const ExerciseLoad& load = ex.loads[foot];
        const auto fu = static_cast<std::size_t>(f);
        if (!load.active[fu] || load.force_n[fu].y() < 0.1 * weight) continue;
        const Side side = foot == 0 ? Side::Right : Side::Left;
        Vec3 heel = Vec3::Zero(), toe = Vec3::Zero();
        for (const FootPoint& fp : pts) {
          if (fp.side != side) continue;
          if (fp.name.rfind("heel", 0) == 0) heel = point_in_ground(s, fp.body, fp.point_m);
          if (fp.name.rfind("toe", 0) == 0) toe = point_in_ground(s, fp.body, fp.point_m);
        }
        Vec3 axis = toe - heel;
        axis.y() = 0.0;
        const double length = axis.norm();
        axis /= length;
        Vec3 d = load.point_m[fu] - heel;
        d.y() = 0.0;
        const double along = d.dot(axis);
        worst_along = std::max({worst_along, -along, along - length});
        worst_across = std::max(worst_across, std::abs(d.z() * axis.x() - d.x() * axis.z()));
        worst_shear = std::max(worst_shear, std::hypot(load.force_n[fu].x(), load.force_n[fu].z()) / weight);
      }
    }
    std::printf(
        "walking, %d frames: centre of pressure up to %.3f m beyond heel or toe, %.3f m beside the "
        "foot line; shear up to %.2f BW\n",
        frames, worst_along, worst_across, worst_shear);
    EXPECT_LT(worst_along, 0.04);
    EXPECT_LT(worst_across, 0.06);
    EXPECT_LT(worst_shear, 0.3);
  }
}

}  // namespace
}  // namespace glutelab
