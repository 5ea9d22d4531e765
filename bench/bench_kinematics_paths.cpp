// Per-frame cost of kinematics + every muscle's length + every moment arm, one core, on the
// shipped gait2392 model and on RajagopalLaiUhlrich2023 (wrapping). Also one state's kinematics alone.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "glutelab/io/osim_reader.hpp"
#include "glutelab/kinematics/kinematics.hpp"
#include "glutelab/muscle/muscle_path.hpp"

namespace {

using namespace glutelab;

const Model& model_named(const std::string& which) {
  static const Model gait =
      read_osim(std::filesystem::path(GLUTELAB_DATA_DIR) / "models/gait2392_subject01.osim");
  static const Model lai = [] {
    const auto p = std::filesystem::path(GLUTELAB_SHARED_DIR) /
                   "data/opensim-models/Models/Rajagopal/RajagopalLaiUhlrich2023.osim";
    return std::filesystem::exists(p) ? read_osim(p) : Model{};
  }();
  return which == "gait2392" ? gait : lai;
}

// A walking-like pose that changes every iteration so that nothing is cached between frames.
void pose(const Model& model, State& s, long i) {
  set_default_coordinates(model, s);
  for (int c = 0; c < model.num_coordinates(); ++c) {
    const Coordinate& coord = model.coordinates[c];
    if (coord.motion_type == MotionType::Translational || coord.is_dependent()) continue;
    const double mid = 0.5 * (std::max(coord.range_min, -2.0) + std::min(coord.range_max, 2.0));
    const double half = 0.25 * (std::min(coord.range_max, 2.0) - std::max(coord.range_min, -2.0));
    s.q[c] = mid + half * std::sin(0.05 * static_cast<double>(i) + c);
  }
}

void kinematics_lengths_moment_arms(benchmark::State& bstate, const std::string& which) {
  const Model& model = model_named(which);
  if (model.muscles.empty()) {
    bstate.SkipWithError("model not available");
    return;
  }
  State s(model);
  PathWorkspace ws(model);
  Eigen::VectorXd ma(model.num_coordinates());
  long i = 0;
  double sink = 0.0;
  for (auto _ : bstate) {
    pose(model, s, i++);
    compute_positions(model, s);
    compute_jacobians(model, s);
    for (int m = 0; m < static_cast<int>(model.muscles.size()); ++m)
      sink += moment_arms(model, s, m, ws, ma) + ma[0];
  }
  benchmark::DoNotOptimize(sink);
  bstate.counters["muscles"] = static_cast<double>(model.muscles.size());
  bstate.counters["frames/s"] =
      benchmark::Counter(static_cast<double>(bstate.iterations()), benchmark::Counter::kIsRate);
}

void kinematics_only(benchmark::State& bstate, const std::string& which) {
  const Model& model = model_named(which);
  State s(model);
  long i = 0;
  for (auto _ : bstate) {
    pose(model, s, i++);
    compute_positions(model, s);
    compute_jacobians(model, s);
    benchmark::DoNotOptimize(s.X_ground_body.back().p);
  }
}

BENCHMARK_CAPTURE(kinematics_lengths_moment_arms, gait2392, std::string("gait2392"))
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(kinematics_lengths_moment_arms, RajagopalLaiUhlrich2023, std::string("lai"))
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(kinematics_only, gait2392, std::string("gait2392"))->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(kinematics_only, RajagopalLaiUhlrich2023, std::string("lai"))
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
