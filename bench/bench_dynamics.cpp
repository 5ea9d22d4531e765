// Inverse dynamics per frame and static optimization per trial on the shipped gait2392 walking case
// (OpenSim's joint-reaction tutorial: 92 muscles, 6 residual actuators, ground reaction forces), one core.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "glutelab/analysis/static_optimization.hpp"
#include "glutelab/dynamics/external_load_forces.hpp"
#include "glutelab/dynamics/inverse_dynamics.hpp"
#include "glutelab/io/force_set_reader.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "glutelab/kinematics/kinematics.hpp"

namespace {

using namespace glutelab;

struct Case {
  Model model;
  Motion motion;
  ExternalLoads loads;
};

const Case& walk() {
  static const Case c = [] {
    const auto dir = std::filesystem::path(GLUTELAB_DATA_DIR) / "cases/gait2392_walk_static_optimization";
    Case w;
    w.model = read_osim(dir / "subject01_simbody_adjusted_StaticOp.osim");
    for (Actuator& a : read_force_set_actuators(dir / "gait2392_SO_weak_Residual_Actuators.xml", w.model))
      w.model.actuators.push_back(a);
    w.motion = read_motion(w.model, dir / "subject01_walk1_Kinematics.sto");
    w.loads = read_external_loads(dir / "foot_floor_loads.xml", w.model, dir);
    return w;
  }();
  return c;
}

void inverse_dynamics_per_frame(benchmark::State& bstate) {
  const Case& w = walk();
  State s(w.model);
  BodyForces applied(w.model);
  InverseDynamicsWorkspace ws(w.model);
  Eigen::VectorXd tau(w.model.num_coordinates());
  long f = 0;
  for (auto _ : bstate) {
    const auto row = static_cast<Eigen::Index>(f++ % w.motion.frames());
    s.q = w.motion.q.row(row).transpose();
    s.qdot.setConstant(0.5);
    s.qddot.setConstant(1.0);
    compute_positions(w.model, s);
    applied.clear();
    add_external_loads(w.model, s, w.loads, w.motion.time_s[static_cast<std::size_t>(row)], applied);
    inverse_dynamics(w.model, s, &applied, ws, tau);
    benchmark::DoNotOptimize(tau.data());
  }
  bstate.counters["frames/s"] =
      benchmark::Counter(static_cast<double>(bstate.iterations()), benchmark::Counter::kIsRate);
}

void static_optimization_trial(benchmark::State& bstate) {
  const Case& w = walk();
  StaticOptimizationOptions o;
  o.threads = 1;
  o.start_s = 0.5;
  o.end_s = 1.999;
  o.step_interval = 10;  // the tutorial's 151 frames
  long frames = 0;
  for (auto _ : bstate) {
    const StaticOptimizationResult r = static_optimization(w.model, w.motion, &w.loads, o);
    frames += static_cast<long>(r.time_s.size());
    benchmark::DoNotOptimize(r.activation.data());
  }
  bstate.counters["frames/s"] = benchmark::Counter(static_cast<double>(frames), benchmark::Counter::kIsRate);
}

BENCHMARK(inverse_dynamics_per_frame)->Unit(benchmark::kMicrosecond);
BENCHMARK(static_optimization_trial)->Unit(benchmark::kMillisecond);

}  // namespace
