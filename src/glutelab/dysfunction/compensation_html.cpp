#include "glutelab/dysfunction/compensation_html.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "glutelab/exercise/html_report.hpp"
#include "glutelab/io/html_page.hpp"
#include "glutelab/io/svg_plot.hpp"

namespace glutelab {
namespace {

std::string fmt(const char* format, double v) { return format_number(format, v); }

std::string esc(const std::string& s) { return xml_escape(s); }

/// "+27 %", "-100 %", "new" (from 0), "0 %".
std::string relative(const Comparison& c) {
  const double r = c.relative_change();
  if (std::isnan(r)) return "new";
  return fmt("%+.0f %%", 100.0 * r);
}

std::string pair_cells(const Comparison& c, const char* format) {
  return "<td>" + fmt(format, c.baseline) + "</td><td>" + fmt(format, c.impaired) + "</td>";
}

const std::vector<std::string>& palette() {
  static const std::vector<std::string> colors{"#c0392b", "#2471a3", "#229954",
                                               "#b9770e", "#7d3c98", "#17202a"};
  return colors;
}

std::string summary_section(const CompensationReport& c) {
  std::string h = "<section id=\"summary\"><h2>In short</h2>\n<ul>\n";
  h += "<li>Impairments: ";
  for (std::size_t i = 0; i < c.impairments.size(); ++i)
    h += (i ? "; " : "") + esc(describe_impairment(c.impairments[i]));
  if (c.impairments.empty()) h += "none (the healthy body twice)";
  h += ".</li>\n";
  const MuscleChange* first = c.muscles.empty() ? nullptr : &c.muscles.front();
  if (first && first->mean_force_n.change() > 0.5)
    h += "<li>Takes over most: <strong>" + esc(first->name) + "</strong> (" + esc(first->group) +
         "), mean force " + fmt("%.0f", first->mean_force_n.baseline) + " &rarr; " +
         fmt("%.0f N", first->mean_force_n.impaired) + " (" + relative(first->mean_force_n) + ").</li>\n";
  if (c.impaired_possible)
    h += "<li>The impaired body can still do the exercise: its reserves stay at " +
         fmt("%.1f %%", 100.0 * c.max_reserve_fraction.impaired) + " of a joint moment or less (limit " +
         fmt("%.0f %%", 100.0 * c.max_reserve_threshold) + ").</li>\n";
  else
    h += "<li class=\"warn\"><strong>The impaired body cannot do this exercise as prescribed</strong>: " +
         esc(c.impaired_why_not) + ".</li>\n";
  if (!c.baseline_possible)
    h += "<li class=\"warn\">Even the healthy body needs reserves here: " + esc(c.baseline_why_not) +
         ".</li>\n";
  h += "</ul>\n</section>\n";
  return h;
}

std::string activation_section(const CompensationReport& c) {
  const ExerciseWorkReport& b = c.baseline;
  const ExerciseWorkReport& a = c.impaired;
  // The groups whose mean activation changes most.
  std::vector<std::size_t> order(b.group_names.size());
  for (std::size_t g = 0; g < order.size(); ++g) order[g] = g;
  auto delta = [&](std::size_t g) {
    return std::abs(a.groups[g].mean_activation - b.groups[g].mean_activation);
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return delta(x) > delta(y); });
  order.resize(std::min<std::size_t>(order.size(), 5));
  const std::vector<double> x = percent_of_repetition(b.time_s);
  std::vector<PlotSeries> series;
  PlotOptions po;
  po.title = c.display_name + ": group activation, healthy (dashed) and impaired (solid)";
  po.x_label = "% of repetition";
  po.y_label = "activation (0 relaxed, 1 maximal)";
  po.y_min = 0.0;
  po.legend_width = 230.0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const auto g = static_cast<Eigen::Index>(order[k]);
    const Eigen::VectorXd hb = b.group_activation.col(g), ha = a.group_activation.col(g);
    const std::string& color = palette()[k % palette().size()];
    series.push_back(
        {b.group_names[order[k]] + " (healthy)", x, std::vector<double>(hb.data(), hb.data() + hb.size())});
    series.push_back(
        {b.group_names[order[k]] + " (impaired)", x, std::vector<double>(ha.data(), ha.data() + ha.size())});
    po.colors.insert(po.colors.end(), {color, color});
    po.dashed.insert(po.dashed.end(), {true, false});
  }
  std::string h =
      "<section id=\"activation\"><h2>Group activation over the repetition</h2>\n<p class=\"explain\">The " +
      std::string(c.side == Side::Left ? "left" : "right") +
      " (working) side's groups whose mean activation changes most; a group's activation is the mean of its "
      "muscles' weighted by their maximum forces in each body.</p>\n";
  if (!series.empty() && !x.empty()) h += "<figure>" + svg_line_plot(series, po) + "</figure>\n";
  h += "</section>\n";
  return h;
}

std::string bars(const std::vector<PlotBar>& items, const std::string& title, const std::string& color) {
  if (items.empty()) return "";
  BarChartOptions o;
  o.title = title;
  o.x_label = "change in mean force (N)";
  o.value_format = "%.0f N";
  o.color = color;
  return "<figure>" + svg_bar_chart(items, o) + "</figure>\n";
}

std::string takeover_section(const CompensationReport& c) {
  std::vector<PlotBar> gains, losses;
  for (const MuscleChange& m : c.muscles)
    if (m.mean_force_n.change() > 0.5 && gains.size() < 12)
      gains.push_back({m.name + " (" + relative(m.mean_force_n) + ")", m.mean_force_n.change()});
  for (auto it = c.muscles.rbegin(); it != c.muscles.rend(); ++it)
    if (it->mean_force_n.change() < -0.5 && losses.size() < 12)
      losses.push_back({it->name + " (" + relative(it->mean_force_n) + ")", -it->mean_force_n.change()});
  std::string h =
      "<section id=\"takeover\"><h2>Which muscles take over, and by how much</h2>\n<p class=\"explain\">Mean "
      "force over the repetition, impaired minus healthy, every muscle of both legs and the trunk.</p>\n"
      "<div class=\"grid\">" +
      bars(gains, "Take over (mean force gained)", "#c0392b") +
      bars(losses, "Give up (mean force lost)", "#2471a3") + "</div>\n";
  h +=
      "<table><thead><tr><th>muscle group (working side)</th><th>mean force healthy</th><th>impaired</th><th>"
      "change</th><th>peak activation healthy</th><th>impaired</th><th>hip extension share healthy</th><th>"
      "impaired</th><th>hip abduction share healthy</th><th>impaired</th></tr></thead><tbody>\n";
  for (const GroupChange& g : c.groups)
    h += "<tr><td>" + esc(g.group) + "</td>" + pair_cells(g.mean_force_n, "%.0f N") + "<td>" +
         relative(g.mean_force_n) + "</td>" + pair_cells(g.peak_activation, "%.3f") +
         pair_cells(g.hip_extension_share, "%.2f") + pair_cells(g.hip_abduction_share, "%.2f") + "</tr>\n";
  h += "</tbody></table>\n";
  h += "<table><thead><tr><th>muscle</th><th>group</th><th>strength</th><th>ceiling</th><th>mean force "
       "healthy</th><th>impaired</th><th>change</th><th>peak activation healthy</th><th>impaired</th></tr>"
       "</thead><tbody>\n";
  std::vector<const MuscleChange*> shown;
  const std::size_t n = c.muscles.size();
  for (std::size_t i = 0; i < n; ++i)
    if (n <= 24 || i < 12 || i >= n - 12) shown.push_back(&c.muscles[i]);
  for (const MuscleChange* m : shown)
    h += "<tr><td>" + esc(m->name) + "</td><td>" + esc(m->group) + "</td><td>" + fmt("%.2f", m->strength) +
         "</td><td>" + fmt("%.2f", m->activation_ceiling) + "</td>" + pair_cells(m->mean_force_n, "%.0f N") +
         "<td>" + relative(m->mean_force_n) + "</td>" + pair_cells(m->peak_activation, "%.3f") + "</tr>\n";
  h += "</tbody></table>\n<p class=\"plain\">The 12 largest gains and the 12 largest losses (all muscles in "
       "compensation.csv).</p>\n</section>\n";
  return h;
}

std::string share_table(const ShareChange& s) {
  std::string h = "<h3>" + esc(s.action) + " (" + esc(s.coordinate) + ")</h3>\n";
  if (s.impulse_nms.baseline <= 0.0)
    return h + "<p class=\"plain\">The movement never needs this moment.</p>\n";
  if (s.baseline_cocontraction || s.impaired_cocontraction)
    h += "<p class=\"warn\">The net moment is small next to what the muscles produce against each other, so "
         "the shares (fractions of it) exceed 100 % and say little about who does the work.</p>\n";
  h += "<table><thead><tr><th>contributor</th><th>healthy</th><th>impaired</th><th>change</th></tr></thead>"
       "<tbody>\n";
  for (const auto& [name, v] : s.contributors)
    h += "<tr><td>" + esc(name) + "</td>" + pair_cells(v, "%.2f") + "<td>" + fmt("%+.2f", v.change()) +
         "</td></tr>\n";
  return h + "</tbody></table>\n";
}

std::string loads_section(const CompensationReport& c) {
  auto row = [](const std::string& what, const Comparison& v, const char* format, const std::string& note) {
    return "<tr><td>" + what + "</td>" + pair_cells(v, format) + "<td>" + relative(v) +
           "</td><td class=\"explain\">" + note + "</td></tr>\n";
  };
  const HipContactPeak& hb = c.baseline_hip_contact;
  const HipContactPeak& ha = c.impaired_hip_contact;
  std::string h =
      "<section id=\"loads\"><h2>Lower back, knee and "
      "hip</h2>\n<table><thead><tr><th>load</th><th>healthy</th>"
      "<th>impaired</th><th>change</th><th></th></tr></thead><tbody>\n";
  h += row("erector spinae, peak force", c.erector_spinae_peak_force_n, "%.0f N", "both sides");
  h += row("erector spinae, mean force", c.erector_spinae_mean_force_n, "%.0f N", "");
  h += row("lumbar extension moment of the muscles, peak", c.lumbar_extension_muscle_peak_nm, "%.1f N m",
           "set by the trunk's motion: the same in both bodies unless the movement changes");
  h += row("knee joint reaction, peak", c.knee_reaction_peak_bw, "%.2f BW", "working side, on the tibia");
  h += row("knee frontal-plane moment, peak", c.knee_frontal_moment_peak_nm, "%.1f N m",
           "carried by the joint");
  h += row("hip contact force, peak", {hb.peak_bw, ha.peak_bw}, "%.2f BW", "working side");
  h += row("&nbsp; its angle from vertical, frontal plane", {hb.frontal_angle_deg, ha.frontal_angle_deg},
           "%.1f&deg;", "positive: pointing medially (pelvis axes)");
  h += row("&nbsp; its angle from vertical, sagittal plane", {hb.sagittal_angle_deg, ha.sagittal_angle_deg},
           "%.1f&deg;", "positive: pointing anteriorly");
  h += "<tr><td>&nbsp; change of its direction</td><td colspan=\"3\">" +
       fmt("%.1f&deg;", c.hip_contact_direction_change_deg) + "</td><td></td></tr>\n";
  h += row("largest reserve, fraction of its joint moment", c.max_reserve_fraction, "%.3f",
           esc(c.baseline_reserve_coordinate + " / " + c.impaired_reserve_coordinate) +
               fmt("; above %.2f the exercise counts as not possible", c.max_reserve_threshold));
  h += "</tbody></table>\n<p class=\"plain\">The hip contact force is the pelvis's push on the femoral head "
       "at its "
       "peak, in the pelvis's axes (anterior, superior, medial): healthy " +
       fmt("(%.2f, ", hb.anterior_bw) + fmt("%.2f, ", hb.superior_bw) + fmt("%.2f) BW", hb.medial_bw) +
       ", impaired " + fmt("(%.2f, ", ha.anterior_bw) + fmt("%.2f, ", ha.superior_bw) +
       fmt("%.2f) BW.", ha.medial_bw) + "</p>\n</section>\n";
  return h;
}

std::string limits_section(const std::vector<WeakestFeasible>& limits) {
  if (limits.empty()) return "";
  std::string h =
      "<section id=\"limits\"><h2>How weak before the exercise is no longer possible</h2>\n<table>"
      "<thead><tr><th>muscles</th><th>capacity lowered</th><th>weakest possible</th><th>not possible "
      "at</th><th>limited by</th><th>takes over most at the limit</th></tr></thead><tbody>\n";
  for (const WeakestFeasible& w : limits) {
    std::string who;
    for (std::size_t i = 0; i < w.targets.size(); ++i)
      who += (i ? ", " : "") + w.targets[i].target + " (" + to_string(w.targets[i].side) + ")";
    std::string possible = std::isnan(w.feasible_factor) ? "not even at 1" : fmt("%.3f", w.feasible_factor);
    std::string impossible =
        std::isnan(w.infeasible_factor) ? "possible at 0" : fmt("%.3f", w.infeasible_factor);
    std::string takes;
    for (std::size_t i = 0; i < w.at_limit.muscles.size() && i < 3; ++i) {
      const MuscleChange& m = w.at_limit.muscles[i];
      if (m.mean_force_n.change() <= 0.5) break;
      takes += (i ? ", " : "") + m.name + " " + relative(m.mean_force_n);
    }
    h += "<tr><td>" + esc(who) + "</td><td>" + esc(to_string(w.kind)) + "</td><td>" + possible + "</td><td>" +
         impossible + "</td><td>" + esc(w.why_not.empty() ? "-" : w.why_not) + "</td><td>" + esc(takes) +
         "</td></tr>\n";
  }
  h +=
      "</tbody></table>\n<p class=\"plain\">Bisection on one factor applied to all the muscles named, to the "
      "tolerance stated in compensation.json; the other capacity stays at 1.</p>\n</section>\n";
  return h;
}

}  // namespace

std::string describe_impairment(const MuscleImpairment& i) {
  std::string s = i.target + (i.side == BodySide::Both ? std::string(", both sides")
                                                       : ", " + to_string(i.side) + " side");
  std::string what;
  if (i.strength != 1.0) what += fmt("strength %.2f", i.strength);
  if (i.activation_ceiling != 1.0)
    what += (what.empty() ? "" : ", ") + fmt("activation ceiling %.2f", i.activation_ceiling);
  return s + ": " + (what.empty() ? std::string("unchanged") : what);
}

std::string render_compensation_html(const CompensationReport& c,
                                     const std::vector<WeakestFeasible>& limits) {
  const std::string title = "glutelab: " + c.display_name + " with weak or inhibited muscles";
  std::string h =
      "<header><h1>" + esc(c.display_name) + ": what takes over</h1>\n<p class=\"sub\">" +
      std::string(c.side == Side::Left ? "left" : "right") + " working side, " +
      fmt("body %.1f kg", c.baseline.body_mass_kg) +
      (c.baseline.load_kg > 0.0 ? fmt(", load %.1f kg", c.baseline.load_kg) : std::string(", no load")) +
      "; the same repetition analysed for the healthy body and with the impairments below.</p></header>\n";
  h += summary_section(c);
  h += activation_section(c);
  h += takeover_section(c);
  h += "<section id=\"shares\"><h2>Who carries the hip's effort</h2>\n<p class=\"explain\">Share of the "
       "working "
       "hip's net moment over the frames that need it, by muscle part (antagonists negative).</p>\n" +
       share_table(c.hip_extension) + share_table(c.hip_abduction) + "</section>\n";
  h += loads_section(c);
  h += limits_section(limits);
  h +=
      "<section id=\"caveats\"><h2>Limits of this comparison</h2>\n<ul><li>Both bodies move exactly the same "
      "way: the model redistributes the load among the muscles (static optimization), it does not change the "
      "movement. A body that moves differently to spare a weak muscle (an arched lower back in a bridge, a "
      "dropped pelvis in single-leg stance) is outside this comparison.</li><li>Reserves are ideal torques "
      "the model adds where the muscles cannot produce the joint moment; above " +
      fmt("%.0f %%", 100.0 * c.max_reserve_threshold) +
      " of a joint's peak moment the exercise counts as not possible.</li></ul></section>\n";
  return html_page_open(title) + h +
         html_page_close("Generated by glutelab. Every number is a model result for a generated movement.");
}

}  // namespace glutelab
