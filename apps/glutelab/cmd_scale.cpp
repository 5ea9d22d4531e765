// `glutelab run SETUP_Scale.xml`: OpenSim's ScaleTool (measurement/manual scaling and marker placement).
#include <cstdio>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "glutelab/analysis/scale_tool.hpp"
#include "glutelab/io/scale_setup.hpp"
#include "glutelab/io/storage.hpp"

namespace glutelab::cli {
namespace {

nlohmann::json summary_json(const ScaleSetup& setup, const ScaleToolResult& r) {
  nlohmann::json bodies = nlohmann::json::array();
  for (const SegmentScale& s : r.scales) {
    const int b = r.model.body_index(s.body);
    bodies.push_back({{"body", s.body},
                      {"scale_factors", {s.factors[0], s.factors[1], s.factors[2]}},
                      {"mass_kg", b >= 0 ? r.model.bodies[static_cast<std::size_t>(b)].mass_kg : 0.0}});
  }
  nlohmann::json measurements = nlohmann::json::array();
  for (const MeasurementResult& m : r.measurements) {
    nlohmann::json pairs = nlohmann::json::array();
    for (const auto& p : m.pairs)
      pairs.push_back(
          {{"markers", {p.first, p.second}}, {"model_m", p.model_m}, {"experimental_m", p.experimental_m}});
    measurements.push_back({{"name", m.name}, {"factor", m.factor}, {"pairs", pairs}});
  }
  nlohmann::json out = {
      {"setup", setup.setup_file.string()}, {"model", r.model.name}, {"generic_mass_kg", r.generic_mass_kg},
      {"mass_kg", r.model.total_mass_kg()}, {"scaled", r.scaled},    {"bodies", bodies},
      {"measurements", measurements},       {"seconds", r.seconds},  {"warnings", r.warnings}};
  if (r.placed) {
    nlohmann::json pose = nlohmann::json::object();
    for (int c = 0; c < r.model.num_coordinates(); ++c)
      pose[r.model.coordinates[static_cast<std::size_t>(c)].name] = r.placement.q[c];
    nlohmann::json markers = nlohmann::json::object();
    for (const Marker& m : r.model.markers)
      markers[m.name] = {{"body", r.model.bodies[static_cast<std::size_t>(m.body)].name},
                         {"location_m", {m.location_m[0], m.location_m[1], m.location_m[2]}},
                         {"fixed", m.fixed}};
    out["marker_placement"] = {{"time_s", r.placement.time_s},
                               {"frames_averaged", r.placement.frames_averaged},
                               {"markers_fitted", r.placement.markers_fitted},
                               {"rms_error_m", r.placement.rms_error_m},
                               {"max_error_m", r.placement.max_error_m},
                               {"worst_marker", r.placement.worst_marker},
                               {"removed_markers", r.placement.removed_markers},
                               {"moved_markers", r.placement.moved_markers.size()},
                               {"static_pose", pose},
                               {"markers", markers}};
  }
  return out;
}

}  // namespace

void run_scale_setup(const std::filesystem::path& setup_file, const ScaleRunFlags& flags) {
  const ScaleSetup setup = read_scale_setup(setup_file);
  ScaleToolOptions o;
  o.results_directory = flags.results_dir;
  o.model_file = flags.model_file;
  o.strict = flags.strict;
  const ScaleToolResult r = run_scale_tool(setup, o);
  for (const std::string& w : r.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  const nlohmann::json summary = summary_json(setup, r);
  if (!flags.results_dir.empty()) {
    std::filesystem::create_directories(flags.results_dir);
    const auto file =
        flags.results_dir / ((setup.name.empty() ? std::string("scale") : setup.name) + "_scale.json");
    write_text_atomically(file, summary.dump(2) + "\n");
    std::fprintf(stderr, "wrote %s\n", file.string().c_str());
  }
  for (const auto& f : r.written) std::fprintf(stderr, "wrote %s\n", f.string().c_str());
  if (flags.json) {
    std::printf("%s\n", summary.dump(2).c_str());
    return;
  }
  for (const MeasurementResult& m : r.measurements)
    std::printf("measurement %-12s factor %.6f (%zu pairs)\n", m.name.c_str(), m.factor, m.pairs.size());
  std::printf("%-16s %10s %10s %10s %12s\n", "body", "x", "y", "z", "mass (kg)");
  for (const SegmentScale& s : r.scales) {
    const int b = r.model.body_index(s.body);
    std::printf("%-16s %10.6f %10.6f %10.6f %12.6f\n", s.body.c_str(), s.factors[0], s.factors[1],
                s.factors[2], b >= 0 ? r.model.bodies[static_cast<std::size_t>(b)].mass_kg : 0.0);
  }
  std::printf("total mass %.4f kg (generic %.4f kg)\n", r.model.total_mass_kg(), r.generic_mass_kg);
  if (r.placed)
    std::printf(
        "marker placement: %d markers fitted over %d frames, RMS %.2f mm, max %.2f mm (%s); %zu markers "
        "moved\n",
        r.placement.markers_fitted, r.placement.frames_averaged, 1e3 * r.placement.rms_error_m,
        1e3 * r.placement.max_error_m, r.placement.worst_marker.c_str(), r.placement.moved_markers.size());
  std::printf("scale tool: %.3f s\n", r.seconds);
}

}  // namespace glutelab::cli
