// `glutelab simulate valgus`: the hip adduction and internal rotation a body needs in a single-leg squat
// and a landing-like loading as its stance-side hip abductors and external rotators weaken
// (dysfunction/valgus.hpp), printed per strength and written as CSV, JSON, HTML and OpenSim motions.
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "exercise_cli.hpp"
#include "glutelab/dysfunction/posture_html.hpp"
#include "glutelab/dysfunction/valgus.hpp"
#include "glutelab/io/storage.hpp"
#include "progress.hpp"

namespace glutelab::cli {
namespace {

struct ValgusArgs {
  BodyArgs body;
  std::vector<double> strengths;
  std::optional<double> step;
  std::vector<std::string> tasks;
  bool with_maximus = false;
  double ratio = 1.0, max_collapse_deg = 20.0, scan_step_deg = 1.0, tolerance_deg = 0.01;
  std::string out = "glutelab-output/simulate/valgus";
};

nlohmann::json point_json(const ValgusPoint& p) {
  nlohmann::json j = {{"strength", p.strength},
                      {"found", p.found},
                      {"note", p.note.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.note)},
                      {"upright_reserve_Nm", p.upright_reserve_nm},
                      {"upright_reserve_coordinate", p.upright_reserve_coordinate},
                      {"limit_deviation_deg", p.limit_deviation_deg},
                      {"limit_reserve_Nm", p.limit_reserve_nm},
                      {"evaluations", p.evaluations},
                      {"seconds", p.seconds}};
  if (!p.found) return j;
  j.update({{"hip_adduction_change_deg", p.hip_adduction_change_deg},
            {"hip_internal_rotation_change_deg", p.hip_rotation_change_deg},
            {"hip_adduction_deg", p.hip_adduction_deg},
            {"hip_internal_rotation_deg", p.hip_rotation_deg},
            {"knee_medial_change_cm", p.knee_medial_change_cm},
            {"pelvic_drop_cm", p.pelvic_drop_cm},
            {"knee_frontal_moment_Nm", p.knee_frontal_moment_nm},
            {"knee_frontal_moment_change_Nm", p.knee_frontal_moment_change_nm},
            {"hip_abductors_activation", p.abductor_activation},
            {"deep_six_activation", p.deep_six_activation},
            {"gluteus_maximus_activation", p.gluteus_maximus_activation},
            {"max_activation", p.max_activation},
            {"max_activation_muscle", p.max_activation_muscle},
            {"hip_contact_BW", p.hip_contact_bw},
            {"residual_BW_m", p.residual_bw_m}});
  return j;
}

nlohmann::json result_json(const ValgusResult& r) {
  nlohmann::json curves = nlohmann::json::array();
  for (const ValgusCurve& c : r.curves) {
    nlohmann::json pts = nlohmann::json::array();
    for (const ValgusPoint& p : c.points) pts.push_back(point_json(p));
    curves.push_back({{"task", to_string(c.task)},
                      {"description", c.description},
                      {"seconds", c.seconds},
                      {"points", pts}});
  }
  return {{"side", r.side == Side::Right ? "right" : "left"},
          {"body_mass_kg", r.body_mass_kg},
          {"weakened", r.weakened},
          {"seconds", r.seconds},
          {"curves", curves}};
}

std::string result_csv(const ValgusResult& r) {
  std::string csv =
      "task,strength,found,hip_adduction_change_deg,hip_internal_rotation_change_deg,knee_medial_change_cm,"
      "knee_frontal_moment_Nm,knee_frontal_moment_change_Nm,hip_abductors_activation,deep_six_activation,"
      "max_activation,hip_contact_BW,residual_BW_m,upright_reserve_Nm,seconds\n";
  char line[512];
  for (const ValgusCurve& c : r.curves)
    for (const ValgusPoint& p : c.points) {
      std::snprintf(line, sizeof line,
                    "%s,%.6g,%d,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g\n",
                    to_string(c.task).c_str(), p.strength, p.found ? 1 : 0, p.hip_adduction_change_deg,
                    p.hip_rotation_change_deg, p.knee_medial_change_cm, p.knee_frontal_moment_nm,
                    p.knee_frontal_moment_change_nm, p.abductor_activation, p.deep_six_activation,
                    p.max_activation, p.hip_contact_bw, p.residual_bw_m, p.upright_reserve_nm, p.seconds);
      csv += line;
    }
  return csv;
}

std::vector<double> levels(const ValgusArgs& a) {
  if (!a.strengths.empty() && a.step)
    throw std::invalid_argument("give either --strengths or --step, not both");
  if (!a.strengths.empty()) return a.strengths;
  const double step = a.step.value_or(0.1);
  if (!(step >= 0.01 && step <= 0.5)) {
    char msg[96];
    std::snprintf(msg, sizeof msg, "--step must be in [0.01, 0.5], got %g", step);
    throw std::invalid_argument(msg);
  }
  std::vector<double> s;
  const int n = static_cast<int>(std::floor(1.0 / step + 1e-9));
  for (int k = 0; k <= n; ++k) s.push_back(std::max(0.0, std::round((1.0 - k * step) * 1e9) / 1e9));
  if (s.back() > 1e-12) s.push_back(0.0);
  return s;
}

void run_valgus(const ValgusArgs& a) {
  ValgusOptions o;
  o.side = a.body.side == "left" ? Side::Left : Side::Right;
  o.strengths = levels(a);
  if (!a.tasks.empty()) {
    o.tasks.clear();
    for (const std::string& t : a.tasks) o.tasks.push_back(parse_stance_task(t));
  }
  o.weaken_gluteus_maximus = a.with_maximus;
  o.rotation_per_adduction = a.ratio;
  o.max_collapse_deg = a.max_collapse_deg;
  o.scan_step_deg = a.scan_step_deg;
  o.tolerance_deg = a.tolerance_deg;
  o.threads = a.body.threads;
  validate_valgus_options(o);
  const Model m = body_model(a.body);
  ProgressBar bar("valgus");
  o.progress = [&bar](int done, int total) { bar.update(done, total); };
  const ValgusResult r = simulate_valgus(m, o);

  const std::filesystem::path dir = a.out;
  std::filesystem::create_directories(dir);
  const nlohmann::json j = result_json(r);
  write_text_atomically(dir / "valgus.csv", result_csv(r));
  write_text_atomically(dir / "valgus.json", j.dump(2) + "\n");
  char body[160];
  std::snprintf(body, sizeof body, "%s model, %.1f kg", a.body.model.c_str(), r.body_mass_kg);
  write_text_atomically(dir / "valgus.html", render_valgus_html(r, body));
  std::vector<std::string> written{"valgus.csv", "valgus.json", "valgus.html"};
  for (const ValgusCurve& c : r.curves) {
    const TimeTable t = valgus_motion(m, c);
    if (t.rows() == 0) continue;
    const std::string name = "postures_" + to_string(c.task) + ".sto";
    write_storage(dir / name, t);
    written.push_back(name);
  }
  if (a.body.json) {
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  for (const ValgusCurve& c : r.curves) {
    std::printf("\n%s: %s\n%8s %8s %8s %8s %9s %8s %6s %6s %7s %6s %8s\n", to_string(c.task).c_str(),
                c.description.c_str(), "strength", "add +°", "IR +°", "knee cm", "knee Nm", "change", "abd",
                "deep6", "hip BW", "time", "upright");
    for (const ValgusPoint& p : c.points) {
      if (!p.found) {
        std::printf("%8.2f no static posture: %s (upright needs %.1f N m, %.0f deg needs %.1f N m)\n",
                    p.strength, p.note.c_str(), p.upright_reserve_nm, p.limit_deviation_deg,
                    p.limit_reserve_nm);
        continue;
      }
      std::printf("%8.2f %8.2f %8.2f %8.2f %9.1f %+8.1f %6.2f %6.2f %7.2f %5.2fs %6.1fNm\n", p.strength,
                  p.hip_adduction_change_deg, p.hip_rotation_change_deg, p.knee_medial_change_cm,
                  p.knee_frontal_moment_nm, p.knee_frontal_moment_change_nm, p.abductor_activation,
                  p.deep_six_activation, p.hip_contact_bw, p.seconds, p.upright_reserve_nm);
    }
    std::printf("curve: %.2f s of computation\n", c.seconds);
  }
  std::printf("\ntotal %.2f s\n", r.seconds);
  for (const std::string& f : written) std::printf("wrote %s\n", (dir / f).string().c_str());
}

}  // namespace

void add_simulate_valgus_command(CLI::App& simulate) {
  auto a = std::make_shared<ValgusArgs>();
  auto* cmd = simulate.add_subcommand(
      "valgus",
      "Weaken the stance-side hip abductors and external rotators step by step and find the hip adduction "
      "and "
      "internal rotation (knee collapsing inwards) the body needs in a single-leg squat and a landing");
  BodyArgs& b = a->body;
  cmd->add_option("--model", b.model, "Model to scale (glutelab: the built-in model)")->capture_default_str();
  cmd->add_option("--height", b.height_m, "Body height (m); with --mass scales the model to the body");
  cmd->add_option("--mass", b.mass_kg, "Body mass (kg)");
  cmd->add_option("--sex", b.sex, "male or female (segment proportions)")
      ->check(CLI::IsMember({"male", "female"}))
      ->capture_default_str();
  cmd->add_option("--femur", b.femur_m, "Thigh length, hip to knee joint centre (m)");
  cmd->add_option("--side", b.side, "Stance side (its muscles are weakened): right or left")
      ->check(CLI::IsMember({"right", "left"}))
      ->capture_default_str();
  cmd->add_option("--strengths", a->strengths, "Strength levels in [0, 1], e.g. 1,0.8,0.5")->delimiter(',');
  cmd->add_option("--step", a->step, "Strength levels from 1 down to 0 in this step (default 0.1)");
  cmd->add_option("--task", a->tasks, "single_leg_squat or landing (repeatable; default both)");
  cmd->add_flag("--with-maximus", a->with_maximus, "Also weaken the gluteus maximus");
  cmd->add_option("--rotation-per-adduction", a->ratio,
                  "Degrees of internal rotation per degree of adduction")
      ->capture_default_str();
  cmd->add_option("--max-collapse", a->max_collapse_deg, "Largest extra hip adduction searched (deg)")
      ->capture_default_str();
  cmd->add_option("--scan-step", a->scan_step_deg, "Search step (deg)")->capture_default_str();
  cmd->add_option("--tolerance", a->tolerance_deg, "Posture resolution (deg)")->capture_default_str();
  cmd->add_option("-j,--threads", b.threads, "Threads (0 = all cores)")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  cmd->add_flag("--json", b.json, "Print JSON instead of tables");
  cmd->add_option("-o,--out", a->out, "Output folder")->capture_default_str();
  cmd->callback([a] { run_valgus(*a); });
}

}  // namespace glutelab::cli
