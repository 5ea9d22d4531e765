#include "glutelab/analysis/muscle_analysis.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "glutelab/kinematics/kinematics.hpp"
#include "glutelab/muscle/muscle_path.hpp"

namespace glutelab {
namespace {

// Second-order finite-difference time derivative of each column (non-uniform spacing allowed).
Eigen::MatrixXd time_derivative(const std::vector<double>& t, const Eigen::MatrixXd& x) {
  const int n = static_cast<int>(t.size());
  Eigen::MatrixXd dx = Eigen::MatrixXd::Zero(x.rows(), x.cols());
  if (n < 2) return dx;
  for (int i = 0; i < n; ++i) {
    if (i == 0) {
      dx.row(0) = (x.row(1) - x.row(0)) / (t[1] - t[0]);
    } else if (i == n - 1) {
      dx.row(i) = (x.row(i) - x.row(i - 1)) / (t[i] - t[i - 1]);
    } else {
      const double h0 = t[i] - t[i - 1], h1 = t[i + 1] - t[i];
      dx.row(i) = (-h1 / (h0 * (h0 + h1))) * x.row(i - 1) + ((h1 - h0) / (h0 * h1)) * x.row(i) +
                  (h0 / (h1 * (h0 + h1))) * x.row(i + 1);
    }
  }
  return dx;
}

}  // namespace

MuscleAnalysisResult muscle_analysis(const Model& model, const Motion& motion,
                                     const MuscleAnalysisOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const int frames = motion.frames();
  const int nm = static_cast<int>(model.muscles.size());
  const int nc = model.num_coordinates();
  MuscleAnalysisResult result;
  result.time_s = motion.time_s;
  result.length_m = Eigen::MatrixXd::Zero(frames, nm);
  result.lengthening_speed_m_s = Eigen::MatrixXd::Zero(frames, nm);

  std::vector<bool> spanned(nc, false);
  for (const Muscle& m : model.muscles)
    for (int c : m.path.spanned_coordinates) spanned[c] = true;
  std::vector<int> column_of(nc, -1);
  for (int c = 0; c < nc; ++c) {
    if (!spanned[c] || model.coordinates[c].is_dependent()) continue;
    column_of[c] = static_cast<int>(result.coordinates.size());
    result.coordinates.push_back(c);
  }
  if (options.compute_moment_arms)
    result.moment_arm_m.assign(result.coordinates.size(), Eigen::MatrixXd::Zero(frames, nm));
  const Eigen::MatrixXd qdot = time_derivative(motion.time_s, motion.q);
  // dL/dq per frame and muscle, kept for the discontinuity check (frames x muscles x coordinates).
  std::vector<Eigen::MatrixXd> gradient(frames, Eigen::MatrixXd::Zero(nm, nc));

  int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::clamp(threads, 1, std::max(1, frames));
  std::atomic<int> next_frame{0}, done{0};
  auto worker = [&]() {
    State state(model);
    PathWorkspace ws(model);
    Eigen::VectorXd dl_dq(nc);
    for (int f = next_frame++; f < frames; f = next_frame++) {
      state.q = motion.q.row(f).transpose();
      state.qdot = qdot.row(f).transpose();
      compute_positions(model, state);
      compute_jacobians(model, state);
      for (int m = 0; m < nm; ++m) {
        const double length = path_length_and_gradient(model, state, m, ws, dl_dq);
        result.length_m(f, m) = length;
        result.lengthening_speed_m_s(f, m) = lengthening_speed(state, dl_dq);
        gradient[f].row(m) = dl_dq.transpose();
        if (options.compute_moment_arms)
          for (std::size_t k = 0; k < result.coordinates.size(); ++k)
            result.moment_arm_m[k](f, m) = -dl_dq[result.coordinates[k]];
      }
      ++done;
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  if (options.progress) {
    // Report progress every 100 ms; the reporter wakes up as soon as the last frame is done.
    std::mutex mutex;
    std::condition_variable finished;
    bool all_done = false;
    std::thread progress_thread([&] {
      std::unique_lock<std::mutex> lock(mutex);
      while (!all_done) {
        options.progress(done, frames);
        finished.wait_for(lock, std::chrono::milliseconds(100));
      }
    });
    worker();
    for (auto& t : pool) t.join();
    {
      std::lock_guard<std::mutex> lock(mutex);
      all_done = true;
    }
    finished.notify_all();
    progress_thread.join();
    options.progress(frames, frames);
  } else {
    worker();
    for (auto& t : pool) t.join();
  }

  // A length change between consecutive frames that the trapezoidal integral of dL/dq along the
  // coordinate change does not explain is a jump in the path (wrap or conditional point switching).
  for (int f = 1; f < frames; ++f) {
    const Eigen::VectorXd dq = (motion.q.row(f) - motion.q.row(f - 1)).transpose();
    for (int m = 0; m < nm; ++m) {
      const double predicted = 0.5 * (gradient[f].row(m) + gradient[f - 1].row(m)).dot(dq);
      const double actual = result.length_m(f, m) - result.length_m(f - 1, m);
      const double unexplained = std::abs(actual - predicted);
      const double scale = gradient[f].row(m).cwiseAbs().dot(dq.cwiseAbs());
      if (unexplained > 1e-3 && unexplained > 5.0 * scale) {
        int worst = 0;
        double most = -1.0;
        for (int c : model.muscles[m].path.spanned_coordinates) {
          if (std::abs(dq[c]) > most) {
            most = std::abs(dq[c]);
            worst = c;
          }
        }
        result.discontinuities.push_back({m, worst, f, actual - predicted});
      }
    }
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

std::vector<std::pair<std::string, TimeTable>> muscle_analysis_tables(const Model& model,
                                                                      const MuscleAnalysisResult& result) {
  std::vector<std::string> muscle_names;
  for (const Muscle& m : model.muscles) muscle_names.push_back(m.name);
  auto make = [&](const std::string& name, const Eigen::MatrixXd& values) {
    TimeTable t;
    t.name = name;
    t.labels = muscle_names;
    t.time_s = result.time_s;
    t.values = values;
    return std::pair<std::string, TimeTable>(name, std::move(t));
  };
  std::vector<std::pair<std::string, TimeTable>> tables;
  tables.push_back(make("Length", result.length_m));
  tables.push_back(make("LengtheningSpeed", result.lengthening_speed_m_s));
  for (std::size_t k = 0; k < result.moment_arm_m.size(); ++k)
    tables.push_back(
        make("MomentArm_" + model.coordinates[result.coordinates[k]].name, result.moment_arm_m[k]));
  return tables;
}

}  // namespace glutelab
