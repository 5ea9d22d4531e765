#include "glutelab/analysis/joint_reaction.hpp"
#include "glutelab/model/names.hpp"

#include <algorithm>
#include <stdexcept>

#include "glutelab/dynamics/actuator_loads.hpp"
#include "glutelab/dynamics/external_load_forces.hpp"
#include "glutelab/dynamics/inverse_dynamics.hpp"
#include "glutelab/dynamics/muscle_forces.hpp"
#include "glutelab/kinematics/kinematics.hpp"
#include "glutelab/muscle/muscle_path.hpp"

namespace glutelab {
namespace {

const std::string& pick(const std::vector<std::string>& values, std::size_t i) {
  return values.size() == 1 ? values[0] : values[i];
}

/// The reaction of one request at the current state, after inverse_dynamics filled `ws`:
/// force, moment (at the joint frame origin) and that origin, expressed in the request's frame.
void reaction(const Model& model, const State& s, const InverseDynamicsWorkspace& ws,
              const JointReactionRequest& r, double* out9) {
  const Joint& joint = model.joints[static_cast<std::size_t>(r.joint)];
  const auto C = static_cast<std::size_t>(joint.child_body);
  const Vec3 F = ws.force[C];
  const Vec3 N_origin = ws.moment[C];
  Vec3 force, moment, point;
  if (r.on_child) {
    point = s.X_ground_body[C].apply(joint.X_child_M.p);
    force = F;
    moment = N_origin - point.cross(F);
  } else {
    point = s.X_ground_body[static_cast<std::size_t>(joint.parent_body)].apply(joint.X_parent_F.p);
    force = -F;
    moment = -(N_origin - point.cross(F));
  }
  const Transform X = frame_pose(model, s, r.frame);
  const Mat3 Rt = X.R.transpose();
  const Vec3 f = Rt * force, m = Rt * moment, p = Rt * (point - X.p);
  for (int k = 0; k < 3; ++k) {
    out9[k] = f[k];
    out9[3 + k] = m[k];
    out9[6 + k] = p[k];
  }
}

/// Calls `visit(frame, state, workspace)` after the inverse dynamics of every frame of `forces`,
/// with muscle, point and torque actuator forces applied (coordinate actuators are mobility forces,
/// which the reaction includes, as in Simbody's mobilizer reaction).
template <class Visit>
void for_each_frame(const Model& model, const StaticOptimizationResult& forces, const ExternalLoads* loads,
                    Visit&& visit) {
  const int nm = forces.num_muscles;
  if (nm != static_cast<int>(model.muscles.size()))
    throw std::invalid_argument("the forces do not belong to this model (muscle count differs)");
  std::vector<int> actuators;
  for (std::size_t a = 0; a < model.actuators.size(); ++a)
    if (model.actuators[a].applies_force) actuators.push_back(static_cast<int>(a));
  if (static_cast<int>(forces.actuator_names.size()) != nm + static_cast<int>(actuators.size()))
    throw std::invalid_argument("the forces do not belong to this model (actuator count differs)");
  State s(model);
  PathWorkspace paths(model);
  InverseDynamicsWorkspace ws(model);
  BodyForces applied(model);
  Eigen::VectorXd tau(model.num_coordinates());
  for (int f = 0; f < static_cast<int>(forces.time_s.size()); ++f) {
    s.q = forces.q.row(f).transpose();
    s.qdot = forces.qdot.row(f).transpose();
    s.qddot = forces.qddot.row(f).transpose();
    compute_positions(model, s);
    applied.clear();
    if (loads != nullptr)
      add_external_loads(model, s, *loads, forces.time_s[static_cast<std::size_t>(f)], applied);
    for (int i = 0; i < nm; ++i) add_muscle_forces(model, s, i, forces.force(f, i), paths, applied);
    for (std::size_t k = 0; k < actuators.size(); ++k) {
      const Actuator& a = model.actuators[static_cast<std::size_t>(actuators[k])];
      const double value = forces.force(f, nm + static_cast<Eigen::Index>(k));
      add_actuator_loads(model, s, a, value, applied);
    }
    inverse_dynamics(model, s, &applied, ws, tau);
    visit(f, s, ws);
  }
}

}  // namespace

std::vector<JointReactionRequest> joint_reaction_requests(const Model& model,
                                                          const std::vector<std::string>& joints,
                                                          const std::vector<std::string>& apply_on,
                                                          const std::vector<std::string>& express_in) {
  std::vector<int> joint_indices;
  if (joints.empty() || (joints.size() == 1 && to_lower(joints[0]) == "all")) {
    for (std::size_t j = 0; j < model.joints.size(); ++j) joint_indices.push_back(static_cast<int>(j));
  } else {
    for (const std::string& name : joints) {
      int found = -1;
      for (std::size_t j = 0; j < model.joints.size(); ++j)
        if (model.joints[j].name == name) found = static_cast<int>(j);
      if (found < 0) throw std::invalid_argument("unknown joint '" + name + "' in joint_names");
      joint_indices.push_back(found);
    }
  }
  const std::size_t n = joint_indices.size();
  auto check_length = [&](const std::vector<std::string>& v, const char* what) {
    if (!v.empty() && v.size() != 1 && v.size() != n)
      throw std::invalid_argument(std::string(what) + " needs 1 value or one per joint (" +
                                  std::to_string(n) + "), got " + std::to_string(v.size()));
  };
  check_length(apply_on, "apply_on_bodies");
  check_length(express_in, "express_in_frame");
  std::vector<JointReactionRequest> requests;
  for (std::size_t i = 0; i < n; ++i) {
    JointReactionRequest r;
    r.joint = joint_indices[i];
    const Joint& joint = model.joints[static_cast<std::size_t>(r.joint)];
    const std::string on = apply_on.empty() ? "child" : to_lower(pick(apply_on, i));
    if (on != "child" && on != "parent")
      throw std::invalid_argument("apply_on_bodies must be 'child' or 'parent', got '" + pick(apply_on, i) +
                                  "'");
    r.on_child = on == "child";
    const std::string frame = express_in.empty() ? "ground" : pick(express_in, i);
    if (to_lower(frame) == "child")
      r.frame = joint.child_body;
    else if (to_lower(frame) == "parent")
      r.frame = joint.parent_body;
    else {
      r.frame = model.frame_index(frame);
      if (r.frame < 0) r.frame = model.frame_index("/bodyset/" + frame);
      if (r.frame < 0) throw std::invalid_argument("unknown frame '" + frame + "' in express_in_frame");
    }
    requests.push_back(r);
  }
  return requests;
}

JointReactionResult joint_reactions(const Model& model, const StaticOptimizationResult& forces,
                                    const ExternalLoads* loads,
                                    const std::vector<JointReactionRequest>& requests) {
  JointReactionResult result;
  result.time_s = forces.time_s;
  result.requests = requests;
  static const char* kSuffix[9] = {"fx", "fy", "fz", "mx", "my", "mz", "px", "py", "pz"};
  for (const JointReactionRequest& r : requests) {
    const Joint& joint = model.joints[static_cast<std::size_t>(r.joint)];
    const std::string body =
        model.bodies[static_cast<std::size_t>(r.on_child ? joint.child_body : joint.parent_body)].name;
    const std::string prefix =
        joint.name + "_on_" + body + "_in_" + model.frames[static_cast<std::size_t>(r.frame)].name + "_";
    for (const char* suffix : kSuffix) result.labels.push_back(prefix + suffix);
  }
  result.values.setZero(static_cast<Eigen::Index>(forces.time_s.size()),
                        static_cast<Eigen::Index>(9 * requests.size()));
  for_each_frame(model, forces, loads, [&](int f, const State& s, const InverseDynamicsWorkspace& ws) {
    for (std::size_t k = 0; k < requests.size(); ++k) {
      double out[9];
      reaction(model, s, ws, requests[k], out);
      for (int c = 0; c < 9; ++c)
        result.values(f, static_cast<Eigen::Index>(9 * k + static_cast<std::size_t>(c))) = out[c];
    }
  });
  return result;
}

TimeTable joint_reaction_table(const JointReactionResult& result) {
  TimeTable t;
  t.name = "Joint Reaction Loads";
  t.time_s = result.time_s;
  t.labels = result.labels;
  t.values = result.values;
  return t;
}

HipContactForce hip_contact_force(const Model& model, const StaticOptimizationResult& forces,
                                  const ExternalLoads* loads, int hip_joint) {
  const Joint& hip = model.joints[static_cast<std::size_t>(hip_joint)];
  HipContactForce h;
  h.time_s = forces.time_s;
  const auto frames = static_cast<Eigen::Index>(forces.time_s.size());
  h.magnitude_n.resize(frames);
  h.magnitude_bw.resize(frames);
  h.in_femur_n.resize(frames, 3);
  h.in_pelvis_n.resize(frames, 3);
  h.body_weight_n = model.total_mass_kg() * model.gravity.norm();
  const JointReactionRequest in_femur{hip_joint, true, hip.child_body};
  const JointReactionRequest in_pelvis{hip_joint, true, hip.parent_body};
  for_each_frame(model, forces, loads, [&](int f, const State& s, const InverseDynamicsWorkspace& ws) {
    double a[9], b[9];
    reaction(model, s, ws, in_femur, a);
    reaction(model, s, ws, in_pelvis, b);
    h.in_femur_n.row(f) << a[0], a[1], a[2];
    h.in_pelvis_n.row(f) << b[0], b[1], b[2];
    h.magnitude_n[f] = h.in_femur_n.row(f).norm();
    h.magnitude_bw[f] = h.magnitude_n[f] / h.body_weight_n;
  });
  return h;
}

}  // namespace glutelab
