// Reader for OpenSim .osim models (4.x documents and 3.x-era layouts). See docs/osim-format.md for
// the semantics implemented here.
#include "glutelab/io/osim_reader.hpp"
#include "glutelab/model/names.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <numbers>
#include <queue>
#include <set>
#include <sstream>
#include <unordered_map>

#include "glutelab/io/input_error.hpp"
#include "glutelab/io/osim_xml.hpp"

namespace glutelab {
namespace {

using osim::XmlDocument;
using pugi::xml_node;

constexpr std::uintmax_t kMaxFileBytes = 512ull * 1024ull * 1024ull;

bool is(xml_node node, const char* tag) { return std::strcmp(node.name(), tag) == 0; }

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}
bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

/// "<Type name=\"x\">" for messages.
std::string describe(xml_node node) {
  std::string out = "<" + std::string(node.name());
  if (const auto name = node.attribute("name"); name) out += " name=\"" + std::string(name.value()) + "\"";
  return out + ">";
}

/// Visual-only elements: silently ignored wherever they appear.
bool is_visual(std::string_view tag) {
  static const std::set<std::string_view> visual = {"Mesh",
                                                    "FrameGeometry",
                                                    "Appearance",
                                                    "attached_geometry",
                                                    "Brick",
                                                    "Sphere",
                                                    "Cylinder",
                                                    "Ellipsoid",
                                                    "Cone",
                                                    "Torus",
                                                    "LineGeometry",
                                                    "Arrow",
                                                    "Geometry",
                                                    "VisibleObject",
                                                    "DisplayGeometry",
                                                    "GeometrySet",
                                                    "SurfaceProperties",
                                                    "display_preference",
                                                    "geometry_files",
                                                    "scale_factors",
                                                    "MuscleViz"};
  return visual.count(tag) > 0;
}

/// Components that are kept in Model::unused with a warning: contact, controllers, probes, CMC tasks.
bool is_unused_kind(std::string_view tag) {
  static const std::set<std::string_view> kinds = {"HuntCrossleyForce",
                                                   "SmoothSphereHalfSpaceForce",
                                                   "ElasticFoundationForce",
                                                   "ExponentialContactForce",
                                                   "MeyerFregly2016Force",
                                                   "CMC_Joint",
                                                   "CMC_Point",
                                                   "CMC_Orientation",
                                                   "ControlLinear",
                                                   "ControlSet"};
  return kinds.count(tag) > 0 || starts_with(tag, "Contact") || ends_with(tag, "Controller") ||
         ends_with(tag, "Probe");
}

bool is_function_tag(std::string_view tag) {
  static const std::set<std::string_view> functions = {"Constant",
                                                       "LinearFunction",
                                                       "SimmSpline",
                                                       "NaturalCubicSpline",
                                                       "PiecewiseLinearFunction",
                                                       "MultiplierFunction",
                                                       "PolynomialFunction",
                                                       "GCVSpline",
                                                       "StepFunction",
                                                       "PiecewiseConstantFunction",
                                                       "Sine",
                                                       "FunctionAdapter",
                                                       "MultivariatePolynomialFunction"};
  return functions.count(tag) > 0;
}

bool is_joint_tag(std::string_view tag) {
  static const std::set<std::string_view> joints = {"CustomJoint",    "PinJoint",    "SliderJoint",
                                                    "UniversalJoint", "GimbalJoint", "BallJoint",
                                                    "FreeJoint",      "WeldJoint",   "PlanarJoint"};
  return joints.count(tag) > 0;
}

/// Splits a component path into its segments, dropping empty ones.
std::vector<std::string> path_segments(const std::string& path) {
  std::vector<std::string> out;
  std::string current;
  for (char c : path) {
    if (c == '/') {
      if (!current.empty()) out.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

/// Joins `relative` onto the absolute `base`, resolving "." and ".."; empty optional when ".." climbs
/// above the root.
std::optional<std::string> join_path(const std::string& base, const std::string& relative) {
  auto segments = path_segments(base);
  for (const auto& part : path_segments(relative)) {
    if (part == ".") continue;
    if (part == "..") {
      if (segments.empty()) return std::nullopt;
      segments.pop_back();
    } else {
      segments.push_back(part);
    }
  }
  std::string out;
  for (const auto& s : segments) out += "/" + s;
  return out.empty() ? std::string("/") : out;
}

std::string parent_path(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos || slash == 0) return "/";
  return path.substr(0, slash);
}

/// One joint as read, before topological ordering; coordinates and axis coordinates are local.
struct RawJoint {
  Joint joint;
  std::vector<Coordinate> coordinates;
  xml_node node;
};

class OsimReader {
 public:
  OsimReader(const XmlDocument& doc, std::vector<ReadWarning>* warnings, std::filesystem::path model_dir)
      : doc_(doc), warnings_(warnings), model_dir_(std::move(model_dir)) {}

  Model read();

 private:
  const XmlDocument& doc_;
  std::vector<ReadWarning>* warnings_;
  std::filesystem::path model_dir_;  // empty for in-memory documents
  Model model_;
  xml_node model_node_;
  int version_ = 40000;

  // Component paths.
  std::unordered_map<const void*, std::string> path_of_;
  std::unordered_map<std::string, xml_node> node_at_;
  std::multimap<std::string, xml_node> nodes_named_;

  // Frames: node -> index into model_.frames.
  std::unordered_map<const void*, int> frame_of_node_;
  std::unordered_map<std::string, int> coordinate_by_name_;
  std::unordered_map<std::string, int> wrap_by_name_;

  [[noreturn]] void fail(xml_node node, const std::string& message) const { doc_.fail(node, message); }
  void warn(xml_node node, const std::string& message) {
    if (warnings_) warnings_->push_back({doc_.line_of(node), message});
  }
  [[noreturn]] void unsupported(xml_node node, const std::string& why) const {
    fail(node, "unsupported component " + describe(node) + ": " + why);
  }
  void keep_unused(xml_node node, const std::string& why) {
    model_.unused.push_back({node.name(), node.attribute("name").value(), doc_.line_of(node)});
    warn(node, "ignored " + describe(node) + ": " + why);
  }

  static std::vector<xml_node> objects_of(xml_node set) {
    std::vector<xml_node> out;
    for (auto child : set.child("objects").children()) {
      if (child.type() == pugi::node_element) out.push_back(child);
    }
    return out;
  }
  static std::vector<xml_node> elements_of(xml_node list) {
    std::vector<xml_node> out;
    for (auto child : list.children()) {
      if (child.type() == pugi::node_element) out.push_back(child);
    }
    return out;
  }
  std::string required_name(xml_node node) const {
    std::string name = node.attribute("name").value();
    if (name.empty()) fail(node, describe(node) + " has no name attribute");
    return name;
  }

  // Paths and references.
  void index_components(xml_node element, const std::string& path);
  xml_node resolve(const std::string& reference, xml_node owner, const std::function<bool(xml_node)>& accept);
  xml_node socket_node(xml_node owner, const std::string& socket) const;
  int frame_ref(xml_node owner, xml_node reference_element);
  int frame_by_name_or_path(xml_node owner, xml_node reference_element, const std::string& text);
  int coordinate_ref(xml_node owner, xml_node reference_element);
  int coordinate_by_name(xml_node where, const std::string& name) const;

  // Sections.
  void read_bodies();
  void read_offset_frames();
  int offset_frame_index(xml_node node, std::vector<const void*>& visiting);
  void read_joints();
  RawJoint read_joint(xml_node node, int child_body_for_legacy);
  std::vector<Coordinate> read_coordinates(xml_node joint_node);
  Coordinate read_coordinate(xml_node node);
  void build_custom_axes(xml_node joint_node, RawJoint& raw);
  void order_joints(std::vector<RawJoint>& raw);
  void read_constraints();
  void read_markers();
  void read_wrap_objects();
  void read_wrap_object(xml_node node, int frame);
  void read_forces();
  void read_muscle(xml_node node);
  void read_actuator(xml_node node);
  GeometryPath read_path(xml_node path_node);
  void read_other_sets();
  void read_component_list(xml_node list);
  void check_meshes();
  void compute_spanned_coordinates();

  Function read_function(xml_node function_node);
  Function function_in(xml_node holder, bool required);
  int independent_of(int coordinate) const;
};

// ------------------------------------------------------------------------------------------------
// Component paths

void OsimReader::index_components(xml_node element, const std::string& path) {
  for (auto child : element.children()) {
    if (child.type() != pugi::node_element) continue;
    const std::string_view tag = child.name();
    if (is_visual(tag) || tag == "defaults") continue;
    std::string child_path = path;
    const std::string name = child.attribute("name").value();
    if (!name.empty()) {
      child_path = (path == "/" ? "" : path) + "/" + name;
    } else if (ends_with(tag, "Set") && child.child("objects")) {
      child_path = (path == "/" ? "" : path) + "/" + to_lower(std::string(tag));
    }
    if (child_path != path) {
      path_of_[child.internal_object()] = child_path;
      node_at_.emplace(child_path, child);
      if (!name.empty()) nodes_named_.emplace(name, child);
    }
    index_components(child, child_path);
  }
}

xml_node OsimReader::resolve(const std::string& reference, xml_node owner,
                             const std::function<bool(xml_node)>& accept) {
  auto lookup = [&](const std::string& path) -> xml_node {
    auto it = node_at_.find(path);
    return (it != node_at_.end() && accept(it->second)) ? it->second : xml_node();
  };
  if (reference.empty()) return {};
  if (reference.front() == '/') {
    const auto joined = join_path("/", reference);
    return joined ? lookup(*joined) : xml_node();
  }
  // Relative: against the owner, then the socket level (".." meaning the owner), then each ancestor.
  auto owner_path_it = path_of_.find(owner.internal_object());
  std::string base = owner_path_it != path_of_.end() ? owner_path_it->second : "/";
  std::vector<std::string> bases = {base, base + "/socket"};
  for (std::string p = base; p != "/";) {
    p = parent_path(p);
    bases.push_back(p);
  }
  for (const auto& b : bases) {
    if (const auto joined = join_path(b, reference)) {
      if (auto found = lookup(*joined)) return found;
    }
  }
  // Last resort: a plain name that is unique among acceptable components.
  if (reference.find('/') == std::string::npos) {
    xml_node unique;
    int count = 0;
    for (auto [it, end] = nodes_named_.equal_range(reference); it != end; ++it) {
      if (accept(it->second)) {
        unique = it->second;
        ++count;
      }
    }
    if (count == 1) return unique;
  }
  return {};
}

/// The element holding a socket's connectee: socket_<name> (4.x), or its older spellings.
xml_node OsimReader::socket_node(xml_node owner, const std::string& socket) const {
  for (const std::string& tag : {"socket_" + socket, "socket_" + socket + "_connectee_name",
                                 "connector_" + socket + "_connectee_name"}) {
    if (auto n = owner.child(tag.c_str())) return n;
  }
  return {};
}

int OsimReader::frame_by_name_or_path(xml_node owner, xml_node reference_element, const std::string& text) {
  auto accept = [](xml_node n) { return is(n, "Body") || is(n, "Ground") || is(n, "PhysicalOffsetFrame"); };
  const auto node = resolve(text, owner, accept);
  if (!node) {
    fail(reference_element, "dangling reference: no frame '" + text + "' for " + describe(owner));
  }
  auto it = frame_of_node_.find(node.internal_object());
  if (it == frame_of_node_.end()) fail(reference_element, "frame '" + text + "' is not usable here");
  return it->second;
}

int OsimReader::frame_ref(xml_node owner, xml_node reference_element) {
  if (!reference_element) fail(owner, describe(owner) + " does not name its frame (missing socket)");
  return frame_by_name_or_path(owner, reference_element, osim::trimmed_text(reference_element));
}

int OsimReader::coordinate_by_name(xml_node where, const std::string& name) const {
  auto it = coordinate_by_name_.find(name);
  if (it == coordinate_by_name_.end()) fail(where, "dangling reference: unknown coordinate '" + name + "'");
  return it->second;
}

int OsimReader::coordinate_ref(xml_node owner, xml_node reference_element) {
  const std::string text = osim::trimmed_text(reference_element);
  if (text.empty()) fail(reference_element, describe(owner) + " names no coordinate");
  if (text.find('/') == std::string::npos) return coordinate_by_name(reference_element, text);
  const auto node = resolve(text, owner, [](xml_node n) { return is(n, "Coordinate"); });
  if (!node) fail(reference_element, "dangling reference: no coordinate at '" + text + "'");
  return coordinate_by_name(reference_element, node.attribute("name").value());
}

// ------------------------------------------------------------------------------------------------
// Functions

Function OsimReader::read_function(xml_node f) {
  const std::string tag = f.name();
  auto knots = [&](std::vector<double>& x, std::vector<double>& y) {
    x = doc_.numbers(f.child("x"));
    y = doc_.numbers(f.child("y"));
    if (!f.child("x") || !f.child("y")) fail(f, describe(f) + " needs <x> and <y>");
    if (x.size() != y.size())
      fail(f.child("y"), describe(f) + " has " + std::to_string(x.size()) + " x values but " +
                             std::to_string(y.size()) + " y values");
    if (x.size() < 2) fail(f, describe(f) + " needs at least 2 points");
    for (std::size_t i = 1; i < x.size(); ++i) {
      if (!(x[i] > x[i - 1])) fail(f.child("x"), describe(f) + " x values must be strictly increasing");
    }
  };
  if (tag == "Constant") return Function::constant(doc_.child_number(f, "value", 0.0));
  if (tag == "LinearFunction") {
    const auto c = doc_.numbers(f.child("coefficients"));
    if (c.size() != 2) fail(f, "<LinearFunction> needs 2 coefficients (slope intercept)");
    return Function::linear(c[0], c[1]);
  }
  if (tag == "PolynomialFunction") {
    auto c = doc_.numbers(f.child("coefficients"));
    if (c.empty()) fail(f, "<PolynomialFunction> needs coefficients");
    return Function::polynomial(std::move(c));
  }
  if (tag == "SimmSpline" || tag == "NaturalCubicSpline" || tag == "PiecewiseLinearFunction") {
    std::vector<double> x, y;
    knots(x, y);
    if (tag == "SimmSpline") return Function::simm_spline(std::move(x), std::move(y));
    if (tag == "NaturalCubicSpline") return Function::natural_cubic_spline(std::move(x), std::move(y));
    return Function::piecewise_linear(std::move(x), std::move(y));
  }
  if (tag == "MultiplierFunction") {
    Function inner = function_in(f.child("function"), true);
    return Function::multiplier(std::move(inner), doc_.child_number(f, "scale", 1.0));
  }
  fail(f, "unsupported function " + describe(f) +
              ": expected Constant, LinearFunction, SimmSpline, NaturalCubicSpline, PiecewiseLinearFunction, "
              "MultiplierFunction or PolynomialFunction");
}

/// The function element inside `holder` (directly, or inside a <function> wrapper as 3.x wrote it).
Function OsimReader::function_in(xml_node holder, bool required) {
  for (auto child : holder.children()) {
    if (child.type() != pugi::node_element) continue;
    if (is_function_tag(child.name())) return read_function(child);
    if (is(child, "function")) return function_in(child, required);
  }
  if (required) fail(holder, "<" + std::string(holder.name()) + "> contains no function");
  return Function::constant(0.0);
}

// ------------------------------------------------------------------------------------------------
// Bodies and frames

void OsimReader::read_bodies() {
  // Ground is body 0: 4.x <Ground>, or the 3.x body named "ground".
  auto add_body = [&](xml_node node, Body body) {
    const int index = static_cast<int>(model_.bodies.size());
    model_.bodies.push_back(std::move(body));
    Frame frame;
    frame.name = model_.bodies.back().name;
    auto it = path_of_.find(node ? node.internal_object() : nullptr);
    frame.path = (node && it != path_of_.end()) ? it->second : "/" + frame.name;
    frame.body = index;
    model_.frames.push_back(frame);
    if (node) frame_of_node_[node.internal_object()] = index;
  };
  const auto ground_node = model_node_.child("Ground");
  Body ground;
  ground.name = ground_node ? ground_node.attribute("name").value() : "ground";
  if (ground.name.empty()) ground.name = "ground";
  add_body(ground_node, ground);
  if (!ground_node) model_.frames[0].path = "/ground";

  const auto body_set = model_node_.child("BodySet");
  for (auto node : objects_of(body_set)) {
    if (!is(node, "Body")) unsupported(node, "BodySet may contain only <Body>");
    const std::string name = required_name(node);
    if (name == "ground" && !ground_node) {  // 3.x ground body
      frame_of_node_[node.internal_object()] = 0;
      continue;
    }
    Body body;
    body.name = name;
    body.mass_kg = doc_.child_number(node, "mass", 0.0);
    if (body.mass_kg < 0.0) {
      fail(node.child("mass"), "body '" + name + "' has negative mass " + osim::format_number(body.mass_kg) +
                                   "; expected a mass >= 0 kg");
    }
    body.mass_center_m = doc_.child_vec3(node, "mass_center", Vec3::Zero());
    double ixx = 0, iyy = 0, izz = 0, ixy = 0, ixz = 0, iyz = 0;
    if (auto inertia = node.child("inertia")) {
      const auto v = doc_.numbers(inertia);
      if (v.size() != 6) fail(inertia, "<inertia> expects 6 numbers (Ixx Iyy Izz Ixy Ixz Iyz)");
      ixx = v[0], iyy = v[1], izz = v[2], ixy = v[3], ixz = v[4], iyz = v[5];
    } else {
      ixx = doc_.child_number(node, "inertia_xx", 0.0);
      iyy = doc_.child_number(node, "inertia_yy", 0.0);
      izz = doc_.child_number(node, "inertia_zz", 0.0);
      ixy = doc_.child_number(node, "inertia_xy", 0.0);
      ixz = doc_.child_number(node, "inertia_xz", 0.0);
      iyz = doc_.child_number(node, "inertia_yz", 0.0);
    }
    if (ixx < 0.0 || iyy < 0.0 || izz < 0.0) {
      xml_node where = node.child("inertia");
      if (!where) where = node.child(ixx < 0.0 ? "inertia_xx" : (iyy < 0.0 ? "inertia_yy" : "inertia_zz"));
      fail(where ? where : node,
           "body '" + name + "' has a negative moment of inertia; expected Ixx, Iyy, Izz >= 0");
    }
    body.inertia_kg_m2 << ixx, ixy, ixz, ixy, iyy, iyz, ixz, iyz, izz;
    add_body(node, body);
  }
}

void OsimReader::read_offset_frames() {
  // Every PhysicalOffsetFrame in the model (joint <frames>, <components>, ComponentSet, bodies).
  std::vector<xml_node> offset_frames;
  std::function<void(xml_node)> collect = [&](xml_node element) {
    for (auto child : element.children()) {
      if (child.type() != pugi::node_element || is_visual(child.name()) || is(child, "defaults")) continue;
      if (is(child, "PhysicalOffsetFrame")) offset_frames.push_back(child);
      collect(child);
    }
  };
  collect(model_node_);
  for (auto node : offset_frames) {
    std::vector<const void*> visiting;
    offset_frame_index(node, visiting);
  }
}

int OsimReader::offset_frame_index(xml_node node, std::vector<const void*>& visiting) {
  if (auto it = frame_of_node_.find(node.internal_object()); it != frame_of_node_.end()) return it->second;
  if (std::find(visiting.begin(), visiting.end(), node.internal_object()) != visiting.end()) {
    fail(node, describe(node) + " is part of a cycle of offset frames");
  }
  visiting.push_back(node.internal_object());
  const auto parent_element = socket_node(node, "parent");
  if (!parent_element) fail(node, describe(node) + " has no <socket_parent>");
  const std::string parent_text = osim::trimmed_text(parent_element);
  auto accept = [](xml_node n) { return is(n, "Body") || is(n, "Ground") || is(n, "PhysicalOffsetFrame"); };
  const auto parent = resolve(parent_text, node, accept);
  if (!parent)
    fail(parent_element, "dangling reference: no frame '" + parent_text + "' for " + describe(node));
  int parent_index = -1;
  if (is(parent, "PhysicalOffsetFrame")) {
    parent_index = offset_frame_index(parent, visiting);
  } else {
    auto it = frame_of_node_.find(parent.internal_object());
    if (it == frame_of_node_.end())
      fail(parent_element, "frame '" + parent_text + "' is not a body of this model");
    parent_index = it->second;
  }
  const Transform X_parent_offset = offset_transform(doc_.child_vec3(node, "translation", Vec3::Zero()),
                                                     doc_.child_vec3(node, "orientation", Vec3::Zero()));
  const Frame& parent_frame = model_.frames[static_cast<std::size_t>(parent_index)];
  Frame frame;
  frame.name = required_name(node);
  frame.path = path_of_[node.internal_object()];
  frame.body = parent_frame.body;
  frame.X_body_frame = parent_frame.X_body_frame * X_parent_offset;
  frame.parent = parent_index;
  const int index = static_cast<int>(model_.frames.size());
  model_.frames.push_back(frame);
  frame_of_node_[node.internal_object()] = index;
  visiting.pop_back();
  return index;
}

// ------------------------------------------------------------------------------------------------
// Joints and coordinates

Coordinate OsimReader::read_coordinate(xml_node node) {
  Coordinate c;
  c.name = required_name(node);
  c.default_value = doc_.child_number(node, "default_value", 0.0);
  c.default_speed = doc_.child_number(node, "default_speed_value", 0.0);
  // Without a <range>, OpenSim's default range [-10, 10] applies.
  c.range_min = -10.0;
  c.range_max = 10.0;
  if (auto range = node.child("range")) {
    const auto r = doc_.numbers(range, true);
    if (r.size() != 2) fail(range, "<range> of coordinate '" + c.name + "' expects 2 numbers (min max)");
    if (r[0] > r[1]) {
      fail(range, "coordinate '" + c.name + "' has range min " + osim::format_number(r[0]) + " > max " +
                      osim::format_number(r[1]) + "; expected min <= max");
    }
    c.range_min = r[0];
    c.range_max = r[1];
  }
  c.clamped = doc_.child_bool(node, "clamped", false);
  c.locked = doc_.child_bool(node, "locked", false);
  c.prescribed = doc_.child_bool(node, "prescribed", false);
  return c;
}

std::vector<Coordinate> OsimReader::read_coordinates(xml_node joint_node) {
  std::vector<Coordinate> out;
  xml_node list = joint_node.child("coordinates");
  if (!list) list = joint_node.child("CoordinateSet").child("objects");
  for (auto node : elements_of(list)) {
    if (!is(node, "Coordinate")) unsupported(node, "a joint's coordinates must be <Coordinate>");
    out.push_back(read_coordinate(node));
  }
  return out;
}

namespace {

TransformAxis fixed_axis(const Vec3& axis) {
  TransformAxis a;
  a.axis = axis;
  a.function = Function::constant(0.0);
  return a;
}

TransformAxis moving_axis(const Vec3& axis, int local_coordinate) {
  TransformAxis a;
  a.axis = axis;
  a.function = Function::linear(1.0, 0.0);
  a.coordinate = local_coordinate;
  return a;
}

}  // namespace

void OsimReader::build_custom_axes(xml_node joint_node, RawJoint& raw) {
  const auto transform = joint_node.child("SpatialTransform");
  if (!transform) {
    if (joint_node.child("TransformAxisSet")) unsupported(joint_node, "pre-1.9 <TransformAxisSet> layout");
    fail(joint_node, describe(joint_node) + " has no <SpatialTransform>");
  }
  static const char* names[6] = {"rotation1",    "rotation2",    "rotation3",
                                 "translation1", "translation2", "translation3"};
  static const Vec3 default_axes[6] = {Vec3::UnitX(), Vec3::UnitY(), Vec3::UnitZ(),
                                       Vec3::UnitX(), Vec3::UnitY(), Vec3::UnitZ()};
  std::array<xml_node, 6> axis_nodes{};
  int sequential = 0;
  for (auto node : elements_of(transform)) {
    if (!is(node, "TransformAxis")) unsupported(node, "a SpatialTransform holds only <TransformAxis>");
    const std::string name = node.attribute("name").value();
    int slot = -1;
    for (int k = 0; k < 6; ++k) {
      if (name == names[k]) slot = k;
    }
    if (slot < 0) slot = sequential;
    if (slot >= 6 || axis_nodes[static_cast<std::size_t>(slot)]) {
      fail(node, "SpatialTransform of joint '" + raw.joint.name + "' has too many or repeated TransformAxis");
    }
    axis_nodes[static_cast<std::size_t>(slot)] = node;
    ++sequential;
  }

  // Which coordinate each axis uses (by name), and whether it is a pure displacement (slope +-1).
  std::array<std::string, 6> axis_coordinate;
  std::array<bool, 6> pure{};
  std::vector<std::string> transform_order;
  for (std::size_t k = 0; k < 6; ++k) {
    auto& axis = raw.joint.axes[k];
    const auto node = axis_nodes[k];
    if (!node) {
      axis = fixed_axis(default_axes[k]);
      continue;
    }
    Vec3 direction = doc_.child_vec3(node, "axis", default_axes[k]);
    if (direction.norm() < 1e-12)
      fail(node.child("axis"),
           "TransformAxis '" + std::string(names[k]) + "' of joint '" + raw.joint.name + "' has a zero axis");
    axis.axis = direction.normalized();
    const auto coordinate_words = osim::split_words(osim::XmlDocument::child_text(node, "coordinates"));
    if (coordinate_words.size() > 1) {
      unsupported(node, "TransformAxis functions of more than one coordinate are not supported");
    }
    bool has_function = false;
    for (auto child : node.children()) {
      if (child.type() == pugi::node_element && (is_function_tag(child.name()) || is(child, "function")))
        has_function = true;
    }
    if (!coordinate_words.empty()) {
      const std::string& name = coordinate_words[0];
      auto it = std::find_if(raw.coordinates.begin(), raw.coordinates.end(),
                             [&](const Coordinate& c) { return c.name == name; });
      if (it == raw.coordinates.end()) {
        fail(node.child("coordinates"), "unknown coordinate '" + name + "' in TransformAxis '" + names[k] +
                                            "' of joint '" + raw.joint.name + "'");
      }
      axis.coordinate = static_cast<int>(it - raw.coordinates.begin());
      axis_coordinate[k] = name;
      if (std::find(transform_order.begin(), transform_order.end(), name) == transform_order.end()) {
        transform_order.push_back(name);
      }
      axis.function = has_function ? function_in(node, true) : Function::linear(1.0, 0.0);
      const auto& f = axis.function;
      pure[k] = f.kind() == Function::Kind::Linear && f.coefficients().size() == 2 &&
                (f.coefficients()[0] == 1.0 || f.coefficients()[0] == -1.0);
    } else {
      axis.function = has_function ? function_in(node, true) : Function::constant(0.0);
      if (axis.function.kind() != Function::Kind::Constant)
        axis.function = Function::constant(axis.function.value(0.0));
    }
  }
  // Collinear axes cannot form a mobilizer (OpenSim rejects them too).
  for (int start : {0, 3}) {
    for (int a = start; a < start + 3; ++a) {
      for (int b = a + 1; b < start + 3; ++b) {
        if (raw.joint.axes[static_cast<std::size_t>(a)]
                .axis.cross(raw.joint.axes[static_cast<std::size_t>(b)].axis)
                .norm() < 1e-5) {
          fail(transform, "joint '" + raw.joint.name + "' has collinear " +
                              (start == 0 ? "rotation" : "translation") + " axes");
        }
      }
    }
  }

  // OpenSim orders a CustomJoint's coordinates as they first appear in the SpatialTransform.
  std::vector<Coordinate> ordered;
  std::vector<int> new_index(raw.coordinates.size(), -1);
  for (const auto& name : transform_order) {
    for (std::size_t i = 0; i < raw.coordinates.size(); ++i) {
      if (raw.coordinates[i].name == name) {
        new_index[i] = static_cast<int>(ordered.size());
        ordered.push_back(raw.coordinates[i]);
      }
    }
  }
  for (std::size_t i = 0; i < raw.coordinates.size(); ++i) {
    if (new_index[i] < 0) {
      warn(joint_node, "coordinate '" + raw.coordinates[i].name + "' of joint '" + raw.joint.name +
                           "' is not used by any TransformAxis");
      new_index[i] = static_cast<int>(ordered.size());
      ordered.push_back(raw.coordinates[i]);
    }
  }
  for (auto& axis : raw.joint.axes) {
    if (axis.coordinate >= 0) axis.coordinate = new_index[static_cast<std::size_t>(axis.coordinate)];
  }
  raw.coordinates = std::move(ordered);

  // Motion types, following OpenSim's CustomJoint rule: an axis whose function is linear with slope
  // +-1 makes the coordinate Rotational (axes 0-2) or Translational (3-5); any other function makes it
  // Coupled unless a pure axis already decided it.
  for (auto& c : raw.coordinates) {
    bool decided = false;
    MotionType type = MotionType::Coupled;
    for (std::size_t k = 0; k < 6; ++k) {
      if (axis_coordinate[k] != c.name) continue;
      if (pure[k]) {
        type = k < 3 ? MotionType::Rotational : MotionType::Translational;
        decided = true;
      } else if (!decided) {
        type = MotionType::Coupled;
      }
    }
    c.motion_type = type;
  }
}

RawJoint OsimReader::read_joint(xml_node node, int child_body_for_legacy) {
  RawJoint raw;
  raw.node = node;
  raw.joint.name = required_name(node);
  const std::string tag = node.name();
  if (!is_joint_tag(tag))
    unsupported(
        node, "glutelab supports Custom, Pin, Slider, Universal, Gimbal, Ball, Free, Weld and Planar joints");

  // Frames.
  if (node.child("parent_body") || child_body_for_legacy >= 0) {
    // 3.x: the joint lives in its child body and names its parent body.
    const auto parent_element = node.child("parent_body");
    if (!parent_element) fail(node, describe(node) + " has no <parent_body>");
    if (child_body_for_legacy < 0)
      fail(node, "3.x-style " + describe(node) + " must be nested in its child <Body>");
    const int parent_frame = frame_ref(node, parent_element);
    raw.joint.parent_body = model_.frames[static_cast<std::size_t>(parent_frame)].body;
    raw.joint.child_body = child_body_for_legacy;
    raw.joint.X_parent_F = model_.frames[static_cast<std::size_t>(parent_frame)].X_body_frame *
                           offset_transform(doc_.child_vec3(node, "location_in_parent", Vec3::Zero()),
                                            doc_.child_vec3(node, "orientation_in_parent", Vec3::Zero()));
    raw.joint.X_child_M = offset_transform(doc_.child_vec3(node, "location", Vec3::Zero()),
                                           doc_.child_vec3(node, "orientation", Vec3::Zero()));
    if (doc_.child_bool(node, "reverse", false))
      unsupported(node, "reversed joints (<reverse>true</reverse>)");
  } else {
    const int parent_frame = frame_ref(node, socket_node(node, "parent_frame"));
    const int child_frame = frame_ref(node, socket_node(node, "child_frame"));
    const auto& pf = model_.frames[static_cast<std::size_t>(parent_frame)];
    const auto& cf = model_.frames[static_cast<std::size_t>(child_frame)];
    raw.joint.parent_body = pf.body;
    raw.joint.child_body = cf.body;
    raw.joint.X_parent_F = pf.X_body_frame;
    raw.joint.X_child_M = cf.X_body_frame;
  }
  if (raw.joint.parent_body == raw.joint.child_body) {
    fail(node, "joint '" + raw.joint.name + "' connects body '" +
                   model_.bodies[static_cast<std::size_t>(raw.joint.child_body)].name + "' to itself");
  }

  raw.coordinates = read_coordinates(node);
  if (tag == "CustomJoint") {
    raw.joint.type = JointType::Custom;
    build_custom_axes(node, raw);
    return raw;
  }

  // Fixed-form joints: (type, rotation axes with their coordinate slots, translation axes).
  const Vec3 X = Vec3::UnitX(), Y = Vec3::UnitY(), Z = Vec3::UnitZ();
  auto& axes = raw.joint.axes;
  std::vector<MotionType> motion;
  for (std::size_t k = 0; k < 6; ++k) axes[k] = fixed_axis(k % 3 == 0 ? X : (k % 3 == 1 ? Y : Z));
  if (tag == "PinJoint") {
    raw.joint.type = JointType::Pin;
    axes[0] = moving_axis(Z, 0), axes[1] = fixed_axis(X), axes[2] = fixed_axis(Y);
    motion = {MotionType::Rotational};
  } else if (tag == "SliderJoint") {
    raw.joint.type = JointType::Slider;
    axes[3] = moving_axis(X, 0);
    motion = {MotionType::Translational};
  } else if (tag == "UniversalJoint") {
    raw.joint.type = JointType::Universal;
    axes[0] = moving_axis(X, 0), axes[1] = moving_axis(Y, 1);
    motion = {MotionType::Rotational, MotionType::Rotational};
  } else if (tag == "GimbalJoint" || tag == "BallJoint") {
    raw.joint.type = tag == "GimbalJoint" ? JointType::Gimbal : JointType::Ball;
    axes[0] = moving_axis(X, 0), axes[1] = moving_axis(Y, 1), axes[2] = moving_axis(Z, 2);
    motion = {MotionType::Rotational, MotionType::Rotational, MotionType::Rotational};
  } else if (tag == "FreeJoint") {
    raw.joint.type = JointType::Free;
    for (int k = 0; k < 6; ++k)
      axes[static_cast<std::size_t>(k)] = moving_axis(k % 3 == 0 ? X : (k % 3 == 1 ? Y : Z), k);
    motion = {MotionType::Rotational,    MotionType::Rotational,    MotionType::Rotational,
              MotionType::Translational, MotionType::Translational, MotionType::Translational};
  } else if (tag == "PlanarJoint") {
    raw.joint.type = JointType::Planar;
    axes[0] = moving_axis(Z, 0), axes[1] = fixed_axis(X), axes[2] = fixed_axis(Y);
    axes[3] = moving_axis(X, 1), axes[4] = moving_axis(Y, 2);
    motion = {MotionType::Rotational, MotionType::Translational, MotionType::Translational};
  } else {  // WeldJoint
    raw.joint.type = JointType::Weld;
  }
  if (raw.coordinates.size() > motion.size()) {
    fail(node, describe(node) + " lists " + std::to_string(raw.coordinates.size()) +
                   " coordinates but has only " + std::to_string(motion.size()) + " degrees of freedom");
  }
  // Missing coordinates get OpenSim's default names.
  for (std::size_t i = raw.coordinates.size(); i < motion.size(); ++i) {
    Coordinate c;
    c.name = raw.joint.name + "_coord_" + std::to_string(i);
    c.range_min = -10.0;  // OpenSim's default range
    c.range_max = 10.0;
    raw.coordinates.push_back(c);
  }
  for (std::size_t i = 0; i < motion.size(); ++i) raw.coordinates[i].motion_type = motion[i];
  return raw;
}

void OsimReader::read_joints() {
  std::vector<RawJoint> raw;
  for (auto node : objects_of(model_node_.child("JointSet"))) raw.push_back(read_joint(node, -1));
  // 3.x: <Body><Joint><CustomJoint .../></Joint></Body>.
  for (auto body_node : objects_of(model_node_.child("BodySet"))) {
    for (auto joint_node : elements_of(body_node.child("Joint"))) {
      auto it = frame_of_node_.find(body_node.internal_object());
      const int body = it->second;
      if (body == 0) fail(joint_node, "the ground body cannot be the child of " + describe(joint_node));
      raw.push_back(read_joint(joint_node, body));
    }
  }
  order_joints(raw);

  for (std::size_t j = 0; j < raw.size(); ++j) {
    Joint joint = std::move(raw[j].joint);
    const int joint_index = static_cast<int>(j);
    const int first = model_.num_coordinates();
    for (auto& c : raw[j].coordinates) {
      if (coordinate_by_name_.count(c.name)) {
        fail(raw[j].node, "coordinate name '" + c.name + "' is used twice (joint '" + joint.name + "')");
      }
      c.joint = joint_index;
      coordinate_by_name_[c.name] = model_.num_coordinates();
      joint.coordinates.push_back(model_.num_coordinates());
      model_.coordinates.push_back(c);
    }
    for (auto& axis : joint.axes) {
      if (axis.coordinate >= 0) axis.coordinate += first;
    }
    model_.bodies[static_cast<std::size_t>(joint.child_body)].parent_joint = joint_index;
    model_.joints.push_back(std::move(joint));
  }
}

void OsimReader::order_joints(std::vector<RawJoint>& raw) {
  const std::size_t num_bodies = model_.bodies.size();
  // Breadth-first distance from ground, ignoring joint direction.
  std::vector<std::vector<std::size_t>> incident(num_bodies);
  for (std::size_t j = 0; j < raw.size(); ++j) {
    incident[static_cast<std::size_t>(raw[j].joint.parent_body)].push_back(j);
    incident[static_cast<std::size_t>(raw[j].joint.child_body)].push_back(j);
  }
  std::vector<int> depth(num_bodies, -1);
  depth[0] = 0;
  std::queue<std::size_t> queue;
  queue.push(0);
  while (!queue.empty()) {
    const std::size_t b = queue.front();
    queue.pop();
    for (std::size_t j : incident[b]) {
      for (int other : {raw[j].joint.parent_body, raw[j].joint.child_body}) {
        const auto o = static_cast<std::size_t>(other);
        if (depth[o] < 0) {
          depth[o] = depth[b] + 1;
          queue.push(o);
        }
      }
    }
  }
  auto body_name = [&](int b) { return model_.bodies[static_cast<std::size_t>(b)].name; };
  for (const auto& r : raw) {
    const int p = depth[static_cast<std::size_t>(r.joint.parent_body)];
    const int c = depth[static_cast<std::size_t>(r.joint.child_body)];
    if (p >= 0 && c < p) {
      fail(r.node, "joint '" + r.joint.name + "' is reversed: its child body '" +
                       body_name(r.joint.child_body) + "' is closer to ground than its parent body '" +
                       body_name(r.joint.parent_body) + "'; swap parent and child");
    }
  }
  std::vector<int> parent_joint(num_bodies, -1);
  for (std::size_t j = 0; j < raw.size(); ++j) {
    auto& slot = parent_joint[static_cast<std::size_t>(raw[j].joint.child_body)];
    if (slot >= 0) {
      fail(raw[j].node, "body '" + body_name(raw[j].joint.child_body) + "' is the child of two joints ('" +
                            raw[static_cast<std::size_t>(slot)].joint.name + "' and '" + raw[j].joint.name +
                            "'): closed kinematic loops are not supported");
    }
    slot = static_cast<int>(j);
  }
  for (std::size_t b = 1; b < num_bodies; ++b) {
    if (depth[b] < 0) {
      // Locate the body's element for the message.
      xml_node where = model_node_.child("BodySet");
      for (auto node : objects_of(model_node_.child("BodySet"))) {
        if (model_.bodies[b].name == node.attribute("name").value()) where = node;
      }
      fail(where, "body '" + model_.bodies[b].name + "' is not connected to ground by any joint");
    }
  }
  // Stable topological order: keep file order, but a joint comes after the joint of its parent body.
  std::vector<RawJoint> ordered;
  std::vector<bool> placed_body(num_bodies, false), used(raw.size(), false);
  placed_body[0] = true;
  while (ordered.size() < raw.size()) {
    bool progress = false;
    for (std::size_t j = 0; j < raw.size(); ++j) {
      if (used[j] || !placed_body[static_cast<std::size_t>(raw[j].joint.parent_body)]) continue;
      used[j] = true;
      placed_body[static_cast<std::size_t>(raw[j].joint.child_body)] = true;
      ordered.push_back(std::move(raw[j]));
      progress = true;
      break;
    }
    if (!progress) fail(model_node_.child("JointSet"), "joints do not form a tree rooted at ground");
  }
  raw = std::move(ordered);
}

// ------------------------------------------------------------------------------------------------
// Constraints

int OsimReader::independent_of(int coordinate) const {
  // Follow coupler chains (a dependent of a dependent) to the independent coordinate.
  for (int guard = 0; guard < 64 && model_.coordinates[static_cast<std::size_t>(coordinate)].independent >= 0;
       ++guard) {
    coordinate = model_.coordinates[static_cast<std::size_t>(coordinate)].independent;
  }
  return coordinate;
}

void OsimReader::read_constraints() {
  for (auto node : objects_of(model_node_.child("ConstraintSet"))) {
    if (!is(node, "CoordinateCouplerConstraint")) {
      unsupported(node, "only CoordinateCouplerConstraint constraints are supported");
    }
    const std::string name = node.attribute("name").value();
    bool enforced = doc_.child_bool(node, "isEnforced", true);
    if (node.child("isDisabled")) enforced = !doc_.boolean(node.child("isDisabled"));
    if (!enforced) {
      warn(node, "ignored " + describe(node) + ": it is not enforced");
      continue;
    }
    const auto independent_element = node.child("independent_coordinate_names");
    const auto independent_names = osim::split_words(osim::trimmed_text(independent_element));
    if (independent_names.size() != 1) {
      unsupported(node, "a coupler needs exactly one independent coordinate, found " +
                            std::to_string(independent_names.size()));
    }
    const auto dependent_element = node.child("dependent_coordinate_name");
    const int independent = coordinate_by_name(independent_element, independent_names[0]);
    const int dependent = coordinate_by_name(dependent_element ? dependent_element : node,
                                             osim::trimmed_text(dependent_element));
    if (independent == dependent) fail(node, describe(node) + " couples a coordinate to itself");
    auto& coordinate = model_.coordinates[static_cast<std::size_t>(dependent)];
    if (coordinate.is_dependent())
      fail(node, "coordinate '" + coordinate.name + "' is the dependent of two couplers");
    const auto function_holder = node.child("coupled_coordinates_function");
    if (!function_holder) fail(node, describe(node) + " has no <coupled_coordinates_function>");
    Function f = function_in(function_holder, true);
    const double scale = doc_.child_number(node, "scale_factor", 1.0);
    coordinate.coupler_function = scale == 1.0 ? std::move(f) : Function::multiplier(std::move(f), scale);
    coordinate.independent = independent;
  }
  // Reject coupler cycles.
  for (int c = 0; c < model_.num_coordinates(); ++c) {
    if (model_.coordinates[static_cast<std::size_t>(independent_of(c))].is_dependent()) {
      fail(model_node_.child("ConstraintSet"), "coordinate couplers form a cycle through '" +
                                                   model_.coordinates[static_cast<std::size_t>(c)].name +
                                                   "'");
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Markers and wrap objects

void OsimReader::read_markers() {
  for (auto node : objects_of(model_node_.child("MarkerSet"))) {
    if (!is(node, "Marker")) unsupported(node, "MarkerSet may contain only <Marker>");
    Marker marker;
    marker.name = required_name(node);
    xml_node frame_element = socket_node(node, "parent_frame");
    if (!frame_element) frame_element = node.child("body");
    const int frame = frame_ref(node, frame_element);
    const auto& f = model_.frames[static_cast<std::size_t>(frame)];
    marker.body = f.body;
    marker.frame = frame;
    marker.location_m = f.X_body_frame.apply(doc_.child_vec3(node, "location", Vec3::Zero()));
    marker.fixed = doc_.child_bool(node, "fixed", false);
    model_.markers.push_back(marker);
  }
}

void OsimReader::read_wrap_object(xml_node node, int frame) {
  WrapObject w;
  w.name = required_name(node);
  const std::string tag = node.name();
  auto dimension = [&](const char* property) {
    const auto element = node.child(property);
    if (!element) fail(node, describe(node) + " has no <" + property + ">");
    const double v = doc_.number(element);
    if (v < 0.0)
      fail(element,
           describe(node) + " has negative " + property + " " + osim::format_number(v) + "; expected >= 0");
    return v;
  };
  if (tag == "WrapCylinder") {
    w.shape = WrapShape::Cylinder;
    w.dimensions_m = Vec3(dimension("radius"), dimension("length"), 0.0);
  } else if (tag == "WrapSphere") {
    w.shape = WrapShape::Sphere;
    w.dimensions_m = Vec3(dimension("radius"), 0.0, 0.0);
  } else if (tag == "WrapEllipsoid") {
    w.shape = WrapShape::Ellipsoid;
    const auto element = node.child("dimensions");
    if (!element) fail(node, describe(node) + " has no <dimensions>");
    w.dimensions_m = doc_.vec3(element);
    if (w.dimensions_m.minCoeff() < 0.0)
      fail(element, describe(node) + " has negative dimensions; expected radii >= 0");
  } else if (tag == "WrapTorus") {
    w.shape = WrapShape::Torus;
    w.dimensions_m = Vec3(dimension("inner_radius"), dimension("outer_radius"), 0.0);
  } else {
    unsupported(node, "glutelab wraps over WrapCylinder, WrapSphere, WrapEllipsoid and WrapTorus only");
  }
  const auto& f = model_.frames[static_cast<std::size_t>(frame)];
  w.body = f.body;
  w.frame = frame;
  w.X_body_wrap = f.X_body_frame * offset_transform(doc_.child_vec3(node, "translation", Vec3::Zero()),
                                                    doc_.child_vec3(node, "xyz_body_rotation", Vec3::Zero()));
  w.active = doc_.child_bool(node, "active", true);
  if (auto q = node.child("quadrant")) {
    std::string text = to_lower(osim::trimmed_text(q));
    // "Unassigned" is what OpenSim writes when the property was never set: all quadrants.
    if (text.empty() || text == "all" || text == "unassigned") {
      w.quadrant_axis = -1;
    } else {
      int sign = 1;
      if (text[0] == '+' || text[0] == '-') {
        sign = text[0] == '-' ? -1 : 1;
        text.erase(0, 1);
      }
      if (text != "x" && text != "y" && text != "z") {
        fail(q, "quadrant '" + osim::trimmed_text(q) + "' of " + describe(node) +
                    " is not all, x, +x, -x, y, ... ");
      }
      w.quadrant_axis = text[0] - 'x';
      w.quadrant_sign = sign;
    }
  }
  if (wrap_by_name_.count(w.name)) {
    fail(node, "wrap object name '" + w.name + "' is used twice; PathWrap refers to wrap objects by name");
  }
  wrap_by_name_[w.name] = static_cast<int>(model_.wrap_objects.size());
  model_.wrap_objects.push_back(w);
}

void OsimReader::read_wrap_objects() {
  std::vector<std::pair<xml_node, int>> frames;  // frame elements with their frame index
  if (auto ground = model_node_.child("Ground")) frames.emplace_back(ground, 0);
  for (auto node : objects_of(model_node_.child("BodySet"))) {
    frames.emplace_back(node, frame_of_node_.at(node.internal_object()));
  }
  // Offset frames may own wrap objects too.
  std::function<void(xml_node)> collect_offsets = [&](xml_node element) {
    for (auto child : element.children()) {
      if (child.type() != pugi::node_element || is_visual(child.name()) || is(child, "defaults")) continue;
      if (is(child, "PhysicalOffsetFrame"))
        frames.emplace_back(child, frame_of_node_.at(child.internal_object()));
      collect_offsets(child);
    }
  };
  collect_offsets(model_node_);
  for (const auto& [frame_node, frame] : frames) {
    for (auto node : objects_of(frame_node.child("WrapObjectSet"))) read_wrap_object(node, frame);
  }
}

// ------------------------------------------------------------------------------------------------
// Forces

GeometryPath OsimReader::read_path(xml_node path_node) {
  GeometryPath path;
  if (!path_node) return path;
  for (auto node : objects_of(path_node.child("PathPointSet"))) {
    if (!is(node, "PathPoint") && !is(node, "ConditionalPathPoint") && !is(node, "MovingPathPoint")) {
      unsupported(node, "path points must be PathPoint, ConditionalPathPoint or MovingPathPoint");
    }
    PathPoint p;
    p.name = node.attribute("name").value();
    xml_node frame_element = socket_node(node, "parent_frame");
    if (!frame_element) frame_element = node.child("body");
    const int frame = frame_ref(node, frame_element);
    const auto& f = model_.frames[static_cast<std::size_t>(frame)];
    p.body = f.body;
    p.frame = frame;
    const Vec3 location = doc_.child_vec3(node, "location", Vec3::Zero());
    p.location_m = f.X_body_frame.apply(location);
    if (is(node, "PathPoint")) {
      p.kind = PathPointKind::Fixed;
    } else if (is(node, "ConditionalPathPoint")) {
      p.kind = PathPointKind::Conditional;
      xml_node coordinate_element = socket_node(node, "coordinate");
      if (!coordinate_element) coordinate_element = node.child("coordinate");
      if (!coordinate_element) fail(node, describe(node) + " names no coordinate");
      p.coordinate = coordinate_ref(node, coordinate_element);
      const auto range = node.child("range");
      if (!range) fail(node, describe(node) + " has no <range>");
      const auto r = doc_.numbers(range);
      if (r.size() != 2) fail(range, "<range> of " + describe(node) + " expects 2 numbers");
      if (r[0] > r[1]) {
        fail(range, describe(node) + " has range min " + osim::format_number(r[0]) + " > max " +
                        osim::format_number(r[1]) + "; expected min <= max");
      }
      p.range_min = r[0];
      p.range_max = r[1];
    } else if (is(node, "MovingPathPoint")) {
      p.kind = PathPointKind::Moving;
      if (!f.X_body_frame.R.isIdentity(1e-12)) {
        unsupported(node, "a MovingPathPoint on a rotated offset frame");
      }
      static const char* axes[3] = {"x", "y", "z"};
      for (std::size_t k = 0; k < 3; ++k) {
        const std::string a = axes[k];
        const auto function_holder = node.child((a + "_location").c_str());
        xml_node coordinate_element = socket_node(node, a + "_coordinate");
        if (!coordinate_element) coordinate_element = node.child((a + "_coordinate").c_str());
        const std::string coordinate_text = osim::trimmed_text(coordinate_element);
        if (!coordinate_text.empty()) p.location_coordinates[k] = coordinate_ref(node, coordinate_element);
        Function fn = function_holder ? function_in(function_holder, true)
                                      : Function::constant(location[static_cast<Eigen::Index>(k)]);
        if (p.location_coordinates[k] < 0 && fn.kind() != Function::Kind::Constant)
          fn = Function::constant(fn.value(0.0));
        // Shift by the offset frame's translation so that the location is in the body frame.
        const double shift = f.X_body_frame.p[static_cast<Eigen::Index>(k)];
        if (shift != 0.0) {
          if (fn.kind() == Function::Kind::Constant) {
            fn = Function::constant(fn.value(0.0) + shift);
          } else {
            unsupported(node, "a MovingPathPoint on a translated offset frame");
          }
        }
        p.location_functions[k] = std::move(fn);
        // location_m of a moving point: where it is with its coordinates at their default values.
        const int c = p.location_coordinates[k];
        p.location_m[static_cast<Eigen::Index>(k)] = p.location_functions[k].value(
            c >= 0 ? model_.coordinates[static_cast<std::size_t>(c)].default_value : 0.0);
      }
    } else {
      unsupported(node, "path points must be PathPoint, ConditionalPathPoint or MovingPathPoint");
    }
    path.points.push_back(std::move(p));
  }
  for (auto node : objects_of(path_node.child("PathWrapSet"))) {
    if (!is(node, "PathWrap")) unsupported(node, "PathWrapSet may contain only <PathWrap>");
    PathWrap wrap;
    const auto object_element = node.child("wrap_object");
    const std::string object_name = osim::trimmed_text(object_element);
    auto it = wrap_by_name_.find(object_name);
    if (it == wrap_by_name_.end()) {
      fail(object_element ? object_element : node,
           "dangling reference: unknown wrap object '" + object_name + "'");
    }
    wrap.wrap_object = it->second;
    const std::string method = to_lower(osim::XmlDocument::child_text(node, "method"));
    if (method.empty() || method == "hybrid") {
      wrap.method = WrapMethod::Hybrid;
    } else if (method == "midpoint") {
      wrap.method = WrapMethod::Midpoint;
    } else if (method == "axial") {
      wrap.method = WrapMethod::Axial;
    } else {
      fail(node.child("method"), "unknown wrap method '" + method + "' (expected hybrid, midpoint or axial)");
    }
    if (auto range = node.child("range")) {
      const auto r = doc_.numbers(range);
      if (r.size() != 2) fail(range, "<range> of " + describe(node) + " expects 2 integers");
      const int n = static_cast<int>(path.points.size());
      std::array<int, 2> ends{-1, -1};
      for (std::size_t k = 0; k < 2; ++k) {
        if (r[k] != std::floor(r[k])) {
          fail(range, "<range> of " + describe(node) + " expects integer path point numbers, found " +
                          osim::format_number(r[k]));
        }
        // As in OpenSim, a value below 1 leaves that end open (first or last point of the path).
        if (r[k] < 1.0) continue;
        if (r[k] > n) {
          fail(range, describe(node) + " range " + std::to_string(static_cast<long long>(r[k])) +
                          " is past the last of the path's " + std::to_string(n) + " points");
        }
        ends[k] = static_cast<int>(r[k]);
      }
      wrap.range_begin = ends[0];
      wrap.range_end = ends[1];
    }
    path.wraps.push_back(wrap);
  }
  return path;
}

void OsimReader::read_muscle(xml_node node) {
  Muscle m;
  m.name = required_name(node);
  const std::string tag = node.name();
  m.model = tag == "Thelen2003Muscle"           ? MuscleModel::Thelen2003
            : tag == "DeGrooteFregly2016Muscle" ? MuscleModel::DeGrooteFregly2016
                                                : MuscleModel::Millard2012Equilibrium;
  m.applies_force = doc_.child_bool(node, "appliesForce", true);
  if (node.child("isDisabled")) m.applies_force = !doc_.boolean(node.child("isDisabled"));
  // A property that is absent takes OpenSim's default for every Muscle (1000 N, 0.1 m, 0.2 m, 0 rad,
  // 10 optimal fiber lengths per second). `positive` demands > 0 instead of >= 0.
  auto checked = [&](const char* property, double fallback, bool positive) {
    const double v = doc_.child_number(node, property, fallback);
    if (v < 0.0 || (positive && v == 0.0)) {
      fail(node.child(property), "muscle '" + m.name + "' has " + property + " " + osim::format_number(v) +
                                     "; expected a " + (positive ? "positive" : "non-negative") + " number");
    }
    return v;
  };
  m.max_isometric_force_N = checked("max_isometric_force", 1000.0, false);
  m.optimal_fiber_length_m = checked("optimal_fiber_length", 0.1, true);
  m.tendon_slack_length_m = checked("tendon_slack_length", 0.2, false);
  m.max_contraction_velocity = checked("max_contraction_velocity", 10.0, true);
  m.pennation_angle_at_optimal_rad = doc_.child_number(node, "pennation_angle_at_optimal", 0.0);
  if (m.pennation_angle_at_optimal_rad < 0.0 || m.pennation_angle_at_optimal_rad >= std::numbers::pi / 2) {
    fail(node.child("pennation_angle_at_optimal"), "muscle '" + m.name + "' has pennation_angle_at_optimal " +
                                                       osim::format_number(m.pennation_angle_at_optimal_rad) +
                                                       " rad; expected an angle in [0, pi/2)");
  }
  static const std::set<std::string> main_fields = {
      "max_isometric_force",      "optimal_fiber_length", "tendon_slack_length", "pennation_angle_at_optimal",
      "max_contraction_velocity", "appliesForce",         "isDisabled"};
  // Every other scalar property, and those of curve elements as "Curve/property".
  auto store = [&](const std::string& key, xml_node element) {
    const std::string text = osim::trimmed_text(element);
    const std::string low = to_lower(text);
    if (low == "true" || low == "false") {
      m.parameters[key] = low == "true" ? 1.0 : 0.0;
      return;
    }
    const auto words = osim::split_words(text);
    double v = 0.0;
    if (words.size() == 1 && osim::parse_double(words[0], v)) {
      const bool control = ends_with(key, "_control");
      m.parameters[key] = doc_.number(element, control);
    }
  };
  for (auto child : elements_of(node)) {
    const std::string child_tag = child.name();
    if (main_fields.count(child_tag) || child_tag == "GeometryPath" || is_visual(child_tag)) continue;
    if (child.find_child([](xml_node n) { return n.type() == pugi::node_element; })) {
      for (auto grandchild : elements_of(child)) {
        if (!grandchild.find_child([](xml_node n) { return n.type() == pugi::node_element; })) {
          store(child_tag + "/" + grandchild.name(), grandchild);
        }
      }
    } else {
      store(child_tag, child);
    }
  }
  m.path = read_path(node.child("GeometryPath"));
  if (m.path.points.size() < 2) fail(node, "muscle '" + m.name + "' needs at least 2 path points");
  model_.muscles.push_back(std::move(m));
}

void OsimReader::read_actuator(xml_node node) {
  Actuator a;
  a.name = required_name(node);
  a.applies_force = doc_.child_bool(node, "appliesForce", true);
  if (node.child("isDisabled")) a.applies_force = !doc_.boolean(node.child("isDisabled"));
  a.optimal_force = doc_.child_number(node, "optimal_force", 1.0);
  a.min_control = doc_.child_number(node, "min_control", -1e300, true);
  a.max_control = doc_.child_number(node, "max_control", 1e300, true);
  if (a.min_control > a.max_control) fail(node, describe(node) + " has min_control > max_control");
  auto body_of = [&](xml_node element) {
    if (!element || osim::trimmed_text(element).empty()) fail(node, describe(node) + " names no body");
    return model_.frames[static_cast<std::size_t>(frame_ref(node, element))].body;
  };
  if (is(node, "CoordinateActuator")) {
    a.type = ActuatorType::Coordinate;
    const auto element = node.child("coordinate");
    if (!element) fail(node, describe(node) + " names no coordinate");
    a.coordinate = coordinate_ref(node, element);
  } else if (is(node, "PointActuator")) {
    a.type = ActuatorType::Point;
    xml_node body = socket_node(node, "body");
    a.body = body_of(body ? body : node.child("body"));
    a.point_m = doc_.child_vec3(node, "point", Vec3::Zero());
    a.point_is_global = doc_.child_bool(node, "point_is_global", false);
    a.direction = doc_.child_vec3(node, "direction", Vec3::UnitX());
    a.direction_is_global = doc_.child_bool(node, "force_is_global", false);
  } else {  // TorqueActuator
    a.type = ActuatorType::Torque;
    xml_node body_a = socket_node(node, "bodyA");
    xml_node body_b = socket_node(node, "bodyB");
    a.body = body_of(body_a ? body_a : node.child("bodyA"));
    a.body_b = body_of(body_b ? body_b : node.child("bodyB"));
    a.direction = doc_.child_vec3(node, "axis", Vec3::UnitZ());  // OpenSim default: z
    a.direction_is_global = doc_.child_bool(node, "torque_is_global", true);
  }
  model_.actuators.push_back(a);
}

void OsimReader::read_forces() {
  for (auto node : objects_of(model_node_.child("ForceSet"))) {
    const std::string tag = node.name();
    if (tag == "Millard2012EquilibriumMuscle" || tag == "Thelen2003Muscle" ||
        tag == "DeGrooteFregly2016Muscle") {
      read_muscle(node);
    } else if (tag == "CoordinateActuator" || tag == "PointActuator" || tag == "TorqueActuator") {
      read_actuator(node);
    } else if (is_unused_kind(tag)) {
      keep_unused(node, "contact forces are not used by glutelab");
    } else {
      unsupported(node,
                  "glutelab cannot represent this force (supported: Millard2012EquilibriumMuscle, "
                  "Thelen2003Muscle, DeGrooteFregly2016Muscle, CoordinateActuator, PointActuator, "
                  "TorqueActuator)");
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Other sets and components

void OsimReader::read_component_list(xml_node list) {
  for (auto node : elements_of(list)) {
    const std::string_view tag = node.name();
    if (tag == "PhysicalOffsetFrame" || is_visual(tag)) continue;  // frames were read already
    if (is_unused_kind(tag)) {
      keep_unused(node, "not used by glutelab");
    } else {
      unsupported(node, "glutelab cannot represent this component");
    }
  }
}

void OsimReader::read_other_sets() {
  for (auto node : objects_of(model_node_.child("ContactGeometrySet")))
    keep_unused(node, "contact geometry is not used by glutelab");
  for (auto node : objects_of(model_node_.child("ControllerSet")))
    keep_unused(node, "controllers are not used by glutelab");
  for (auto node : objects_of(model_node_.child("ProbeSet")))
    keep_unused(node, "probes are not used by glutelab");
  read_component_list(model_node_.child("ComponentSet").child("objects"));
  read_component_list(model_node_.child("components"));
  auto frames = objects_of(model_node_.child("BodySet"));
  if (auto ground = model_node_.child("Ground")) frames.push_back(ground);
  for (auto frame : frames) read_component_list(frame.child("components"));

  // Unknown model-level components.
  static const std::set<std::string_view> known = {
      "Ground",      "BodySet",           "JointSet",           "ConstraintSet",
      "ForceSet",    "MarkerSet",         "ContactGeometrySet", "ControllerSet",
      "ProbeSet",    "ComponentSet",      "components",         "defaults",
      "gravity",     "credits",           "publications",       "length_units",
      "force_units", "assembly_accuracy", "validator",          "ModelVisualPreferences"};
  for (auto child : elements_of(model_node_)) {
    const std::string_view tag = child.name();
    if (known.count(tag) || is_visual(tag)) continue;
    if (child.attribute("name") || child.child("objects")) {
      unsupported(child, "unknown model-level component");
    }
    warn(child, "ignored unknown model property <" + std::string(tag) + ">");
  }
}

void OsimReader::check_meshes() {
  if (model_dir_.empty()) return;
  std::set<std::string> reported;
  std::function<void(xml_node)> visit = [&](xml_node element) {
    for (auto child : element.children()) {
      if (child.type() != pugi::node_element || is(child, "defaults")) continue;
      if (is(child, "mesh_file") || is(child, "geometry_file") || is(child, "geometry_files")) {
        // 4.x <mesh_file> names one file; 3.x <geometry_files> lists several.
        const std::string text = osim::trimmed_text(child);
        const auto files =
            is(child, "geometry_files") ? osim::split_words(text) : std::vector<std::string>{text};
        for (const auto& file : files) {
          if (file.empty()) continue;
          if (reported.count(file)) continue;
          std::error_code ec;
          const bool found = std::filesystem::exists(model_dir_ / file, ec) ||
                             std::filesystem::exists(model_dir_ / "Geometry" / file, ec);
          if (!found) {
            reported.insert(file);
            warn(child, "mesh file '" + file + "' not found (visual only, ignored)");
          }
        }
      } else {
        visit(child);
      }
    }
  };
  visit(model_node_);
}

// ------------------------------------------------------------------------------------------------
// Spanned coordinates

void OsimReader::compute_spanned_coordinates() {
  const std::size_t num_joints = model_.joints.size();
  for (auto& muscle : model_.muscles) {
    auto& path = muscle.path;
    std::set<int> bodies;
    for (const auto& p : path.points) bodies.insert(p.body);
    for (const auto& w : path.wraps)
      bodies.insert(model_.wrap_objects[static_cast<std::size_t>(w.wrap_object)].body);
    // A joint changes the path only if some, but not all, of the path's bodies lie below it.
    std::vector<int> below(num_joints, 0);
    for (int b : bodies) {
      for (int j = model_.bodies[static_cast<std::size_t>(b)].parent_joint; j >= 0;
           j = model_.bodies[static_cast<std::size_t>(model_.joints[static_cast<std::size_t>(j)].parent_body)]
                   .parent_joint) {
        ++below[static_cast<std::size_t>(j)];
      }
    }
    std::set<int> spanned;
    for (std::size_t j = 0; j < num_joints; ++j) {
      if (below[j] == 0 || below[j] == static_cast<int>(bodies.size())) continue;
      for (int c : model_.joints[j].coordinates) spanned.insert(independent_of(c));
    }
    for (const auto& p : path.points) {
      if (p.kind == PathPointKind::Conditional) spanned.insert(independent_of(p.coordinate));
      for (int c : p.location_coordinates) {
        if (c >= 0) spanned.insert(independent_of(c));
      }
    }
    path.spanned_coordinates.assign(spanned.begin(), spanned.end());
  }
}

// ------------------------------------------------------------------------------------------------

Model OsimReader::read() {
  const auto root = doc_.doc().document_element();
  if (is(root, "OpenSimDocument")) {
    if (auto v = root.attribute("Version")) {
      double version = 0.0;
      if (!osim::parse_double(v.value(), version))
        fail(root, "OpenSimDocument Version '" + std::string(v.value()) + "' is not a number");
      version_ = static_cast<int>(version);
    }
    model_node_ = root.child("Model");
  } else if (is(root, "Model")) {
    model_node_ = root;
  }
  if (!model_node_) fail(root, "expected <OpenSimDocument><Model>, found <" + std::string(root.name()) + ">");
  model_.name = model_node_.attribute("name").value();
  model_.file = doc_.name();
  model_.gravity = doc_.child_vec3(model_node_, "gravity", model_.gravity);
  if (auto units = model_node_.child("length_units")) {
    const std::string u = to_lower(osim::trimmed_text(units));
    if (!u.empty() && u != "meters" && u != "meter" && u != "m")
      fail(units, "length_units '" + u + "' are not supported; expected meters");
  }

  index_components(model_node_, "/");
  read_bodies();
  read_offset_frames();
  read_joints();
  read_constraints();
  read_markers();
  read_wrap_objects();
  read_forces();
  read_other_sets();
  check_meshes();
  compute_spanned_coordinates();
  return std::move(model_);
}

Model read_document(std::string text, const std::string& name, std::vector<ReadWarning>* warnings,
                    const std::filesystem::path& model_dir) {
  const XmlDocument doc(std::move(text), name);
  OsimReader reader(doc, warnings, model_dir);
  return reader.read();
}

}  // namespace

Model read_osim(const std::filesystem::path& file, std::vector<ReadWarning>* warnings) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) throw InputError(file, "model file not found");
  if (!std::filesystem::is_regular_file(file, ec)) throw InputError(file, "not a regular file");
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) throw InputError(file, "cannot read the file size: " + ec.message());
  if (size > kMaxFileBytes) {
    throw InputError(file, "file is " + std::to_string(size) + " bytes, more than the " +
                               std::to_string(kMaxFileBytes) + "-byte limit for a model");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file, "cannot open the file");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uintmax_t>(in.gcount()) != size)
    throw InputError(file, "could not read the whole file");
  auto dir = file.parent_path();
  if (dir.empty()) dir = ".";
  return read_document(std::move(text), file.string(), warnings, dir);
}

Model read_osim_string(const std::string& xml, const std::string& name_for_messages,
                       std::vector<ReadWarning>* warnings) {
  return read_document(xml, name_for_messages, warnings, {});
}

}  // namespace glutelab
