// The immutable musculoskeletal Model (bodies, joints, coordinates, markers, wrap objects, muscles,
// actuators), built once by a reader and shared read-only by every thread. All names are resolved
// to indices; all quantities are SI (radians, metres, kilograms, newtons).
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "glutelab/math/spatial.hpp"
#include "glutelab/model/function.hpp"

namespace glutelab {

/// A rigid body. Index 0 of Model::bodies is always ground (mass 0, no parent joint).
struct Body {
  std::string name;
  double mass_kg = 0.0;
  Vec3 mass_center_m = Vec3::Zero();       ///< in the body frame
  Mat3 inertia_kg_m2 = Mat3::Zero();       ///< about the mass center, body-frame axes
  int parent_joint = -1;                   ///< index into Model::joints; -1 for ground
};

/// A named physical frame (a body itself or a PhysicalOffsetFrame), resolved onto its body.
struct Frame {
  std::string name;             ///< e.g. "pelvis_offset"
  std::string path;             ///< absolute component path, e.g. "/jointset/hip_r/pelvis_offset"
  int body = 0;                 ///< index into Model::bodies
  Transform X_body_frame;       ///< pose of this frame in its body
  int parent = -1;              ///< frame it is offset from (index into Model::frames); -1 for a body
};

/// One of the six axes of a spatial transform: displacement = function(q[coordinate]) along/about axis.
struct TransformAxis {
  Vec3 axis = Vec3::UnitX();    ///< unit vector, expressed as described at Joint
  Function function;            ///< of the coordinate value (constant if coordinate < 0)
  int coordinate = -1;          ///< index into Model::coordinates, or -1 for none
};

enum class JointType { Custom, Pin, Slider, Universal, Gimbal, Ball, Free, Weld, Planar };

/// A joint between a parent frame F (fixed on the parent body) and a child frame M (fixed on the
/// child body). Every joint type is expressed as an OpenSim SpatialTransform:
///   R_FM = R(a0, f0) * R(a1, f1) * R(a2, f2)   (body-fixed sequence: each rotation axis is
///          expressed in the frame produced by the rotations before it),
///   p_FM = sum_k f_k * a_k  for the three translation axes, expressed in F.
/// X_ground_child = X_ground_parent * X_parent_F * X_FM(q) * X_child_M^-1.
struct Joint {
  std::string name;
  JointType type = JointType::Custom;
  int parent_body = 0;
  int child_body = 0;
  Transform X_parent_F;                   ///< joint frame on the parent body
  Transform X_child_M;                    ///< joint frame on the child body
  std::array<TransformAxis, 6> axes;      ///< 0..2 rotations, 3..5 translations
  std::vector<int> coordinates;           ///< the coordinates this joint owns, in file order
};

enum class MotionType { Rotational, Translational, Coupled };

struct Coordinate {
  std::string name;
  int joint = -1;                         ///< owning joint
  MotionType motion_type = MotionType::Rotational;
  double default_value = 0.0;
  double default_speed = 0.0;
  double range_min = -1e300;
  double range_max = 1e300;
  bool clamped = false;
  bool locked = false;
  bool prescribed = false;
  /// Set when a CoordinateCouplerConstraint makes this coordinate dependent:
  /// q[this] = coupler_function(q[independent]).
  int independent = -1;
  Function coupler_function;
  bool is_dependent() const { return independent >= 0; }
};

struct Marker {
  std::string name;
  int body = 0;
  Vec3 location_m = Vec3::Zero();         ///< in the body frame
  bool fixed = false;
  int frame = -1;                         ///< frame it was read on (Model::frames); -1: the body's own
};

enum class WrapShape { Cylinder, Sphere, Ellipsoid, Torus };

/// A wrap surface fixed to a body. Dimensions by shape: Cylinder (radius, length, -),
/// Sphere (radius, -, -), Ellipsoid (radii x, y, z), Torus (inner_radius, outer_radius, -).
struct WrapObject {
  std::string name;
  WrapShape shape = WrapShape::Cylinder;
  int body = 0;
  Transform X_body_wrap;                  ///< from `translation` and `xyz_body_rotation`
  Vec3 dimensions_m = Vec3::Zero();
  /// Quadrant restriction: axis 0/1/2 (x/y/z) and sign +1/-1; axis -1 means "all".
  int quadrant_axis = -1;
  int quadrant_sign = 1;
  bool active = true;
  int frame = -1;                         ///< frame it was read on (Model::frames); -1: the body's own
};

enum class PathPointKind { Fixed, Conditional, Moving };

struct PathPoint {
  std::string name;
  PathPointKind kind = PathPointKind::Fixed;
  int body = 0;
  Vec3 location_m = Vec3::Zero();         ///< in the body frame (Fixed and Conditional)
  // Conditional: the point is part of the path while range_min <= q[coordinate] <= range_max.
  int coordinate = -1;
  double range_min = 0.0;
  double range_max = 0.0;
  // Moving: location component k = location_functions[k](q[location_coordinates[k]]);
  // a component whose coordinate is -1 is the constant function value.
  std::array<Function, 3> location_functions;
  std::array<int, 3> location_coordinates{-1, -1, -1};
  int frame = -1;                         ///< frame it was read on (Model::frames); -1: the body's own
};

enum class WrapMethod { Hybrid, Midpoint, Axial };

struct PathWrap {
  int wrap_object = 0;                    ///< index into Model::wrap_objects
  WrapMethod method = WrapMethod::Hybrid;
  int range_begin = -1;                   ///< 1-based path point indices as in the file; -1 = open
  int range_end = -1;
};

struct GeometryPath {
  std::vector<PathPoint> points;
  std::vector<PathWrap> wraps;
  /// Coordinates whose change can change this path's length (precomputed), sorted.
  std::vector<int> spanned_coordinates;
};

enum class MuscleModel { Millard2012Equilibrium, Thelen2003, DeGrooteFregly2016 };

struct Muscle {
  std::string name;
  MuscleModel model = MuscleModel::Millard2012Equilibrium;
  GeometryPath path;
  bool applies_force = true;
  double max_isometric_force_N = 0.0;
  double optimal_fiber_length_m = 0.0;
  double tendon_slack_length_m = 0.0;
  double pennation_angle_at_optimal_rad = 0.0;
  double max_contraction_velocity = 10.0;   ///< optimal fiber lengths per second
  /// Every other scalar property of the muscle and its curves, keyed "property" or
  /// "CurveElement/property" (e.g. "ActiveForceLengthCurve/min_norm_active_fiber_length", "FmaxTendonStrain").
  std::map<std::string, double> parameters;
};

enum class ActuatorType { Coordinate, Point, Torque };

struct Actuator {
  std::string name;
  ActuatorType type = ActuatorType::Coordinate;
  bool applies_force = true;
  double optimal_force = 1.0;
  double min_control = -1e300;
  double max_control = 1e300;
  int coordinate = -1;                    ///< CoordinateActuator
  int body = -1;                          ///< PointActuator body; TorqueActuator body A
  int body_b = -1;                        ///< TorqueActuator body B
  Vec3 point_m = Vec3::Zero();            ///< PointActuator point
  bool point_is_global = false;
  Vec3 direction = Vec3::UnitX();         ///< force direction or torque axis
  bool direction_is_global = false;       ///< force_is_global / torque_is_global
};

/// A component that was read and kept but that no glutelab algorithm uses yet (contact geometry,
/// contact forces, controllers, probes); listed so that tools can say what they ignore.
struct UnusedComponent {
  std::string type;
  std::string name;
  int line = 0;
};

struct Model {
  std::string name;
  std::string file;                       ///< source file, for messages
  Vec3 gravity = Vec3(0.0, -9.80665, 0.0);
  std::vector<Body> bodies;               ///< bodies[0] is ground
  std::vector<Frame> frames;              ///< bodies first (same index), then offset frames
  std::vector<Joint> joints;              ///< topological order: a parent body's joint comes first
  std::vector<Coordinate> coordinates;    ///< in joint order, then file order within a joint
  std::vector<Marker> markers;
  std::vector<WrapObject> wrap_objects;
  std::vector<Muscle> muscles;
  std::vector<Actuator> actuators;        ///< non-muscle actuators
  std::vector<UnusedComponent> unused;

  int num_coordinates() const { return static_cast<int>(coordinates.size()); }
  /// Index of a body/coordinate/muscle/frame by name (a coordinate also by its full path, e.g.
  /// "/jointset/hip_r/hip_flexion_r"); -1 if absent.
  int body_index(const std::string& body_name) const;
  int coordinate_index(const std::string& name_or_path) const;
  int muscle_index(const std::string& muscle_name) const;
  int frame_index(const std::string& name_or_path) const;
  double total_mass_kg() const;
};

}  // namespace glutelab
