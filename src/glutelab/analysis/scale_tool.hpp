// OpenSim's ScaleTool: a generic model (with an optional marker set) is scaled by per-body factors
// from marker-pair measurements of a static trial and/or manual scales (ModelScaler), then posed by
// a weighted inverse-kinematics fit to the trial's time-averaged markers, and its non-fixed markers are
// moved onto the measured positions (MarkerPlacer). See docs/opensim-tools.md, section 7.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "glutelab/io/scale_setup.hpp"
#include "glutelab/io/storage.hpp"
#include "glutelab/model/model.hpp"
#include "glutelab/model/scaling.hpp"

namespace glutelab {

/// One measurement's outcome: per marker pair the model distance (default pose) and the mean
/// experimental distance, and the factor (mean over pairs of experimental / model).
struct MeasurementResult {
  std::string name;
  struct Pair {
    std::string first, second;
    double model_m = 0.0, experimental_m = 0.0;
  };
  std::vector<Pair> pairs;
  double factor = 1.0;
};

/// OpenSim's MarkerData::findFrameRange: from the last frame at or before `start_s` (else the first)
/// to the first frame from there at or after `end_s` (else the last). Throws InputError naming `file`
/// when [start_s, end_s] lies wholly outside the data's times.
std::pair<int, int> marker_frame_range(const MarkerTable& markers, double start_s, double end_s,
                                       const std::filesystem::path& file);

/// ModelScaler::computeMeasurementScaleFactor: for each pair, the mean over the frame range of the
/// experimental distance (frames where either marker is missing are skipped) over the model distance
/// at the default pose; the factor is the mean of these ratios. Throws InputError at the pair's line
/// of `setup_file` for a marker missing from the model or the .trc (OpenSim only warns and skips the
/// measurement), or a pair never visible in the range.
MeasurementResult measurement_scale_factor(const Model& model, const MarkerTable& markers,
                                           const std::filesystem::path& marker_file,
                                           const ScaleMeasurement& measurement, std::pair<int, int> frames,
                                           const std::filesystem::path& setup_file);

/// The ModelScaler's factors for every body of `model` (ground excluded), applying the scaling_order
/// steps in sequence: measurements set the listed axes of the listed bodies, manual scales replace a
/// body's three factors; unmentioned bodies keep 1. A body the model lacks is skipped with a warning
/// (file:line), as OpenSim skips it, or is an InputError when `strict`.
std::vector<SegmentScale> model_scaler_factors(const Model& model, const ScaleSetup& setup,
                                               const MarkerTable* markers,
                                               std::vector<MeasurementResult>* measured,
                                               std::vector<std::string>& warnings, bool strict);

/// OpenSim's Model::scale with muscle postScale: scale_body (model/scaling.hpp) for the geometry and
/// muscle lengths; masses to `subject_mass_kg` (<= 0: no total imposed) in the generic proportions when
/// preserve_mass_distribution, else each generic mass times the product of its body's factors before
/// normalising to the total (OpenSim's rule; inertias follow their body's mass).
Model scale_model_like_opensim(const Model& generic, const std::vector<SegmentScale>& scales,
                               double subject_mass_kg, bool preserve_mass_distribution);

/// The MarkerPlacer's result.
struct MarkerPlacement {
  Eigen::VectorXd q;    ///< the static pose (all coordinates, SI)
  double time_s = 0.0;  ///< the pose's time (the start of the time range)
  int frames_averaged = 0;
  int markers_fitted = 0;    ///< marker terms in the IK objective
  double rms_error_m = 0.0;  ///< over the fitted markers, at the pose, before the markers move
  double max_error_m = 0.0;
  std::string worst_marker;
  int iterations = 0;
  std::vector<std::string> removed_markers;  ///< model markers absent from the static trial (deleted)
  std::vector<std::string> moved_markers;    ///< non-fixed markers placed on the measured positions
};

/// OpenSim's MarkerPlacer: averages the static trial over the time range (per marker over the frames
/// where it is present; max_marker_movement in the file's units, negative = no limit), deletes model
/// markers absent from the trial, solves a weighted IK from the default pose (marker weights from
/// applied IKMarkerTasks, 1 for other trial markers, as OpenSim's MarkersReference; coordinate tasks
/// towards the default or manual value; clamped coordinates kept in range; locked ones at default),
/// then moves every non-fixed marker onto its averaged measured position. Modifies `model`'s markers.
MarkerPlacement place_markers(Model& model, const MarkerTable& markers,
                              const std::filesystem::path& marker_file, const ScaleSetup& setup);

struct ScaleToolOptions {
  std::filesystem::path model_file;         ///< overrides GenericModelMaker's model_file when set
  std::filesystem::path results_directory;  ///< outputs go here (same file names) when set
  bool write_files = true;
  bool strict = false;  ///< unknown bodies in measurements/manual scales are errors, not warnings
};

struct ScaleToolResult {
  Model model;                       ///< scaled, with placed markers
  std::vector<SegmentScale> scales;  ///< every body but ground
  std::vector<MeasurementResult> measurements;
  bool scaled = false, placed = false;
  MarkerPlacement placement;
  double generic_mass_kg = 0.0;
  std::vector<std::string> warnings;
  std::vector<std::filesystem::path> written;
  double seconds = 0.0;
};

/// Runs a ScaleTool setup: reads the generic model and marker set, scales, places markers and writes
/// the scale set (output_scale_file), marker set (output_marker_file), static pose (output_motion_file)
/// and the models (io/osim_writer.hpp): ModelScaler's output_model_file scaled, MarkerPlacer's also
/// with the placed markers, both with the attached geometry scaled. A generic document the writer
/// cannot patch (3.x-era) gets a warning and `<model stem>_scaleset.xml` / `_markers.xml` instead.
ScaleToolResult run_scale_tool(const ScaleSetup& setup, const ScaleToolOptions& options = {});

/// OpenSim <ScaleSet> document for the factors (ground first with factor 1).
std::string scale_set_xml(const std::vector<SegmentScale>& scales, const std::string& name);
/// OpenSim 4 <MarkerSet> document of the model's markers (parent frame = the body, location in it).
std::string marker_set_xml(const Model& model);

}  // namespace glutelab
