#include "glutelab/exercise/html_report.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "glutelab/io/html_page.hpp"
#include "glutelab/io/svg_plot.hpp"
#include "glutelab/math/parallel.hpp"
#include "glutelab/muscle/body_scaling.hpp"

namespace glutelab {

const std::vector<std::string>& report_ranking_groups() {
  static const std::vector<std::string> groups{"gluteus maximus", "gluteus medius", "gluteus minimus",
                                               "deep six"};
  return groups;
}

std::vector<double> percent_of_repetition(const std::vector<double>& time_s) {
  std::vector<double> p(time_s.size(), 0.0);
  if (time_s.size() < 2) return p;
  const double t0 = time_s.front(), span = time_s.back() - time_s.front();
  for (std::size_t i = 0; i < time_s.size(); ++i) p[i] = span > 0.0 ? 100.0 * (time_s[i] - t0) / span : 0.0;
  return p;
}

// ---------------------------------------------------------------------------------------------------
// Analyses

ExerciseReportData run_exercise_report(const Model& generic, const BodyDescription& body,
                                       const ExerciseReportOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  validate(body);
  validate_exercise_parameters(options.parameters, body.mass_kg);
  ExerciseReportData data;
  data.parameters = options.parameters;
  data.explicit_placement = options.parameters.placement != LoadPlacement::None;
  const Model model = scale_body(generic, body);
  data.body.description = body;
  data.body.model_name = generic.name;
  data.body.muscles = static_cast<int>(model.muscles.size());
  data.body.coordinates = model.num_coordinates();
  data.body.model_mass_kg = model.total_mass_kg();
  const TargetSegmentLengths lengths = target_segment_lengths(body);
  data.body.thigh_length_m = lengths.thigh_m;
  data.body.shank_length_m = lengths.shank_m;

  // The femur sweep's grid: ratios impossible for this body are left out, with the reason.
  FemurSweepResult& sweep = data.femur_sweep;
  if (!options.sweep_ratios.empty()) {
    sweep.exercises =
        options.sweep_exercises.empty() ? default_femur_sweep_exercises() : options.sweep_exercises;
    for (double r : options.sweep_ratios) {
      try {
        validate_femur_sweep_ratios(body, {r});
        sweep.ratios.push_back(r);
      } catch (const std::invalid_argument& e) {
        data.skipped_ratios.emplace_back(r, e.what());
      }
    }
    if (sweep.ratios.empty()) sweep.exercises.clear();
  }

  const std::vector<ExerciseInfo>& catalog = exercise_catalog();
  const int n_exercises = static_cast<int>(catalog.size());
  const int n_sweep = static_cast<int>(sweep.exercises.size() * sweep.ratios.size());
  const int total = n_exercises + n_sweep;
  std::vector<std::optional<ExerciseWorkReport>> reports(static_cast<std::size_t>(n_exercises));
  std::vector<std::string> failures(static_cast<std::size_t>(n_exercises));
  sweep.points.resize(static_cast<std::size_t>(n_sweep));
  ExerciseWorkOptions one_thread = options.work;
  one_thread.threads = 1;
  std::mutex progress_mutex;
  std::vector<std::pair<std::size_t, std::pair<std::string, std::string>>> failures_sweep;
  int done = 0;
  auto finished = [&](const std::string& what) {
    const std::lock_guard<std::mutex> lock(progress_mutex);
    ++done;
    if (options.progress) options.progress(done, total, what);
  };

  parallel_for(total, options.work.threads, [&](int task) {
    if (task < n_exercises) {
      const ExerciseInfo& info = catalog[static_cast<std::size_t>(task)];
      ExerciseParameters p = options.parameters;
      if (info.default_placement == LoadPlacement::None && !data.explicit_placement) p.load_kg = 0.0;
      try {
        reports[static_cast<std::size_t>(task)] =
            analyze_exercise_work(model, generate_exercise(model, info.name, p), one_thread);
      } catch (const std::exception& e) {  // an exercise that cannot be generated for this body
        failures[static_cast<std::size_t>(task)] = e.what();
      }
      finished(info.name);
      return;
    }
    const auto k = static_cast<std::size_t>(task - n_exercises);
    const std::string& exercise = sweep.exercises[k / sweep.ratios.size()];
    const double ratio = sweep.ratios[k % sweep.ratios.size()];
    char what[96];
    std::snprintf(what, sizeof what, "%s at thigh-to-shank ratio %.2f", exercise.c_str(), ratio);
    // A point this body cannot do (e.g. a posture beyond a joint's range for this thigh length) comes back
    // with its reason and NaN figures.
    sweep.points[k] =
        femur_length_sweep(generic, body, {exercise}, {ratio}, options.parameters, one_thread).points.at(0);
    if (!sweep.points[k].error.empty()) {
      const std::lock_guard<std::mutex> lock(progress_mutex);
      failures_sweep.emplace_back(k, std::make_pair(std::string(what), sweep.points[k].error));
    }
    finished(std::string("femur sweep of ") + what);
  });

  for (int i = 0; i < n_exercises; ++i) {
    auto& r = reports[static_cast<std::size_t>(i)];
    if (r)
      data.exercises.push_back(std::move(*r));
    else
      data.skipped.emplace_back(catalog[static_cast<std::size_t>(i)].name,
                                failures[static_cast<std::size_t>(i)]);
  }
  std::sort(failures_sweep.begin(), failures_sweep.end());
  for (auto& [k, f] : failures_sweep) data.failed_sweep_points.push_back(std::move(f));
  data.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  sweep.seconds = data.seconds;
  return data;
}

// ---------------------------------------------------------------------------------------------------
// HTML

namespace {

std::string fmt(const char* format, double v) { return format_number(format, v); }

/// Reserves above this fraction of a joint's moment mark an exercise's results as doubtful.
constexpr double kLargeReserve = 0.10;

std::string pct(double fraction) { return fmt("%.0f%%", 100.0 * fraction); }

std::string esc(const std::string& s) { return xml_escape(s); }

std::string anchor(const std::string& exercise) { return "ex-" + exercise; }

/// The catalogue's display name of an exercise ("Back squat"), or the name itself.
std::string display_name(const std::string& exercise) {
  for (const ExerciseInfo& i : exercise_catalog())
    if (i.name == exercise) return i.display_name;
  return exercise;
}

double group_mean(const ExerciseWorkReport& r, const std::string& group) {
  for (const GroupWorkSummary& g : r.groups)
    if (g.group == group) return g.mean_activation;
  return 0.0;
}

double work_fraction(const ExerciseWorkReport& r, const std::string& joint) {
  for (const JointWork& w : r.extensor_work)
    if (w.joint == joint) return w.fraction;
  return 0.0;
}

std::string body_title(const ReportBody& b) {
  const BodyDescription& d = b.description;
  std::string t =
      fmt("%.2f m, ", d.height_m) + fmt("%.0f kg, ", d.mass_kg) + (d.sex == Sex::Female ? "female" : "male");
  if (d.thigh_length_m) t += fmt(", thigh %.2f m", *d.thigh_length_m);
  return t;
}

std::string how_to_read() {
  return R"(<section id="how-to-read"><h2>How to read this</h2>
<p>Every exercise below was <em>simulated</em>, not measured: glutelab scaled its musculoskeletal model to
the body described, moved it through one repetition of each exercise and asked which combination of its
muscles produces that movement with the least effort (static optimization). The numbers describe the model
doing an idealised repetition; use them to compare exercises with each other, not as a diagnosis.</p>
<ul>
<li><b>Activation</b> (0 to 1): how hard a muscle group works. 0 is relaxed; 1 means it pulls as hard as
it can at that length and speed. A group's activation is the average of its muscles weighted by their strength.</li>
<li><b>% of repetition</b>: time through one repetition, 0 at the start position and 100 back at the start;
the working position (bottom of the squat, top of the bridge) is held around 50.</li>
<li><b>Moment share</b>: of the turning effort that extends (or abducts, or externally rotates) the hip,
the fraction each muscle part supplies. glmax1-3 are the upper, middle and lower parts of gluteus maximus,
glmed1-3 the front, middle and back of gluteus medius, glmin1-3 the same for gluteus minimus. Negative
shares are muscles working against the movement.</li>
<li><b>Reserve</b>: the part of a joint's effort the model's muscles could not supply, made up by an
artificial helper. Small is good; above 10&nbsp;% the result for that exercise is less trustworthy.</li>
<li><b>Extensor work split</b>: where the energy to straighten the body comes from: hip, knee, ankle or lower back.</li>
<li><b>Hip contact force</b>: how hard the thigh bone presses into the hip socket, in multiples of body weight (BW).</li>
<li><b>Knee frontal-plane moment</b>: the side-to-side (knock-knee or bow-leg) load the knee joint itself carries, in newton metres.</li>
</ul></section>
)";
}

std::string caveats(const ExerciseReportData& d) {
  std::string large;
  for (const ExerciseWorkReport& r : d.exercises)
    if (r.max_reserve_fraction > kLargeReserve)
      large += (large.empty() ? "" : ", ") + esc(r.display_name) +
               fmt(" (%.0f%%", 100.0 * r.max_reserve_fraction) +
               (r.max_reserve_coordinate.empty() ? std::string(")")
                                                 : " at " + esc(r.max_reserve_coordinate) + ")");
  std::string h = R"(<section id="caveats"><h2>Limits of the model</h2>
<ul>
<li>The movements are generated, the same for everyone of a given size: real technique, speed, depth and
stance vary, and change which muscles work.</li>
<li>Muscle strength comes from a generic adult model scaled to the body's size; training, age, injury and
sex differences in strength are not represented. Body segment proportions follow de Leva's averages unless a
thigh length is given.</li>
<li>Static optimization finds the least-effort way to make each instant's movement: it has no co-contraction
(muscles bracing against each other), no fatigue and no intention (it cannot "squeeze" a muscle that is not needed).</li>
<li>The model's knee bends in one plane only, so the knee frontal-plane moment is the load the joint
structures carry, not a muscle demand.</li>
<li>Hip contact forces depend strongly on muscle forces; compare exercises with each other rather than with
absolute measured values.</li>
)";
  h +=
      "<li>Where the reserve is large the model's muscles cannot produce the moment the movement needs, "
      "which "
      "points at the generated posture or the model rather than at the person: " +
      (large.empty() ? std::string("no exercise here needs more than 10% reserve.") : "here " + large + ".") +
      "</li>\n</ul></section>\n";
  return h;
}

std::string body_section(const ExerciseReportData& d) {
  const ReportBody& b = d.body;
  std::string h = "<section id=\"body\"><h2>The body and the model</h2>\n<table><tbody>\n";
  h += "<tr><td>height</td><td>" + fmt("%.2f m", b.description.height_m) + "</td></tr>\n";
  h += "<tr><td>mass</td><td>" + fmt("%.1f kg", b.description.mass_kg) + "</td></tr>\n";
  h += "<tr><td>sex (segment proportions)</td><td>" +
       std::string(b.description.sex == Sex::Female ? "female" : "male") + "</td></tr>\n";
  h += "<tr><td>thigh (hip to knee centre)</td><td>" + fmt("%.3f m", b.thigh_length_m) +
       (b.description.thigh_length_m ? " (measured)" : " (from height)") + "</td></tr>\n";
  h += "<tr><td>shank (knee to ankle centre)</td><td>" + fmt("%.3f m", b.shank_length_m) + "</td></tr>\n";
  h += "<tr><td>thigh-to-shank ratio</td><td>" +
       fmt("%.2f", b.shank_length_m > 0 ? b.thigh_length_m / b.shank_length_m : 0.0) + "</td></tr>\n";
  h += "<tr><td>model</td><td>" + esc(b.model_name) + ", " + std::to_string(b.muscles) + " muscles, " +
       std::to_string(b.coordinates) + " coordinates, scaled to " + fmt("%.1f kg", b.model_mass_kg) +
       "</td></tr>\n";
  const ExerciseParameters& p = d.parameters;
  std::string load = p.load_kg > 0.0
                         ? fmt("%.1f kg", p.load_kg) +
                               (d.explicit_placement ? " (" + to_string(p.placement) + ", every exercise)"
                                                     : " (exercises that carry a load)")
                         : std::string("none");
  h += "<tr><td>external load</td><td>" + esc(load) + "</td></tr>\n";
  h += "<tr><td>depth, tempo, frames</td><td>" + fmt("%.0f%% of full range, ", 100.0 * p.depth) +
       (p.tempo_s > 0.0 ? fmt("%.1f s per repetition, ", p.tempo_s)
                        : std::string("each exercise's own tempo, ")) +
       std::to_string(p.frames_per_rep) + " frames per repetition</td></tr>\n";
  h += "<tr><td>analysis time</td><td>" + fmt("%.1f s", d.seconds) + "</td></tr>\n";
  h += "</tbody></table>\n</section>\n";
  return h;
}

std::string glance_section(const ExerciseReportData& d) {
  std::string h =
      "<section id=\"at-a-glance\"><h2>At a glance</h2>\n<p class=\"explain\">Mean activation of each "
      "gluteal "
      "group over the repetition, where the work comes from, and the largest joint loads. Click an exercise "
      "for details; a reserve above 10 % (orange) means the model could not do the exercise with its muscles "
      "alone.</p>\n<table><thead><tr><th>exercise</th>";
  for (const std::string& g : report_ranking_groups()) h += "<th>" + esc(g) + "</th>";
  h += "<th>hip share of work</th><th>hip contact (BW)</th><th>reserve</th></tr></thead><tbody>\n";
  for (const ExerciseWorkReport& r : d.exercises) {
    h += "<tr><td><a href=\"#" + anchor(r.exercise) + "\">" + esc(r.display_name) + "</a></td>";
    for (const std::string& g : report_ranking_groups())
      h += "<td>" + fmt("%.3f", group_mean(r, g)) + "</td>";
    h += "<td>" + pct(work_fraction(r, "hip")) + "</td><td>" + fmt("%.2f", r.peak_hip_contact_bw) +
         "</td><td" + (r.max_reserve_fraction > kLargeReserve ? " class=\"doubtful\"" : "") + ">" +
         fmt("%.1f%%", 100.0 * r.max_reserve_fraction) + "</td></tr>\n";
  }
  h += "</tbody></table>\n";
  if (!d.skipped.empty()) {
    h += "<p class=\"warn\">Not analysed for this body:";
    for (const auto& [name, why] : d.skipped) h += " " + esc(name) + " (" + esc(why) + ");";
    h += "</p>\n";
  }
  h += "</section>\n";
  return h;
}

std::string ranking_section(const ExerciseReportData& d) {
  std::string h =
      "<section id=\"ranking\"><h2>Best exercises for each gluteal muscle</h2>\n<p "
      "class=\"explain\">Exercises "
      "ordered by the muscle group's mean activation over one repetition (0 relaxed, 1 maximal). Longer bars "
      "mean the exercise asks more of that muscle in this model. Orange bars: exercises whose reserve "
      "exceeds 10 %, "
      "read them with care.</p>\n<div class=\"grid\">\n";
  for (const std::string& g : report_ranking_groups()) {
    std::vector<PlotBar> bars;
    BarChartOptions o;
    for (const ExerciseRank& e : rank_exercises(d.exercises, g, RankBy::Mean)) {
      bars.push_back({e.display_name, e.mean_activation});
      bool doubtful = false;
      for (const ExerciseWorkReport& r : d.exercises)
        if (r.exercise == e.exercise) doubtful = r.max_reserve_fraction > kLargeReserve;
      o.bar_colors.push_back(doubtful ? "#d68910" : "");
    }
    h += "<figure class=\"ranking\" data-group=\"" + esc(g) + "\">\n";
    if (bars.empty()) {
      h += "<p>No exercise was analysed.</p>";
    } else {
      o.title = "Best exercises for the " + g;
      o.x_label = "mean activation";
      h += svg_bar_chart(bars, o);
    }
    h += "<figcaption>" + esc(g) + ": mean activation over the repetition</figcaption></figure>\n";
  }
  h += "</div></section>\n";
  return h;
}

/// Plain words for a moment-share contributor ("glmax1": "upper gluteus maximus"), or "".
std::string plain_contributor(const std::string& name) {
  static const std::vector<std::pair<std::string, std::string>> plain{
      {"glmax1", "upper gluteus maximus"}, {"glmax2", "middle gluteus maximus"},
      {"glmax3", "lower gluteus maximus"}, {"glmed1", "front gluteus medius"},
      {"glmed2", "middle gluteus medius"}, {"glmed3", "back gluteus medius"},
      {"glmin1", "front gluteus minimus"}, {"glmin2", "middle gluteus minimus"},
      {"glmin3", "back gluteus minimus"},  {"hamstrings", "back of the thigh"},
      {"adductor magnus", "inner thigh"},  {"reserve", "what the muscles could not supply"}};
  for (const auto& [n, p] : plain)
    if (n == name) return p;
  return "";
}

/// A moment share worth showing: the hip needs the moment, and it is not a small difference of large
/// opposing muscle moments (co-contraction), whose "shares" exceed 100 % and mean little.
bool shown(const MomentShare& s) { return s.frames > 0 && !s.dominated_by_cocontraction(); }

std::string share_table(const ExerciseWorkReport& r) {
  const MomentShare* shares[] = {&r.hip_extension, &r.hip_abduction, &r.hip_external_rotation};
  std::vector<std::string> rows;
  for (const MomentShare* s : shares)
    for (const auto& [name, v] : s->contributors)
      if (std::find(rows.begin(), rows.end(), name) == rows.end()) rows.push_back(name);
  std::string h = "<table class=\"shares\"><thead><tr><th>who carries it</th>";
  for (const MomentShare* s : shares) h += "<th>" + esc(s->action) + "</th>";
  h += "</tr></thead><tbody>\n";
  for (const std::string& name : rows) {
    const std::string plain = plain_contributor(name);
    h += "<tr><td data-contributor=\"" + esc(name) + "\">" + esc(name) +
         (plain.empty() ? std::string() : " <span class=\"plain\">(" + esc(plain) + ")</span>") + "</td>";
    for (const MomentShare* s : shares)
      h += "<td>" + (shown(*s) ? pct(s->share_of(name)) : std::string("&ndash;")) + "</td>";
    h += "</tr>\n";
  }
  h += "<tr><td><i>frames with this moment</i></td>";
  for (const MomentShare* s : shares)
    h += "<td>" + std::to_string(s->frames) + " of " + std::to_string(r.frames) + "</td>";
  h += "</tr>\n</tbody></table>\n";
  for (const MomentShare* s : shares)
    if (s->frames > 0 && !shown(*s))
      h += "<p class=\"explain\">" + esc(s->action) +
           fmt(": not shown, the muscles pushing each way nearly cancel (%.0f N m s ",
               s->agonist_impulse_nms) +
           fmt("produced for a net %.0f N m s), so shares would exceed 100 %% and say little.</p>\n",
               s->impulse_nms);
  return h;
}

std::string exercise_section(const ExerciseWorkReport& r, const ExerciseInfo* info) {
  std::string h = "<section class=\"exercise\" id=\"" + anchor(r.exercise) + "\" data-exercise=\"" +
                  esc(r.exercise) + "\">\n<h3>" + esc(r.display_name) + "</h3>\n";
  if (info) {
    h += "<p>" + esc(info->description) + "</p>\n";
    if (!info->cues.empty()) h += "<p class=\"cues\">Cues: " + esc(info->cues) + "</p>\n";
  }
  h += "<p class=\"sub\">" + std::string(r.side == Side::Left ? "left" : "right") + " side" +
       (r.load_kg > 0.0 ? fmt(", load %.1f kg", r.load_kg) : std::string(", no load")) + ", " +
       std::to_string(r.converged_frames) + " of " + std::to_string(r.frames) + " frames solved</p>\n";

  if (r.max_reserve_fraction > kLargeReserve)
    h += "<p class=\"warn\">" +
         fmt("The model's muscles could not produce %.0f%% of the ", 100.0 * r.max_reserve_fraction) +
         esc(r.max_reserve_coordinate) +
         " moment in this exercise (see the reserve below): read its numbers with care.</p>\n";

  // Activation of each group over the repetition.
  std::vector<PlotSeries> series;
  const std::vector<double> x = percent_of_repetition(r.time_s);
  for (std::size_t g = 0; g < r.group_names.size(); ++g) {
    const Eigen::VectorXd col = r.group_activation.col(static_cast<Eigen::Index>(g));
    series.push_back({r.group_names[g], x, std::vector<double>(col.data(), col.data() + col.size())});
  }
  PlotOptions po;
  po.title = r.display_name + ": muscle group activation";
  po.x_label = "% of repetition";
  po.y_label = "activation (0 relaxed, 1 maximal)";
  po.y_min = 0.0;
  double peak = 0.0;
  for (const GroupWorkSummary& g : r.groups) peak = std::max(peak, g.peak_activation);
  po.y_max = peak > 0.5 ? 1.0 : 0.5;
  po.dashed.resize(series.size());
  for (std::size_t g = 0; g < series.size(); ++g) po.dashed[g] = g >= report_ranking_groups().size();
  h += "<figure class=\"activation\">\n" + (series.empty() ? std::string() : svg_line_plot(series, po)) +
       "<figcaption>How hard each muscle group works through the repetition (solid: gluteal groups, dashed: "
       "the others).</figcaption></figure>\n";

  // Groups.
  h += "<table class=\"groups\"><thead><tr><th>muscle group</th><th>peak activation</th><th>mean "
       "activation</th><th>peak force</th><th>share of hip extension</th></tr></thead><tbody>\n";
  for (const GroupWorkSummary& g : r.groups)
    h += "<tr><td>" + esc(g.group) + "</td><td>" + fmt("%.3f", g.peak_activation) + "</td><td data-group=\"" +
         esc(g.group) + "\" data-mean=\"" + fmt("%.3f", g.mean_activation) + "\">" +
         fmt("%.3f", g.mean_activation) + "</td><td>" + fmt("%.0f N", g.peak_force_n) + "</td><td>" +
         pct(g.hip_extension_share) + "</td></tr>\n";
  h += "</tbody></table>\n";

  // Moment shares.
  h +=
      "<h4>Who carries the hip's effort</h4>\n<p class=\"explain\">Share of each hip moment supplied by each "
      "muscle part, over the frames where the hip needs that moment (a dash: never needed, or see the note "
      "below the table).</p>\n" +
      share_table(r);

  // Work, loads, reserves.
  h += "<h4>Work and joint loads</h4>\n<table class=\"loads\"><tbody>\n<tr><td>extensor work split</td><td>";
  for (const JointWork& w : r.extensor_work) h += esc(w.joint) + " " + pct(w.fraction) + " &nbsp; ";
  h += fmt("(%.0f J in all)", r.extensor_work_total_j) +
       "</td><td class=\"explain\">where the energy to straighten up comes from</td></tr>\n";
  h += "<tr><td>peak hip contact force</td><td>" + fmt("%.2f BW", r.peak_hip_contact_bw) +
       fmt(" at %.0f%% of the repetition",
           r.time_s.size() > 1 && r.time_s.back() > r.time_s.front()
               ? 100.0 * (r.peak_hip_contact_time_s - r.time_s.front()) / (r.time_s.back() - r.time_s.front())
               : 0.0) +
       "</td><td class=\"explain\">how hard the thigh bone presses into the hip socket, in body "
       "weights</td></tr>\n";
  h += "<tr><td>knee frontal-plane moment</td><td>" + fmt("%.1f N m", r.peak_knee_frontal_moment_nm) +
       "</td><td class=\"explain\">side-to-side load the knee joint itself carries</td></tr>\n";
  h += "<tr><td>largest reserve</td><td>" + fmt("%.1f%%", 100.0 * r.max_reserve_fraction) +
       (r.max_reserve_coordinate.empty() ? std::string() : " (" + esc(r.max_reserve_coordinate) + ")") +
       "</td><td class=\"explain\">effort the muscles could not supply; above 10% read this exercise with "
       "care</td></tr>\n";
  h += "</tbody></table>\n</section>\n";
  return h;
}

std::string sweep_section(const ExerciseReportData& d) {
  const FemurSweepResult& s = d.femur_sweep;
  std::string h =
      "<section id=\"femur-sweep\"><h2>Thigh length: how it moves the work</h2>\n<p class=\"explain\">The "
      "same "
      "body with a shorter or longer thigh bone (femur), the shank kept: the thigh-to-shank ratio on the x "
      "axis "
      "(this body: " +
      fmt("%.2f", d.body.shank_length_m > 0 ? d.body.thigh_length_m / d.body.shank_length_m : 0.0) +
      "). Long thighs make a squat lean forward and move work from the knee to the hip.</p>\n";
  for (const auto& [r, why] : d.skipped_ratios)
    h += "<p class=\"warn\">" + fmt("Ratio %.2f left out: ", r) + esc(why) + "</p>\n";
  if (s.exercises.empty() || s.ratios.empty()) return h + "<p>No sweep was run.</p></section>\n";
  for (const auto& [what, why] : d.failed_sweep_points)
    h += "<p class=\"warn\">Not possible for this body: " + esc(what) + " (" + esc(why) + ")</p>\n";
  std::vector<PlotSeries> lean, work, act;
  PlotOptions lo, wo, ao;
  for (std::size_t e = 0; e < s.exercises.size(); ++e) {
    const std::string name = display_name(s.exercises[e]);
    PlotSeries l{name, s.ratios, {}}, hip{name + ": hip", s.ratios, {}}, knee{name + ": knee", s.ratios, {}},
        glmax{name + ": glute max", s.ratios, {}}, quads{name + ": quadriceps", s.ratios, {}};
    for (std::size_t k = 0; k < s.ratios.size(); ++k) {
      const FemurSweepPoint& p = s.at(e, k);
      l.y.push_back(p.peak_trunk_lean_deg);
      hip.y.push_back(p.hip_work_share);
      knee.y.push_back(p.knee_work_share);
      glmax.y.push_back(p.gluteus_maximus_mean_activation);
      quads.y.push_back(p.quadriceps_mean_activation);
    }
    static const char* colors[] = {"#c0392b", "#2471a3", "#239b56", "#b9770e", "#7d3c98", "#566573"};
    const std::string c = colors[e % 6];
    lean.push_back(l);
    lo.colors.push_back(c);
    for (PlotSeries* p : {&hip, &knee}) work.push_back(*p);
    for (PlotSeries* p : {&glmax, &quads}) act.push_back(*p);
    for (PlotOptions* o : {&wo, &ao}) {
      o->colors.insert(o->colors.end(), {c, c});
      o->dashed.insert(o->dashed.end(), {false, true});
    }
  }
  for (PlotOptions* o : {&lo, &wo, &ao}) {
    o->x_label = "thigh-to-shank ratio";
    o->markers = true;
    o->legend_width = 260.0;  // "Barbell hip thrust: quadriceps"
  }
  lo.title = "Peak forward trunk lean";
  lo.y_label = "trunk lean (degrees)";
  wo.title = "Share of the extensor work: hip (solid) vs knee (dashed)";
  wo.y_label = "share of extensor work";
  wo.y_min = 0.0;
  wo.y_max = 1.0;
  ao.title = "Mean activation: gluteus maximus (solid) vs quadriceps (dashed)";
  ao.y_label = "mean activation";
  ao.y_min = 0.0;
  // A plot whose points all failed would have nothing to draw.
  auto plot = [](const std::vector<PlotSeries>& series, const PlotOptions& o) {
    for (const PlotSeries& ps : series)
      for (double y : ps.y)
        if (std::isfinite(y)) return svg_line_plot(series, o);
    return std::string("<p>No point of the sweep could be analysed.</p>");
  };
  h += "<div class=\"grid\">\n<figure class=\"sweep\">" + plot(lean, lo) +
       "<figcaption>How far the trunk tips forward at the deepest point (lying exercises such as the hip "
       "thrust give negative angles: the back is behind the vertical).</figcaption></figure>\n";
  h += "<figure class=\"sweep\">" + plot(work, wo) +
       "<figcaption>Where the energy comes from: hip or knee.</figcaption></figure>\n";
  h += "<figure class=\"sweep\">" + plot(act, ao) +
       "<figcaption>How hard the glutes and the front of the thigh work.</figcaption></figure>\n</div>\n";
  h += "<table class=\"sweep\"><thead><tr><th>exercise</th><th>thigh/shank</th><th>thigh</th><th>trunk "
       "lean</th><th>hip work</th><th>knee work</th><th>glute "
       "max</th><th>quadriceps</th></tr></thead><tbody>\n";
  for (std::size_t e = 0; e < s.exercises.size(); ++e)
    for (std::size_t k = 0; k < s.ratios.size(); ++k) {
      const FemurSweepPoint& p = s.at(e, k);
      if (p.frames == 0) {
        h += "<tr><td>" + esc(display_name(p.exercise)) + "</td><td>" + fmt("%.2f", p.thigh_to_shank_ratio) +
             "</td><td colspan=\"6\">not possible for this body</td></tr>\n";
        continue;
      }
      h += "<tr><td>" + esc(display_name(p.exercise)) + "</td><td>" + fmt("%.2f", p.thigh_to_shank_ratio) +
           "</td><td>" + fmt("%.3f m", p.thigh_length_m) + "</td><td>" +
           fmt("%.0f&deg;", p.peak_trunk_lean_deg) + "</td><td>" + pct(p.hip_work_share) + "</td><td>" +
           pct(p.knee_work_share) + "</td><td>" + fmt("%.3f", p.gluteus_maximus_mean_activation) +
           "</td><td>" + fmt("%.3f", p.quadriceps_mean_activation) + "</td></tr>\n";
    }
  h += "</tbody></table>\n</section>\n";
  return h;
}

}  // namespace

std::string render_html_report(const ExerciseReportData& d) {
  const std::string title = "glutelab report: " + body_title(d.body);
  std::string h = html_page_open(title);
  h += "<header><h1>Which exercises work the glutes: " + esc(body_title(d.body)) +
       "</h1>\n<p class=\"sub\">" + std::to_string(d.exercises.size()) +
       " exercises simulated with glutelab's musculoskeletal model" +
       (d.femur_sweep.ratios.empty() ? std::string() : ", plus a thigh-length sweep") + ".</p></header>\n";
  h += "<nav><h2>Contents</h2><ol>\n<li><a href=\"#how-to-read\">How to read this</a></li>\n<li><a "
       "href=\"#body\">The body and the model</a></li>\n<li><a href=\"#at-a-glance\">At a "
       "glance</a></li>\n<li><a "
       "href=\"#ranking\">Best exercises for each gluteal muscle</a></li>\n";
  for (const ExerciseWorkReport& r : d.exercises)
    h += "<li><a href=\"#" + anchor(r.exercise) + "\">" + esc(r.display_name) + "</a></li>\n";
  h += "<li><a href=\"#femur-sweep\">Thigh length</a></li>\n<li><a href=\"#caveats\">Limits of the "
       "model</a></li>\n</ol></nav>\n";
  h += how_to_read();
  h += body_section(d);
  h += glance_section(d);
  h += ranking_section(d);
  h += "<section id=\"exercises\"><h2>Exercise by exercise</h2>\n";
  for (const ExerciseWorkReport& r : d.exercises) {
    const ExerciseInfo* info = nullptr;
    for (const ExerciseInfo& i : exercise_catalog())
      if (i.name == r.exercise) info = &i;
    h += exercise_section(r, info);
  }
  h += "</section>\n";
  h += sweep_section(d);
  h += caveats(d);
  h += html_page_close("Generated by glutelab. Every number is a model result for a generated movement.");
  return h;
}

}  // namespace glutelab
