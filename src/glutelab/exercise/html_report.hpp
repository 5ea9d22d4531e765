// The self-contained HTML report for one body: every catalogued exercise analysed with
// analyze_exercise_work (activation of each muscle group over the repetition, moment shares, extensor
// work split, hip contact force, knee frontal-plane moment, reserves), the exercises ranked for the
// gluteal groups, and the femur-length sweep. run_exercise_report does the analyses; render_html_report
// turns their results into one HTML page (inline CSS and SVG, no external references, no JavaScript).
// See docs/exercises.md ("Report").
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "glutelab/exercise/exercise.hpp"
#include "glutelab/exercise/femur_sweep.hpp"
#include "glutelab/exercise/work_analysis.hpp"
#include "glutelab/model/model.hpp"
#include "glutelab/model/scaling.hpp"

namespace glutelab {

/// What to analyse for the report (SI units).
struct ExerciseReportOptions {
  /// Load, depth, tempo, frames per repetition and side for every exercise. The load goes to the
  /// exercises that carry one by default (placement None here) or to all (an explicit placement), as
  /// `glutelab rank` does.
  ExerciseParameters parameters;
  /// Static optimization settings; its `threads` is the number of exercises analysed at once
  /// (0: all cores), each analysis then runs on one thread.
  ExerciseWorkOptions work;
  /// Thigh-to-shank ratios of the femur sweep; ratios impossible for the body are left out. Empty: no sweep.
  std::vector<double> sweep_ratios{0.9, 1.0, 1.1, 1.2};
  /// Exercises of the femur sweep; empty: default_femur_sweep_exercises().
  std::vector<std::string> sweep_exercises;
  /// Called after each analysis (from worker threads, one call at a time): analyses done, total, and
  /// what was just finished ("back_squat", "femur sweep back_squat 1.1").
  std::function<void(int done, int total, const std::string& what)> progress;
};

/// The body and model the report describes.
struct ReportBody {
  BodyDescription description;  ///< as given (height, mass, sex, measured thigh if any)
  std::string model_name;       ///< the generic model's name
  int muscles = 0, coordinates = 0;
  double model_mass_kg = 0.0;                         ///< of the scaled model
  double thigh_length_m = 0.0, shank_length_m = 0.0;  ///< scaled to (target_segment_lengths)
};

/// Everything the report shows: the results of run_exercise_report.
struct ExerciseReportData {
  ReportBody body;
  ExerciseParameters parameters;
  bool explicit_placement = false;                             ///< the load went to every exercise
  std::vector<ExerciseWorkReport> exercises;                   ///< catalogue order, analysed ones only
  std::vector<std::pair<std::string, std::string>> skipped;    ///< exercise, why it could not be analysed
  FemurSweepResult femur_sweep;                                ///< empty exercises when no sweep was run
  std::vector<std::pair<double, std::string>> skipped_ratios;  ///< sweep ratios left out, and why
  /// Sweep points that could not be generated or analysed (their FemurSweepPoint has frames 0 and NaN
  /// figures): "back_squat at thigh-to-shank ratio 1.20", and why.
  std::vector<std::pair<std::string, std::string>> failed_sweep_points;
  double seconds = 0.0;  ///< wall time of run_exercise_report
};

/// The groups the report ranks exercises for: gluteus maximus, gluteus medius, gluteus minimus, deep six.
const std::vector<std::string>& report_ranking_groups();

/// Scales `generic` to `body` (validated first: throws std::invalid_argument naming the bad field, e.g.
/// an impossible height), analyses every exercise of exercise_catalog() and the femur sweep. An exercise
/// that cannot be generated or analysed for the body is listed in `skipped`, a sweep point in
/// `failed_sweep_points`; bad parameters throw.
ExerciseReportData run_exercise_report(const Model& generic, const BodyDescription& body,
                                       const ExerciseReportOptions& options = {});

/// The report as one self-contained HTML page (UTF-8). Pure: the same data gives the same text.
std::string render_html_report(const ExerciseReportData& data);

/// A percentage of the repetition (0 at the first frame, 100 at the last) for every time in `time_s`.
std::vector<double> percent_of_repetition(const std::vector<double>& time_s);

}  // namespace glutelab
