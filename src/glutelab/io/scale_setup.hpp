// OpenSim ScaleTool setup files (GenericModelMaker, ModelScaler, MarkerPlacer) and OpenSim MarkerSet
// files. Paths are resolved relative to the setup file's folder, as OpenSim resolves them; every item
// keeps its line so that later checks (unknown body, missing marker) can point at it.
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "glutelab/model/model.hpp"

namespace glutelab {

/// One <Measurement>: the mean ratio of experimental to model marker-pair distances scales the listed
/// axes of the listed bodies.
struct ScaleMeasurement {
  std::string name;
  bool apply = true;
  int line = 0;
  struct MarkerPair {
    std::string first, second;
    int line = 0;
  };
  std::vector<MarkerPair> marker_pairs;
  struct BodyScale {
    std::string body;
    std::array<bool, 3> axes{true, true, true};  ///< X, Y, Z
    int line = 0;
  };
  std::vector<BodyScale> body_scales;
};

/// One manual <Scale> of a <ScaleSet>: factors for a body's x, y, z axes.
struct ManualScale {
  std::string body;
  Vec3 factors = Vec3::Ones();
  bool apply = true;
  int line = 0;
};

/// An <IKMarkerTask> or <IKCoordinateTask> of the MarkerPlacer's IKTaskSet.
struct ScaleIkTask {
  enum class Kind { Marker, Coordinate };
  enum class ValueType { DefaultValue, ManualValue, FromFile };
  Kind kind = Kind::Marker;
  std::string name;
  bool apply = true;
  double weight = 1.0;
  ValueType value_type = ValueType::DefaultValue;  ///< coordinate tasks
  double value = 0.0;                              ///< manual_value target (radians or metres as in the file)
  int line = 0;
};

struct ScaleSetup {
  std::filesystem::path setup_file;
  std::string name;                   ///< the tool's name attribute (the scaled model's name)
  double mass_kg = -1.0;              ///< subject mass; <= 0: masses are not rescaled to a total
  double height = -1.0;               ///< informational only, as written (OpenSim's own files use mm)
  std::vector<std::string> warnings;  ///< elements read but not used (file:line: message)

  struct GenericModelMaker {
    std::filesystem::path model_file;  ///< not checked for existence by the reader
    int model_file_line = 0;
    std::filesystem::path marker_set_file;  ///< empty: keep the model's markers
  } generic_model_maker;

  struct ModelScaler {
    bool apply = true;
    std::vector<std::string> scaling_order;  ///< "measurements" / "manualScale", applied in sequence
    std::vector<ScaleMeasurement> measurements;
    std::vector<ManualScale> scales;
    std::filesystem::path marker_file;  ///< .trc for the measurements
    double start_s = -1.0, end_s = -1.0;
    bool has_time_range = false;
    bool preserve_mass_distribution = false;                     ///< OpenSim's default
    std::filesystem::path output_model_file, output_scale_file;  ///< empty: not written
    int line = 0;
  } model_scaler;

  struct MarkerPlacer {
    bool apply = true;
    std::vector<ScaleIkTask> tasks;
    std::filesystem::path marker_file;      ///< static trial .trc
    std::filesystem::path coordinate_file;  ///< empty: none
    double start_s = -1.0, end_s = -1.0;
    bool has_time_range = false;
    std::filesystem::path output_model_file, output_motion_file, output_marker_file;
    double max_marker_movement = -1.0;  ///< in the .trc's units; negative: no limit
    int line = 0;
  } marker_placer;
};

/// Reads a ScaleTool setup. Throws InputError (file:line:column) for a document that is not a
/// ScaleTool, malformed numbers or flags, an unknown scaling_order word, a measurement without marker
/// pairs or bodies, a referenced input file that does not exist (except the generic model, which a run
/// may replace), or an inverted time range.
/// Unknown elements become warnings (file:line).
ScaleSetup read_scale_setup(const std::filesystem::path& setup_file);

/// Reads an OpenSim <MarkerSet> file (3.x `<body>` or 4.x `<socket_parent_frame>`), resolving the
/// markers' frames on `model`. Throws InputError naming file and line for an unknown body or frame.
std::vector<Marker> read_marker_set(const std::filesystem::path& file, const Model& model);

/// OpenSim's Model::updateMarkerSet: a marker of the same name is replaced, others are appended.
void update_marker_set(Model& model, const std::vector<Marker>& markers);

}  // namespace glutelab
