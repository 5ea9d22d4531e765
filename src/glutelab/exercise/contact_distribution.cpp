#include "glutelab/exercise/contact_distribution.hpp"

#include <cmath>
#include <stdexcept>

#include <Eigen/Dense>

namespace glutelab {
namespace {

// Weights w >= 0, sum 1, minimising |sum w_i a_i - c|^2 + lambda |w - target|^2 (horizontal plane),
// by an active set that drops the most negative weight until all are non-negative. Without a target:
// uniform shares and lambda 1e-4 m^2, which only breaks ties (collinear patches).
Eigen::VectorXd share_weights(const std::vector<ContactPatch>& patches, const Vec3& c,
                              const std::vector<double>* target, double lambda) {
  const int n = static_cast<int>(patches.size());
  std::vector<bool> on(static_cast<std::size_t>(n), true);
  for (;;) {
    std::vector<int> idx;
    for (int i = 0; i < n; ++i)
      if (on[static_cast<std::size_t>(i)]) idx.push_back(i);
    const int m = static_cast<int>(idx.size());
    Eigen::MatrixXd A(2, m);
    for (int j = 0; j < m; ++j) {
      const Vec3& a = patches[static_cast<std::size_t>(idx[static_cast<std::size_t>(j)])].centre_m;
      A(0, j) = a.x();
      A(1, j) = a.z();
    }
    const Eigen::Vector2d b(c.x(), c.z());
    Eigen::MatrixXd K = Eigen::MatrixXd::Zero(m + 1, m + 1);
    Eigen::VectorXd r = Eigen::VectorXd::Zero(m + 1);
    K.topLeftCorner(m, m) = A.transpose() * A + lambda * Eigen::MatrixXd::Identity(m, m);
    K.block(0, m, m, 1).setOnes();
    K.block(m, 0, 1, m).setOnes();
    r.head(m) = A.transpose() * b;
    for (int j = 0; j < m; ++j)
      r[j] +=
          lambda * (target != nullptr ? (*target)[static_cast<std::size_t>(idx[static_cast<std::size_t>(j)])]
                                      : 1.0 / n);
    r[m] = 1.0;
    const Eigen::VectorXd x = K.fullPivLu().solve(r);
    int worst = -1;
    double most_negative = 0.0;
    for (int j = 0; j < m; ++j)
      if (x[j] < most_negative) {
        most_negative = x[j];
        worst = j;
      }
    if (worst < 0) {
      Eigen::VectorXd w = Eigen::VectorXd::Zero(n);
      for (int j = 0; j < m; ++j) w[idx[static_cast<std::size_t>(j)]] = x[j];
      return w;
    }
    on[static_cast<std::size_t>(idx[static_cast<std::size_t>(worst)])] = false;
  }
}

}  // namespace

namespace {

std::vector<ContactLoad> distribute(const std::vector<ContactPatch>& patches, const Vec3& F, const Vec3& M,
                                    const std::vector<double>* previous, double stickiness_m2) {
  if (patches.empty()) throw std::invalid_argument("distribute_wrench: patches must not be empty");
  if (!(F.y() > 0.0))
    throw std::invalid_argument("distribute_wrench: the vertical force must be > 0 N (got " +
                                std::to_string(F.y()) + " N)");
  const std::size_t n = patches.size();
  Eigen::VectorXd w = Eigen::VectorXd::Constant(static_cast<Eigen::Index>(n), 1.0 / static_cast<double>(n));
  Vec3 c = Vec3::Zero();
  for (int iter = 0; iter < 8; ++iter) {
    double h = 0.0;
    for (std::size_t i = 0; i < n; ++i) h += w[static_cast<Eigen::Index>(i)] * patches[i].centre_m.y();
    // The point on the plane y = h where a single force F has the moment M (up to a vertical torque).
    c = Vec3((M.z() + h * F.x()) / F.y(), h, (h * F.z() - M.x()) / F.y());
    if (iter < 7) w = share_weights(patches, c, previous, previous != nullptr ? stickiness_m2 : 1e-4);
  }
  Vec3 mean = Vec3::Zero();
  for (std::size_t i = 0; i < n; ++i) mean += w[static_cast<Eigen::Index>(i)] * patches[i].centre_m;
  Vec3 offset = c - mean;
  offset.y() = 0.0;  // c.y is the weighted height by construction
  const double free_torque = M.y() - c.cross(F).y();
  std::vector<ContactLoad> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double s = w[static_cast<Eigen::Index>(i)];
    out[i].share = s;
    out[i].force_n = s * F;
    out[i].cop_m = patches[i].centre_m + offset;
    out[i].torque_n_m = Vec3(0.0, s * free_torque, 0.0);
  }
  // Contacts on one plane: the vertical torque becomes a couple of opposite horizontal forces (as the
  // braking leading foot and the pushing trailing foot of double support) instead of free torques. The
  // extra forces d_i sum to zero and lie in the plane, so they change no force and, at a common height,
  // no moment but the vertical one; d_i = s_i mu (J_i - J_mean) with J_i = (z_i, -x_i) is the least
  // sum of |d_i|^2 / s_i (loaded contacts take more) with sum J_i . d_i = the free torque.
  bool one_plane = n > 1;
  for (std::size_t i = 1; i < n; ++i)
    one_plane &= std::abs(patches[i].centre_m.y() - patches[0].centre_m.y()) < 1e-9;
  if (one_plane) {
    Eigen::Vector2d mean_j = Eigen::Vector2d::Zero();
    for (std::size_t i = 0; i < n; ++i)
      mean_j += out[i].share * Eigen::Vector2d(out[i].cop_m.z(), -out[i].cop_m.x());
    double spread = 0.0;  // sum s_i |J_i - J_mean|^2 (m^2)
    for (std::size_t i = 0; i < n; ++i)
      spread += out[i].share * (Eigen::Vector2d(out[i].cop_m.z(), -out[i].cop_m.x()) - mean_j).squaredNorm();
    if (spread > 1e-4) {  // the loaded contacts are spread over more than about a centimetre
      const double mu = free_torque / spread;
      for (std::size_t i = 0; i < n; ++i) {
        const Eigen::Vector2d d =
            out[i].share * mu * (Eigen::Vector2d(out[i].cop_m.z(), -out[i].cop_m.x()) - mean_j);
        out[i].force_n.x() += d.x();
        out[i].force_n.z() += d.y();
        out[i].torque_n_m.setZero();
      }
    }
  }
  return out;
}

}  // namespace

std::vector<ContactLoad> distribute_wrench(const std::vector<ContactPatch>& patches, const Vec3& F,
                                           const Vec3& M) {
  return distribute(patches, F, M, nullptr, 0.0);
}

std::vector<ContactLoad> distribute_wrench_following(const std::vector<ContactPatch>& patches, const Vec3& F,
                                                     const Vec3& M,
                                                     const std::vector<double>& previous_shares,
                                                     double stickiness_m2) {
  if (previous_shares.size() != patches.size())
    throw std::invalid_argument("distribute_wrench_following: one previous share per patch is needed");
  if (!(stickiness_m2 >= 0.0))
    throw std::invalid_argument("distribute_wrench_following: stickiness must be >= 0");
  return distribute(patches, F, M, &previous_shares, stickiness_m2);
}

}  // namespace glutelab
