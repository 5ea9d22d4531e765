#include "test_paths.hpp"

#include <atomic>
#include <unistd.h>

namespace glutelab::test {

std::filesystem::path shared_data(const std::string& relative) {
  return std::filesystem::path(GLUTELAB_SHARED_DIR) / "data" / relative;
}

std::filesystem::path project_data(const std::string& relative) {
  return std::filesystem::path(GLUTELAB_DATA_DIR) / relative;
}

std::filesystem::path temp_dir(const std::string& tag) {
  static std::atomic<int> counter{0};
  auto dir = std::filesystem::temp_directory_path() /
             ("glutelab_test_" + tag + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::filesystem::path cli_path() { return std::filesystem::path(GLUTELAB_CLI); }

}  // namespace glutelab::test
