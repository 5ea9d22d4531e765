// Static optimization over a motion: per frame, the muscle activations (and reserve/residual actuator
// controls) that produce the generalized forces inverse dynamics needs, minimising sum |x|^p.
//  - OpenSim mode reproduces OpenSim's StaticOptimization analysis (force per unit activation from a
//    rigid-tendon force-length-velocity evaluation with use_muscle_physiology, no passive force).
//  - Physiological mode adds what OpenSim leaves out: passive fiber forces and, for muscles with an
//    elastic tendon, the tendon in equilibrium at the frame's activation (fixed-point iterations),
//    and reports infeasible frames.
// Frames run on all cores; each thread takes a contiguous block so that every frame is warm-started
// from the previous one.
#pragma once

#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "glutelab/io/external_loads.hpp"
#include "glutelab/io/motion.hpp"
#include "glutelab/io/storage.hpp"
#include "glutelab/model/model.hpp"

namespace glutelab {

enum class StaticOptimizationMode { OpenSim, Physiological };

/// How OpenSim mode computes a muscle's force per unit activation with use_muscle_physiology.
enum class OpenSimForceModel {
  /// OpenSim 4.x: calcInextensibleTendonActiveFiberForce(s, 1) (rigid tendon, the muscle's own f-L-V).
  Version4,
  /// OpenSim 2.x/3.x: computeIsokineticForceAssumingInfinitelyStiffTendon(s, 1): the isometric force
  /// at full activation with the elastic tendon in static equilibrium, times a generic
  /// force-velocity curve 1.8 - 1.8 / (1 + exp((0.04 - v) / 0.18)) of the normalised shortening
  /// speed v = -cos(alpha_opt) v_mt / (v_max l_opt). Reproduces results made with those versions.
  Version3,
};

struct StaticOptimizationOptions {
  StaticOptimizationMode mode = StaticOptimizationMode::OpenSim;
  double exponent = 2.0;              ///< activation_exponent p (> 1)
  bool use_muscle_physiology = true;  ///< OpenSim mode: F̂ from force-length-velocity (else F0)
  OpenSimForceModel opensim_version = OpenSimForceModel::Version4;
  double cutoff_hz = -1.0;  ///< low-pass cutoff for the coordinates; <= 0: none
  double start_s = -std::numeric_limits<double>::infinity();
  double end_s = std::numeric_limits<double>::infinity();
  int step_interval = 1;      ///< analyse every n-th row of the states (plus the last)
  int threads = 0;            ///< 0: all cores
  int tendon_iterations = 4;  ///< physiological mode, elastic tendons: at most this many fixed-point passes
  bool force_ipopt = false;   ///< solve p = 2 with Ipopt too (to check the dedicated solver)
  /// Model coordinates whose muscle moment arms (-dL/dq, as moment_arms) the result keeps per frame,
  /// so that an analysis needing them does not evaluate every muscle path a second time.
  std::vector<int> record_moment_arms;
  std::function<void(int done, int total)> progress;
};

/// What happened in one frame.
struct StaticOptimizationFrame {
  bool converged = false;
  int iterations = 0;
  double max_residual = 0.0;           ///< max |generalized force error| (N m or N)
  int worst_coordinate = -1;           ///< model coordinate with that error (-1 if none)
  double max_reserve_control = 0.0;    ///< max |x| over non-muscle actuators
  std::vector<int> saturated_muscles;  ///< muscles at their maximum activation
};

struct StaticOptimizationResult {
  std::vector<double> time_s;
  std::vector<std::string> actuator_names;  ///< muscles (model order), then actuators
  int num_muscles = 0;
  Eigen::MatrixXd activation;  ///< frames x actuators (x: muscle activation or control)
  Eigen::MatrixXd force;       ///< frames x actuators (N or N m), passive included in physiological mode
  std::vector<StaticOptimizationFrame> frames;
  Eigen::MatrixXd q, qdot, qddot;  ///< processed coordinates at the frames
  double seconds = 0.0;            ///< time for the optimization (after coordinate processing)
  /// One frames x muscles matrix (m) per StaticOptimizationOptions::record_moment_arms coordinate.
  std::vector<Eigen::MatrixXd> moment_arms;
};

/// The frames an AnalyzeTool analysis visits: coordinates processed as OpenSim's AnalyzeTool does
/// (optional filter, quintic speeds, target accelerations from a spline of the speeds), every
/// `step_interval`-th row of the states (absolute index) plus the first and last in [start, end].
struct AnalysisFrames {
  std::vector<double> time_s;
  Eigen::MatrixXd q, qdot, qddot;  ///< frames x model coordinates (SI)
};
AnalysisFrames analysis_frames(const Motion& motion, double cutoff_hz, double start_s, double end_s,
                               int step_interval);

/// Runs static optimization for `model` (its muscles and actuators, e.g. with reserve actuators added)
/// over `motion`, with `loads` (may be null). Throws std::invalid_argument for an exponent <= 1, a
/// motion too short for the filter/splines, or an empty time range.
StaticOptimizationResult static_optimization(const Model& model, const Motion& motion,
                                             const ExternalLoads* loads,
                                             const StaticOptimizationOptions& options);

/// OpenSim's output tables: "Static Optimization" activations and "ModelForces" forces.
TimeTable static_optimization_activation_table(const StaticOptimizationResult& result);
TimeTable static_optimization_force_table(const StaticOptimizationResult& result);

}  // namespace glutelab
