// The exercise library for one body (every catalogued exercise, 100 frames per repetition, generated and
// analysed: static optimization in physiological mode, inverse dynamics, joint reactions) and a femur
// length sweep of 50 bodies (thigh/shank ratios 0.8 to 1.3) over the squat, hinge and hip thrust, on all
// cores. Targets (issue 4): the library under 2 s and the 50-body sweep under a minute on two cores.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "glutelab/exercise/exercise.hpp"
#include "glutelab/exercise/femur_sweep.hpp"
#include "glutelab/exercise/work_analysis.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "glutelab/muscle/body_scaling.hpp"

namespace {

using namespace glutelab;

const Model& generic() {
  static const Model m = read_osim(std::filesystem::path(GLUTELAB_DATA_DIR) / "models/glutelab.osim");
  return m;
}

BodyDescription default_body() {
  BodyDescription b;
  b.height_m = 1.75;
  b.mass_kg = 75.0;
  return b;
}

void exercise_library_one_body(benchmark::State& bstate) {
  const Model m = scale_body(generic(), default_body());
  std::vector<ExerciseJob> jobs;
  for (const ExerciseInfo& e : exercise_catalog()) jobs.push_back({e.name, ExerciseParameters{}});
  for (auto _ : bstate) {
    const ExerciseLibraryAnalysis a = analyze_exercises(m, jobs);
    benchmark::DoNotOptimize(a.reports.data());
    if (!a.skipped.empty()) bstate.SkipWithError("an exercise could not be generated");
  }
  bstate.counters["exercises"] = static_cast<double>(jobs.size());
}
BENCHMARK(exercise_library_one_body)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(3);

void femur_sweep_50_bodies(benchmark::State& bstate) {
  std::vector<double> ratios;
  for (int i = 0; i < 50; ++i) ratios.push_back(0.8 + 0.5 * i / 49.0);
  for (auto _ : bstate) {
    const FemurSweepResult r = femur_length_sweep(generic(), default_body(), {}, ratios);
    benchmark::DoNotOptimize(r.points.data());
  }
  bstate.counters["analyses"] = 50.0 * static_cast<double>(default_femur_sweep_exercises().size());
}
BENCHMARK(femur_sweep_50_bodies)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

}  // namespace
