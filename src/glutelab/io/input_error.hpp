// The one exception type for bad user input: it names the file, the line/column and what was expected.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace glutelab {

/// Thrown at I/O boundaries. what() is a single line: "FILE:LINE:COL: message" (line/col omitted when 0).
class InputError : public std::runtime_error {
 public:
  InputError(std::filesystem::path file, int line, int column, const std::string& message);
  InputError(std::filesystem::path file, const std::string& message)
      : InputError(std::move(file), 0, 0, message) {}

  const std::filesystem::path& file() const { return file_; }
  int line() const { return line_; }
  int column() const { return column_; }
  const std::string& message() const { return message_; }

 private:
  std::filesystem::path file_;
  int line_ = 0;
  int column_ = 0;
  std::string message_;
};

}  // namespace glutelab
