// The claims report as one self-contained HTML page: per claim the claim as the brief states it, what
// the model computes for it (numbers, plots, pending parts, limits), the verdict with its rule and checks,
// and the published evidence with references. Inline CSS and SVG only: no scripts, no external resources.
#pragma once

#include <string>

#include "glutelab/dysfunction/claim_evidence.hpp"
#include "glutelab/dysfunction/claims.hpp"

namespace glutelab {

/// The page (UTF-8). Pure: the same report and evidence give the same text.
std::string render_claims_html(const ClaimsReport& report, const EvidenceLibrary& evidence);

/// A claim number as shown: fractions as percentages, activations to 3 decimals, others with their unit.
std::string format_claim_number(const ClaimNumber& number);

}  // namespace glutelab
