#include "glutelab/io/tool_setup.hpp"

#include <algorithm>

#include "glutelab/io/input_error.hpp"
#include "glutelab/io/osim_xml.hpp"

namespace glutelab {
namespace {

constexpr std::size_t kMaxSetupBytes = std::size_t{16} << 20;

pugi::xml_node tool_node(const osim::XmlDocument& doc) {
  const pugi::xml_node root = doc.doc().child("OpenSimDocument");
  if (!root) doc.fail(doc.doc().first_child(), "expected an <OpenSimDocument> with a tool inside");
  for (pugi::xml_node child : root.children())
    if (child.type() == pugi::node_element) return child;
  doc.fail(root, "the document holds no tool");
}

/// A path property resolved against the setup file's folder; empty when absent or "Unassigned".
std::filesystem::path path_property(const osim::XmlDocument& doc, pugi::xml_node tool, const char* name,
                                    const std::filesystem::path& base, bool must_exist) {
  std::string text = osim::XmlDocument::child_text(tool, name);
  if (text.empty() || text == "Unassigned") return {};
  std::replace(text.begin(), text.end(), '\\', '/');  // Windows separators in shared setup files
  std::filesystem::path p(text);
  if (p.is_relative()) p = base / p;
  std::error_code ec;
  if (must_exist && !std::filesystem::exists(p, ec))
    doc.fail(tool.child(name), std::string("<") + name + "> names a file that does not exist: " + p.string());
  return p;
}

}  // namespace

std::string setup_tool_kind(const std::filesystem::path& setup_file) {
  const osim::XmlDocument doc(read_text_file(setup_file, kMaxSetupBytes, "setup file"), setup_file.string());
  return tool_node(doc).name();
}

InverseDynamicsSetup read_inverse_dynamics_setup(const std::filesystem::path& setup_file) {
  const osim::XmlDocument doc(read_text_file(setup_file, kMaxSetupBytes, "setup file"), setup_file.string());
  const pugi::xml_node tool = tool_node(doc);
  if (std::string(tool.name()) != "InverseDynamicsTool")
    doc.fail(tool, "expected an <InverseDynamicsTool>, found <" + std::string(tool.name()) + ">");
  auto base = setup_file.parent_path();
  if (base.empty()) base = ".";
  InverseDynamicsSetup s;
  s.setup_file = setup_file;
  s.name = tool.attribute("name").as_string();
  s.model_file = path_property(doc, tool, "model_file", base, true);
  if (s.model_file.empty()) doc.fail(tool, "the setup names no <model_file>");
  s.coordinates_file = path_property(doc, tool, "coordinates_file", base, true);
  if (s.coordinates_file.empty()) doc.fail(tool, "the setup names no <coordinates_file>");
  s.external_loads_file = path_property(doc, tool, "external_loads_file", base, true);
  s.results_directory = path_property(doc, tool, "results_directory", base, false);
  if (s.results_directory.empty()) s.results_directory = base;
  std::string output = osim::XmlDocument::child_text(tool, "output_gen_force_file");
  if (output.empty() || output == "Unassigned") output = "inverse_dynamics.sto";
  s.output_gen_force_file = s.results_directory / std::filesystem::path(output).filename();
  if (const pugi::xml_node range = tool.child("time_range")) {
    const std::vector<double> t = doc.numbers(range, true);
    if (t.size() != 2) doc.fail(range, "<time_range> needs two numbers (start and end time in seconds)");
    if (!(t[0] <= t[1])) doc.fail(range, "<time_range> start must not be after its end");
    s.start_s = t[0];
    s.end_s = t[1];
  }
  s.cutoff_hz = doc.child_number(tool, "lowpass_cutoff_frequency_for_coordinates", -1.0);
  s.forces_to_exclude = osim::split_words(osim::XmlDocument::child_text(tool, "forces_to_exclude"));
  return s;
}

AnalyzeSetup read_analyze_setup(const std::filesystem::path& setup_file) {
  const osim::XmlDocument doc(read_text_file(setup_file, kMaxSetupBytes, "setup file"), setup_file.string());
  const pugi::xml_node tool = tool_node(doc);
  if (std::string(tool.name()) != "AnalyzeTool")
    doc.fail(tool, "expected an <AnalyzeTool>, found <" + std::string(tool.name()) + ">");
  auto base = setup_file.parent_path();
  if (base.empty()) base = ".";
  AnalyzeSetup s;
  s.setup_file = setup_file;
  s.name = tool.attribute("name").as_string();
  s.model_file = path_property(doc, tool, "model_file", base, true);
  if (s.model_file.empty()) doc.fail(tool, "the setup names no <model_file>");
  if (!osim::XmlDocument::child_text(tool, "states_file").empty())
    doc.fail(tool.child("states_file"),
             "a <states_file> is not supported; give the coordinates in <coordinates_file>");
  s.coordinates_file = path_property(doc, tool, "coordinates_file", base, true);
  if (s.coordinates_file.empty()) doc.fail(tool, "the setup names no <coordinates_file>");
  s.external_loads_file = path_property(doc, tool, "external_loads_file", base, true);
  s.results_directory = path_property(doc, tool, "results_directory", base, false);
  if (s.results_directory.empty()) s.results_directory = base;
  s.replace_force_set = doc.child_bool(tool, "replace_force_set", false);
  for (std::string file : osim::split_words(osim::XmlDocument::child_text(tool, "force_set_files"))) {
    std::replace(file.begin(), file.end(), '\\', '/');
    std::filesystem::path p(file);
    if (p.is_relative()) p = base / p;
    std::error_code ec;
    if (!std::filesystem::exists(p, ec))
      doc.fail(tool.child("force_set_files"),
               "<force_set_files> names a file that does not exist: " + p.string());
    s.force_set_files.push_back(p);
  }
  s.start_s = doc.child_number(tool, "initial_time", s.start_s, true);
  s.end_s = doc.child_number(tool, "final_time", s.end_s, true);
  if (!(s.start_s <= s.end_s)) doc.fail(tool, "<initial_time> must not be after <final_time>");
  s.cutoff_hz = doc.child_number(tool, "lowpass_cutoff_frequency_for_coordinates", -1.0);

  const pugi::xml_node analyses = tool.child("AnalysisSet").child("objects");
  for (pugi::xml_node a : analyses.children()) {
    if (a.type() != pugi::node_element) continue;
    const std::string kind = a.name();
    const bool on = doc.child_bool(a, "on", true);
    if (kind == "StaticOptimization") {
      s.static_optimization.on = on;
      s.static_optimization.step_interval = static_cast<int>(doc.child_number(a, "step_interval", 1.0));
      s.static_optimization.activation_exponent = doc.child_number(a, "activation_exponent", 2.0);
      s.static_optimization.use_muscle_physiology = doc.child_bool(a, "use_muscle_physiology", true);
      if (s.static_optimization.step_interval < 1)
        doc.fail(a.child("step_interval"), "<step_interval> must be at least 1");
      if (!(s.static_optimization.activation_exponent > 1.0))
        doc.fail(a.child("activation_exponent"), "<activation_exponent> must be greater than 1");
    } else if (kind == "JointReaction") {
      s.joint_reaction.on = on;
      s.joint_reaction.step_interval = static_cast<int>(doc.child_number(a, "step_interval", 1.0));
      if (s.joint_reaction.step_interval < 1)
        doc.fail(a.child("step_interval"), "<step_interval> must be at least 1");
      s.joint_reaction.forces_file = path_property(doc, a, "forces_file", base, false);
      auto words = [&](const char* name, std::vector<std::string>& out) {
        const auto w = osim::split_words(osim::XmlDocument::child_text(a, name));
        if (!w.empty()) out = w;
      };
      words("joint_names", s.joint_reaction.joint_names);
      words("apply_on_bodies", s.joint_reaction.apply_on_bodies);
      words("express_in_frame", s.joint_reaction.express_in_frame);
    } else if (on) {
      doc.fail(a, "glutelab does not run the <" + kind +
                      "> analysis (supported: StaticOptimization, JointReaction)");
    }
  }
  if (!s.static_optimization.on && !s.joint_reaction.on)
    doc.fail(tool, "the setup turns on no StaticOptimization or JointReaction analysis");
  return s;
}

}  // namespace glutelab
