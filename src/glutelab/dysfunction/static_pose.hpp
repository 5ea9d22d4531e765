// A body standing on one planted foot, held still (or with one uniform acceleration of the whole body,
// the quasi-static stand-in for an instant of walking): the stance posture solved so that the sole stays
// flat on the floor with the centre of pressure at mid-foot, and the pose evaluated with the ground
// reaction that balances the whole body, inverse dynamics, static optimization (physiological mode) and
// joint reactions. Used by the Trendelenburg and valgus simulators (docs/dysfunction.md).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "glutelab/exercise/exercise.hpp"
#include "glutelab/kinematics/state.hpp"
#include "glutelab/math/spatial.hpp"
#include "glutelab/model/model.hpp"

namespace glutelab {

/// The planted foot: its sole corners (heel, 5th metatarsal, toe, medial corner) on the calcaneus, as the
/// exercise generator defines the sole, and the sole's normal in the calcaneus frame.
struct StanceFoot {
  Side side = Side::Right;
  int calcn = -1;
  std::vector<Vec3> sole_body;
  Vec3 sole_normal_body = Vec3::UnitY();
};

/// The stance foot of `model` for `side`, taken from the generator's single-leg stance contact.
StanceFoot stance_foot(const Model& model, Side side);

/// The 42 % point from heel to toe on the sole's centre line, in ground (the quiet-standing centre of
/// pressure the exercise library balances over), for a pose whose positions are computed.
Vec3 midfoot_point(const StanceFoot& foot, const State& state);

/// Whole-body centre of mass in ground (positions must be computed).
Vec3 whole_body_com(const Model& model, const State& state);

/// The centre of pressure on the plane y = floor_y of a body whose every part has the same acceleration
/// `acceleration` (no rotation): the CoM's projection shifted against the horizontal acceleration.
Vec3 uniform_acceleration_cop(const Vec3& com, const Vec3& acceleration, double gravity_mps2, double floor_y);

/// Solves `unknowns` (model coordinate indices) of state.q so that residual(state, r) is zero, r of the
/// unknowns' size (Newton with a finite-difference Jacobian and a line search, positions computed before
/// every call). Returns false when |r| stays above 1e-9; state.q keeps the last iterate.
bool solve_posture(const Model& model, State& state, const std::vector<int>& unknowns,
                   const std::function<void(const State&, Eigen::VectorXd&)>& residual);

/// Residuals of a planted stance foot: the sole flat (normal's x and z), and the centre of pressure (with
/// the uniform acceleration) at mid-foot: x at the 42 % point, z on the sole's centre line. Four values
/// written to r[offset..offset+3].
void stance_residuals(const Model& model, const StanceFoot& foot, const Vec3& acceleration, const State& s,
                      Eigen::VectorXd& r, int offset);

/// Translates the pelvis so that the sole's centre is at `sole_centre` (its height is the floor).
void plant_foot(const Model& model, const StanceFoot& foot, State& state, const Vec3& sole_centre);

struct StaticPoseOptions {
  /// Uniform acceleration of the whole body (ground axes, m/s^2); zero for a pose held still.
  Vec3 acceleration_mps2 = Vec3::Zero();
  double reserve_optimal_force_nm = 1.0;  ///< reserves reported where the muscles cannot balance the pose
  int tendon_iterations = 4;
};

/// One evaluated pose.
struct StaticPoseResult {
  /// Static optimization balances every joint with muscles alone, each activation within [0, its ceiling].
  bool feasible = false;
  Eigen::VectorXd activation, force;  ///< per muscle (model order); from the reserve run when not feasible
  double max_activation = 0.0;
  std::string max_activation_muscle;
  double max_reserve_nm = 0.0;  ///< largest reserve moment (0 when feasible), its coordinate
  std::string max_reserve_coordinate;
  /// Pelvis generalized forces of inverse dynamics with the ground reaction applied: N and N m.
  double residual_force_n = 0.0, residual_moment_nm = 0.0;
  Vec3 com_m = Vec3::Zero(), grf_n = Vec3::Zero(), cop_m = Vec3::Zero();
  double free_torque_nm = 0.0;  ///< vertical free moment at the CoP
  double cop_margin_m = 0.0;    ///< distance of the CoP inside the sole (negative: outside)
  Eigen::VectorXd tau;          ///< inverse-dynamics generalized forces (model coordinates)
  double hip_contact_bw = 0.0;  ///< stance hip: the pelvis's force on the femur / body weight
  /// Stance knee: the joint's reaction moment on the tibia about the tibia's anteroposterior (x) axis
  /// (the model's knee has no adduction coordinate), N m, as ExerciseWorkReport documents.
  double knee_frontal_moment_nm = 0.0;
};

/// Evaluates poses of one model standing on one foot: builds the model copies with residual actuators on
/// the pelvis (and reserves on every other free coordinate) once. Not thread-safe; one per thread.
class StaticPoseEvaluator {
 public:
  StaticPoseEvaluator(const Model& model, StanceFoot foot, StaticPoseOptions options = {});
  /// The pose `q` (the stance foot planted flat on y = 0): the ground reaction, inverse dynamics, static
  /// optimization without reserves and, when that fails, with reserves; joint reactions. Throws
  /// std::invalid_argument when the centre of pressure would need the foot to pull.
  StaticPoseResult evaluate(const Eigen::VectorXd& q) const;
  /// Only whether static optimization without reserves succeeds at `q` (the search's test).
  bool feasible(const Eigen::VectorXd& q) const;
  const Model& model() const { return model_; }
  const StanceFoot& foot() const { return foot_; }
  const StaticPoseOptions& options() const { return options_; }

 private:
  struct Loaded;
  Loaded load(const Eigen::VectorXd& q) const;
  const Model& model_;
  StanceFoot foot_;
  StaticPoseOptions options_;
  Model residual_model_, reserve_model_;
};

}  // namespace glutelab
