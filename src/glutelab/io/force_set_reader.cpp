#include "glutelab/io/force_set_reader.hpp"

#include "glutelab/io/input_error.hpp"
#include "glutelab/io/osim_xml.hpp"

namespace glutelab {
namespace {

constexpr std::size_t kMaxForceSetBytes = std::size_t{64} << 20;

int body_named(const osim::XmlDocument& doc, pugi::xml_node where, const Model& model,
               const std::string& name) {
  if (name.empty()) doc.fail(where, "names no body");
  int frame = model.frame_index(name);
  if (frame < 0) frame = model.frame_index("/bodyset/" + name);
  if (frame < 0) doc.fail(where, "unknown body '" + name + "': the model has no such body or frame");
  return model.frames[static_cast<std::size_t>(frame)].body;
}

/// A 4.x socket (<socket_body>) or a 3.x property (<body>).
std::string reference(pugi::xml_node node, const char* socket, const char* property) {
  const std::string s = osim::XmlDocument::child_text(node, socket);
  return s.empty() ? osim::XmlDocument::child_text(node, property) : s;
}

}  // namespace

std::vector<Actuator> read_force_set_actuators(const std::filesystem::path& file, const Model& model) {
  const osim::XmlDocument doc(read_text_file(file, kMaxForceSetBytes, "force set file"), file.string());
  const pugi::xml_node root = doc.doc().child("OpenSimDocument");
  const pugi::xml_node base = root ? root : static_cast<pugi::xml_node>(doc.doc());
  const pugi::xml_node set = base.child("ForceSet");
  if (!set) doc.fail(base.first_child(), "expected a <ForceSet> element");
  std::vector<Actuator> actuators;
  for (pugi::xml_node node : set.child("objects").children()) {
    if (node.type() != pugi::node_element) continue;
    const std::string tag = node.name();
    Actuator a;
    a.name = node.attribute("name").as_string();
    if (a.name.empty()) doc.fail(node, "<" + tag + "> needs a name attribute");
    a.applies_force =
        doc.child_bool(node, "appliesForce", true) && !doc.child_bool(node, "isDisabled", false);
    a.optimal_force = doc.child_number(node, "optimal_force", 1.0);
    a.min_control = doc.child_number(node, "min_control", -1e300, true);
    a.max_control = doc.child_number(node, "max_control", 1e300, true);
    if (a.min_control > a.max_control) doc.fail(node, "'" + a.name + "' has min_control > max_control");
    if (!(a.optimal_force > 0.0)) doc.fail(node, "'" + a.name + "' needs a positive optimal_force");
    if (tag == "CoordinateActuator") {
      a.type = ActuatorType::Coordinate;
      const std::string name = reference(node, "socket_coordinate", "coordinate");
      a.coordinate = model.coordinate_index(name);
      if (a.coordinate < 0)
        doc.fail(node.child("coordinate") ? node.child("coordinate") : node,
                 "unknown coordinate '" + name + "' for actuator '" + a.name + "'");
    } else if (tag == "PointActuator") {
      a.type = ActuatorType::Point;
      a.body = body_named(doc, node, model, reference(node, "socket_body", "body"));
      a.point_m = doc.child_vec3(node, "point", Vec3::Zero());
      a.point_is_global = doc.child_bool(node, "point_is_global", false);
      a.direction = doc.child_vec3(node, "direction", Vec3::UnitX());
      a.direction_is_global = doc.child_bool(node, "force_is_global", false);
    } else if (tag == "TorqueActuator") {
      a.type = ActuatorType::Torque;
      a.body = body_named(doc, node, model, reference(node, "socket_bodyA", "bodyA"));
      a.body_b = body_named(doc, node, model, reference(node, "socket_bodyB", "bodyB"));
      a.direction = doc.child_vec3(node, "axis", Vec3::UnitZ());
      a.direction_is_global = doc.child_bool(node, "torque_is_global", true);
    } else {
      doc.fail(node, "unsupported component <" + tag +
                         "> in a force set (supported: CoordinateActuator, PointActuator, TorqueActuator)");
    }
    actuators.push_back(a);
  }
  return actuators;
}

}  // namespace glutelab
