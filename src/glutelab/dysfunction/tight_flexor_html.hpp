// The tight-hip-flexor simulation as one self-contained HTML page (inline CSS and SVG plots, no external
// references): the passive flexor moment against hip angle, healthy and tight; the extra hip-extension
// moment, the lumbar shift and the Thomas-test end point against shortening; the table of every figure.
#pragma once

#include <string>

#include "glutelab/dysfunction/tight_hip_flexors.hpp"

namespace glutelab {

/// The page (UTF-8). Pure: the same report gives the same text.
std::string render_tight_flexor_html(const TightFlexorReport& report);

}  // namespace glutelab
