// `glutelab simulate trendelenburg`: the posture a body adopts on one leg as its stance-side hip
// abductors weaken (dysfunction/trendelenburg.hpp), printed per strength and written as CSV, JSON, an
// HTML page with the curves and OpenSim motions of the postures.
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "exercise_cli.hpp"
#include "glutelab/dysfunction/posture_html.hpp"
#include "glutelab/dysfunction/trendelenburg.hpp"
#include "glutelab/io/storage.hpp"
#include "progress.hpp"

namespace glutelab::cli {
namespace {

struct TrendelenburgArgs {
  BodyArgs body;
  std::vector<double> strengths;
  std::optional<double> step;
  std::vector<std::string> tasks;
  double max_drop_deg = 25.0, max_lean_deg = 50.0, scan_step_deg = 1.0, tolerance_deg = 0.01;
  std::string out = "glutelab-output/simulate/trendelenburg";
};

nlohmann::json finite_or_null(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

nlohmann::json point_json(const PosturePoint& p) {
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
  j.update({{"deviation_deg", p.deviation_deg},
            {"pelvic_drop_cm", p.pelvic_drop_cm},
            {"pelvic_list_deg", p.pelvic_list_deg},
            {"trunk_lean_deg", p.trunk_lean_deg},
            {"hip_adduction_deg", p.hip_adduction_deg},
            {"hip_rotation_deg", p.hip_rotation_deg},
            {"gluteus_medius_activation", p.gluteus_medius_activation},
            {"gluteus_minimus_activation", p.gluteus_minimus_activation},
            {"tfl_activation", p.tfl_activation},
            {"hip_abductors_activation", p.abductor_activation},
            {"deep_six_activation", p.deep_six_activation},
            {"gluteus_maximus_activation", p.gluteus_maximus_activation},
            {"max_activation", p.max_activation},
            {"max_activation_muscle", p.max_activation_muscle},
            {"hip_contact_BW", p.hip_contact_bw},
            {"hip_abduction_moment_Nm", p.hip_abduction_moment_nm},
            {"knee_frontal_moment_Nm", p.knee_frontal_moment_nm},
            {"residual_BW_m", p.residual_bw_m},
            {"cop_margin_m", p.cop_margin_m}});
  return j;
}

nlohmann::json result_json(const TrendelenburgResult& r) {
  nlohmann::json curves = nlohmann::json::array();
  for (const TrendelenburgCurve& c : r.curves) {
    nlohmann::json pts = nlohmann::json::array();
    for (const PosturePoint& p : c.points) pts.push_back(point_json(p));
    curves.push_back(
        {{"task", to_string(c.task)},
         {"strategy", to_string(c.strategy)},
         {"visible_drop_strength", finite_or_null(c.visible_drop_strength)},
         {"visible_drop_bracket", {finite_or_null(c.bracket_high), finite_or_null(c.bracket_low)}},
         {"seconds", c.seconds},
         {"points", pts}});
  }
  return {{"side", r.side == Side::Right ? "right" : "left"},
          {"body_mass_kg", r.body_mass_kg},
          {"visible_drop_cm", kVisibleDropCm},
          {"midstance_cycle_fraction", r.midstance_cycle_fraction},
          {"midstance_acceleration_mps2",
           {r.midstance_acceleration_mps2.x(), r.midstance_acceleration_mps2.y(),
            r.midstance_acceleration_mps2.z()}},
          {"seconds", r.seconds},
          {"curves", curves}};
}

std::string result_csv(const TrendelenburgResult& r) {
  std::string csv =
      "task,strategy,strength,found,deviation_deg,pelvic_drop_cm,pelvic_list_deg,trunk_lean_deg,hip_"
      "adduction_deg,"
      "gluteus_medius_activation,gluteus_minimus_activation,tfl_activation,hip_abductors_activation,max_"
      "activation,"
      "hip_contact_BW,hip_abduction_moment_Nm,knee_frontal_moment_Nm,residual_BW_m,upright_reserve_Nm,"
      "seconds\n";
  char line[640];
  for (const TrendelenburgCurve& c : r.curves)
    for (const PosturePoint& p : c.points) {
      std::snprintf(
          line, sizeof line,
          "%s,%s,%.6g,%d,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g\n",
          to_string(c.task).c_str(), to_string(c.strategy).c_str(), p.strength, p.found ? 1 : 0,
          p.deviation_deg, p.pelvic_drop_cm, p.pelvic_list_deg, p.trunk_lean_deg, p.hip_adduction_deg,
          p.gluteus_medius_activation, p.gluteus_minimus_activation, p.tfl_activation, p.abductor_activation,
          p.max_activation, p.hip_contact_bw, p.hip_abduction_moment_nm, p.knee_frontal_moment_nm,
          p.residual_bw_m, p.upright_reserve_nm, p.seconds);
      csv += line;
    }
  return csv;
}

std::vector<double> strength_levels(const TrendelenburgArgs& a) {
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

void print_result(const TrendelenburgResult& r) {
  for (const TrendelenburgCurve& c : r.curves) {
    std::printf("\n%s, %s\n%8s %7s %7s %7s %7s %7s %6s %6s %6s %8s %6s %8s\n", to_string(c.task).c_str(),
                to_string(c.strategy).c_str(), "strength", "drop cm", "list", "lean", "hip add", "abd Nm",
                "glmed", "glmin", "max a", "hip BW", "time", "upright");
    for (const PosturePoint& p : c.points) {
      if (!p.found) {
        std::printf("%8.2f no static posture: %s (upright needs %.1f N m, %.0f deg needs %.1f N m)\n",
                    p.strength, p.note.c_str(), p.upright_reserve_nm, p.limit_deviation_deg,
                    p.limit_reserve_nm);
        continue;
      }
      std::printf("%8.2f %7.2f %6.1f° %6.1f° %6.1f° %7.1f %6.2f %6.2f %6.2f %8.2f %5.2fs %6.1fNm\n",
                  p.strength, p.pelvic_drop_cm, p.pelvic_list_deg, p.trunk_lean_deg, p.hip_adduction_deg,
                  p.hip_abduction_moment_nm, p.gluteus_medius_activation, p.gluteus_minimus_activation,
                  p.max_activation, p.hip_contact_bw, p.seconds, p.upright_reserve_nm);
    }
    if (c.strategy == TrendelenburgStrategy::PelvicDrop) {
      if (std::isfinite(c.visible_drop_strength))
        std::printf("visible drop (> %.0f cm) below strength %.3f (between the levels %.2f and %.2f)\n",
                    kVisibleDropCm, c.visible_drop_strength, c.bracket_high, c.bracket_low);
      else
        std::printf("no visible drop among these levels\n");
    }
    std::printf("curve: %.2f s of computation\n", c.seconds);
  }
  std::printf("\ntotal %.2f s\n", r.seconds);
}

void run_trendelenburg(const TrendelenburgArgs& a) {
  TrendelenburgOptions o;
  o.side = a.body.side == "left" ? Side::Left : Side::Right;
  o.strengths = strength_levels(a);
  if (!a.tasks.empty()) {
    o.tasks.clear();
    for (const std::string& t : a.tasks) o.tasks.push_back(parse_stance_task(t));
  }
  o.max_drop_deg = a.max_drop_deg;
  o.max_lean_deg = a.max_lean_deg;
  o.scan_step_deg = a.scan_step_deg;
  o.tolerance_deg = a.tolerance_deg;
  o.threads = a.body.threads;
  validate_trendelenburg_options(o);
  const Model m = body_model(a.body);
  ProgressBar bar("trendelenburg");
  o.progress = [&bar](int done, int total) { bar.update(done, total); };
  const TrendelenburgResult r = simulate_trendelenburg(m, o);

  const std::filesystem::path dir = a.out;
  std::filesystem::create_directories(dir);
  const nlohmann::json j = result_json(r);
  write_text_atomically(dir / "trendelenburg.csv", result_csv(r));
  write_text_atomically(dir / "trendelenburg.json", j.dump(2) + "\n");
  char body[160];
  std::snprintf(body, sizeof body, "%s model, %.1f kg", a.body.model.c_str(), r.body_mass_kg);
  write_text_atomically(dir / "trendelenburg.html", render_trendelenburg_html(r, body));
  write_text_atomically(dir / "trendelenburg.svg", trendelenburg_svg(r));
  std::vector<std::string> written{"trendelenburg.csv", "trendelenburg.json", "trendelenburg.html",
                                   "trendelenburg.svg"};
  for (const TrendelenburgCurve& c : r.curves) {
    const std::string name = "postures_" + to_string(c.task) + "_" + to_string(c.strategy) + ".sto";
    const TimeTable t = trendelenburg_motion(m, c);
    if (t.rows() == 0) continue;
    write_storage(dir / name, t);
    written.push_back(name);
  }
  if (a.body.json) {
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  print_result(r);
  for (const std::string& f : written) std::printf("wrote %s\n", (dir / f).string().c_str());
}

}  // namespace

void add_simulate_trendelenburg_command(CLI::App& simulate) {
  auto a = std::make_shared<TrendelenburgArgs>();
  auto* cmd = simulate.add_subcommand("trendelenburg",
                                      "Weaken the stance-side hip abductors step by step and find the pelvic "
                                      "drop or trunk lean the body needs "
                                      "to stand on that leg (single-leg stance, walking mid-stance)");
  BodyArgs& b = a->body;
  cmd->add_option("--model", b.model, "Model to scale (glutelab: the built-in model)")->capture_default_str();
  cmd->add_option("--height", b.height_m, "Body height (m); with --mass scales the model to the body");
  cmd->add_option("--mass", b.mass_kg, "Body mass (kg)");
  cmd->add_option("--sex", b.sex, "male or female (segment proportions)")
      ->check(CLI::IsMember({"male", "female"}))
      ->capture_default_str();
  cmd->add_option("--femur", b.femur_m, "Thigh length, hip to knee joint centre (m)");
  cmd->add_option("--side", b.side, "Stance side (its abductors are weakened): right or left")
      ->check(CLI::IsMember({"right", "left"}))
      ->capture_default_str();
  cmd->add_option("--strengths", a->strengths, "Abductor strength levels in [0, 1], e.g. 1,0.8,0.5")
      ->delimiter(',');
  cmd->add_option("--step", a->step, "Strength levels from 1 down to 0 in this step (default 0.1)");
  cmd->add_option("--task", a->tasks, "single_leg_stance or walking_midstance (repeatable; default both)");
  cmd->add_option("--max-drop", a->max_drop_deg, "Largest pelvic drop searched (deg of pelvic list)")
      ->capture_default_str();
  cmd->add_option("--max-lean", a->max_lean_deg, "Largest trunk lean searched (deg of lumbar bending)")
      ->capture_default_str();
  cmd->add_option("--scan-step", a->scan_step_deg, "Search step (deg)")->capture_default_str();
  cmd->add_option("--tolerance", a->tolerance_deg, "Posture resolution (deg)")->capture_default_str();
  cmd->add_option("-j,--threads", b.threads, "Threads (0 = all cores)")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  cmd->add_flag("--json", b.json, "Print JSON instead of tables");
  cmd->add_option("-o,--out", a->out, "Output folder")->capture_default_str();
  cmd->callback([a] { run_trendelenburg(*a); });
}

}  // namespace glutelab::cli
