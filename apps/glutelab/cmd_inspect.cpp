#include <cmath>
#include <cstdio>
#include <map>
#include <numbers>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "glutelab/model/muscle_groups.hpp"

namespace glutelab::cli {
namespace {

const char* joint_type_name(JointType t) {
  switch (t) {
    case JointType::Custom:
      return "CustomJoint";
    case JointType::Pin:
      return "PinJoint";
    case JointType::Slider:
      return "SliderJoint";
    case JointType::Universal:
      return "UniversalJoint";
    case JointType::Gimbal:
      return "GimbalJoint";
    case JointType::Ball:
      return "BallJoint";
    case JointType::Free:
      return "FreeJoint";
    case JointType::Weld:
      return "WeldJoint";
    case JointType::Planar:
      return "PlanarJoint";
  }
  return "Joint";
}

void print_model(const Model& model, const std::vector<ReadWarning>& warnings) {
  std::printf("model %s (%s)\n", model.name.c_str(), model.file.c_str());
  std::printf(
      "  %zu bodies, %zu joints, %d coordinates, %zu muscles, %zu other actuators, %zu markers, %zu wrap "
      "objects\n",
      model.bodies.size() - 1, model.joints.size(), model.num_coordinates(), model.muscles.size(),
      model.actuators.size(), model.markers.size(), model.wrap_objects.size());
  std::printf("  total mass %.2f kg\n\nbodies\n", model.total_mass_kg());
  for (std::size_t b = 1; b < model.bodies.size(); ++b) {
    const Body& body = model.bodies[b];
    std::printf("  %-16s %7.3f kg\n", body.name.c_str(), body.mass_kg);
  }
  std::printf("\njoints\n");
  for (const Joint& j : model.joints)
    std::printf("  %-20s %-15s %s -> %s\n", j.name.c_str(), joint_type_name(j.type),
                model.bodies[j.parent_body].name.c_str(), model.bodies[j.child_body].name.c_str());
  std::printf("\ncoordinates (rotational in degrees, translational in metres)\n");
  for (const Coordinate& c : model.coordinates) {
    const bool deg = c.motion_type == MotionType::Rotational;
    const double k = deg ? 180.0 / std::numbers::pi : 1.0;
    std::printf(
        "  %-22s %-13s [%9.3f, %9.3f] %s%s%s%s\n", c.name.c_str(),
        deg ? "rotational" : (c.motion_type == MotionType::Translational ? "translational" : "coupled"),
        c.range_min * k, c.range_max * k, deg ? "deg" : "m", c.locked ? " locked" : "",
        c.clamped ? " clamped" : "",
        c.is_dependent() ? (" coupled to " + model.coordinates[c.independent].name).c_str() : "");
  }
  std::map<MuscleRegion, std::vector<const Muscle*>> by_region;
  for (const Muscle& m : model.muscles) by_region[muscle_region(m.name)].push_back(&m);
  std::printf("\nmuscles by region (gluteal and deep hip muscles first)\n");
  for (const auto& [region, muscles] : by_region) {
    std::printf("  %s (%zu)\n", region_name(region).c_str(), muscles.size());
    for (const Muscle* m : muscles) {
      std::printf(
          "    %-14s Fmax %7.1f N  lopt %6.4f m  lts %6.4f m  %zu points%s\n", m->name.c_str(),
          m->max_isometric_force_N, m->optimal_fiber_length_m, m->tendon_slack_length_m,
          m->path.points.size(),
          m->path.wraps.empty() ? "" : (", " + std::to_string(m->path.wraps.size()) + " wraps").c_str());
    }
  }
  if (!model.unused.empty()) {
    std::printf("\nread but not used by glutelab\n");
    for (const UnusedComponent& u : model.unused)
      std::printf("  %s %s (line %d)\n", u.type.c_str(), u.name.c_str(), u.line);
  }
  // Missing meshes are common (models ship without their .vtp files) and only visual: one line.
  int meshes = 0;
  const ReadWarning* first_mesh = nullptr;
  for (const ReadWarning& w : warnings) {
    if (w.message.find("mesh file") != std::string::npos) {
      if (meshes++ == 0) first_mesh = &w;
      continue;
    }
    std::fprintf(stderr, "warning: %s:%d: %s\n", model.file.c_str(), w.line, w.message.c_str());
  }
  if (meshes == 1) {
    std::fprintf(stderr, "warning: %s:%d: %s\n", model.file.c_str(), first_mesh->line,
                 first_mesh->message.c_str());
  } else if (meshes > 1) {
    std::fprintf(stderr, "warning: %s:%d: %d mesh files not found, the first: %s (visual only, ignored)\n",
                 model.file.c_str(), first_mesh->line, meshes, first_mesh->message.c_str());
  }
}

nlohmann::json model_json(const Model& model, const std::vector<ReadWarning>& warnings) {
  nlohmann::json bodies = nlohmann::json::array(), joints = nlohmann::json::array(),
                 coordinates = nlohmann::json::array(), muscles = nlohmann::json::array(),
                 unused = nlohmann::json::array(), warns = nlohmann::json::array();
  for (std::size_t b = 1; b < model.bodies.size(); ++b)
    bodies.push_back({{"name", model.bodies[b].name}, {"mass_kg", model.bodies[b].mass_kg}});
  for (const Joint& j : model.joints)
    joints.push_back({{"name", j.name},
                      {"type", joint_type_name(j.type)},
                      {"parent", model.bodies[j.parent_body].name},
                      {"child", model.bodies[j.child_body].name}});
  for (const Coordinate& c : model.coordinates) {
    const char* type = c.motion_type == MotionType::Rotational
                           ? "rotational"
                           : (c.motion_type == MotionType::Translational ? "translational" : "coupled");
    coordinates.push_back({{"name", c.name},
                           {"motion_type", type},
                           {"range", {c.range_min, c.range_max}},
                           {"unit", c.motion_type == MotionType::Rotational ? "rad" : "m"},
                           {"locked", c.locked},
                           {"clamped", c.clamped},
                           {"coupled_to", c.is_dependent() ? model.coordinates[c.independent].name : ""}});
  }
  for (const Muscle& m : model.muscles)
    muscles.push_back({{"name", m.name},
                       {"region", region_name(muscle_region(m.name))},
                       {"max_isometric_force_N", m.max_isometric_force_N},
                       {"optimal_fiber_length_m", m.optimal_fiber_length_m},
                       {"tendon_slack_length_m", m.tendon_slack_length_m},
                       {"path_points", m.path.points.size()},
                       {"wraps", m.path.wraps.size()}});
  for (const UnusedComponent& u : model.unused)
    unused.push_back({{"type", u.type}, {"name", u.name}, {"line", u.line}});
  for (const ReadWarning& w : warnings) warns.push_back({{"line", w.line}, {"message", w.message}});
  return {{"name", model.name},
          {"file", model.file},
          {"total_mass_kg", model.total_mass_kg()},
          {"bodies", bodies},
          {"joints", joints},
          {"coordinates", coordinates},
          {"muscles", muscles},
          {"other_actuators", model.actuators.size()},
          {"markers", model.markers.size()},
          {"wrap_objects", model.wrap_objects.size()},
          {"unused", unused},
          {"warnings", warns}};
}

}  // namespace

void add_inspect_command(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("inspect", "List a model's bodies, joints, coordinates and muscles by region");
  auto model_path = std::make_shared<std::string>();
  cmd->add_option("model", *model_path,
                  "OpenSim model (.osim), or glutelab for the built-in glutelab model; default: the shipped "
                  "gait2392 model");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "Print JSON instead of tables (coordinate ranges in rad or m)");
  cmd->callback([model_path, json] {
    const std::filesystem::path path = model_path_from_argument(*model_path);
    std::vector<ReadWarning> warnings;
    const Model model = read_osim(path, &warnings);
    if (*json)
      std::printf("%s\n", model_json(model, warnings).dump(2).c_str());
    else
      print_model(model, warnings);
  });
}

}  // namespace glutelab::cli
