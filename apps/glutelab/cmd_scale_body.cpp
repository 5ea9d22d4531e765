// `glutelab scale`: a model scaled to a body (height, mass, sex, optional segment lengths), written as
// an OpenSim .osim file.
#include <cstdio>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "glutelab/io/osim_writer.hpp"
#include "glutelab/model/scaling.hpp"
#include "glutelab/muscle/body_scaling.hpp"

namespace glutelab::cli {
namespace {

struct ScaleBodyArgs {
  std::string model = "glutelab";
  double height_m = 0.0, mass_kg = 0.0;
  std::string sex = "male";
  std::optional<double> thigh_m, shank_m, trunk_m, pelvis_width_m;
  std::string name;
  std::string output;
  bool json = false;
};

void run(const ScaleBodyArgs& a) {
  const std::filesystem::path model_file = model_path_from_argument(a.model);
  const Model generic = read_osim(model_file);
  BodyDescription body;
  body.height_m = a.height_m;
  body.mass_kg = a.mass_kg;
  body.sex = a.sex == "female" ? Sex::Female : Sex::Male;
  body.thigh_length_m = a.thigh_m;
  body.shank_length_m = a.shank_m;
  body.trunk_length_m = a.trunk_m;
  body.pelvis_width_m = a.pelvis_width_m;
  const std::vector<SegmentScale> scales = segment_scales(generic, body);
  Model scaled = scale_body(generic, scales, body.mass_kg, true, body.sex);
  scaled.name = a.name.empty() ? generic.name + "_scaled" : a.name;
  OsimWriteOptions options;
  options.source = model_file;
  for (const SegmentScale& s : scales) options.geometry_scale_factors[s.body] = s.factors;
  write_osim(scaled, a.output, options);
  std::fprintf(stderr, "wrote %s\n", a.output.c_str());

  if (a.json) {
    nlohmann::json bodies = nlohmann::json::array();
    for (const SegmentScale& s : scales) {
      const int b = scaled.body_index(s.body);
      if (b <= 0) continue;
      bodies.push_back({{"body", s.body},
                        {"scale_factors", {s.factors[0], s.factors[1], s.factors[2]}},
                        {"mass_kg", scaled.bodies[static_cast<std::size_t>(b)].mass_kg}});
    }
    const nlohmann::json out = {
        {"model", scaled.name},   {"generic", model_file.string()},    {"output", a.output},
        {"height_m", a.height_m}, {"mass_kg", scaled.total_mass_kg()}, {"sex", a.sex},
        {"bodies", bodies}};
    std::printf("%s\n", out.dump(2).c_str());
    return;
  }
  std::printf("%-16s %10s %10s %10s %12s\n", "body", "x", "y", "z", "mass (kg)");
  for (const SegmentScale& s : scales) {
    const int b = scaled.body_index(s.body);
    if (b <= 0) continue;
    std::printf("%-16s %10.6f %10.6f %10.6f %12.6f\n", s.body.c_str(), s.factors[0], s.factors[1],
                s.factors[2], scaled.bodies[static_cast<std::size_t>(b)].mass_kg);
  }
  std::printf("model %s: %.4f kg, written to %s\n", scaled.name.c_str(), scaled.total_mass_kg(),
              a.output.c_str());
}

}  // namespace

void add_scale_command(CLI::App& app) {
  auto a = std::make_shared<ScaleBodyArgs>();
  auto* cmd = app.add_subcommand(
      "scale", "Scale a model to a body (height, mass, sex, optional segment lengths) and write it as .osim");
  cmd->add_option("--model", a->model, "Generic model (.osim, or 'glutelab' for the built-in one)")
      ->capture_default_str();
  cmd->add_option("--height", a->height_m, "Height (m)")->required();
  cmd->add_option("--mass", a->mass_kg, "Body mass (kg)")->required();
  cmd->add_option("--sex", a->sex, "male or female (de Leva's proportions)")
      ->check(CLI::IsMember({"male", "female"}))
      ->capture_default_str();
  cmd->add_option("--femur", a->thigh_m, "Measured thigh length, hip to knee joint centre (m)");
  cmd->add_option("--shank", a->shank_m, "Measured shank length, knee to ankle joint centre (m)");
  cmd->add_option("--trunk", a->trunk_m, "Measured trunk length, C7 to mid-hip (m)");
  cmd->add_option("--pelvis-width", a->pelvis_width_m, "Distance between the hip joint centres (m)");
  cmd->add_option("--name", a->name, "Name of the scaled model (default: the generic name + _scaled)");
  cmd->add_option("-o,--output", a->output, "The scaled model (.osim) to write")->required();
  cmd->add_flag("--json", a->json, "Print the factors and masses as JSON instead of a table");
  cmd->callback([a] { run(*a); });
}

}  // namespace glutelab::cli
