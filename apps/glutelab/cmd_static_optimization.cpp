// `glutelab static-optimization`, `glutelab joint-reaction` and the AnalyzeTool branch of `glutelab run`.
#include <cstdio>
#include <thread>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "glutelab/analysis/analyze_tool.hpp"
#include "glutelab/io/force_set_reader.hpp"
#include "glutelab/io/input_error.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "glutelab/io/svg_plot.hpp"
#include "progress.hpp"

namespace glutelab::cli {
namespace {

struct DynamicsArgs {
  std::string model, motion, external_loads, out = "glutelab-output/static-optimization";
  std::vector<std::string> actuator_files;
  double cutoff_hz = -1.0;
  double start_s = -std::numeric_limits<double>::infinity();
  double end_s = std::numeric_limits<double>::infinity();
  int step_interval = 1;
  double exponent = 2.0;
  std::string mode = "opensim";
  int opensim_version = 4;
  bool no_muscle_physiology = false;
  int threads = 0;
  bool csv = false;
  bool json = false;
  // joint-reaction only
  std::string forces;
  std::vector<std::string> joints{"All"};
  std::vector<std::string> on{"child"};
  std::vector<std::string> in{"ground"};
};

void add_common_options(CLI::App* cmd, DynamicsArgs& a) {
  cmd->add_option("model", a.model,
                  "OpenSim model (.osim), or glutelab for the built-in glutelab model; default: the shipped "
                  "gait2392 model");
  cmd->add_option("motion", a.motion,
                  "Coordinates over time (.mot/.sto); default: the shipped walking trial");
  cmd->add_option("-e,--external-loads", a.external_loads, "ExternalLoads XML (ground reaction forces)");
  cmd->add_option("-a,--actuators", a.actuator_files,
                  "ForceSet files with reserve/residual actuators to add");
  cmd->add_option("--cutoff", a.cutoff_hz, "Low-pass cutoff for the coordinates in Hz (<= 0: none)")
      ->capture_default_str();
  cmd->add_option("--start", a.start_s, "First time (s)");
  cmd->add_option("--end", a.end_s, "Last time (s)");
  cmd->add_option("--step", a.step_interval, "Analyse every n-th frame (OpenSim's step_interval)")
      ->capture_default_str();
  cmd->add_option("--exponent", a.exponent, "Activation exponent p of sum |a|^p")->capture_default_str();
  cmd->add_option("--mode", a.mode, "opensim (OpenSim's definition) or physiological (passive force, tendon)")
      ->check(CLI::IsMember({"opensim", "physiological"}))
      ->capture_default_str();
  cmd->add_option("--opensim-version", a.opensim_version,
                  "Force model of opensim mode: 4 (4.x) or 3 (2.x/3.x results)")
      ->check(CLI::IsMember({3, 4}))
      ->capture_default_str();
  cmd->add_flag("--no-muscle-physiology", a.no_muscle_physiology,
                "Force per activation = max isometric force");
  cmd->add_option("-j,--threads", a.threads, "Threads (0 = all cores)")->capture_default_str();
  cmd->add_flag("--csv", a.csv, "Also write every table as CSV");
  cmd->add_flag("--json", a.json, "Print a JSON summary on stdout instead of text");
}

struct Inputs {
  Model model;
  Motion motion;
  ExternalLoads loads;
  bool have_loads = false;
};

Inputs load_inputs(const DynamicsArgs& a) {
  Inputs in;
  const std::filesystem::path model_path = model_path_from_argument(a.model);
  const std::filesystem::path motion_path =
      a.motion.empty() ? default_motion_path() : std::filesystem::path(a.motion);
  in.model = read_osim(model_path);
  for (const auto& file : a.actuator_files)
    for (Actuator& act : read_force_set_actuators(file, in.model)) in.model.actuators.push_back(act);
  in.motion = read_motion(in.model, motion_path, /*require_all=*/true);
  if (!a.external_loads.empty()) {
    in.loads = read_external_loads(a.external_loads, in.model);
    in.have_loads = true;
  }
  return in;
}

StaticOptimizationOptions so_options(const DynamicsArgs& a) {
  StaticOptimizationOptions o;
  o.mode =
      a.mode == "physiological" ? StaticOptimizationMode::Physiological : StaticOptimizationMode::OpenSim;
  o.opensim_version = a.opensim_version == 3 ? OpenSimForceModel::Version3 : OpenSimForceModel::Version4;
  o.exponent = a.exponent;
  o.use_muscle_physiology = !a.no_muscle_physiology;
  o.cutoff_hz = a.cutoff_hz;
  o.start_s = a.start_s;
  o.end_s = a.end_s;
  o.step_interval = a.step_interval;
  o.threads = a.threads;
  return o;
}

/// Writes the table (and its CSV); names the file on stdout unless `quiet` (JSON output).
void write_table(const std::filesystem::path& file, const TimeTable& table, bool csv, bool quiet = false) {
  write_storage(file, table);
  if (csv) write_csv(std::filesystem::path(file).replace_extension(".csv"), table);
  if (!quiet) std::printf("wrote %s\n", file.string().c_str());
}

/// Prints the frames that could not be balanced and returns their number.
int report_frames(const Model& model, const StaticOptimizationResult& r) {
  int bad = 0;
  for (std::size_t f = 0; f < r.frames.size(); ++f) {
    const StaticOptimizationFrame& fr = r.frames[f];
    if (fr.converged) continue;
    ++bad;
    if (bad <= 10)
      std::fprintf(stderr,
                   "warning: t = %.4f s cannot be balanced: %.3g left over at %s, %zu muscles saturated\n",
                   r.time_s[f], fr.max_residual,
                   fr.worst_coordinate >= 0
                       ? model.coordinates[static_cast<std::size_t>(fr.worst_coordinate)].name.c_str()
                       : "?",
                   fr.saturated_muscles.size());
  }
  if (bad > 10) std::fprintf(stderr, "warning: %d frames cannot be balanced in all\n", bad);
  return bad;
}

/// After the outputs are written: frames that could not be balanced make the run fail (exit 2) with
/// one line saying how many, where, and what to do.
void fail_if_infeasible(const Model& model, const StaticOptimizationResult& r,
                        const std::filesystem::path& source) {
  int bad = 0;
  std::size_t worst = 0;
  for (std::size_t f = 0; f < r.frames.size(); ++f) {
    if (r.frames[f].converged) continue;
    if (bad++ == 0 || r.frames[f].max_residual > r.frames[worst].max_residual) worst = f;
  }
  if (bad == 0) return;
  const StaticOptimizationFrame& w = r.frames[worst];
  char line[512];
  std::snprintf(
      line, sizeof line,
      "%d of %zu frames cannot be balanced by the muscles and actuators (worst %.3g N m at %s, t = %.4f s); "
      "outputs were written, but those frames are not solutions: add reserve or residual actuators "
      "(--actuators)",
      bad, r.frames.size(), w.max_residual,
      w.worst_coordinate >= 0 ? model.coordinates[static_cast<std::size_t>(w.worst_coordinate)].name.c_str()
                              : "?",
      r.time_s[worst]);
  throw InputError(source, line);
}

nlohmann::json frames_json(const Model& model, const StaticOptimizationResult& r) {
  nlohmann::json frames = nlohmann::json::array();
  for (std::size_t f = 0; f < r.frames.size(); ++f) {
    const StaticOptimizationFrame& fr = r.frames[f];
    nlohmann::json saturated = nlohmann::json::array();
    for (int m : fr.saturated_muscles) saturated.push_back(model.muscles[static_cast<std::size_t>(m)].name);
    frames.push_back(
        {{"time", r.time_s[f]},
         {"converged", fr.converged},
         {"max_residual", fr.max_residual},
         {"worst_coordinate", fr.worst_coordinate >= 0
                                  ? model.coordinates[static_cast<std::size_t>(fr.worst_coordinate)].name
                                  : ""},
         {"max_reserve_control", fr.max_reserve_control},
         {"saturated_muscles", saturated}});
  }
  return frames;
}

void run_static_optimization(const DynamicsArgs& a) {
  const Inputs in = load_inputs(a);
  StaticOptimizationOptions o = so_options(a);
  ProgressBar bar("static optimization");
  o.progress = [&bar](int done, int total) { bar.update(done, total); };
  std::fprintf(a.json ? stderr : stdout,
               "static optimization (%s mode): %s, %zu muscles + %zu actuators, %d frames of motion\n",
               a.mode.c_str(), in.model.name.c_str(), in.model.muscles.size(), in.model.actuators.size(),
               in.motion.frames());
  StaticOptimizationResult r;
  try {
    r = static_optimization(in.model, in.motion, in.have_loads ? &in.loads : nullptr, o);
  } catch (const std::invalid_argument& e) {
    throw InputError(a.motion.empty() ? default_motion_path() : std::filesystem::path(a.motion), e.what());
  }
  const std::filesystem::path dir(a.out);
  std::filesystem::create_directories(dir);
  write_table(dir / "StaticOptimization_activation.sto", static_optimization_activation_table(r), a.csv,
              a.json);
  write_table(dir / "StaticOptimization_force.sto", static_optimization_force_table(r), a.csv, a.json);
  const int bad = report_frames(in.model, r);
  const double fps = r.seconds > 0 ? static_cast<double>(r.time_s.size()) / r.seconds : 0.0;
  nlohmann::json summary = {{"frames", r.time_s.size()},
                            {"infeasible_frames", bad},
                            {"seconds", r.seconds},
                            {"frames_per_second", fps},
                            {"mode", a.mode},
                            {"exponent", a.exponent},
                            {"per_frame", frames_json(in.model, r)}};
  summary["files"] = {(dir / "StaticOptimization_activation.sto").string(),
                      (dir / "StaticOptimization_force.sto").string(), (dir / "summary.json").string()};
  write_text_atomically(dir / "summary.json", summary.dump(2) + "\n");
  if (a.json)
    std::printf("%s\n", summary.dump(2).c_str());
  else
    std::printf("throughput: %.0f frames/s (%zu frames, %d infeasible)\n", fps, r.time_s.size(), bad);
  fail_if_infeasible(in.model, r, a.motion.empty() ? default_motion_path() : std::filesystem::path(a.motion));
}

/// Writes the hip contact force tables and plot; their peaks go to `out` (and to stdout unless `quiet`).
void write_hip_contact(const Model& model, const StaticOptimizationResult& forces, const ExternalLoads* loads,
                       const std::filesystem::path& dir, bool csv, bool quiet, nlohmann::json& out) {
  std::vector<PlotSeries> series;
  for (const char* name : {"hip_r", "hip_l"}) {
    int joint = -1;
    for (std::size_t j = 0; j < model.joints.size(); ++j)
      if (model.joints[j].name == name) joint = static_cast<int>(j);
    if (joint < 0) continue;
    const HipContactForce h = hip_contact_force(model, forces, loads, joint);
    TimeTable t;
    t.name = std::string(name) + " contact force";
    t.time_s = h.time_s;
    t.labels = {"magnitude_N", "magnitude_BW", "femur_x_N",  "femur_y_N",
                "femur_z_N",   "pelvis_x_N",   "pelvis_y_N", "pelvis_z_N"};
    t.values.resize(static_cast<Eigen::Index>(h.time_s.size()), 8);
    t.values << h.magnitude_n, h.magnitude_bw, h.in_femur_n, h.in_pelvis_n;
    write_table(dir / (std::string(name) + "_contact_force.sto"), t, csv, quiet);
    out["files"].push_back((dir / (std::string(name) + "_contact_force.sto")).string());
    Eigen::Index peak = 0;
    h.magnitude_bw.maxCoeff(&peak);
    out["hip_contact"][name] = {{"peak_BW", h.magnitude_bw[peak]},
                                {"peak_N", h.magnitude_n[peak]},
                                {"peak_time_s", h.time_s[static_cast<std::size_t>(peak)]}};
    if (!quiet)
      std::printf("%s contact force: peak %.2f body weights (%.0f N) at t = %.3f s\n", name,
                  h.magnitude_bw[peak], h.magnitude_n[peak], h.time_s[static_cast<std::size_t>(peak)]);
    series.push_back(
        {std::string(name) + " (BW)", h.time_s,
         std::vector<double>(h.magnitude_bw.data(), h.magnitude_bw.data() + h.magnitude_bw.size())});
  }
  if (series.empty()) return;
  PlotOptions p;
  p.title = "Hip contact force";
  p.x_label = "time (s)";
  p.y_label = "force (body weights)";
  write_svg_line_plot(dir / "hip_contact_force.svg", series, p);
  out["files"].push_back((dir / "hip_contact_force.svg").string());
  if (!quiet) std::printf("wrote %s\n", (dir / "hip_contact_force.svg").string().c_str());
}

void run_joint_reaction(const DynamicsArgs& a) {
  const Inputs in = load_inputs(a);
  const std::filesystem::path dir(a.out);
  std::filesystem::create_directories(dir);
  std::vector<JointReactionRequest> requests;
  StaticOptimizationResult forces;
  const auto motion_file = a.motion.empty() ? default_motion_path() : std::filesystem::path(a.motion);
  try {
    requests = joint_reaction_requests(in.model, a.joints, a.on, a.in);
    if (a.forces.empty()) {
      std::fprintf(a.json ? stderr : stdout,
                   "joint reaction: no --forces given, running static optimization first\n");
      forces = static_optimization(in.model, in.motion, in.have_loads ? &in.loads : nullptr, so_options(a));
      report_frames(in.model, forces);
      fail_if_infeasible(in.model, forces, motion_file);
    } else {
      const AnalysisFrames frames =
          analysis_frames(in.motion, a.cutoff_hz, a.start_s, a.end_s, a.step_interval);
      forces = forces_at_frames(in.model, read_storage(a.forces), frames);
    }
  } catch (const std::invalid_argument& e) {
    throw InputError(a.forces.empty() ? motion_file : std::filesystem::path(a.forces), e.what());
  }
  const JointReactionResult jr =
      joint_reactions(in.model, forces, in.have_loads ? &in.loads : nullptr, requests);
  write_table(dir / "JointReaction_ReactionLoads.sto", joint_reaction_table(jr), a.csv, a.json);
  nlohmann::json out = {{"frames", forces.time_s.size()},
                        {"joints", a.joints},
                        {"files", {(dir / "JointReaction_ReactionLoads.sto").string()}},
                        {"hip_contact", nlohmann::json::object()}};
  write_hip_contact(in.model, forces, in.have_loads ? &in.loads : nullptr, dir, a.csv, a.json, out);
  if (a.json) std::printf("%s\n", out.dump(2).c_str());
}

}  // namespace

void add_static_optimization_commands(CLI::App& app) {
  auto so = std::make_shared<DynamicsArgs>();
  auto* cmd = app.add_subcommand(
      "static-optimization", "Muscle activations and forces per frame (like OpenSim's StaticOptimization)");
  add_common_options(cmd, *so);
  cmd->add_option("-o,--out", so->out, "Output folder")->capture_default_str();
  cmd->callback([so] { run_static_optimization(*so); });

  auto jr = std::make_shared<DynamicsArgs>();
  jr->out = "glutelab-output/joint-reaction";
  auto* jcmd = app.add_subcommand(
      "joint-reaction", "Joint reaction loads and the hip contact force (like OpenSim's JointReaction)");
  add_common_options(jcmd, *jr);
  jcmd->add_option("-f,--forces", jr->forces,
                   "Muscle and actuator forces (a static optimization _force.sto); "
                   "default: run static optimization first");
  jcmd->add_option("--joints", jr->joints, "Joints to report (default All)");
  jcmd->add_option("--on", jr->on, "child or parent, one or one per joint");
  jcmd->add_option("--in", jr->in,
                   "Frame to express the loads in (ground, child, parent or a body), one or per joint");
  jcmd->add_option("-o,--out", jr->out, "Output folder")->capture_default_str();
  jcmd->callback([jr] { run_joint_reaction(*jr); });
}

void run_analyze_setup(const std::filesystem::path& setup_file, const std::filesystem::path& results_dir) {
  const AnalyzeSetup setup = read_analyze_setup(setup_file);
  AnalyzeToolOptions o;
  o.results_directory = results_dir;
  ProgressBar bar("analyze");
  o.progress = [&bar](int done, int total) { bar.update(done, total); };
  const AnalyzeToolRun run = run_analyze_tool(setup, o);
  for (const std::string& w : run.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  for (const auto& f : run.written) std::printf("wrote %s\n", f.string().c_str());
  if (run.ran_static_optimization) {
    const auto& r = run.static_optimization;
    std::printf("static optimization: %zu frames, %.0f frames/s\n", r.time_s.size(),
                r.seconds > 0 ? static_cast<double>(r.time_s.size()) / r.seconds : 0.0);
    fail_if_infeasible(read_osim(setup.model_file), r, setup.coordinates_file);
  }
}

}  // namespace glutelab::cli
