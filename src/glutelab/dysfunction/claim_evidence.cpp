#include "glutelab/dysfunction/claim_evidence.hpp"

#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "glutelab/dysfunction/claims.hpp"
#include "glutelab/io/input_error.hpp"

namespace glutelab {
namespace {

std::string text_field(const nlohmann::json& j, const char* key, const std::filesystem::path& source,
                       const std::string& where, bool required) {
  if (!j.contains(key)) {
    if (required) throw InputError(source, where + ": missing \"" + key + "\"");
    return "";
  }
  if (!j.at(key).is_string()) throw InputError(source, where + ": \"" + key + "\" must be a string");
  const std::string s = j.at(key).get<std::string>();
  if (required && s.find_first_not_of(" \t\n") == std::string::npos)
    throw InputError(source, where + ": \"" + key + "\" is empty");
  return s;
}

}  // namespace

const ClaimPublishedEvidence* EvidenceLibrary::find(const std::string& claim_id) const {
  for (const ClaimPublishedEvidence& c : claims)
    if (c.claim_id == claim_id) return &c;
  return nullptr;
}

EvidenceLibrary parse_claim_evidence(const std::string& json_text, const std::filesystem::path& source) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(source, std::string("not valid JSON: ") + e.what());
  }
  if (!j.is_object() || !j.contains("claims") || !j.at("claims").is_array())
    throw InputError(source, "expected an object with a \"claims\" array");
  EvidenceLibrary lib;
  lib.about = text_field(j, "about", source, "top level", false);
  std::set<std::string> ids;
  for (const nlohmann::json& c : j.at("claims")) {
    if (!c.is_object()) throw InputError(source, "every entry of \"claims\" must be an object");
    ClaimPublishedEvidence e;
    e.claim_id = text_field(c, "id", source, "claim", true);
    const std::string where = "claim '" + e.claim_id + "'";
    if (!ids.insert(e.claim_id).second) throw InputError(source, where + " appears twice");
    e.summary = text_field(c, "summary", source, where, true);
    e.not_found = text_field(c, "not_found", source, where, false);
    if (!c.contains("findings") || !c.at("findings").is_array())
      throw InputError(source, where + ": missing \"findings\" array");
    for (const nlohmann::json& f : c.at("findings")) {
      if (!f.is_object()) throw InputError(source, where + ": every finding must be an object");
      e.findings.push_back({text_field(f, "reference", source, where + " finding", true),
                            text_field(f, "finding", source, where + " finding", true)});
    }
    lib.claims.push_back(std::move(e));
  }
  return lib;
}

EvidenceLibrary read_claim_evidence(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw InputError(file, "cannot read the evidence file");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_claim_evidence(ss.str(), file);
}

void check_evidence_covers_claims(const EvidenceLibrary& library) {
  std::set<std::string> known;
  for (const auto& [id, statement] : claim_statements()) {
    known.insert(id);
    const ClaimPublishedEvidence* e = library.find(id);
    if (!e || e->findings.empty())
      throw std::invalid_argument("the evidence file has no published finding for claim '" + id + "'");
  }
  for (const ClaimPublishedEvidence& e : library.claims)
    if (!known.count(e.claim_id))
      throw std::invalid_argument("the evidence file has a claim '" + e.claim_id +
                                  "' that the claims report does not know");
}

}  // namespace glutelab
