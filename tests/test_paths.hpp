// Where tests find ../shared and the project's embedded data.
#pragma once

#include <filesystem>
#include <string>

namespace glutelab::test {

/// ../shared/data/<relative>; tests skip (GTEST_SKIP) when the shared folder is absent.
std::filesystem::path shared_data(const std::string& relative);
std::filesystem::path project_data(const std::string& relative);
/// A fresh empty temporary directory for one test.
std::filesystem::path temp_dir(const std::string& tag);
/// Path of the built glutelab executable.
std::filesystem::path cli_path();

}  // namespace glutelab::test
