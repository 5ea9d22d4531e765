// The published evidence for the claims report: the project's curated list of findings with their
// references, read from data/evidence/claims.json (its sources in data/SOURCE.md). It is text for the
// report only: no verdict reads it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace glutelab {

/// One published finding: the full reference and what it found, in figures.
struct PublishedFinding {
  std::string reference;  ///< authors, year, title, journal, volume, pages
  std::string finding;    ///< facts and figures, in the project's words
};

/// The evidence for one claim.
struct ClaimPublishedEvidence {
  std::string claim_id;  ///< as in claim_statements()
  std::string summary;   ///< what the findings add up to
  std::vector<PublishedFinding> findings;
  std::string not_found;  ///< what was searched for and not found ("No source was found for ...")
};

struct EvidenceLibrary {
  std::string about;  ///< where the list comes from
  std::vector<ClaimPublishedEvidence> claims;
  /// The evidence for `claim_id`, or nullptr.
  const ClaimPublishedEvidence* find(const std::string& claim_id) const;
};

/// Parses the evidence file's JSON text; `source` names it in errors. Throws InputError for JSON that is
/// not the expected shape (a missing field, an empty reference or finding, a duplicated claim id).
EvidenceLibrary parse_claim_evidence(const std::string& json_text, const std::filesystem::path& source);

/// Reads and parses the evidence file (InputError when it cannot be read).
EvidenceLibrary read_claim_evidence(const std::filesystem::path& file);

/// Throws std::invalid_argument naming the claim when a claim of claim_statements() has no finding in
/// `library`, or when the library has a claim id the report does not know.
void check_evidence_covers_claims(const EvidenceLibrary& library);

}  // namespace glutelab
