#include "glutelab/analysis/analyze_tool.hpp"

#include <algorithm>
#include <stdexcept>

#include "glutelab/io/external_loads.hpp"
#include "glutelab/io/force_set_reader.hpp"
#include "glutelab/io/input_error.hpp"
#include "glutelab/io/motion.hpp"
#include "glutelab/io/osim_reader.hpp"

namespace glutelab {

StaticOptimizationResult forces_at_frames(const Model& model, const TimeTable& forces,
                                          const AnalysisFrames& frames) {
  StaticOptimizationResult r;
  r.num_muscles = static_cast<int>(model.muscles.size());
  for (const Muscle& m : model.muscles) r.actuator_names.push_back(m.name);
  for (const Actuator& a : model.actuators)
    if (a.applies_force) r.actuator_names.push_back(a.name);
  r.time_s = frames.time_s;
  r.q = frames.q;
  r.qdot = frames.qdot;
  r.qddot = frames.qddot;
  const auto n_frames = static_cast<Eigen::Index>(frames.time_s.size());
  r.force.setZero(n_frames, static_cast<Eigen::Index>(r.actuator_names.size()));
  r.activation.setZero(n_frames, static_cast<Eigen::Index>(r.actuator_names.size()));
  if (forces.rows() < 1) throw std::invalid_argument("the forces file has no rows");
  for (std::size_t k = 0; k < r.actuator_names.size(); ++k) {
    const int c = forces.column(r.actuator_names[k]);
    if (c < 0) throw std::invalid_argument("the forces file has no column for '" + r.actuator_names[k] + "'");
    for (Eigen::Index f = 0; f < n_frames; ++f) {
      const double t = frames.time_s[static_cast<std::size_t>(f)];
      const auto& ts = forces.time_s;
      if (t < ts.front() - 1e-9 || t > ts.back() + 1e-9)
        throw std::invalid_argument("time " + std::to_string(t) + " s is outside the forces file's range");
      const auto it = std::upper_bound(ts.begin(), ts.end(), t);
      const auto i1 =
          std::clamp<std::ptrdiff_t>(it - ts.begin(), 1, static_cast<std::ptrdiff_t>(ts.size()) - 1);
      const auto i0 = i1 - 1;
      double value = forces.values(i0, c);
      if (ts.size() > 1) {
        const double w = (t - ts[static_cast<std::size_t>(i0)]) /
                         (ts[static_cast<std::size_t>(i1)] - ts[static_cast<std::size_t>(i0)]);
        value = (1.0 - w) * forces.values(i0, c) + w * forces.values(i1, c);
      }
      r.force(f, static_cast<Eigen::Index>(k)) = value;
    }
  }
  return r;
}

AnalyzeToolRun run_analyze_tool(const AnalyzeSetup& setup, const AnalyzeToolOptions& options) {
  Model model = read_osim(setup.model_file);
  if (setup.replace_force_set) {
    model.muscles.clear();
    model.actuators.clear();
  }
  for (const auto& file : setup.force_set_files)
    for (Actuator& a : read_force_set_actuators(file, model)) model.actuators.push_back(a);
  const Motion motion = read_motion(model, setup.coordinates_file, /*require_all=*/true);
  ExternalLoads loads;
  const bool have_loads = !setup.external_loads_file.empty();
  if (have_loads)
    loads = read_external_loads(setup.external_loads_file, model, setup.setup_file.parent_path());
  const std::filesystem::path dir =
      options.results_directory.empty() ? setup.results_directory : options.results_directory;
  std::filesystem::create_directories(dir);
  const std::string prefix = setup.name.empty() ? std::string() : setup.name + "_";
  AnalyzeToolRun run;

  auto wrap = [&](const std::filesystem::path& file, auto&& body) {
    try {
      return body();
    } catch (const std::invalid_argument& e) {
      throw InputError(file, e.what());
    }
  };

  if (setup.static_optimization.on) {
    StaticOptimizationOptions so;
    so.mode = options.mode;
    so.opensim_version = options.opensim_version;
    so.exponent = setup.static_optimization.activation_exponent;
    so.use_muscle_physiology = setup.static_optimization.use_muscle_physiology;
    so.cutoff_hz = setup.cutoff_hz;
    so.start_s = setup.start_s;
    so.end_s = setup.end_s;
    so.step_interval = setup.static_optimization.step_interval;
    so.threads = options.threads;
    so.progress = options.progress;
    run.static_optimization = wrap(setup.coordinates_file, [&] {
      return static_optimization(model, motion, have_loads ? &loads : nullptr, so);
    });
    run.ran_static_optimization = true;
    for (std::size_t f = 0; f < run.static_optimization.frames.size(); ++f) {
      const StaticOptimizationFrame& fr = run.static_optimization.frames[f];
      if (fr.converged) continue;
      std::string what = "frame at t = " + std::to_string(run.static_optimization.time_s[f]) +
                         " s could not be balanced: residual " + std::to_string(fr.max_residual);
      if (fr.worst_coordinate >= 0)
        what += " at " + model.coordinates[static_cast<std::size_t>(fr.worst_coordinate)].name;
      if (!fr.saturated_muscles.empty())
        what += ", " + std::to_string(fr.saturated_muscles.size()) + " muscles saturated";
      run.warnings.push_back(what);
    }
    const auto activation = dir / (prefix + "StaticOptimization_activation.sto");
    const auto force = dir / (prefix + "StaticOptimization_force.sto");
    write_storage(activation, static_optimization_activation_table(run.static_optimization));
    write_storage(force, static_optimization_force_table(run.static_optimization));
    run.written.push_back(activation);
    run.written.push_back(force);
  }

  if (setup.joint_reaction.on) {
    const auto requests = wrap(setup.setup_file, [&] {
      return joint_reaction_requests(model, setup.joint_reaction.joint_names,
                                     setup.joint_reaction.apply_on_bodies,
                                     setup.joint_reaction.express_in_frame);
    });
    const AnalysisFrames frames = wrap(setup.coordinates_file, [&] {
      return analysis_frames(motion, setup.cutoff_hz, setup.start_s, setup.end_s,
                             setup.joint_reaction.step_interval);
    });
    StaticOptimizationResult forces;
    if (run.ran_static_optimization) {
      forces = forces_at_frames(model, static_optimization_force_table(run.static_optimization), frames);
    } else {
      std::error_code ec;
      if (setup.joint_reaction.forces_file.empty() ||
          !std::filesystem::exists(setup.joint_reaction.forces_file, ec))
        throw InputError(setup.setup_file, "JointReaction needs muscle forces: a forces_file that exists (" +
                                               setup.joint_reaction.forces_file.string() +
                                               ") or a StaticOptimization in the same setup");
      const TimeTable table = read_storage(setup.joint_reaction.forces_file);
      forces = wrap(setup.joint_reaction.forces_file, [&] { return forces_at_frames(model, table, frames); });
    }
    run.joint_reaction = joint_reactions(model, forces, have_loads ? &loads : nullptr, requests);
    run.ran_joint_reaction = true;
    const auto file = dir / (prefix + "JointReaction_ReactionLoads.sto");
    write_storage(file, joint_reaction_table(run.joint_reaction));
    run.written.push_back(file);
  }
  return run;
}

}  // namespace glutelab
