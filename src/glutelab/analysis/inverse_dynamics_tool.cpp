#include "glutelab/analysis/inverse_dynamics_tool.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "glutelab/analysis/coordinate_processing.hpp"
#include "glutelab/dynamics/external_load_forces.hpp"
#include "glutelab/dynamics/inverse_dynamics.hpp"
#include "glutelab/kinematics/kinematics.hpp"

namespace glutelab {

InverseDynamicsResult inverse_dynamics_over_motion(const Model& model, const Motion& motion,
                                                   const ExternalLoads* loads,
                                                   const InverseDynamicsOptions& options) {
  CoordinateProcessingOptions processing;
  processing.cutoff_hz = options.cutoff_hz;
  processing.t0 = options.start_s;
  processing.t1 = options.end_s;
  const ProcessedCoordinates coords = process_coordinates(motion.time_s, motion.q, processing);
  return inverse_dynamics_at_frames(model, coords.time_s, coords.q, coords.qdot, coords.qddot, loads,
                                    options);
}

InverseDynamicsResult inverse_dynamics_at_frames(const Model& model, const std::vector<double>& time_s,
                                                 const Eigen::MatrixXd& q, const Eigen::MatrixXd& qdot,
                                                 const Eigen::MatrixXd& qddot, const ExternalLoads* loads,
                                                 const InverseDynamicsOptions& options) {
  const auto rows = static_cast<Eigen::Index>(time_s.size());
  if (q.rows() != rows || qdot.rows() != rows || qddot.rows() != rows ||
      q.cols() != model.num_coordinates() || qdot.cols() != q.cols() || qddot.cols() != q.cols())
    throw std::invalid_argument(
        "inverse dynamics: q, qdot and qddot need one row per frame and one column per "
        "model coordinate");
  InverseDynamicsResult result;
  result.time_s = time_s;
  result.q = q;
  result.qdot = qdot;
  result.qddot = qddot;
  result.coordinates = coordinates_in_tree_order(model);
  const int frames = static_cast<int>(time_s.size());
  const int nc = model.num_coordinates();
  result.generalized_forces.setZero(frames, static_cast<Eigen::Index>(result.coordinates.size()));

  const auto start = std::chrono::steady_clock::now();
  int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::clamp(threads, 1, std::max(1, frames / 16));
  std::atomic<int> next{0}, done{0};
  auto worker = [&]() {
    State state(model);
    BodyForces applied(model);
    InverseDynamicsWorkspace ws(model);
    Eigen::VectorXd tau(nc);
    for (int f = next++; f < frames; f = next++) {
      state.q = q.row(f).transpose();
      state.qdot = qdot.row(f).transpose();
      state.qddot = qddot.row(f).transpose();
      applied.clear();
      if (loads != nullptr) {
        // External loads need the pose; inverse_dynamics recomputes it (cheap) with the speeds.
        compute_positions(model, state);
        add_external_loads(model, state, *loads, time_s[static_cast<std::size_t>(f)], applied);
      }
      inverse_dynamics(model, state, loads != nullptr ? &applied : nullptr, ws, tau);
      for (std::size_t k = 0; k < result.coordinates.size(); ++k)
        result.generalized_forces(f, static_cast<Eigen::Index>(k)) = tau[result.coordinates[k]];
      const int d = ++done;
      if (options.progress && (d % 64 == 0 || d == frames)) options.progress(d, frames);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

TimeTable inverse_dynamics_table(const Model& model, const InverseDynamicsResult& result) {
  TimeTable table;
  table.name = "Inverse Dynamics Generalized Forces";
  table.time_s = result.time_s;
  table.values = result.generalized_forces;
  for (int c : result.coordinates) {
    const Coordinate& coord = model.coordinates[static_cast<std::size_t>(c)];
    table.labels.push_back(coord.name + (coord.motion_type == MotionType::Rotational ? "_moment" : "_force"));
  }
  return table;
}

}  // namespace glutelab
