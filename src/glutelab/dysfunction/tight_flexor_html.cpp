#include "glutelab/dysfunction/tight_flexor_html.hpp"

#include <cstdio>

#include "glutelab/io/svg_plot.hpp"

namespace glutelab {
namespace {

constexpr double kDeg = 180.0 / 3.14159265358979323846;

std::string num(const char* format, double v) {
  char b[64];
  std::snprintf(b, sizeof b, format, v);
  return b;
}

std::string level_label(double s) { return num("%.0f %%", 100.0 * s); }

}  // namespace

std::string render_tight_flexor_html(const TightFlexorReport& r) {
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>glutelab: tight hip "
      "flexors</title>\n<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:0 "
      "auto;padding:0 1em 3em;color:#1c2833;line-height:1.45}table{border-collapse:collapse;font-size:0.9em}"
      "td,th{border:1px solid #ccd1d1;padding:2px 6px;text-align:right}th{background:#eaf2f8}"
      "td:first-child,th:first-child{text-align:left}</style>\n</head>\n<body>\n<h1>Tight hip flexors</h1>\n";
  h += "<p>Shortened muscles (optimal fiber length times 1 &minus; shortening): ";
  for (std::size_t k = 0; k < r.flexor_muscles.size(); ++k)
    h += (k ? ", " : "") + xml_escape(r.flexor_muscles[k]);
  h += ". Glute activation ceiling: " + num("%.2f", r.glute_activation_ceiling) +
       (r.glute_activation_ceiling < 1.0 ? " (inhibited)" : " (none)") + ". Thomas-test knee flexion " +
       num("%.0f", r.thomas_options.knee_flexion_rad * kDeg) + "&deg;. Run time " + num("%.1f", r.seconds) +
       " s.</p>\n";

  // Passive flexor moment against hip angle.
  std::vector<PlotSeries> curves;
  std::vector<double> angles_deg;
  for (double a : r.curve_hip_flexion_rad) angles_deg.push_back(a * kDeg);
  curves.push_back({"healthy", angles_deg, r.healthy_curve_nm});
  for (const TightFlexorLevel& l : r.levels)
    curves.push_back({level_label(l.shortening), angles_deg, l.passive_curve_nm});
  PlotOptions po;
  po.title = "Passive moment of the hip flexors (knee " +
             num("%.0f", r.thomas_options.knee_flexion_rad * kDeg) + " deg)";
  po.x_label = "hip flexion (deg; negative: extension)";
  po.y_label = "flexing moment (N m)";
  po.dashed = {true};
  h += "<h2>Passive flexor moment</h2>\n" + svg_line_plot(curves, po) + "\n";

  // Per exercise against shortening.
  std::vector<double> levels;
  for (const TightFlexorLevel& l : r.levels) levels.push_back(100.0 * l.shortening);
  std::vector<PlotSeries> extra, lumbar;
  const std::size_t E = r.levels.empty() ? 0 : r.levels.front().exercises.size();
  for (std::size_t e = 0; e < E; ++e) {
    const std::string name = r.levels.front().exercises[e].exercise;
    PlotSeries passive{name + ": flexors' extra passive moment", levels, {}};
    PlotSeries so{name + ": extensors' extra moment (SO)", levels, {}};
    PlotSeries lum{name + ": lumbar extension added", levels, {}};
    for (const TightFlexorLevel& l : r.levels) {
      passive.y.push_back(l.exercises[e].extra_passive_moment_top_nm);
      so.y.push_back(l.exercises[e].extra_extensor_moment_top_nm);
      lum.y.push_back(l.exercises[e].lumbar_extension_added_top_rad * kDeg);
    }
    extra.push_back(passive);
    extra.push_back(so);
    lumbar.push_back(lum);
  }
  PlotOptions pe;
  pe.title = "Extra hip-extension moment at the top, posture held";
  pe.x_label = "shortening (% of optimal fiber length)";
  pe.y_label = "N m";
  pe.markers = true;
  pe.legend_width = 330.0;
  PlotOptions pl = pe;
  pl.title = "Lumbar extension added when the hip is spared";
  pl.y_label = "deg";
  if (!levels.empty()) {
    h += "<h2>Against shortening</h2>\n" + svg_line_plot(extra, pe) + "\n" + svg_line_plot(lumbar, pl) + "\n";
    PlotSeries thomas{"Thomas-test end point", levels, {}};
    for (const TightFlexorLevel& l : r.levels) thomas.y.push_back(l.thomas.end_hip_flexion_rad * kDeg);
    PlotOptions pt = pe;
    pt.title = "Thomas-test end point (hip flexion; healthy " +
               num("%.1f", r.healthy_thomas.end_hip_flexion_rad * kDeg) + " deg)";
    pt.y_label = "deg";
    h += svg_line_plot({thomas}, pt) + "\n";
  }

  h += "<h2>Figures</h2>\n<table>\n<tr><th>exercise</th><th>shortening</th><th>hip at top "
       "(deg)</th><th>flexors' "
       "passive (N m)</th><th>extra passive (N m)</th><th>extensors (N m)</th><th>extra (N m)</th><th>glmax "
       "act.</th><th>hamstrings act.</th><th>lumbar added (deg)</th><th>erector force (N)</th><th>healthy "
       "(N)</th><th>pelvis residual</th></tr>\n";
  for (std::size_t e = 0; e < E; ++e)
    for (const TightFlexorLevel& l : r.levels) {
      const TightFlexorExerciseResult& x = l.exercises[e];
      h += "<tr><td>" + xml_escape(x.exercise) + "</td><td>" + level_label(x.shortening) + "</td><td>" +
           num("%.1f", x.top_hip_flexion_rad * kDeg) + "</td><td>" +
           num("%.1f", x.passive_flexor_moment_top_nm) + "</td><td>" +
           num("%.1f", x.extra_passive_moment_top_nm) + "</td><td>" + num("%.1f", x.extensor_moment_top_nm) +
           "</td><td>" + num("%.1f", x.extra_extensor_moment_top_nm) + "</td><td>" +
           num("%.3f", x.gluteus_maximus_activation_top) + "</td><td>" +
           num("%.3f", x.hamstrings_activation_top) + "</td><td>" +
           num("%.1f", x.lumbar_extension_added_top_rad * kDeg) + "</td><td>" +
           num("%.0f", x.erector_spinae_force_top_n) + "</td><td>" +
           num("%.0f", x.healthy_erector_spinae_force_top_n) + "</td><td>" +
           num("%.1f", x.compensated_max_pelvis_residual) + "</td></tr>\n";
    }
  h += "</table>\n<p>Posture held: the prescribed repetition with the tight flexors; the hip extensors pay "
       "(static optimization, physiological mode, passive forces included). Hip spared: the pelvis tilts "
       "anteriorly and the lumbar spine extends by the same angle so that the flexors pull no more than "
       "healthy ones at the top; the lower back pays. The pelvis residual is the largest pelvis reserve in "
       "the spared posture (N or N m): the trunk moves a little against loads made for the prescribed "
       "posture. See docs/dysfunction.md.</p>\n</body>\n</html>\n";
  return h;
}

}  // namespace glutelab
