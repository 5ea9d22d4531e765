// Tests of the .osim reader. Every model in the shared data is read and compared, component by
// component, with what an independent pugixml walk of the same file says (counts, names, numbers,
// frames, functions); real models are checked for the representation of each OpenSim feature they
// use; small synthetic documents cover the features no shared model has, and every error and warning
// is checked for its file, line and column.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <numbers>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <pugixml.hpp>

#include "glutelab/io/input_error.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

namespace fs = std::filesystem;
using pugi::xml_node;

constexpr double kPi = std::numbers::pi;

fs::path write_file(const fs::path& dir, const std::string& name, const std::string& text) {
  const fs::path path = dir / name;
  std::ofstream out(path, std::ios::binary);
  out << text;
  return path;
}

/// The synthetic documents of tests/data/osim.
fs::path osim_test_data(const std::string& name) {
  return fs::path(GLUTELAB_DATA_DIR).parent_path() / "tests" / "data" / "osim" / name;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// Runs `action`, expects an InputError and returns it (line/column/message checked by the caller).
InputError expect_input_error(const std::function<void()>& action) {
  try {
    action();
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "expected an InputError";
  return InputError("", "none");
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// 1-based line and column of a byte offset in `text`.
std::pair<int, int> line_col(const std::string& text, std::size_t offset) {
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, static_cast<int>(offset - line_start) + 1};
}

/// Replaces the one occurrence of `from` in `text` (the test fails if there is not exactly one).
std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at == std::string::npos) return text;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << "not unique: " << from;
  return text.replace(at, from.size(), to);
}

// ------------------------------------------------------------------------------------------------
// An independent reading of the XML: pugixml plus strtod, nothing from the reader.

std::string text_of(xml_node element) {
  std::string t = element.child_value();
  const auto first = t.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return t.substr(first, t.find_last_not_of(" \t\r\n") - first + 1);
}

std::string child_text(xml_node parent, const char* name) { return text_of(parent.child(name)); }

std::vector<double> numbers_of(xml_node element) {
  std::vector<double> out;
  const std::string t = text_of(element);
  const char* p = t.c_str();
  while (*p != '\0') {
    char* end = nullptr;
    const double v = std::strtod(p, &end);
    if (end == p) break;
    out.push_back(v);
    p = end;
  }
  return out;
}

double number(xml_node parent, const char* name, double fallback) {
  const auto v = numbers_of(parent.child(name));
  return v.size() == 1 ? v[0] : fallback;
}

Vec3 vec3(xml_node parent, const char* name, const Vec3& fallback = Vec3::Zero()) {
  const auto v = numbers_of(parent.child(name));
  return v.size() == 3 ? Vec3(v[0], v[1], v[2]) : fallback;
}

bool flag(xml_node parent, const char* name, bool fallback) {
  std::string t = child_text(parent, name);
  for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (t == "true") return true;
  if (t == "false") return false;
  return fallback;
}

std::vector<xml_node> objects(xml_node set) {
  std::vector<xml_node> out;
  for (auto child : set.child("objects").children()) {
    if (child.type() == pugi::node_element) out.push_back(child);
  }
  return out;
}

std::string name_of(xml_node node) { return node.attribute("name").value(); }

std::string last_segment(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Every element named `tag` below `root`, skipping the <defaults> block.
void collect(xml_node root, const char* tag, std::vector<xml_node>& out) {
  for (auto child : root.children()) {
    if (child.type() != pugi::node_element || std::string(child.name()) == "defaults") continue;
    if (std::string(child.name()) == tag) out.push_back(child);
    collect(child, tag, out);
  }
}

/// Rotation matrices written out by hand (not through the library's helpers).
Mat3 rot_x(double a) {
  Mat3 r;
  r << 1, 0, 0, 0, std::cos(a), -std::sin(a), 0, std::sin(a), std::cos(a);
  return r;
}
Mat3 rot_y(double a) {
  Mat3 r;
  r << std::cos(a), 0, std::sin(a), 0, 1, 0, -std::sin(a), 0, std::cos(a);
  return r;
}
Mat3 rot_z(double a) {
  Mat3 r;
  r << std::cos(a), -std::sin(a), 0, std::sin(a), std::cos(a), 0, 0, 0, 1;
  return r;
}
/// OpenSim's body-fixed X-Y-Z orientation.
Mat3 body_xyz(const Vec3& a) { return rot_x(a.x()) * rot_y(a.y()) * rot_z(a.z()); }

Transform offset(const Vec3& translation, const Vec3& orientation) {
  return {body_xyz(orientation), translation};
}

/// The body an OpenSim frame reference ends at, and the frame's pose in that body, for 4.x joints whose
/// sockets name one of the joint's own offset frames or a body/ground directly.
struct FrameRef {
  std::string body;
  Transform X_body_frame;
};
FrameRef resolve_joint_frame(xml_node joint, const std::string& reference) {
  for (auto frame : joint.child("frames").children("PhysicalOffsetFrame")) {
    if (name_of(frame) == last_segment(reference)) {
      return {last_segment(child_text(frame, "socket_parent")),
              offset(vec3(frame, "translation"), vec3(frame, "orientation"))};
    }
  }
  return {last_segment(reference), Transform::identity()};
}

/// Forward kinematics from the Model's joints, written independently of src/glutelab/kinematics:
/// X_ground_child = X_ground_parent * X_parent_F * X_FM(q) * X_child_M^-1.
Transform joint_motion(const Joint& joint, const Eigen::VectorXd& q) {
  auto value = [&](const TransformAxis& axis) {
    return axis.function.value(axis.coordinate >= 0 ? q[axis.coordinate] : 0.0);
  };
  Transform X_FM;
  for (std::size_t k = 0; k < 3; ++k) {
    X_FM.R = X_FM.R * Eigen::AngleAxisd(value(joint.axes[k]), joint.axes[k].axis).toRotationMatrix();
  }
  for (std::size_t k = 3; k < 6; ++k) X_FM.p += value(joint.axes[k]) * joint.axes[k].axis;
  return X_FM;
}

std::vector<Transform> body_poses(const Model& model, Eigen::VectorXd q) {
  for (int pass = 0; pass < 4; ++pass) {  // couplers (chains are short)
    for (int c = 0; c < model.num_coordinates(); ++c) {
      const auto& coordinate = model.coordinates[static_cast<std::size_t>(c)];
      if (coordinate.is_dependent()) q[c] = coordinate.coupler_function.value(q[coordinate.independent]);
    }
  }
  std::vector<Transform> X(model.bodies.size());
  for (const auto& joint : model.joints) {
    X[static_cast<std::size_t>(joint.child_body)] = X[static_cast<std::size_t>(joint.parent_body)] *
                                                    joint.X_parent_F * joint_motion(joint, q) *
                                                    joint.X_child_M.inverse();
  }
  return X;
}

Eigen::VectorXd default_q(const Model& model) {
  Eigen::VectorXd q(model.num_coordinates());
  for (int c = 0; c < model.num_coordinates(); ++c)
    q[c] = model.coordinates[static_cast<std::size_t>(c)].default_value;
  return q;
}

void expect_near(const Vec3& a, const Vec3& b, double tol, const std::string& what) {
  EXPECT_LT((a - b).norm(), tol) << what << ": " << a.transpose() << " vs " << b.transpose();
}
void expect_near(const Mat3& a, const Mat3& b, double tol, const std::string& what) {
  EXPECT_LT((a - b).norm(), tol) << what << "\n" << a << "\nvs\n" << b;
}
void expect_near(const Transform& a, const Transform& b, double tol, const std::string& what) {
  EXPECT_LT((a.R - b.R).norm(), tol) << what << " rotation\n" << a.R << "\nvs\n" << b.R;
  EXPECT_LT((a.p - b.p).norm(), tol) << what << " translation " << a.p.transpose() << " vs "
                                     << b.p.transpose();
}

const Joint* find_joint(const Model& m, const std::string& name) {
  for (const auto& j : m.joints) {
    if (j.name == name) return &j;
  }
  return nullptr;
}
const WrapObject* find_wrap(const Model& m, const std::string& name) {
  for (const auto& w : m.wrap_objects) {
    if (w.name == name) return &w;
  }
  return nullptr;
}
const Actuator* find_actuator(const Model& m, const std::string& name) {
  for (const auto& a : m.actuators) {
    if (a.name == name) return &a;
  }
  return nullptr;
}
const PathPoint* find_point(const Muscle& muscle, const std::string& name) {
  for (const auto& p : muscle.path.points) {
    if (p.name == name) return &p;
  }
  return nullptr;
}
std::string body_name(const Model& m, int body) { return m.bodies.at(static_cast<std::size_t>(body)).name; }
std::string coordinate_name(const Model& m, int c) {
  return c < 0 ? std::string("<none>") : m.coordinates.at(static_cast<std::size_t>(c)).name;
}

/// The function element of an OpenSim function holder (4.x: direct child; 3.x: inside <function>).
xml_node function_element(xml_node holder) {
  static const std::set<std::string> functions = {
      "Constant",           "LinearFunction",          "SimmSpline",
      "NaturalCubicSpline", "PiecewiseLinearFunction", "MultiplierFunction",
      "PolynomialFunction"};
  for (auto child : holder.children()) {
    if (child.type() != pugi::node_element) continue;
    if (functions.count(child.name())) return child;
    if (std::string(child.name()) == "function") return function_element(child);
  }
  return {};
}

/// Checks that `f` is the function written in `element` (kind and data).
void expect_function(const Function& f, xml_node element, const std::string& what) {
  const std::string tag = element.name();
  if (tag == "Constant") {
    EXPECT_EQ(f.kind(), Function::Kind::Constant) << what;
    EXPECT_EQ(f.value(0.3), number(element, "value", 0.0)) << what;
  } else if (tag == "LinearFunction") {
    EXPECT_EQ(f.kind(), Function::Kind::Linear) << what;
    EXPECT_EQ(f.coefficients(), numbers_of(element.child("coefficients"))) << what;
  } else if (tag == "SimmSpline" || tag == "NaturalCubicSpline" || tag == "PiecewiseLinearFunction") {
    const auto kind = tag == "SimmSpline"           ? Function::Kind::SimmSpline
                      : tag == "NaturalCubicSpline" ? Function::Kind::NaturalCubicSpline
                                                    : Function::Kind::PiecewiseLinear;
    EXPECT_EQ(f.kind(), kind) << what;
    EXPECT_EQ(f.x(), numbers_of(element.child("x"))) << what;
    EXPECT_EQ(f.y(), numbers_of(element.child("y"))) << what;
  } else if (tag == "PolynomialFunction") {
    EXPECT_EQ(f.kind(), Function::Kind::Polynomial) << what;
    EXPECT_EQ(f.coefficients(), numbers_of(element.child("coefficients"))) << what;
  } else if (tag == "MultiplierFunction") {
    EXPECT_EQ(f.kind(), Function::Kind::Multiplier) << what;
    EXPECT_EQ(f.scale(), number(element, "scale", 1.0)) << what;
    ASSERT_NE(f.inner(), nullptr) << what;
    expect_function(*f.inner(), function_element(element.child("function")), what + " (inner)");
  } else {
    ADD_FAILURE() << what << ": the test does not know function " << tag;
  }
}

JointType joint_type_of(const std::string& tag) {
  static const std::map<std::string, JointType> types = {
      {"CustomJoint", JointType::Custom}, {"PinJoint", JointType::Pin},
      {"SliderJoint", JointType::Slider}, {"UniversalJoint", JointType::Universal},
      {"GimbalJoint", JointType::Gimbal}, {"BallJoint", JointType::Ball},
      {"FreeJoint", JointType::Free},     {"WeldJoint", JointType::Weld},
      {"PlanarJoint", JointType::Planar}};
  return types.at(tag);
}

/// Counts of a model's components as the XML itself says.
struct XmlCounts {
  int bodies = 0, coordinates = 0, joints = 0, markers = 0, muscles = 0, actuators = 0, wrap_objects = 0,
      couplers = 0, unused = 0;
};

XmlCounts count_in_xml(xml_node model) {
  XmlCounts n;
  const bool has_ground = static_cast<bool>(model.child("Ground"));
  n.bodies = static_cast<int>(objects(model.child("BodySet")).size()) + (has_ground ? 1 : 0);
  std::vector<xml_node> found;
  collect(model, "Coordinate", found);
  n.coordinates = static_cast<int>(found.size());
  n.joints = static_cast<int>(objects(model.child("JointSet")).size());
  for (auto body : objects(model.child("BodySet"))) {
    for (auto j : body.child("Joint").children()) n.joints += j.type() == pugi::node_element ? 1 : 0;
  }
  n.markers = static_cast<int>(objects(model.child("MarkerSet")).size());
  for (auto force : objects(model.child("ForceSet"))) {
    const std::string tag = force.name();
    if (ends_with(tag, "Muscle")) ++n.muscles;
    if (tag == "CoordinateActuator" || tag == "PointActuator" || tag == "TorqueActuator") ++n.actuators;
    if (tag == "SmoothSphereHalfSpaceForce" || tag == "HuntCrossleyForce" ||
        tag == "ElasticFoundationForce") {
      ++n.unused;  // contact forces
    }
  }
  found.clear();
  collect(model, "WrapObjectSet", found);
  for (auto set : found) n.wrap_objects += static_cast<int>(objects(set).size());
  for (auto constraint : objects(model.child("ConstraintSet"))) {
    if (std::string(constraint.name()) == "CoordinateCouplerConstraint" &&
        flag(constraint, "isEnforced", true)) {
      ++n.couplers;
    }
  }
  for (const char* set : {"ContactGeometrySet", "ControllerSet", "ProbeSet"}) {
    n.unused += static_cast<int>(objects(model.child(set)).size());
  }
  return n;
}

/// Compares a loaded model with its document, component by component.
void compare_with_xml(const Model& m, xml_node model, const std::string& label) {
  SCOPED_TRACE(label);
  const bool v4 = static_cast<bool>(model.child("Ground"));

  // Bodies: mass properties.
  for (auto body : objects(model.child("BodySet"))) {
    const std::string name = name_of(body);
    if (!v4 && name == "ground") {
      EXPECT_EQ(m.bodies[0].name, "ground");
      continue;
    }
    const int b = m.body_index(name);
    ASSERT_GE(b, 1) << name;
    const Body& mb = m.bodies[static_cast<std::size_t>(b)];
    EXPECT_EQ(mb.mass_kg, number(body, "mass", 0.0)) << name;
    EXPECT_EQ(mb.mass_center_m, vec3(body, "mass_center")) << name;
    std::vector<double> inertia = numbers_of(body.child("inertia"));
    if (inertia.empty()) {
      for (const char* k :
           {"inertia_xx", "inertia_yy", "inertia_zz", "inertia_xy", "inertia_xz", "inertia_yz"}) {
        inertia.push_back(number(body, k, 0.0));
      }
    }
    ASSERT_EQ(inertia.size(), 6u) << name;
    EXPECT_EQ(mb.inertia_kg_m2(0, 0), inertia[0]) << name;
    EXPECT_EQ(mb.inertia_kg_m2(1, 1), inertia[1]) << name;
    EXPECT_EQ(mb.inertia_kg_m2(2, 2), inertia[2]) << name;
    EXPECT_EQ(mb.inertia_kg_m2(0, 1), inertia[3]) << name;
    EXPECT_EQ(mb.inertia_kg_m2(1, 0), inertia[3]) << name;
    EXPECT_EQ(mb.inertia_kg_m2(0, 2), inertia[4]) << name;
    EXPECT_EQ(mb.inertia_kg_m2(1, 2), inertia[5]) << name;
    EXPECT_GE(mb.parent_joint, 0) << name;
  }

  // Coordinates: every property the reader keeps.
  std::vector<xml_node> coordinates;
  collect(model, "Coordinate", coordinates);
  for (auto node : coordinates) {
    const std::string name = name_of(node);
    const int c = m.coordinate_index(name);
    ASSERT_GE(c, 0) << name;
    const Coordinate& mc = m.coordinates[static_cast<std::size_t>(c)];
    EXPECT_EQ(mc.default_value, number(node, "default_value", 0.0)) << name;
    EXPECT_EQ(mc.default_speed, number(node, "default_speed_value", 0.0)) << name;
    const auto range = numbers_of(node.child("range"));
    EXPECT_EQ(mc.range_min, range.size() == 2 ? range[0] : -10.0) << name;
    EXPECT_EQ(mc.range_max, range.size() == 2 ? range[1] : 10.0) << name;
    EXPECT_EQ(mc.clamped, flag(node, "clamped", false)) << name;
    EXPECT_EQ(mc.locked, flag(node, "locked", false)) << name;
    EXPECT_EQ(mc.prescribed, flag(node, "prescribed", false)) << name;
    ASSERT_GE(mc.joint, 0) << name;
    // The coordinate belongs to the joint that lists it.
    xml_node owner = node.parent();
    while (owner && !ends_with(owner.name(), "Joint")) owner = owner.parent();
    ASSERT_TRUE(owner) << name;
    EXPECT_EQ(m.joints[static_cast<std::size_t>(mc.joint)].name, name_of(owner)) << name;
  }

  // Joints: type, bodies, frames, and every TransformAxis of custom joints.
  std::vector<std::pair<xml_node, std::string>> joints;  // joint element, child body name for 3.x
  for (auto j : objects(model.child("JointSet"))) joints.emplace_back(j, "");
  for (auto body : objects(model.child("BodySet"))) {
    for (auto j : body.child("Joint").children()) {
      if (j.type() == pugi::node_element) joints.emplace_back(j, name_of(body));
    }
  }
  for (const auto& [node, legacy_child] : joints) {
    const std::string name = name_of(node);
    const Joint* joint = find_joint(m, name);
    ASSERT_NE(joint, nullptr) << name;
    EXPECT_EQ(joint->type, joint_type_of(node.name())) << name;
    FrameRef parent, child;
    if (legacy_child.empty()) {
      parent = resolve_joint_frame(node, child_text(node, "socket_parent_frame"));
      child = resolve_joint_frame(node, child_text(node, "socket_child_frame"));
    } else {
      parent = {child_text(node, "parent_body"),
                offset(vec3(node, "location_in_parent"), vec3(node, "orientation_in_parent"))};
      child = {legacy_child, offset(vec3(node, "location"), vec3(node, "orientation"))};
    }
    EXPECT_EQ(body_name(m, joint->parent_body), parent.body) << name;
    EXPECT_EQ(body_name(m, joint->child_body), child.body) << name;
    expect_near(joint->X_parent_F, parent.X_body_frame, 1e-14, name + " X_parent_F");
    expect_near(joint->X_child_M, child.X_body_frame, 1e-14, name + " X_child_M");
    std::vector<xml_node> listed;
    collect(node, "Coordinate", listed);
    if (!listed.empty()) {
      EXPECT_EQ(joint->coordinates.size(), listed.size()) << name;
    }
    for (int c : joint->coordinates)
      EXPECT_EQ(m.coordinates[static_cast<std::size_t>(c)].joint, joint - m.joints.data());
    if (joint->type != JointType::Custom) continue;
    static const std::map<std::string, std::size_t> slot = {{"rotation1", 0},    {"rotation2", 1},
                                                            {"rotation3", 2},    {"translation1", 3},
                                                            {"translation2", 4}, {"translation3", 5}};
    for (auto axis : node.child("SpatialTransform").children("TransformAxis")) {
      const std::string axis_name = name_of(axis);
      ASSERT_TRUE(slot.count(axis_name)) << name << " " << axis_name;
      const TransformAxis& ta = joint->axes[slot.at(axis_name)];
      const std::string what = name + "/" + axis_name;
      expect_near(ta.axis, vec3(axis, "axis").normalized(), 1e-15, what);
      const std::string coordinate = child_text(axis, "coordinates");
      EXPECT_EQ(coordinate_name(m, ta.coordinate), coordinate.empty() ? "<none>" : coordinate) << what;
      const xml_node f = function_element(axis);
      if (coordinate.empty()) {
        // A function of no coordinate is the constant it evaluates to.
        EXPECT_EQ(ta.function.kind(), Function::Kind::Constant) << what;
        if (f && std::string(f.name()) == "Constant") {
          EXPECT_EQ(ta.function.value(0.0), number(f, "value", 0.0)) << what;
        }
      } else if (f) {
        expect_function(ta.function, f, what);
      }
    }
  }

  // Coordinate couplers.
  for (auto constraint : objects(model.child("ConstraintSet"))) {
    const std::string dependent = child_text(constraint, "dependent_coordinate_name");
    const int d = m.coordinate_index(dependent);
    ASSERT_GE(d, 0) << dependent;
    const Coordinate& dc = m.coordinates[static_cast<std::size_t>(d)];
    if (!flag(constraint, "isEnforced", true)) {
      EXPECT_FALSE(dc.is_dependent()) << dependent;
      continue;
    }
    EXPECT_EQ(coordinate_name(m, dc.independent), child_text(constraint, "independent_coordinate_names"))
        << dependent;
    if (number(constraint, "scale_factor", 1.0) == 1.0) {
      expect_function(dc.coupler_function, function_element(constraint.child("coupled_coordinates_function")),
                      dependent + " coupler");
    }
  }

  // Markers.
  for (auto marker : objects(model.child("MarkerSet"))) {
    const std::string name = name_of(marker);
    const auto it =
        std::find_if(m.markers.begin(), m.markers.end(), [&](const Marker& k) { return k.name == name; });
    ASSERT_NE(it, m.markers.end()) << name;
    std::string frame = child_text(marker, "socket_parent_frame");
    if (frame.empty()) frame = child_text(marker, "body");
    EXPECT_EQ(body_name(m, it->body), last_segment(frame)) << name;
    EXPECT_EQ(it->location_m, vec3(marker, "location")) << name;
    EXPECT_EQ(it->fixed, flag(marker, "fixed", false)) << name;
  }

  // Wrap objects, on ground or bodies.
  std::vector<std::pair<xml_node, std::string>> wrap_owners;
  if (v4) wrap_owners.emplace_back(model.child("Ground"), m.bodies[0].name);
  for (auto body : objects(model.child("BodySet"))) wrap_owners.emplace_back(body, name_of(body));
  for (const auto& [owner, owner_name] : wrap_owners) {
    for (auto node : objects(owner.child("WrapObjectSet"))) {
      const std::string name = name_of(node);
      const WrapObject* w = find_wrap(m, name);
      ASSERT_NE(w, nullptr) << name;
      EXPECT_EQ(body_name(m, w->body), owner_name) << name;
      const std::string tag = node.name();
      if (tag == "WrapCylinder") {
        EXPECT_EQ(w->shape, WrapShape::Cylinder) << name;
        EXPECT_EQ(w->dimensions_m, Vec3(number(node, "radius", -1), number(node, "length", -1), 0.0)) << name;
      } else if (tag == "WrapEllipsoid") {
        EXPECT_EQ(w->shape, WrapShape::Ellipsoid) << name;
        EXPECT_EQ(w->dimensions_m, vec3(node, "dimensions")) << name;
      } else if (tag == "WrapSphere") {
        EXPECT_EQ(w->shape, WrapShape::Sphere) << name;
        EXPECT_EQ(w->dimensions_m.x(), number(node, "radius", -1)) << name;
      } else if (tag == "WrapTorus") {
        EXPECT_EQ(w->shape, WrapShape::Torus) << name;
        EXPECT_EQ(w->dimensions_m.x(), number(node, "inner_radius", -1)) << name;
        EXPECT_EQ(w->dimensions_m.y(), number(node, "outer_radius", -1)) << name;
      } else {
        ADD_FAILURE() << "unexpected wrap object " << tag;
      }
      expect_near(w->X_body_wrap, offset(vec3(node, "translation"), vec3(node, "xyz_body_rotation")), 1e-14,
                  name);
      EXPECT_EQ(w->active, flag(node, "active", true)) << name;
      std::string quadrant = child_text(node, "quadrant");
      for (char& c : quadrant) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (quadrant.empty() || quadrant == "all") {
        EXPECT_EQ(w->quadrant_axis, -1) << name;
      } else {
        const char axis_letter = quadrant.back();
        EXPECT_EQ(w->quadrant_axis, axis_letter - 'x') << name << " " << quadrant;
        EXPECT_EQ(w->quadrant_sign, quadrant.front() == '-' ? -1 : 1) << name << " " << quadrant;
      }
    }
  }

  // Forces: muscles (parameters, path points, wraps) and actuators.
  static const std::set<std::string> main_fields = {
      "max_isometric_force",      "optimal_fiber_length", "tendon_slack_length", "pennation_angle_at_optimal",
      "max_contraction_velocity", "appliesForce",         "isDisabled"};
  for (auto force : objects(model.child("ForceSet"))) {
    const std::string tag = force.name();
    const std::string name = name_of(force);
    if (ends_with(tag, "Muscle")) {
      const int index = m.muscle_index(name);
      ASSERT_GE(index, 0) << name;
      const Muscle& muscle = m.muscles[static_cast<std::size_t>(index)];
      const MuscleModel expected_model = tag == "Thelen2003Muscle" ? MuscleModel::Thelen2003
                                         : tag == "DeGrooteFregly2016Muscle"
                                             ? MuscleModel::DeGrooteFregly2016
                                             : MuscleModel::Millard2012Equilibrium;
      EXPECT_EQ(muscle.model, expected_model) << name;
      EXPECT_EQ(muscle.applies_force, flag(force, "appliesForce", true) && !flag(force, "isDisabled", false))
          << name;
      EXPECT_EQ(muscle.max_isometric_force_N, number(force, "max_isometric_force", 1000.0)) << name;
      EXPECT_EQ(muscle.optimal_fiber_length_m, number(force, "optimal_fiber_length", 0.1)) << name;
      EXPECT_EQ(muscle.tendon_slack_length_m, number(force, "tendon_slack_length", 0.2)) << name;
      EXPECT_EQ(muscle.pennation_angle_at_optimal_rad, number(force, "pennation_angle_at_optimal", 0.0))
          << name;
      EXPECT_EQ(muscle.max_contraction_velocity, number(force, "max_contraction_velocity", 10.0)) << name;
      // Every other numeric or boolean property, and those of curve elements.
      auto expect_parameter = [&](const std::string& key, xml_node element) {
        const std::string t = text_of(element);
        const auto v = numbers_of(element);
        double expected = 0.0;
        if (t == "true" || t == "false") {
          expected = t == "true" ? 1.0 : 0.0;
        } else if (v.size() == 1 && t.find(' ') == std::string::npos && !std::isnan(v[0])) {
          expected = v[0];
        } else {
          return;
        }
        ASSERT_TRUE(muscle.parameters.count(key)) << name << " " << key;
        EXPECT_EQ(muscle.parameters.at(key), expected) << name << " " << key;
      };
      for (auto child : force.children()) {
        if (child.type() != pugi::node_element) continue;
        const std::string child_tag = child.name();
        if (main_fields.count(child_tag) || child_tag == "GeometryPath" || child_tag == "Appearance")
          continue;
        if (child.find_child([](xml_node n) { return n.type() == pugi::node_element; })) {
          for (auto grandchild : child.children()) {
            if (grandchild.type() == pugi::node_element && !grandchild.first_child().first_child()) {
              expect_parameter(child_tag + "/" + grandchild.name(), grandchild);
            }
          }
        } else {
          expect_parameter(child_tag, child);
        }
      }
      // Path points in order.
      const auto points = objects(force.child("GeometryPath").child("PathPointSet"));
      ASSERT_EQ(muscle.path.points.size(), points.size()) << name;
      for (std::size_t i = 0; i < points.size(); ++i) {
        const xml_node node = points[i];
        const PathPoint& p = muscle.path.points[i];
        const std::string what = name + "/" + name_of(node);
        EXPECT_EQ(p.name, name_of(node)) << what;
        std::string frame = child_text(node, "socket_parent_frame");
        if (frame.empty()) frame = child_text(node, "body");
        EXPECT_EQ(body_name(m, p.body), last_segment(frame)) << what;
        const std::string kind = node.name();
        if (kind == "PathPoint" || kind == "ConditionalPathPoint") {
          EXPECT_EQ(p.location_m, vec3(node, "location")) << what;
        }
        if (kind == "PathPoint") {
          EXPECT_EQ(p.kind, PathPointKind::Fixed) << what;
        } else if (kind == "ConditionalPathPoint") {
          EXPECT_EQ(p.kind, PathPointKind::Conditional) << what;
          std::string coordinate = child_text(node, "socket_coordinate");
          if (coordinate.empty()) coordinate = child_text(node, "coordinate");
          EXPECT_EQ(coordinate_name(m, p.coordinate), last_segment(coordinate)) << what;
          const auto range = numbers_of(node.child("range"));
          ASSERT_EQ(range.size(), 2u) << what;
          EXPECT_EQ(p.range_min, range[0]) << what;
          EXPECT_EQ(p.range_max, range[1]) << what;
        } else if (kind == "MovingPathPoint") {
          EXPECT_EQ(p.kind, PathPointKind::Moving) << what;
          const Vec3 location = vec3(node, "location");
          for (std::size_t k = 0; k < 3; ++k) {
            const std::string a(1, "xyz"[k]);
            std::string coordinate = child_text(node, ("socket_" + a + "_coordinate").c_str());
            if (coordinate.empty()) coordinate = child_text(node, (a + "_coordinate").c_str());
            const xml_node holder = node.child((a + "_location").c_str());
            if (coordinate.empty()) {
              EXPECT_EQ(p.location_coordinates[k], -1) << what << " " << a;
              EXPECT_EQ(p.location_functions[k].kind(), Function::Kind::Constant) << what << " " << a;
              if (!holder) {
                EXPECT_EQ(p.location_functions[k].value(0.0), location[static_cast<Eigen::Index>(k)]) << what;
              }
            } else {
              EXPECT_EQ(coordinate_name(m, p.location_coordinates[k]), last_segment(coordinate))
                  << what << " " << a;
              ASSERT_TRUE(holder) << what << " " << a;
              expect_function(p.location_functions[k], function_element(holder), what + " " + a);
            }
            // location_m is where the point is with every coordinate at its default value.
            const int c = p.location_coordinates[k];
            const double at = c >= 0 ? m.coordinates[static_cast<std::size_t>(c)].default_value : 0.0;
            EXPECT_EQ(p.location_m[static_cast<Eigen::Index>(k)], p.location_functions[k].value(at))
                << what << " " << a;
          }
        } else {
          ADD_FAILURE() << what << ": unexpected path point kind " << kind;
        }
      }
      // Wraps in order.
      const auto wraps = objects(force.child("GeometryPath").child("PathWrapSet"));
      ASSERT_EQ(muscle.path.wraps.size(), wraps.size()) << name;
      for (std::size_t i = 0; i < wraps.size(); ++i) {
        const PathWrap& w = muscle.path.wraps[i];
        EXPECT_EQ(m.wrap_objects.at(static_cast<std::size_t>(w.wrap_object)).name,
                  child_text(wraps[i], "wrap_object"))
            << name;
        const std::string method = child_text(wraps[i], "method");
        EXPECT_EQ(w.method, method == "midpoint" ? WrapMethod::Midpoint
                            : method == "axial"  ? WrapMethod::Axial
                                                 : WrapMethod::Hybrid)
            << name;
        const auto range = numbers_of(wraps[i].child("range"));
        const double begin = range.size() == 2 ? range[0] : -1.0, end = range.size() == 2 ? range[1] : -1.0;
        EXPECT_EQ(w.range_begin, begin < 1 ? -1 : static_cast<int>(begin)) << name;
        EXPECT_EQ(w.range_end, end < 1 ? -1 : static_cast<int>(end)) << name;
      }
      // The coordinates that can change the length include those of every conditional/moving point.
      for (const auto& p : muscle.path.points) {
        std::vector<int> used;
        if (p.kind == PathPointKind::Conditional) used.push_back(p.coordinate);
        for (int c : p.location_coordinates) {
          if (c >= 0) used.push_back(c);
        }
        for (int c : used) {
          const auto& coordinate = m.coordinates[static_cast<std::size_t>(c)];
          const int independent = coordinate.is_dependent() ? coordinate.independent : c;
          EXPECT_TRUE(std::binary_search(muscle.path.spanned_coordinates.begin(),
                                         muscle.path.spanned_coordinates.end(), independent))
              << name << " " << coordinate.name;
        }
      }
    } else if (tag == "CoordinateActuator") {
      const Actuator* a = find_actuator(m, name);
      ASSERT_NE(a, nullptr) << name;
      EXPECT_EQ(a->type, ActuatorType::Coordinate) << name;
      EXPECT_EQ(coordinate_name(m, a->coordinate), last_segment(child_text(force, "coordinate"))) << name;
      EXPECT_EQ(a->optimal_force, number(force, "optimal_force", 1.0)) << name;
      const auto lo = numbers_of(force.child("min_control")), hi = numbers_of(force.child("max_control"));
      if (lo.size() == 1) {
        EXPECT_EQ(a->min_control, lo[0]) << name;
      }
      if (hi.size() == 1) {
        EXPECT_EQ(a->max_control, hi[0]) << name;
      }
    }
  }
}

/// Every .osim file in the shared data (and the model the project ships).
std::vector<fs::path> all_models() {
  std::vector<fs::path> out;
  for (const auto& entry : fs::recursive_directory_iterator(test::shared_data(""))) {
    if (entry.is_regular_file() && entry.path().extension() == ".osim") out.push_back(entry.path());
  }
  out.push_back(test::project_data("models/gait2392_subject01.osim"));
  std::sort(out.begin(), out.end());
  return out;
}

#define SKIP_WITHOUT_SHARED_DATA() \
  if (!fs::exists(test::shared_data("opensim-models"))) GTEST_SKIP() << "shared data absent"

Model load(const std::string& relative, std::vector<ReadWarning>* warnings = nullptr) {
  return read_osim(test::shared_data(relative), warnings);
}

// ------------------------------------------------------------------------------------------------
// Every shared model

TEST(OsimSharedModels, EveryModelLoadsAndMatchesAnIndependentReadingOfItsXml) {
  SKIP_WITHOUT_SHARED_DATA();
  const auto files = all_models();
  EXPECT_GE(files.size(), 10u);
  std::set<std::string> names;
  for (const auto& file : files) {
    SCOPED_TRACE(file.string());
    names.insert(file.filename().string());
    std::vector<ReadWarning> warnings;
    Model m;
    try {
      m = read_osim(file, &warnings);
    } catch (const InputError& e) {
      ADD_FAILURE() << e.what();
      continue;
    }
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_file(file.c_str()));
    const xml_node model = doc.child("OpenSimDocument").child("Model");
    ASSERT_TRUE(model);
    const XmlCounts n = count_in_xml(model);
    EXPECT_EQ(static_cast<int>(m.bodies.size()), n.bodies);
    EXPECT_EQ(m.num_coordinates(), n.coordinates);
    EXPECT_EQ(static_cast<int>(m.joints.size()), n.joints);
    EXPECT_EQ(static_cast<int>(m.markers.size()), n.markers);
    EXPECT_EQ(static_cast<int>(m.muscles.size()), n.muscles);
    EXPECT_EQ(static_cast<int>(m.actuators.size()), n.actuators);
    EXPECT_EQ(static_cast<int>(m.wrap_objects.size()), n.wrap_objects);
    EXPECT_EQ(static_cast<int>(m.unused.size()), n.unused);
    int couplers = 0;
    for (const auto& c : m.coordinates) couplers += c.is_dependent() ? 1 : 0;
    EXPECT_EQ(couplers, n.couplers);
    // A tree: one joint per body other than ground, parents placed before children.
    EXPECT_EQ(m.joints.size() + 1, m.bodies.size());
    std::vector<bool> placed(m.bodies.size(), false);
    placed[0] = true;
    for (const auto& j : m.joints) {
      EXPECT_TRUE(placed[static_cast<std::size_t>(j.parent_body)]) << j.name;
      placed[static_cast<std::size_t>(j.child_body)] = true;
    }
    EXPECT_EQ(m.name, name_of(model));
    EXPECT_EQ(m.gravity, vec3(model, "gravity", Vec3(0, -9.80665, 0)));
    compare_with_xml(m, model, file.filename().string());
  }
  for (const char* expected :
       {"arm26.osim", "gait2392_thelen2003muscle.osim", "gait2392_millard2012muscle.osim",
        "Rajagopal2016.osim", "LaiUhlrich2022.osim", "LaiArnoldModified2017_contacts.osim",
        "leg6dof9musc.osim", "gait10dof18musc.osim", "FullBodyModel_Hamner2010_v2_0.osim"}) {
    EXPECT_TRUE(names.count(expected)) << expected;
  }
}

TEST(OsimSharedModels, MuscleCountsNamedInTheIssue) {
  SKIP_WITHOUT_SHARED_DATA();
  EXPECT_EQ(load("opensim-models/Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim").muscles.size(),
            92u);
  EXPECT_EQ(load("opensim-models/Models/Gait2392_Simbody/gait2392_millard2012muscle.osim").muscles.size(),
            92u);
  EXPECT_EQ(load("opensim-models/Models/Rajagopal/Rajagopal2016.osim").muscles.size(), 80u);
  EXPECT_EQ(load("opensim-models/Models/Arm26/arm26.osim").muscles.size(), 6u);
  EXPECT_EQ(read_osim(test::project_data("models/gait2392_subject01.osim")).muscles.size(), 92u);
}

// ------------------------------------------------------------------------------------------------
// Representation of real models

TEST(OsimRajagopal, JointTypesFramesAndCoordinates) {
  SKIP_WITHOUT_SHARED_DATA();
  const Model m = load("opensim-models/Models/Rajagopal/Rajagopal2016.osim");
  EXPECT_EQ(m.bodies.size(), 23u);
  EXPECT_EQ(m.num_coordinates(), 39);
  ASSERT_NE(find_joint(m, "hip_r"), nullptr);
  EXPECT_EQ(find_joint(m, "hip_r")->type, JointType::Custom);
  EXPECT_EQ(find_joint(m, "ground_pelvis")->coordinates.size(), 6u);

  // PinJoint: one rotation about the joint frame's z axis, nothing else moves.
  const Joint* ankle = find_joint(m, "ankle_r");
  ASSERT_NE(ankle, nullptr);
  EXPECT_EQ(ankle->type, JointType::Pin);
  ASSERT_EQ(ankle->coordinates.size(), 1u);
  EXPECT_EQ(coordinate_name(m, ankle->axes[0].coordinate), "ankle_angle_r");
  EXPECT_EQ(ankle->axes[0].axis, Vec3::UnitZ());
  for (std::size_t k = 1; k < 6; ++k) {
    EXPECT_EQ(ankle->axes[k].coordinate, -1);
    EXPECT_EQ(ankle->axes[k].function.value(1.0), 0.0);
  }
  EXPECT_EQ(body_name(m, ankle->parent_body), "tibia_r");
  EXPECT_EQ(body_name(m, ankle->child_body), "talus_r");
  // UniversalJoint: x then y (body-fixed).
  const Joint* wrist = find_joint(m, "radius_hand_r");
  ASSERT_NE(wrist, nullptr);
  EXPECT_EQ(wrist->type, JointType::Universal);
  EXPECT_EQ(coordinate_name(m, wrist->axes[0].coordinate), "wrist_flex_r");
  EXPECT_EQ(coordinate_name(m, wrist->axes[1].coordinate), "wrist_dev_r");
  EXPECT_EQ(wrist->axes[0].axis, Vec3::UnitX());
  EXPECT_EQ(wrist->axes[1].axis, Vec3::UnitY());
  EXPECT_EQ(wrist->axes[2].coordinate, -1);

  // Coordinates: range, default, clamped, locked and motion type.
  const auto& pelvis_ty = m.coordinates[static_cast<std::size_t>(m.coordinate_index("pelvis_ty"))];
  EXPECT_EQ(pelvis_ty.default_value, 0.94);
  EXPECT_EQ(pelvis_ty.range_min, -1.0);
  EXPECT_EQ(pelvis_ty.range_max, 2.0);
  EXPECT_EQ(pelvis_ty.motion_type, MotionType::Translational);
  const auto& knee = m.coordinates[static_cast<std::size_t>(m.coordinate_index("knee_angle_r"))];
  EXPECT_EQ(knee.range_min, 0.0);
  EXPECT_EQ(knee.range_max, 2.0944);
  EXPECT_TRUE(knee.clamped);
  EXPECT_FALSE(knee.locked);
  EXPECT_EQ(knee.motion_type, MotionType::Rotational);
  const auto& subtalar =
      m.coordinates[static_cast<std::size_t>(m.coordinate_index("/jointset/subtalar_r/subtalar_angle_r"))];
  EXPECT_EQ(subtalar.name, "subtalar_angle_r");
  EXPECT_TRUE(subtalar.locked);
  EXPECT_TRUE(subtalar.clamped);
  EXPECT_EQ(subtalar.range_min, -0.34906585);
  EXPECT_EQ(m.coordinate_index("/jointset/hip_r/subtalar_angle_r"), -1);  // wrong joint in the path
  int locked = 0;
  for (const auto& c : m.coordinates) locked += c.locked ? 1 : 0;
  EXPECT_EQ(locked, 8);
}

TEST(OsimRajagopal, PatellaIsCoupledToTheKneeAndCarriesTheVasti) {
  SKIP_WITHOUT_SHARED_DATA();
  const Model m = load("opensim-models/Models/Rajagopal/Rajagopal2016.osim");
  const int knee = m.coordinate_index("knee_angle_r");
  const int beta = m.coordinate_index("knee_angle_r_beta");
  ASSERT_GE(knee, 0);
  ASSERT_GE(beta, 0);
  const auto& b = m.coordinates[static_cast<std::size_t>(beta)];
  EXPECT_EQ(b.independent, knee);
  EXPECT_EQ(b.coupler_function.kind(), Function::Kind::Linear);
  EXPECT_EQ(b.coupler_function.coefficients(), (std::vector<double>{1.0, 0.0}));
  EXPECT_EQ(b.motion_type, MotionType::Coupled);  // only spline axes
  EXPECT_EQ(m.coordinates[static_cast<std::size_t>(m.coordinate_index("knee_angle_l_beta"))].independent,
            m.coordinate_index("knee_angle_l"));
  EXPECT_FALSE(m.coordinates[static_cast<std::size_t>(knee)].is_dependent());

  // patellofemoral_r: the TransformAxes in file order are z, y, x (body-fixed), splines of beta,
  // and a constant z translation.
  const Joint* pf = find_joint(m, "patellofemoral_r");
  ASSERT_NE(pf, nullptr);
  EXPECT_EQ(body_name(m, pf->child_body), "patella_r");
  EXPECT_EQ(pf->axes[0].axis, Vec3::UnitZ());
  EXPECT_EQ(pf->axes[1].axis, Vec3::UnitY());
  EXPECT_EQ(pf->axes[2].axis, Vec3::UnitX());
  EXPECT_EQ(pf->axes[0].coordinate, beta);
  EXPECT_EQ(pf->axes[0].function.kind(), Function::Kind::SimmSpline);
  EXPECT_EQ(pf->axes[0].function.y().front(), 0.00113686);
  EXPECT_EQ(pf->axes[3].coordinate, beta);
  EXPECT_EQ(pf->axes[5].coordinate, -1);
  EXPECT_EQ(pf->axes[5].function.value(1.0), 0.00275);
  EXPECT_EQ(pf->X_parent_F.p, Vec3(-0.00809, -0.40796, -0.00275));

  // The vasti run over the patella.
  const int vasint = m.muscle_index("vasint_r");
  ASSERT_GE(vasint, 0);
  const auto& muscle = m.muscles[static_cast<std::size_t>(vasint)];
  ASSERT_EQ(muscle.path.points.size(), 5u);
  EXPECT_EQ(body_name(m, muscle.path.points[2].body), "patella_r");
  EXPECT_EQ(muscle.path.points[2].location_m, Vec3(0.0058, 0.048, -0.0006));
  EXPECT_TRUE(std::binary_search(muscle.path.spanned_coordinates.begin(),
                                 muscle.path.spanned_coordinates.end(), knee));
  // Moving the knee moves the patella point relative to the femur through the coupler.
  Eigen::VectorXd q = Eigen::VectorXd::Zero(m.num_coordinates());
  const auto straight = body_poses(m, q);
  q[knee] = 1.0;
  const auto bent = body_poses(m, q);
  const int patella = m.body_index("patella_r"), femur = m.body_index("femur_r");
  const Vec3 p0 = straight[static_cast<std::size_t>(femur)].inverse().apply(
      straight[static_cast<std::size_t>(patella)].p);
  const Vec3 p1 =
      bent[static_cast<std::size_t>(femur)].inverse().apply(bent[static_cast<std::size_t>(patella)].p);
  EXPECT_GT((p1 - p0).norm(), 0.01);
}

TEST(OsimRajagopal, MillardParametersCurvesWrapsAndActuators) {
  SKIP_WITHOUT_SHARED_DATA();
  const Model m = load("opensim-models/Models/Rajagopal/Rajagopal2016.osim");
  const auto& addbrev = m.muscles.at(static_cast<std::size_t>(m.muscle_index("addbrev_r")));
  EXPECT_EQ(addbrev.model, MuscleModel::Millard2012Equilibrium);
  EXPECT_EQ(addbrev.max_isometric_force_N, 625.81967213114797);
  EXPECT_EQ(addbrev.optimal_fiber_length_m, 0.1031);
  EXPECT_EQ(addbrev.tendon_slack_length_m, 0.035450291324676003);
  EXPECT_EQ(addbrev.pennation_angle_at_optimal_rad, 0.11478091999999999);
  EXPECT_EQ(addbrev.max_contraction_velocity, 10.0);  // absent: OpenSim's default
  EXPECT_EQ(addbrev.parameters.at("ignore_tendon_compliance"), 1.0);
  EXPECT_EQ(addbrev.parameters.at("fiber_damping"), 0.1);
  EXPECT_EQ(addbrev.parameters.at("ActiveForceLengthCurve/min_norm_active_fiber_length"), 0.25);
  EXPECT_EQ(addbrev.parameters.at("ActiveForceLengthCurve/transition_norm_fiber_length"), 0.77);
  EXPECT_EQ(addbrev.parameters.at("ForceVelocityCurve/max_eccentric_velocity_force_multiplier"), 1.4);
  EXPECT_EQ(addbrev.parameters.at("FiberForceLengthCurve/strain_at_one_norm_force"), 0.7);
  ASSERT_EQ(addbrev.path.wraps.size(), 1u);
  EXPECT_EQ(m.wrap_objects[static_cast<std::size_t>(addbrev.path.wraps[0].wrap_object)].name,
            "AB_at_femshaft_r");
  EXPECT_EQ(addbrev.path.wraps[0].range_begin, -1);
  EXPECT_EQ(addbrev.path.wraps[0].range_end, -1);

  // A wrap restricted to path points 2..3, on a cylinder with quadrant -y.
  const auto& psoas = m.muscles.at(static_cast<std::size_t>(m.muscle_index("psoas_r")));
  ASSERT_EQ(psoas.path.wraps.size(), 1u);
  EXPECT_EQ(psoas.path.wraps[0].range_begin, 2);
  EXPECT_EQ(psoas.path.wraps[0].range_end, 3);
  EXPECT_EQ(psoas.path.wraps[0].method, WrapMethod::Hybrid);
  const WrapObject* brim = find_wrap(m, "IL_at_brim_r");
  ASSERT_NE(brim, nullptr);
  EXPECT_EQ(brim->shape, WrapShape::Cylinder);
  EXPECT_EQ(body_name(m, brim->body), "pelvis");
  EXPECT_EQ(brim->quadrant_axis, 1);
  EXPECT_EQ(brim->quadrant_sign, -1);
  expect_near(brim->X_body_wrap.R, body_xyz(Vec3(-0.32, -0.24, 0.9)), 1e-15, "IL_at_brim_r rotation");
  EXPECT_EQ(brim->X_body_wrap.p, Vec3(-0.071, -0.065, 0.0756));

  // Coordinate actuators (the PointActuator/TorqueActuator in <defaults> are templates, not actuators).
  EXPECT_EQ(m.actuators.size(), 17u);
  const Actuator* lumbar = find_actuator(m, "lumbar_ext");
  ASSERT_NE(lumbar, nullptr);
  EXPECT_EQ(lumbar->type, ActuatorType::Coordinate);
  EXPECT_EQ(coordinate_name(m, lumbar->coordinate), "lumbar_extension");
  EXPECT_EQ(lumbar->optimal_force, 10.0);
  EXPECT_EQ(lumbar->min_control, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(lumbar->max_control, std::numeric_limits<double>::infinity());
  EXPECT_EQ(find_actuator(m, "default"), nullptr);
}

TEST(OsimGait2392, ConditionalAndMovingPathPointsAndCoupledKnee) {
  SKIP_WITHOUT_SHARED_DATA();
  const Model m = load("opensim-models/Models/Gait2392_Simbody/gait2392_millard2012muscle.osim");
  EXPECT_EQ(m.bodies.size(), 13u);
  EXPECT_EQ(m.num_coordinates(), 23);
  for (const auto& c : m.coordinates) EXPECT_FALSE(c.is_dependent()) << c.name;  // no couplers in gait2392
  const int knee = m.coordinate_index("knee_angle_r");
  ASSERT_GE(knee, 0);
  // The knee's translations are splines of the knee angle inside the CustomJoint (no coupler needed).
  const Joint* knee_joint = find_joint(m, "knee_r");
  ASSERT_NE(knee_joint, nullptr);
  int spline_axes = 0;
  for (const auto& axis : knee_joint->axes) {
    if (axis.coordinate == knee && axis.function.kind() == Function::Kind::SimmSpline) ++spline_axes;
  }
  EXPECT_GE(spline_axes, 2);
  EXPECT_EQ(m.coordinates[static_cast<std::size_t>(knee)].motion_type, MotionType::Rotational);

  int conditional = 0, moving = 0;
  for (const auto& muscle : m.muscles) {
    for (const auto& p : muscle.path.points) {
      conditional += p.kind == PathPointKind::Conditional ? 1 : 0;
      moving += p.kind == PathPointKind::Moving ? 1 : 0;
    }
  }
  EXPECT_EQ(conditional, 26);
  EXPECT_EQ(moving, 8);

  const auto& semimem = m.muscles.at(static_cast<std::size_t>(m.muscle_index("semimem_r")));
  const PathPoint* p2 = find_point(semimem, "semimem_r-P2");
  ASSERT_NE(p2, nullptr);
  EXPECT_EQ(p2->kind, PathPointKind::Conditional);
  EXPECT_EQ(p2->coordinate, knee);
  EXPECT_EQ(p2->range_min, -0.558505);
  EXPECT_EQ(p2->range_max, 0.174533);
  EXPECT_EQ(p2->location_m, Vec3(-0.0348, -0.03519, -0.01891));
  EXPECT_EQ(body_name(m, p2->body), "tibia_r");

  const auto& rect_fem = m.muscles.at(static_cast<std::size_t>(m.muscle_index("rect_fem_r")));
  const PathPoint* p3 = find_point(rect_fem, "rect_fem_r-P3");
  ASSERT_NE(p3, nullptr);
  EXPECT_EQ(p3->kind, PathPointKind::Moving);
  EXPECT_EQ(body_name(m, p3->body), "tibia_r");
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(p3->location_coordinates[k], knee);
    EXPECT_EQ(p3->location_functions[k].kind(), Function::Kind::SimmSpline);
  }
  ASSERT_EQ(p3->location_functions[0].x().size(), 17u);
  EXPECT_EQ(p3->location_functions[0].y().front(), 0.0155805);
  EXPECT_EQ(p3->location_functions[1].y().back(), -0.0673774);
  // A spline through its knots.
  EXPECT_NEAR(p3->location_functions[0].value(-1.0472), 0.0365695, 1e-12);
  EXPECT_NEAR(p3->location_functions[2].value(-1.0), 0.0014, 1e-12);
  EXPECT_TRUE(std::binary_search(rect_fem.path.spanned_coordinates.begin(),
                                 rect_fem.path.spanned_coordinates.end(), knee));
}

TEST(OsimArm26, WrapObjectsQuadrantsRangesAndThelenParameters) {
  SKIP_WITHOUT_SHARED_DATA();
  const Model m = load("opensim-models/Models/Arm26/arm26.osim");
  EXPECT_EQ(m.bodies.size(), 4u);
  EXPECT_EQ(m.num_coordinates(), 2);
  ASSERT_EQ(m.wrap_objects.size(), 4u);
  struct Expected {
    const char* name;
    WrapShape shape;
    const char* body;
    int axis, sign;
    Vec3 dimensions;
  };
  const Expected expected[] = {
      {"TRIlongglen", WrapShape::Cylinder, "base", 0, 1, Vec3(0.003, 0.03, 0.0)},
      {"TRIlonghh", WrapShape::Ellipsoid, "r_humerus", 2, 1, Vec3(0.035, 0.02, 0.02)},
      {"BIClonghh", WrapShape::Ellipsoid, "r_humerus", 1, -1, Vec3(0.025, 0.02, 0.02)},
      {"TRI", WrapShape::Cylinder, "r_humerus", -1, 1, Vec3(0.016, 0.05, 0.0)},
  };
  for (const auto& e : expected) {
    const WrapObject* w = find_wrap(m, e.name);
    ASSERT_NE(w, nullptr) << e.name;
    EXPECT_EQ(w->shape, e.shape) << e.name;
    EXPECT_EQ(body_name(m, w->body), e.body) << e.name;
    EXPECT_EQ(w->quadrant_axis, e.axis) << e.name;
    if (e.axis >= 0) {
      EXPECT_EQ(w->quadrant_sign, e.sign) << e.name;
    }
    EXPECT_EQ(w->dimensions_m, e.dimensions) << e.name;
    EXPECT_TRUE(w->active) << e.name;
  }
  const WrapObject* hh = find_wrap(m, "TRIlonghh");
  expect_near(hh->X_body_wrap.R, body_xyz(Vec3(3.00162, -0.853466, 2.57419)), 1e-15, "TRIlonghh");
  EXPECT_EQ(hh->X_body_wrap.p, Vec3(-0.0078, -0.0041, -0.0014));

  const auto& trilong = m.muscles.at(static_cast<std::size_t>(m.muscle_index("TRIlong")));
  EXPECT_EQ(trilong.model, MuscleModel::Thelen2003);
  EXPECT_EQ(trilong.max_isometric_force_N, 798.52);
  EXPECT_EQ(trilong.optimal_fiber_length_m, 0.134);
  EXPECT_EQ(trilong.tendon_slack_length_m, 0.143);
  EXPECT_EQ(trilong.pennation_angle_at_optimal_rad, 0.20943951);
  EXPECT_EQ(trilong.parameters.at("FmaxTendonStrain"), 0.033);
  EXPECT_EQ(trilong.parameters.at("KshapeActive"), 0.5);
  EXPECT_EQ(trilong.parameters.at("Af"), 0.3);
  EXPECT_EQ(trilong.parameters.at("deactivation_time_constant"), 0.04);
  ASSERT_EQ(trilong.path.wraps.size(), 3u);
  EXPECT_EQ(m.wrap_objects[static_cast<std::size_t>(trilong.path.wraps[0].wrap_object)].name, "TRI");
  EXPECT_EQ(m.wrap_objects[static_cast<std::size_t>(trilong.path.wraps[2].wrap_object)].name, "TRIlongglen");
  const auto& biclong = m.muscles.at(static_cast<std::size_t>(m.muscle_index("BIClong")));
  ASSERT_EQ(biclong.path.wraps.size(), 1u);
  EXPECT_EQ(biclong.path.wraps[0].range_begin, 2);
  EXPECT_EQ(biclong.path.wraps[0].range_end, 3);

  // WeldJoint "offset": ground to base, no coordinates, nothing moves.
  const Joint* weld = find_joint(m, "offset");
  ASSERT_NE(weld, nullptr);
  EXPECT_EQ(weld->type, JointType::Weld);
  EXPECT_TRUE(weld->coordinates.empty());
  for (const auto& axis : weld->axes) {
    EXPECT_EQ(axis.coordinate, -1);
    EXPECT_EQ(axis.function.value(0.7), 0.0);
  }
}

TEST(OsimLeg6Dof9Musc, PatellaCouplerAndWeldJoints) {
  SKIP_WITHOUT_SHARED_DATA();
  const Model m = load("opensim-models/Models/Leg6Dof9Musc/leg6dof9musc.osim");
  const auto& pat = m.coordinates.at(static_cast<std::size_t>(m.coordinate_index("knee_angle_pat_r")));
  EXPECT_EQ(pat.independent, m.coordinate_index("knee_angle_r"));
  EXPECT_EQ(pat.coupler_function.value(-0.5), -0.5);
  EXPECT_EQ(find_joint(m, "subtalar_r")->type, JointType::Weld);
  EXPECT_EQ(find_joint(m, "mtp_r")->type, JointType::Weld);
  const auto& hip = m.coordinates.at(static_cast<std::size_t>(m.coordinate_index("hip_flexion_r")));
  EXPECT_TRUE(hip.clamped);
  EXPECT_EQ(hip.default_value, -0.17539924);
}

TEST(OsimContacts, UnusedComponentsAreWarnedWithNameAndLine) {
  SKIP_WITHOUT_SHARED_DATA();
  const fs::path file = test::shared_data("opencap/Moco/models/LaiArnoldModified2017_contacts.osim");
  std::vector<ReadWarning> warnings;
  const Model m = read_osim(file, &warnings);
  const std::string text = read_text(file);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_buffer(text.data(), text.size()));
  const xml_node model = doc.child("OpenSimDocument").child("Model");
  std::vector<xml_node> expected = objects(model.child("ContactGeometrySet"));
  for (auto force : objects(model.child("ForceSet"))) {
    if (std::string(force.name()) == "SmoothSphereHalfSpaceForce") expected.push_back(force);
  }
  ASSERT_EQ(expected.size(), 25u);  // 12 contact spheres + a half space, 12 sphere-ground forces
  ASSERT_EQ(m.unused.size(), expected.size());
  for (auto node : expected) {
    const int line = line_col(text, static_cast<std::size_t>(node.offset_debug())).first;
    const auto kept = std::find_if(m.unused.begin(), m.unused.end(), [&](const UnusedComponent& u) {
      return u.name == name_of(node) && u.type == node.name();
    });
    ASSERT_NE(kept, m.unused.end()) << name_of(node);
    EXPECT_EQ(kept->line, line) << name_of(node);
    const auto warned = std::find_if(warnings.begin(), warnings.end(), [&](const ReadWarning& w) {
      return w.line == line && contains(w.message, name_of(node)) && contains(w.message, node.name());
    });
    EXPECT_NE(warned, warnings.end()) << name_of(node) << " at line " << line;
  }
  // The muscles are all there despite the contact model.
  EXPECT_EQ(m.muscles.size(), 80u);
  EXPECT_EQ(m.actuators.size(), 13u);
}

// ------------------------------------------------------------------------------------------------
// The synthetic 3.x and 4.x documents

TEST(OsimLegacyLayout, V3AndV4FilesGiveTheSameModel) {
  std::vector<ReadWarning> w3, w4;
  const Model a = read_osim(osim_test_data("leg_v3.osim"), &w3);
  const Model b = read_osim(osim_test_data("leg_v4.osim"), &w4);
  pugi::xml_document d3, d4;
  ASSERT_TRUE(d3.load_file(osim_test_data("leg_v3.osim").c_str()));
  ASSERT_TRUE(d4.load_file(osim_test_data("leg_v4.osim").c_str()));
  compare_with_xml(a, d3.child("OpenSimDocument").child("Model"), "leg_v3");
  compare_with_xml(b, d4.child("OpenSimDocument").child("Model"), "leg_v4");

  ASSERT_EQ(a.bodies.size(), 4u);
  ASSERT_EQ(a.bodies.size(), b.bodies.size());
  for (std::size_t i = 0; i < a.bodies.size(); ++i) {
    EXPECT_EQ(a.bodies[i].name, b.bodies[i].name);
    EXPECT_EQ(a.bodies[i].mass_kg, b.bodies[i].mass_kg);
    EXPECT_EQ(a.bodies[i].mass_center_m, b.bodies[i].mass_center_m);
    EXPECT_EQ(a.bodies[i].inertia_kg_m2, b.bodies[i].inertia_kg_m2);
  }
  EXPECT_EQ(a.bodies[2].inertia_kg_m2, b.bodies[2].inertia_kg_m2);
  EXPECT_EQ(a.bodies[1].inertia_kg_m2(1, 2), 0.003);
  ASSERT_EQ(a.num_coordinates(), 5);
  ASSERT_EQ(a.num_coordinates(), b.num_coordinates());
  for (std::size_t i = 0; i < a.coordinates.size(); ++i) {
    const auto &x = a.coordinates[i], &y = b.coordinates[i];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.joint, y.joint);
    EXPECT_EQ(x.motion_type, y.motion_type) << x.name;
    EXPECT_EQ(x.default_value, y.default_value) << x.name;
    EXPECT_EQ(x.default_speed, y.default_speed) << x.name;
    EXPECT_EQ(x.range_min, y.range_min) << x.name;
    EXPECT_EQ(x.range_max, y.range_max) << x.name;
    EXPECT_EQ(x.clamped, y.clamped) << x.name;
  }
  EXPECT_EQ(a.coordinates[static_cast<std::size_t>(a.coordinate_index("pelvis_tx"))].motion_type,
            MotionType::Translational);
  EXPECT_EQ(a.coordinates[static_cast<std::size_t>(a.coordinate_index("hip_flexion_r"))].default_speed, 0.5);
  ASSERT_EQ(a.joints.size(), b.joints.size());
  for (std::size_t j = 0; j < a.joints.size(); ++j) {
    EXPECT_EQ(a.joints[j].name, b.joints[j].name);
    EXPECT_EQ(a.joints[j].parent_body, b.joints[j].parent_body);
    EXPECT_EQ(a.joints[j].child_body, b.joints[j].child_body);
    expect_near(a.joints[j].X_parent_F, b.joints[j].X_parent_F, 1e-15, a.joints[j].name);
    expect_near(a.joints[j].X_child_M, b.joints[j].X_child_M, 1e-15, a.joints[j].name);
    for (std::size_t k = 0; k < 6; ++k) {
      EXPECT_EQ(a.joints[j].axes[k].axis, b.joints[j].axes[k].axis);
      EXPECT_EQ(a.joints[j].axes[k].coordinate, b.joints[j].axes[k].coordinate);
      for (double x : {-1.9, -0.4, 0.0, 0.15}) {
        EXPECT_EQ(a.joints[j].axes[k].function.value(x), b.joints[j].axes[k].function.value(x));
      }
    }
  }
  ASSERT_EQ(a.markers.size(), 2u);
  for (std::size_t i = 0; i < a.markers.size(); ++i) {
    EXPECT_EQ(a.markers[i].name, b.markers[i].name);
    EXPECT_EQ(a.markers[i].body, b.markers[i].body);
    EXPECT_EQ(a.markers[i].location_m, b.markers[i].location_m);
    EXPECT_EQ(a.markers[i].fixed, b.markers[i].fixed);
  }
  ASSERT_EQ(a.wrap_objects.size(), 1u);
  ASSERT_EQ(b.wrap_objects.size(), 1u);
  EXPECT_EQ(a.wrap_objects[0].body, b.wrap_objects[0].body);
  expect_near(a.wrap_objects[0].X_body_wrap, b.wrap_objects[0].X_body_wrap, 1e-15, "knee_wrap");
  EXPECT_EQ(a.wrap_objects[0].quadrant_axis, 1);
  EXPECT_EQ(b.wrap_objects[0].quadrant_sign, -1);
  ASSERT_EQ(a.muscles.size(), 1u);
  ASSERT_EQ(b.muscles.size(), 1u);
  const auto &ma = a.muscles[0], &mb = b.muscles[0];
  EXPECT_EQ(ma.max_isometric_force_N, mb.max_isometric_force_N);
  EXPECT_EQ(ma.parameters, mb.parameters);
  EXPECT_EQ(ma.path.spanned_coordinates, mb.path.spanned_coordinates);
  ASSERT_EQ(ma.path.points.size(), 3u);
  ASSERT_EQ(mb.path.points.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto &p = ma.path.points[i], &r = mb.path.points[i];
    EXPECT_EQ(p.kind, r.kind);
    EXPECT_EQ(p.body, r.body);
    EXPECT_EQ(p.location_m, r.location_m);
    EXPECT_EQ(p.coordinate, r.coordinate);
    EXPECT_EQ(p.range_min, r.range_min);
    EXPECT_EQ(p.range_max, r.range_max);
    EXPECT_EQ(p.location_coordinates, r.location_coordinates);
    for (std::size_t k = 0; k < 3; ++k) {
      for (double x : {-2.0, -1.1, 0.1})
        EXPECT_EQ(p.location_functions[k].value(x), r.location_functions[k].value(x));
    }
  }
  ASSERT_EQ(ma.path.wraps.size(), 1u);
  EXPECT_EQ(ma.path.wraps[0].method, WrapMethod::Midpoint);
  EXPECT_EQ(ma.path.wraps[0].range_begin, mb.path.wraps[0].range_begin);
  EXPECT_EQ(ma.path.wraps[0].range_end, 3);

  // Same poses everywhere, and the default pose computed by hand from the file's numbers.
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(-1.2, 0.2);
  for (int trial = 0; trial < 20; ++trial) {
    Eigen::VectorXd q(a.num_coordinates());
    for (int c = 0; c < q.size(); ++c) q[c] = u(rng);
    const auto xa = body_poses(a, q), xb = body_poses(b, q);
    for (std::size_t i = 0; i < xa.size(); ++i) expect_near(xa[i], xb[i], 1e-13, a.bodies[i].name);
  }
  const auto x = body_poses(a, default_q(a));
  const Transform pelvis{Mat3::Identity(), Vec3(0, 0.05 + 1.0, 0)};
  expect_near(x[1], pelvis, 1e-15, "pelvis at default");
  const Transform femur = pelvis * offset(Vec3(-0.07, -0.07, 0.08), Vec3(0.1, 0.2, 0.3)) *
                          Transform{rot_z(0.1), Vec3::Zero()} *
                          offset(Vec3(0, 0.02, 0), Vec3(0, 0, 0.1)).inverse();
  expect_near(x[2], femur, 1e-14, "femur at default");

  // Both layouts report the missing pelvis mesh (visual only) at its line; nothing else.
  ASSERT_EQ(w3.size(), 1u);
  ASSERT_EQ(w4.size(), 1u);
  EXPECT_TRUE(contains(w3[0].message, "pelvis.vtp"));
  EXPECT_TRUE(contains(w4[0].message, "pelvis.vtp"));
  EXPECT_EQ(w4[0].line, 11);
  EXPECT_EQ(w3[0].line, 48);
}

// ------------------------------------------------------------------------------------------------
// Features no shared model has, from small 4.x documents

std::string document(const std::string& bodies, const std::string& joints, const std::string& forces = "",
                     const std::string& more = "") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
         "<OpenSimDocument Version=\"40000\">\n"
         "<Model name=\"synthetic\">\n"
         "<Ground name=\"ground\" />\n"
         "<BodySet name=\"bodyset\"><objects>\n" +
         bodies +
         "</objects></BodySet>\n"
         "<JointSet name=\"jointset\"><objects>\n" +
         joints +
         "</objects></JointSet>\n"
         "<ForceSet name=\"forceset\"><objects>\n" +
         forces + "</objects></ForceSet>\n" + more +
         "</Model>\n"
         "</OpenSimDocument>\n";
}

std::string body(const std::string& name, const std::string& inside = "") {
  return "<Body name=\"" + name +
         "\"><mass>1</mass><mass_center>0 0 0</mass_center><inertia>0.1 0.1 0.1 0 0 0</inertia>" + inside +
         "</Body>\n";
}

/// A joint of `type` from `parent` to `child` through offset frames with the given poses.
std::string joint(const std::string& type, const std::string& name, const std::string& parent,
                  const std::string& child, const std::string& coordinates,
                  const std::string& parent_pose = "0.1 0.2 0.3</translation><orientation>0.3 -0.2 0.1",
                  const std::string& child_pose = "0 -0.1 0</translation><orientation>0 0 0.2") {
  return "<" + type + " name=\"" + name + "\"><socket_parent_frame>p_offset</socket_parent_frame>" +
         "<socket_child_frame>c_offset</socket_child_frame><coordinates>" + coordinates +
         "</coordinates><frames>" + "<PhysicalOffsetFrame name=\"p_offset\"><socket_parent>" + parent +
         "</socket_parent><translation>" + parent_pose + "</orientation></PhysicalOffsetFrame>" +
         "<PhysicalOffsetFrame name=\"c_offset\"><socket_parent>" + child + "</socket_parent><translation>" +
         child_pose + "</orientation></PhysicalOffsetFrame></frames></" + type + ">\n";
}

std::string coordinate(const std::string& name, const std::string& more = "") {
  return "<Coordinate name=\"" + name + "\">" + more + "</Coordinate>";
}

TEST(OsimSynthetic, FixedFormJointsMapToTheirSpatialTransforms) {
  const std::string xml =
      document(body("a") + body("b") + body("c") + body("d") + body("e") + body("f") + body("g"),
               joint("FreeJoint", "free", "/ground", "/bodyset/a",
                     coordinate("rx") + coordinate("ry") + coordinate("rz") + coordinate("tx") +
                         coordinate("ty") + coordinate("tz")) +
                   joint("BallJoint", "ball", "/bodyset/a", "/bodyset/b",
                         coordinate("b1") + coordinate("b2") + coordinate("b3")) +
                   joint("GimbalJoint", "gimbal", "/bodyset/b", "/bodyset/c",
                         coordinate("g1") + coordinate("g2") + coordinate("g3")) +
                   joint("SliderJoint", "slider", "/bodyset/c", "/bodyset/d",
                         coordinate("s", "<range>-0.5 0.5</range>")) +
                   joint("PlanarJoint", "planar", "/bodyset/d", "/bodyset/e",
                         coordinate("pr") + coordinate("px") + coordinate("py")) +
                   joint("PinJoint", "pin", "/bodyset/e", "/bodyset/f", "") +
                   joint("WeldJoint", "weld", "/bodyset/f", "/bodyset/g", ""));
  const Model m = read_osim_string(xml, "joints.osim");
  ASSERT_EQ(m.joints.size(), 7u);
  ASSERT_EQ(m.num_coordinates(), 17);  // the pin joint's coordinate is created with OpenSim's default name
  const int pin = m.coordinate_index("pin_coord_0");
  ASSERT_GE(pin, 0);
  EXPECT_EQ(m.coordinates[static_cast<std::size_t>(pin)].range_min, -10.0);
  EXPECT_EQ(m.coordinates[static_cast<std::size_t>(m.coordinate_index("rx"))].range_max, 10.0);
  EXPECT_EQ(m.coordinates[static_cast<std::size_t>(m.coordinate_index("s"))].range_max, 0.5);

  std::mt19937 rng(3);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  Eigen::VectorXd q(m.num_coordinates());
  for (int c = 0; c < q.size(); ++c) q[c] = u(rng);
  auto at = [&](const char* name) { return q[m.coordinate_index(name)]; };
  const std::map<std::string, std::pair<JointType, Transform>> expected = {
      {"free",
       {JointType::Free, {body_xyz(Vec3(at("rx"), at("ry"), at("rz"))), Vec3(at("tx"), at("ty"), at("tz"))}}},
      {"ball", {JointType::Ball, {body_xyz(Vec3(at("b1"), at("b2"), at("b3"))), Vec3::Zero()}}},
      {"gimbal", {JointType::Gimbal, {body_xyz(Vec3(at("g1"), at("g2"), at("g3"))), Vec3::Zero()}}},
      {"slider", {JointType::Slider, {Mat3::Identity(), Vec3(at("s"), 0, 0)}}},
      {"planar", {JointType::Planar, {rot_z(at("pr")), Vec3(at("px"), at("py"), 0)}}},
      {"pin", {JointType::Pin, {rot_z(at("pin_coord_0")), Vec3::Zero()}}},
      {"weld", {JointType::Weld, {Mat3::Identity(), Vec3::Zero()}}},
  };
  const auto poses = body_poses(m, q);
  for (const auto& [name, type_and_motion] : expected) {
    const Joint* j = find_joint(m, name);
    ASSERT_NE(j, nullptr) << name;
    EXPECT_EQ(j->type, type_and_motion.first) << name;
    expect_near(joint_motion(*j, q), type_and_motion.second, 1e-14, name);
    expect_near(j->X_parent_F, offset(Vec3(0.1, 0.2, 0.3), Vec3(0.3, -0.2, 0.1)), 1e-15, name);
    expect_near(j->X_child_M, offset(Vec3(0, -0.1, 0), Vec3(0, 0, 0.2)), 1e-15, name);
    const Transform child_pose = poses[static_cast<std::size_t>(j->parent_body)] * j->X_parent_F *
                                 type_and_motion.second * j->X_child_M.inverse();
    expect_near(poses[static_cast<std::size_t>(j->child_body)], child_pose, 1e-13, name);
  }
  const auto motion = [&](const char* name) {
    return m.coordinates[static_cast<std::size_t>(m.coordinate_index(name))].motion_type;
  };
  EXPECT_EQ(motion("rz"), MotionType::Rotational);
  EXPECT_EQ(motion("tz"), MotionType::Translational);
  EXPECT_EQ(motion("s"), MotionType::Translational);
  EXPECT_EQ(motion("pr"), MotionType::Rotational);
  EXPECT_EQ(motion("py"), MotionType::Translational);
  EXPECT_TRUE(find_joint(m, "weld")->coordinates.empty());
}

TEST(OsimSynthetic, CustomJointAxesCouplersAndMotionTypes) {
  // Rotation axes in file order z, x, y with a coupled (non-unit slope) coordinate, an enforced coupler
  // through a scaled function, and a disabled coupler.
  const std::string custom =
      "<CustomJoint name=\"cj\"><socket_parent_frame>/ground</socket_parent_frame>"
      "<socket_child_frame>/bodyset/a</socket_child_frame><coordinates>" +
      coordinate("q2", "<default_value>0.2</default_value><range>-1 1</range><locked>true</locked>") +
      coordinate("q1", "<range>-2 2</range><clamped>true</clamped>") + coordinate("q3") +
      "</coordinates><SpatialTransform>"
      "<TransformAxis name=\"rotation1\"><coordinates>q1</coordinates><axis>0 0 2</axis>"
      "<LinearFunction name=\"function\"><coefficients>1 0</coefficients></LinearFunction></TransformAxis>"
      "<TransformAxis name=\"rotation2\"><coordinates>q2</coordinates><axis>1 0 0</axis>"
      "<LinearFunction name=\"function\"><coefficients>0.5 "
      "0.1</coefficients></LinearFunction></TransformAxis>"
      "<TransformAxis name=\"rotation3\"><coordinates></coordinates><axis>0 1 0</axis>"
      "<Constant name=\"function\"><value>0.25</value></Constant></TransformAxis>"
      "<TransformAxis name=\"translation1\"><coordinates>q3</coordinates><axis>1 0 0</axis>"
      "<LinearFunction name=\"function\"><coefficients>-1 0</coefficients></LinearFunction></TransformAxis>"
      "<TransformAxis name=\"translation2\"><coordinates>q1</coordinates><axis>0 1 0</axis>"
      "<PolynomialFunction name=\"function\"><coefficients>0.1 0 "
      "0.3</coefficients></PolynomialFunction></TransformAxis>"
      "<TransformAxis name=\"translation3\"><coordinates></coordinates><axis>0 0 1</axis></TransformAxis>"
      "</SpatialTransform></CustomJoint>\n";
  const std::string constraints =
      "<ConstraintSet name=\"constraintset\"><objects>"
      "<CoordinateCouplerConstraint name=\"c1\"><isEnforced>true</isEnforced>"
      "<coupled_coordinates_function><LinearFunction><coefficients>2 0.5</coefficients></LinearFunction>"
      "</coupled_coordinates_function><independent_coordinate_names>q1</independent_coordinate_names>"
      "<dependent_coordinate_name>q3</dependent_coordinate_name><scale_factor>3</scale_factor>"
      "</CoordinateCouplerConstraint>"
      "<CoordinateCouplerConstraint name=\"c2\"><isEnforced>false</isEnforced>"
      "<coupled_coordinates_function><LinearFunction><coefficients>1 0</coefficients></LinearFunction>"
      "</coupled_coordinates_function><independent_coordinate_names>q1</independent_coordinate_names>"
      "<dependent_coordinate_name>q2</dependent_coordinate_name></CoordinateCouplerConstraint>"
      "</objects></ConstraintSet>\n";
  std::vector<ReadWarning> warnings;
  const Model m = read_osim_string(document(body("a"), custom, "", constraints), "custom.osim", &warnings);
  ASSERT_EQ(m.num_coordinates(), 3);
  // Coordinates are ordered as they first appear in the SpatialTransform (q1, q2, q3).
  EXPECT_EQ(m.coordinates[0].name, "q1");
  EXPECT_EQ(m.coordinates[1].name, "q2");
  EXPECT_EQ(m.coordinates[2].name, "q3");
  EXPECT_EQ(m.coordinates[0].motion_type, MotionType::Rotational);  // pure on rotation1, polynomial elsewhere
  EXPECT_EQ(m.coordinates[1].motion_type, MotionType::Coupled);     // slope 0.5
  EXPECT_EQ(m.coordinates[2].motion_type, MotionType::Translational);  // slope -1
  EXPECT_TRUE(m.coordinates[1].locked);
  EXPECT_EQ(m.coordinates[1].default_value, 0.2);
  EXPECT_TRUE(m.coordinates[0].clamped);
  const Joint& j = m.joints[0];
  EXPECT_EQ(j.axes[0].axis, Vec3::UnitZ());  // normalised
  EXPECT_EQ(j.axes[2].function.value(5.0), 0.25);
  EXPECT_EQ(j.axes[5].coordinate, -1);
  EXPECT_EQ(j.axes[5].function.value(1.0), 0.0);  // no function: zero
  EXPECT_EQ(j.axes[4].function.kind(), Function::Kind::Polynomial);
  EXPECT_NEAR(j.axes[4].function.value(2.0), 0.1 * 4 + 0.3, 1e-15);

  // Coupler: q3 = 3 * (2 q1 + 0.5); the disabled one is ignored with a warning.
  EXPECT_EQ(m.coordinates[2].independent, 0);
  EXPECT_DOUBLE_EQ(m.coordinates[2].coupler_function.value(0.5), 3 * (2 * 0.5 + 0.5));
  EXPECT_FALSE(m.coordinates[1].is_dependent());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_TRUE(contains(warnings[0].message, "c2"));

  // The pose: rotation z(q1) x(0.5 q2 + 0.1) y(0.25), translation (-q3, 0.1 q1^2 + 0.3, 0) with q3 coupled.
  Eigen::VectorXd q(3);
  q << 0.4, -0.3, 99.0;  // q3 is overwritten by its coupler
  const double q3 = 3 * (2 * 0.4 + 0.5);
  const auto poses = body_poses(m, q);
  const Transform expected{rot_z(0.4) * rot_x(0.5 * -0.3 + 0.1) * rot_y(0.25),
                           Vec3(-q3, 0.1 * 0.16 + 0.3, 0)};
  expect_near(poses[1], expected, 1e-14, "custom joint pose");
}

TEST(OsimSynthetic, WrapSphereTorusQuadrantsAndWrapRanges) {
  const std::string wraps =
      "<WrapObjectSet><objects>"
      "<WrapSphere name=\"sphere\"><translation>0.1 0 0</translation><xyz_body_rotation>0 0.5 "
      "0</xyz_body_rotation>"
      "<quadrant>+x</quadrant><radius>0.04</radius></WrapSphere>"
      "<WrapTorus "
      "name=\"torus\"><quadrant>-Z</quadrant><inner_radius>0.01</inner_radius><outer_radius>0.05</"
      "outer_radius>"
      "<active>false</active></WrapTorus>"
      "<WrapCylinder "
      "name=\"cyl\"><quadrant>Unassigned</quadrant><radius>0.02</radius><length>0.3</length></WrapCylinder>"
      "<WrapEllipsoid name=\"ell\"><quadrant>Y</quadrant><dimensions>0.03 0.04 "
      "0.05</dimensions></WrapEllipsoid>"
      "</objects></WrapObjectSet>";
  const std::string muscle =
      "<Millard2012EquilibriumMuscle name=\"m\"><GeometryPath><PathPointSet><objects>"
      "<PathPoint name=\"p1\"><socket_parent_frame>/ground</socket_parent_frame><location>0 0.2 "
      "0</location></PathPoint>"
      "<PathPoint name=\"p2\"><socket_parent_frame>/bodyset/a</socket_parent_frame><location>0 0.1 "
      "0</location></PathPoint>"
      "<PathPoint name=\"p3\"><socket_parent_frame>/bodyset/a</socket_parent_frame><location>0 -0.2 "
      "0</location></PathPoint>"
      "</objects></PathPointSet><PathWrapSet><objects>"
      "<PathWrap><wrap_object>sphere</wrap_object><method>midpoint</method><range>0 -1</range></PathWrap>"
      "<PathWrap><wrap_object>torus</wrap_object><method>axial</method><range>2 -3</range></PathWrap>"
      "<PathWrap><wrap_object>ell</wrap_object></PathWrap>"
      "</objects></PathWrapSet></GeometryPath></Millard2012EquilibriumMuscle>\n";
  const Model m = read_osim_string(
      document(body("a", wraps), joint("PinJoint", "pin", "/ground", "/bodyset/a", coordinate("q")), muscle),
      "wraps.osim");
  ASSERT_EQ(m.wrap_objects.size(), 4u);
  const WrapObject* sphere = find_wrap(m, "sphere");
  ASSERT_NE(sphere, nullptr);
  EXPECT_EQ(sphere->shape, WrapShape::Sphere);
  EXPECT_EQ(sphere->dimensions_m.x(), 0.04);
  EXPECT_EQ(sphere->quadrant_axis, 0);
  EXPECT_EQ(sphere->quadrant_sign, 1);
  expect_near(sphere->X_body_wrap, Transform{rot_y(0.5), Vec3(0.1, 0, 0)}, 1e-15, "sphere");
  const WrapObject* torus = find_wrap(m, "torus");
  ASSERT_NE(torus, nullptr);
  EXPECT_EQ(torus->shape, WrapShape::Torus);
  EXPECT_EQ(torus->dimensions_m, Vec3(0.01, 0.05, 0.0));
  EXPECT_EQ(torus->quadrant_axis, 2);
  EXPECT_EQ(torus->quadrant_sign, -1);
  EXPECT_FALSE(torus->active);
  EXPECT_EQ(find_wrap(m, "cyl")->quadrant_axis, -1);  // "Unassigned" is OpenSim's "all"
  EXPECT_EQ(find_wrap(m, "ell")->quadrant_axis, 1);
  EXPECT_EQ(find_wrap(m, "ell")->quadrant_sign, 1);
  EXPECT_EQ(find_wrap(m, "ell")->dimensions_m, Vec3(0.03, 0.04, 0.05));

  const auto& path = m.muscles.at(0).path;
  ASSERT_EQ(path.wraps.size(), 3u);
  EXPECT_EQ(path.wraps[0].method, WrapMethod::Midpoint);
  EXPECT_EQ(path.wraps[0].range_begin, -1);  // below 1: open, as OpenSim reads it
  EXPECT_EQ(path.wraps[0].range_end, -1);
  EXPECT_EQ(path.wraps[1].method, WrapMethod::Axial);
  EXPECT_EQ(path.wraps[1].range_begin, 2);
  EXPECT_EQ(path.wraps[1].range_end, -1);
  EXPECT_EQ(path.wraps[2].method, WrapMethod::Hybrid);
  EXPECT_EQ(path.wraps[2].range_begin, -1);
  EXPECT_EQ(path.spanned_coordinates, std::vector<int>{0});
}

TEST(OsimSynthetic, DeGrooteMuscleDefaultsAndActuators) {
  const std::string path =
      "<GeometryPath><PathPointSet><objects>"
      "<PathPoint name=\"p1\"><socket_parent_frame>/ground</socket_parent_frame><location>0 0.2 "
      "0</location></PathPoint>"
      "<PathPoint name=\"p2\"><socket_parent_frame>/bodyset/a</socket_parent_frame><location>0 0.1 "
      "0</location></PathPoint>"
      "</objects></PathPointSet></GeometryPath>";
  const std::string forces =
      "<DeGrooteFregly2016Muscle name=\"dg\">" + path +
      "<appliesForce>false</appliesForce><max_isometric_force>1500</max_isometric_force>"
      "<optimal_fiber_length>0.09</optimal_fiber_length><tendon_slack_length>0.25</tendon_slack_length>"
      "<pennation_angle_at_optimal>0.1</pennation_angle_at_optimal><max_contraction_velocity>12</"
      "max_contraction_velocity>"
      "<tendon_strain_at_one_norm_force>0.049</tendon_strain_at_one_norm_force>"
      "<active_force_width_scale>1.5</active_force_width_scale><ignore_passive_fiber_force>true</"
      "ignore_passive_fiber_force>"
      "<tendon_compliance_dynamics_mode>implicit</tendon_compliance_dynamics_mode>"
      "<min_control>0.01</min_control><max_control>Inf</max_control></DeGrooteFregly2016Muscle>\n"
      "<Thelen2003Muscle name=\"bare\">" +
      path +
      "</Thelen2003Muscle>\n"
      "<PointActuator name=\"push\"><body>a</body><point>0.1 0.2 "
      "0.3</point><point_is_global>true</point_is_global>"
      "<direction>0 1 "
      "0</direction><force_is_global>true</force_is_global><optimal_force>50</optimal_force></"
      "PointActuator>\n"
      "<TorqueActuator "
      "name=\"twist\"><bodyA>ground</bodyA><bodyB>a</bodyB><torque_is_global>false</torque_is_global>"
      "<optimal_force>20</optimal_force><min_control>-1</min_control><max_control>1</max_control></"
      "TorqueActuator>\n"
      "<CoordinateActuator "
      "name=\"drive\"><coordinate>/jointset/pin/q</coordinate><appliesForce>false</appliesForce>"
      "</CoordinateActuator>\n";
  const Model m = read_osim_string(
      document(body("a"), joint("PinJoint", "pin", "/ground", "/bodyset/a", coordinate("q")), forces),
      "forces.osim");
  ASSERT_EQ(m.muscles.size(), 2u);
  const Muscle& dg = m.muscles[0];
  EXPECT_EQ(dg.model, MuscleModel::DeGrooteFregly2016);
  EXPECT_FALSE(dg.applies_force);
  EXPECT_EQ(dg.max_isometric_force_N, 1500.0);
  EXPECT_EQ(dg.optimal_fiber_length_m, 0.09);
  EXPECT_EQ(dg.tendon_slack_length_m, 0.25);
  EXPECT_EQ(dg.pennation_angle_at_optimal_rad, 0.1);
  EXPECT_EQ(dg.max_contraction_velocity, 12.0);
  EXPECT_EQ(dg.parameters.at("tendon_strain_at_one_norm_force"), 0.049);
  EXPECT_EQ(dg.parameters.at("active_force_width_scale"), 1.5);
  EXPECT_EQ(dg.parameters.at("ignore_passive_fiber_force"), 1.0);
  EXPECT_EQ(dg.parameters.at("min_control"), 0.01);
  EXPECT_EQ(dg.parameters.at("max_control"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(dg.parameters.count("tendon_compliance_dynamics_mode"), 0u);  // text, not a number
  // Absent properties take OpenSim's Muscle defaults.
  const Muscle& bare = m.muscles[1];
  EXPECT_EQ(bare.model, MuscleModel::Thelen2003);
  EXPECT_TRUE(bare.applies_force);
  EXPECT_EQ(bare.max_isometric_force_N, 1000.0);
  EXPECT_EQ(bare.optimal_fiber_length_m, 0.1);
  EXPECT_EQ(bare.tendon_slack_length_m, 0.2);
  EXPECT_EQ(bare.pennation_angle_at_optimal_rad, 0.0);
  EXPECT_EQ(bare.max_contraction_velocity, 10.0);

  ASSERT_EQ(m.actuators.size(), 3u);
  const Actuator* push = find_actuator(m, "push");
  ASSERT_NE(push, nullptr);
  EXPECT_EQ(push->type, ActuatorType::Point);
  EXPECT_EQ(body_name(m, push->body), "a");
  EXPECT_EQ(push->point_m, Vec3(0.1, 0.2, 0.3));
  EXPECT_TRUE(push->point_is_global);
  EXPECT_EQ(push->direction, Vec3::UnitY());
  EXPECT_TRUE(push->direction_is_global);
  EXPECT_EQ(push->optimal_force, 50.0);
  const Actuator* twist = find_actuator(m, "twist");
  ASSERT_NE(twist, nullptr);
  EXPECT_EQ(twist->type, ActuatorType::Torque);
  EXPECT_EQ(twist->body, 0);
  EXPECT_EQ(body_name(m, twist->body_b), "a");
  EXPECT_EQ(twist->direction, Vec3::UnitZ());  // OpenSim's default axis
  EXPECT_FALSE(twist->direction_is_global);
  EXPECT_EQ(twist->min_control, -1.0);
  EXPECT_EQ(twist->max_control, 1.0);
  const Actuator* drive = find_actuator(m, "drive");
  ASSERT_NE(drive, nullptr);
  EXPECT_EQ(drive->coordinate, m.coordinate_index("q"));
  EXPECT_FALSE(drive->applies_force);
  EXPECT_EQ(drive->optimal_force, 1.0);
}

// ------------------------------------------------------------------------------------------------
// Errors and warnings

std::string leg_v4_text() { return read_text(osim_test_data("leg_v4.osim")); }

/// Expects `text` to fail with an InputError located at the first occurrence of `marker` (a start tag).
void expect_error_at(const std::string& text, const std::string& marker,
                     const std::vector<std::string>& message_parts) {
  SCOPED_TRACE(marker);
  const auto dir = test::temp_dir("osim_error");
  const fs::path file = write_file(dir, "bad.osim", text);
  const InputError e = expect_input_error([&] { read_osim(file); });
  const auto at = text.find(marker);
  ASSERT_NE(at, std::string::npos);
  const auto [line, column] = line_col(text, at);
  EXPECT_EQ(e.file(), file);
  EXPECT_EQ(e.line(), line) << e.what();
  EXPECT_EQ(e.column(), column) << e.what();
  EXPECT_TRUE(std::string(e.what()).starts_with(file.string() + ":" + std::to_string(line) + ":" +
                                                std::to_string(column) + ": "))
      << e.what();
  for (const auto& part : message_parts)
    EXPECT_TRUE(contains(e.message(), part)) << e.message() << " lacks " << part;
}

TEST(OsimErrors, MalformedXmlNamesFileLineAndColumn) {
  const std::string text = leg_v4_text();
  // An element left open: the parser stops at the next mismatched end tag.
  const std::string broken =
      replace_once(text, "<inertia>0.04 0.004 0.04 0 0 0</inertia>", "<inertia>0.04 0.004 0.04 0 0 0");
  const auto dir = test::temp_dir("osim_malformed");
  const fs::path file = write_file(dir, "broken.osim", broken);
  const InputError e = expect_input_error([&] { read_osim(file); });
  const auto at = broken.find("</Body>", broken.find("<inertia>0.04 0.004"));
  const auto [line, column] = line_col(broken, at);
  EXPECT_EQ(e.file(), file);
  EXPECT_EQ(e.line(), line) << e.what();
  EXPECT_EQ(e.column(), column + 2) << e.what();  // pugixml stops at the name of the mismatched end tag
  EXPECT_TRUE(contains(e.message(), "malformed XML")) << e.what();
  EXPECT_TRUE(std::string(e.what()).starts_with(file.string() + ":" + std::to_string(line) + ":"))
      << e.what();

  // A broken attribute.
  const std::string attribute = replace_once(text, "<Marker name=\"RKNE\">", "<Marker name=RKNE>");
  const InputError a = expect_input_error([&] { read_osim_string(attribute, "attr.osim"); });
  EXPECT_EQ(a.line(), line_col(attribute, attribute.find("<Marker name=RKNE")).first);
  EXPECT_GT(a.column(), 0);
  EXPECT_TRUE(contains(a.message(), "malformed XML"));

  // Not a model at all, an empty file, a missing file.
  const InputError root = expect_input_error([&] { read_osim_string("<html>\n</html>\n", "page.osim"); });
  EXPECT_EQ(root.line(), 1);
  EXPECT_TRUE(contains(root.message(), "OpenSimDocument"));
  const InputError empty = expect_input_error([&] { read_osim(write_file(dir, "empty.osim", " \n")); });
  EXPECT_TRUE(contains(empty.message(), "empty"));
  const InputError missing = expect_input_error([&] { read_osim(dir / "absent.osim"); });
  EXPECT_TRUE(contains(missing.what(), "absent.osim"));
  EXPECT_TRUE(contains(missing.message(), "not found"));
}

TEST(OsimErrors, UnknownComponentsFailNamingTheComponentAndLine) {
  const std::string text = leg_v4_text();
  const std::string ligament =
      "<Blankevoort1991Ligament name=\"ACL\"><slack_length>0.03</slack_length></Blankevoort1991Ligament>\n   "
      "     ";
  expect_error_at(
      replace_once(text, "<Thelen2003Muscle name=\"vas_r\">", ligament + "<Thelen2003Muscle name=\"vas_r\">"),
      "<Blankevoort1991Ligament", {"Blankevoort1991Ligament", "ACL", "unsupported"});
  // An unknown joint type, constraint, wrap object, path point kind and function.
  std::string joint_text = text;
  joint_text.replace(text.find("</CustomJoint>", text.find("<CustomJoint name=\"knee_r\">")), 14,
                     "</ScapulothoracicJoint>");
  expect_error_at(
      replace_once(joint_text, "<CustomJoint name=\"knee_r\">", "<ScapulothoracicJoint name=\"knee_r\">"),
      "<ScapulothoracicJoint", {"ScapulothoracicJoint", "knee_r"});
  expect_error_at(
      replace_once(text, "<ForceSet name=\"forceset\">",
                   "<ConstraintSet><objects><PointOnLineConstraint name=\"pol\"/></objects></ConstraintSet>\n"
                   "    <ForceSet name=\"forceset\">"),
      "<PointOnLineConstraint", {"PointOnLineConstraint", "pol"});
  expect_error_at(replace_once(text, "<WrapCylinder name=\"knee_wrap\">",
                               "<WrapDoubleCylinderObst name=\"obst\"/><WrapCylinder name=\"knee_wrap\">"),
                  "<WrapDoubleCylinderObst", {"WrapDoubleCylinderObst", "obst"});
  expect_error_at(replace_once(text, "<PathPoint name=\"vas_r-P1\">",
                               "<ViaPoint name=\"v\"/><PathPoint name=\"vas_r-P1\">"),
                  "<ViaPoint", {"ViaPoint"});
  expect_error_at(
      replace_once(replace_once(text, "<MultiplierFunction name=\"function\">", "<Sine name=\"function\">"),
                   "</MultiplierFunction>", "</Sine>"),
      "<Sine", {"Sine", "function"});
  // A dangling reference names the missing thing.
  expect_error_at(replace_once(text, "<socket_coordinate>/jointset/knee_r/knee_angle_r</socket_coordinate>",
                               "<socket_coordinate>/jointset/knee_r/knee_angle_x</socket_coordinate>"),
                  "<socket_coordinate>/jointset/knee_r/knee_angle_x", {"dangling", "knee_angle_x"});
  expect_error_at(
      replace_once(text, "<wrap_object>knee_wrap</wrap_object>", "<wrap_object>nowhere</wrap_object>"),
      "<wrap_object>nowhere", {"nowhere"});
}

TEST(OsimErrors, AbsurdValuesAreRejectedWithTheirLine) {
  const std::string text = leg_v4_text();
  struct Case {
    std::string from, to;
    std::vector<std::string> message;
  };
  const std::vector<Case> cases = {
      {"<mass>7</mass>", "<mass>-7</mass>", {"femur_r", "negative mass -7", "expected"}},
      {"<mass>3</mass>", "<mass>inf</mass>", {"<mass>", "finite"}},
      {"<mass>10</mass>", "<mass>heavy</mass>", {"<mass>", "heavy"}},
      {"<inertia>0.04 0.004 0.04 0 0 0</inertia>",
       "<inertia>0.04 -0.004 0.04 0 0 0</inertia>",
       {"tibia_r", "inertia"}},
      {"<inertia>0.1 0.03 0.1 0 0 0</inertia>", "<inertia>0.1 0.03 0.1 0 0</inertia>", {"6 numbers"}},
      {"<location>0 -0.4 0.05</location>",
       "<location>0 NaN 0.05</location>",
       {"<location>", "finite", "NaN"}},
      {"<location>0.01 -0.05 0.07</location>",
       "<location>0.01 nan 0.07</location>",
       {"<location>", "finite"}},
      {"<mass_center>0 -0.19 0</mass_center>", "<mass_center>0 -0.19</mass_center>", {"3 numbers"}},
      {"<range>-0.7 2.1</range>",
       "<range>2.1 -0.7</range>",
       {"hip_flexion_r", "min 2.1 > max -0.7", "expected"}},
      {"<default_value>1</default_value>",
       "<default_value>nan</default_value>",
       {"<default_value>", "finite"}},
      {"<radius>0.03</radius>", "<radius>-0.03</radius>", {"knee_wrap", "radius", "expected"}},
      {"<max_isometric_force>1294</max_isometric_force>",
       "<max_isometric_force>-1294</max_isometric_force>",
       {"vas_r", "max_isometric_force", "non-negative"}},
      {"<optimal_fiber_length>0.084</optimal_fiber_length>",
       "<optimal_fiber_length>0</optimal_fiber_length>",
       {"vas_r", "optimal_fiber_length", "positive"}},
      {"<pennation_angle_at_optimal>0.0873</pennation_angle_at_optimal>",
       "<pennation_angle_at_optimal>1.6</pennation_angle_at_optimal>",
       {"pennation", "[0, pi/2)"}},
      {"<range>-2.0944 -1.2</range>", "<range>-1.2 -2.0944</range>", {"vas_r-P2", "min -1.2 > max -2.0944"}},
      {"<range>2 3</range>", "<range>2 4</range>", {"range 4", "3 points"}},
      {"<range>2 3</range>", "<range>1.5 3</range>", {"integer"}},
      {"<quadrant>-y</quadrant>", "<quadrant>sideways</quadrant>", {"quadrant", "sideways"}},
      {"<method>midpoint</method>", "<method>fastest</method>", {"fastest", "hybrid, midpoint or axial"}},
      {"<clamped>true</clamped>", "<clamped>perhaps</clamped>", {"true or false", "perhaps"}},
      {"<x>-2 0 0.2</x>", "<x>-2 0.2 0</x>", {"increasing"}},
  };
  for (const auto& c : cases) expect_error_at(replace_once(text, c.from, c.to), c.to, c.message);
}

TEST(OsimWarnings, MissingMeshesOnlyWarnAndPresentOnesDoNot) {
  const std::string text = leg_v4_text();
  const auto dir = test::temp_dir("osim_mesh");
  std::vector<ReadWarning> warnings;
  const Model m = read_osim(write_file(dir, "leg.osim", text), &warnings);
  EXPECT_EQ(m.bodies.size(), 4u);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].line, line_col(text, text.find("<mesh_file>pelvis.vtp")).first);
  EXPECT_TRUE(contains(warnings[0].message, "pelvis.vtp"));
  EXPECT_TRUE(contains(warnings[0].message, "visual"));
  // With the mesh in Geometry/ next to the model, there is nothing to say.
  fs::create_directories(dir / "Geometry");
  write_file(dir / "Geometry", "pelvis.vtp", "mesh");
  warnings.clear();
  read_osim(dir / "leg.osim", &warnings);
  EXPECT_TRUE(warnings.empty());
  // An in-memory document has no folder to look in and does not warn.
  warnings.clear();
  read_osim_string(text, "memory.osim", &warnings);
  EXPECT_TRUE(warnings.empty());
}

TEST(OsimWarnings, KnownButUnusedComponentsAreKeptAndWarned) {
  const std::string text = leg_v4_text();
  const std::string forces =
      "<SmoothSphereHalfSpaceForce "
      "name=\"contact_heel\"><stiffness>1e6</stiffness></SmoothSphereHalfSpaceForce>\n"
      "        <HuntCrossleyForce name=\"hc\"/>\n        <Thelen2003Muscle name=\"vas_r\">";
  const std::string sets =
      "<ContactGeometrySet><objects>\n"
      "      <ContactSphere "
      "name=\"heel\"><socket_frame>/bodyset/tibia_r</socket_frame><radius>0.03</radius></ContactSphere>\n"
      "      <ContactHalfSpace name=\"floor\"><socket_frame>/ground</socket_frame></ContactHalfSpace>\n"
      "    </objects></ContactGeometrySet>\n"
      "    <ControllerSet><objects>\n      <PrescribedController name=\"pc\"/>\n    "
      "</objects></ControllerSet>\n"
      "    <ProbeSet><objects>\n      <JointInternalPowerProbe name=\"power\"/>\n    </objects></ProbeSet>\n"
      "    <MarkerSet name=\"markerset\">";
  std::string modified = replace_once(text, "<Thelen2003Muscle name=\"vas_r\">", forces);
  modified = replace_once(modified, "<MarkerSet name=\"markerset\">", sets);
  std::vector<ReadWarning> warnings;
  const Model m = read_osim_string(modified, "contact.osim", &warnings);
  EXPECT_EQ(m.muscles.size(), 1u);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"SmoothSphereHalfSpaceForce", "contact_heel"},
      {"HuntCrossleyForce", "hc"},
      {"ContactSphere", "heel"},
      {"ContactHalfSpace", "floor"},
      {"PrescribedController", "pc"},
      {"JointInternalPowerProbe", "power"}};
  ASSERT_EQ(m.unused.size(), expected.size());
  ASSERT_EQ(warnings.size(), expected.size());
  for (const auto& [type, name] : expected) {
    const int line = line_col(modified, modified.find("<" + type + " name=\"" + name + "\"")).first;
    const auto kept = std::find_if(m.unused.begin(), m.unused.end(), [&](const UnusedComponent& u) {
      return u.type == type && u.name == name;
    });
    ASSERT_NE(kept, m.unused.end()) << type;
    EXPECT_EQ(kept->line, line) << type;
    const auto warned = std::find_if(warnings.begin(), warnings.end(), [&](const ReadWarning& w) {
      return w.line == line && contains(w.message, type) && contains(w.message, name);
    });
    EXPECT_NE(warned, warnings.end()) << type << " " << name << " line " << line;
  }
}

TEST(OsimWarnings, ModelLevelUnknownsWarnOrFail) {
  const std::string text = leg_v4_text();
  // An unknown plain property of the model is reported and ignored.
  const std::string property =
      replace_once(text, "<length_units>meters</length_units>",
                   "<length_units>meters</length_units>\n    <assembly_hint>7</assembly_hint>");
  std::vector<ReadWarning> warnings;
  read_osim_string(property, "property.osim", &warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].line, line_col(property, property.find("<assembly_hint>")).first);
  EXPECT_TRUE(contains(warnings[0].message, "assembly_hint"));
  // An unknown named component at model level is not: glutelab would silently lose it.
  expect_error_at(replace_once(text, "<length_units>meters</length_units>",
                               "<length_units>meters</length_units>\n    <ExternalLoads name=\"grf\"/>"),
                  "<ExternalLoads", {"ExternalLoads", "grf"});
  // Length units other than metres are refused.
  expect_error_at(
      replace_once(text, "<length_units>meters</length_units>", "<length_units>millimeters</length_units>"),
      "<length_units>", {"millimeters", "meters"});
}

}  // namespace
}  // namespace glutelab
