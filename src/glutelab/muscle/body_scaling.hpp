// Scaling a generic model to a person in one call: segment scale factors from a BodyDescription
// (model/scaling.hpp), OpenSim's model scaling, then each muscle's optimal fiber and tendon slack
// lengths rescaled by its musculotendon length after/before at the default pose (Muscle::postScale).
#pragma once

#include <vector>

#include "glutelab/model/model.hpp"
#include "glutelab/model/scaling.hpp"

namespace glutelab {

/// Every muscle's musculotendon (path) length in metres with every coordinate at its default value.
std::vector<double> default_pose_musculotendon_lengths(const Model& model);

/// scale_model with the given factors, then rescale_muscle_lengths at the default pose.
Model scale_body(const Model& generic, const std::vector<SegmentScale>& scales, double target_mass_kg,
                 bool preserve_mass_distribution, Sex sex = Sex::Male);

/// segment_scales + scale_body for a described person (mass body.mass_kg). Throws std::invalid_argument
/// for an invalid description.
Model scale_body(const Model& generic, const BodyDescription& body, bool preserve_mass_distribution = true);

}  // namespace glutelab
