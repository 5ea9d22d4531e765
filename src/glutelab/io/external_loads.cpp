#include "glutelab/io/external_loads.hpp"

#include "glutelab/io/input_error.hpp"
#include "glutelab/io/osim_xml.hpp"

namespace glutelab {
namespace {

constexpr std::size_t kMaxExternalLoadsBytes = std::size_t{64} << 20;

/// The data columns whose labels start with `identifier` (OpenSim's prefix rule); exactly 3 expected.
std::array<int, 3> identifier_columns(const osim::XmlDocument& doc, pugi::xml_node node,
                                      const TimeTable& data, const std::string& identifier,
                                      const std::filesystem::path& data_file) {
  std::vector<int> matches;
  for (std::size_t c = 0; c < data.labels.size(); ++c)
    if (data.labels[c].compare(0, identifier.size(), identifier) == 0) matches.push_back(static_cast<int>(c));
  if (matches.size() != 3) {
    std::string found;
    for (int c : matches) found += (found.empty() ? "" : ", ") + data.labels[static_cast<std::size_t>(c)];
    doc.fail(node, "identifier '" + identifier + "' must match exactly 3 columns of " + data_file.string() +
                       " (x, y, z), found " + std::to_string(matches.size()) +
                       (found.empty() ? "" : ": " + found));
  }
  return {matches[0], matches[1], matches[2]};
}

int find_frame(const osim::XmlDocument& doc, pugi::xml_node node, const Model& model, const std::string& name,
               bool required) {
  if (name.empty() || name == "ground") return 0;
  int frame = model.frame_index(name);
  if (frame < 0) frame = model.frame_index("/bodyset/" + name);
  if (frame < 0 && required)
    doc.fail(node, "unknown body '" + name + "': the model has no such body or frame");
  return frame < 0 ? 0 : frame;  // OpenSim falls back to ground for an unknown expressed-in frame
}

std::filesystem::path resolve_data_file(const std::string& name, const std::filesystem::path& base,
                                        const std::filesystem::path& xml_dir) {
  const std::filesystem::path given(name);
  if (given.is_absolute()) return given;
  const std::filesystem::path from_base = base.empty() ? given : base / given;
  std::error_code ec;
  if (std::filesystem::exists(from_base, ec)) return from_base;
  const std::filesystem::path from_xml = xml_dir / given;
  if (std::filesystem::exists(from_xml, ec)) return from_xml;
  return from_base;
}

Function column_function(const TimeTable& data, int column) {
  const auto rows = static_cast<std::size_t>(data.rows());
  std::vector<double> y(rows);
  for (std::size_t r = 0; r < rows; ++r) y[r] = data.values(static_cast<Eigen::Index>(r), column);
  if (rows == 1) return Function::constant(y[0]);
  if (rows < 4) return Function::piecewise_linear(data.time_s, std::move(y));
  return Function::natural_cubic_spline(data.time_s, std::move(y));
}

}  // namespace

ExternalLoads read_external_loads(const std::filesystem::path& file, const Model& model,
                                  const std::filesystem::path& data_base_dir) {
  const osim::XmlDocument doc(read_text_file(file, kMaxExternalLoadsBytes, "external loads file"),
                              file.string());
  const pugi::xml_node root = doc.doc().child("OpenSimDocument");
  const pugi::xml_node base = root ? root : static_cast<pugi::xml_node>(doc.doc());
  const pugi::xml_node loads_node = base.child("ExternalLoads");
  if (!loads_node) doc.fail(base.first_child(), "expected an <ExternalLoads> element");

  ExternalLoads loads;
  loads.file = file;
  const std::string datafile = osim::XmlDocument::child_text(loads_node, "datafile");
  if (datafile.empty() || datafile == "Unassigned")
    doc.fail(loads_node, "ExternalLoads needs a <datafile> with the force data");
  auto xml_dir = file.parent_path();
  if (xml_dir.empty()) xml_dir = ".";
  loads.data_file = resolve_data_file(datafile, data_base_dir, xml_dir);
  loads.data = read_storage(loads.data_file);
  if (loads.data.rows() < 1) throw InputError(loads.data_file, "the external load data file has no rows");

  const pugi::xml_node objects = loads_node.child("objects");
  for (pugi::xml_node node : objects.children()) {
    if (node.type() != pugi::node_element) continue;
    if (std::string(node.name()) != "ExternalForce")
      doc.fail(node, "unknown component <" + std::string(node.name()) +
                         "> in ExternalLoads: expected ExternalForce");
    // OpenSim 3.x <isDisabled> and 4.x <appliesForce>.
    if (doc.child_bool(node, "isDisabled", false) || !doc.child_bool(node, "appliesForce", true)) continue;
    ExternalForce f;
    f.name = node.attribute("name").as_string();
    const std::string body = osim::XmlDocument::child_text(node, "applied_to_body");
    if (body.empty()) doc.fail(node, "ExternalForce '" + f.name + "' needs <applied_to_body>");
    const pugi::xml_node body_node = node.child("applied_to_body");
    const int body_frame = find_frame(doc, body_node, model, body, true);
    f.applied_body = model.frames[static_cast<std::size_t>(body_frame)].body;
    f.force_frame = find_frame(doc, node.child("force_expressed_in_body"), model,
                               osim::XmlDocument::child_text(node, "force_expressed_in_body"), false);
    f.point_frame = find_frame(doc, node.child("point_expressed_in_body"), model,
                               osim::XmlDocument::child_text(node, "point_expressed_in_body"), false);
    const std::string force_id = osim::XmlDocument::child_text(node, "force_identifier");
    const std::string point_id = osim::XmlDocument::child_text(node, "point_identifier");
    const std::string torque_id = osim::XmlDocument::child_text(node, "torque_identifier");
    if (force_id.empty() && torque_id.empty())
      doc.fail(node, "ExternalForce '" + f.name + "' needs a force_identifier or a torque_identifier");
    if (!force_id.empty())
      f.force_columns =
          identifier_columns(doc, node.child("force_identifier"), loads.data, force_id, loads.data_file);
    if (!point_id.empty()) {
      if (force_id.empty()) doc.fail(node, "ExternalForce '" + f.name + "' has a point but no force");
      f.point_columns =
          identifier_columns(doc, node.child("point_identifier"), loads.data, point_id, loads.data_file);
    }
    if (!torque_id.empty())
      f.torque_columns =
          identifier_columns(doc, node.child("torque_identifier"), loads.data, torque_id, loads.data_file);
    loads.forces.push_back(f);
  }
  loads.column_functions.reserve(loads.data.labels.size());
  for (int c = 0; c < static_cast<int>(loads.data.labels.size()); ++c)
    loads.column_functions.push_back(column_function(loads.data, c));
  return loads;
}

}  // namespace glutelab
