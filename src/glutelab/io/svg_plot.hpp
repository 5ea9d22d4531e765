// Minimal SVG plots (line plots with several series and a legend, horizontal bar charts) as strings to
// inline in HTML, or written as standalone SVG files (for results a person would rather look at).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace glutelab {

struct PlotSeries {
  std::string label;
  std::vector<double> x, y;
};

struct PlotOptions {
  std::string title;
  std::string x_label;
  std::string y_label;
  /// Shaded x intervals (e.g. stance phases), drawn under the lines.
  std::vector<std::pair<double, double>> bands;
  std::string band_label;
  /// Fixed y-axis limits; unset: from the data (the lower limit never above 0).
  std::optional<double> y_min, y_max;
  /// Per series (by index; shorter or empty: defaults): a CSS colour, and dashed lines.
  std::vector<std::string> colors;
  std::vector<bool> dashed;
  double legend_width = 170.0;  ///< pixels right of the plot area for the legend
  bool markers = false;         ///< a dot at every point (for series of a few points)
};

/// One bar of a horizontal bar chart.
struct PlotBar {
  std::string label;
  double value = 0.0;
};

struct BarChartOptions {
  std::string title;
  std::string x_label;
  std::string value_format = "%.3f";  ///< printf format of the value written beside each bar
  std::optional<double> x_max;        ///< unset: from the data
  std::string color = "#2471a3";
  std::vector<std::string> bar_colors;  ///< per bar (by index; shorter or empty entries: `color`)
  double label_width = 210.0;           ///< pixels left of the bars for the labels
};

/// The SVG text of a line plot of the series (axes with ticks, legend). Throws std::invalid_argument
/// for series of mismatched length or without finite points.
std::string svg_line_plot(const std::vector<PlotSeries>& series, const PlotOptions& options);

/// svg_line_plot written atomically to `file`.
void write_svg_line_plot(const std::filesystem::path& file, const std::vector<PlotSeries>& series,
                         const PlotOptions& options);

/// The SVG text of a horizontal bar chart, bars top to bottom in the given order, each value written
/// beside its bar. Throws std::invalid_argument for no bars or a non-finite or negative value.
std::string svg_bar_chart(const std::vector<PlotBar>& bars, const BarChartOptions& options);

/// Escapes &, <, >, " and ' for XML/HTML text and attribute values.
std::string xml_escape(const std::string& text);

}  // namespace glutelab
