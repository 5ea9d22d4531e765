// A progress bar on stderr that appears only once work has taken longer than a second.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

#include <unistd.h>

namespace glutelab::cli {

class ProgressBar {
 public:
  explicit ProgressBar(std::string label)
      : label_(std::move(label)), start_(std::chrono::steady_clock::now()) {}

  void update(int done, int total) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (elapsed < 1.0 || total <= 0) return;
    const int percent = static_cast<int>(100.0 * done / total);
    if (!isatty(STDERR_FILENO)) {  // logs: a line every 10 %
      if (percent / 10 == last_percent_ / 10) return;
      std::fprintf(stderr, "%s: %d%% (%d/%d)\n", label_.c_str(), percent, done, total);
    } else {
      const int width = 30, filled = width * done / total;
      std::fprintf(stderr, "\r%s [%s%s] %3d%% (%d/%d)", label_.c_str(), std::string(filled, '#').c_str(),
                   std::string(width - filled, '.').c_str(), percent, done, total);
      if (done == total) std::fprintf(stderr, "\n");
    }
    last_percent_ = percent;
    shown_ = true;
  }

 private:
  std::string label_;
  std::chrono::steady_clock::time_point start_;
  int last_percent_ = -100;
  bool shown_ = false;
};

}  // namespace glutelab::cli
