// `glutelab claims`: the founding brief's claims, what the model computes for each on this run, the verdict
// derived from those numbers, and the published evidence (dysfunction/claims.hpp), written as
// claims.html, claims.json and claims.csv; prints one line per claim (or the JSON with --json).
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "glutelab/dysfunction/claim_evidence.hpp"
#include "glutelab/dysfunction/claims.hpp"
#include "glutelab/dysfunction/claims_html.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "glutelab/io/storage.hpp"
#include "progress.hpp"

namespace glutelab::cli {
namespace {

struct ClaimsArgs {
  std::string model = "glutelab";
  double height_m = 1.75, mass_kg = 75.0;
  std::string sex = "male";
  std::optional<double> femur_m;
  double load_kg = 0.0;
  int frames = 100;
  std::vector<double> ratios{0.9, 1.0, 1.1, 1.2};
  std::vector<double> posture_strengths{1.0, 0.8, 0.6, 0.4, 0.3, 0.2, 0.1, 0.0};
  bool no_posture = false;
  int threads = 0;
  std::string evidence;
  std::string out = "glutelab-output/claims";
  bool json = false;
};

nlohmann::json number_json(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

nlohmann::json claim_json(const Claim& c, const EvidenceLibrary& lib) {
  const ClaimEvidenceFromModel& m = c.model;
  nlohmann::json numbers = nlohmann::json::array();
  for (const ClaimNumber& n : m.numbers)
    numbers.push_back(
        {{"key", n.key}, {"label", n.label}, {"value", number_json(n.value)}, {"unit", n.unit}});
  nlohmann::json checks = nlohmann::json::array();
  for (const RuleCheck& k : m.verdict.checks)
    checks.push_back({{"condition", k.condition}, {"passed", k.passed}, {"measured", k.measured}});
  nlohmann::json findings = nlohmann::json::array();
  nlohmann::json evidence = nullptr;
  if (const ClaimPublishedEvidence* e = lib.find(c.id)) {
    for (const PublishedFinding& f : e->findings)
      findings.push_back({{"reference", f.reference}, {"finding", f.finding}});
    evidence = {{"summary", e->summary}, {"findings", findings}, {"not_found", e->not_found}};
  }
  return {{"id", c.id},
          {"title", c.title},
          {"statement", c.statement},
          {"verdict", to_string(m.verdict.verdict)},
          {"reason", m.verdict.reason},
          {"rule", m.verdict.rule},
          {"checks", checks},
          {"model",
           {{"body", m.body},
            {"method", m.method},
            {"numbers", numbers},
            {"plots", m.plots.size()},
            {"pending", m.pending},
            {"limits", m.limits}}},
          {"evidence", evidence}};
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return q + "\"";
}

std::string claims_csv(const ClaimsReport& r) {
  std::string csv = "claim,verdict,key,label,value,unit\n";
  char value[64];
  for (const Claim& c : r.claims)
    for (const ClaimNumber& n : c.model.numbers) {
      std::snprintf(value, sizeof value, "%.6g", n.value);
      csv += c.id + "," + csv_field(to_string(c.model.verdict.verdict)) + "," + csv_field(n.key) + "," +
             csv_field(n.label) + "," + value + "," + n.unit + "\n";
    }
  return csv;
}

void run_claims_command(const ClaimsArgs& a) {
  if (a.load_kg < 0.0)
    throw std::invalid_argument("--load must not be negative, got " + std::to_string(a.load_kg));
  BodyDescription body;
  body.height_m = a.height_m;
  body.mass_kg = a.mass_kg;
  body.sex = a.sex == "female" ? Sex::Female : Sex::Male;
  body.thigh_length_m = a.femur_m;
  ClaimsOptions o;
  o.parameters.load_kg = a.load_kg;
  o.parameters.frames_per_rep = a.frames;
  o.work.threads = a.threads;
  o.femur_ratios = a.ratios;
  o.posture_strengths = a.no_posture ? std::vector<double>{} : a.posture_strengths;
  validate_claims_options(body, o);  // before reading anything: a clear error for bad input
  const std::filesystem::path evidence_file =
      a.evidence.empty() ? default_evidence_path() : std::filesystem::path(a.evidence);
  const EvidenceLibrary lib = read_claim_evidence(evidence_file);
  check_evidence_covers_claims(lib);
  const Model generic = read_osim(model_path_from_argument(a.model));

  std::fprintf(stderr, "claims: simulating for %.2f m, %.0f kg, %s (%d frames per repetition)\n",
               body.height_m, body.mass_kg, a.sex.c_str(), a.frames);
  ProgressBar bar("claims");
  o.progress = [&bar](int done, int total, const std::string&) { bar.update(done, total); };
  const ClaimsReport r = run_claims(generic, body, o);

  const std::filesystem::path dir = a.out;
  std::filesystem::create_directories(dir);
  const std::string html = render_claims_html(r, lib);
  write_text_atomically(dir / "claims.html", html);
  write_text_atomically(dir / "claims.csv", claims_csv(r));
  nlohmann::json claims = nlohmann::json::array();
  for (const Claim& c : r.claims) claims.push_back(claim_json(c, lib));
  nlohmann::json skipped = nlohmann::json::array();
  for (const ClaimsSkipped& s : r.skipped) skipped.push_back({{"what", s.what}, {"reason", s.why}});
  const nlohmann::json j = {
      {"body",
       {{"height_m", body.height_m},
        {"mass_kg", body.mass_kg},
        {"sex", a.sex},
        {"thigh_length_m", a.femur_m ? nlohmann::json(*a.femur_m) : nlohmann::json(nullptr)}}},
      {"model", {{"name", r.model_name}, {"mass_kg", r.model_mass_kg}}},
      {"load_kg", a.load_kg},
      {"frames_per_rep", a.frames},
      {"femur_ratios", a.ratios},
      {"posture_strengths", a.no_posture ? std::vector<double>{} : a.posture_strengths},
      {"analyses", r.analyses},
      {"seconds", r.seconds},
      {"claims", claims},
      {"skipped", skipped},
      {"evidence_file", evidence_file.string()},
      {"files",
       {{"html", (dir / "claims.html").string()},
        {"json", (dir / "claims.json").string()},
        {"csv", (dir / "claims.csv").string()}}}};
  write_text_atomically(dir / "claims.json", j.dump(2) + "\n");

  for (const ClaimsSkipped& s : r.skipped)
    std::fprintf(stderr, "warning: not simulated: %s: %s\n", s.what.c_str(), s.why.c_str());
  if (a.json) {
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  std::printf("%-26s %-18s %s\n", "claim", "verdict", "statement");
  for (const Claim& c : r.claims)
    std::printf("%-26s %-18s %s\n", c.id.c_str(), to_string(c.model.verdict.verdict).c_str(),
                c.statement.c_str());
  std::printf("%d simulations in %.1f s; wrote %s (%.0f KiB), claims.json and claims.csv\n", r.analyses,
              r.seconds, (dir / "claims.html").string().c_str(), static_cast<double>(html.size()) / 1024.0);
}

}  // namespace

void add_claims_command(CLI::App& app) {
  auto a = std::make_shared<ClaimsArgs>();
  auto* cmd = app.add_subcommand(
      "claims",
      "The brief's claims (squats and femurs, hinges vs squats, gluteus medius, tight hip flexors, gluteal "
      "amnesia, single-leg work, spot reduction): the model's numbers, a verdict and the published evidence");
  cmd->add_option("--model", a->model, "Model to scale (glutelab: the built-in model)")
      ->capture_default_str();
  cmd->add_option("--height", a->height_m, "Body height (m)")->capture_default_str();
  cmd->add_option("--mass", a->mass_kg, "Body mass (kg)")->capture_default_str();
  cmd->add_option("--sex", a->sex, "male or female (segment proportions)")
      ->check(CLI::IsMember({"male", "female"}))
      ->capture_default_str();
  cmd->add_option("--femur", a->femur_m, "Thigh length, hip to knee joint centre (m)");
  cmd->add_option("--load", a->load_kg, "External load (kg) on the exercises that carry one by default")
      ->capture_default_str();
  cmd->add_option("--frames", a->frames, "Frames per repetition")->capture_default_str();
  cmd->add_option("--ratios", a->ratios, "Thigh-to-shank ratios of the squat's femur sweep")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("--posture-strengths", a->posture_strengths,
                  "Abductor strength levels of the Trendelenburg and valgus simulations (claim c)")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_flag("--no-posture", a->no_posture,
                "Skip the Trendelenburg and valgus simulations (claim c then says they are pending)");
  cmd->add_option("--evidence", a->evidence,
                  "The published evidence file (default data/evidence/claims.json)");
  cmd->add_option("-j,--threads", a->threads, "Threads (0 = all cores)")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  cmd->add_option("-o,--out", a->out, "Output folder (claims.html, claims.json, claims.csv)")
      ->capture_default_str();
  cmd->add_flag("--json", a->json, "Print the JSON instead of the verdict table");
  cmd->callback([a] { run_claims_command(*a); });
}

}  // namespace glutelab::cli
