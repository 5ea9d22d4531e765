// OpenSim-style MuscleAnalysis over a motion: musculotendon length, lengthening speed and moment
// arms of every muscle about every spanned coordinate, frame by frame, on all cores.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "glutelab/io/motion.hpp"
#include "glutelab/io/storage.hpp"
#include "glutelab/model/model.hpp"

namespace glutelab {

struct MuscleAnalysisOptions {
  int threads = 0;  ///< 0 = all hardware threads
  bool compute_moment_arms = true;
  /// Called now and then with (frames done, frames total); may be empty.
  std::function<void(int, int)> progress;
};

/// A place where a muscle's length changes between two frames by more than its moment arms allow:
/// the wrap solution (or a conditional path point) jumped there.
struct PathDiscontinuity {
  int muscle = 0;
  int coordinate = 0;   ///< the coordinate that moved most between the two frames
  int frame = 0;        ///< the later of the two frames
  double jump_m = 0.0;  ///< length change not explained by the moment arms
};

struct MuscleAnalysisResult {
  std::vector<double> time_s;
  Eigen::MatrixXd length_m;                   ///< frames x muscles
  Eigen::MatrixXd lengthening_speed_m_s;      ///< frames x muscles
  std::vector<int> coordinates;               ///< independent coordinates spanned by at least one muscle
  std::vector<Eigen::MatrixXd> moment_arm_m;  ///< per entry of `coordinates`: frames x muscles
  std::vector<PathDiscontinuity> discontinuities;
  double seconds = 0.0;  ///< wall time of the computation
};

/// Runs the analysis. Coordinate speeds come from the motion by second-order finite differences in time.
MuscleAnalysisResult muscle_analysis(const Model& model, const Motion& motion,
                                     const MuscleAnalysisOptions& options = {});

/// The result as OpenSim-named tables: "Length", "LengtheningSpeed" and "MomentArm_<coordinate>".
std::vector<std::pair<std::string, TimeTable>> muscle_analysis_tables(const Model& model,
                                                                      const MuscleAnalysisResult& result);

}  // namespace glutelab
