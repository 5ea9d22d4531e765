// Body scaling: de Leva 1996 anthropometry and OpenSim's ScaleTool model scaling (see scaling.hpp).
#include "glutelab/model/scaling.hpp"
#include "glutelab/model/names.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <stdexcept>

namespace glutelab {
namespace {

// de Leva P. (1996) Adjustments to Zatsiorsky-Seluyanov's segment inertia parameters.
// J Biomech 29(9):1223-1230, Table 4 (adjusted parameters). Columns: length (m, at the reference
// stature), mass (fraction of body mass), centre of mass (fraction of length from the proximal end
// point: VERT for the head, CERV for the trunk/UPT, XYPH for the MPT, OMPH for the LPT, shoulder,
// elbow, wrist, hip, knee joint centres, HEEL for the foot), radii of gyration (fraction of length:
// sagittal, transverse, longitudinal).
constexpr std::array<SegmentAnthropometry, kNumSegments> kMale{{
    {Segment::Head, "head", 0.2033, 0.0694, 0.5976, 0.362, 0.376, 0.312},
    {Segment::UpperTrunk, "upper trunk", 0.1707, 0.1596, 0.2999, 0.716, 0.454, 0.659},
    {Segment::MiddleTrunk, "middle trunk", 0.2155, 0.1633, 0.4502, 0.482, 0.383, 0.468},
    {Segment::LowerTrunk, "lower trunk", 0.1457, 0.1117, 0.6115, 0.615, 0.551, 0.587},
    {Segment::UpperArm, "upper arm", 0.2817, 0.0271, 0.5772, 0.285, 0.269, 0.158},
    {Segment::Forearm, "forearm", 0.2689, 0.0162, 0.4574, 0.276, 0.265, 0.121},
    {Segment::Hand, "hand", 0.0862, 0.0061, 0.7900, 0.628, 0.513, 0.401},
    {Segment::Thigh, "thigh", 0.4222, 0.1416, 0.4095, 0.329, 0.329, 0.149},
    {Segment::Shank, "shank", 0.4340, 0.0433, 0.4459, 0.255, 0.249, 0.103},
    {Segment::Foot, "foot", 0.2581, 0.0137, 0.4415, 0.257, 0.245, 0.124},
}};
constexpr std::array<SegmentAnthropometry, kNumSegments> kFemale{{
    {Segment::Head, "head", 0.2002, 0.0668, 0.5894, 0.330, 0.359, 0.318},
    {Segment::UpperTrunk, "upper trunk", 0.1425, 0.1545, 0.2077, 0.746, 0.502, 0.718},
    {Segment::MiddleTrunk, "middle trunk", 0.2053, 0.1465, 0.4512, 0.433, 0.354, 0.415},
    {Segment::LowerTrunk, "lower trunk", 0.1815, 0.1247, 0.4920, 0.433, 0.402, 0.444},
    {Segment::UpperArm, "upper arm", 0.2751, 0.0255, 0.5754, 0.278, 0.260, 0.148},
    {Segment::Forearm, "forearm", 0.2643, 0.0138, 0.4559, 0.261, 0.257, 0.094},
    {Segment::Hand, "hand", 0.0780, 0.0056, 0.7474, 0.531, 0.454, 0.335},
    {Segment::Thigh, "thigh", 0.3685, 0.1478, 0.3612, 0.369, 0.364, 0.162},
    {Segment::Shank, "shank", 0.4323, 0.0481, 0.4416, 0.271, 0.267, 0.093},
    {Segment::Foot, "foot", 0.2283, 0.0129, 0.4014, 0.299, 0.279, 0.139},
}};

bool is_bilateral(Segment s) {
  return s == Segment::UpperArm || s == Segment::Forearm || s == Segment::Hand || s == Segment::Thigh ||
         s == Segment::Shank || s == Segment::Foot;
}

std::string format(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

[[noreturn]] void reject(const std::string& field, const std::string& why) {
  throw std::invalid_argument("BodyDescription." + field + ": " + why);
}

// Every message names the plausible range and the value given.
void require_in_range(const std::string& field, double value, double lo, double hi, const std::string& unit) {
  const std::string u = unit.empty() ? "" : " " + unit;
  const std::string range = "the plausible range [" + format(lo) + ", " + format(hi) + "]" + u;
  if (!std::isfinite(value)) reject(field, "must be a finite number in " + range + ", got " + format(value));
  if (value <= 0.0) reject(field, "must be positive, in " + range + ", got " + format(value) + u);
  if (value < lo || value > hi) reject(field, format(value) + u + " is outside " + range);
}

void require_fraction_of_height(const std::string& field, double length, double height, double lo,
                                double hi) {
  const std::string range = "[" + format(lo * height) + ", " + format(hi * height) + "] m (" + format(lo) +
                            " to " + format(hi) + " of the height " + format(height) + " m)";
  if (!std::isfinite(length))
    reject(field, "must be a finite number in " + range + ", got " + format(length));
  if (length <= 0.0) reject(field, "must be positive, in " + range + ", got " + format(length) + " m");
  if (length < lo * height || length > hi * height)
    reject(field, format(length) + " m is inconsistent with a height of " + format(height) + " m (expected " +
                      range + ")");
}

void require_ratio_consistent(const std::string& field, double ratio, double numerator, double denominator) {
  const double actual = numerator / denominator;
  if (std::abs(actual - ratio) > 0.01 * ratio)
    reject(field,
           format(ratio) + " contradicts the measured lengths (their ratio is " + format(actual) + ")");
}

/// "_r"/"_l" suffix of a body name ("" for central bodies).
std::string side_of(const std::string& body_name) {
  const std::string n = to_lower(body_name);
  if (n.size() > 2 && n[n.size() - 2] == '_' && (n.back() == 'r' || n.back() == 'l'))
    return n.substr(n.size() - 1);
  return "";
}

bool is_identity_linear(const Function& f) {
  return f.kind() == Function::Kind::Linear && f.coefficients().size() == 2 && f.coefficients()[0] == 1.0 &&
         f.coefficients()[1] == 0.0;
}

Function scaled_function(const Function& f, double factor) {
  if (factor == 1.0) return f;
  if (f.kind() == Function::Kind::Multiplier && f.inner() != nullptr)
    return Function::multiplier(*f.inner(), f.scale() * factor);
  return Function::multiplier(f, factor);
}

/// Every coordinate at its default value, dependent ones through their coupler.
std::vector<double> default_coordinate_values(const Model& model) {
  std::vector<double> q(model.coordinates.size());
  for (std::size_t c = 0; c < q.size(); ++c) q[c] = model.coordinates[c].default_value;
  for (std::size_t c = 0; c < q.size(); ++c) {
    const Coordinate& coord = model.coordinates[c];
    if (coord.is_dependent())
      q[c] = coord.coupler_function.value(q[static_cast<std::size_t>(coord.independent)]);
  }
  return q;
}

/// Translation of the joint's M origin in F at the given coordinates, with the translation functions
/// scaled as SpatialTransform::scale would scale them with the parent's factors.
Vec3 joint_translation(const Joint& joint, const std::vector<double>& q, const Vec3& parent_factors) {
  Vec3 p = Vec3::Zero();
  for (int k = 3; k < 6; ++k) {
    const TransformAxis& axis = joint.axes[static_cast<std::size_t>(k)];
    const double x = axis.coordinate >= 0 ? q[static_cast<std::size_t>(axis.coordinate)] : 0.0;
    double value = axis.function.value(x);
    if (joint.type == JointType::Custom && !is_identity_linear(axis.function))
      value *= axis.axis.dot(parent_factors);
    p += value * axis.axis;
  }
  return p;
}

/// Joint centre (origin of M) in the parent body's frame, with the parent scaled by `parent_factors`.
Vec3 joint_centre_in_parent(const Joint& joint, const std::vector<double>& q, const Vec3& parent_factors) {
  return joint.X_parent_F.p.cwiseProduct(parent_factors) +
         joint.X_parent_F.R * joint_translation(joint, q, parent_factors);
}

/// Joint centre in the child body's frame, with the child scaled by `child_factors`.
Vec3 joint_centre_in_child(const Joint& joint, const Vec3& child_factors) {
  return joint.X_child_M.p.cwiseProduct(child_factors);
}

/// A long bone between its proximal joint (child side on the bone) and distal joint (parent side).
struct LongBone {
  int body = -1;
  int proximal_joint = -1;
  int distal_joint = -1;
  double length_with(const Model& model, const std::vector<double>& q, const Vec3& factors) const {
    const Vec3 proximal =
        joint_centre_in_child(model.joints[static_cast<std::size_t>(proximal_joint)], factors);
    const Vec3 distal =
        joint_centre_in_parent(model.joints[static_cast<std::size_t>(distal_joint)], q, factors);
    return (distal - proximal).norm();
  }
};

/// The bone of `segment` on `side`, with its distal joint to a body of `distal_segment`.
LongBone find_long_bone(const Model& model, Segment segment, Segment distal_segment,
                        const std::string& side) {
  LongBone bone;
  for (std::size_t b = 1; b < model.bodies.size(); ++b) {
    if (segment_of_body(model.bodies[b].name) == segment && side_of(model.bodies[b].name) == side) {
      bone.body = static_cast<int>(b);
      bone.proximal_joint = model.bodies[b].parent_joint;
      break;
    }
  }
  if (bone.body < 0) return bone;
  for (std::size_t j = 0; j < model.joints.size(); ++j) {
    const Joint& joint = model.joints[j];
    if (joint.parent_body == bone.body &&
        segment_of_body(model.bodies[static_cast<std::size_t>(joint.child_body)].name) == distal_segment &&
        to_lower(model.bodies[static_cast<std::size_t>(joint.child_body)].name).find("patella") ==
            std::string::npos) {
      bone.distal_joint = static_cast<int>(j);
      break;
    }
  }
  return bone;
}

/// y factor that makes the bone's joint-centre distance equal `target` with x, z factors `transverse`:
/// the distance is |c + sy b| (affine in the factors), solved in closed form.
double solve_longitudinal_factor(const Model& model, const std::vector<double>& q, const LongBone& bone,
                                 double transverse, double target_m, double fallback) {
  const auto vector_with = [&](double sy) {
    const Vec3 s(transverse, sy, transverse);
    const Joint& prox = model.joints[static_cast<std::size_t>(bone.proximal_joint)];
    const Joint& dist = model.joints[static_cast<std::size_t>(bone.distal_joint)];
    return Vec3(joint_centre_in_parent(dist, q, s) - joint_centre_in_child(prox, s));
  };
  const Vec3 c = vector_with(0.0);
  const Vec3 b = vector_with(1.0) - c;
  const double bb = b.squaredNorm(), cb = c.dot(b);
  const double discriminant = cb * cb - bb * (c.squaredNorm() - target_m * target_m);
  if (bb < 1e-12 || discriminant < 0.0) return fallback;
  const double sy = (-cb + std::sqrt(discriminant)) / bb;
  return sy > 0.0 ? sy : fallback;
}

bool numerically_equal(double a, double b) {
  return std::abs(a - b) <= 1e-12 * std::max({1.0, std::abs(a), std::abs(b)});
}

/// OpenSim's Body::scaleInertialProperties without mass scaling: exact (length squared) for uniform
/// factors; otherwise the body is taken as a cylinder along the axis of least inertia.
Mat3 scale_inertia_geometrically(const Mat3& inertia, double mass_kg, const Vec3& s) {
  if (mass_kg <= 1e-16) return Mat3::Zero();
  if (numerically_equal(s[0], s[1]) && numerically_equal(s[1], s[2])) return inertia * (s[0] * s[0]);
  Mat3 I = inertia;
  int axis = 2;
  if (I(0, 0) <= I(1, 1)) {
    axis = I(0, 0) <= I(2, 2) ? 0 : 2;
  } else if (I(1, 1) <= I(2, 2)) {
    axis = 1;
  }
  const double radius_term = 2.0 * I(axis, axis) / mass_kg;
  const double radius = radius_term < 0.0 ? 0.0 : std::sqrt(radius_term);
  const int other = axis == 0 ? 1 : 0;
  const double length_term = 12.0 * (I(other, other) - 0.25 * mass_kg * radius * radius) / mass_kg;
  double length = length_term < 0.0 ? 0.0 : std::sqrt(length_term);
  length *= s[axis];
  const int a1 = (axis + 1) % 3, a2 = (axis + 2) % 3;
  const double radius_squared = radius * s[a1] * radius * s[a2];
  const double across = mass_kg * (length * length / 12.0 + 0.25 * radius_squared);
  I(axis, axis) = 0.5 * mass_kg * radius_squared;
  I(a1, a1) = across;
  I(a2, a2) = across;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c)
      if (r != c) I(r, c) *= s[r] * s[c];
  return I;
}

/// de Leva's mass fraction carried by a model body's group, for models that lump segments (a torso
/// without head or arm bodies carries them).
double group_mass_fraction(Sex sex, Segment segment, bool model_has_head, bool model_has_arms) {
  double fraction = anthropometry(sex, segment).mass_fraction;
  if (segment == Segment::UpperTrunk) {
    fraction += anthropometry(sex, Segment::MiddleTrunk).mass_fraction;
    if (!model_has_head) fraction += anthropometry(sex, Segment::Head).mass_fraction;
    if (!model_has_arms)
      fraction += 2.0 * (anthropometry(sex, Segment::UpperArm).mass_fraction +
                         anthropometry(sex, Segment::Forearm).mass_fraction +
                         anthropometry(sex, Segment::Hand).mass_fraction);
  }
  return fraction;
}

}  // namespace

double de_leva_reference_stature_m(Sex sex) { return sex == Sex::Male ? 1.741 : 1.735; }

const SegmentAnthropometry& anthropometry(Sex sex, Segment segment) {
  return (sex == Sex::Male ? kMale : kFemale)[static_cast<std::size_t>(segment)];
}

double length_fraction_of_height(Sex sex, Segment segment) {
  return anthropometry(sex, segment).length_m / de_leva_reference_stature_m(sex);
}

double trunk_fraction_of_height(Sex sex) {
  return length_fraction_of_height(sex, Segment::UpperTrunk) +
         length_fraction_of_height(sex, Segment::MiddleTrunk) +
         length_fraction_of_height(sex, Segment::LowerTrunk);
}

void validate(const BodyDescription& body) {
  if (body.sex != Sex::Male && body.sex != Sex::Female)
    reject("sex",
           "must be Sex::Male or Sex::Female, got the value " + std::to_string(static_cast<int>(body.sex)));
  require_in_range("height_m", body.height_m, 1.0, 2.5, "m");
  require_in_range("mass_kg", body.mass_kg, 25.0, 300.0, "kg");
  const double h = body.height_m;
  if (body.thigh_length_m) require_fraction_of_height("thigh_length_m", *body.thigh_length_m, h, 0.15, 0.35);
  if (body.shank_length_m) require_fraction_of_height("shank_length_m", *body.shank_length_m, h, 0.15, 0.35);
  if (body.trunk_length_m) require_fraction_of_height("trunk_length_m", *body.trunk_length_m, h, 0.20, 0.45);
  if (body.pelvis_width_m) require_fraction_of_height("pelvis_width_m", *body.pelvis_width_m, h, 0.05, 0.20);
  if (body.thigh_to_shank_ratio)
    require_in_range("thigh_to_shank_ratio", *body.thigh_to_shank_ratio, 0.5, 2.0, "");
  if (body.thigh_to_trunk_ratio)
    require_in_range("thigh_to_trunk_ratio", *body.thigh_to_trunk_ratio, 0.4, 1.5, "");
  if (body.thigh_to_shank_ratio && body.thigh_length_m && body.shank_length_m)
    require_ratio_consistent("thigh_to_shank_ratio", *body.thigh_to_shank_ratio, *body.thigh_length_m,
                             *body.shank_length_m);
  if (body.thigh_to_trunk_ratio && body.thigh_length_m && body.trunk_length_m)
    require_ratio_consistent("thigh_to_trunk_ratio", *body.thigh_to_trunk_ratio, *body.thigh_length_m,
                             *body.trunk_length_m);
}

TargetSegmentLengths target_segment_lengths(const BodyDescription& body) {
  validate(body);
  const double h = body.height_m;
  std::optional<double> thigh = body.thigh_length_m, shank = body.shank_length_m, trunk = body.trunk_length_m;
  // Derive missing lengths from measured ones through the ratios (twice: a derived length can feed the other
  // ratio).
  for (int pass = 0; pass < 2; ++pass) {
    if (const auto r = body.thigh_to_shank_ratio) {
      if (thigh && !shank) shank = *thigh / *r;
      if (shank && !thigh) thigh = *shank * *r;
    }
    if (const auto r = body.thigh_to_trunk_ratio) {
      if (thigh && !trunk) trunk = *thigh / *r;
      if (trunk && !thigh) thigh = *trunk * *r;
    }
  }
  // Nothing measured on the leg: de Leva's leg length split by the ratio, or his own proportions.
  if (!thigh && !shank) {
    const double leg = (length_fraction_of_height(body.sex, Segment::Thigh) +
                        length_fraction_of_height(body.sex, Segment::Shank)) *
                       h;
    if (const auto r = body.thigh_to_shank_ratio) {
      thigh = leg * *r / (1.0 + *r);
      shank = leg / (1.0 + *r);
    }
  }
  if (!thigh) thigh = length_fraction_of_height(body.sex, Segment::Thigh) * h;
  if (!shank)
    shank = body.thigh_to_shank_ratio ? *thigh / *body.thigh_to_shank_ratio
                                      : length_fraction_of_height(body.sex, Segment::Shank) * h;
  if (!trunk)
    trunk = body.thigh_to_trunk_ratio ? *thigh / *body.thigh_to_trunk_ratio
                                      : trunk_fraction_of_height(body.sex) * h;
  // Derived lengths must be as plausible as measured ones.
  require_fraction_of_height("thigh_length_m (derived)", *thigh, h, 0.15, 0.35);
  require_fraction_of_height("shank_length_m (derived)", *shank, h, 0.15, 0.35);
  require_fraction_of_height("trunk_length_m (derived)", *trunk, h, 0.20, 0.45);
  return {*thigh, *shank, *trunk};
}

SegmentInertia segment_inertia(const BodyDescription& body, Segment segment) {
  validate(body);
  const SegmentAnthropometry& row = anthropometry(body.sex, segment);
  const double length = length_fraction_of_height(body.sex, segment) * body.height_m;
  return {
      row.mass_fraction * body.mass_kg, length, row.mass_center_fraction * length,
      Vec3(row.radius_sagittal_fraction, row.radius_transverse_fraction, row.radius_longitudinal_fraction) *
          length};
}

std::optional<Segment> segment_of_body(const std::string& body_name) {
  std::string n = to_lower(body_name);
  if (!side_of(n).empty()) n = n.substr(0, n.size() - 2);
  static const std::map<std::string, Segment> kByName{
      {"pelvis", Segment::LowerTrunk}, {"torso", Segment::UpperTrunk}, {"thorax", Segment::UpperTrunk},
      {"trunk", Segment::UpperTrunk},  {"head", Segment::Head},        {"skull", Segment::Head},
      {"humerus", Segment::UpperArm},  {"ulna", Segment::Forearm},     {"radius", Segment::Forearm},
      {"hand", Segment::Hand},         {"femur", Segment::Thigh},      {"tibia", Segment::Shank},
      {"fibula", Segment::Shank},      {"patella", Segment::Shank},    {"talus", Segment::Foot},
      {"calcn", Segment::Foot},        {"calcaneus", Segment::Foot},   {"toes", Segment::Foot},
      {"foot", Segment::Foot}};
  const auto it = kByName.find(n);
  if (it == kByName.end()) return std::nullopt;
  return it->second;
}

std::vector<SegmentScale> segment_scales(const Model& generic, const BodyDescription& body) {
  const TargetSegmentLengths target = target_segment_lengths(body);
  const std::vector<double> q = default_coordinate_values(generic);
  const Vec3 unit = Vec3::Ones();

  // Generic thigh and shank per side, from joint centres at the default pose.
  std::map<std::string, LongBone> thighs, shanks;
  double thigh_sum = 0.0, shank_sum = 0.0;
  for (const std::string side : {"r", "l"}) {
    const LongBone thigh = find_long_bone(generic, Segment::Thigh, Segment::Shank, side);
    const LongBone shank = find_long_bone(generic, Segment::Shank, Segment::Foot, side);
    if (thigh.body < 0 || thigh.proximal_joint < 0 || thigh.distal_joint < 0)
      throw std::invalid_argument("segment_scales: model '" + generic.name + "' has no femur_" + side +
                                  " between a hip and a knee joint");
    if (shank.body < 0 || shank.proximal_joint < 0 || shank.distal_joint < 0)
      throw std::invalid_argument("segment_scales: model '" + generic.name + "' has no tibia_" + side +
                                  " between a knee and an ankle joint");
    thighs[side] = thigh;
    shanks[side] = shank;
    thigh_sum += thigh.length_with(generic, q, unit);
    shank_sum += shank.length_with(generic, q, unit);
  }
  const double generic_thigh = thigh_sum / 2.0, generic_shank = shank_sum / 2.0;
  // The generic model's stature, estimated from its leg with de Leva's proportions.
  const double generic_stature =
      (generic_thigh + generic_shank) / (length_fraction_of_height(body.sex, Segment::Thigh) +
                                         length_fraction_of_height(body.sex, Segment::Shank));
  const double stature_factor = body.height_m / generic_stature;
  const double thigh_factor = target.thigh_m / generic_thigh;
  const double shank_factor = target.shank_m / generic_shank;
  const double trunk_factor = target.trunk_m / (trunk_fraction_of_height(body.sex) * generic_stature);
  const double mean_length_factor = (thigh_factor + shank_factor + trunk_factor) / 3.0;

  double width_factor = mean_length_factor;
  if (body.pelvis_width_m) {
    const Joint& hip_r = generic.joints[static_cast<std::size_t>(thighs["r"].proximal_joint)];
    const Joint& hip_l = generic.joints[static_cast<std::size_t>(thighs["l"].proximal_joint)];
    if (hip_r.parent_body != hip_l.parent_body)
      throw std::invalid_argument("segment_scales: the hips of model '" + generic.name +
                                  "' are not on one pelvis");
    const double generic_width =
        (joint_centre_in_parent(hip_r, q, unit) - joint_centre_in_parent(hip_l, q, unit)).norm();
    if (generic_width <= 1e-6)
      throw std::invalid_argument("segment_scales: the hip joint centres of model '" + generic.name +
                                  "' coincide");
    width_factor = *body.pelvis_width_m / generic_width;
  }

  std::vector<SegmentScale> scales;
  scales.reserve(generic.bodies.size());
  for (std::size_t b = 0; b < generic.bodies.size(); ++b) {
    const std::string& name = generic.bodies[b].name;
    SegmentScale scale{name, Vec3::Ones()};
    const std::optional<Segment> segment = b == 0 ? std::nullopt : segment_of_body(name);
    const std::string side = side_of(name);
    const double w = width_factor;
    if (b == 0) {
      // ground
    } else if (!segment) {
      scale.factors = Vec3::Constant(mean_length_factor);
    } else {
      switch (*segment) {
        case Segment::LowerTrunk:
          scale.factors = Vec3(w, mean_length_factor, w);
          break;
        case Segment::UpperTrunk:
        case Segment::MiddleTrunk:
          scale.factors = Vec3(w, trunk_factor, w);
          break;
        case Segment::Head:
        case Segment::UpperArm:
        case Segment::Forearm:
        case Segment::Hand:
          scale.factors = Vec3(w, stature_factor, w);
          break;
        case Segment::Foot:
          scale.factors = Vec3(stature_factor, stature_factor, w);
          break;
        case Segment::Thigh:
        case Segment::Shank: {
          const bool thigh = *segment == Segment::Thigh;
          const auto& bones = thigh ? thighs : shanks;
          const auto bone = bones.find(side);
          const double factor = thigh ? thigh_factor : shank_factor;
          if (bone != bones.end() && bone->second.body == static_cast<int>(b)) {
            scale.factors = Vec3(w,
                                 solve_longitudinal_factor(generic, q, bone->second, w,
                                                           thigh ? target.thigh_m : target.shank_m, factor),
                                 w);
          } else {
            scale.factors = Vec3(w, factor, w);  // patella, fibula
          }
          break;
        }
      }
    }
    scales.push_back(scale);
  }
  return scales;
}

Model scale_model(const Model& generic, const std::vector<SegmentScale>& scales, double target_mass_kg,
                  bool preserve_mass_distribution, Sex sex) {
  if (!std::isfinite(target_mass_kg) || target_mass_kg <= 0.0)
    throw std::invalid_argument("scale_model: target_mass_kg must be positive and finite, got " +
                                format(target_mass_kg));
  const std::size_t num_bodies = generic.bodies.size();
  std::vector<Vec3> s(num_bodies, Vec3::Ones());
  for (const SegmentScale& scale : scales) {
    const int b = generic.body_index(scale.body);
    if (b < 0)
      throw std::invalid_argument("scale_model: no body named '" + scale.body + "' in model '" +
                                  generic.name + "'");
    if (!scale.factors.allFinite() || (scale.factors.array() <= 0.0).any())
      throw std::invalid_argument("scale_model: the factors of body '" + scale.body +
                                  "' must be positive and finite");
    if (b > 0) s[static_cast<std::size_t>(b)] = scale.factors;
  }

  Model scaled = generic;
  for (Joint& joint : scaled.joints) {
    const Vec3& parent = s[static_cast<std::size_t>(joint.parent_body)];
    joint.X_parent_F.p = joint.X_parent_F.p.cwiseProduct(parent);
    joint.X_child_M.p = joint.X_child_M.p.cwiseProduct(s[static_cast<std::size_t>(joint.child_body)]);
    if (joint.type != JointType::Custom) continue;
    for (int k = 3; k < 6; ++k) {
      TransformAxis& axis = joint.axes[static_cast<std::size_t>(k)];
      if (is_identity_linear(axis.function)) continue;  // a translational degree of freedom
      axis.function = scaled_function(axis.function, axis.axis.dot(parent));
    }
  }
  for (Frame& frame : scaled.frames)
    frame.X_body_frame.p = frame.X_body_frame.p.cwiseProduct(s[static_cast<std::size_t>(frame.body)]);
  for (Marker& marker : scaled.markers)
    marker.location_m = marker.location_m.cwiseProduct(s[static_cast<std::size_t>(marker.body)]);
  for (WrapObject& wrap : scaled.wrap_objects) {
    const Vec3& f = s[static_cast<std::size_t>(wrap.body)];
    wrap.X_body_wrap.p = wrap.X_body_wrap.p.cwiseProduct(f);
    // OpenSim Wrap*::extendScale: the wrap axes (columns of the rotation) scaled elementwise.
    // For uniform factors the scaled unit axes have exactly that length (kept exact, e.g. for factor 1).
    const Mat3& R = wrap.X_body_wrap.R;
    const bool uniform = numerically_equal(f[0], f[1]) && numerically_equal(f[1], f[2]);
    const double l0 = uniform ? f[0] : R.col(0).cwiseProduct(f).norm();
    const double l1 = uniform ? f[0] : R.col(1).cwiseProduct(f).norm();
    const double l2 = uniform ? f[0] : R.col(2).cwiseProduct(f).norm();
    switch (wrap.shape) {
      case WrapShape::Cylinder:
        wrap.dimensions_m[0] *= (l0 + l1) * 0.5;
        wrap.dimensions_m[1] *= l2;
        break;
      case WrapShape::Sphere:
        wrap.dimensions_m[0] *= f.sum() / 3.0;
        break;
      case WrapShape::Ellipsoid:
        wrap.dimensions_m[0] *= l0;
        wrap.dimensions_m[1] *= l1;
        wrap.dimensions_m[2] *= l2;
        break;
      case WrapShape::Torus:
        wrap.dimensions_m[0] *= (l0 + l1) * 0.5;
        wrap.dimensions_m[1] *= (l0 + l1) * 0.5;
        break;
    }
  }
  for (Muscle& muscle : scaled.muscles) {
    for (PathPoint& point : muscle.path.points) {
      const Vec3& f = s[static_cast<std::size_t>(point.body)];
      point.location_m = point.location_m.cwiseProduct(f);
      if (point.kind == PathPointKind::Moving)
        for (int k = 0; k < 3; ++k)
          point.location_functions[static_cast<std::size_t>(k)] =
              scaled_function(point.location_functions[static_cast<std::size_t>(k)], f[k]);
    }
  }
  for (Actuator& actuator : scaled.actuators)
    if (actuator.type == ActuatorType::Point && !actuator.point_is_global && actuator.body >= 0)
      actuator.point_m = actuator.point_m.cwiseProduct(s[static_cast<std::size_t>(actuator.body)]);

  // Masses: the generic proportions, or de Leva's fractions.
  const double generic_total = generic.total_mass_kg();
  if (generic_total <= 0.0)
    throw std::invalid_argument("scale_model: model '" + generic.name + "' has no mass");
  std::vector<double> mass(num_bodies, 0.0);
  if (preserve_mass_distribution) {
    const double ratio = target_mass_kg / generic_total;
    for (std::size_t b = 1; b < num_bodies; ++b) mass[b] = generic.bodies[b].mass_kg * ratio;
  } else {
    bool has_head = false, has_arms = false;
    for (std::size_t b = 1; b < num_bodies; ++b) {
      const auto seg = segment_of_body(generic.bodies[b].name);
      has_head = has_head || seg == Segment::Head;
      has_arms = has_arms || seg == Segment::UpperArm || seg == Segment::Forearm || seg == Segment::Hand;
    }
    // A group is a segment on one side (the middle trunk is carried with the upper trunk).
    const auto group_of = [&](std::size_t b) {
      Segment seg = *segment_of_body(generic.bodies[b].name);
      if (seg == Segment::MiddleTrunk) seg = Segment::UpperTrunk;
      return std::make_pair(seg, is_bilateral(seg) ? side_of(generic.bodies[b].name) : std::string());
    };
    std::map<std::pair<Segment, std::string>, std::pair<double, int>> group_generic;  // mass, body count
    double unmapped_mass = 0.0;
    for (std::size_t b = 1; b < num_bodies; ++b) {
      if (!segment_of_body(generic.bodies[b].name)) {
        unmapped_mass += generic.bodies[b].mass_kg;
        continue;
      }
      auto& g = group_generic[group_of(b)];
      g.first += generic.bodies[b].mass_kg;
      g.second += 1;
    }
    std::vector<double> weight(num_bodies, 0.0);
    double total_weight = 0.0;
    for (std::size_t b = 1; b < num_bodies; ++b) {
      if (!segment_of_body(generic.bodies[b].name)) continue;
      const auto key = group_of(b);
      const auto& g = group_generic[key];
      const double share = g.first > 0.0 ? generic.bodies[b].mass_kg / g.first : 1.0 / g.second;
      weight[b] = group_mass_fraction(sex, key.first, has_head, has_arms) * share;
      total_weight += weight[b];
    }
    const double mapped_total = target_mass_kg * (1.0 - unmapped_mass / generic_total);
    for (std::size_t b = 1; b < num_bodies; ++b) {
      mass[b] = segment_of_body(generic.bodies[b].name)
                    ? (total_weight > 0.0 ? mapped_total * weight[b] / total_weight : 0.0)
                    : target_mass_kg * generic.bodies[b].mass_kg / generic_total;
    }
  }
  for (std::size_t b = 1; b < num_bodies; ++b) {
    Body& scaled_body = scaled.bodies[b];
    const Body& generic_body = generic.bodies[b];
    scaled_body.mass_center_m = generic_body.mass_center_m.cwiseProduct(s[b]);
    const Mat3 geometric =
        scale_inertia_geometrically(generic_body.inertia_kg_m2, generic_body.mass_kg, s[b]);
    scaled_body.inertia_kg_m2 =
        generic_body.mass_kg > 0.0 ? Mat3(geometric * (mass[b] / generic_body.mass_kg)) : geometric;
    scaled_body.mass_kg = mass[b];
  }
  return scaled;
}

void rescale_muscle_lengths(Model& scaled, std::span<const double> musculotendon_lengths_before_m,
                            std::span<const double> musculotendon_lengths_after_m) {
  if (musculotendon_lengths_before_m.size() != scaled.muscles.size() ||
      musculotendon_lengths_after_m.size() != scaled.muscles.size())
    throw std::invalid_argument("rescale_muscle_lengths: expected one length per muscle (" +
                                std::to_string(scaled.muscles.size()) + ")");
  for (std::size_t m = 0; m < scaled.muscles.size(); ++m) {
    const double before = musculotendon_lengths_before_m[m], after = musculotendon_lengths_after_m[m];
    if (!(before > 0.0) || !std::isfinite(after) || !(after > 0.0)) continue;  // as Muscle::postScale
    const double ratio = after / before;
    scaled.muscles[m].optimal_fiber_length_m *= ratio;
    scaled.muscles[m].tendon_slack_length_m *= ratio;
  }
}

}  // namespace glutelab
