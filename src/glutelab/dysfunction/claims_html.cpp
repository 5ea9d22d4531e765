#include "glutelab/dysfunction/claims_html.hpp"

#include <cmath>

#include "glutelab/io/html_page.hpp"
#include "glutelab/io/svg_plot.hpp"

namespace glutelab {
namespace {

std::string esc(const std::string& s) { return xml_escape(s); }

std::string verdict_class(Verdict v) {
  switch (v) {
    case Verdict::Supported:
      return "v-supported";
    case Verdict::NotSupported:
      return "v-not";
    case Verdict::Mixed:
      return "v-mixed";
    case Verdict::OutsideModel:
      return "v-outside";
  }
  return "v-outside";
}

std::string badge(Verdict v) {
  return "<span class=\"verdict " + verdict_class(v) + "\">" + esc(to_string(v)) + "</span>";
}

const char* kClaimsCss = R"(
.verdict{display:inline-block;padding:.05em .55em;border-radius:.8em;font-weight:600;font-size:.9em;white-space:nowrap}
.v-supported{background:#d5f5e3;color:#145a32}.v-not{background:#fadbd8;color:#78281f}
.v-mixed{background:#fcf3cf;color:#7d6608}.v-outside{background:#e5e8e8;color:#424949}
.claim{border-top:1px solid #eaecee;margin-top:2.5em}.statement{font-size:1.15em;font-style:italic;border-left:4px solid #2471a3;padding:.3em .8em;background:#f4f6f7}
.pending{background:#ebf5fb;border-left:4px solid #2471a3;padding:.4em .8em}
td.pass{color:#145a32}td.fail{color:#78281f}.refs li{margin-bottom:.6em}.ref{color:#566573;font-size:.92em}
table.numbers td:nth-child(2){white-space:nowrap}
)";

std::string plot_html(const ClaimPlot& p) {
  std::string svg;
  if (!p.series.empty()) {
    bool finite = false;
    for (const PlotSeries& s : p.series)
      for (double y : s.y) finite = finite || std::isfinite(y);
    if (!finite) return "";
    svg = svg_line_plot(p.series, p.line);
  } else if (!p.bars.empty()) {
    svg = svg_bar_chart(p.bars, p.bar);
  } else {
    return "";
  }
  return "<figure>" + svg + "<figcaption>" + esc(p.caption) + "</figcaption></figure>\n";
}

std::string model_section(const Claim& c) {
  const ClaimEvidenceFromModel& m = c.model;
  std::string h = "<h3>What the model computes</h3>\n<p class=\"sub\">Body: " + esc(m.body) + "</p>\n<p>" +
                  esc(m.method) + "</p>\n";
  for (const std::string& p : m.pending) h += "<p class=\"pending\">" + esc(p) + "</p>\n";
  if (!m.plots.empty()) {
    h += "<div class=\"grid\">\n";
    for (const ClaimPlot& p : m.plots) h += plot_html(p);
    h += "</div>\n";
  }
  if (!m.numbers.empty()) {
    h += "<table class=\"numbers\"><thead><tr><th>quantity</th><th>this run</th></tr></thead><tbody>\n";
    for (const ClaimNumber& n : m.numbers)
      h += "<tr><td>" + esc(n.label) + "</td><td data-key=\"" + esc(n.key) + "\">" +
           esc(format_claim_number(n)) + "</td></tr>\n";
    h += "</tbody></table>\n";
  }
  if (!m.limits.empty()) {
    h += "<p><b>What the model cannot say.</b></p>\n<ul>\n";
    for (const std::string& l : m.limits) h += "<li>" + esc(l) + "</li>\n";
    h += "</ul>\n";
  }
  return h;
}

std::string verdict_section(const Claim& c) {
  const ClaimVerdict& v = c.model.verdict;
  std::string h = "<h3>Verdict: " + badge(v.verdict) + "</h3>\n<p>" + esc(v.reason) +
                  "</p>\n<p class=\"explain\">Rule: " + esc(v.rule) + "</p>\n";
  if (!v.checks.empty()) {
    h += "<table "
         "class=\"checks\"><thead><tr><th>condition</th><th>met</th><th>numbers</th></tr></thead><tbody>\n";
    for (const RuleCheck& k : v.checks)
      h += "<tr><td>" + esc(k.condition) + "</td><td class=\"" + (k.passed ? "pass\">yes" : "fail\">no") +
           "</td><td>" + esc(k.measured) + "</td></tr>\n";
    h += "</tbody></table>\n";
  }
  return h;
}

std::string evidence_section(const Claim& c, const EvidenceLibrary& lib) {
  const ClaimPublishedEvidence* e = lib.find(c.id);
  std::string h = "<h3>Published evidence</h3>\n";
  if (!e) return h + "<p class=\"warn\">The evidence file has no entry for this claim.</p>\n";
  h += "<p>" + esc(e->summary) + "</p>\n<ol class=\"refs\">\n";
  for (const PublishedFinding& f : e->findings)
    h += "<li>" + esc(f.finding) + "<br><span class=\"ref\">" + esc(f.reference) + "</span></li>\n";
  h += "</ol>\n";
  if (!e->not_found.empty()) h += "<p class=\"explain\">" + esc(e->not_found) + "</p>\n";
  return h;
}

}  // namespace

std::string format_claim_number(const ClaimNumber& n) {
  if (!std::isfinite(n.value)) return "n/a";
  if (n.unit == "fraction") return format_number("%.1f %%", 100.0 * n.value);
  if (n.unit == "activation") return format_number("%.3f", n.value);
  if (n.unit == "count") return format_number("%.0f", n.value);
  if (n.unit == "m") return format_number("%.3f m", n.value);
  if (n.unit == "deg") return format_number("%.1f deg", n.value);
  if (n.unit == "J" || n.unit == "N") return format_number("%.0f ", n.value) + n.unit;
  return format_number("%.2f ", n.value) + n.unit;
}

std::string render_claims_html(const ClaimsReport& r, const EvidenceLibrary& lib) {
  std::string h = html_page_open("glutelab claims: " + r.body_text, kClaimsCss);
  h +=
      "<header><h1>The brief's claims, the model and the evidence</h1>\n<p class=\"sub\">" +
      esc(r.body_text) + ": " + std::to_string(r.claims.size()) + " claims, " + std::to_string(r.analyses) +
      " simulations of this run (" + format_number("%.1f s", r.seconds) +
      "). Every model number below was computed on this run; the published evidence is the project's curated "
      "list (data/evidence/claims.json).</p></header>\n";
  h += "<section id=\"summary\"><h2>At a glance</h2>\n<table class=\"summary\"><thead><tr><th>claim</th><th>"
       "verdict</th><th>why</th></tr></thead><tbody>\n";
  for (const Claim& c : r.claims)
    h += "<tr><td><a href=\"#" + esc(c.id) + "\">" + esc(c.statement) + "</a></td><td data-verdict=\"" +
         esc(to_string(c.model.verdict.verdict)) + "\">" + badge(c.model.verdict.verdict) + "</td><td>" +
         esc(c.model.verdict.reason) + "</td></tr>\n";
  h += "</tbody></table>\n<p class=\"explain\">Verdicts: <b>supported</b>, every condition of the claim's "
       "rule "
       "holds in the model; <b>not supported</b>, none does; <b>mixed</b>, some do; <b>outside the "
       "model</b>, the "
       "model has nothing to compute the claim with. A verdict is about what the model says; the published "
       "evidence is listed beside it and may disagree.</p></section>\n";
  for (const Claim& c : r.claims) {
    h += "<section class=\"claim\" id=\"" + esc(c.id) + "\">\n<h2>" + esc(c.title) +
         "</h2>\n<p class=\"statement\">" + esc(c.statement) + "</p>\n";
    h += model_section(c);
    h += verdict_section(c);
    h += evidence_section(c, lib);
    h += "</section>\n";
  }
  if (!r.skipped.empty()) {
    h += "<section id=\"skipped\"><h2>Not simulated for this body</h2>\n<ul>\n";
    for (const ClaimsSkipped& s : r.skipped) h += "<li>" + esc(s.what) + ": " + esc(s.why) + "</li>\n";
    h += "</ul></section>\n";
  }
  h += "<section id=\"limits\"><h2>Limits</h2>\n<p>The numbers come from glutelab's musculoskeletal model "
       "moved "
       "through generated, idealised repetitions, with muscle forces chosen by static optimization (least "
       "activation squared). Activation is demand over capacity, not EMG; the body is scaled from height, "
       "mass "
       "and sex. Use the model's numbers to reason about mechanisms, and the published evidence for what "
       "people actually do.</p></section>\n";
  h += html_page_close("Generated by glutelab claims. Model numbers are recomputed on every run.");
  return h;
}

}  // namespace glutelab
