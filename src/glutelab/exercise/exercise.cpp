#include "glutelab/exercise/exercise.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "glutelab/exercise/generator.hpp"
#include "glutelab/exercise/walking_cycle.hpp"
#include "glutelab/model/names.hpp"

namespace glutelab {
namespace {

using namespace exercise_detail;

// ---------------------------------------------------------------------------------------------
// Catalogue
// ---------------------------------------------------------------------------------------------

const std::vector<ExerciseInfo>& catalog_storage() {
  static const std::vector<ExerciseInfo> catalog = {
      {"bodyweight_squat", "Bodyweight squat", "Squat to the chosen depth with the arms reaching forward.",
       "sit back and down, knees over toes, chest up, whole foot on the floor", LoadPlacement::None, false},
      {"goblet_squat", "Goblet squat", "Squat holding a dumbbell or kettlebell at the chest.",
       "elbows inside the knees, chest up, whole foot on the floor", LoadPlacement::Hands, false},
      {"back_squat", "Back squat", "Squat with a barbell on the upper back.",
       "brace, sit between the heels, knees track the toes, drive the floor away", LoadPlacement::BackBarbell,
       false},
      {"front_squat", "Front squat", "Squat with a barbell in the front rack.",
       "elbows high, upright torso, knees forward", LoadPlacement::FrontRack, false},
      {"romanian_deadlift", "Romanian deadlift",
       "Hip hinge with soft knees, the bar sliding down the thighs.",
       "hips back, shins vertical, neutral spine, bar close to the legs", LoadPlacement::Hands, false},
      {"conventional_deadlift", "Conventional deadlift", "Lift the bar from a hip-and-knee bend to standing.",
       "bar over mid-foot, hips back, shins near vertical, push the floor, lock out with the glutes",
       LoadPlacement::Hands, false},
      {"single_leg_deadlift", "Single-leg deadlift",
       "Hinge on one leg, the free leg reaching back in line with the trunk, weight in the hands.",
       "hips square, hinge from the stance hip, back leg in line with the spine, soft stance knee",
       LoadPlacement::Hands, true, 4.0},
      {"single_leg_squat", "Single-leg squat",
       "Squat on one leg to about 70 degrees of knee flexion, the free leg held forward, and rise.",
       "knee over the second toe, pelvis level, hips back, arms forward for balance", LoadPlacement::None,
       true, 4.0},
      {"kettlebell_swing", "Kettlebell swing",
       "Swing a kettlebell from between the thighs to chest height with a hip snap, continuously.",
       "hike the bell back, hips back with shins vertical, snap the hips and squeeze the glutes, arms "
       "just guide",
       LoadPlacement::Hands, false, 3.0},
      {"step_up", "Step-up",
       "Step onto a box with the working foot and stand up on it, the other knee driving up.",
       "whole foot on the box, lean slightly forward, push through the heel, don't push off the back foot",
       LoadPlacement::Hands, true, 7.0},
      {"lateral_band_walk", "Lateral band walk",
       "Side steps in a quarter squat against a mini band above the knees (monster walk).",
       "stay low, knees out against the band, toes forward, don't let the feet snap together",
       LoadPlacement::None, true, 16.0},
      {"glute_bridge", "Glute bridge", "Lying on the back, lift the hips off the floor with the feet flat.",
       "posterior pelvic tilt, squeeze at the top, ribs down", LoadPlacement::None, false},
      {"single_leg_glute_bridge", "Single-leg glute bridge",
       "Glute bridge on one foot with the other leg extended in line with the thigh.",
       "posterior pelvic tilt, squeeze at the top, keep the pelvis level", LoadPlacement::None, true},
      {"hip_thrust", "Barbell hip thrust", "Upper back on a bench, barbell over the hips, drive the hips up.",
       "chin tucked, shins vertical at the top, posterior pelvic tilt, squeeze at the top",
       LoadPlacement::Hips, false},
      {"standing_glute_squeeze", "Standing glute squeeze",
       "Isometric hold standing tall with the glutes squeezed.",
       "tuck the pelvis under (posterior tilt), squeeze, knees soft", LoadPlacement::None, false},
      {"single_leg_stance", "Single-leg stance", "Balance on one leg with the other knee lifted.",
       "stand tall, keep the pelvis level, stance knee soft", LoadPlacement::None, true},
      {"sit_to_stand", "Sit-to-stand", "Stand up from a chair without the hands and sit back down.",
       "feet under the knees, lean forward until the weight is on the feet, drive through the heels, sit "
       "back "
       "slowly",
       LoadPlacement::None, false, 6.0},
      {"forward_lunge", "Forward lunge",
       "Split-stance lunge with the working leg in front: lower until both knees are bent, then rise.",
       "long stride, torso tall, front knee over the toes, back knee towards the floor", LoadPlacement::None,
       true},
      {"reverse_lunge", "Reverse lunge",
       "Lunge with the free leg stepped back: a slight forward lean loads the front hip.",
       "step long, lean slightly forward, front shin near vertical, push through the front heel",
       LoadPlacement::None, true},
      {"bulgarian_split_squat", "Bulgarian split squat",
       "Rear-foot-elevated split squat: the top of the rear foot on a bench, lower on the front leg.",
       "front foot far enough forward, hips square, drop the back knee, drive through the front heel",
       LoadPlacement::None, true},
      {"clamshell", "Clamshell",
       "Side-lying, hips 45 deg and knees 90 deg, feet together: open the top knee against a mini band "
       "above the knees.",
       "heels together, open the knee without rolling the pelvis back, pause at the top, slow return",
       LoadPlacement::None, true},
      {"side_lying_hip_abduction", "Side-lying hip abduction",
       "Side-lying with the bottom leg bent: raise the straight top leg to ~38 deg in line with the trunk.",
       "leg slightly behind the body, toes forward, lead with the heel, no hip flexion, hips stacked",
       LoadPlacement::None, true},
      {"fire_hydrant", "Fire hydrant",
       "On hands and knees: lift the bent working knee out to the side against a mini band above the knees.",
       "hands under shoulders, knees under hips, knee stays at 90 deg, pelvis level, no lean away",
       LoadPlacement::None, true},
      {"quadruped_hip_extension", "Quadruped hip extension",
       "On hands and knees (donkey kick): drive the bent working leg back until the thigh is in line with "
       "the trunk.",
       "sole to the ceiling, ribs down, squeeze the glute, do not arch the lower back", LoadPlacement::None,
       true},
      {"walking", "Walking",
       "One gait cycle of level walking (a recorded OpenCap cycle) from heel strike of the chosen side.",
       "tall posture, heel strike then roll over the foot, push off from the big toe, level pelvis",
       LoadPlacement::None, true, recorded_walking_cycle().duration_s},
  };
  return catalog;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

const std::vector<ExerciseInfo>& exercise_catalog() { return catalog_storage(); }

std::string closest_exercise_name(const std::string& name) {
  std::vector<std::string> names;
  for (const ExerciseInfo& e : exercise_catalog()) names.push_back(e.name);
  return closest_name(name, names);
}

std::string to_string(LoadPlacement placement) {
  switch (placement) {
    case LoadPlacement::None:
      return "none";
    case LoadPlacement::BackBarbell:
      return "back_barbell";
    case LoadPlacement::FrontRack:
      return "front_rack";
    case LoadPlacement::Hands:
      return "hands";
    case LoadPlacement::Hips:
      return "hips";
  }
  return "none";
}

void validate_exercise_parameters(const ExerciseParameters& p, double body_mass_kg) {
  auto check = [](bool ok, const std::string& what) {
    if (!ok) throw std::invalid_argument(what);
  };
  check(std::isfinite(p.depth) && p.depth >= 0.0 && p.depth <= 1.0,
        "depth must be in [0, 1] (a fraction of the full depth), got " + fmt(p.depth));
  check(std::isfinite(p.stance_width_m) && p.stance_width_m >= 0.10 && p.stance_width_m <= 0.80,
        "stance_width_m must be in [0.10, 0.80] m, got " + fmt(p.stance_width_m));
  check(std::isfinite(p.load_kg) && p.load_kg >= 0.0 && p.load_kg <= 5.0 * body_mass_kg,
        "load_kg must be in [0, " + fmt(5.0 * body_mass_kg) + "] kg (5 x body mass), got " + fmt(p.load_kg));
  check(std::isfinite(p.tempo_s) && (p.tempo_s == 0.0 || (p.tempo_s >= 0.5 && p.tempo_s <= 60.0)),
        "tempo_s must be 0 (the exercise's default) or in [0.5, 60] s, got " + fmt(p.tempo_s));
  check(p.frames_per_rep >= 10 && p.frames_per_rep <= 10000,
        "frames_per_rep must be in [10, 10000], got " + std::to_string(p.frames_per_rep));
  check(std::isfinite(p.band_stiffness_n_per_m) && p.band_stiffness_n_per_m <= 5000.0,
        "band_stiffness_n_per_m must be < 0 (the exercise's default band), 0 (no band) or at most 5000 N/m, "
        "got " +
            fmt(p.band_stiffness_n_per_m));
  check(std::isfinite(p.height_m) && (p.height_m == 0.0 || (p.height_m >= 0.15 && p.height_m <= 0.80)),
        "height_m must be 0 (the exercise's default) or in [0.15, 0.80] m, got " + fmt(p.height_m));
}

GeneratedExercise generate_exercise(const Model& model, const std::string& name,
                                    const ExerciseParameters& params) {
  const auto& cat = exercise_catalog();
  const auto it = std::find_if(cat.begin(), cat.end(), [&](const ExerciseInfo& e) { return e.name == name; });
  if (it == cat.end())
    throw std::invalid_argument("unknown exercise '" + name + "'; did you mean '" +
                                closest_exercise_name(name) + "'?");
  validate_exercise_parameters(params, model.total_mass_kg());
  const LoadPlacement placement =
      params.placement == LoadPlacement::None ? it->default_placement : params.placement;
  if (params.load_kg > 0.0 && placement == LoadPlacement::None)
    throw std::invalid_argument(
        "placement: a load_kg > 0 needs a placement (back_barbell, front_rack, hands or "
        "hips) for exercise '" +
        name + "'");
  ExerciseParameters resolved = params;
  if (resolved.tempo_s == 0.0) resolved.tempo_s = it->default_tempo_s;
  if (it->name == "walking") return generate_walking(model, resolved, *it);
  Generator G(model, resolved);
  if (params.load_kg > 0.0) G.load_points = load_points_for(G, placement, model);
  const std::string& n = it->name;
  if (n == "bodyweight_squat" || n == "goblet_squat" || n == "back_squat" || n == "front_squat")
    define_squat(G, resolved, placement);
  else if (n == "romanian_deadlift")
    define_hinge(G, resolved, false);
  else if (n == "conventional_deadlift")
    define_hinge(G, resolved, true);
  else if (n == "kettlebell_swing")
    define_kettlebell_swing(G, resolved);
  else if (n == "single_leg_deadlift")
    define_single_leg_deadlift(G, resolved);
  else if (n == "single_leg_squat")
    define_single_leg_squat(G, resolved);
  else if (n == "step_up")
    define_step_up(G, resolved, placement);
  else if (n == "lateral_band_walk")
    define_lateral_band_walk(G, resolved);
  else if (n == "standing_glute_squeeze")
    define_squeeze(G, resolved);
  else if (n == "single_leg_stance")
    define_single_leg_stance(G, resolved);
  else if (n == "glute_bridge")
    define_lying(G, resolved, 0.0, 92.0, 118.0, 95.0, false);
  else if (n == "single_leg_glute_bridge")
    define_lying(G, resolved, 0.0, 92.0, 116.0, 95.0, true);
  else if (n == "hip_thrust")
    define_lying(G, resolved, 0.40, 60.0, 95.0, 90.0, false);
  else if (n == "sit_to_stand")
    define_sit_to_stand(G, resolved, placement);
  else if (n == "forward_lunge")
    define_split(G, resolved, placement, SplitKind::ForwardLunge);
  else if (n == "reverse_lunge")
    define_split(G, resolved, placement, SplitKind::ReverseLunge);
  else if (n == "bulgarian_split_squat")
    define_split(G, resolved, placement, SplitKind::Bulgarian);
  else if (n == "clamshell")
    define_side_lying(G, resolved, SideLyingKind::Clamshell);
  else if (n == "side_lying_hip_abduction")
    define_side_lying(G, resolved, SideLyingKind::HipAbduction);
  else if (n == "fire_hydrant")
    define_quadruped(G, resolved, QuadrupedKind::FireHydrant);
  else if (n == "quadruped_hip_extension")
    define_quadruped(G, resolved, QuadrupedKind::HipExtension);
  return G.run(*it);
}

void add_exercise_loads(const GeneratedExercise& exercise, int frame, BodyForces& out) {
  const auto f = static_cast<std::size_t>(frame);
  for (const ExerciseLoad& l : exercise.loads) {
    if (!l.active[f]) continue;
    out.add_force_at_point(l.body, l.force_n[f], l.point_m[f]);
    out.add_torque(l.body, l.torque_n_m[f]);
  }
}

ExternalLoads exercise_external_loads(const Model& model, const GeneratedExercise& exercise) {
  ExternalLoads loads;
  const int N = exercise.frames();
  loads.data.name = exercise.info.name + "_loads";
  loads.data.time_s = exercise.motion.time_s;
  loads.data.values.resize(N, static_cast<Eigen::Index>(9 * exercise.loads.size()));
  int col = 0;
  for (const ExerciseLoad& l : exercise.loads) {
    ExternalForce ef;
    ef.name = l.name;
    ef.applied_body = l.body;
    ef.force_frame = 0;
    ef.point_frame = 0;
    for (int k = 0; k < 3; ++k) {
      ef.force_columns[static_cast<std::size_t>(k)] = col + k;
      ef.point_columns[static_cast<std::size_t>(k)] = col + 3 + k;
      ef.torque_columns[static_cast<std::size_t>(k)] = col + 6 + k;
    }
    const char* axes = "xyz";
    for (int k = 0; k < 3; ++k) {
      loads.data.labels.push_back(l.name + "_force_v" + axes[k]);
    }
    for (int k = 0; k < 3; ++k) loads.data.labels.push_back(l.name + "_point_p" + std::string(1, axes[k]));
    for (int k = 0; k < 3; ++k) loads.data.labels.push_back(l.name + "_torque_" + std::string(1, axes[k]));
    for (int f = 0; f < N; ++f) {
      const auto fu = static_cast<std::size_t>(f);
      const bool on = l.active[fu];
      // An inactive contact keeps its last point (a zero force at any point adds nothing).
      for (int k = 0; k < 3; ++k) {
        loads.data.values(f, col + k) = on ? l.force_n[fu][k] : 0.0;
        loads.data.values(f, col + 3 + k) = l.point_m[fu][k];
        loads.data.values(f, col + 6 + k) = on ? l.torque_n_m[fu][k] : 0.0;
      }
    }
    loads.forces.push_back(ef);
    col += 9;
  }
  for (int c = 0; c < col; ++c) {
    std::vector<double> x = exercise.motion.time_s;
    std::vector<double> y(static_cast<std::size_t>(N));
    for (int f = 0; f < N; ++f) y[static_cast<std::size_t>(f)] = loads.data.values(f, c);
    loads.column_functions.push_back(Function::natural_cubic_spline(std::move(x), std::move(y)));
  }
  (void)model;
  return loads;
}

}  // namespace glutelab
