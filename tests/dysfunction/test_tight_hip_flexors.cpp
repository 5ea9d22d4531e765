// Tight hip flexors on the built-in model: the shortened copy, the passive flexor moment against an
// independent computation, the Thomas-test end point, the exercises against the healthy body, and the
// errors for values that make no sense.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "glutelab/dysfunction/tight_hip_flexors.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "glutelab/kinematics/kinematics.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

constexpr double kDeg = 3.14159265358979323846 / 180.0;

const Model& model() {
  static const Model m = read_osim(test::project_data("models/glutelab.osim"));
  return m;
}

TightFlexorOptions bridge_options(std::vector<double> levels) {
  TightFlexorOptions o;
  o.shortening = std::move(levels);
  o.exercises = {"glute_bridge"};
  o.parameters.frames_per_rep = 30;
  return o;
}

/// The bridge at 0, 5 and 10 % shortening, computed once for the tests that read it.
const TightFlexorReport& bridge_report() {
  static const TightFlexorReport r = simulate_tight_hip_flexors(model(), bridge_options({0.0, 0.05, 0.10}));
  return r;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(TightHipFlexors, OnlyTheFlexorFibersShorten) {
  const Model t = shorten_hip_flexors(model(), 0.1);
  const std::vector<int> flexors = tight_hip_flexor_muscles(model(), BodySide::Both);
  ASSERT_EQ(flexors.size(), 8u);
  for (std::size_t i = 0; i < model().muscles.size(); ++i) {
    const Muscle &a = model().muscles[i], &b = t.muscles[i];
    const bool flexor = std::find(flexors.begin(), flexors.end(), static_cast<int>(i)) != flexors.end();
    EXPECT_EQ(b.optimal_fiber_length_m, flexor ? a.optimal_fiber_length_m * 0.9 : a.optimal_fiber_length_m)
        << a.name;
    EXPECT_EQ(b.tendon_slack_length_m, a.tendon_slack_length_m) << a.name;
    EXPECT_EQ(b.max_isometric_force_N, a.max_isometric_force_N) << a.name;
  }
  // One side only.
  const Model right = shorten_hip_flexors(model(), 0.2, BodySide::Right);
  const int psoas_l = model().muscle_index("psoas_l"), psoas_r = model().muscle_index("psoas_r");
  EXPECT_EQ(right.muscles[static_cast<std::size_t>(psoas_l)].optimal_fiber_length_m,
            model().muscles[static_cast<std::size_t>(psoas_l)].optimal_fiber_length_m);
  EXPECT_LT(right.muscles[static_cast<std::size_t>(psoas_r)].optimal_fiber_length_m,
            model().muscles[static_cast<std::size_t>(psoas_r)].optimal_fiber_length_m);
}

// At an extended hip (-10 deg), knee straight and at 80 deg: the flexors' passive moment rises strictly
// with shortening, and equals the one built from central differences of the path lengths instead of the
// exact moment arms.
TEST(TightHipFlexors, PassiveMomentRisesWithShorteningAndMatchesLengthDifferences) {
  State st(model());
  set_default_coordinates(model(), st);
  const int hip = model().coordinate_index("hip_flexion_r"), knee = model().coordinate_index("knee_angle_r");
  for (double knee_deg : {0.0, 80.0}) {
    Eigen::VectorXd q = st.q;
    q[hip] = -10.0 * kDeg;
    q[knee] = knee_deg * kDeg;
    double previous = -std::numeric_limits<double>::infinity();
    for (double s : {0.0, 0.05, 0.10, 0.15, 0.20, 0.30}) {
      const Model t = shorten_hip_flexors(model(), s);
      PassiveMomentProbe probe(t, tight_hip_flexor_muscles(t, BodySide::Right), hip);
      const double exact = probe.moment_nm(q);
      const double by_lengths = probe.moment_by_length_differences_nm(q);
      EXPECT_GT(exact, previous) << "shortening " << s << ", knee " << knee_deg;
      EXPECT_GT(exact, 0.0);
      EXPECT_NEAR(by_lengths, exact, 1e-5 * std::abs(exact)) << "shortening " << s << ", knee " << knee_deg;
      previous = exact;
    }
  }
}

TEST(TightHipFlexors, ThomasTestEndPointMovesTowardsFlexion) {
  const ThomasTestResult healthy = thomas_test(model());
  double previous = healthy.end_hip_flexion_rad;
  for (double s : {0.05, 0.10, 0.20}) {
    const ThomasTestResult t = thomas_test(shorten_hip_flexors(model(), s));
    EXPECT_GT(t.end_hip_flexion_rad, previous) << s;
    EXPECT_GT(t.leg_moment_nm, 0.0);
    previous = t.end_hip_flexion_rad;
    // At the end point the leg's weight and the flexors balance.
    const Model m = shorten_hip_flexors(model(), s);
    const std::vector<double> p = passive_flexor_moment_curve(m, BodySide::Right, {t.end_hip_flexion_rad},
                                                              ThomasTestOptions{}.knee_flexion_rad);
    if (!t.outside_range) {
      EXPECT_NEAR(p[0], t.leg_moment_nm, 1e-4) << s;
    }
  }
}

TEST(TightHipFlexors, ZeroShorteningEqualsTheHealthyBodyExactly) {
  const TightFlexorReport& r = bridge_report();
  const TightFlexorLevel& zero = r.levels[0];
  EXPECT_EQ(zero.thomas.end_hip_flexion_rad, r.healthy_thomas.end_hip_flexion_rad);
  EXPECT_EQ(zero.end_range_loss_rad, 0.0);
  EXPECT_EQ(zero.passive_curve_nm, r.healthy_curve_nm);
  ASSERT_EQ(zero.exercises.size(), 1u);
  const TightFlexorExerciseResult& x = zero.exercises[0];
  EXPECT_EQ(x.passive_flexor_moment_top_nm, x.healthy_passive_flexor_moment_top_nm);
  EXPECT_EQ(x.peak_extra_passive_moment_nm, 0.0);
  EXPECT_EQ(x.extensor_moment_top_nm, x.healthy_extensor_moment_top_nm);
  EXPECT_EQ(x.gluteus_maximus_activation_top, x.healthy_gluteus_maximus_activation_top);
  EXPECT_EQ(x.hamstrings_activation_top, x.healthy_hamstrings_activation_top);
  EXPECT_EQ(x.adductors_activation_top, x.healthy_adductors_activation_top);
  EXPECT_EQ(x.peak_lumbar_extension_added_rad, 0.0);
  EXPECT_EQ(x.erector_spinae_force_top_n, x.healthy_erector_spinae_force_top_n);
  EXPECT_EQ(x.erector_spinae_moment_top_nm, x.healthy_erector_spinae_moment_top_nm);
  EXPECT_EQ(x.compensated_max_pelvis_residual, x.healthy_max_pelvis_residual);
}

// The bridge top (hips extended): the tight flexors' extra passive moment is positive and grows with
// shortening, and static optimization's hip extensors supply about that much more (the other muscles'
// shares move a little with the new solution).
TEST(TightHipFlexors, BridgeTopNeedsMoreHipExtensionAsShorteningGrows) {
  const TightFlexorReport& r = bridge_report();
  double previous_passive = 0.0, previous_extensor = 0.0;
  for (std::size_t l = 1; l < r.levels.size(); ++l) {
    const TightFlexorExerciseResult& x = r.levels[l].exercises[0];
    EXPECT_LT(std::abs(x.top_hip_flexion_rad), 5.0 * kDeg);  // shoulders, hips and knees in a line
    EXPECT_GT(x.extra_passive_moment_top_nm, previous_passive) << x.shortening;
    EXPECT_GT(x.extra_extensor_moment_top_nm, previous_extensor) << x.shortening;
    EXPECT_NEAR(x.extra_extensor_moment_top_nm, x.extra_passive_moment_top_nm,
                0.1 * x.extra_passive_moment_top_nm)
        << x.shortening;
    EXPECT_GT(x.hamstrings_activation_top, x.healthy_hamstrings_activation_top);
    EXPECT_EQ(x.converged_frames, x.frames);
    previous_passive = x.extra_passive_moment_top_nm;
    previous_extensor = x.extra_extensor_moment_top_nm;
    EXPECT_GT(r.levels[l].end_range_loss_rad, 0.0);
  }
}

// The compensated bridge: the lumbar spine extends by a growing angle, and at that angle the tight
// flexors pull no more than the healthy ones did in the prescribed top posture.
TEST(TightHipFlexors, LumbarCompensationSparesTheHip) {
  const TightFlexorReport& r = bridge_report();
  double previous = 0.0;
  for (std::size_t l = 1; l < r.levels.size(); ++l) {
    const TightFlexorExerciseResult& x = r.levels[l].exercises[0];
    EXPECT_GT(x.lumbar_extension_added_top_rad, previous);
    previous = x.lumbar_extension_added_top_rad;
  }
  ExerciseParameters p;
  p.frames_per_rep = 30;
  const GeneratedExercise ex = generate_exercise(model(), "glute_bridge", p);
  const Model tight = shorten_hip_flexors(model(), 0.1);
  std::vector<double> shift;
  const GeneratedExercise c = compensate_with_lumbar_extension(model(), tight, ex, &shift);
  const int top = r.levels[2].exercises[0].top_frame;
  const int hip = model().coordinate_index("hip_flexion_r"), tilt = model().coordinate_index("pelvis_tilt");
  const int lumbar = model().coordinate_index("lumbar_extension");
  const double d = shift[static_cast<std::size_t>(top)];
  EXPECT_EQ(d, r.levels[2].exercises[0].lumbar_extension_added_top_rad);
  EXPECT_NEAR(c.motion.q(top, hip) - ex.motion.q(top, hip), d, 1e-12);
  EXPECT_NEAR(c.motion.q(top, tilt) - ex.motion.q(top, tilt), -d, 1e-12);
  EXPECT_NEAR(c.motion.q(top, lumbar) - ex.motion.q(top, lumbar), d, 1e-12);
  PassiveMomentProbe healthy(model(), tight_hip_flexor_muscles(model(), BodySide::Right), hip);
  PassiveMomentProbe tight_probe(tight, tight_hip_flexor_muscles(tight, BodySide::Right), hip);
  EXPECT_NEAR(tight_probe.moment_nm(c.motion.q.row(top).transpose()),
              healthy.moment_nm(ex.motion.q.row(top).transpose()), 1e-6);
  EXPECT_EQ(shift.front(), 0.0);  // the bridge starts with the hips flexed
}

TEST(TightHipFlexors, InhibitedGlutesStayUnderTheirCeiling) {
  TightFlexorOptions o = bridge_options({0.1});
  o.glute_activation_ceiling = 0.02;
  const TightFlexorReport r = simulate_tight_hip_flexors(model(), o);
  const TightFlexorExerciseResult& x = r.levels[0].exercises[0];
  EXPECT_LE(x.gluteus_maximus_activation_top, 0.02 + 1e-9);
  EXPECT_GT(x.healthy_gluteus_maximus_activation_top, 0.02);
  EXPECT_GT(x.hamstrings_activation_top, bridge_report().levels[2].exercises[0].hamstrings_activation_top);
}

TEST(TightHipFlexors, BadInputIsRejectedWithTheRangeAndTheValue) {
  EXPECT_NE(error_of([] { shorten_hip_flexors(model(), -0.1); }).find("[0, 0.3], got -0.1"),
            std::string::npos);
  EXPECT_NE(error_of([] { shorten_hip_flexors(model(), 0.31); }).find("got 0.31"), std::string::npos);
  EXPECT_NE(error_of([] { shorten_hip_flexors(model(), std::nan("")); }).find("shortening"),
            std::string::npos);
  TightFlexorOptions o = bridge_options({0.1});
  o.glute_activation_ceiling = 1.5;
  EXPECT_NE(error_of([&] { simulate_tight_hip_flexors(model(), o); }).find("[0, 1], got 1.5"),
            std::string::npos);
  o = bridge_options({});
  EXPECT_NE(error_of([&] { simulate_tight_hip_flexors(model(), o); }).find("shortening level"),
            std::string::npos);
  o = bridge_options({0.1});
  o.exercises = {"standing", "standing_glute_squeeze"};
  EXPECT_NE(error_of([&] { simulate_tight_hip_flexors(model(), o); }).find("given twice"), std::string::npos);
  o.exercises = {"glute_brige"};
  EXPECT_NE(error_of([&] { simulate_tight_hip_flexors(model(), o); }).find("glute_bridge"),
            std::string::npos);
  ThomasTestOptions t;
  t.side = BodySide::Both;
  EXPECT_NE(error_of([&] { thomas_test(model(), t); }).find("not both"), std::string::npos);
  t = {};
  t.knee_flexion_rad = 200.0 * kDeg;
  EXPECT_NE(error_of([&] { thomas_test(model(), t); }).find("got 200"), std::string::npos);
}

}  // namespace
}  // namespace glutelab
