// Running the built glutelab executable from tests: its exit code and output, and the one
// "error:" line that every failure must print.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include "test_paths.hpp"

namespace glutelab::test {

struct RunResult {
  int exit_code = -1;
  std::string output;  ///< stdout, and stderr too when merged
};

/// Runs `glutelab ARGS`; with merge_stderr the output holds both streams, else stdout only.
inline RunResult run_cli(const std::string& args, bool merge_stderr = true) {
  const std::string cmd = cli_path().string() + " " + args + (merge_stderr ? " 2>&1" : " 2>/dev/null");
  RunResult r;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  while (fgets(buf.data(), buf.size(), pipe)) r.output += buf.data();
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

/// The line starting with "error:" when there is exactly one, else "".
inline std::string error_line(const RunResult& r) {
  std::string found;
  int count = 0;
  std::size_t pos = 0;
  while ((pos = r.output.find("error:", pos)) != std::string::npos) {
    const auto end = r.output.find('\n', pos);
    found = r.output.substr(pos, end - pos);
    ++count;
    pos = end;
  }
  return count == 1 ? found : "";
}

}  // namespace glutelab::test
