#include "glutelab/model/muscle_groups.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace glutelab {

MuscleRegion muscle_region(std::string_view muscle_name) {
  std::string n(muscle_name);
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
  auto starts = [&](std::string_view p) { return n.rfind(p, 0) == 0; };
  // Ordered: the first matching prefix wins (e.g. "gem" before "gas").
  static constexpr std::array<std::pair<std::string_view, MuscleRegion>, 66> prefixes{{
      {"glut_max", MuscleRegion::GluteusMaximus},
      {"glmax", MuscleRegion::GluteusMaximus},
      {"gmax", MuscleRegion::GluteusMaximus},
      {"glut_med", MuscleRegion::GluteusMedius},
      {"glmed", MuscleRegion::GluteusMedius},
      {"gmed", MuscleRegion::GluteusMedius},
      {"glut_min", MuscleRegion::GluteusMinimus},
      {"glmin", MuscleRegion::GluteusMinimus},
      {"gmin", MuscleRegion::GluteusMinimus},
      {"peri", MuscleRegion::DeepHipRotators},
      {"piri", MuscleRegion::DeepHipRotators},
      {"gem", MuscleRegion::DeepHipRotators},
      {"quad_fem", MuscleRegion::DeepHipRotators},
      {"quadfem", MuscleRegion::DeepHipRotators},
      {"obt", MuscleRegion::DeepHipRotators},
      {"obint", MuscleRegion::DeepHipRotators},
      {"obext", MuscleRegion::DeepHipRotators},
      {"iliacus", MuscleRegion::HipFlexors},
      {"psoas", MuscleRegion::HipFlexors},
      {"tfl", MuscleRegion::HipFlexors},
      {"sar", MuscleRegion::HipFlexors},
      {"add_", MuscleRegion::HipAdductors},
      {"addlong", MuscleRegion::HipAdductors},
      {"addbrev", MuscleRegion::HipAdductors},
      {"addmag", MuscleRegion::HipAdductors},
      {"pect", MuscleRegion::HipAdductors},
      {"grac", MuscleRegion::HipAdductors},
      {"semimem", MuscleRegion::Hamstrings},
      {"semiten", MuscleRegion::Hamstrings},
      {"bifem", MuscleRegion::Hamstrings},
      {"bflh", MuscleRegion::Hamstrings},
      {"bfsh", MuscleRegion::Hamstrings},
      {"bi_fem", MuscleRegion::Hamstrings},
      {"rect_fem", MuscleRegion::Quadriceps},
      {"recfem", MuscleRegion::Quadriceps},
      {"vas", MuscleRegion::Quadriceps},
      {"med_gas", MuscleRegion::Calf},
      {"lat_gas", MuscleRegion::Calf},
      {"gasmed", MuscleRegion::Calf},
      {"gaslat", MuscleRegion::Calf},
      {"gastroc", MuscleRegion::Calf},
      {"soleus", MuscleRegion::Calf},
      {"sol", MuscleRegion::Calf},
      {"tib_", MuscleRegion::Shin},
      {"tibant", MuscleRegion::Shin},
      {"tibpost", MuscleRegion::Shin},
      {"per_", MuscleRegion::Shin},
      {"perbrev", MuscleRegion::Shin},
      {"perlong", MuscleRegion::Shin},
      {"flex_", MuscleRegion::Shin},
      {"ext_", MuscleRegion::Shin},
      {"edl", MuscleRegion::Shin},
      {"ehl", MuscleRegion::Shin},
      {"fdl", MuscleRegion::Shin},
      {"fhl", MuscleRegion::Shin},
      {"ercspn", MuscleRegion::Trunk},
      {"intobl", MuscleRegion::Trunk},
      {"extobl", MuscleRegion::Trunk},
      {"lumbar", MuscleRegion::Trunk},
      {"tri", MuscleRegion::Arm},
      {"bic", MuscleRegion::Arm},
      {"bra", MuscleRegion::Arm},
      {"delt", MuscleRegion::Arm},
      {"hamstrings", MuscleRegion::Hamstrings},
      {"glut", MuscleRegion::GluteusMaximus},
      {"rf", MuscleRegion::Quadriceps},
  }};
  for (const auto& [prefix, region] : prefixes)
    if (starts(prefix)) return region;
  return MuscleRegion::Other;
}

std::string region_name(MuscleRegion region) {
  switch (region) {
    case MuscleRegion::GluteusMaximus:
      return "gluteus maximus";
    case MuscleRegion::GluteusMedius:
      return "gluteus medius";
    case MuscleRegion::GluteusMinimus:
      return "gluteus minimus";
    case MuscleRegion::DeepHipRotators:
      return "deep hip rotators";
    case MuscleRegion::HipFlexors:
      return "hip flexors";
    case MuscleRegion::HipAdductors:
      return "hip adductors";
    case MuscleRegion::Hamstrings:
      return "hamstrings";
    case MuscleRegion::Quadriceps:
      return "quadriceps";
    case MuscleRegion::Calf:
      return "calf";
    case MuscleRegion::Shin:
      return "shin and foot";
    case MuscleRegion::Trunk:
      return "trunk";
    case MuscleRegion::Arm:
      return "arm";
    case MuscleRegion::Other:
      return "other";
  }
  return "other";
}

std::string muscle_group(std::string_view muscle_name) {
  const MuscleRegion region = muscle_region(muscle_name);
  switch (region) {
    case MuscleRegion::GluteusMaximus:
    case MuscleRegion::GluteusMedius:
    case MuscleRegion::GluteusMinimus:
    case MuscleRegion::HipFlexors:
    case MuscleRegion::Hamstrings:
    case MuscleRegion::Quadriceps:
    case MuscleRegion::Shin:
    case MuscleRegion::Arm:
    case MuscleRegion::Other:
      return region_name(region);
    case MuscleRegion::DeepHipRotators:
      return "deep six";
    case MuscleRegion::HipAdductors:
      return "adductors";
    case MuscleRegion::Calf:
      return "calves";
    case MuscleRegion::Trunk: {
      std::string n(muscle_name);
      std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
      return n.rfind("intobl", 0) == 0 || n.rfind("extobl", 0) == 0 ? "abdominals" : "lower back";
    }
  }
  return "other";
}

}  // namespace glutelab
