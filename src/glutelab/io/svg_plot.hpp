// Minimal line plots written as standalone SVG files (for results a person would rather look at).
#pragma once

#include <filesystem>
#include <string>
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
};

/// Writes a line plot of the series (axes with ticks, legend) atomically to `file`. Throws
/// std::invalid_argument for series of mismatched length or without finite points.
void write_svg_line_plot(const std::filesystem::path& file, const std::vector<PlotSeries>& series,
                         const PlotOptions& options);

}  // namespace glutelab
