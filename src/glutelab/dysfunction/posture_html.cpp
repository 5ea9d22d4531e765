#include "glutelab/dysfunction/posture_html.hpp"

#include <cmath>
#include <cstdio>

#include "glutelab/io/html_page.hpp"
#include "glutelab/io/svg_plot.hpp"

namespace glutelab {
namespace {

std::string fmt(const char* format, double v) {
  if (!std::isfinite(v)) return "&ndash;";
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string esc(const std::string& s) { return xml_escape(s); }

/// Classes these pages add to the shared report style.
constexpr const char* kExtraStyle = ".note{color:#555;font-size:.92em}.bad{color:#a33}";

std::string title_of(const TrendelenburgCurve& c) {
  return std::string(c.task == StanceTask::SingleLegStance ? "Single-leg stance" : "Walking mid-stance") +
         (c.strategy == TrendelenburgStrategy::PelvicDrop ? ": uncompensated pelvic drop"
                                                          : ": compensated (trunk lean)");
}

std::string curve_table(const TrendelenburgCurve& c) {
  std::string h = "<h3>" + esc(title_of(c)) +
                  "</h3>\n<table>\n<tr><th>abductor strength</th><th>posture</th>"
                  "<th>pelvic drop (cm)</th><th>pelvic list (&deg;)</th><th>trunk lean (&deg;)</th>"
                  "<th>hip adduction (&deg;)</th><th>gluteus medius</th><th>gluteus minimus</th><th>TFL</th>"
                  "<th>max activation</th><th>hip abduction moment (N&middot;m)</th><th>hip contact (BW)</th>"
                  "<th>upright would need (N&middot;m)</th><th>time (s)</th></tr>\n";
  for (const PosturePoint& p : c.points) {
    h += "<tr><td>" + fmt("%.2f", p.strength) + "</td>";
    if (!p.found) {
      h += "<td class=\"bad\" colspan=\"11\">no static posture: " + esc(p.note) + " (at " +
           fmt("%.0f", p.limit_deviation_deg) + "&deg; it would still need " +
           fmt("%.1f", p.limit_reserve_nm) + " N&middot;m)</td><td>" + fmt("%.1f", p.upright_reserve_nm) +
           "</td><td>" + fmt("%.2f", p.seconds) + "</td></tr>\n";
      continue;
    }
    h += "<td>" + std::string(p.deviation_deg == 0.0 ? "healthy" : "adapted") + "</td><td>" +
         fmt("%.2f", p.pelvic_drop_cm) + "</td><td>" + fmt("%.1f", p.pelvic_list_deg) + "</td><td>" +
         fmt("%.1f", p.trunk_lean_deg) + "</td><td>" + fmt("%.1f", p.hip_adduction_deg) + "</td><td>" +
         fmt("%.2f", p.gluteus_medius_activation) + "</td><td>" + fmt("%.2f", p.gluteus_minimus_activation) +
         "</td><td>" + fmt("%.2f", p.tfl_activation) + "</td><td>" + fmt("%.2f", p.max_activation) + " " +
         esc(p.max_activation_muscle) + "</td><td>" + fmt("%.1f", p.hip_abduction_moment_nm) + "</td><td>" +
         fmt("%.2f", p.hip_contact_bw) + "</td><td>" + fmt("%.1f", p.upright_reserve_nm) + "</td><td>" +
         fmt("%.2f", p.seconds) + "</td></tr>\n";
  }
  h += "</table>\n";
  if (c.strategy == TrendelenburgStrategy::PelvicDrop)
    h += "<p>A visible drop (over " + fmt("%.0f", kVisibleDropCm) +
         " cm at the iliac crest) begins below abductor strength <b>" + fmt("%.3f", c.visible_drop_strength) +
         "</b> (bracketed by the levels " + fmt("%.2f", c.bracket_high) + " and " +
         fmt("%.2f", c.bracket_low) + ").</p>\n";
  return h;
}

}  // namespace

std::string trendelenburg_svg(const TrendelenburgResult& r) {
  std::vector<PlotSeries> series;
  std::vector<std::string> colors;
  std::vector<bool> dashed;
  for (const TrendelenburgCurve& c : r.curves) {
    PlotSeries s;
    const bool drop = c.strategy == TrendelenburgStrategy::PelvicDrop;
    s.label = std::string(c.task == StanceTask::SingleLegStance ? "stance" : "mid-stance") +
              (drop ? ": pelvic drop (cm)" : ": trunk lean (deg)");
    for (const PosturePoint& p : c.points) {
      if (!p.found) continue;
      s.x.push_back(p.strength);
      s.y.push_back(drop ? p.pelvic_drop_cm : p.trunk_lean_deg - c.points.front().trunk_lean_deg);
    }
    if (s.x.empty()) continue;
    series.push_back(s);
    colors.push_back(drop ? "#c0392b" : "#2471a3");
    dashed.push_back(c.task != StanceTask::SingleLegStance);
  }
  PlotOptions po;
  po.title = "Posture needed as the stance hip abductors weaken";
  po.x_label = "hip abductor strength (fraction of healthy)";
  po.y_label = "pelvic drop (cm) / extra trunk lean (deg)";
  po.colors = colors;
  po.dashed = dashed;
  po.markers = true;
  po.legend_width = 260.0;
  return svg_line_plot(series, po);
}

std::string render_trendelenburg_html(const TrendelenburgResult& r, const std::string& body) {
  std::string h = html_page_open("Trendelenburg: " + body, kExtraStyle);
  h += "<h1>Trendelenburg: weak hip abductors in single-leg stance</h1>\n<p>" + esc(body) + ", stance side " +
       std::string(r.side == Side::Right ? "right" : "left") +
       ". The stance side's gluteus medius, gluteus minimus and TFL are weakened (maximum force, and passive "
       "force with it, times the strength). At each strength the simulator looks for the posture closest to "
       "the healthy one that static optimization balances with the muscles alone (every activation at most "
       "1, no reserve): an <b>uncompensated pelvic drop</b> (the pelvis lists down on the swing side, the "
       "trunk stays as upright as in the healthy posture) or a <b>compensated Trendelenburg</b> (the pelvis "
       "stays, the trunk leans over the stance hip). The stance foot stays flat and in place with the centre "
       "of pressure at mid-foot.</p>\n";
  h += trendelenburg_svg(r);
  h += "<p class=\"note\">Solid: single-leg stance; dashed: walking mid-stance (" +
       fmt("%.0f", 100.0 * r.midstance_cycle_fraction) +
       " % of the recorded gait cycle, held with its centre-of-mass acceleration). Levels with no static "
       "posture are left out of the lines.</p>\n";
  for (const TrendelenburgCurve& c : r.curves) h += curve_table(c);
  h +=
      "<h2>How to read it</h2>\n<p>The pelvic drop is the swing-side iliac crest's fall relative to the "
      "stance side's, beyond the healthy posture's (crest points: at the ASIS's lateral position, halfway "
      "between ASIS and PSIS). &ldquo;Upright would need&rdquo; is the reserve moment static optimization "
      "needs to hold the healthy posture at that strength: where it is positive the body must change its "
      "posture. A pelvic drop does not make the abduction moment smaller (the weight above the hip stays "
      "where it was); it only stretches the abductors, and their passive force is small in the hip's range, "
      "so below the strength that holds a level pelvis the model finds no static drop: the pelvis would fall "
      "until something the model lacks (the iliotibial band) stops it, or the trunk leans. Leaning moves the "
      "weight over the hip and shrinks the moment. See docs/dysfunction.md for the assumptions.</p>\n";
  return h + html_page_close("Generated by glutelab in " + format_number("%.1f", r.seconds) +
                             " s. Every number is a model result for a held posture.");
}

std::string render_valgus_html(const ValgusResult& r, const std::string& body) {
  std::string weakened;
  for (const std::string& w : r.weakened) weakened += (weakened.empty() ? "" : ", ") + w;
  std::string h = html_page_open("Valgus collapse: " + body, kExtraStyle);
  h += "<h1>Valgus collapse: weak hip abductors and external rotators</h1>\n<p>" + esc(body) +
       ", stance side " + std::string(r.side == Side::Right ? "right" : "left") +
       "; weakened: " + esc(weakened) +
       ". At each strength the simulator looks for the smallest collapse (the stance hip adducting and "
       "rotating "
       "internally together, the foot flat and in place, the trunk as upright as before) that static "
       "optimization balances with the muscles alone.</p>\n";
  std::vector<PlotSeries> series;
  for (const ValgusCurve& c : r.curves) {
    PlotSeries s{to_string(c.task) + ": knee frontal moment (N m)", {}, {}};
    for (const ValgusPoint& p : c.points)
      if (p.found) {
        s.x.push_back(p.strength);
        s.y.push_back(p.knee_frontal_moment_nm);
      }
    if (!s.x.empty()) series.push_back(s);
  }
  if (!series.empty()) {
    PlotOptions po;
    po.title = "Knee frontal-plane reaction moment of the posture found";
    po.x_label = "strength of the weakened muscles";
    po.y_label = "N m (about the tibia's AP axis)";
    po.markers = true;
    po.legend_width = 300.0;
    h += svg_line_plot(series, po);
  }
  for (const ValgusCurve& c : r.curves) {
    h += "<h3>" + esc(to_string(c.task)) + "</h3>\n<p class=\"note\">" + esc(c.description) +
         "</p>\n<table>\n<tr><th>strength</th><th>hip adduction change (&deg;)</th><th>internal rotation "
         "change "
         "(&deg;)</th><th>knee medial shift (cm)</th><th>knee frontal moment (N&middot;m)</th><th>change "
         "(N&middot;m)</th><th>abductors</th><th>deep six</th><th>max activation</th><th>hip contact "
         "(BW)</th><th>upright would need (N&middot;m)</th></tr>\n";
    for (const ValgusPoint& p : c.points) {
      h += "<tr><td>" + fmt("%.2f", p.strength) + "</td>";
      if (!p.found) {
        h += "<td class=\"bad\" colspan=\"9\">no static posture: " + esc(p.note) + " (at " +
             fmt("%.0f", p.limit_deviation_deg) + "&deg; it would still need " +
             fmt("%.1f", p.limit_reserve_nm) + " N&middot;m)</td><td>" + fmt("%.1f", p.upright_reserve_nm) +
             "</td></tr>\n";
        continue;
      }
      h += "<td>" + fmt("%.1f", p.hip_adduction_change_deg) + "</td><td>" +
           fmt("%.1f", p.hip_rotation_change_deg) + "</td><td>" + fmt("%.1f", p.knee_medial_change_cm) +
           "</td><td>" + fmt("%.1f", p.knee_frontal_moment_nm) + "</td><td>" +
           fmt("%+.1f", p.knee_frontal_moment_change_nm) + "</td><td>" + fmt("%.2f", p.abductor_activation) +
           "</td><td>" + fmt("%.2f", p.deep_six_activation) + "</td><td>" + fmt("%.2f", p.max_activation) +
           " " + esc(p.max_activation_muscle) + "</td><td>" + fmt("%.2f", p.hip_contact_bw) + "</td><td>" +
           fmt("%.1f", p.upright_reserve_nm) + "</td></tr>\n";
    }
    h += "</table>\n";
  }
  h +=
      "<h2>How to read it</h2>\n<p>A collapse of the knee inwards does not move the weight above the hip, so "
      "it does not make the hip's moments smaller; it only stretches the weakened muscles. Where no collapse "
      "holds, the body in this model must shift its weight (lean its trunk over the stance hip, see the "
      "Trendelenburg simulation) or fail. See docs/dysfunction.md.</p>\n";
  return h + html_page_close("Generated by glutelab in " + format_number("%.1f", r.seconds) +
                             " s. Every number is a model result for a held posture.");
}

}  // namespace glutelab
