// Self-contained HTML pages (inline SVG, no script) of the posture simulators: the Trendelenburg curves
// (pelvic drop and trunk lean against abductor strength) and the valgus-collapse table.
#pragma once

#include <string>

#include "glutelab/dysfunction/trendelenburg.hpp"
#include "glutelab/dysfunction/valgus.hpp"

namespace glutelab {

/// The Trendelenburg result as one HTML page; `body` is a one-line description of the body simulated.
/// Pure: the same result gives the same text.
std::string render_trendelenburg_html(const TrendelenburgResult& result, const std::string& body);

/// The SVG plot of the curves: pelvic drop (cm) and trunk lean (deg) against abductor strength.
std::string trendelenburg_svg(const TrendelenburgResult& result);

/// The valgus result as one HTML page (a table per task and a plot of the knee frontal-plane moment).
std::string render_valgus_html(const ValgusResult& result, const std::string& body);

}  // namespace glutelab
