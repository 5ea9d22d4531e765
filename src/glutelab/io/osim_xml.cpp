#include "glutelab/io/osim_xml.hpp"

#include <fstream>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace glutelab::osim {

LineTable::LineTable(std::string_view text) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') line_starts_.push_back(i + 1);
  }
}

std::pair<int, int> LineTable::locate(std::ptrdiff_t offset) const {
  if (offset < 0) return {0, 0};
  const auto off = static_cast<std::size_t>(offset);
  // The last line start that is <= offset.
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), off);
  const auto line_index = static_cast<std::size_t>(it - line_starts_.begin()) - 1;
  return {static_cast<int>(line_index + 1), static_cast<int>(off - line_starts_[line_index] + 1)};
}

namespace {

std::string normalise_line_endings(std::string text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

bool is_blank(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

}  // namespace

XmlDocument::XmlDocument(std::string text, std::string name_for_messages)
    : text_(normalise_line_endings(std::move(text))), name_(std::move(name_for_messages)), lines_(text_) {
  if (is_blank(text_)) throw InputError(name_, "the file is empty; expected an OpenSim <OpenSimDocument>");
  const auto result = doc_.load_buffer(text_.data(), text_.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!result) {
    const auto [line, column] = lines_.locate(result.offset);
    throw InputError(name_, line, column, std::string("malformed XML: ") + result.description());
  }
}

std::ptrdiff_t XmlDocument::offset_of(pugi::xml_node node) const {
  if (!node) return -1;
  std::ptrdiff_t offset = node.offset_debug();
  // pugixml locates an element at its name; report the '<' that opens the tag instead.
  if (node.type() == pugi::node_element && offset > 0 && static_cast<std::size_t>(offset) <= text_.size() &&
      text_[static_cast<std::size_t>(offset - 1)] == '<') {
    --offset;
  }
  return offset;
}

int XmlDocument::line_of(pugi::xml_node node) const { return lines_.locate(offset_of(node)).first; }

void XmlDocument::fail(pugi::xml_node node, const std::string& message) const {
  const auto [line, column] = lines_.locate(offset_of(node));
  throw InputError(name_, line, column, message);
}

std::string trimmed_text(pugi::xml_node element) {
  std::string text = element.child_value();
  // Text may be split by comments; concatenate all pcdata children.
  if (element.first_child() && element.first_child() != element.last_child()) {
    text.clear();
    for (auto child : element.children()) {
      if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) text += child.value();
    }
  }
  const auto first = text.find_first_not_of(" \t\n\r");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\n\r");
  return text.substr(first, last - first + 1);
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    std::size_t j = i;
    while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j]))) ++j;
    if (j > i) words.push_back(text.substr(i, j - i));
    i = j;
  }
  return words;
}

bool parse_double(std::string_view word, double& out) {
  if (!word.empty() && word.front() == '+') word.remove_prefix(1);
  if (word.empty()) return false;
  const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), out);
  return ec == std::errc() && end == word.data() + word.size();
}

std::string format_number(double value) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return ec == std::errc() ? std::string(buffer, end) : std::to_string(value);
}

std::vector<double> XmlDocument::numbers(pugi::xml_node element, bool allow_infinite) const {
  const auto words = split_words(trimmed_text(element));
  std::vector<double> values;
  values.reserve(words.size());
  for (const auto& word : words) {
    double v = 0.0;
    if (!parse_double(word, v)) {
      fail(element, "<" + std::string(element.name()) + "> expects numbers, found '" + word + "'");
    }
    if (std::isnan(v) || (!allow_infinite && std::isinf(v))) {
      fail(element, "<" + std::string(element.name()) + "> must be finite, found '" + word + "'");
    }
    values.push_back(v);
  }
  return values;
}

double XmlDocument::number(pugi::xml_node element, bool allow_infinite) const {
  const auto values = numbers(element, allow_infinite);
  if (values.size() != 1) {
    fail(element, "<" + std::string(element.name()) + "> expects one number, found " +
                      std::to_string(values.size()) + " values");
  }
  return values[0];
}

Vec3 XmlDocument::vec3(pugi::xml_node element) const {
  const auto values = numbers(element);
  if (values.size() != 3) {
    fail(element,
         "<" + std::string(element.name()) + "> expects 3 numbers, found " + std::to_string(values.size()));
  }
  return {values[0], values[1], values[2]};
}

bool XmlDocument::boolean(pugi::xml_node element) const {
  std::string text = trimmed_text(element);
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  fail(element, "<" + std::string(element.name()) + "> expects true or false, found '" + text + "'");
}

double XmlDocument::child_number(pugi::xml_node parent, const char* name, double fallback,
                                 bool allow_infinite) const {
  const auto child = parent.child(name);
  return child ? number(child, allow_infinite) : fallback;
}

Vec3 XmlDocument::child_vec3(pugi::xml_node parent, const char* name, const Vec3& fallback) const {
  const auto child = parent.child(name);
  return child ? vec3(child) : fallback;
}

bool XmlDocument::child_bool(pugi::xml_node parent, const char* name, bool fallback) const {
  const auto child = parent.child(name);
  return child ? boolean(child) : fallback;
}

std::string XmlDocument::child_text(pugi::xml_node parent, const char* name) {
  return trimmed_text(parent.child(name));
}

}  // namespace glutelab::osim

namespace glutelab {

std::string read_text_file(const std::filesystem::path& file, std::size_t max_bytes, const char* what) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) throw InputError(file, std::string(what) + " not found");
  if (!std::filesystem::is_regular_file(file, ec)) throw InputError(file, "not a regular file");
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) throw InputError(file, "cannot read the file size: " + ec.message());
  if (size > max_bytes) {
    throw InputError(file, "file is " + std::to_string(size) + " bytes, more than the " +
                               std::to_string(max_bytes) + "-byte limit for a " + what);
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file, "cannot open the file");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uintmax_t>(in.gcount()) != size)
    throw InputError(file, "could not read the whole file");
  return text;
}

}  // namespace glutelab
