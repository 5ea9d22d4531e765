// Low-level helpers for the .osim reader: a parsed XML document that knows its file name and can
// turn any node into "file:line:col", plus strict readers for OpenSim property values.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

#include "glutelab/io/input_error.hpp"
#include "glutelab/math/spatial.hpp"

namespace glutelab::osim {

/// Maps byte offsets of a text to 1-based line and column numbers.
class LineTable {
 public:
  explicit LineTable(std::string_view text);
  /// 1-based (line, column) of a byte offset; (0, 0) for a negative offset.
  std::pair<int, int> locate(std::ptrdiff_t offset) const;

 private:
  std::vector<std::size_t> line_starts_;
};

/// A parsed document together with what is needed to report errors against it.
class XmlDocument {
 public:
  /// Parses `text` (line endings are normalised to '\n' first). Throws InputError when the text is
  /// empty or not well-formed XML, with the line and column of the problem.
  XmlDocument(std::string text, std::string name_for_messages);

  const pugi::xml_document& doc() const { return doc_; }
  const std::string& name() const { return name_; }

  /// 1-based line of a node (0 if unknown).
  int line_of(pugi::xml_node node) const;
  /// Throws InputError located at `node`.
  [[noreturn]] void fail(pugi::xml_node node, const std::string& message) const;

  // Strict property readers. Each throws InputError at the offending element when the text is not
  // what the property needs (empty, non-numeric, NaN, infinite unless allowed, wrong count).
  double number(pugi::xml_node element, bool allow_infinite = false) const;
  std::vector<double> numbers(pugi::xml_node element, bool allow_infinite = false) const;
  Vec3 vec3(pugi::xml_node element) const;
  bool boolean(pugi::xml_node element) const;

  /// Child property helpers: the value of child `name`, or `fallback` when the child is absent.
  double child_number(pugi::xml_node parent, const char* name, double fallback,
                      bool allow_infinite = false) const;
  Vec3 child_vec3(pugi::xml_node parent, const char* name, const Vec3& fallback) const;
  bool child_bool(pugi::xml_node parent, const char* name, bool fallback) const;
  /// Trimmed text of child `name` ("" if absent).
  static std::string child_text(pugi::xml_node parent, const char* name);

 private:
  /// Byte offset of a node (an element's opening '<'); -1 for a null node.
  std::ptrdiff_t offset_of(pugi::xml_node node) const;

  std::string text_;
  std::string name_;
  pugi::xml_document doc_;
  LineTable lines_;
};

/// Text of an element with leading/trailing whitespace removed.
std::string trimmed_text(pugi::xml_node element);
/// Splits on whitespace.
std::vector<std::string> split_words(const std::string& text);
/// Parses a whole word as a double; false when it is not entirely a number (NaN/inf are numbers here).
bool parse_double(std::string_view word, double& out);
/// The shortest text that reads back as `value` ("-1", "0.25", "1e+300"), for messages.
std::string format_number(double value);

}  // namespace glutelab::osim

namespace glutelab {

/// Reads a whole text file for an XML reader. Throws InputError naming the file when it is missing,
/// not a regular file, larger than `max_bytes`, or unreadable; `what` names the kind of file
/// ("model", "setup file") in messages.
std::string read_text_file(const std::filesystem::path& file, std::size_t max_bytes, const char* what);

}  // namespace glutelab
