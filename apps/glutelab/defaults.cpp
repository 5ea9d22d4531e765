#include <cstdlib>

#include "commands.hpp"

namespace glutelab::cli {
namespace {
// GLUTELAB_DATA overrides the data folder; otherwise the source tree's data/ that this binary was built from.
std::filesystem::path data_dir() {
  if (const char* env = std::getenv("GLUTELAB_DATA")) return env;
  return GLUTELAB_DATA_DIR;
}
}  // namespace

std::filesystem::path model_path_from_argument(const std::string& argument) {
  if (argument.empty()) return default_model_path();
  if (argument == "glutelab") return data_dir() / "models" / "glutelab.osim";
  return argument;
}

std::filesystem::path default_model_path() { return data_dir() / "models" / "gait2392_subject01.osim"; }
std::filesystem::path default_motion_path() {
  return data_dir() / "motions" / "gait2392_subject01_walk1_ik.mot";
}
std::filesystem::path default_bench_case() {
  return data_dir() / "cases" / "gait2392_walk_static_optimization";
}

std::filesystem::path default_evidence_path() { return data_dir() / "evidence" / "claims.json"; }

}  // namespace glutelab::cli
