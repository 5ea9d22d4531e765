// The HTML report: produced for a small frame count it has a plot per exercise, the ranking and femur
// sections, no external references, numbers that match the analysis, and a clear error for an
// impossible body.
#include <gtest/gtest.h>

#include <cstdio>
#include <regex>
#include <stdexcept>
#include <string>

#include "glutelab/exercise/html_report.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "glutelab/io/svg_plot.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

const Model& model() {
  static const Model m = read_osim(test::project_data("models/glutelab.osim"));
  return m;
}

BodyDescription body() {
  BodyDescription b;
  b.height_m = 1.70;
  b.mass_kg = 68.0;
  b.sex = Sex::Female;
  return b;
}

/// One small report shared by the tests (20 frames, two sweep ratios).
const ExerciseReportData& data() {
  static const ExerciseReportData d = [] {
    ExerciseReportOptions o;
    o.parameters.frames_per_rep = 20;
    o.sweep_ratios = {0.9, 1.2};
    int calls = 0, last_done = 0, last_total = 0;
    o.progress = [&](int done, int total, const std::string&) {
      ++calls;
      last_done = done;
      last_total = total;
    };
    ExerciseReportData r = run_exercise_report(model(), body(), o);
    EXPECT_EQ(calls, last_total);
    EXPECT_EQ(last_done, last_total);
    std::printf("report analyses (%zu exercises + %zu sweep points, 20 frames): %.2f s\n", r.exercises.size(),
                r.femur_sweep.points.size(), r.seconds);
    return r;
  }();
  return d;
}

const std::string& html() {
  static const std::string h = render_html_report(data());
  return h;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

/// The text of the element that starts at the first `open` and ends at the next `close`.
std::string between(const std::string& text, const std::string& open, const std::string& close) {
  const auto a = text.find(open);
  if (a == std::string::npos) return {};
  const auto b = text.find(close, a);
  return text.substr(a, b == std::string::npos ? std::string::npos : b - a);
}

TEST(HtmlReport, EveryCatalogueExerciseIsAnalysedOrExplained) {
  EXPECT_EQ(data().exercises.size() + data().skipped.size(), exercise_catalog().size());
  // An exercise that cannot be generated for the body is listed with the reason, not silently dropped.
  for (const auto& [name, why] : data().skipped) {
    std::printf("skipped %s: %s\n", name.c_str(), why.c_str());
    EXPECT_NE(html().find(name + " (" + xml_escape(why) + ")"), std::string::npos) << name;
  }
  for (const std::string& e : default_femur_sweep_exercises()) {
    bool analysed = false;
    for (const ExerciseWorkReport& r : data().exercises) analysed |= r.exercise == e;
    EXPECT_TRUE(analysed) << e;
  }
  for (const ExerciseWorkReport& r : data().exercises) EXPECT_EQ(r.frames, 20) << r.exercise;
  ASSERT_EQ(data().femur_sweep.points.size(), default_femur_sweep_exercises().size() * 2);
  // A sweep point the body cannot do (a posture beyond a joint's range) is named in the page instead.
  std::size_t failed = 0;
  for (const FemurSweepPoint& p : data().femur_sweep.points) {
    EXPECT_TRUE(p.frames == 20 || p.frames == 0) << p.exercise;
    failed += p.frames == 0 ? 1 : 0;
  }
  EXPECT_EQ(failed, data().failed_sweep_points.size());
  for (const auto& [what, why] : data().failed_sweep_points) {
    std::printf("sweep point not possible: %s: %s\n", what.c_str(), why.c_str());
    EXPECT_NE(html().find(xml_escape(what) + " (" + xml_escape(why) + ")"), std::string::npos) << what;
  }
}

TEST(HtmlReport, HasAPlotPerExerciseAndTheRankingAndSweepSections) {
  const std::string& h = html();
  std::printf("report.html: %zu bytes for %zu exercises\n", h.size(), data().exercises.size());
  EXPECT_EQ(h.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(h.find("</html>"), std::string::npos);
  for (const ExerciseWorkReport& r : data().exercises) {
    const std::string section =
        between(h, "<section class=\"exercise\" id=\"ex-" + r.exercise + "\"", "</section>");
    ASSERT_FALSE(section.empty()) << r.exercise;
    EXPECT_EQ(count(section, "<svg"), 1u) << r.exercise;
    EXPECT_NE(section.find("hip extension"), std::string::npos) << r.exercise;
    EXPECT_NE(section.find("glmax1"), std::string::npos) << r.exercise;
    EXPECT_NE(section.find("hip contact force"), std::string::npos) << r.exercise;
  }
  for (const char* id :
       {"id=\"how-to-read\"", "id=\"ranking\"", "id=\"femur-sweep\"", "id=\"caveats\"", "id=\"body\""})
    EXPECT_NE(h.find(id), std::string::npos) << id;
  for (const std::string& g : report_ranking_groups())
    EXPECT_NE(h.find("<figure class=\"ranking\" data-group=\"" + g + "\">"), std::string::npos) << g;
  EXPECT_EQ(count(between(h, "<section id=\"femur-sweep\"", "</section>"), "<svg"), 3u);
  EXPECT_EQ(count(h, "<svg"), data().exercises.size() + report_ranking_groups().size() + 3);
}

TEST(HtmlReport, IsSelfContained) {
  const std::string& h = html();
  const std::regex external(R"((src|href)\s*=\s*["']?\s*(https?:)?//)", std::regex::icase);
  EXPECT_FALSE(std::regex_search(h, external));
  EXPECT_EQ(h.find("<script"), std::string::npos);
  EXPECT_EQ(h.find("<link"), std::string::npos);
  EXPECT_EQ(h.find("@import"), std::string::npos);
  EXPECT_EQ(h.find("url("), std::string::npos);
  // Every internal link points at an element of the page.
  const std::regex link(R"(href="#([^"]+)\")");
  for (auto it = std::sregex_iterator(h.begin(), h.end(), link); it != std::sregex_iterator(); ++it)
    EXPECT_NE(h.find("id=\"" + (*it)[1].str() + "\""), std::string::npos) << (*it)[1];
}

TEST(HtmlReport, RankingBarsShowTheMeanActivationOfTheAnalysis) {
  const std::string& h = html();
  for (const std::string& g : report_ranking_groups()) {
    const std::string figure = between(h, "<figure class=\"ranking\" data-group=\"" + g + "\">", "</figure>");
    const std::regex bar(R"re(data-value="([^"]+)"><title>([^<]+): )re");
    std::vector<std::pair<std::string, std::string>> bars;
    for (auto it = std::sregex_iterator(figure.begin(), figure.end(), bar); it != std::sregex_iterator();
         ++it)
      bars.emplace_back((*it)[2].str(), (*it)[1].str());
    ASSERT_EQ(bars.size(), data().exercises.size()) << g;
    std::size_t doubtful = 0;
    for (const ExerciseWorkReport& r : data().exercises) doubtful += r.max_reserve_fraction > 0.10 ? 1 : 0;
    EXPECT_EQ(count(figure, "fill=\"#d68910\""), doubtful) << "exercises with large reserves are marked";
    double previous = 1e9;
    for (const auto& [label, value] : bars) {
      const ExerciseWorkReport* r = nullptr;
      for (const ExerciseWorkReport& e : data().exercises)
        if (xml_escape(e.display_name) == label) r = &e;
      ASSERT_NE(r, nullptr) << label;
      const double mean = peak_and_mean_activation(*r, g).second;
      char expect[32];
      std::snprintf(expect, sizeof expect, "%.3f", mean);
      EXPECT_EQ(value, expect) << g << " " << label;
      EXPECT_LE(mean, previous) << "bars are ordered highest first";
      previous = mean;
      // The exercise's own table in the report shows the same mean.
      const std::string section = between(h, "id=\"ex-" + r->exercise + "\"", "</section>");
      EXPECT_NE(section.find("data-group=\"" + g + "\" data-mean=\"" + expect + "\""), std::string::npos)
          << r->exercise;
    }
  }
}

TEST(HtmlReport, NumbersMatchTheAnalysis) {
  const std::string& h = html();
  for (const ExerciseWorkReport& r : data().exercises) {
    const std::string section = between(h, "id=\"ex-" + r.exercise + "\"", "</section>");
    char bw[32];
    std::snprintf(bw, sizeof bw, "%.2f BW", r.peak_hip_contact_bw);
    EXPECT_NE(section.find(bw), std::string::npos) << r.exercise << " " << bw;
    if (r.hip_extension.frames == 0 || r.hip_extension.dominated_by_cocontraction()) continue;
    char share[32];
    std::snprintf(share, sizeof share, "<td>%.0f%%</td>", 100.0 * r.hip_extension.share_of("reserve"));
    const std::string reserve_row = between(section, "<td data-contributor=\"reserve\">", "</tr>");
    EXPECT_NE(reserve_row.find(share), std::string::npos) << r.exercise << share << reserve_row;
  }
  const FemurSweepPoint* first = nullptr;
  for (const FemurSweepPoint& q : data().femur_sweep.points)
    if (!first && q.frames > 0) first = &q;
  ASSERT_NE(first, nullptr);
  const FemurSweepPoint& p = *first;
  char lean[64];
  std::snprintf(lean, sizeof lean, "<td>%.0f&deg;</td>", p.peak_trunk_lean_deg);
  EXPECT_NE(between(h, "<section id=\"femur-sweep\"", "</section>").find(lean), std::string::npos) << lean;
}

TEST(HtmlReport, ImpossibleBodyIsAClearError) {
  BodyDescription b = body();
  b.height_m = 3.2;
  try {
    run_exercise_report(model(), b);
    FAIL() << "a 3.2 m body was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("height"), std::string::npos) << e.what();
  }
  ExerciseReportOptions o;
  o.parameters.frames_per_rep = 5;
  EXPECT_THROW(run_exercise_report(model(), body(), o), std::invalid_argument);
}

TEST(HtmlReport, PercentOfRepetition) {
  const auto p = percent_of_repetition({1.0, 1.5, 3.0});
  ASSERT_EQ(p.size(), 3u);
  EXPECT_DOUBLE_EQ(p[0], 0.0);
  EXPECT_DOUBLE_EQ(p[1], 25.0);
  EXPECT_DOUBLE_EQ(p[2], 100.0);
}

TEST(SvgPlot, BarChartRejectsNegativeValuesAndEscapesLabels) {
  const std::string svg = svg_bar_chart({{"a < b", 0.5}, {"c", 0.25}}, BarChartOptions{});
  EXPECT_NE(svg.find("a &lt; b"), std::string::npos);
  EXPECT_EQ(count(svg, "<rect x="), 2u);
  EXPECT_THROW(svg_bar_chart({{"x", -1.0}}, BarChartOptions{}), std::invalid_argument);
  EXPECT_THROW(svg_bar_chart({}, BarChartOptions{}), std::invalid_argument);
}

}  // namespace
}  // namespace glutelab
