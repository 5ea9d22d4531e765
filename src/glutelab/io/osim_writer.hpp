// Writes a Model back as an OpenSim .osim file. The model must have been read from an OpenSim 4.x
// document (possibly then scaled or placed): that document is taken as it is and only the values a
// model change can touch are rewritten in place, so comments, formatting and every component glutelab
// does not read (contact geometry, controllers, probes, visuals) stay as they were. See
// docs/opensim-tools.md, section 7.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "glutelab/math/spatial.hpp"
#include "glutelab/model/model.hpp"

namespace glutelab {

struct OsimWriteOptions {
  /// The document the model was read from; empty: Model::file.
  std::filesystem::path source;
  /// Per-body scale factors to multiply into the scale_factors of the geometry attached to each frame
  /// of that body, as OpenSim's Frame::scaleAttachedGeometry (visual only; bodies not listed keep theirs).
  std::map<std::string, Vec3> geometry_scale_factors;
};

/// The .osim text of `model`, from `source_text` (the OpenSim 4.x document it was read from). Rewritten:
/// the model's name; body mass, mass_center, inertia; PhysicalOffsetFrame translations (joint frames
/// among them); CustomJoint translation functions and MovingPathPoint location functions that the model
/// multiplies (as OpenSim's MultiplierFunction); marker parent frames, locations and fixed flags
/// (markers the model lacks are removed, new ones appended); path point locations; wrap object
/// translations and dimensions; muscle max_isometric_force, optimal_fiber_length, tendon_slack_length;
/// PointActuator points. A value whose text already reads back as the model's number is left as written,
/// so an unchanged model gives back its document byte for byte; numbers are written in the shortest form
/// that reads back exactly. Throws InputError naming `source_name` for a document that does not describe
/// this model (a body, joint, muscle... missing or of another kind), a 3.x-era document, or a
/// MovingPathPoint on an offset frame (not representable after the reader's flattening).
std::string osim_document_text(const Model& model, const std::string& source_text,
                               const std::string& source_name, const OsimWriteOptions& options = {});

/// Reads the source document (options.source, else Model::file) and writes osim_document_text to `file`
/// atomically: a temporary file in the same folder, renamed over `file` when complete. Throws InputError
/// naming the file when the source cannot be read or the target cannot be written (missing folder,
/// read-only location); no partial file is left behind.
void write_osim(const Model& model, const std::filesystem::path& file, const OsimWriteOptions& options = {});

}  // namespace glutelab
