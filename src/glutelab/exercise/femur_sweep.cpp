#include "glutelab/exercise/femur_sweep.hpp"
#include "glutelab/math/parallel.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <stdexcept>

#include "glutelab/analysis/inverse_dynamics_tool.hpp"
#include "glutelab/muscle/body_scaling.hpp"

namespace glutelab {

const std::vector<std::string>& default_femur_sweep_exercises() {
  static const std::vector<std::string> e{"back_squat", "romanian_deadlift", "hip_thrust"};
  return e;
}

BodyDescription body_with_thigh_to_shank_ratio(const BodyDescription& body, double ratio) {
  BodyDescription b;
  b.height_m = body.height_m;
  b.mass_kg = body.mass_kg;
  b.sex = body.sex;
  b.trunk_length_m = body.trunk_length_m;
  b.pelvis_width_m = body.pelvis_width_m;
  const double shank = length_fraction_of_height(body.sex, Segment::Shank) * body.height_m;
  b.shank_length_m = shank;
  b.thigh_length_m = ratio * shank;
  return b;
}

void validate_femur_sweep_ratios(const BodyDescription& body, const std::vector<double>& ratios) {
  if (ratios.empty()) throw std::invalid_argument("femur sweep: no thigh-to-shank ratios given");
  validate(body);
  for (double r : ratios) {
    char given[32];
    std::snprintf(given, sizeof given, "%g", r);
    if (!std::isfinite(r) || r < 0.5 || r > 2.0) {
      throw std::invalid_argument(std::string("femur sweep: thigh-to-shank ratio ") + given +
                                  " is outside the plausible range [0.5, 2.0] (typical 0.8 to 1.3)");
    }
    try {
      validate(body_with_thigh_to_shank_ratio(body, r));
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(std::string("femur sweep: thigh-to-shank ratio ") + given +
                                  " gives an impossible body: " + e.what());
    }
  }
}

namespace {

double work_fraction(const ExerciseWorkReport& r, const std::string& joint) {
  for (const JointWork& w : r.extensor_work)
    if (w.joint == joint) return w.fraction;
  return 0.0;
}

FemurSweepPoint sweep_point(const Model& generic, const BodyDescription& body, const std::string& exercise,
                            double ratio, const ExerciseParameters& parameters,
                            const ExerciseWorkOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  const BodyDescription b = body_with_thigh_to_shank_ratio(body, ratio);
  const Model m = scale_body(generic, b);
  const GeneratedExercise ex = generate_exercise(m, exercise, parameters);
  const ExerciseWorkReport r = analyze_exercise_work(m, ex, options);

  FemurSweepPoint p;
  p.exercise = exercise;
  p.thigh_to_shank_ratio = ratio;
  p.thigh_length_m = *b.thigh_length_m;
  p.shank_length_m = *b.shank_length_m;
  const double deg = 180.0 / std::numbers::pi;
  const int tilt = m.coordinate_index("pelvis_tilt"), lumbar = m.coordinate_index("lumbar_extension");
  if (tilt < 0 || lumbar < 0)
    throw std::invalid_argument("femur sweep: the model has no pelvis_tilt or lumbar_extension");
  double lean = -std::numeric_limits<double>::infinity();
  for (int f = 0; f < ex.frames(); ++f)
    lean = std::max(lean, -(ex.motion.q(f, tilt) + ex.motion.q(f, lumbar)) * deg);
  p.peak_trunk_lean_deg = lean;

  // Working-side extension moments from inverse dynamics with the exercise's loads.
  const std::string s = r.side == Side::Left ? "_l" : "_r";
  const int hip = m.coordinate_index("hip_flexion" + s), knee = m.coordinate_index("knee_angle" + s);
  const ExternalLoads loads = exercise_external_loads(m, ex);
  InverseDynamicsOptions ido;
  ido.threads = options.threads;
  const InverseDynamicsResult idr =
      inverse_dynamics_at_frames(m, ex.motion.time_s, ex.motion.q, ex.qdot, ex.qddot, &loads, ido);
  for (std::size_t c = 0; c < idr.coordinates.size(); ++c) {
    const auto col = idr.generalized_forces.col(static_cast<Eigen::Index>(c));
    if (idr.coordinates[c] == hip) p.peak_hip_extension_moment_nm = std::max(0.0, (-col).maxCoeff());
    if (idr.coordinates[c] == knee) p.peak_knee_extension_moment_nm = std::max(0.0, (-col).maxCoeff());
  }
  p.hip_to_knee_moment_ratio = p.peak_knee_extension_moment_nm > 0.0
                                   ? p.peak_hip_extension_moment_nm / p.peak_knee_extension_moment_nm
                                   : std::numeric_limits<double>::infinity();
  p.hip_work_share = work_fraction(r, "hip");
  p.knee_work_share = work_fraction(r, "knee");
  p.ankle_work_share = work_fraction(r, "ankle");
  p.lower_back_work_share = work_fraction(r, "lower back");
  p.extensor_work_total_j = r.extensor_work_total_j;
  p.gluteus_maximus_mean_activation = peak_and_mean_activation(r, "gluteus maximus").second;
  p.quadriceps_mean_activation = peak_and_mean_activation(r, "quadriceps").second;
  p.frames = r.frames;
  p.converged_frames = r.converged_frames;
  p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return p;
}

FemurSweepPoint failed_point(const std::string& exercise, double ratio, const std::string& why) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  FemurSweepPoint p;
  p.exercise = exercise;
  p.thigh_to_shank_ratio = ratio;
  p.thigh_length_m = p.shank_length_m = p.peak_trunk_lean_deg = nan;
  p.peak_hip_extension_moment_nm = p.peak_knee_extension_moment_nm = p.hip_to_knee_moment_ratio = nan;
  p.hip_work_share = p.knee_work_share = p.ankle_work_share = p.lower_back_work_share = nan;
  p.extensor_work_total_j = p.gluteus_maximus_mean_activation = p.quadriceps_mean_activation = nan;
  p.error = why;
  return p;
}

}  // namespace

FemurSweepResult femur_length_sweep(const Model& generic, const BodyDescription& body,
                                    const std::vector<std::string>& exercises,
                                    const std::vector<double>& thigh_to_shank_ratios,
                                    const ExerciseParameters& parameters,
                                    const ExerciseWorkOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  validate_femur_sweep_ratios(body, thigh_to_shank_ratios);
  validate_exercise_parameters(parameters, body.mass_kg);
  FemurSweepResult out;
  out.exercises = exercises.empty() ? default_femur_sweep_exercises() : exercises;
  out.ratios = thigh_to_shank_ratios;
  for (const std::string& e : out.exercises) {
    const bool known = std::any_of(exercise_catalog().begin(), exercise_catalog().end(),
                                   [&](const ExerciseInfo& i) { return i.name == e; });
    if (!known)
      throw std::invalid_argument("femur sweep: unknown exercise '" + e + "' (did you mean " +
                                  closest_exercise_name(e) + "?)");
  }
  // One job per (exercise, ratio), spread over the threads; each analysis single-threaded.
  const std::size_t nr = out.ratios.size();
  out.points.resize(out.exercises.size() * nr);
  ExerciseWorkOptions one = options;
  one.threads = 1;
  parallel_for(static_cast<int>(out.points.size()), options.threads, [&](int i) {
    const auto k = static_cast<std::size_t>(i);
    try {
      out.points[k] = sweep_point(generic, body, out.exercises[k / nr], out.ratios[k % nr], parameters, one);
    } catch (const std::invalid_argument& e) {  // this thigh length cannot do the exercise's posture
      out.points[k] = failed_point(out.exercises[k / nr], out.ratios[k % nr], e.what());
    } catch (const std::runtime_error& e) {
      out.points[k] = failed_point(out.exercises[k / nr], out.ratios[k % nr], e.what());
    }
  });
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace glutelab
