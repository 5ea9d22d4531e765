// Anatomical region of a muscle from its name, for the naming schemes of the OpenSim lower-limb
// models (gait2392, Rajagopal, Lai-Uhlrich, Hamner) and arm26. Gluteal and deep hip rotator groups
// come first in MuscleRegion's order, as glutelab lists them first.
#pragma once

#include <string>
#include <string_view>

namespace glutelab {

enum class MuscleRegion {
  GluteusMaximus,
  GluteusMedius,
  GluteusMinimus,
  DeepHipRotators,  ///< piriformis, gemelli, obturators, quadratus femoris
  HipFlexors,       ///< iliacus, psoas, tensor fasciae latae, sartorius
  HipAdductors,
  Hamstrings,
  Quadriceps,
  Calf,
  Shin,  ///< anterior, lateral and deep posterior leg, foot
  Trunk,
  Arm,
  Other,
};

/// Region of a muscle by name (case-insensitive, side suffix ignored).
MuscleRegion muscle_region(std::string_view muscle_name);

/// Human-readable name of a region, e.g. "gluteus medius".
std::string region_name(MuscleRegion region);

/// Plain-language group of a muscle by name, for people rather than anatomists: "gluteus maximus",
/// "gluteus medius", "gluteus minimus", "deep six", "hip flexors", "adductors", "hamstrings",
/// "quadriceps", "calves", "shin and foot", "lower back" (erector spinae), "abdominals" (obliques),
/// "arm" or "other".
std::string muscle_group(std::string_view muscle_name);

/// True for the glutes (maximus, medius, minimus) and the deep six rotators.
inline bool is_gluteal_or_deep_hip(MuscleRegion r) { return r <= MuscleRegion::DeepHipRotators; }

}  // namespace glutelab
