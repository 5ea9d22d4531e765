// The compensation report as one self-contained HTML page (the exercise report's style, inline SVG, no
// script): group activation over the repetition for the healthy and the impaired body, bar charts of the
// muscles that take over and those that give up, the hip moment shares, the loads on the lower back, knee
// and hip, reserves, and the weakest feasible strengths when they were searched.
#pragma once

#include <string>
#include <vector>

#include "glutelab/dysfunction/compensation.hpp"

namespace glutelab {

/// "gluteus medius, right side: strength 0.50" (the factors that are not 1; "unchanged" when both are 1).
std::string describe_impairment(const MuscleImpairment& impairment);

/// The page. `limits` (may be empty) are shown in their own section. Pure: the same input gives the
/// same text.
std::string render_compensation_html(const CompensationReport& report,
                                     const std::vector<WeakestFeasible>& limits);

}  // namespace glutelab
