// Scaling a generic model to a person described by height, mass and sex (optionally measured segment
// lengths), with segment proportions and mass fractions from de Leva's anthropometry:
//   de Leva P. (1996) Adjustments to Zatsiorsky-Seluyanov's segment inertia parameters.
//   J Biomech 29(9):1223-1230 (Table 4).
// The model transformation mirrors OpenSim's ScaleTool model scaling (Model::scale): joint frames,
// CustomJoint translation functions, mass centres, inertias, markers, path points, wrap objects,
// and each muscle's optimal fiber and tendon slack lengths (Muscle::postScale rule). See docs/scaling.md.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "glutelab/math/spatial.hpp"
#include "glutelab/model/model.hpp"

namespace glutelab {

enum class Sex { Male, Female };

/// The person a model is scaled to. Lengths between joint centres as de Leva defines them:
/// thigh = hip joint centre to knee joint centre, shank = knee joint centre to lateral malleolus
/// (ankle joint centre in models), trunk = C7 to the midpoint of the hip joint centres;
/// pelvis width = distance between the two hip joint centres.
struct BodyDescription {
  double height_m = 0.0;
  double mass_kg = 0.0;
  Sex sex = Sex::Male;
  std::optional<double> thigh_length_m;
  std::optional<double> shank_length_m;
  std::optional<double> trunk_length_m;
  std::optional<double> pelvis_width_m;
  /// Used for a length that is not measured (derived from a measured one, or splitting de Leva's leg
  /// length); when both lengths are measured the ratio must agree with them to 1 %.
  std::optional<double> thigh_to_shank_ratio;
  std::optional<double> thigh_to_trunk_ratio;
};

/// Throws std::invalid_argument naming the field, its plausible range and the value given, for
/// impossible values: a sex other than Male/Female, non-finite or non-positive numbers, height outside
/// [1.0, 2.5] m, mass outside [25, 300] kg, segment lengths outside plausible fractions of height (thigh and
/// shank in [0.15, 0.35] H, trunk in [0.20, 0.45] H, pelvis width in [0.05, 0.20] H), ratios outside
/// [0.5, 2.0] (thigh/shank) or [0.4, 1.5] (thigh/trunk), or ratios that contradict measured lengths.
void validate(const BodyDescription& body);

/// de Leva's segments. The trunk is split into his upper (UPT), middle (MPT) and lower (LPT) parts:
/// a model's pelvis carries the LPT, its torso the UPT and MPT.
enum class Segment { Head, UpperTrunk, MiddleTrunk, LowerTrunk, UpperArm, Forearm, Hand, Thigh, Shank, Foot };
inline constexpr int kNumSegments = 10;

/// One row of de Leva 1996, Table 4, for one sex. Fractions are of body mass (mass) and of the
/// segment length (centre of mass from the proximal end point, radii of gyration about the centre of mass).
struct SegmentAnthropometry {
  Segment segment;
  const char* name;
  double length_m;                  ///< at de Leva's reference stature (1.741 m male, 1.735 m female)
  double mass_fraction;             ///< of body mass
  double mass_center_fraction;      ///< from the proximal end point, of segment length
  double radius_sagittal_fraction;  ///< radius of gyration, sagittal axis, of segment length
  double radius_transverse_fraction;
  double radius_longitudinal_fraction;
};

/// de Leva's reference stature (m) of the sample behind his lengths.
double de_leva_reference_stature_m(Sex sex);
/// The table row of a segment (lengths at the reference stature).
const SegmentAnthropometry& anthropometry(Sex sex, Segment segment);
/// Segment length as a fraction of stature (length / reference stature).
double length_fraction_of_height(Sex sex, Segment segment);
/// de Leva's trunk (C7 to mid-hip: UPT + MPT + LPT) as a fraction of stature.
double trunk_fraction_of_height(Sex sex);

/// A segment of a given person in SI: mass, length, centre of mass from the proximal end, radii of gyration.
struct SegmentInertia {
  double mass_kg;
  double length_m;
  double mass_center_from_proximal_m;
  Vec3 radii_of_gyration_m;  ///< sagittal, transverse, longitudinal
};
SegmentInertia segment_inertia(const BodyDescription& body, Segment segment);

/// The segment lengths to scale to: measured ones, then ones derived through the ratios, then
/// de Leva's fractions of height. Validates the description (and the derived lengths).
struct TargetSegmentLengths {
  double thigh_m;
  double shank_m;
  double trunk_m;  ///< C7 to mid-hip (de Leva's trunk: UPT + MPT + LPT)
};
TargetSegmentLengths target_segment_lengths(const BodyDescription& body);

/// The de Leva segment a model body is mapped to by its name ("femur_r" -> Thigh, "torso" -> trunk
/// parts...), or nullopt (body kept with the mean length factor and its generic mass share).
std::optional<Segment> segment_of_body(const std::string& body_name);

/// Per-body scale factors along the body's x, y, z axes (OpenSim convention: y longitudinal).
struct SegmentScale {
  std::string body;
  Vec3 factors = Vec3::Ones();
};

/// Scale factors for every body of `generic` (ground included, always 1), from the description:
/// thigh and shank from the distance between joint centres at the default pose (the y factor is solved
/// so that the scaled joint-centre distance equals the target exactly), pelvis from the distance between
/// the hip joint centres when pelvis_width_m is given, the others from the ratio of height to the generic
/// model's stature estimated from its leg (trunk: measured trunk length over the estimate). Transverse
/// (x, z) factors: pelvis width factor if given, else the mean of the thigh, shank and trunk length factors.
/// Validates the description; throws std::invalid_argument for a model without pelvis, femurs or tibias.
std::vector<SegmentScale> segment_scales(const Model& generic, const BodyDescription& body);

/// Scales `generic` as OpenSim's ScaleTool does (Model::scale):
///  - joint frames: X_parent_F.p by the parent body's factors, X_child_M.p by the child's; offset frames
///    by their body's factors; CustomJoint translation functions by (axis · parent factors), except a
///    translation that is a degree of freedom (LinearFunction 1, 0) (SpatialTransform::scale);
///  - mass centres, markers, path points (fixed, conditional, and moving points' location functions)
///    elementwise by their body's factors; wrap object translations, and dimensions as OpenSim's
///    WrapCylinder/Sphere/Ellipsoid/Torus::extendScale;
///  - inertias as Body::scaleInertialProperties (exact for uniform factors, a cylinder model otherwise),
///    then by the mass ratio;
///  - masses scaled to total `target_mass_kg`: the generic proportions when preserve_mass_distribution,
///    else de Leva's mass fractions for `sex` (bodies without a segment keep their generic share).
/// Muscle fiber and tendon slack lengths are not touched: see rescale_muscle_lengths.
/// `scales` must have one entry per body, by name (missing bodies keep factor 1).
Model scale_model(const Model& generic, const std::vector<SegmentScale>& scales, double target_mass_kg,
                  bool preserve_mass_distribution, Sex sex = Sex::Male);

/// OpenSim's Muscle::postScale: each muscle's optimal fiber length and tendon slack length times the
/// ratio of its musculotendon length after/before scaling (at the default pose). One length per muscle.
void rescale_muscle_lengths(Model& scaled, std::span<const double> musculotendon_lengths_before_m,
                            std::span<const double> musculotendon_lengths_after_m);

}  // namespace glutelab
