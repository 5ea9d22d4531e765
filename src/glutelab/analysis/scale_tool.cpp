// OpenSim's ScaleTool (ModelScaler + MarkerPlacer); see scale_tool.hpp and docs/opensim-tools.md.
#include "glutelab/analysis/scale_tool.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <numbers>
#include <sstream>

#include <Eigen/Dense>

#include "glutelab/io/input_error.hpp"
#include "glutelab/io/osim_reader.hpp"
#include "glutelab/io/osim_writer.hpp"
#include "glutelab/io/osim_xml.hpp"
#include "glutelab/kinematics/kinematics.hpp"
#include "glutelab/kinematics/state.hpp"
#include "glutelab/muscle/body_scaling.hpp"

namespace glutelab {
namespace {

constexpr std::size_t kMaxModelBytes = 512ull * 1024ull * 1024ull;

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

int model_marker(const Model& model, const std::string& name) {
  for (std::size_t i = 0; i < model.markers.size(); ++i)
    if (model.markers[i].name == name) return static_cast<int>(i);
  return -1;
}

Vec3 sample(const MarkerTable& t, int frame, int marker) {
  return t.positions_m.row(frame).segment<3>(3 * marker).transpose();
}

/// Metres per unit of the .trc file.
double unit_in_metres(const std::string& units) {
  if (units == "mm") return 1e-3;
  if (units == "cm") return 1e-2;
  return 1.0;
}

std::filesystem::path output_path(const std::filesystem::path& p, const ScaleToolOptions& o) {
  if (p.empty() || o.results_directory.empty()) return p;
  return o.results_directory / p.filename();
}

}  // namespace

std::pair<int, int> marker_frame_range(const MarkerTable& markers, double start_s, double end_s,
                                       const std::filesystem::path& file) {
  const int n = static_cast<int>(markers.time_s.size());
  if (n == 0) throw InputError(file, "the marker file has no frames");
  if (end_s < markers.time_s.front() || start_s > markers.time_s.back())
    throw InputError(file, "the time range " + num(start_s) + " to " + num(end_s) +
                               " s lies outside the data (" + num(markers.time_s.front()) + " to " +
                               num(markers.time_s.back()) + " s)");
  int first = 0, last = n - 1;
  for (int i = n - 1; i >= 0; --i)
    if (markers.time_s[static_cast<std::size_t>(i)] <= start_s) {
      first = i;
      break;
    }
  for (int i = first; i < n; ++i)
    if (markers.time_s[static_cast<std::size_t>(i)] >= end_s) {
      last = i;
      break;
    }
  return {first, last};
}

MeasurementResult measurement_scale_factor(const Model& model, const MarkerTable& markers,
                                           const std::filesystem::path& marker_file,
                                           const ScaleMeasurement& measurement, std::pair<int, int> frames,
                                           const std::filesystem::path& setup_file) {
  State state(model);
  set_default_coordinates(model, state);
  compute_positions(model, state);
  MeasurementResult r;
  r.name = measurement.name;
  double sum = 0.0;
  for (const auto& pair : measurement.marker_pairs) {
    const int m1 = model_marker(model, pair.first), m2 = model_marker(model, pair.second);
    for (const auto& [index, name] : {std::pair{m1, pair.first}, std::pair{m2, pair.second}})
      if (index < 0)
        throw InputError(setup_file, pair.line, 0,
                         "marker '" + name + "' of measurement '" + measurement.name + "' is not in model '" +
                             model.name + "' (add it with GenericModelMaker's marker_set_file)");
    const int e1 = markers.marker_index(pair.first), e2 = markers.marker_index(pair.second);
    for (const auto& [index, name] : {std::pair{e1, pair.first}, std::pair{e2, pair.second}})
      if (index < 0)
        throw InputError(setup_file, pair.line, 0,
                         "marker '" + name + "' of measurement '" + measurement.name +
                             "' is not in the marker file " + marker_file.string());
    const double model_m = (marker_position(model, state, m1) - marker_position(model, state, m2)).norm();
    double experimental = 0.0;
    int count = 0;
    for (int f = frames.first; f <= frames.second; ++f) {
      if (markers.missing(f, e1) || markers.missing(f, e2)) continue;
      experimental += (sample(markers, f, e2) - sample(markers, f, e1)).norm();
      ++count;
    }
    if (count == 0)
      throw InputError(setup_file, pair.line, 0,
                       "markers '" + pair.first + "' and '" + pair.second + "' of measurement '" +
                           measurement.name + "' are never both present in the time range of " +
                           marker_file.string());
    if (!(model_m > 0.0))
      throw InputError(setup_file, pair.line, 0,
                       "markers '" + pair.first + "' and '" + pair.second + "' coincide on the model");
    experimental /= count;
    r.pairs.push_back({pair.first, pair.second, model_m, experimental});
    sum += experimental / model_m;
  }
  r.factor = sum / static_cast<double>(measurement.marker_pairs.size());
  return r;
}

std::vector<SegmentScale> model_scaler_factors(const Model& model, const ScaleSetup& setup,
                                               const MarkerTable* markers,
                                               std::vector<MeasurementResult>* measured,
                                               std::vector<std::string>& warnings, bool strict) {
  std::vector<SegmentScale> scales;
  for (std::size_t b = 1; b < model.bodies.size(); ++b)
    scales.push_back({model.bodies[b].name, Vec3::Ones()});
  auto find = [&](const std::string& body, int line, const std::string& what) -> SegmentScale* {
    for (SegmentScale& s : scales)
      if (s.body == body) return &s;
    const std::string message = what + " names body '" + body + "', which model '" + model.name + "' lacks";
    if (strict) throw InputError(setup.setup_file, line, 0, message);
    warnings.push_back(setup.setup_file.string() + ":" + std::to_string(line) + ": " + message +
                       " (skipped, as OpenSim does)");
    return nullptr;
  };
  const auto& ms = setup.model_scaler;
  for (const std::string& step : ms.scaling_order) {
    if (step == "measurements") {
      if (!std::any_of(ms.measurements.begin(), ms.measurements.end(), [](const auto& m) { return m.apply; }))
        continue;
      if (!markers) throw InputError(setup.setup_file, ms.line, 0, "measurements need a <marker_file>");
      const auto frames = marker_frame_range(*markers, ms.start_s, ms.end_s, ms.marker_file);
      for (const ScaleMeasurement& m : ms.measurements) {
        if (!m.apply) continue;
        MeasurementResult r =
            measurement_scale_factor(model, *markers, ms.marker_file, m, frames, setup.setup_file);
        for (const auto& bs : m.body_scales)
          if (SegmentScale* s = find(bs.body, bs.line, "measurement '" + m.name + "'"))
            for (int k = 0; k < 3; ++k)
              if (bs.axes[static_cast<std::size_t>(k)]) s->factors[k] = r.factor;
        if (measured) measured->push_back(std::move(r));
      }
    } else {  // manualScale
      for (const ManualScale& m : ms.scales)
        if (m.apply)
          if (SegmentScale* s = find(m.body, m.line, "manual scale")) s->factors = m.factors;
    }
  }
  return scales;
}

Model scale_model_like_opensim(const Model& generic, const std::vector<SegmentScale>& scales,
                               double subject_mass_kg, bool preserve_mass_distribution) {
  const double generic_total = generic.total_mass_kg();
  std::vector<double> weight(generic.bodies.size(), 0.0);  // mass before normalising to the total
  double weighted_total = 0.0;
  for (std::size_t b = 1; b < generic.bodies.size(); ++b) {
    double product = 1.0;
    if (!preserve_mass_distribution)
      for (const SegmentScale& s : scales)
        if (s.body == generic.bodies[b].name) product = s.factors.prod();
    weight[b] = generic.bodies[b].mass_kg * product;
    weighted_total += weight[b];
  }
  const double total = subject_mass_kg > 0.0 ? subject_mass_kg : weighted_total;
  Model scaled = scale_body(generic, scales, total, true);
  if (!preserve_mass_distribution) {
    // scale_body gave generic proportions; OpenSim's proportions weigh each mass by its factors' product.
    for (std::size_t b = 1; b < scaled.bodies.size(); ++b) {
      if (generic.bodies[b].mass_kg <= 0.0) continue;
      const double wanted = total * weight[b] / weighted_total;
      const double have = total * generic.bodies[b].mass_kg / generic_total;
      scaled.bodies[b].inertia_kg_m2 *= wanted / have;
      scaled.bodies[b].mass_kg = wanted;
    }
  }
  return scaled;
}

MarkerPlacement place_markers(Model& model, const MarkerTable& markers,
                              const std::filesystem::path& marker_file, const ScaleSetup& setup) {
  const auto& mp = setup.marker_placer;
  MarkerPlacement out;
  // OpenSim narrows the time range to the data; the pose is reported at the (narrowed) start time.
  const auto frames = marker_frame_range(markers, mp.start_s, mp.end_s, marker_file);
  out.time_s = std::max(mp.start_s, markers.time_s.front());
  out.frames_averaged = frames.second - frames.first + 1;

  // Averages per trial marker over the frames where it is present; NaN when never present.
  const int nt = static_cast<int>(markers.marker_names.size());
  std::vector<Vec3> average(static_cast<std::size_t>(nt),
                            Vec3::Constant(std::numeric_limits<double>::quiet_NaN()));
  const double limit_m = mp.max_marker_movement * unit_in_metres(markers.units);
  for (int m = 0; m < nt; ++m) {
    Vec3 sum = Vec3::Zero(), lo = Vec3::Constant(1e300), hi = Vec3::Constant(-1e300);
    int count = 0;
    for (int f = frames.first; f <= frames.second; ++f) {
      if (markers.missing(f, m)) continue;
      const Vec3 p = sample(markers, f, m);
      sum += p;
      lo = lo.cwiseMin(p);
      hi = hi.cwiseMax(p);
      ++count;
    }
    if (count == 0) continue;
    if (mp.max_marker_movement >= 0.0 && ((hi - lo).array() > limit_m).any())
      throw InputError(marker_file, "marker '" + markers.marker_names[static_cast<std::size_t>(m)] +
                                        "' moves more than max_marker_movement (" +
                                        num(mp.max_marker_movement) + " " + markers.units +
                                        ") in the static trial's time range");
    average[static_cast<std::size_t>(m)] = sum / count;
  }

  // OpenSim deletes model markers that the static trial does not have.
  std::vector<Marker> kept;
  for (const Marker& m : model.markers) {
    if (markers.marker_index(m.name) >= 0)
      kept.push_back(m);
    else
      out.removed_markers.push_back(m.name);
  }
  model.markers = kept;

  // Objective terms.
  std::map<std::string, double> task_weight;
  for (const ScaleIkTask& t : mp.tasks)
    if (t.apply && t.kind == ScaleIkTask::Kind::Marker) task_weight[t.name] = t.weight;
  struct MarkerTerm {
    int model_marker;
    Vec3 target;
    double sqrt_weight;
    std::string name;
  };
  std::vector<MarkerTerm> marker_terms;
  for (std::size_t i = 0; i < model.markers.size(); ++i) {
    const int e = markers.marker_index(model.markers[i].name);
    const Vec3& target = average[static_cast<std::size_t>(e)];
    if (!target.allFinite()) continue;
    const auto it = task_weight.find(model.markers[i].name);
    const double w = it != task_weight.end() ? it->second : 1.0;  // MarkersReference's default weight
    if (w > 0.0) marker_terms.push_back({static_cast<int>(i), target, std::sqrt(w), model.markers[i].name});
  }
  struct CoordinateTerm {
    int coordinate;
    double target, sqrt_weight;
  };
  std::vector<CoordinateTerm> coordinate_terms;
  for (const ScaleIkTask& t : mp.tasks) {
    if (!t.apply || t.kind != ScaleIkTask::Kind::Coordinate || t.weight <= 0.0) continue;
    const int c = model.coordinate_index(t.name);
    if (c < 0)
      throw InputError(
          setup.setup_file, t.line, 0,
          "coordinate task '" + t.name + "' names a coordinate that model '" + model.name + "' lacks");
    const double target = t.value_type == ScaleIkTask::ValueType::ManualValue
                              ? t.value
                              : model.coordinates[static_cast<std::size_t>(c)].default_value;
    coordinate_terms.push_back({c, target, std::sqrt(t.weight)});
  }
  out.markers_fitted = static_cast<int>(marker_terms.size());
  if (marker_terms.empty())
    throw InputError(
        setup.setup_file, mp.line, 0,
        "no model marker is present in the static trial " + marker_file.string() + " with a positive weight");

  std::vector<int> free;
  for (int i = 0; i < model.num_coordinates(); ++i) {
    const Coordinate& c = model.coordinates[static_cast<std::size_t>(i)];
    if (!c.is_dependent() && !c.locked) free.push_back(i);
  }
  State state(model);
  set_default_coordinates(model, state);
  const int nm = static_cast<int>(marker_terms.size());
  const int nr = 3 * nm + static_cast<int>(coordinate_terms.size());
  auto residual = [&](const Eigen::VectorXd& q) {
    state.q = q;
    compute_positions(model, state);
    Eigen::VectorXd r(nr);
    for (int i = 0; i < nm; ++i) {
      const MarkerTerm& t = marker_terms[static_cast<std::size_t>(i)];
      r.segment<3>(3 * i) = t.sqrt_weight * (marker_position(model, state, t.model_marker) - t.target);
    }
    for (std::size_t j = 0; j < coordinate_terms.size(); ++j) {
      const CoordinateTerm& t = coordinate_terms[j];
      r[3 * nm + static_cast<int>(j)] = t.sqrt_weight * (state.q[t.coordinate] - t.target);
    }
    return r;
  };
  auto clamp = [&](Eigen::VectorXd& q) {
    for (int i : free) {
      const Coordinate& c = model.coordinates[static_cast<std::size_t>(i)];
      if (c.clamped) q[i] = std::clamp(q[i], c.range_min, c.range_max);
    }
  };
  // Levenberg-Marquardt from the default pose with central-difference Jacobians.
  Eigen::VectorXd q = state.q;
  Eigen::VectorXd r = residual(q);
  double cost = r.squaredNorm();
  double lambda = 1e-6;
  const int nf = static_cast<int>(free.size());
  Eigen::MatrixXd J(nr, nf);
  for (int iteration = 0; iteration < 200; ++iteration) {
    out.iterations = iteration + 1;
    for (int k = 0; k < nf; ++k) {
      constexpr double h = 1e-7;
      Eigen::VectorXd qp = q, qm = q;
      qp[free[static_cast<std::size_t>(k)]] += h;
      qm[free[static_cast<std::size_t>(k)]] -= h;
      J.col(k) = (residual(qp) - residual(qm)) / (2.0 * h);
    }
    const Eigen::MatrixXd JtJ = J.transpose() * J;
    const Eigen::VectorXd g = J.transpose() * r;
    bool improved = false, converged = false;
    for (int attempt = 0; attempt < 30 && !improved; ++attempt) {
      Eigen::MatrixXd A = JtJ;
      A.diagonal() += lambda * (JtJ.diagonal().array() + 1e-12).matrix();
      const Eigen::VectorXd step = -A.ldlt().solve(g);
      Eigen::VectorXd trial = q;
      for (int k = 0; k < nf; ++k) trial[free[static_cast<std::size_t>(k)]] += step[k];
      clamp(trial);
      const Eigen::VectorXd rt = residual(trial);
      const double ct = rt.squaredNorm();
      if (ct <= cost) {
        const double step_norm = (trial - q).norm();
        q = trial;
        r = rt;
        const double drop = cost - ct;
        cost = ct;
        lambda = std::max(lambda / 10.0, 1e-12);
        improved = true;
        converged = drop <= 1e-15 * std::max(cost, 1e-300) || step_norm < 1e-12;
      } else {
        lambda *= 10.0;
      }
    }
    if (!improved || converged) break;
  }
  state.q = q;
  compute_positions(model, state);
  out.q = state.q;
  double sum_sq = 0.0;
  for (const MarkerTerm& t : marker_terms) {
    const double e = (marker_position(model, state, t.model_marker) - t.target).norm();
    sum_sq += e * e;
    if (e > out.max_error_m) {
      out.max_error_m = e;
      out.worst_marker = t.name;
    }
  }
  out.rms_error_m = std::sqrt(sum_sq / nm);

  // Move the non-fixed markers onto the measured positions, in their bodies' frames.
  for (Marker& m : model.markers) {
    if (m.fixed) continue;
    const Vec3& target = average[static_cast<std::size_t>(markers.marker_index(m.name))];
    if (!target.allFinite()) continue;
    m.location_m = state.X_ground_body[static_cast<std::size_t>(m.body)].inverse().apply(target);
    out.moved_markers.push_back(m.name);
  }
  return out;
}

std::string scale_set_xml(const std::vector<SegmentScale>& scales, const std::string& name) {
  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<OpenSimDocument Version=\"40000\">\n\t<ScaleSet name=\""
    << name << "\">\n\t\t<objects>\n";
  auto one = [&](const std::string& body, const Vec3& f) {
    o << "\t\t\t<Scale>\n\t\t\t\t<scales>" << num(f[0]) << " " << num(f[1]) << " " << num(f[2])
      << "</scales>\n\t\t\t\t<segment>" << body
      << "</segment>\n\t\t\t\t<apply>true</apply>\n\t\t\t</Scale>\n";
  };
  one("ground", Vec3::Ones());
  for (const SegmentScale& s : scales) one(s.body, s.factors);
  o << "\t\t</objects>\n\t\t<groups />\n\t</ScaleSet>\n</OpenSimDocument>\n";
  return o.str();
}

std::string marker_set_xml(const Model& model) {
  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<OpenSimDocument Version=\"40000\">\n\t<MarkerSet "
       "name=\"markerset\">"
       "\n\t\t<objects>\n";
  for (const Marker& m : model.markers) {
    o << "\t\t\t<Marker name=\"" << m.name << "\">\n\t\t\t\t<socket_parent_frame>/bodyset/"
      << model.bodies[static_cast<std::size_t>(m.body)].name << "</socket_parent_frame>\n\t\t\t\t<location>"
      << num(m.location_m[0]) << " " << num(m.location_m[1]) << " " << num(m.location_m[2])
      << "</location>\n\t\t\t\t<fixed>" << (m.fixed ? "true" : "false") << "</fixed>\n\t\t\t</Marker>\n";
  }
  o << "\t\t</objects>\n\t\t<groups />\n\t</MarkerSet>\n</OpenSimDocument>\n";
  return o.str();
}

ScaleToolResult run_scale_tool(const ScaleSetup& setup, const ScaleToolOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  ScaleToolResult result;
  result.warnings = setup.warnings;
  const std::filesystem::path model_file =
      options.model_file.empty() ? setup.generic_model_maker.model_file : options.model_file;
  std::error_code ec;
  if (options.model_file.empty() && !std::filesystem::exists(model_file, ec))
    throw InputError(setup.setup_file, setup.generic_model_maker.model_file_line, 0,
                     "<model_file> names a file that does not exist: " + model_file.string());
  Model model = read_osim(model_file);
  if (!setup.generic_model_maker.marker_set_file.empty())
    update_marker_set(model, read_marker_set(setup.generic_model_maker.marker_set_file, model));
  if (!setup.name.empty()) model.name = setup.name;
  result.generic_mass_kg = model.total_mass_kg();

  const auto& ms = setup.model_scaler;
  Model scaled_only;  // ModelScaler's output model, before marker placement
  if (ms.apply) {
    MarkerTable static_markers;
    const MarkerTable* markers = nullptr;
    if (!ms.marker_file.empty()) {
      static_markers = read_trc(ms.marker_file);
      markers = &static_markers;
    }
    result.scales =
        model_scaler_factors(model, setup, markers, &result.measurements, result.warnings, options.strict);
    model = scale_model_like_opensim(model, result.scales, setup.mass_kg, ms.preserve_mass_distribution);
    result.scaled = true;
    if (!ms.output_model_file.empty() && options.write_files) scaled_only = model;
  } else {
    for (std::size_t b = 1; b < model.bodies.size(); ++b)
      result.scales.push_back({model.bodies[b].name, Vec3::Ones()});
  }
  if (setup.marker_placer.apply) {
    const MarkerTable trial = read_trc(setup.marker_placer.marker_file);
    result.placement = place_markers(model, trial, setup.marker_placer.marker_file, setup);
    result.placed = true;
  }
  result.model = model;

  if (options.write_files) {
    auto write = [&](const std::filesystem::path& file, const std::string& text) {
      if (file.empty()) return;
      const auto target = output_path(file, options);
      if (!target.parent_path().empty()) std::filesystem::create_directories(target.parent_path());
      write_text_atomically(target, text);
      result.written.push_back(target);
    };
    // The output models: the generic document with the scaled values (ModelScaler: before marker
    // placement; MarkerPlacer: after). A document the writer cannot patch gets a warning, and the scale
    // set and marker set files carry the changes instead.
    const auto& mp = setup.marker_placer;
    OsimWriteOptions osim_options;
    osim_options.source = model_file;
    if (ms.apply)
      for (const SegmentScale& s : result.scales) osim_options.geometry_scale_factors[s.body] = s.factors;
    const auto beside = [](const std::filesystem::path& osim, const char* suffix) {
      return osim.parent_path() / (osim.stem().string() + suffix);
    };
    std::filesystem::path scale_file = ms.output_scale_file, marker_file = mp.output_marker_file;
    auto write_model = [&](const std::filesystem::path& osim, const Model& m, std::filesystem::path& fallback,
                           const char* suffix) {
      if (osim.empty()) return;
      std::string text;
      try {
        text = osim_document_text(m, read_text_file(model_file, kMaxModelBytes, "model"), model_file.string(),
                                  osim_options);
      } catch (const InputError& e) {
        result.warnings.push_back(output_path(osim, options).string() + ": not written (" + e.what() + ")");
        if (fallback.empty()) fallback = beside(osim, suffix);
        return;
      }
      write(osim, text);
    };
    if (ms.apply) write_model(ms.output_model_file, scaled_only, scale_file, "_scaleset.xml");
    if (result.placed) write_model(mp.output_model_file, model, marker_file, "_markers.xml");
    if (ms.apply) write(scale_file, scale_set_xml(result.scales, model.name + "_scaleset"));
    if (result.placed) {
      write(marker_file, marker_set_xml(model));
      if (!setup.marker_placer.output_motion_file.empty()) {
        TimeTable pose;
        pose.name = "static pose";
        pose.in_degrees = true;
        pose.time_s = {result.placement.time_s};
        pose.values.resize(1, model.num_coordinates());
        for (int c = 0; c < model.num_coordinates(); ++c) {
          const Coordinate& coord = model.coordinates[static_cast<std::size_t>(c)];
          pose.labels.push_back(coord.name);
          const double v = result.placement.q[c];
          pose.values(0, c) = coord.motion_type == MotionType::Rotational ? v * 180.0 / std::numbers::pi : v;
        }
        const auto target = output_path(setup.marker_placer.output_motion_file, options);
        if (!target.parent_path().empty()) std::filesystem::create_directories(target.parent_path());
        write_storage(target, pose);
        result.written.push_back(target);
      }
    }
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace glutelab
