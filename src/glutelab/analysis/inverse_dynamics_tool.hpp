// OpenSim's InverseDynamicsTool over a whole motion: coordinates processed as the tool does
// (optional low-pass filter, quintic splines for speeds and accelerations), external loads applied,
// generalized forces for every coordinate at every output time, frames spread over all cores.
#pragma once

#include <functional>
#include <limits>
#include <vector>

#include <Eigen/Core>

#include "glutelab/io/external_loads.hpp"
#include "glutelab/io/motion.hpp"
#include "glutelab/io/storage.hpp"
#include "glutelab/model/model.hpp"

namespace glutelab {

struct InverseDynamicsOptions {
  double cutoff_hz = -1.0;  ///< low-pass cutoff for the coordinates; <= 0: none
  double start_s = -std::numeric_limits<double>::infinity();
  double end_s = std::numeric_limits<double>::infinity();
  int threads = 0;  ///< 0: all cores
  std::function<void(int done, int total)> progress;
};

struct InverseDynamicsResult {
  std::vector<double> time_s;
  std::vector<int> coordinates;        ///< model coordinates in OpenSim's output (tree) order
  Eigen::MatrixXd generalized_forces;  ///< frames x coordinates (N m or N), in that order
  Eigen::MatrixXd q, qdot, qddot;      ///< the processed coordinates (frames x model coordinates)
  double seconds = 0.0;                ///< time spent on the dynamics (after coordinate processing)
};

/// Runs inverse dynamics over `motion` (coordinates in SI units, one column per model coordinate).
/// `loads` may be null. Throws std::invalid_argument when the motion is too short for the filter or
/// the splines, or the time range is empty.
InverseDynamicsResult inverse_dynamics_over_motion(const Model& model, const Motion& motion,
                                                   const ExternalLoads* loads,
                                                   const InverseDynamicsOptions& options);

/// The same at given frames whose speeds and accelerations are already known (frames x model coordinates,
/// SI): no filtering or splines; the options' cutoff and time range are not used.
InverseDynamicsResult inverse_dynamics_at_frames(const Model& model, const std::vector<double>& time_s,
                                                 const Eigen::MatrixXd& q, const Eigen::MatrixXd& qdot,
                                                 const Eigen::MatrixXd& qddot, const ExternalLoads* loads,
                                                 const InverseDynamicsOptions& options);

/// The result as OpenSim writes it: "Inverse Dynamics Generalized Forces", columns <coord>_moment
/// (rotational) or <coord>_force (translational and coupled).
TimeTable inverse_dynamics_table(const Model& model, const InverseDynamicsResult& result);

}  // namespace glutelab
