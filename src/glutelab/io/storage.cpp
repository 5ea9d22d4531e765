// Reading and writing OpenSim Storage (.sto/.mot) and reading .trc marker files. The accepted forms
// are listed at read_storage and read_trc (storage.hpp).
#include "glutelab/io/storage.hpp"
#include "glutelab/model/names.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <string_view>
#include <system_error>
#include <thread>

#include <unistd.h>

#include "glutelab/io/input_error.hpp"

namespace glutelab {
namespace {

namespace fs = std::filesystem;

/// One piece of a line and its 1-based character column.
struct Field {
  std::string_view text;
  int column = 0;
};

bool is_blank_char(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank_char(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank_char(s.back())) s.remove_suffix(1);
  return s;
}

bool is_blank(std::string_view s) { return trim(s).empty(); }

/// Splits at runs of spaces and tabs (no empty fields).
void split_whitespace(std::string_view line, std::vector<Field>& out) {
  out.clear();
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_blank_char(line[i])) ++i;
    if (i >= line.size()) break;
    const std::size_t begin = i;
    while (i < line.size() && !is_blank_char(line[i])) ++i;
    out.push_back({line.substr(begin, i - begin), static_cast<int>(begin) + 1});
  }
}

/// Splits at every tab, keeping empty cells; each cell is trimmed of spaces.
void split_tabs(std::string_view line, std::vector<Field>& out) {
  out.clear();
  std::size_t begin = 0;
  for (;;) {
    const std::size_t end = line.find('\t', begin);
    const std::string_view raw =
        line.substr(begin, end == std::string_view::npos ? line.size() - begin : end - begin);
    std::size_t lead = 0;
    while (lead < raw.size() && raw[lead] == ' ') ++lead;
    out.push_back({trim(raw), static_cast<int>(begin + lead) + 1});
    if (end == std::string_view::npos) break;
    begin = end + 1;
  }
}

/// A whole file split into lines (CRLF, LF or lone CR), with 1-based line numbers.
class Lines {
 public:
  explicit Lines(std::string text) : text_(std::move(text)) {
    if (text_.size() >= 3 && text_.compare(0, 3, "\xEF\xBB\xBF") == 0) text_.erase(0, 3);  // UTF-8 BOM
  }
  /// The next line without its terminator; false at the end of the file.
  bool next(std::string_view& line) {
    if (pos_ >= text_.size()) return false;
    const std::size_t end = text_.find_first_of("\r\n", pos_);
    const std::size_t stop = end == std::string::npos ? text_.size() : end;
    line = std::string_view(text_).substr(pos_, stop - pos_);
    if (stop == text_.size()) {
      pos_ = stop;
    } else if (text_[stop] == '\r' && stop + 1 < text_.size() && text_[stop + 1] == '\n') {
      pos_ = stop + 2;
    } else {
      pos_ = stop + 1;
    }
    ++number_;
    return true;
  }
  int number() const { return number_; }
  bool all_blank() const { return is_blank(text_); }

 private:
  std::string text_;
  std::size_t pos_ = 0;
  int number_ = 0;
};

std::string read_text(const fs::path& file, std::size_t max_bytes) {
  std::error_code ec;
  if (!fs::exists(file, ec)) throw InputError(file, "file not found");
  if (!fs::is_regular_file(file, ec)) throw InputError(file, "not a regular file");
  const std::uintmax_t size = fs::file_size(file, ec);
  if (ec) throw InputError(file, "cannot determine the file size: " + ec.message());
  if (size > max_bytes) {
    throw InputError(file, "file is " + std::to_string(size) + " bytes, larger than the limit of " +
                               std::to_string(max_bytes) + " bytes");
  }
  if (size == 0) throw InputError(file, "file is empty");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file, "cannot open the file for reading");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (is_blank(text)) throw InputError(file, "file is empty (only blank lines)");
  return text;
}

enum class NumberStatus { Ok, NotANumber, NotFinite };

NumberStatus parse_number(std::string_view text, double& value) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return NumberStatus::NotANumber;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    if (ec == std::errc::result_out_of_range) return NumberStatus::NotFinite;
    return NumberStatus::NotANumber;
  }
  return std::isfinite(value) ? NumberStatus::Ok : NumberStatus::NotFinite;
}

/// Parses a finite number or throws InputError pointing at the field.
double number_or_throw(const fs::path& file, int line, const Field& field, const std::string& what) {
  double value = 0.0;
  switch (parse_number(field.text, value)) {
    case NumberStatus::Ok:
      return value;
    case NumberStatus::NotFinite:
      throw InputError(
          file, line, field.column,
          what + " is '" + std::string(field.text) + "'; expected a finite number (no NaN or inf)");
    case NumberStatus::NotANumber:
      break;
  }
  throw InputError(file, line, field.column,
                   what + " is '" + std::string(field.text) + "'; expected a number");
}

int integer_or_throw(const fs::path& file, int line, std::string_view text, const std::string& key) {
  text = trim(text);
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) {
    throw InputError(file, line, 0,
                     key + " is '" + std::string(text) + "'; expected a non-negative whole number");
  }
  return value;
}

bool yes_no_or_throw(const fs::path& file, int line, std::string_view text, const std::string& key) {
  const std::string v = to_lower(trim(text));
  if (v == "yes" || v == "true" || v == "1") return true;
  if (v == "no" || v == "false" || v == "0") return false;
  throw InputError(file, line, 0, key + " is '" + std::string(trim(text)) + "'; expected yes or no");
}

std::string format_number(double value) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc() ? std::string(buffer, end) : std::to_string(value);
}

/// Header keys that write_storage produces itself (and read_storage does not keep as metadata).
bool is_structural_key(const std::string& key) {
  const std::string k = to_lower(key);
  return k == "version" || k == "nrows" || k == "ncolumns" || k == "indegrees" || k == "datarows" ||
         k == "datacolumns" || k == "name";
}

}  // namespace

int TimeTable::column(const std::string& label) const {
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] == label) return static_cast<int>(i);
  }
  return -1;
}

TimeTable read_storage(const fs::path& file, std::size_t max_bytes) {
  Lines lines(read_text(file, max_bytes));
  TimeTable table;
  std::string_view line;

  // Header: the first line is the table's name; key=value lines (version 1) or SIMM-style
  // "key value" lines follow; free text is allowed; "endheader" closes it.
  lines.next(line);
  {
    std::string_view first = trim(line);
    if (first.size() > 5 && first.substr(0, 4) == "name" && is_blank_char(first[4]))
      first = trim(first.substr(5));
    table.name = std::string(first);
  }
  std::optional<int> version, header_rows, header_columns;
  std::optional<bool> header_in_degrees;
  bool found_end = false;
  std::vector<Field> fields;
  while (lines.next(line)) {
    const std::string_view content = trim(line);
    if (content == "endheader") {
      found_end = true;
      break;
    }
    if (content.empty()) continue;
    const std::size_t equals = content.find('=');
    if (equals != std::string_view::npos) {
      const std::string key(trim(content.substr(0, equals)));
      const std::string_view value = trim(content.substr(equals + 1));
      if (key == "version") {
        version = integer_or_throw(file, lines.number(), value, key);
      } else if (key == "nRows") {
        header_rows = integer_or_throw(file, lines.number(), value, key);
      } else if (key == "nColumns") {
        header_columns = integer_or_throw(file, lines.number(), value, key);
      } else if (key == "inDegrees") {
        header_in_degrees = yes_no_or_throw(file, lines.number(), value, key);
      } else if (!key.empty() && key.find_first_of(" \t") == std::string::npos) {
        table.metadata[key] = std::string(value);
      }
      continue;
    }
    split_whitespace(content, fields);
    const std::string key(fields[0].text);
    const std::string_view rest = trim(content.substr(fields[0].text.size()));
    if (key == "datarows") {
      header_rows = integer_or_throw(file, lines.number(), rest, key);
    } else if (key == "datacolumns") {
      header_columns = integer_or_throw(file, lines.number(), rest, key);
    } else if (key == "range" || key == "otherdata" || key == "units") {
      table.metadata[key] = std::string(rest);
    }
    // Anything else is free description text.
  }
  if (!found_end) {
    throw InputError(file, lines.number(), 0,
                     "no 'endheader' line; the header of a .sto/.mot file must end with a line 'endheader'");
  }
  // OpenSim's rule: a .mot file without a version number is an old SIMM motion, whose angles are in
  // degrees; otherwise the inDegrees key decides (absent means radians).
  const bool is_mot = to_lower(file.extension().string()) == ".mot";
  table.in_degrees = (!version && is_mot) ? true : header_in_degrees.value_or(false);

  // Column labels: the first non-blank line after endheader.
  bool found_labels = false;
  while (lines.next(line)) {
    if (!is_blank(line)) {
      found_labels = true;
      break;
    }
  }
  if (!found_labels) {
    throw InputError(file, lines.number(), 0,
                     "no column-label line after 'endheader' (expected 'time<TAB>...')");
  }
  const int label_line = lines.number();
  if (line.find('\t') != std::string_view::npos) {
    split_tabs(line, fields);
    while (!fields.empty() && fields.back().text.empty()) fields.pop_back();
    for (const Field& f : fields) {
      if (f.text.empty()) throw InputError(file, label_line, f.column, "empty column label");
    }
  } else {
    split_whitespace(line, fields);
  }
  const int num_fields = static_cast<int>(fields.size());
  if (header_columns && *header_columns != num_fields) {
    throw InputError(file, label_line, 0,
                     "the header says nColumns=" + std::to_string(*header_columns) +
                         " but the column-label line has " + std::to_string(num_fields) +
                         " labels (time included)");
  }
  {
    double ignored = 0.0;
    if (parse_number(fields[0].text, ignored) != NumberStatus::NotANumber) {
      throw InputError(file, label_line, fields[0].column,
                       "expected the column-label line ('time' and the column names), found a number");
    }
  }
  for (int i = 1; i < num_fields; ++i) table.labels.emplace_back(fields[static_cast<std::size_t>(i)].text);

  // Data rows.
  std::vector<double> data;
  if (header_rows)
    data.reserve(static_cast<std::size_t>(*header_rows) * static_cast<std::size_t>(num_fields));
  while (lines.next(line)) {
    if (is_blank(line)) continue;
    const int line_number = lines.number();
    split_whitespace(line, fields);
    if (static_cast<int>(fields.size()) != num_fields) {
      const int column = static_cast<int>(fields.size()) > num_fields
                             ? fields[static_cast<std::size_t>(num_fields)].column
                             : static_cast<int>(line.size()) + 1;
      throw InputError(file, line_number, column,
                       "wrong number of fields in data row: expected " + std::to_string(num_fields) +
                           " got " + std::to_string(fields.size()));
    }
    for (int i = 0; i < num_fields; ++i) {
      const Field& f = fields[static_cast<std::size_t>(i)];
      const std::string what = i == 0 ? std::string("time") : "value of column '" + table.labels[i - 1] + "'";
      data.push_back(number_or_throw(file, line_number, f, what));
    }
    const double time = data[data.size() - static_cast<std::size_t>(num_fields)];
    if (!table.time_s.empty() && !(time > table.time_s.back())) {
      throw InputError(file, line_number, fields[0].column,
                       "time " + format_number(time) + " does not increase (previous row: " +
                           format_number(table.time_s.back()) + "); time must be strictly increasing");
    }
    table.time_s.push_back(time);
  }
  const int rows = static_cast<int>(table.time_s.size());
  // A row count in the header that disagrees with the data is not an error: OpenSim accepts such files
  // (the shared data has one whose datarows is stale), and a truncated last row is caught above.
  if (header_rows && *header_rows != rows) {
    table.metadata["header_nRows"] = std::to_string(*header_rows);
  }
  table.values.resize(rows, num_fields - 1);
  for (int r = 0; r < rows; ++r) {
    for (int c = 1; c < num_fields; ++c) {
      table.values(r, c - 1) = data[static_cast<std::size_t>(r) * static_cast<std::size_t>(num_fields) +
                                    static_cast<std::size_t>(c)];
    }
  }
  return table;
}

namespace {

/// Checks that a table can be written: consistent sizes, finite values, increasing time, labels
/// without whitespace. `what` names the writer in messages.
void validate_table(const TimeTable& table, const char* what) {
  const std::size_t rows = table.time_s.size();
  if (static_cast<std::size_t>(table.values.rows()) != rows ||
      static_cast<std::size_t>(table.values.cols()) != table.labels.size()) {
    throw std::invalid_argument(std::string(what) + ": table has " + std::to_string(rows) + " times, " +
                                std::to_string(table.labels.size()) + " labels but a " +
                                std::to_string(table.values.rows()) + "x" +
                                std::to_string(table.values.cols()) + " value matrix");
  }
  if (!table.values.allFinite())
    throw std::invalid_argument(std::string(what) + ": table holds NaN or inf values");
  for (std::size_t r = 0; r < rows; ++r) {
    if (!std::isfinite(table.time_s[r]) || (r > 0 && !(table.time_s[r] > table.time_s[r - 1]))) {
      throw std::invalid_argument(std::string(what) + ": time must be finite and strictly increasing (row " +
                                  std::to_string(r) + ")");
    }
  }
  for (const std::string& label : table.labels) {
    if (label.empty() || label.find_first_of(" \t\r\n,") != std::string::npos) {
      throw std::invalid_argument(std::string(what) + ": column label '" + label +
                                  "' is empty or contains whitespace or a comma");
    }
  }
}

/// The data rows, fields joined by `separator`, full precision.
void append_rows(std::string& text, const TimeTable& table, char separator) {
  for (std::size_t r = 0; r < table.time_s.size(); ++r) {
    text += format_number(table.time_s[r]);
    for (Eigen::Index c = 0; c < table.values.cols(); ++c) {
      text += separator;
      text += format_number(table.values(static_cast<Eigen::Index>(r), c));
    }
    text += '\n';
  }
}

}  // namespace

void write_text_atomically(const fs::path& file, const std::string& text) {
  static std::atomic<unsigned> counter{0};
  fs::path temp = file;
  temp += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter.fetch_add(1));
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError(file, "cannot create the temporary file " + temp.string());
    out << text;
    out.flush();
    if (!out) {
      out.close();
      std::error_code ignored;
      fs::remove(temp, ignored);
      throw InputError(file, "writing failed (disk full or not writable?)");
    }
  }
  std::error_code ec;
  fs::rename(temp, file, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    throw InputError(file, "cannot move the finished file into place: " + ec.message());
  }
}

void write_storage(const fs::path& file, const TimeTable& table) {
  validate_table(table, "write_storage");
  std::string name = table.name.empty() ? std::string("glutelab") : table.name;
  std::replace_if(
      name.begin(), name.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
  if (trim(name) == "endheader" || name.find('=') != std::string::npos) name = "glutelab";

  std::string text = name + "\nversion=1\nnRows=" + std::to_string(table.time_s.size()) +
                     "\nnColumns=" + std::to_string(table.labels.size() + 1) +
                     "\ninDegrees=" + (table.in_degrees ? "yes" : "no") + "\n";
  for (const auto& [key, value] : table.metadata) {
    if (is_structural_key(key) || key.empty() || key.find_first_of("= \t\r\n") != std::string::npos ||
        value.find_first_of("\r\n") != std::string::npos) {
      continue;
    }
    text += key + '=' + value + '\n';
  }
  text += "endheader\ntime";
  for (const std::string& label : table.labels) text += '\t' + label;
  text += '\n';
  append_rows(text, table, '\t');
  write_text_atomically(file, text);
}

void write_csv(const fs::path& file, const TimeTable& table) {
  validate_table(table, "write_csv");
  std::string text = "time";
  for (const std::string& label : table.labels) text += ',' + label;
  text += '\n';
  append_rows(text, table, ',');
  write_text_atomically(file, text);
}

int MarkerTable::marker_index(const std::string& name) const {
  for (std::size_t i = 0; i < marker_names.size(); ++i) {
    if (marker_names[i] == name) return static_cast<int>(i);
  }
  return -1;
}

bool MarkerTable::missing(int frame, int marker) const {
  return std::isnan(positions_m(frame, 3 * marker)) || std::isnan(positions_m(frame, 3 * marker + 1)) ||
         std::isnan(positions_m(frame, 3 * marker + 2));
}

MarkerTable read_trc(const fs::path& file) {
  Lines lines(read_text(file, std::size_t{2} << 30));
  MarkerTable table;
  std::string_view line;
  std::vector<Field> fields, keys;

  // Line 1: PathFileType 4 (X/Y/Z) name
  lines.next(line);
  split_whitespace(line, fields);
  if (fields.empty() || fields[0].text != "PathFileType") {
    throw InputError(file, 1, 1, "expected a .trc header starting with 'PathFileType'");
  }
  // Lines 2 and 3: header keys and their values.
  if (!lines.next(line))
    throw InputError(file, lines.number() + 1, 0, "missing the header key line (DataRate ...)");
  split_whitespace(line, keys);
  const int keys_line = lines.number();
  if (!lines.next(line)) throw InputError(file, lines.number() + 1, 0, "missing the header value line");
  split_whitespace(line, fields);
  const int values_line = lines.number();
  if (fields.size() < keys.size()) {
    throw InputError(file, values_line, 0,
                     "expected " + std::to_string(keys.size()) + " header values (one per key on line " +
                         std::to_string(keys_line) + ") got " + std::to_string(fields.size()));
  }
  std::optional<int> num_markers, num_frames;
  double scale_to_m = 1.0;
  bool have_units = false;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::string key(keys[i].text);
    const Field& value = fields[i];
    if (key == "DataRate") {
      table.data_rate_hz = number_or_throw(file, values_line, value, "DataRate");
    } else if (key == "NumMarkers") {
      num_markers = integer_or_throw(file, values_line, value.text, key);
    } else if (key == "NumFrames") {
      num_frames = integer_or_throw(file, values_line, value.text, key);
    } else if (key == "Units") {
      table.units = std::string(value.text);
      const std::string u = to_lower(value.text);
      have_units = true;
      if (u == "mm") {
        scale_to_m = 1e-3;
      } else if (u == "cm") {
        scale_to_m = 1e-2;
      } else if (u == "m") {
        scale_to_m = 1.0;
      } else {
        throw InputError(file, values_line, value.column,
                         "Units is '" + table.units + "'; expected mm, cm or m");
      }
    }
  }
  if (!have_units) throw InputError(file, keys_line, 0, "the header has no Units key (expected mm, cm or m)");

  // Line 4: Frame# Time name1 <tab><tab> name2 ...
  if (!lines.next(line))
    throw InputError(file, lines.number() + 1, 0, "missing the marker-name line (Frame# Time ...)");
  const int names_line = lines.number();
  if (line.find('\t') != std::string_view::npos) {
    split_tabs(line, fields);
  } else {
    split_whitespace(line, fields);
  }
  if (fields.size() < 2 || to_lower(fields[0].text) != "frame#" || to_lower(fields[1].text) != "time") {
    throw InputError(file, names_line, 1, "expected the marker-name line to start with 'Frame#' and 'Time'");
  }
  for (std::size_t i = 2; i < fields.size(); ++i) {
    if (!fields[i].text.empty()) table.marker_names.emplace_back(fields[i].text);
  }
  const int markers = static_cast<int>(table.marker_names.size());
  if (num_markers && *num_markers != markers) {
    throw InputError(file, names_line, 0,
                     "the header says NumMarkers=" + std::to_string(*num_markers) + " but " +
                         std::to_string(markers) + " marker names were found");
  }
  const std::size_t expected_fields = 2 + 3 * static_cast<std::size_t>(markers);

  // Optional X1 Y1 Z1 line, then blank lines, then data.
  std::vector<double> data;
  std::vector<double> times;
  int last_data_line = names_line;
  bool first_after_names = true;
  while (lines.next(line)) {
    if (is_blank(line)) {
      first_after_names = false;
      continue;
    }
    const int line_number = lines.number();
    if (first_after_names) {
      first_after_names = false;
      split_whitespace(line, fields);
      if (!fields.empty() && (fields[0].text.front() == 'X' || fields[0].text.front() == 'x')) continue;
    }
    last_data_line = line_number;
    const bool tabbed = line.find('\t') != std::string_view::npos;
    if (tabbed) {
      split_tabs(line, fields);
    } else {
      split_whitespace(line, fields);
    }
    while (fields.size() > expected_fields && fields.back().text.empty()) fields.pop_back();
    if (fields.size() > expected_fields || fields.size() < 2) {
      throw InputError(file, line_number,
                       fields.size() > expected_fields ? fields[expected_fields].column : 0,
                       "wrong number of fields in data row: expected " + std::to_string(expected_fields) +
                           " (Frame#, Time and x y z for " + std::to_string(markers) + " markers) got " +
                           std::to_string(fields.size()));
    }
    if (fields[1].text.empty())
      throw InputError(file, line_number, fields[1].column, "the Time cell is empty");
    const double time = number_or_throw(file, line_number, fields[1], "Time");
    if (!times.empty() && !(time > times.back())) {
      throw InputError(file, line_number, fields[1].column,
                       "time " + format_number(time) + " does not increase (previous frame: " +
                           format_number(times.back()) + "); time must be strictly increasing");
    }
    times.push_back(time);
    for (std::size_t i = 2; i < expected_fields; ++i) {
      if (i >= fields.size() || fields[i].text.empty()) {
        data.push_back(std::numeric_limits<double>::quiet_NaN());
        continue;
      }
      const Field& f = fields[i];
      double value = 0.0;
      const NumberStatus status = parse_number(f.text, value);
      if (status == NumberStatus::Ok) {
        data.push_back(value * scale_to_m);
      } else if (to_lower(f.text) == "nan") {
        data.push_back(std::numeric_limits<double>::quiet_NaN());  // written by some tools for a gap
      } else {
        const std::size_t marker = (i - 2) / 3;
        const char axis = "XYZ"[(i - 2) % 3];
        number_or_throw(file, line_number, f,
                        std::string(1, axis) + " of marker '" + table.marker_names[marker] + "'");
      }
    }
  }
  const int frames = static_cast<int>(times.size());
  if (num_frames && *num_frames != frames) {
    throw InputError(file, last_data_line, 0,
                     "the header says NumFrames=" + std::to_string(*num_frames) + " but " +
                         std::to_string(frames) + " data rows were found");
  }
  table.time_s = std::move(times);
  table.positions_m.resize(frames, 3 * markers);
  for (int r = 0; r < frames; ++r) {
    for (int c = 0; c < 3 * markers; ++c) {
      table.positions_m(r, c) = data[static_cast<std::size_t>(r) * static_cast<std::size_t>(3 * markers) +
                                     static_cast<std::size_t>(c)];
    }
  }
  return table;
}

}  // namespace glutelab
