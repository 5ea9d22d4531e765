// The claims report: every claim of the brief listed with a verdict from the allowed set, finite numbers
// from the model and at least one published finding; numbers that change with the body (so they are
// computed, not typed in); verdict rules that flip with their inputs; a self-contained page.
#include <gtest/gtest.h>

#include <cstdio>

#include <cmath>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>

#include "glutelab/dysfunction/claim_evidence.hpp"
#include "glutelab/dysfunction/claims.hpp"
#include "glutelab/dysfunction/claims_html.hpp"
#include "glutelab/io/input_error.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

const Model& model() {
  static const Model m = read_osim(test::project_data("models/glutelab.osim"));
  return m;
}

BodyDescription body(double height_m, double mass_kg) {
  BodyDescription b;
  b.height_m = height_m;
  b.mass_kg = mass_kg;
  return b;
}

/// Few frames and two femur ratios keep the run short; every claim is still computed.
std::string fmt_strength(const char* prefix, double strength) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%.2f", prefix, strength);
  return buf;
}

ClaimsOptions small_options() {
  ClaimsOptions o;
  o.parameters.frames_per_rep = 20;
  o.femur_ratios = {0.95, 1.2};
  return o;
}

/// One exercise or two per claim instead of the full lists.
ClaimsOptions reduced_options() {
  ClaimsOptions o = small_options();
  o.femur_ratios = {1.0};
  o.hinges = {"romanian_deadlift"};
  o.lunges = {"reverse_lunge"};
  o.other_ranked = {};
  o.abduction_exercises = {"single_leg_stance"};
  o.amnesia_exercises = {"glute_bridge"};
  o.single_leg_exercises = {"step_up"};
  return o;
}

const ClaimsReport& default_run() {
  static const ClaimsReport r = [] {
    ClaimsOptions o = small_options();
    int last_done = 0, last_total = 0;
    o.progress = [&](int done, int total, const std::string&) {
      last_done = done;
      last_total = total;
    };
    ClaimsReport rep = run_claims(model(), body(1.75, 75.0), o);
    EXPECT_EQ(last_done, last_total);
    EXPECT_EQ(last_total, rep.analyses);
    return rep;
  }();
  return r;
}

/// A shorter, lighter body, with the three pending simulations' results supplied.
const ClaimsReport& other_run() {
  static const ClaimsReport r = [] {
    ClaimsOptions o = reduced_options();
    o.tight_flexor_shortening = 0.0;
    o.posture_strengths = {};
    o.simulations.trendelenburg =
        TrendelenburgSummary{{1.0, 0.5, 0.2}, {0.0, 0.01, 0.03}, {0.0, 1.0, 3.0}, 0.2};
    o.simulations.tight_flexors = TightFlexorSummary{0.1, {{"glute_bridge", 0.05, 0.04, 4.0, 5.0}}, 6.0, 3.0};
    return run_claims(model(), body(1.60, 55.0), o);
  }();
  return r;
}

/// Nothing supplied and the tight-flexor and posture simulations switched off, on a reduced set of
/// exercises.
const ClaimsReport& pending_run() {
  static const ClaimsReport r = [] {
    ClaimsOptions o = reduced_options();
    o.tight_flexor_shortening = 0.0;
    o.posture_strengths = {};
    return run_claims(model(), body(1.75, 75.0), o);
  }();
  return r;
}

const EvidenceLibrary& evidence() {
  static const EvidenceLibrary lib = read_claim_evidence(test::project_data("evidence/claims.json"));
  return lib;
}

const Claim& claim(const ClaimsReport& r, const std::string& id) {
  for (const Claim& c : r.claims)
    if (c.id == id) return c;
  throw std::runtime_error("no claim " + id);
}

TEST(Claims, EveryClaimHasAVerdictFiniteModelNumbersAndACitation) {
  const ClaimsReport& r = default_run();
  ASSERT_EQ(r.claims.size(), claim_statements().size());
  EXPECT_TRUE(r.skipped.empty()) << r.skipped.front().what << ": " << r.skipped.front().why;
  const std::set<std::string> allowed{"supported", "not supported", "mixed", "outside the model"};
  for (std::size_t i = 0; i < r.claims.size(); ++i) {
    const Claim& c = r.claims[i];
    EXPECT_EQ(c.id, claim_statements()[i].first);
    EXPECT_EQ(c.statement, claim_statements()[i].second);
    EXPECT_TRUE(allowed.count(to_string(c.model.verdict.verdict))) << c.id;
    EXPECT_FALSE(c.model.verdict.reason.empty()) << c.id;
    EXPECT_FALSE(c.model.verdict.rule.empty()) << c.id;
    // The verdict is the rule applied to the checks recorded with it (outside the model has its own reason).
    if (!c.model.verdict.checks.empty()) {
      EXPECT_EQ(c.model.verdict.verdict, verdict_from_checks(c.model.verdict.checks));
    }
    EXPECT_GE(c.model.numbers.size(), 3u) << c.id;
    std::set<std::string> keys;
    for (const ClaimNumber& n : c.model.numbers) {
      EXPECT_TRUE(std::isfinite(n.value)) << c.id << " " << n.key;
      EXPECT_FALSE(n.unit.empty()) << c.id << " " << n.key;
      EXPECT_TRUE(keys.insert(n.key).second) << "duplicate key " << n.key;
    }
    EXPECT_FALSE(c.model.plots.empty()) << c.id;
    EXPECT_NE(c.model.body.find("1.75 m"), std::string::npos) << c.id;
    const ClaimPublishedEvidence* e = evidence().find(c.id);
    ASSERT_NE(e, nullptr) << c.id;
    EXPECT_GE(e->findings.size(), 1u) << c.id;
  }
  EXPECT_NO_THROW(check_evidence_covers_claims(evidence()));
  // By default the tight-flexor simulation runs: its numbers enter claim (d) and its verdict.
  const Claim& simulated = claim(r, "tight_flexors_glutes_off");
  EXPECT_TRUE(simulated.model.pending.empty());
  EXPECT_EQ(simulated.model.verdict.checks.size(), 3u);  // bridge, hip thrust, standing
  for (const char* e : {"glute_bridge", "hip_thrust", "standing_glute_squeeze"})
    ASSERT_NE(simulated.model.number(std::string(e) + "_gluteus_maximus_top_tight"), nullptr) << e;
  EXPECT_GT(simulated.model.number("end_range_hip_extension_loss")->value, 0.0);
  // By default the Trendelenburg and valgus simulations run too: claim (c) waits for nothing, and its
  // trunk lean over the stance hip (where a lean holds) never shrinks as the abductors weaken.
  const Claim& medius = claim(r, "medius_pelvis_knee");
  EXPECT_TRUE(medius.model.pending.empty());
  EXPECT_EQ(medius.model.verdict.checks.size(), 5u);  // three exercises, Trendelenburg, valgus
  double previous_lean = 0.0;
  int leans = 0;
  for (double strength : {1.0, 0.8, 0.6, 0.4, 0.3, 0.2, 0.1, 0.0})
    if (const ClaimNumber* n = medius.model.number(fmt_strength("trunk_lean_at_", strength))) {
      EXPECT_GE(n->value, previous_lean - 1e-9) << strength;
      previous_lean = n->value;
      ++leans;
    }
  EXPECT_GE(leans, 2);
  ASSERT_NE(medius.model.number("trunk_lean_at_1.00"), nullptr);
  EXPECT_EQ(medius.model.number("trunk_lean_at_1.00")->value, 0.0);  // full strength: no lean
  // The glutes that cannot fire carry (almost) no active force; the hamstrings do more.
  const Claim& amnesia = claim(r, "gluteal_amnesia");
  for (const char* e : {"glute_bridge", "hip_thrust", "romanian_deadlift"}) {
    const std::string ex = e;
    EXPECT_LT(amnesia.model.number(ex + "_gluteus_maximus_capped")->value,
              amnesia.model.number(ex + "_gluteus_maximus_healthy")->value)
        << e;
    EXPECT_GT(amnesia.model.number(ex + "_hamstrings_capped")->value,
              amnesia.model.number(ex + "_hamstrings_healthy")->value)
        << e;
  }
  // One weakened side: the single-leg exercises' healthy reference is the strong side's figure.
  const Claim& asym = claim(r, "single_leg_asymmetry");
  EXPECT_NEAR(asym.model.number("step_up_strong_side_peak")->value,
              asym.model.number("step_up_healthy_peak")->value, 0.05);
  EXPECT_GT(asym.model.number("step_up_weak_side_peak")->value,
            asym.model.number("step_up_healthy_peak")->value);
}

TEST(Claims, VerdictsNotComputedYetSayWhatTheyWaitFor) {
  const ClaimsReport& r = pending_run();
  EXPECT_EQ(claim(r, "tight_flexors_glutes_off").model.verdict.verdict, Verdict::OutsideModel);
  EXPECT_EQ(claim(r, "spot_reduction").model.verdict.verdict, Verdict::OutsideModel);
  auto pending = [&](const ClaimsReport& rep, const char* id, const char* what) {
    for (const std::string& p : claim(rep, id).model.pending)
      if (p.find(what) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(pending(r, "tight_flexors_glutes_off", "pending the tight-flexor simulation"));
  EXPECT_TRUE(pending(r, "medius_pelvis_knee", "pending the Trendelenburg simulation"));
  EXPECT_TRUE(pending(r, "medius_pelvis_knee", "pending the valgus simulation"));
  // Supplied results replace the pending notes and enter the verdict.
  const Claim& medius = claim(other_run(), "medius_pelvis_knee");
  EXPECT_EQ(medius.model.pending.size(), 1u);  // the valgus part is still pending
  ASSERT_NE(medius.model.number("pelvic_drop_at_0.20"), nullptr);
  EXPECT_DOUBLE_EQ(medius.model.number("pelvic_drop_at_0.20")->value, 0.03);
  const Claim& tight = claim(other_run(), "tight_flexors_glutes_off");
  EXPECT_TRUE(tight.model.pending.empty());
  ASSERT_NE(tight.model.number("glute_bridge_gluteus_maximus_top_tight"), nullptr);
  EXPECT_DOUBLE_EQ(tight.model.number("glute_bridge_gluteus_maximus_top_tight")->value, 0.04);
  // The supplied result has gluteus maximus working less with tight flexors: "switched off".
  EXPECT_EQ(tight.model.verdict.verdict, Verdict::Supported);
}

TEST(Claims, NumbersAreComputedForTheBody) {
  // The same reduced settings for a 1.75 m, 75 kg and a 1.60 m, 55 kg body.
  const ClaimsReport& a = pending_run();
  const ClaimsReport& b = other_run();
  EXPECT_NE(claim(b, "squat_quad_dominance").model.body.find("1.60 m"), std::string::npos);
  for (const Claim& ca : a.claims) {
    const Claim& cb = claim(b, ca.id);
    int compared = 0, differ = 0;
    for (const ClaimNumber& n : ca.model.numbers)
      if (const ClaimNumber* m = cb.model.number(n.key); m && n.unit != "count") {
        ++compared;
        differ += std::abs(n.value - m->value) > 1e-9 * (1.0 + std::abs(n.value)) ? 1 : 0;
      }
    EXPECT_GT(compared, 0) << ca.id;
    EXPECT_GT(differ, 0) << ca.id << ": no number changed with the body";
  }
}

TEST(Claims, BadOptionsAreRefusedWithTheOption) {
  auto error_of = [](const ClaimsOptions& o, const BodyDescription& b) -> std::string {
    try {
      validate_claims_options(b, o);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "";
  };
  ClaimsOptions o;
  o.hinges = {"romanian_deadlfit"};
  EXPECT_NE(error_of(o, body(1.75, 75)).find("romanian_deadlift"), std::string::npos);
  o = {};
  o.single_leg_exercises = {"back_squat"};
  EXPECT_NE(error_of(o, body(1.75, 75)).find("single-leg"), std::string::npos);
  o = {};
  o.weak_side_strength = 1.3;
  EXPECT_NE(error_of(o, body(1.75, 75)).find("weak_side_strength"), std::string::npos);
  o = {};
  o.femur_ratios = {0.2};
  EXPECT_NE(error_of(o, body(1.75, 75)).find("femur_ratios"), std::string::npos);
  o = {};
  EXPECT_NE(error_of(o, body(3.0, 75)).find("height"), std::string::npos);
  EXPECT_THROW(run_claims(model(), body(1.75, 0.0), small_options()), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------------
// Verdict rules on synthetic inputs

TEST(ClaimRules, VerdictFromChecks) {
  EXPECT_EQ(verdict_from_checks({}), Verdict::OutsideModel);
  EXPECT_EQ(verdict_from_checks({{"a", true, ""}, {"b", true, ""}}), Verdict::Supported);
  EXPECT_EQ(verdict_from_checks({{"a", false, ""}, {"b", false, ""}}), Verdict::NotSupported);
  EXPECT_EQ(verdict_from_checks({{"a", true, ""}, {"b", false, ""}}), Verdict::Mixed);
  EXPECT_EQ(to_string(Verdict::OutsideModel), "outside the model");
}

TEST(ClaimRules, QuadDominanceFlipsWithTheWorkSplit) {
  QuadDominanceInputs in;
  in.rows = {{0.9, 0.75, 0.20, 0.30, 0.10}, {1.2, 0.80, 0.15, 0.32, 0.12}};
  EXPECT_EQ(verdict_quad_dominance(in).verdict, Verdict::Supported);
  in.rows = {{0.9, 0.30, 0.60, 0.10, 0.20}, {1.2, 0.20, 0.70, 0.10, 0.30}};
  EXPECT_EQ(verdict_quad_dominance(in).verdict, Verdict::NotSupported);
  in.rows[1].quadriceps_mean_activation = 0.5;  // quadriceps above gluteus maximus at every ratio now
  in.rows[0].quadriceps_mean_activation = 0.5;
  const ClaimVerdict v = verdict_quad_dominance(in);
  EXPECT_EQ(v.verdict, Verdict::Mixed);
  EXPECT_NE(v.reason.find("not met"), std::string::npos);
}

TEST(ClaimRules, GluteRankingNeedsMeanAndPeakAboveTheSquat) {
  GluteRankingInputs in;
  in.squat = {"back_squat", 0.10, 0.20};
  in.hinges = {{"romanian_deadlift", 0.15, 0.30}};
  in.lunges = {{"forward_lunge", 0.20, 0.40}};
  EXPECT_EQ(verdict_glute_ranking(in).verdict, Verdict::Supported);
  in.hinges[0].peak_activation = 0.19;  // higher mean, lower peak: does not beat the squat
  EXPECT_EQ(verdict_glute_ranking(in).verdict, Verdict::Mixed);
  in.lunges[0].mean_activation = 0.05;
  EXPECT_EQ(verdict_glute_ranking(in).verdict, Verdict::NotSupported);
}

TEST(ClaimRules, MediusCountsMeaningfulSharesAndTheSuppliedSimulations) {
  MediusInputs in;
  in.exercises = {{"single_leg_stance", 0.8, 0.7, 0.1, true}, {"walking", 0.3, 0.2, 0.1, false}};
  EXPECT_EQ(verdict_medius(in).verdict,
            Verdict::Supported);  // walking's share is not meaningful: not counted
  in.exercises[1].meaningful = true;
  EXPECT_EQ(verdict_medius(in).verdict, Verdict::Mixed);
  in.exercises[1].meaningful = false;
  in.trendelenburg =
      TrendelenburgSummary{{1.0, 0.3}, {0.0, 0.005}, {0.0, 1.0}, std::nullopt};  // no visible drop
  EXPECT_EQ(verdict_medius(in).verdict, Verdict::Mixed);
  in.trendelenburg->pelvic_drop_m[1] = 0.025;
  EXPECT_EQ(verdict_medius(in).verdict, Verdict::Supported);
  in.valgus = ValgusSummary{{1.0, 0.4}, {0.0, -1.0}, {0.0, -0.5}, {0.0, -2.0}};  // knee does not cave in
  EXPECT_EQ(verdict_medius(in).verdict, Verdict::Mixed);
}

TEST(ClaimRules, TightFlexorsAreOutsideTheModelUntilSimulated) {
  TightFlexorInputs in;
  EXPECT_EQ(verdict_tight_flexors(in).verdict, Verdict::OutsideModel);
  in.simulation = TightFlexorSummary{
      0.1, {{"glute_bridge", 0.10, 0.06, 3.0, 4.0}, {"hip_thrust", 0.2, 0.1, 5.0, 6.0}}, 5.0, 2.0};
  EXPECT_EQ(verdict_tight_flexors(in).verdict, Verdict::Supported);
  in.simulation->exercises[0].gluteus_maximus_tight = 0.12;
  EXPECT_EQ(verdict_tight_flexors(in).verdict, Verdict::Mixed);
}

TEST(ClaimRules, AmnesiaNeedsEachNamedGroupToRiseEverywhere) {
  AmnesiaInputs in;
  CompensationRow r;
  r.exercise = "glute_bridge";
  r.mean_force_n = {{"hamstrings", {500, 700}}, {"lower back", {300, 400}}, {"quadriceps", {200, 260}}};
  in.exercises = {r};
  EXPECT_EQ(verdict_amnesia(in).verdict, Verdict::Supported);
  in.exercises[0].mean_force_n[1].second.second = 303;  // +1 %: below the 5 % threshold
  EXPECT_EQ(verdict_amnesia(in).verdict, Verdict::Mixed);
  in.exercises[0].mean_force_n = {
      {"hamstrings", {500, 500}}, {"lower back", {300, 300}}, {"quadriceps", {200, 100}}};
  EXPECT_EQ(verdict_amnesia(in).verdict, Verdict::NotSupported);
}

TEST(ClaimRules, AsymmetryComparesWithTheBilateralSquat) {
  AsymmetryInputs in;
  in.bilateral = {"back_squat", false, 0.30, 0.20, 0.20};
  in.single_leg = {{"step_up", true, 0.80, 0.60, 0.60}, {"single_leg_deadlift", true, 0.50, 0.35, 0.35}};
  EXPECT_EQ(verdict_asymmetry(in).verdict, Verdict::Supported);
  in.bilateral.weak_side_peak = 0.40;  // the squat now shows a 0.20 gap: larger than the deadlift's 0.15
  EXPECT_EQ(verdict_asymmetry(in).verdict, Verdict::Mixed);
  in.bilateral.weak_side_peak = 0.60;
  EXPECT_EQ(verdict_asymmetry(in).verdict, Verdict::NotSupported);
}

TEST(ClaimRules, SpotReductionIsOutsideAModelWithoutFat) {
  EXPECT_EQ(verdict_spot_reduction({}).verdict, Verdict::OutsideModel);
  EXPECT_EQ(verdict_spot_reduction({0.2, 0.5}).verdict, Verdict::Supported);
  EXPECT_EQ(verdict_spot_reduction({0.8, 0.5}).verdict, Verdict::NotSupported);
}

// ---------------------------------------------------------------------------------------------------
// Evidence file and page

TEST(ClaimEvidence, TheShippedFileCoversEveryClaimWithReferences) {
  for (const ClaimPublishedEvidence& e : evidence().claims) {
    EXPECT_FALSE(e.summary.empty()) << e.claim_id;
    for (const PublishedFinding& f : e.findings) {
      EXPECT_NE(f.reference.find_first_of("0123456789"), std::string::npos)
          << f.reference;  // a year at least
      EXPECT_GT(f.finding.size(), 20u) << f.reference;
    }
  }
}

TEST(ClaimEvidence, MalformedFilesAreRefused) {
  EXPECT_THROW(parse_claim_evidence("{", "x.json"), InputError);
  EXPECT_THROW(parse_claim_evidence(R"({"claims": [{"id": "spot_reduction", "findings": []}]})", "x.json"),
               InputError);  // no summary
  EXPECT_THROW(
      parse_claim_evidence(
          R"({"claims": [{"id": "a", "summary": "s", "findings": [{"reference": " ", "finding": "f"}]}]})",
          "x.json"),
      InputError);  // empty reference
  const EvidenceLibrary one = parse_claim_evidence(
      R"({"claims": [{"id": "spot_reduction", "summary": "s", "findings": []}]})", "x.json");
  EXPECT_THROW(check_evidence_covers_claims(one), std::invalid_argument);
  EXPECT_THROW(read_claim_evidence(test::temp_dir("claims_missing") / "none.json"), InputError);
}

TEST(ClaimsHtml, IsSelfContainedAndShowsEveryClaim) {
  const std::string h = render_claims_html(pending_run(), evidence());
  const std::regex external(R"((src|href)\s*=\s*["']?\s*(https?:)?//)", std::regex::icase);
  EXPECT_FALSE(std::regex_search(h, external));
  EXPECT_EQ(h.find("<script"), std::string::npos);
  EXPECT_EQ(h.find("<link"), std::string::npos);
  EXPECT_EQ(h.find("@import"), std::string::npos);
  EXPECT_EQ(h.find("url("), std::string::npos);
  EXPECT_EQ(h.find("<img"), std::string::npos);
  const std::regex link(R"(href="#([^"]+)\")");
  for (auto it = std::sregex_iterator(h.begin(), h.end(), link); it != std::sregex_iterator(); ++it)
    EXPECT_NE(h.find("id=\"" + (*it)[1].str() + "\""), std::string::npos) << (*it)[1];
  for (const Claim& c : pending_run().claims) {
    EXPECT_NE(h.find("<section class=\"claim\" id=\"" + c.id + "\">"), std::string::npos) << c.id;
    EXPECT_NE(h.find("data-verdict=\"" + to_string(c.model.verdict.verdict) + "\""), std::string::npos)
        << c.id;
    const ClaimNumber& n = c.model.numbers.front();
    EXPECT_NE(h.find("data-key=\"" + n.key + "\">" + format_claim_number(n) + "<"), std::string::npos)
        << n.key;
    EXPECT_NE(h.find(evidence().find(c.id)->findings.front().reference.substr(0, 20)), std::string::npos)
        << c.id;
  }
  EXPECT_NE(h.find("<svg"), std::string::npos);
}

}  // namespace
}  // namespace glutelab
