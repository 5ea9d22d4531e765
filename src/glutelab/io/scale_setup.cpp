#include "glutelab/io/scale_setup.hpp"

#include <algorithm>
#include <memory>
#include <set>

#include "glutelab/io/input_error.hpp"
#include "glutelab/io/osim_xml.hpp"

namespace glutelab {
namespace {

constexpr std::size_t kMaxSetupBytes = std::size_t{16} << 20;

using pugi::xml_node;

bool is_element(xml_node n) { return n.type() == pugi::node_element; }

/// Text of a path property: "" when absent, empty or "Unassigned"; Windows separators normalised.
std::string path_text(xml_node parent, const char* name) {
  std::string text = osim::XmlDocument::child_text(parent, name);
  if (text == "Unassigned") return {};
  std::replace(text.begin(), text.end(), '\\', '/');
  return text;
}

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& text) {
  if (text.empty()) return {};
  std::filesystem::path p(text);
  return p.is_relative() ? base / p : p;
}

/// An input file property that must exist when given.
std::filesystem::path input_path(const osim::XmlDocument& doc, xml_node parent, const char* name,
                                 const std::filesystem::path& base) {
  const std::filesystem::path p = resolve(base, path_text(parent, name));
  std::error_code ec;
  if (!p.empty() && !std::filesystem::exists(p, ec))
    doc.fail(parent.child(name),
             std::string("<") + name + "> names a file that does not exist: " + p.string());
  return p;
}

/// Warns about child elements of `node` that are not in `known`.
void warn_unknown(const osim::XmlDocument& doc, xml_node node, std::initializer_list<const char*> known,
                  std::vector<std::string>& warnings) {
  for (xml_node child : node.children()) {
    if (!is_element(child)) continue;
    const std::string name = child.name();
    if (std::none_of(known.begin(), known.end(), [&](const char* k) { return name == k; }))
      warnings.push_back(doc.name() + ":" + std::to_string(doc.line_of(child)) + ": <" + name + "> in <" +
                         node.name() + "> is not used by glutelab's ScaleTool");
  }
}

void read_time_range(const osim::XmlDocument& doc, xml_node parent, double& start, double& end, bool& has) {
  const xml_node range = parent.child("time_range");
  if (!range) return;
  const std::vector<double> t = doc.numbers(range, true);
  if (t.size() != 2) doc.fail(range, "<time_range> needs two numbers (start and end time in seconds)");
  if (!(t[0] <= t[1])) doc.fail(range, "<time_range> start must not be after its end");
  start = t[0];
  end = t[1];
  has = true;
}

ScaleMeasurement read_measurement(const osim::XmlDocument& doc, xml_node node) {
  ScaleMeasurement m;
  m.name = node.attribute("name").as_string();
  m.line = doc.line_of(node);
  m.apply = doc.child_bool(node, "apply", true);
  for (xml_node pair : node.child("MarkerPairSet").child("objects").children("MarkerPair")) {
    const std::vector<std::string> names = osim::split_words(osim::XmlDocument::child_text(pair, "markers"));
    if (names.size() != 2)
      doc.fail(pair, "<MarkerPair> in measurement '" + m.name + "' needs exactly two marker names");
    m.marker_pairs.push_back({names[0], names[1], doc.line_of(pair)});
  }
  for (xml_node bs : node.child("BodyScaleSet").child("objects").children("BodyScale")) {
    ScaleMeasurement::BodyScale b;
    b.body = bs.attribute("name").as_string();
    b.line = doc.line_of(bs);
    if (b.body.empty()) doc.fail(bs, "<BodyScale> in measurement '" + m.name + "' has no body name");
    b.axes = {false, false, false};
    for (const std::string& axis : osim::split_words(osim::XmlDocument::child_text(bs, "axes"))) {
      if (axis == "X" || axis == "x")
        b.axes[0] = true;
      else if (axis == "Y" || axis == "y")
        b.axes[1] = true;
      else if (axis == "Z" || axis == "z")
        b.axes[2] = true;
      else
        doc.fail(bs.child("axes"),
                 "<axes> of body '" + b.body + "' may name only X, Y and Z, found '" + axis + "'");
    }
    m.body_scales.push_back(b);
  }
  if (m.apply && m.marker_pairs.empty()) doc.fail(node, "measurement '" + m.name + "' has no marker pairs");
  if (m.apply && m.body_scales.empty()) doc.fail(node, "measurement '" + m.name + "' scales no bodies");
  return m;
}

}  // namespace

ScaleSetup read_scale_setup(const std::filesystem::path& setup_file) {
  const osim::XmlDocument doc(read_text_file(setup_file, kMaxSetupBytes, "setup file"), setup_file.string());
  const xml_node root = doc.doc().child("OpenSimDocument");
  if (!root) doc.fail(doc.doc().first_child(), "expected an <OpenSimDocument> with a <ScaleTool> inside");
  const xml_node tool = root.child("ScaleTool");
  if (!tool) doc.fail(root, "expected a <ScaleTool> inside <OpenSimDocument>");
  auto base = setup_file.parent_path();
  if (base.empty()) base = ".";

  ScaleSetup s;
  s.setup_file = setup_file;
  s.name = tool.attribute("name").as_string();
  s.mass_kg = doc.child_number(tool, "mass", -1.0);
  s.height = doc.child_number(tool, "height", -1.0);
  warn_unknown(doc, tool,
               {"mass", "height", "age", "notes", "GenericModelMaker", "ModelScaler", "MarkerPlacer",
                "print_result_files"},
               s.warnings);

  const xml_node gmm = tool.child("GenericModelMaker");
  // Not checked here: a run may replace the generic model (ScaleToolOptions::model_file).
  s.generic_model_maker.model_file = resolve(base, path_text(gmm, "model_file"));
  s.generic_model_maker.model_file_line = doc.line_of(gmm.child("model_file"));
  if (s.generic_model_maker.model_file.empty())
    doc.fail(gmm ? gmm : tool, "the setup names no <model_file> in <GenericModelMaker>");
  s.generic_model_maker.marker_set_file = input_path(doc, gmm, "marker_set_file", base);
  warn_unknown(doc, gmm, {"model_file", "marker_set_file"}, s.warnings);

  if (const xml_node ms = tool.child("ModelScaler")) {
    auto& m = s.model_scaler;
    m.line = doc.line_of(ms);
    m.apply = doc.child_bool(ms, "apply", true);
    m.scaling_order = osim::split_words(osim::XmlDocument::child_text(ms, "scaling_order"));
    for (const std::string& w : m.scaling_order)
      if (w != "measurements" && w != "manualScale")
        doc.fail(ms.child("scaling_order"),
                 "<scaling_order> may name only 'measurements' and 'manualScale', found '" + w + "'");
    xml_node set = ms.child("MeasurementSet");
    std::unique_ptr<osim::XmlDocument> measurement_doc;  // a MeasurementSet given by file="..."
    if (const std::string file = set.attribute("file").as_string(); !file.empty() && file != "Unassigned") {
      const auto p = resolve(base, file);
      measurement_doc = std::make_unique<osim::XmlDocument>(
          read_text_file(p, kMaxSetupBytes, "measurement set file"), p.string());
      set = measurement_doc->doc().child("OpenSimDocument").child("MeasurementSet");
      if (!set) set = measurement_doc->doc().child("MeasurementSet");
      if (!set) measurement_doc->fail(measurement_doc->doc().first_child(), "expected a <MeasurementSet>");
    }
    const osim::XmlDocument& mdoc = measurement_doc ? *measurement_doc : doc;
    for (xml_node node : set.child("objects").children()) {
      if (!is_element(node)) continue;
      if (std::string(node.name()) != "Measurement")
        mdoc.fail(node, "<MeasurementSet> may contain only <Measurement>, found <" +
                            std::string(node.name()) + ">");
      m.measurements.push_back(read_measurement(mdoc, node));
    }
    for (xml_node node : ms.child("ScaleSet").child("objects").children()) {
      if (!is_element(node)) continue;
      if (std::string(node.name()) != "Scale")
        doc.fail(node, "<ScaleSet> may contain only <Scale>, found <" + std::string(node.name()) + ">");
      ManualScale sc;
      sc.body = osim::XmlDocument::child_text(node, "segment");
      sc.line = doc.line_of(node);
      if (sc.body.empty()) doc.fail(node, "<Scale> names no <segment>");
      sc.factors = doc.child_vec3(node, "scales", Vec3::Ones());
      if ((sc.factors.array() <= 0.0).any())
        doc.fail(node.child("scales"), "<scales> of '" + sc.body + "' must be positive");
      sc.apply = doc.child_bool(node, "apply", true);
      m.scales.push_back(sc);
    }
    m.marker_file = input_path(doc, ms, "marker_file", base);
    read_time_range(doc, ms, m.start_s, m.end_s, m.has_time_range);
    m.preserve_mass_distribution = doc.child_bool(ms, "preserve_mass_distribution", false);
    m.output_model_file = resolve(base, path_text(ms, "output_model_file"));
    m.output_scale_file = resolve(base, path_text(ms, "output_scale_file"));
    warn_unknown(doc, ms,
                 {"apply", "scaling_order", "MeasurementSet", "ScaleSet", "marker_file", "time_range",
                  "preserve_mass_distribution", "output_model_file", "output_scale_file"},
                 s.warnings);
    const bool uses_measurements = m.apply && std::find(m.scaling_order.begin(), m.scaling_order.end(),
                                                        "measurements") != m.scaling_order.end();
    if (uses_measurements && std::any_of(m.measurements.begin(), m.measurements.end(),
                                         [](const ScaleMeasurement& x) { return x.apply; })) {
      if (m.marker_file.empty())
        doc.fail(ms, "measurements are used but <ModelScaler> names no <marker_file>");
      if (!m.has_time_range) doc.fail(ms, "measurements are used but <ModelScaler> has no <time_range>");
    }
  } else {
    s.model_scaler.apply = false;
  }

  if (const xml_node mp = tool.child("MarkerPlacer")) {
    auto& p = s.marker_placer;
    p.line = doc.line_of(mp);
    p.apply = doc.child_bool(mp, "apply", true);
    for (xml_node node : mp.child("IKTaskSet").child("objects").children()) {
      if (!is_element(node)) continue;
      ScaleIkTask t;
      const std::string kind = node.name();
      if (kind == "IKMarkerTask")
        t.kind = ScaleIkTask::Kind::Marker;
      else if (kind == "IKCoordinateTask")
        t.kind = ScaleIkTask::Kind::Coordinate;
      else
        doc.fail(node,
                 "<IKTaskSet> may contain only <IKMarkerTask> and <IKCoordinateTask>, found <" + kind + ">");
      t.name = node.attribute("name").as_string();
      t.line = doc.line_of(node);
      if (t.name.empty()) doc.fail(node, "<" + kind + "> has no name");
      t.apply = doc.child_bool(node, "apply", true);
      t.weight = doc.child_number(node, "weight", 1.0);
      if (t.weight < 0.0)
        doc.fail(node.child("weight"), "<weight> of task '" + t.name + "' must not be negative");
      if (t.kind == ScaleIkTask::Kind::Coordinate) {
        const std::string vt = osim::XmlDocument::child_text(node, "value_type");
        if (vt.empty() || vt == "default_value")
          t.value_type = ScaleIkTask::ValueType::DefaultValue;
        else if (vt == "manual_value")
          t.value_type = ScaleIkTask::ValueType::ManualValue;
        else if (vt == "from_file")
          t.value_type = ScaleIkTask::ValueType::FromFile;
        else
          doc.fail(node.child("value_type"), "<value_type> must be default_value, manual_value or from_file");
        t.value = doc.child_number(node, "value", 0.0);
      }
      p.tasks.push_back(t);
    }
    p.marker_file = input_path(doc, mp, "marker_file", base);
    p.coordinate_file = input_path(doc, mp, "coordinate_file", base);
    read_time_range(doc, mp, p.start_s, p.end_s, p.has_time_range);
    p.output_model_file = resolve(base, path_text(mp, "output_model_file"));
    p.output_motion_file = resolve(base, path_text(mp, "output_motion_file"));
    p.output_marker_file = resolve(base, path_text(mp, "output_marker_file"));
    p.max_marker_movement = doc.child_number(mp, "max_marker_movement", -1.0);
    warn_unknown(doc, mp,
                 {"apply", "IKTaskSet", "marker_file", "coordinate_file", "time_range", "output_motion_file",
                  "output_model_file", "output_marker_file", "max_marker_movement", "optimizer_algorithm",
                  "output_joint_file", "output_muscle_file"},
                 s.warnings);
    if (p.apply) {
      if (p.marker_file.empty()) doc.fail(mp, "<MarkerPlacer> is applied but names no <marker_file>");
      if (!p.has_time_range) doc.fail(mp, "<MarkerPlacer> is applied but has no <time_range>");
      for (const ScaleIkTask& t : p.tasks)
        if (t.apply && t.value_type == ScaleIkTask::ValueType::FromFile)
          throw InputError(setup_file, t.line, 0,
                           "coordinate task '" + t.name +
                               "' takes its value from_file, which glutelab's ScaleTool does not support "
                               "(use default_value or manual_value)");
    }
  } else {
    s.marker_placer.apply = false;
  }
  return s;
}

std::vector<Marker> read_marker_set(const std::filesystem::path& file, const Model& model) {
  const osim::XmlDocument doc(read_text_file(file, kMaxSetupBytes, "marker set file"), file.string());
  xml_node set = doc.doc().child("OpenSimDocument").child("MarkerSet");
  if (!set) set = doc.doc().child("MarkerSet");
  if (!set) doc.fail(doc.doc().first_child(), "expected a <MarkerSet>");
  std::vector<Marker> markers;
  std::set<std::string> seen;
  for (xml_node node : set.child("objects").children()) {
    if (!is_element(node)) continue;
    if (std::string(node.name()) != "Marker")
      doc.fail(node, "<MarkerSet> may contain only <Marker>, found <" + std::string(node.name()) + ">");
    Marker m;
    m.name = node.attribute("name").as_string();
    if (m.name.empty()) doc.fail(node, "<Marker> has no name");
    if (!seen.insert(m.name).second) doc.fail(node, "marker '" + m.name + "' appears twice");
    std::string frame = osim::XmlDocument::child_text(node, "socket_parent_frame");
    if (frame.empty()) frame = osim::XmlDocument::child_text(node, "body");
    if (frame.empty()) doc.fail(node, "marker '" + m.name + "' names no <body> or <socket_parent_frame>");
    int f = model.frame_index(frame);
    if (f < 0 && frame.rfind("/bodyset/", 0) == 0) f = model.frame_index(frame.substr(9));
    if (f < 0)
      doc.fail(node, "marker '" + m.name + "' is on '" + frame + "', which model '" + model.name + "' lacks");
    const Frame& fr = model.frames[static_cast<std::size_t>(f)];
    m.body = fr.body;
    m.frame = f;
    m.location_m = fr.X_body_frame.apply(doc.child_vec3(node, "location", Vec3::Zero()));
    m.fixed = doc.child_bool(node, "fixed", false);
    markers.push_back(m);
  }
  return markers;
}

void update_marker_set(Model& model, const std::vector<Marker>& markers) {
  for (const Marker& m : markers) {
    const auto it = std::find_if(model.markers.begin(), model.markers.end(),
                                 [&](const Marker& x) { return x.name == m.name; });
    if (it != model.markers.end()) model.markers.erase(it);
    model.markers.push_back(m);
  }
}

}  // namespace glutelab
