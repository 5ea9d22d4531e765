// Joint reaction loads as OpenSim's JointReaction analysis defines them: the force and moment a joint
// transmits to its child body at the child joint frame's origin (or to its parent at the parent frame's
// origin), from the motion, gravity, external loads and the muscle and actuator forces (e.g. from static
// optimization), expressed in a chosen frame. The hip contact force is the hip joint's reaction on the
// femur.
#pragma once

#include <string>
#include <vector>

#include <Eigen/Core>

#include "glutelab/analysis/static_optimization.hpp"
#include "glutelab/io/external_loads.hpp"
#include "glutelab/io/storage.hpp"
#include "glutelab/model/model.hpp"

namespace glutelab {

/// One reaction to report.
struct JointReactionRequest {
  int joint = 0;         ///< Model::joints index
  bool on_child = true;  ///< the load on the child body (else on the parent body)
  int frame = 0;         ///< Model::frames index the load is expressed in (0: ground)
};

/// Requests from OpenSim's JointReaction properties: joint names ("All" for every joint),
/// apply_on_bodies ("child"/"parent") and express_in_frame (a frame name, "ground", "child" or
/// "parent"), each of length 1 or the number of joints. Throws std::invalid_argument naming an
/// unknown joint or frame or a length mismatch.
std::vector<JointReactionRequest> joint_reaction_requests(const Model& model,
                                                          const std::vector<std::string>& joints,
                                                          const std::vector<std::string>& apply_on,
                                                          const std::vector<std::string>& express_in);

struct JointReactionResult {
  std::vector<double> time_s;
  std::vector<JointReactionRequest> requests;
  std::vector<std::string> labels;  ///< <joint>_on_<body>_in_<frame>_{fx,fy,fz,mx,my,mz,px,py,pz}
  Eigen::MatrixXd values;           ///< frames x 9 per request (N, N m, m)
};

/// Reaction loads at the static-optimization frames, with the muscle and actuator forces it found.
/// `loads` may be null.
JointReactionResult joint_reactions(const Model& model, const StaticOptimizationResult& forces,
                                    const ExternalLoads* loads,
                                    const std::vector<JointReactionRequest>& requests);

/// OpenSim's output table "Joint Reaction Loads".
TimeTable joint_reaction_table(const JointReactionResult& result);

/// The hip contact force over the frames, from a hip joint's reaction on the femur: magnitude in
/// newtons and body weights, and components in the femur and pelvis frames.
struct HipContactForce {
  std::vector<double> time_s;
  Eigen::VectorXd magnitude_n;
  Eigen::VectorXd magnitude_bw;
  Eigen::MatrixXd in_femur_n;   ///< frames x 3, the force of the pelvis on the femur, femur axes
  Eigen::MatrixXd in_pelvis_n;  ///< frames x 3, same force, pelvis axes
  double body_weight_n = 0.0;
};
HipContactForce hip_contact_force(const Model& model, const StaticOptimizationResult& forces,
                                  const ExternalLoads* loads, int hip_joint);

}  // namespace glutelab
