// Writer for OpenSim .osim models: the source document patched in place (see osim_writer.hpp).
#include "glutelab/io/osim_writer.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <functional>
#include <optional>
#include <unordered_map>
#include <vector>

#include <pugixml.hpp>

#include "glutelab/io/input_error.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "glutelab/io/osim_xml.hpp"
#include "glutelab/io/storage.hpp"
#include "glutelab/model/names.hpp"

namespace glutelab {
namespace {

using pugi::xml_node;

constexpr std::size_t kMaxModelBytes = 512ull * 1024ull * 1024ull;

bool is(xml_node node, const char* tag) { return std::strcmp(node.name(), tag) == 0; }

bool is_function_tag(std::string_view tag) {
  for (const char* t :
       {"Constant", "LinearFunction", "SimmSpline", "NaturalCubicSpline", "PiecewiseLinearFunction",
        "MultiplierFunction", "PolynomialFunction", "GCVSpline", "StepFunction", "PiecewiseConstantFunction",
        "Sine", "FunctionAdapter", "MultivariatePolynomialFunction"})
    if (tag == t) return true;
  return false;
}

std::vector<xml_node> objects_of(xml_node set) {
  std::vector<xml_node> out;
  for (xml_node child : set.child("objects").children())
    if (child.type() == pugi::node_element) out.push_back(child);
  return out;
}

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string join(const std::vector<double>& values) {
  std::string out;
  for (double v : values) {
    if (!out.empty()) out += ' ';
    out += osim::format_number(v);
  }
  return out;
}

std::vector<double> vec(const Vec3& v) { return {v[0], v[1], v[2]}; }

/// The source text with a list of non-overlapping replacements, located through pugixml's node offsets.
class Patcher {
 public:
  Patcher(const std::string& text, std::string name) : text_(text), name_(std::move(name)), lines_(text) {}

  [[noreturn]] void fail(xml_node node, const std::string& message) const {
    const auto [line, column] = node ? lines_.locate(open_of(node)) : std::pair<int, int>{0, 0};
    throw InputError(name_, line, column, message);
  }

  /// Offset of an element's '<'.
  std::size_t open_of(xml_node node) const {
    const std::ptrdiff_t offset = node.offset_debug();
    const std::size_t length = std::strlen(node.name());
    if (offset < 1 || static_cast<std::size_t>(offset) + length > text_.size() || text_[offset - 1] != '<' ||
        text_.compare(static_cast<std::size_t>(offset), length, node.name()) != 0)
      throw InputError(name_, "cannot locate <" + std::string(node.name()) + "> in the document text");
    return static_cast<std::size_t>(offset - 1);
  }
  /// Offset of the '>' that ends the start tag opening at `open`.
  std::size_t start_tag_close(std::size_t open) const {
    char quote = 0;
    for (std::size_t i = open + 1; i < text_.size(); ++i) {
      const char c = text_[i];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        return i;
      }
    }
    throw InputError(name_, "unterminated start tag");
  }
  bool self_closing(xml_node node) const { return text_[start_tag_close(open_of(node)) - 1] == '/'; }
  /// One past the element's last character (its end tag's '>').
  std::size_t end_of(xml_node node) const {
    int depth = 0;
    std::size_t i = open_of(node);
    while (true) {
      i = text_.find('<', i);
      if (i == std::string::npos) throw InputError(name_, "unterminated <" + std::string(node.name()) + ">");
      auto skip_to = [&](const char* terminator) {
        const std::size_t e = text_.find(terminator, i);
        if (e == std::string::npos) throw InputError(name_, "unterminated markup");
        return e + std::strlen(terminator);
      };
      if (text_.compare(i, 4, "<!--") == 0) {
        i = skip_to("-->");
      } else if (text_.compare(i, 9, "<![CDATA[") == 0) {
        i = skip_to("]]>");
      } else if (text_.compare(i, 2, "<?") == 0) {
        i = skip_to("?>");
      } else if (text_.compare(i, 2, "<!") == 0) {
        i = skip_to(">");
      } else if (text_.compare(i, 2, "</") == 0) {
        i = skip_to(">");
        if (--depth == 0) return i;
      } else {
        const std::size_t close = start_tag_close(i);
        i = close + 1;
        if (text_[close - 1] != '/') {
          ++depth;
        } else if (depth == 0) {
          return i;
        }
      }
    }
  }
  /// Leading whitespace of the line an offset is on, when only whitespace precedes it there.
  std::string indent_before(std::size_t offset) const {
    std::size_t b = offset;
    while (b > 0 && (text_[b - 1] == ' ' || text_[b - 1] == '\t')) --b;
    if (b > 0 && text_[b - 1] != '\n') return {};
    return text_.substr(b, offset - b);
  }
  /// Start of the whitespace that ends just before `offset`.
  std::size_t space_before(std::size_t offset) const {
    while (offset > 0 && std::isspace(static_cast<unsigned char>(text_[offset - 1]))) --offset;
    return offset;
  }
  std::string element_text(xml_node node) const {
    const std::size_t open = open_of(node);
    return text_.substr(open, end_of(node) - open);
  }

  void replace(std::size_t begin, std::size_t end, std::string with) {
    edits_.push_back({begin, end, std::move(with)});
  }

  /// Replaces the text content of a property element, keeping the whitespace around it.
  void set_text(xml_node element, const std::string& value) {
    const std::size_t open = open_of(element);
    const std::size_t close = start_tag_close(open);
    if (text_[close - 1] == '/') {
      replace(space_before(close - 1), close + 1, ">" + value + "</" + element.name() + ">");
      return;
    }
    const std::size_t end_tag = text_.rfind('<', end_of(element) - 1);
    std::size_t a = close + 1, b = end_tag;
    if (text_.substr(a, b - a).find('<') != std::string::npos)
      fail(element, "<" + std::string(element.name()) + "> holds markup where a value was expected");
    const std::size_t first = text_.find_first_not_of(" \t\r\n", a);
    if (first != std::string::npos && first < b) {
      a = first;
      b = text_.find_last_not_of(" \t\r\n", b - 1) + 1;
    }
    replace(a, b, value);
  }

  /// Adds an element (possibly several lines) as the last child of `parent`, indented like its other
  /// children; the text's later lines keep their own indentation on top of that.
  void append_child(xml_node parent, const std::string& element_text) {
    const std::size_t open = open_of(parent);
    const std::string parent_indent = indent_before(open);
    std::string child_indent = parent_indent + "\t";
    for (xml_node c : parent.children())
      if (c.type() == pugi::node_element) {
        child_indent = indent_before(open_of(c));
        break;
      }
    std::string block;
    for (char c : element_text) block += c == '\n' ? "\n" + child_indent : std::string(1, c);
    const std::size_t close = start_tag_close(open);
    if (text_[close - 1] == '/') {
      replace(space_before(close - 1), close + 1,
              ">\n" + child_indent + block + "\n" + parent_indent + "</" + parent.name() + ">");
      return;
    }
    const std::size_t end_tag = text_.rfind('<', end_of(parent) - 1);
    std::size_t line_start = end_tag;
    while (line_start > 0 && (text_[line_start - 1] == ' ' || text_[line_start - 1] == '\t')) --line_start;
    if (line_start > 0 && text_[line_start - 1] == '\n') {
      replace(line_start, line_start, child_indent + block + "\n");
    } else {
      replace(end_tag, end_tag, block);
    }
  }

  /// Removes an element with the indentation and line break around it.
  void remove(xml_node element) {
    std::size_t b = open_of(element), e = end_of(element);
    std::size_t lb = b;
    while (lb > 0 && (text_[lb - 1] == ' ' || text_[lb - 1] == '\t')) --lb;
    std::size_t le = e;
    while (le < text_.size() && (text_[le] == ' ' || text_[le] == '\t' || text_[le] == '\r')) ++le;
    if ((lb == 0 || text_[lb - 1] == '\n') && le < text_.size() && text_[le] == '\n') {
      b = lb;
      e = le + 1;
    }
    replace(b, e, "");
  }

  /// Sets an attribute's value in the start tag (adding the attribute when absent).
  void set_attribute(xml_node element, const char* attribute, const std::string& value) {
    const std::size_t open = open_of(element);
    const std::size_t close = start_tag_close(open);
    std::size_t i = open + 1 + std::strlen(element.name());
    while (i < close) {
      while (i < close && std::isspace(static_cast<unsigned char>(text_[i]))) ++i;
      const std::size_t name_begin = i;
      while (i < close && text_[i] != '=' && !std::isspace(static_cast<unsigned char>(text_[i])) &&
             text_[i] != '/')
        ++i;
      const std::string name = text_.substr(name_begin, i - name_begin);
      while (i < close && text_[i] != '"' && text_[i] != '\'') ++i;
      if (i >= close) break;
      const char quote = text_[i];
      const std::size_t value_begin = i + 1;
      const std::size_t value_end = text_.find(quote, value_begin);
      if (name == attribute) {
        replace(value_begin, value_end, escape(value));
        return;
      }
      i = value_end + 1;
    }
    const std::size_t after_name = open + 1 + std::strlen(element.name());
    replace(after_name, after_name, std::string(" ") + attribute + "=\"" + escape(value) + "\"");
  }

  std::string result() {
    std::stable_sort(edits_.begin(), edits_.end(),
                     [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
    std::string out;
    out.reserve(text_.size() + 1024);
    std::size_t at = 0;
    for (const Edit& e : edits_) {
      if (e.begin < at) throw InputError(name_, "internal error: overlapping edits of the document");
      out.append(text_, at, e.begin - at);
      out += e.text;
      at = e.end;
    }
    out.append(text_, at, std::string::npos);
    return out;
  }

 private:
  struct Edit {
    std::size_t begin, end;
    std::string text;
  };
  const std::string& text_;
  std::string name_;
  osim::LineTable lines_;
  std::vector<Edit> edits_;
};

/// The numbers of a property's text, or nullopt when it is not all numbers.
std::optional<std::vector<double>> numbers_in(xml_node element) {
  std::vector<double> out;
  for (const std::string& w : osim::split_words(osim::trimmed_text(element))) {
    double v = 0.0;
    if (!osim::parse_double(w, v)) return std::nullopt;
    out.push_back(v);
  }
  return out;
}

bool same(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i])) return false;
  return true;
}

class OsimWriter {
 public:
  OsimWriter(const Model& model, const Model& source, const std::string& text, const std::string& name,
             const OsimWriteOptions& options)
      : model_(model), source_(source), patch_(text, name), options_(options) {}

  std::string write(const pugi::xml_document& doc);

 private:
  const Model& model_;
  const Model& source_;
  Patcher patch_;
  const OsimWriteOptions& options_;
  xml_node model_node_;
  std::unordered_map<std::string, xml_node> node_at_;

  void index(xml_node element, const std::string& path);
  xml_node named(xml_node set, const std::string& name, const char* what) const;

  /// Sets property `tag` of `parent` to `values` unless its text already reads back as them; an absent
  /// property is added only when the values differ from OpenSim's default for it.
  void set_values(xml_node parent, const char* tag, const std::vector<double>& values,
                  const std::vector<double>& defaults);
  void set_bool(xml_node parent, const char* tag, bool value, bool fallback);
  /// A location function the reader keeps as written (its coordinate set): the model's multiplier goes
  /// into the document's MultiplierFunction, or wraps the document's function in one.
  void write_multiplier(xml_node holder, const Function& f, xml_node where);
  /// A constant the reader evaluated (no coordinate): the document's function is multiplied by
  /// wanted / current, both in the document's frame.
  void write_constant_ratio(xml_node holder, double wanted, double current, xml_node where);
  static xml_node function_element(xml_node holder);
  Vec3 in_frame(int frame, const Vec3& point_in_body) const;

  void write_bodies();
  void write_frames();
  void write_joints();
  void write_markers();
  void write_wrap_objects();
  void write_forces();
  void write_path(xml_node path_node, const Muscle& muscle, const Muscle& source_muscle);
  void write_geometry();
};

void OsimWriter::index(xml_node element, const std::string& path) {
  // The same component paths as the reader: a named element adds its name, an unnamed <XxxSet> with
  // <objects> its lower-case tag; other elements are transparent.
  for (xml_node child : element.children()) {
    if (child.type() != pugi::node_element || is(child, "defaults") || is(child, "attached_geometry") ||
        is(child, "FrameGeometry") || is(child, "Appearance") || is(child, "VisibleObject"))
      continue;
    std::string child_path = path;
    const std::string name = child.attribute("name").value();
    const std::string tag = child.name();
    if (!name.empty()) {
      child_path = (path == "/" ? "" : path) + "/" + name;
    } else if (tag.size() > 3 && tag.compare(tag.size() - 3, 3, "Set") == 0 && child.child("objects")) {
      child_path = (path == "/" ? "" : path) + "/" + to_lower(tag);
    }
    if (child_path != path) node_at_.emplace(child_path, child);
    index(child, child_path);
  }
}

xml_node OsimWriter::named(xml_node set, const std::string& name, const char* what) const {
  for (xml_node n : objects_of(set))
    if (name == n.attribute("name").value()) return n;
  patch_.fail(set ? set : model_node_, "the document has no " + std::string(what) + " '" + name +
                                           "' of model '" + model_.name + "'; was the model read from it?");
}

void OsimWriter::set_values(xml_node parent, const char* tag, const std::vector<double>& values,
                            const std::vector<double>& defaults) {
  if (xml_node element = parent.child(tag)) {
    const auto current = numbers_in(element);
    if (!current || !same(*current, values)) patch_.set_text(element, join(values));
  } else if (!same(values, defaults)) {
    patch_.append_child(parent, "<" + std::string(tag) + ">" + join(values) + "</" + tag + ">");
  }
}

void OsimWriter::set_bool(xml_node parent, const char* tag, bool value, bool fallback) {
  const char* text = value ? "true" : "false";
  if (xml_node element = parent.child(tag)) {
    const std::string current = to_lower(osim::trimmed_text(element));
    if ((current == "true") != value) patch_.set_text(element, text);
  } else if (value != fallback) {
    patch_.append_child(parent, "<" + std::string(tag) + ">" + text + "</" + tag + ">");
  }
}

xml_node OsimWriter::function_element(xml_node holder) {
  for (xml_node child : holder.children()) {
    if (child.type() != pugi::node_element) continue;
    if (is_function_tag(child.name())) return child;
    if (is(child, "function")) return function_element(child);
  }
  return {};
}

void OsimWriter::write_multiplier(xml_node holder, const Function& f, xml_node where) {
  if (f.kind() != Function::Kind::Multiplier) return;
  const xml_node fe = function_element(holder);
  if (!fe) patch_.fail(where, "<" + std::string(holder.name()) + "> has no function to scale");
  if (is(fe, "MultiplierFunction")) {
    set_values(fe, "scale", {f.scale()}, {1.0});
    return;
  }
  if (f.scale() == 1.0) return;
  // OpenSim's form: <MultiplierFunction><function>the
  // function</function><scale>s</scale></MultiplierFunction>.
  const std::string indent = patch_.indent_before(patch_.open_of(fe));
  const std::string name = fe.attribute("name").value();
  const std::string prefix = "<MultiplierFunction" +
                             (name.empty() ? std::string() : " name=\"" + escape(name) + "\"") + ">\n" +
                             indent + "\t<function>\n" + indent + "\t\t";
  const std::string suffix = "\n" + indent + "\t</function>\n" + indent + "\t<scale>" +
                             osim::format_number(f.scale()) + "</scale>\n" + indent + "</MultiplierFunction>";
  // The wrapped function moves two levels in; its lines follow.
  std::string wrapped;
  for (char c : patch_.element_text(fe)) wrapped += c == '\n' ? std::string("\n\t\t") : std::string(1, c);
  patch_.replace(patch_.open_of(fe), patch_.end_of(fe), prefix + wrapped + suffix);
}

void OsimWriter::write_constant_ratio(xml_node holder, double wanted, double current, xml_node where) {
  if (wanted == current) return;
  if (current == 0.0)
    patch_.fail(where, "cannot scale a zero-valued function of <" + std::string(holder.name()) + "> to " +
                           osim::format_number(wanted));
  const xml_node fe = function_element(holder);
  if (!fe) patch_.fail(where, "<" + std::string(holder.name()) + "> has no function to scale");
  double scale = wanted / current;
  if (is(fe, "MultiplierFunction")) {
    const auto s = numbers_in(fe.child("scale"));
    if (fe.child("scale") && s && s->size() == 1) scale *= (*s)[0];
  }
  write_multiplier(holder, Function::multiplier(Function::constant(current), scale), where);
}

Vec3 OsimWriter::in_frame(int frame, const Vec3& point_in_body) const {
  if (frame < static_cast<int>(model_.bodies.size())) return point_in_body;
  return model_.frames[static_cast<std::size_t>(frame)].X_body_frame.inverse().apply(point_in_body);
}

void OsimWriter::write_bodies() {
  const xml_node set = model_node_.child("BodySet");
  for (std::size_t b = 1; b < model_.bodies.size(); ++b) {
    const Body& body = model_.bodies[b];
    const xml_node node = named(set, body.name, "body");
    if (!is(node, "Body")) patch_.fail(node, "'" + body.name + "' is not a <Body>");
    set_values(node, "mass", {body.mass_kg}, {0.0});
    set_values(node, "mass_center", vec(body.mass_center_m), {0.0, 0.0, 0.0});
    const Mat3& I = body.inertia_kg_m2;
    if (!node.child("inertia") && node.child("inertia_xx")) {  // the separate-element form the reader accepts
      const char* tags[6] = {"inertia_xx", "inertia_yy", "inertia_zz",
                             "inertia_xy", "inertia_xz", "inertia_yz"};
      const double values[6] = {I(0, 0), I(1, 1), I(2, 2), I(0, 1), I(0, 2), I(1, 2)};
      for (int k = 0; k < 6; ++k) set_values(node, tags[k], {values[k]}, {0.0});
      continue;
    }
    set_values(node, "inertia", {I(0, 0), I(1, 1), I(2, 2), I(0, 1), I(0, 2), I(1, 2)}, {0, 0, 0, 0, 0, 0});
  }
}

void OsimWriter::write_frames() {
  for (std::size_t f = model_.bodies.size(); f < model_.frames.size(); ++f) {
    const Frame& frame = model_.frames[f];
    const auto it = node_at_.find(frame.path);
    if (it == node_at_.end() || !is(it->second, "PhysicalOffsetFrame"))
      patch_.fail(model_node_, "the document has no PhysicalOffsetFrame at '" + frame.path + "'");
    Transform X_parent_frame = frame.X_body_frame;
    if (frame.parent >= static_cast<int>(model_.bodies.size()))
      X_parent_frame =
          model_.frames[static_cast<std::size_t>(frame.parent)].X_body_frame.inverse() * frame.X_body_frame;
    set_values(it->second, "translation", vec(X_parent_frame.p), {0.0, 0.0, 0.0});
  }
}

void OsimWriter::write_joints() {
  const xml_node set = model_node_.child("JointSet");
  static const char* kAxisNames[6] = {"rotation1",    "rotation2",    "rotation3",
                                      "translation1", "translation2", "translation3"};
  for (std::size_t j = 0; j < model_.joints.size(); ++j) {
    const Joint& joint = model_.joints[j];
    if (joint.type != JointType::Custom) continue;
    const xml_node node = named(set, joint.name, "joint");
    const Joint* source_joint = nullptr;
    for (const Joint& s : source_.joints)
      if (s.name == joint.name) source_joint = &s;
    // The axes' slots as the reader assigns them: by name, else in order.
    std::array<xml_node, 6> axes{};
    int sequential = 0;
    for (xml_node a : node.child("SpatialTransform").children()) {
      if (a.type() != pugi::node_element) continue;
      int slot = sequential++;
      for (int k = 0; k < 6; ++k)
        if (std::strcmp(a.attribute("name").value(), kAxisNames[k]) == 0) slot = k;
      if (slot < 6) axes[static_cast<std::size_t>(slot)] = a;
    }
    for (std::size_t k = 3; k < 6; ++k) {
      const TransformAxis& axis = joint.axes[k];
      if (!axes[k]) continue;
      if (axis.coordinate >= 0) {
        write_multiplier(axes[k], axis.function, axes[k]);
      } else if (source_joint) {
        write_constant_ratio(axes[k], axis.function.value(0.0), source_joint->axes[k].function.value(0.0),
                             axes[k]);
      }
    }
  }
}

void OsimWriter::write_markers() {
  xml_node set = model_node_.child("MarkerSet");
  std::unordered_map<std::string, xml_node> elements;
  for (xml_node n : objects_of(set)) elements.emplace(n.attribute("name").value(), n);
  std::unordered_map<std::string, const Marker*> wanted, in_source;
  for (const Marker& m : model_.markers) wanted.emplace(m.name, &m);
  for (const Marker& m : source_.markers) in_source.emplace(m.name, &m);
  for (xml_node n : objects_of(set))
    if (!wanted.count(n.attribute("name").value())) patch_.remove(n);

  std::string appended;
  for (const Marker& m : model_.markers) {
    const int frame =
        m.frame >= 0 && model_.frames[static_cast<std::size_t>(m.frame)].body == m.body ? m.frame : m.body;
    const Vec3 location = in_frame(frame, m.location_m);
    const std::string& frame_path = model_.frames[static_cast<std::size_t>(frame)].path;
    const auto element = elements.find(m.name);
    const auto source = in_source.find(m.name);
    if (element != elements.end() && source != in_source.end()) {
      const xml_node node = element->second;
      if (source->second->frame != frame) {
        if (xml_node socket = node.child("socket_parent_frame")) {
          patch_.set_text(socket, escape(frame_path));
        } else {
          patch_.append_child(node, "<socket_parent_frame>" + escape(frame_path) + "</socket_parent_frame>");
        }
      }
      set_values(node, "location", vec(location), {0.0, 0.0, 0.0});
      set_bool(node, "fixed", m.fixed, false);
      continue;
    }
    appended += std::string(appended.empty() ? "" : "\n") + "<Marker name=\"" + escape(m.name) +
                "\">\n\t<socket_parent_frame>" + escape(frame_path) + "</socket_parent_frame>\n\t<location>" +
                join(vec(location)) + "</location>\n\t<fixed>" + (m.fixed ? "true" : "false") +
                "</fixed>\n</Marker>";
  }
  if (appended.empty()) return;
  // New markers go at the end of the MarkerSet's objects; a MarkerSet is added when there is none.
  if (!set) {
    std::string nested;
    for (char c : appended) nested += c == '\n' ? std::string("\n\t\t") : std::string(1, c);
    patch_.append_child(model_node_, "<MarkerSet name=\"markerset\">\n\t<objects>\n\t\t" + nested +
                                         "\n\t</objects>\n\t<groups />\n</MarkerSet>");
    return;
  }
  const xml_node objects = set.child("objects");
  if (!objects) patch_.fail(set, "<MarkerSet> has no <objects>");
  patch_.append_child(objects, appended);
}

void OsimWriter::write_wrap_objects() {
  std::unordered_map<std::string, xml_node> elements;
  std::function<void(xml_node)> collect = [&](xml_node element) {
    for (xml_node child : element.children()) {
      if (child.type() != pugi::node_element || is(child, "defaults")) continue;
      if (is(child, "WrapObjectSet")) {
        for (xml_node w : objects_of(child)) elements.emplace(w.attribute("name").value(), w);
        continue;
      }
      collect(child);
    }
  };
  collect(model_node_);
  for (const WrapObject& w : model_.wrap_objects) {
    const auto it = elements.find(w.name);
    if (it == elements.end())
      patch_.fail(model_node_,
                  "the document has no wrap object '" + w.name + "' of model '" + model_.name + "'");
    const xml_node node = it->second;
    Transform X = w.X_body_wrap;
    if (w.frame >= static_cast<int>(model_.bodies.size()))
      X = model_.frames[static_cast<std::size_t>(w.frame)].X_body_frame.inverse() * w.X_body_wrap;
    set_values(node, "translation", vec(X.p), {0.0, 0.0, 0.0});
    const Vec3& d = w.dimensions_m;
    switch (w.shape) {
      case WrapShape::Cylinder:
        set_values(node, "radius", {d[0]}, {});
        set_values(node, "length", {d[1]}, {});
        break;
      case WrapShape::Sphere:
        set_values(node, "radius", {d[0]}, {});
        break;
      case WrapShape::Ellipsoid:
        set_values(node, "dimensions", vec(d), {});
        break;
      case WrapShape::Torus:
        set_values(node, "inner_radius", {d[0]}, {});
        set_values(node, "outer_radius", {d[1]}, {});
        break;
    }
  }
}

void OsimWriter::write_path(xml_node path_node, const Muscle& muscle, const Muscle& source_muscle) {
  const std::vector<xml_node> points = objects_of(path_node.child("PathPointSet"));
  if (points.size() != muscle.path.points.size() || source_muscle.path.points.size() != points.size())
    patch_.fail(path_node, "muscle '" + muscle.name + "' has " + std::to_string(muscle.path.points.size()) +
                               " path points in the model but " + std::to_string(points.size()) +
                               " in the document");
  for (std::size_t i = 0; i < points.size(); ++i) {
    const PathPoint& p = muscle.path.points[i];
    const PathPoint& s = source_muscle.path.points[i];
    const xml_node node = points[i];
    if (p.frame != s.frame || p.kind != s.kind)
      patch_.fail(node, "path point " + std::to_string(i + 1) + " of muscle '" + muscle.name +
                            "' is not the document's (another frame or kind)");
    const int frame = p.frame >= 0 ? p.frame : p.body;
    if (p.kind != PathPointKind::Moving) {
      set_values(node, "location", vec(in_frame(frame, p.location_m)), {0.0, 0.0, 0.0});
      continue;
    }
    // Moving: each component a function of its coordinate, or a constant the reader shifted by the
    // offset frame's translation (zero on a body).
    const bool on_body = frame < static_cast<int>(model_.bodies.size());
    static const char* kHolders[3] = {"x_location", "y_location", "z_location"};
    for (std::size_t k = 0; k < 3; ++k) {
      const xml_node holder = node.child(kHolders[k]);
      const Function& f = p.location_functions[k];
      if (p.location_coordinates[k] >= 0 && holder) {
        write_multiplier(holder, f, node);
        continue;
      }
      const auto e = static_cast<Eigen::Index>(k);
      const double shift = on_body ? 0.0 : model_.frames[static_cast<std::size_t>(frame)].X_body_frame.p[e];
      const double source_shift =
          on_body ? 0.0 : source_.frames[static_cast<std::size_t>(frame)].X_body_frame.p[e];
      const double wanted = f.value(0.0) - shift, current = s.location_functions[k].value(0.0) - source_shift;
      if (holder) {
        write_constant_ratio(holder, wanted, current, node);
      } else if (wanted != current) {
        Vec3 location = Vec3::Zero();
        if (const auto v = numbers_in(node.child("location")); v && v->size() == 3)
          location = Vec3((*v)[0], (*v)[1], (*v)[2]);
        location[e] = wanted;
        set_values(node, "location", vec(location), {0.0, 0.0, 0.0});
      }
    }
  }
}

void OsimWriter::write_forces() {
  const xml_node set = model_node_.child("ForceSet");
  for (const Muscle& m : model_.muscles) {
    const xml_node node = named(set, m.name, "muscle");
    const int s = source_.muscle_index(m.name);
    if (s < 0) patch_.fail(node, "'" + m.name + "' is not a muscle the reader knows");
    set_values(node, "max_isometric_force", {m.max_isometric_force_N}, {1000.0});
    set_values(node, "optimal_fiber_length", {m.optimal_fiber_length_m}, {0.1});
    set_values(node, "tendon_slack_length", {m.tendon_slack_length_m}, {0.2});
    set_values(node, "pennation_angle_at_optimal", {m.pennation_angle_at_optimal_rad}, {0.0});
    set_values(node, "max_contraction_velocity", {m.max_contraction_velocity}, {10.0});
    write_path(node.child("GeometryPath"), m, source_.muscles[static_cast<std::size_t>(s)]);
  }
  for (const Actuator& a : model_.actuators) {
    if (a.type != ActuatorType::Point) continue;
    const xml_node node = named(set, a.name, "actuator");
    set_values(node, "point", vec(a.point_m), {0.0, 0.0, 0.0});
  }
}

void OsimWriter::write_geometry() {
  if (options_.geometry_scale_factors.empty()) return;
  auto scale_attached = [&](xml_node frame_node, const std::string& body) {
    const auto it = options_.geometry_scale_factors.find(body);
    if (it == options_.geometry_scale_factors.end()) return;
    for (xml_node g : frame_node.child("attached_geometry").children()) {
      if (g.type() != pugi::node_element) continue;
      Vec3 current = Vec3::Ones();
      if (const auto v = numbers_in(g.child("scale_factors")); v && v->size() == 3)
        current = Vec3((*v)[0], (*v)[1], (*v)[2]);
      set_values(g, "scale_factors", vec(current.cwiseProduct(it->second)), {1.0, 1.0, 1.0});
    }
  };
  const xml_node set = model_node_.child("BodySet");
  for (std::size_t b = 1; b < model_.bodies.size(); ++b)
    scale_attached(named(set, model_.bodies[b].name, "body"), model_.bodies[b].name);
  for (std::size_t f = model_.bodies.size(); f < model_.frames.size(); ++f) {
    const Frame& frame = model_.frames[f];
    if (frame.body == 0) continue;
    scale_attached(node_at_.at(frame.path), model_.bodies[static_cast<std::size_t>(frame.body)].name);
  }
}

std::string OsimWriter::write(const pugi::xml_document& doc) {
  const xml_node root = doc.document_element();
  if (is(root, "OpenSimDocument")) {
    const double version = root.attribute("Version").as_double(0.0);
    if (version < 40000.0)
      patch_.fail(root, "glutelab writes OpenSim 4.x documents only; this one is version " +
                            std::string(root.attribute("Version").value()) +
                            " (open and save it with OpenSim 4 first)");
    model_node_ = root.child("Model");
  } else if (is(root, "Model")) {
    model_node_ = root;
  }
  if (!model_node_) patch_.fail(root, "expected <OpenSimDocument><Model>");
  // The document must be the one the model was read from: same bodies and frames, in order.
  if (source_.bodies.size() != model_.bodies.size() || source_.frames.size() != model_.frames.size())
    patch_.fail(model_node_, "the document's bodies and frames are not those of model '" + model_.name + "'");
  for (std::size_t f = 0; f < model_.frames.size(); ++f)
    if (source_.frames[f].path != model_.frames[f].path || source_.frames[f].body != model_.frames[f].body)
      patch_.fail(model_node_, "frame '" + model_.frames[f].path + "' of model '" + model_.name +
                                   "' is not the document's '" + source_.frames[f].path + "'");
  if (model_.wrap_objects.size() != source_.wrap_objects.size() ||
      model_.joints.size() != source_.joints.size())
    patch_.fail(model_node_,
                "the document's joints and wrap objects are not those of model '" + model_.name + "'");

  index(model_node_, "/");
  if (model_.name != source_.name) patch_.set_attribute(model_node_, "name", model_.name);
  write_bodies();
  write_frames();
  write_joints();
  write_markers();
  write_wrap_objects();
  write_forces();
  write_geometry();
  return patch_.result();
}

}  // namespace

std::string osim_document_text(const Model& model, const std::string& source_text,
                               const std::string& source_name, const OsimWriteOptions& options) {
  const Model source = read_osim_string(source_text, source_name);
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed =
      doc.load_buffer(source_text.data(), source_text.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) throw InputError(source_name, std::string("not well-formed XML: ") + parsed.description());
  OsimWriter writer(model, source, source_text, source_name, options);
  return writer.write(doc);
}

void write_osim(const Model& model, const std::filesystem::path& file, const OsimWriteOptions& options) {
  const std::filesystem::path source =
      options.source.empty() ? std::filesystem::path(model.file) : options.source;
  if (source.empty())
    throw InputError(file, "model '" + model.name + "' names no source document to write from");
  const std::string text = read_text_file(source, kMaxModelBytes, "model");
  const std::string out = osim_document_text(model, text, source.string(), options);
  std::error_code ec;
  const std::filesystem::path folder = file.parent_path();
  if (!folder.empty() && !std::filesystem::is_directory(folder, ec))
    throw InputError(file, "cannot write the model: the folder " + folder.string() + " does not exist");
  write_text_atomically(file, out);
}

}  // namespace glutelab
