// Scaling a generic model to a person, muscle lengths included (see body_scaling.hpp).
#include "glutelab/muscle/body_scaling.hpp"

#include "glutelab/kinematics/kinematics.hpp"
#include "glutelab/kinematics/state.hpp"
#include "glutelab/muscle/muscle_path.hpp"

namespace glutelab {

std::vector<double> default_pose_musculotendon_lengths(const Model& model) {
  State state(model);
  PathWorkspace workspace(model);
  set_default_coordinates(model, state);
  compute_positions(model, state);
  std::vector<double> lengths(model.muscles.size());
  for (std::size_t m = 0; m < lengths.size(); ++m)
    lengths[m] = path_length(model, state, static_cast<int>(m), workspace);
  return lengths;
}

Model scale_body(const Model& generic, const std::vector<SegmentScale>& scales, double target_mass_kg,
                 bool preserve_mass_distribution, Sex sex) {
  Model scaled = scale_model(generic, scales, target_mass_kg, preserve_mass_distribution, sex);
  rescale_muscle_lengths(scaled, default_pose_musculotendon_lengths(generic),
                         default_pose_musculotendon_lengths(scaled));
  return scaled;
}

Model scale_body(const Model& generic, const BodyDescription& body, bool preserve_mass_distribution) {
  return scale_body(generic, segment_scales(generic, body), body.mass_kg, preserve_mass_distribution,
                    body.sex);
}

}  // namespace glutelab
