#include "glutelab/io/input_error.hpp"

namespace glutelab {
namespace {
std::string format_location(const std::filesystem::path& file, int line, int column,
                            const std::string& message) {
  std::string out = file.string();
  if (line > 0) {
    out += ":" + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
  }
  return out + ": " + message;
}
}  // namespace

InputError::InputError(std::filesystem::path file, int line, int column, const std::string& message)
    : std::runtime_error(format_location(file, line, column, message)),
      file_(std::move(file)),
      line_(line),
      column_(column),
      message_(message) {}

}  // namespace glutelab
