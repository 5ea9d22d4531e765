// Parametric exercise generator: one repetition of an exercise as a smooth motion of the model's
// coordinates with dynamically consistent external loads (ground and bench reactions, the load
// object's weight and inertia), the whole-body centre of mass and the base of support per frame.
#pragma once

#include <string>
#include <vector>

#include <Eigen/Core>

#include "glutelab/dynamics/body_forces.hpp"
#include "glutelab/io/external_loads.hpp"
#include "glutelab/io/motion.hpp"
#include "glutelab/math/spatial.hpp"
#include "glutelab/model/model.hpp"

namespace glutelab {

/// Where an external load object (barbell, dumbbell...) sits on the body.
enum class LoadPlacement { None, BackBarbell, FrontRack, Hands, Hips };

enum class Side { Right, Left };

/// What the user chooses for one exercise (SI units).
struct ExerciseParameters {
  double depth = 1.0;  ///< fraction [0, 1] of the exercise's full range (squat depth, bridge height...)
  double stance_width_m = 0.30;  ///< distance between the foot centres, [0.10, 0.80] m (standing exercises)
  double load_kg = 0.0;          ///< external load, [0, 5 x body mass]
  LoadPlacement placement = LoadPlacement::None;  ///< None: the exercise's default placement
  double tempo_s = 0.0;      ///< duration of one repetition, [0.5, 60] s; 0: the exercise's default
  int frames_per_rep = 100;  ///< samples of the repetition, [10, 10000]
  /// Elastic band of band exercises (clamshell, lateral band walk...): < 0 the exercise's default band,
  /// 0 no band, else the band's stiffness, at most 5000 N/m.
  double band_stiffness_n_per_m = -1.0;
  Side side = Side::Right;  ///< working side of unilateral exercises
  /// Rear-foot bench height of bulgarian_split_squat (default 0.52 x leg length, 0.45 m for the built-in
  /// model; also the seat of the not yet
  /// catalogued sit_to_stand, default 0.42 m), 0 or [0.15, 0.80] m; 0: the exercise's default.
  double height_m = 0.0;
};

/// A catalogued exercise.
struct ExerciseInfo {
  std::string name;          ///< identifier, e.g. "back_squat"
  std::string display_name;  ///< e.g. "Back squat"
  std::string description;   ///< one line
  std::string cues;          ///< coaching cues, e.g. "hips back, shins vertical"
  LoadPlacement default_placement = LoadPlacement::None;
  bool unilateral = false;
  double default_tempo_s = 3.0;  ///< duration of one repetition when ExerciseParameters::tempo_s is 0
};

/// One external load over the frames: a force with its point of application and a free torque,
/// all in ground (N, m, N m). Contacts are ground/bench/chair reactions; the others are load objects.
struct ExerciseLoad {
  std::string name;  ///< e.g. "foot_r", "bench", "barbell"
  int body = 0;      ///< Model::bodies index the load acts on
  bool contact = false;
  double height_m = 0.0;      ///< contacts: height of the supporting plane (floor 0, bench, chair, box)
  bool scheduled = false;     ///< contacts: planted only in part of the repetition (a chair until seat-off)
  std::vector<bool> active;   ///< per frame: the contact carries load
  std::vector<Vec3> force_n;  ///< per frame
  std::vector<Vec3> point_m;  ///< per frame: centre of pressure / point of application
  std::vector<Vec3> torque_n_m;              ///< per frame: free moment (vertical for contacts)
  std::vector<std::vector<Vec3>> polygon_m;  ///< per frame: contact patch corners (ground; contacts only)
};

/// One generated repetition.
struct GeneratedExercise {
  ExerciseInfo info;
  ExerciseParameters parameters;
  Motion motion;  ///< every model coordinate over time (SI)
  Eigen::MatrixXd qdot,
      qddot;  ///< frames x coordinates: central differences of the pose function (step 1e-3 T)
  std::vector<ExerciseLoad> loads;
  std::vector<Vec3> com_m;  ///< whole-body centre of mass including the load object, per frame
  double body_mass_kg = 0.0;
  double load_kg = 0.0;
  /// Base of support per frame: convex hull (counter-clockwise seen from above, points at their height)
  /// of the active contact patches.
  std::vector<std::vector<Vec3>> base_of_support_m;
  std::vector<bool> static_frame;  ///< frames of the start, hold and end phases (no motion)
  /// Smallest distance (m) of a loaded contact's centre of pressure inside its patch over all frames;
  /// negative: at this tempo the motion needs a centre of pressure off the foot (or bench, chair...), so
  /// it is not balanced: the person would tip. Its frame and contact.
  double worst_cop_margin_m = 0.0;
  int worst_cop_frame = -1;
  std::string worst_cop_contact;
  int frames() const { return motion.frames(); }
};

/// Every exercise generate_exercise knows, in catalogue order.
const std::vector<ExerciseInfo>& exercise_catalog();

/// One repetition of exercise `name` for `model` (a model with the glutelab/Rajagopal coordinate
/// names). Throws std::invalid_argument for an unknown name (with the closest name as a suggestion)
/// or a parameter outside its range (the parameter is named with the allowed range).
GeneratedExercise generate_exercise(const Model& model, const std::string& name,
                                    const ExerciseParameters& params);

/// Checks parameters against their ranges for a model of `body_mass_kg`; throws std::invalid_argument.
void validate_exercise_parameters(const ExerciseParameters& params, double body_mass_kg);

/// The catalogue name closest to `name` by edit distance.
std::string closest_exercise_name(const std::string& name);

/// All loads active at `frame` added to `out` (ground axes, moments about the ground origin).
void add_exercise_loads(const GeneratedExercise& exercise, int frame, BodyForces& out);

/// The loads as an ExternalLoads set (force, point and torque columns in ground, one ExternalForce
/// per load) for the analysis tools (inverse dynamics, static optimization).
ExternalLoads exercise_external_loads(const Model& model, const GeneratedExercise& exercise);

/// Lower-case name of a placement ("none", "back_barbell", "front_rack", "hands", "hips").
std::string to_string(LoadPlacement placement);

}  // namespace glutelab
