// The .osim writer: an unchanged model gives its document back byte for byte, a changed one reads back
// with the changed numbers, components glutelab ignores stay as written, and failed writes leave no file.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <pugixml.hpp>

#include "glutelab/io/input_error.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "glutelab/io/osim_writer.hpp"
#include "glutelab/model/scaling.hpp"
#include "test_paths.hpp"

namespace glutelab {
namespace {

namespace fs = std::filesystem;

const std::string kGait = "opensim-models/Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim";

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Largest difference between two models' numbers (bodies, frames, joints and their translation
/// functions, markers, wrap objects, muscles and their path points); component names and structure must
/// agree (the model's own name may differ).
double largest_difference(const Model& a, const Model& b) {
  double d = 0.0;
  auto v = [&](const Vec3& x, const Vec3& y) { d = std::max(d, (x - y).cwiseAbs().maxCoeff()); };
  auto s = [&](double x, double y) { d = std::max(d, std::abs(x - y)); };
  EXPECT_EQ(a.bodies.size(), b.bodies.size());
  for (std::size_t i = 0; i < std::min(a.bodies.size(), b.bodies.size()); ++i) {
    EXPECT_EQ(a.bodies[i].name, b.bodies[i].name);
    s(a.bodies[i].mass_kg, b.bodies[i].mass_kg);
    v(a.bodies[i].mass_center_m, b.bodies[i].mass_center_m);
    d = std::max(d, (a.bodies[i].inertia_kg_m2 - b.bodies[i].inertia_kg_m2).cwiseAbs().maxCoeff());
  }
  EXPECT_EQ(a.frames.size(), b.frames.size());
  for (std::size_t i = 0; i < std::min(a.frames.size(), b.frames.size()); ++i) {
    EXPECT_EQ(a.frames[i].path, b.frames[i].path);
    v(a.frames[i].X_body_frame.p, b.frames[i].X_body_frame.p);
  }
  EXPECT_EQ(a.joints.size(), b.joints.size());
  for (std::size_t j = 0; j < std::min(a.joints.size(), b.joints.size()); ++j) {
    const Joint &x = a.joints[j], &y = b.joints[j];
    EXPECT_EQ(x.name, y.name);
    v(x.X_parent_F.p, y.X_parent_F.p);
    v(x.X_child_M.p, y.X_child_M.p);
    for (std::size_t k = 3; k < 6; ++k)
      for (double q : {-1.5, -0.5, 0.0, 0.3, 1.0})
        s(x.axes[k].function.value(q), y.axes[k].function.value(q));
  }
  EXPECT_EQ(a.markers.size(), b.markers.size());
  for (std::size_t i = 0; i < std::min(a.markers.size(), b.markers.size()); ++i) {
    EXPECT_EQ(a.markers[i].name, b.markers[i].name);
    EXPECT_EQ(a.markers[i].body, b.markers[i].body) << a.markers[i].name;
    EXPECT_EQ(a.markers[i].fixed, b.markers[i].fixed) << a.markers[i].name;
    v(a.markers[i].location_m, b.markers[i].location_m);
  }
  EXPECT_EQ(a.wrap_objects.size(), b.wrap_objects.size());
  for (std::size_t i = 0; i < std::min(a.wrap_objects.size(), b.wrap_objects.size()); ++i) {
    v(a.wrap_objects[i].X_body_wrap.p, b.wrap_objects[i].X_body_wrap.p);
    v(a.wrap_objects[i].dimensions_m, b.wrap_objects[i].dimensions_m);
  }
  EXPECT_EQ(a.muscles.size(), b.muscles.size());
  for (std::size_t m = 0; m < std::min(a.muscles.size(), b.muscles.size()); ++m) {
    const Muscle &x = a.muscles[m], &y = b.muscles[m];
    EXPECT_EQ(x.name, y.name);
    s(x.max_isometric_force_N, y.max_isometric_force_N);
    s(x.optimal_fiber_length_m, y.optimal_fiber_length_m);
    s(x.tendon_slack_length_m, y.tendon_slack_length_m);
    s(x.pennation_angle_at_optimal_rad, y.pennation_angle_at_optimal_rad);
    EXPECT_EQ(x.path.points.size(), y.path.points.size()) << x.name;
    for (std::size_t p = 0; p < std::min(x.path.points.size(), y.path.points.size()); ++p) {
      v(x.path.points[p].location_m, y.path.points[p].location_m);
      for (std::size_t k = 0; k < 3; ++k)
        for (double q : {-1.5, -0.5, 0.0, 0.3})
          s(x.path.points[p].location_functions[k].value(q), y.path.points[p].location_functions[k].value(q));
    }
  }
  return d;
}

/// Per-body factors that differ by body and axis (every body but ground).
std::vector<SegmentScale> uneven_factors(const Model& m) {
  std::vector<SegmentScale> out;
  for (std::size_t b = 1; b < m.bodies.size(); ++b) {
    const double t = static_cast<double>(b);
    out.push_back({m.bodies[b].name, Vec3(1.0 + 0.011 * t, 0.93 + 0.017 * t, 1.05 - 0.007 * t)});
  }
  return out;
}

/// scale_model with the muscles changed as well (glutelab rescales their lengths with the path length
/// in muscle/body_scaling; any change will do here).
Model scaled_copy(const Model& generic, double mass_kg, bool preserve_mass_distribution) {
  Model scaled = scale_model(generic, uneven_factors(generic), mass_kg, preserve_mass_distribution);
  for (std::size_t m = 0; m < scaled.muscles.size(); ++m) {
    scaled.muscles[m].optimal_fiber_length_m *= 1.0 + 0.001 * static_cast<double>(m);
    scaled.muscles[m].tendon_slack_length_m *= 1.0 - 0.0007 * static_cast<double>(m);
    scaled.muscles[m].max_isometric_force_N *= 0.9;
  }
  return scaled;
}

TEST(OsimWriter, AnUnchangedModelGivesItsDocumentBackByteForByte) {
  std::vector<fs::path> files = {test::project_data("models/glutelab.osim"),
                                 test::project_data("models/gait2392_subject01.osim")};
  for (const char* shared :
       {"opensim-models/Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim",
        "opensim-models/Models/Rajagopal/RajagopalLaiUhlrich2023.osim",
        "opensim-models/Models/Leg6Dof9Musc/leg6dof9musc.osim", "opensim-models/Models/Arm26/arm26.osim"})
    if (fs::exists(test::shared_data(shared))) files.push_back(test::shared_data(shared));
  for (const fs::path& file : files) {
    const std::string text = slurp(file);
    const Model model = read_osim(file);
    EXPECT_TRUE(osim_document_text(model, text, file.string()) == text) << file;
  }
}

TEST(OsimWriter, RoundTripOfTheUnscaledModelKeepsEveryNumber) {
  const fs::path source = test::project_data("models/glutelab.osim");
  Model model = read_osim(source);
  model.name = "glutelab <copy> & \"quoted\"";  // the name attribute is rewritten and escaped
  const fs::path out = test::temp_dir("osim_writer_roundtrip") / "copy.osim";
  write_osim(model, out);
  const Model back = read_osim(out);
  EXPECT_EQ(back.name, model.name);
  EXPECT_EQ(largest_difference(model, back), 0.0);
  EXPECT_EQ(back.unused.size(), model.unused.size());
}

TEST(OsimWriter, ScaledModelReadsBackWithTheScaledNumbers) {
  for (const fs::path& source : {test::project_data("models/glutelab.osim"), test::shared_data(kGait)}) {
    if (!fs::exists(source)) continue;
    const Model generic = read_osim(source);
    Model scaled = scaled_copy(generic, 81.0, false);
    scaled.name = "scaled";
    const std::string text = osim_document_text(scaled, slurp(source), source.string());
    const Model back = read_osim_string(text, "scaled.osim");
    EXPECT_EQ(back.name, "scaled");
    const double d = largest_difference(scaled, back);
    std::printf("%s scaled and read back: largest difference %.3g\n", source.filename().c_str(), d);
    // Shortest round-trip numbers: values stored directly come back exactly; a location on an offset
    // frame passes through that frame's inverse transform (a few ulps).
    EXPECT_LT(d, 1e-15) << source;
    // And the scaling really changed the document.
    EXPECT_GT(largest_difference(generic, back), 1e-3);
    EXPECT_NEAR(back.total_mass_kg(), 81.0, 1e-12);
  }
}

TEST(OsimWriter, GeometryScaleFactorsAreMultipliedByTheBodyFactors) {
  const fs::path source = test::project_data("models/gait2392_subject01.osim");
  const Model model = read_osim(source);
  OsimWriteOptions options;
  options.geometry_scale_factors["femur_r"] = Vec3(1.1, 1.2, 1.3);
  const std::string text = osim_document_text(model, slurp(source), source.string(), options);
  pugi::xml_document before, after;
  ASSERT_TRUE(before.load_file(source.c_str()));
  ASSERT_TRUE(after.load_string(text.c_str()));
  auto meshes = [](const pugi::xml_document& doc, const char* body) {
    std::vector<Vec3> out;
    for (pugi::xml_node b :
         doc.child("OpenSimDocument").child("Model").child("BodySet").child("objects").children())
      if (std::string(b.attribute("name").value()) == body)
        for (pugi::xml_node g : b.child("attached_geometry").children()) {
          Vec3 f = Vec3::Ones();
          std::sscanf(g.child_value("scale_factors"), "%lf %lf %lf", &f[0], &f[1], &f[2]);
          out.push_back(f);
        }
    return out;
  };
  const auto old_femur = meshes(before, "femur_r"), new_femur = meshes(after, "femur_r");
  ASSERT_FALSE(old_femur.empty());
  ASSERT_EQ(old_femur.size(), new_femur.size());
  for (std::size_t i = 0; i < old_femur.size(); ++i)
    EXPECT_LT((new_femur[i] - old_femur[i].cwiseProduct(Vec3(1.1, 1.2, 1.3))).norm(), 1e-15);
  const auto old_tibia = meshes(before, "tibia_r"), new_tibia = meshes(after, "tibia_r");
  ASSERT_FALSE(old_tibia.empty());
  EXPECT_EQ(old_tibia, new_tibia);  // bodies without factors keep theirs
}

TEST(OsimWriter, ComponentsTheReaderIgnoresStayAsWritten) {
  const fs::path source = test::shared_data(kGait);
  if (!fs::exists(source)) GTEST_SKIP() << "shared data absent";
  std::string text = slurp(source);
  const std::string contact =
      "<ContactSphere name=\"heel_r\">\n\t\t\t\t\t<!--kept as "
      "written-->\n\t\t\t\t\t<socket_frame>/bodyset/calcn_r"
      "</socket_frame>\n\t\t\t\t\t<location>0.031 0.0104 "
      "-0.0052</location>\n\t\t\t\t\t<radius>0.035</radius>\n\t\t\t\t"
      "</ContactSphere>";
  const std::string controller =
      "<PrescribedController name=\"ctrl\">\n\t\t\t\t\t<actuator_list>soleus_r</actuator_list>\n\t\t\t\t"
      "</PrescribedController>";
  const std::string contact_set = "<ContactGeometrySet name=\"contactgeometryset\">\n\t\t\t<objects />";
  const std::string controller_set = "<ControllerSet name=\"controllerset\">\n\t\t\t<objects />";
  ASSERT_NE(text.find(contact_set), std::string::npos);
  ASSERT_NE(text.find(controller_set), std::string::npos);
  text.replace(text.find(contact_set), contact_set.size(),
               "<ContactGeometrySet name=\"contactgeometryset\">\n\t\t\t<objects>\n\t\t\t\t" + contact +
                   "\n\t\t\t</objects>");
  text.replace(text.find(controller_set), controller_set.size(),
               "<ControllerSet name=\"controllerset\">\n\t\t\t<objects>\n\t\t\t\t" + controller +
                   "\n\t\t\t</objects>");
  const Model generic = read_osim_string(text, "with_contact.osim");
  ASSERT_EQ(generic.unused.size(), 2u);
  const Model scaled = scaled_copy(generic, 70.0, true);
  const std::string out = osim_document_text(scaled, text, "with_contact.osim");
  EXPECT_NE(out.find(contact), std::string::npos);
  EXPECT_NE(out.find(controller), std::string::npos);
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(out.c_str()));
  const Model back = read_osim_string(out, "scaled_with_contact.osim");
  ASSERT_EQ(back.unused.size(), 2u);
  EXPECT_EQ(back.unused[0].type, "ContactSphere");
  EXPECT_EQ(back.unused[1].type, "PrescribedController");
  // Everything outside the changed values is the source text: as many comments as before.
  auto count = [](const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count(out, "<!--"), count(text, "<!--"));
}

TEST(OsimWriter, MarkersAreAddedMovedAndRemoved) {
  const fs::path source = test::project_data("models/gait2392_subject01.osim");
  const Model original = read_osim(source);
  ASSERT_GE(original.markers.size(), 3u);
  Model model = original;
  const std::string removed = model.markers[0].name;
  model.markers.erase(model.markers.begin());
  model.markers[0].location_m += Vec3(0.01, -0.02, 0.003);  // moved on its body
  model.markers[1].body = model.body_index("pelvis");       // onto another body
  model.markers[1].location_m = Vec3(0.1, 0.2, 0.3);
  model.markers[1].fixed = !model.markers[1].fixed;
  Marker added;
  added.name = "NEW.Marker";
  added.body = model.body_index("tibia_l");
  added.location_m = Vec3(-0.004, -0.3, 0.05);
  model.markers.push_back(added);
  const std::string text = osim_document_text(model, slurp(source), source.string());
  EXPECT_EQ(text.find("<Marker name=\"" + removed + "\""), std::string::npos);
  const Model back = read_osim_string(text, "markers.osim");
  EXPECT_EQ(largest_difference(model, back), 0.0);
}

TEST(OsimWriter, MarkersCanBeAddedToAModelWithoutAMarkerSet) {
  const fs::path source = test::project_data("models/gait2392_subject01.osim");
  std::string text = slurp(source);
  const std::size_t begin = text.find("<MarkerSet");
  const std::size_t end = text.find("</MarkerSet>");
  ASSERT_NE(begin, std::string::npos);
  text.erase(begin, end + std::string("</MarkerSet>").size() - begin);
  Model model = read_osim_string(text, "no_markers.osim");
  ASSERT_TRUE(model.markers.empty());
  Marker m;
  m.name = "only";
  m.body = model.body_index("torso");
  m.location_m = Vec3(0.01, 0.4, -0.02);
  m.fixed = true;
  model.markers.push_back(m);
  const Model back = read_osim_string(osim_document_text(model, text, "no_markers.osim"), "with_one.osim");
  EXPECT_EQ(largest_difference(model, back), 0.0);
}

TEST(OsimWriter, ADocumentOfAnotherModelIsRefused) {
  const fs::path arm = test::shared_data("opensim-models/Models/Arm26/arm26.osim");
  if (!fs::exists(arm)) GTEST_SKIP() << "shared data absent";
  const Model gait = read_osim(test::project_data("models/gait2392_subject01.osim"));
  try {
    osim_document_text(gait, slurp(arm), arm.string());
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("arm26.osim"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("not those of model"), std::string::npos) << e.what();
  }
}

TEST(OsimWriter, A3xDocumentIsRefusedWithItsVersion) {
  const std::string legacy =
      "<OpenSimDocument Version=\"20302\"><Model name=\"legacy\"><BodySet><objects>"
      "<Body name=\"ground\"/><Body name=\"b\"><mass>1</mass><inertia_xx>0.1</inertia_xx>"
      "<inertia_yy>0.1</inertia_yy><inertia_zz>0.1</inertia_zz><Joint><PinJoint name=\"pin\">"
      "<parent_body>ground</parent_body><location_in_parent>0 1 0</location_in_parent></PinJoint></Joint>"
      "</Body></objects></BodySet></Model></OpenSimDocument>";
  const Model model = read_osim_string(legacy, "legacy.osim");
  try {
    osim_document_text(model, legacy, "legacy.osim");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("legacy.osim:1"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("version 20302"), std::string::npos) << e.what();
  }
}

TEST(OsimWriter, AWriteThatCannotHappenNamesTheFileAndLeavesNothing) {
  const Model model = read_osim(test::project_data("models/gait2392_subject01.osim"));
  const fs::path dir = test::temp_dir("osim_writer_fail");
  // A folder that does not exist.
  const fs::path missing = dir / "no_such_folder" / "model.osim";
  try {
    write_osim(model, missing);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(missing.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(dir / "no_such_folder"));
  // A location nobody can write: a read-only folder, or /proc when running as root.
  fs::path read_only = dir / "read_only";
  fs::create_directory(read_only);
  fs::permissions(read_only, fs::perms::owner_read | fs::perms::owner_exec);
  const bool root_writes_anyway = std::ofstream(read_only / "probe").good();
  if (root_writes_anyway) {
    fs::remove(read_only / "probe");
    read_only = "/proc";
  }
  const fs::path target = read_only / "glutelab_model.osim";
  try {
    write_osim(model, target);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(target.string()), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(target));
  for (const auto& entry : fs::directory_iterator(read_only == "/proc" ? dir / "read_only" : read_only))
    ADD_FAILURE() << "left behind: " << entry.path();
  // The source is required: a model read from a string has none.
  const Model from_string = read_osim_string(slurp(test::project_data("models/gait2392_subject01.osim")), "");
  EXPECT_THROW(write_osim(from_string, dir / "x.osim"), InputError);
  EXPECT_FALSE(fs::exists(dir / "x.osim"));
  fs::permissions(dir / "read_only", fs::perms::owner_all);
}

}  // namespace
}  // namespace glutelab
