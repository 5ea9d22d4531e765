// `glutelab exercises`, `glutelab analyze EXERCISE` (or `analyze --motion FILE`, a recorded motion) and
// `glutelab rank --muscle NAME`: the exercise catalogue, who does the work in one exercise for a body
// or in a recording, and the exercises ranked for a muscle.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "exercise_cli.hpp"
#include "glutelab/exercise/exercise.hpp"
#include "glutelab/exercise/recorded_motion.hpp"
#include "glutelab/exercise/work_analysis.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "glutelab/io/storage.hpp"
#include "glutelab/io/svg_plot.hpp"
#include "glutelab/muscle/body_scaling.hpp"

namespace glutelab::cli {

void add_body_options(CLI::App* cmd, BodyArgs& a) {
  cmd->add_option("--model", a.model, "Model to scale (glutelab: the built-in model)")->capture_default_str();
  cmd->add_option("--height", a.height_m, "Body height (m); with --mass scales the model to the body");
  cmd->add_option("--mass", a.mass_kg, "Body mass (kg)");
  cmd->add_option("--sex", a.sex, "male or female (segment proportions)")
      ->check(CLI::IsMember({"male", "female"}))
      ->capture_default_str();
  cmd->add_option("--femur", a.femur_m, "Thigh length, hip to knee joint centre (m)");
  cmd->add_option("--load", a.load_kg, "External load (kg)")->capture_default_str();
  cmd->add_option("--depth", a.depth, "Fraction [0, 1] of the full range")->capture_default_str();
  cmd->add_option("--stance", a.stance_width_m, "Distance between the foot centres, [0.10, 0.80] m")
      ->capture_default_str();
  cmd->add_option("--placement", a.placement, "Load placement: back_barbell, front_rack, hands, hips")
      ->check(CLI::IsMember({"none", "back_barbell", "front_rack", "hands", "hips"}));
  cmd->add_option("--tempo", a.tempo_s, "Duration of one repetition (s); 0: the exercise's default")
      ->capture_default_str();
  cmd->add_option("--band", a.band_n_per_m,
                  "Elastic band stiffness (N/m) of band exercises; -1: the exercise's default band, 0: none")
      ->capture_default_str();
  cmd->add_option("--support-height", a.support_height_m,
                  "Height (m) of the step-up box, the split squat's rear bench or the sit-to-stand seat; 0: "
                  "the exercise's default for the body")
      ->capture_default_str();
  cmd->add_option("--side", a.side, "Working side of unilateral exercises: right or left")
      ->check(CLI::IsMember({"right", "left"}))
      ->capture_default_str();
  cmd->add_option("--frames", a.frames, "Frames per repetition")->capture_default_str();
  cmd->add_option("-j,--threads", a.threads, "Threads (0 = all cores)")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  cmd->add_flag("--json", a.json, "Print JSON instead of a table");
}

Model body_model(const BodyArgs& a) {
  const Model generic = read_osim(model_path_from_argument(a.model));
  if (!a.height_m && !a.mass_kg && !a.femur_m) return generic;
  if (!a.height_m || !a.mass_kg)
    throw std::invalid_argument("give both --height and --mass to scale the model");
  BodyDescription body;
  body.height_m = *a.height_m;
  body.mass_kg = *a.mass_kg;
  body.sex = a.sex == "female" ? Sex::Female : Sex::Male;
  body.thigh_length_m = a.femur_m;
  return scale_body(generic, body);
}

ExerciseParameters exercise_parameters(const BodyArgs& a) {
  ExerciseParameters p;
  p.load_kg = a.load_kg;
  p.depth = a.depth;
  p.stance_width_m = a.stance_width_m;
  p.tempo_s = a.tempo_s;
  p.band_stiffness_n_per_m = a.band_n_per_m;
  p.height_m = a.support_height_m;
  p.frames_per_rep = a.frames;
  p.side = a.side == "left" ? Side::Left : Side::Right;
  const std::vector<std::pair<std::string, LoadPlacement>> placements{
      {"none", LoadPlacement::None},
      {"back_barbell", LoadPlacement::BackBarbell},
      {"front_rack", LoadPlacement::FrontRack},
      {"hands", LoadPlacement::Hands},
      {"hips", LoadPlacement::Hips}};
  for (const auto& [n, pl] : placements)
    if (n == a.placement) p.placement = pl;
  return p;
}

ExerciseWorkOptions work_options(const BodyArgs& a) {
  ExerciseWorkOptions o;
  o.threads = a.threads;
  return o;
}

namespace {

// ---- exercises ----

void run_list(bool json) {
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const ExerciseInfo& e : exercise_catalog())
      out.push_back({{"name", e.name},
                     {"display_name", e.display_name},
                     {"description", e.description},
                     {"cues", e.cues},
                     {"default_placement", to_string(e.default_placement)},
                     {"unilateral", e.unilateral}});
    std::printf("%s\n", out.dump(2).c_str());
    return;
  }
  for (const ExerciseInfo& e : exercise_catalog())
    std::printf("%-24s %s%s\n  %s\n  cues: %s\n", e.name.c_str(), e.display_name.c_str(),
                e.unilateral ? " (one side)" : "", e.description.c_str(), e.cues.c_str());
}

// ---- analyze ----

nlohmann::json share_json(const MomentShare& s) {
  nlohmann::json c = nlohmann::json::object(), g = nlohmann::json::object();
  for (const auto& [n, v] : s.contributors) c[n] = v;
  for (const auto& [n, v] : s.by_group) g[n] = v;
  return {{"action", s.action},
          {"coordinate", s.coordinate},
          {"frames", s.frames},
          {"impulse_Nms", s.impulse_nms},
          {"agonist_impulse_Nms", s.agonist_impulse_nms},
          {"dominated_by_cocontraction", s.dominated_by_cocontraction()},
          {"contributors", c},
          {"contributors_sum", s.contributors_sum},
          {"by_group", g}};
}

}  // namespace

nlohmann::json report_json(const ExerciseWorkReport& r) {
  nlohmann::json groups = nlohmann::json::array(), muscles = nlohmann::json::array(),
                 work = nlohmann::json::array();
  for (const auto& g : r.groups)
    groups.push_back({{"group", g.group},
                      {"muscles", g.muscles},
                      {"peak_activation", g.peak_activation},
                      {"mean_activation", g.mean_activation},
                      {"peak_force_N", g.peak_force_n},
                      {"mean_force_N", g.mean_force_n},
                      {"hip_extension_share", g.hip_extension_share}});
  for (const auto& m : r.muscles)
    muscles.push_back({{"name", m.name},
                       {"group", m.group},
                       {"peak_activation", m.peak_activation},
                       {"mean_activation", m.mean_activation},
                       {"peak_force_N", m.peak_force_n},
                       {"mean_force_N", m.mean_force_n}});
  for (const auto& w : r.extensor_work)
    work.push_back({{"joint", w.joint}, {"positive_work_J", w.positive_work_j}, {"fraction", w.fraction}});
  return {{"exercise", r.exercise},
          {"display_name", r.display_name},
          {"side", r.side == Side::Left ? "left" : "right"},
          {"body_mass_kg", r.body_mass_kg},
          {"load_kg", r.load_kg},
          {"frames", r.frames},
          {"converged_frames", r.converged_frames},
          {"groups", groups},
          {"muscles", muscles},
          {"hip_extension", share_json(r.hip_extension)},
          {"hip_abduction", share_json(r.hip_abduction)},
          {"hip_external_rotation", share_json(r.hip_external_rotation)},
          {"knee_extension", share_json(r.knee_extension)},
          {"extensor_work", work},
          {"extensor_work_total_J", r.extensor_work_total_j},
          {"peak_hip_contact_BW", r.peak_hip_contact_bw},
          {"peak_hip_contact_time_s", r.peak_hip_contact_time_s},
          {"peak_knee_frontal_moment_Nm", r.peak_knee_frontal_moment_nm},
          {"knee_frontal_moment_source", r.knee_frontal_moment_source},
          {"max_reserve_fraction", r.max_reserve_fraction},
          {"max_reserve_coordinate", r.max_reserve_coordinate},
          {"max_reserve_Nm", r.max_reserve_nm},
          {"max_pelvis_residual", r.max_pelvis_residual},
          {"seconds", r.seconds}};
}

namespace {

TimeTable muscle_table(const ExerciseWorkReport& r, const Eigen::MatrixXd& values, const std::string& name) {
  TimeTable t;
  t.name = name;
  t.time_s = r.time_s;
  t.labels = r.muscle_names;
  t.values = values;
  return t;
}

}  // namespace

void write_outputs(const ExerciseWorkReport& r, const std::filesystem::path& dir, bool quiet) {
  std::filesystem::create_directories(dir);
  std::vector<std::filesystem::path> written;
  write_storage(dir / "activation.sto", muscle_table(r, r.activation, "Static Optimization"));
  write_storage(dir / "force.sto", muscle_table(r, r.force, "ModelForces"));
  TimeTable g;
  g.name = "Group activation";
  g.time_s = r.time_s;
  for (std::string n : r.group_names) {
    std::replace(n.begin(), n.end(), ' ', '_');
    g.labels.push_back(n);
  }
  g.values = r.group_activation;
  write_storage(dir / "group_activation.sto", g);
  std::string csv = "group,peak_activation,mean_activation,peak_force_N,mean_force_N,hip_extension_share\n";
  char line[256];
  for (const auto& gr : r.groups) {
    std::snprintf(line, sizeof line, "%s,%.6g,%.6g,%.6g,%.6g,%.6g\n", gr.group.c_str(), gr.peak_activation,
                  gr.mean_activation, gr.peak_force_n, gr.mean_force_n, gr.hip_extension_share);
    csv += line;
  }
  write_text_atomically(dir / "summary.csv", csv);
  write_text_atomically(dir / "summary.json", report_json(r).dump(2) + "\n");
  std::vector<PlotSeries> series;
  for (std::size_t k = 0; k < r.group_names.size(); ++k) {
    const Eigen::VectorXd col = r.group_activation.col(static_cast<Eigen::Index>(k));
    series.push_back({r.group_names[k], r.time_s, std::vector<double>(col.data(), col.data() + col.size())});
  }
  PlotOptions p;
  p.title = r.display_name + ": group activation";
  p.x_label = "time (s)";
  p.y_label = "activation";
  write_svg_line_plot(dir / "group_activation.svg", series, p);
  if (!quiet)
    for (const char* f : {"activation.sto", "force.sto", "group_activation.sto", "summary.csv",
                          "summary.json", "group_activation.svg"})
      std::printf("wrote %s\n", (dir / f).string().c_str());
}

namespace {

void print_report(const ExerciseWorkReport& r) {
  std::printf("%s, %s side, body %.1f kg, load %.1f kg: %d/%d frames solved in %.2f s\n",
              r.display_name.c_str(), r.side == Side::Left ? "left" : "right", r.body_mass_kg, r.load_kg,
              r.converged_frames, r.frames, r.seconds);
  const bool shares = !r.hip_extension.dominated_by_cocontraction();
  std::printf("%-16s %8s %8s %11s %9s\n", "group", "peak act", "mean act", "peak force", "hip ext");
  for (const auto& g : r.groups) {
    std::printf("%-16s %8.2f %8.2f %9.0f N ", g.group.c_str(), g.peak_activation, g.mean_activation,
                g.peak_force_n);
    if (shares)
      std::printf("%8.0f%%\n", 100.0 * g.hip_extension_share);
    else
      std::printf("%9s\n", "-");
  }
  if (shares) {
    std::printf("hip extension by compartment:");
    for (const auto& [c, v] : r.hip_extension.contributors) std::printf(" %s %.0f%%", c.c_str(), 100.0 * v);
  } else {
    std::printf(
        "hip extension shares not shown: the net hip-extension moment is small next to what the "
        "extensors and flexors produce against each other (%.1f vs %.1f N m s)",
        r.hip_extension.impulse_nms, r.hip_extension.agonist_impulse_nms);
  }
  std::printf("\nextensor work %.0f J:", r.extensor_work_total_j);
  if (r.extensor_work_total_j >= 1.0)
    for (const auto& w : r.extensor_work) std::printf(" %s %.0f%%", w.joint.c_str(), 100.0 * w.fraction);
  else
    std::printf(" (too little to split)");
  std::printf("\nhip contact force: peak %.2f body weights at t = %.2f s\n", r.peak_hip_contact_bw,
              r.peak_hip_contact_time_s);
  std::printf("knee frontal-plane moment: peak %.1f N m (%s)\n", r.peak_knee_frontal_moment_nm,
              r.knee_frontal_moment_source.c_str());
  std::printf("reserves: up to %.1f%% of the joint moment (%s); pelvis residuals up to %.2f\n",
              100.0 * r.max_reserve_fraction, r.max_reserve_coordinate.c_str(), r.max_pelvis_residual);
}

void run_analyze(const BodyArgs& a, const std::string& exercise, std::string out) {
  const Model m = body_model(a);
  const GeneratedExercise ex = generate_exercise(m, exercise, exercise_parameters(a));
  if (ex.worst_cop_margin_m < 0.0)
    std::fprintf(stderr,
                 "warning: at a tempo of %.2f s the centre of pressure under %s leaves its patch by %.0f mm "
                 "(t = %.2f s): the motion is not balanced; choose a slower tempo\n",
                 ex.parameters.tempo_s, ex.worst_cop_contact.c_str(), -1000.0 * ex.worst_cop_margin_m,
                 ex.motion.time_s[static_cast<std::size_t>(ex.worst_cop_frame)]);
  const ExerciseWorkReport r = analyze_exercise_work(m, ex, work_options(a));
  if (out.empty()) out = "glutelab-output/analyze/" + exercise;
  write_outputs(r, out, a.json);
  if (a.json)
    std::printf("%s\n", report_json(r).dump(2).c_str());
  else
    print_report(r);
}

// A recorded motion (--motion) analysed like a generated exercise; the ground reactions are estimated
// from the motion unless --grf gives measured ones.
struct MotionArgs {
  std::string motion, grf;
  double cutoff_hz = 6.0;
};

void run_analyze_motion(const BodyArgs& a, const MotionArgs& mo, std::string out) {
  if (a.load_kg != 0.0) throw std::invalid_argument("--load does not apply to --motion (a recording)");
  const Model m = body_model(a);
  RecordedMotionOptions o;
  o.cutoff_hz = mo.cutoff_hz;
  o.side = a.side == "left" ? Side::Left : Side::Right;
  const RecordedExercise rec = read_recorded_exercise(m, mo.motion, o, mo.grf);
  const ExerciseWorkReport r = analyze_exercise_work(m, rec.exercise, work_options(a));
  if (out.empty()) out = "glutelab-output/analyze/" + std::filesystem::path(mo.motion).stem().string();
  write_outputs(r, out, a.json);
  nlohmann::json ground = {{"source", rec.measured_ground_reactions ? "measured" : "estimated"},
                           {"file", mo.grf},
                           {"cutoff_Hz", mo.cutoff_hz},
                           {"flight_frames", rec.ground.flight_frames.size()},
                           {"no_push_frames", rec.ground.no_push_frames.size()},
                           {"floor_height_m", rec.ground.floor_height_m}};
  if (a.json) {
    nlohmann::json j = report_json(r);
    j["motion"] = mo.motion;
    j["ground_reactions"] = ground;
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  print_report(r);
  if (rec.measured_ground_reactions)
    std::printf("ground reactions: measured (%s)\n", mo.grf.c_str());
  else
    std::printf(
        "ground reactions: estimated from the motion (coordinates filtered at %g Hz); %zu frames without a "
        "planted foot, %zu frames needing a pull from the floor (no contact force)\n",
        mo.cutoff_hz, rec.ground.flight_frames.size(), rec.ground.no_push_frames.size());
}

// ---- rank ----

void run_rank(const BodyArgs& a, const std::string& muscle, bool peak) {
  const auto t0 = std::chrono::steady_clock::now();
  const Model m = body_model(a);
  const std::string key = resolve_muscle_or_group(m, muscle);
  double body_mass = 0.0;
  for (const Body& b : m.bodies) body_mass += b.mass_kg;
  validate_exercise_parameters(exercise_parameters(a), body_mass);
  std::vector<ExerciseJob> jobs;
  for (const ExerciseInfo& info : exercise_catalog()) {
    ExerciseParameters p = exercise_parameters(a);
    // The load goes to exercises that carry one by default (or to all, with an explicit placement).
    if (info.default_placement == LoadPlacement::None && a.placement.empty()) p.load_kg = 0.0;
    jobs.push_back({info.name, p});
  }
  ExerciseLibraryAnalysis library = analyze_exercises(m, jobs, work_options(a));
  std::vector<ExerciseWorkReport>& reports = library.reports;
  std::vector<std::string> skipped;  // exercises that cannot be generated for this body
  for (const auto& [name, why] : library.skipped) skipped.push_back(name + ": " + why);
  const auto ranking = rank_exercises(reports, key, peak ? RankBy::Peak : RankBy::Mean);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (a.json) {
    nlohmann::json out = {{"muscle_or_group", key}, {"by", peak ? "peak" : "mean"}, {"seconds", seconds}};
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& e : ranking)
      rows.push_back({{"exercise", e.exercise},
                      {"display_name", e.display_name},
                      {"mean_activation", e.mean_activation},
                      {"peak_activation", e.peak_activation}});
    out["ranking"] = rows;
    out["skipped"] = skipped;
    std::printf("%s\n", out.dump(2).c_str());
    return;
  }
  std::printf("exercises ranked by %s activation of %s (%zu exercises, %.2f s)\n", peak ? "peak" : "mean",
              key.c_str(), ranking.size(), seconds);
  std::printf("%4s  %-28s %8s %8s\n", "rank", "exercise", "mean", "peak");
  int i = 0;
  for (const auto& e : ranking)
    std::printf("%4d  %-28s %8.3f %8.3f\n", ++i, e.display_name.c_str(), e.mean_activation,
                e.peak_activation);
  for (const std::string& s : skipped) std::fprintf(stderr, "warning: skipped %s\n", s.c_str());
}

}  // namespace

void validate_load(const BodyArgs& a) {
  if (!(a.load_kg >= 0.0)) {
    char msg[128];
    std::snprintf(msg, sizeof msg, "--load must be in [0, 5 x body mass] kg, got %g", a.load_kg);
    throw std::invalid_argument(msg);
  }
}

void add_exercise_commands(CLI::App& app) {
  auto json = std::make_shared<bool>(false);
  auto* list = app.add_subcommand("exercises", "List the exercise catalogue (name, description, cues)");
  list->add_flag("--json", *json, "Print JSON instead of a table");
  list->callback([json] { run_list(*json); });

  auto an = std::make_shared<BodyArgs>();
  auto exercise = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto mo = std::make_shared<MotionArgs>();
  auto* analyze = app.add_subcommand(
      "analyze",
      "Who does the work in one exercise for a body, or in a recorded motion (--motion): muscles, hip "
      "moment shares, joint work");
  auto* exercise_opt = analyze->add_option("exercise", *exercise, "Exercise name (see glutelab exercises)");
  add_body_options(analyze, *an);
  analyze->add_option("-o,--out", *out, "Output folder (default glutelab-output/analyze/EXERCISE or MOTION)");
  auto* motion_opt = analyze->add_option(
      "--motion", mo->motion,
      "A recorded motion (.mot/.sto of coordinates, e.g. OpenCap or IK) to analyse instead");
  motion_opt->excludes(exercise_opt);
  analyze
      ->add_option("--grf", mo->grf, "With --motion: measured ground reactions (OpenSim ExternalLoads .xml)")
      ->needs(motion_opt);
  analyze->add_option("--cutoff", mo->cutoff_hz, "With --motion: low-pass cutoff of the coordinates (Hz)")
      ->needs(motion_opt)
      ->capture_default_str();
  analyze->callback([an, exercise, out, mo] {
    validate_load(*an);
    if (!mo->motion.empty())
      run_analyze_motion(*an, *mo, *out);
    else if (exercise->empty())
      throw std::invalid_argument("give an exercise name (see glutelab exercises) or --motion FILE");
    else
      run_analyze(*an, *exercise, *out);
  });

  auto rk = std::make_shared<BodyArgs>();
  auto muscle = std::make_shared<std::string>();
  auto peak = std::make_shared<bool>(false);
  auto* rank =
      app.add_subcommand("rank", "Rank every exercise by a muscle's or group's activation for a body");
  rank->add_option("-m,--muscle", *muscle, "Muscle (glmax1) or group (gluteus_maximus, quadriceps...)")
      ->required();
  rank->add_flag("--peak", *peak, "Rank by peak instead of mean activation");
  add_body_options(rank, *rk);
  rank->callback([rk, muscle, peak] {
    validate_load(*rk);
    run_rank(*rk, *muscle, *peak);
  });
}

}  // namespace glutelab::cli
