// Reads OpenSim .osim model files (4.x documents and the 3.x-era layouts) into an immutable Model.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "glutelab/model/model.hpp"

namespace glutelab {

/// Something the reader noticed but accepted (ignored visual geometry, unused components, ...).
struct ReadWarning {
  int line = 0;
  std::string message;
};

/// Reads and compiles a model. Throws InputError (file:line:col: message) on malformed XML, unknown
/// or unsupported components (unless safely ignorable, such as visual geometry), dangling references,
/// absurd values (negative mass, NaN, inverted ranges), or a file that is empty or too large.
Model read_osim(const std::filesystem::path& file, std::vector<ReadWarning>* warnings = nullptr);

/// Same, from an in-memory document; `name_for_messages` stands in for the file name.
Model read_osim_string(const std::string& xml, const std::string& name_for_messages,
                       std::vector<ReadWarning>* warnings = nullptr);

}  // namespace glutelab
