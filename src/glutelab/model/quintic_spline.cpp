#include "glutelab/model/quintic_spline.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace glutelab {
namespace {

using Row6 = std::array<double, 6>;

/// On an interval of length g, with v = (y0, y0', y0'', y1, y1', y1''), the quintic Hermite piece
/// p(s) = y0 + y0' s + y0''/2 s^2 + c3 s^3 + c4 s^4 + c5 s^5 has c3, c4, c5 linear in v; returns them as
/// rows: c3 = rows[0]·v, c4 = rows[1]·v, c5 = rows[2]·v.
std::array<Row6, 3> hermite_rows(double g) {
  // A = y1 - y0 - y0' g - y0'' g^2/2, B = y1' - y0' - y0'' g, C = y1'' - y0'' (what the cubic, quartic
  // and quintic terms must supply at s = g, in value, slope and curvature).
  const Row6 a{-1.0, -g, -0.5 * g * g, 1.0, 0.0, 0.0};
  const Row6 b{0.0, -1.0, -g, 0.0, 1.0, 0.0};
  const Row6 c{0.0, 0.0, -1.0, 0.0, 0.0, 1.0};
  const double g2 = g * g, g3 = g2 * g, g4 = g3 * g, g5 = g4 * g;
  // Solving c3 g^3 + c4 g^4 + c5 g^5 = A, 3c3 g^2 + 4c4 g^3 + 5c5 g^4 = B, 6c3 g + 12c4 g^2 + 20c5 g^3 = C.
  const std::array<std::array<double, 3>, 3> w{
      {{10.0 / g3, -4.0 / g2, 0.5 / g}, {-15.0 / g4, 7.0 / g3, -1.0 / g2}, {6.0 / g5, -3.0 / g4, 0.5 / g3}}};
  std::array<Row6, 3> rows{};
  for (int k = 0; k < 3; ++k) {
    for (int j = 0; j < 6; ++j) rows[k][j] = w[k][0] * a[j] + w[k][1] * b[j] + w[k][2] * c[j];
  }
  return rows;
}

/// Energy matrix of one interval: K[i][j] = ∫_0^g (∂p'''/∂v_i)(∂p'''/∂v_j) ds, so that the interval's
/// ∫ p'''^2 ds = vᵀ K v. p''' = 6 c3 + 24 c4 s + 60 c5 s^2 is quadratic in s, its square quartic, so the
/// 3-point Gauss-Legendre rule is exact.
std::array<Row6, 6> interval_energy(double g) {
  const std::array<Row6, 3> c = hermite_rows(g);
  const double r = std::sqrt(0.6);
  const std::array<double, 3> nodes{0.5 * g * (1.0 - r), 0.5 * g, 0.5 * g * (1.0 + r)};
  const std::array<double, 3> weights{g * 5.0 / 18.0, g * 8.0 / 18.0, g * 5.0 / 18.0};
  std::array<Row6, 6> k{};
  for (int q = 0; q < 3; ++q) {
    const double s = nodes[q];
    Row6 d3{};
    for (int j = 0; j < 6; ++j) d3[j] = 6.0 * c[0][j] + 24.0 * c[1][j] * s + 60.0 * c[2][j] * s * s;
    for (int i = 0; i < 6; ++i) {
      for (int j = 0; j < 6; ++j) k[i][j] += weights[q] * d3[i] * d3[j];
    }
  }
  return k;
}

/// Solves A z = r in place for a symmetric positive definite band matrix with half bandwidth kBand,
/// stored as band[i][kBand + j - i] = A(i, j) for i - kBand <= j <= i (lower part). Cholesky.
constexpr int kBand = 3;
void solve_banded_spd(std::vector<std::array<double, kBand + 1>>& band, std::vector<double>& rhs) {
  const int n = static_cast<int>(rhs.size());
  auto at = [&](int i, int j) -> double& { return band[i][kBand + j - i]; };
  for (int i = 0; i < n; ++i) {
    for (int j = std::max(0, i - kBand); j <= i; ++j) {
      double sum = at(i, j);
      for (int k = std::max(0, i - kBand); k < j; ++k) sum -= at(i, k) * at(j, k);
      if (i == j) {
        if (!(sum > 0.0)) throw std::invalid_argument("QuinticSpline: the spline system is singular");
        at(i, i) = std::sqrt(sum);
      } else {
        at(i, j) = sum / at(j, j);
      }
    }
  }
  for (int i = 0; i < n; ++i) {  // L w = r
    double sum = rhs[i];
    for (int k = std::max(0, i - kBand); k < i; ++k) sum -= at(i, k) * rhs[k];
    rhs[i] = sum / at(i, i);
  }
  for (int i = n - 1; i >= 0; --i) {  // Lᵀ z = w
    double sum = rhs[i];
    for (int k = i + 1; k <= std::min(n - 1, i + kBand); ++k) sum -= at(k, i) * rhs[k];
    rhs[i] = sum / at(i, i);
  }
}

/// The quadratic extension about an end knot: value, slope, curvature.
std::array<double, 6> quadratic(double y, double d1, double d2) { return {y, d1, 0.5 * d2, 0.0, 0.0, 0.0}; }

}  // namespace

QuinticSpline::QuinticSpline(std::span<const double> x, std::span<const double> y) {
  const int n = static_cast<int>(x.size());
  if (y.size() != x.size()) {
    throw std::invalid_argument("QuinticSpline: " + std::to_string(x.size()) + " abscissae but " +
                                std::to_string(y.size()) + " values");
  }
  if (n < kMinPoints) {
    throw std::invalid_argument("QuinticSpline: a quintic spline needs at least " +
                                std::to_string(kMinPoints) + " samples, got " + std::to_string(n));
  }
  for (int i = 0; i < n; ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) {
      throw std::invalid_argument("QuinticSpline: sample " + std::to_string(i) + " is not finite");
    }
    if (i > 0 && !(x[i] > x[i - 1])) {
      throw std::invalid_argument("QuinticSpline: abscissae must strictly increase (sample " +
                                  std::to_string(i) + ")");
    }
  }
  x_.assign(x.begin(), x.end());

  // Unknowns: slope D_i and curvature S_i at every knot, in the scaled variable u = (x - x0)/h with h the
  // mean spacing (so the system is well scaled whatever the units of x). Interleaved (D_0, S_0, D_1, ...),
  // coupling only neighbouring knots: half bandwidth 3. Minimising Σ ∫ p'''^2 over all C2 piecewise
  // quintics through the samples gives the natural spline exactly (it is in that space and minimises over
  // the larger one); the stationarity conditions are the C3/C4 joins and p''' = p'''' = 0 at the ends.
  const double h = (x_.back() - x_.front()) / (n - 1);
  const int m = 2 * n;
  std::vector<std::array<double, kBand + 1>> band(m, std::array<double, kBand + 1>{});
  std::vector<double> rhs(m, 0.0);
  constexpr std::array<int, 4> kFree{1, 2, 4, 5};  // local indices of D_i, S_i, D_i+1, S_i+1
  for (int i = 0; i + 1 < n; ++i) {
    const double g = (x_[i + 1] - x_[i]) / h;
    const std::array<Row6, 6> k = interval_energy(g);
    const std::array<int, 6> global{-1, 2 * i, 2 * i + 1, -1, 2 * i + 2, 2 * i + 3};
    for (int a : kFree) {
      const int ga = global[a];
      rhs[ga] -= k[a][0] * y[i] + k[a][3] * y[i + 1];
      for (int b : kFree) {
        const int gb = global[b];
        if (gb <= ga) band[ga][kBand + gb - ga] += k[a][b];
      }
    }
  }
  solve_banded_spd(band, rhs);

  // Pieces in the original variable: powers of (x - x_i).
  pieces_.resize(n + 1);
  for (int i = 0; i + 1 < n; ++i) {
    const double g = x_[i + 1] - x_[i];
    const Row6 v{y[i],     rhs[2 * i] / h,     rhs[2 * i + 1] / (h * h),
                 y[i + 1], rhs[2 * i + 2] / h, rhs[2 * i + 3] / (h * h)};
    const std::array<Row6, 3> c = hermite_rows(g);
    std::array<double, 6>& p = pieces_[i + 1];
    p[0] = v[0];
    p[1] = v[1];
    p[2] = 0.5 * v[2];
    for (int k = 0; k < 3; ++k) {
      double sum = 0.0;
      for (int j = 0; j < 6; ++j) sum += c[k][j] * v[j];
      p[3 + k] = sum;
    }
  }
  pieces_.front() = quadratic(y[0], rhs[0] / h, rhs[1] / (h * h));
  pieces_.back() = quadratic(y[n - 1], rhs[2 * n - 2] / h, rhs[2 * n - 1] / (h * h));
}

const std::array<double, 6>& QuinticSpline::piece(double x, double& x0) const {
  if (x_.empty()) throw std::logic_error("QuinticSpline: evaluating an empty spline");
  if (x < x_.front()) {
    x0 = x_.front();
    return pieces_.front();
  }
  if (x > x_.back()) {
    x0 = x_.back();
    return pieces_.back();
  }
  const auto it = std::upper_bound(x_.begin(), x_.end(), x);
  const int i = std::min(static_cast<int>(it - x_.begin()) - 1, static_cast<int>(x_.size()) - 2);
  x0 = x_[i];
  return pieces_[i + 1];
}

double QuinticSpline::value(double x) const { return derivative(x, 0); }

double QuinticSpline::derivative(double x, int order) const {
  if (order < 0) throw std::invalid_argument("QuinticSpline: negative derivative order");
  if (order > 5) return 0.0;
  if (order <= 3) {
    double d[4] = {0.0, 0.0, 0.0, 0.0};
    evaluate(x, d[0], d[1], d[2], d[3]);
    return d[order];
  }
  double x0 = 0.0;
  const std::array<double, 6>& c = piece(x, x0);
  return order == 4 ? 24.0 * c[4] + 120.0 * c[5] * (x - x0) : 120.0 * c[5];
}

void QuinticSpline::evaluate(double x, double& value, double& d1, double& d2) const {
  double d3 = 0.0;
  evaluate(x, value, d1, d2, d3);
}

void QuinticSpline::evaluate(double x, double& value, double& d1, double& d2, double& d3) const {
  double x0 = 0.0;
  const std::array<double, 6>& c = piece(x, x0);
  const double s = x - x0;
  value = c[0] + s * (c[1] + s * (c[2] + s * (c[3] + s * (c[4] + s * c[5]))));
  d1 = c[1] + s * (2.0 * c[2] + s * (3.0 * c[3] + s * (4.0 * c[4] + s * 5.0 * c[5])));
  d2 = 2.0 * c[2] + s * (6.0 * c[3] + s * (12.0 * c[4] + s * 20.0 * c[5]));
  d3 = 6.0 * c[3] + s * (24.0 * c[4] + s * 60.0 * c[5]);
}

}  // namespace glutelab
