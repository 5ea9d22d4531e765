#include "glutelab/io/svg_plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "glutelab/io/storage.hpp"

namespace glutelab {
namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::string tick_label(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", std::abs(v) < 1e-12 ? 0.0 : v);
  return buf;
}

/// A "nice" tick step (1, 2 or 5 times a power of ten) giving about `count` ticks over `span`.
double nice_step(double span, int count) {
  const double raw = span / count;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * power >= raw) return m * power;
  return 10.0 * power;
}

// Ten colours that stay apart on white and for the common colour-vision deficiencies as far as ten can.
const char* const kColors[] = {"#c0392b", "#2471a3", "#239b56", "#b9770e", "#7d3c98",
                               "#566573", "#17a589", "#d35400", "#1a1a1a", "#a93226"};
constexpr std::size_t kNumColors = sizeof kColors / sizeof kColors[0];

std::string svg_open(double w, double h) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(w) + "\" height=\"" + num(h) +
         "\" viewBox=\"0 0 " + num(w) + " " + num(h) +
         "\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" "
         "fill=\"white\"/>\n";
}

}  // namespace

std::string xml_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else if (c == '"')
      out += "&quot;";
    else if (c == '\'')
      out += "&#39;";
    else
      out += c;
  }
  return out;
}

std::string svg_line_plot(const std::vector<PlotSeries>& series, const PlotOptions& options) {
  double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
  for (const PlotSeries& s : series) {
    if (s.x.size() != s.y.size())
      throw std::invalid_argument("plot series '" + s.label + "': x and y differ in length");
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
      x0 = std::min(x0, s.x[i]);
      x1 = std::max(x1, s.x[i]);
      y0 = std::min(y0, s.y[i]);
      y1 = std::max(y1, s.y[i]);
    }
  }
  if (!(x1 >= x0) || !(y1 >= y0)) throw std::invalid_argument("nothing finite to plot");
  y0 = std::min(y0, 0.0);
  if (options.y_min) y0 = *options.y_min;
  if (options.y_max) y1 = std::max(*options.y_max, y0);
  if (x1 == x0) x1 = x0 + 1.0;
  if (y1 == y0) y1 = y0 + 1.0;
  const double ystep = nice_step(y1 - y0, 6), xstep = nice_step(x1 - x0, 8);
  if (!options.y_max) y1 = std::ceil(y1 / ystep) * ystep;
  if (!options.y_min) y0 = std::floor(y0 / ystep) * ystep;
  const double right = std::max(20.0, options.legend_width);
  const double W = 630 + right, H = 450, left = 70, top = 40, bottom = 55;
  const double pw = W - left - right, ph = H - top - bottom;
  auto X = [&](double x) { return left + (x - x0) / (x1 - x0) * pw; };
  auto Y = [&](double y) { return top + (1.0 - (std::clamp(y, y0, y1) - y0) / (y1 - y0)) * ph; };
  auto color = [&](std::size_t k) {
    return k < options.colors.size() && !options.colors[k].empty() ? xml_escape(options.colors[k])
                                                                   : std::string(kColors[k % kNumColors]);
  };
  auto dash = [&](std::size_t k) {
    return k < options.dashed.size() && options.dashed[k] ? std::string(" stroke-dasharray=\"6 4\"")
                                                          : std::string();
  };

  std::string svg = svg_open(W, H);
  svg += "<text x=\"" + num(W / 2) + "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">" +
         xml_escape(options.title) + "</text>\n";
  for (const auto& [a, b] : options.bands)
    svg += "<rect x=\"" + num(X(std::max(a, x0))) + "\" y=\"" + num(top) + "\" width=\"" +
           num(std::max(0.0, X(std::min(b, x1)) - X(std::max(a, x0)))) + "\" height=\"" + num(ph) +
           "\" fill=\"#eaecee\"/>\n";
  for (double y = std::ceil(y0 / ystep - 1e-9) * ystep; y <= y1 + 1e-9 * ystep; y += ystep) {
    svg += "<line x1=\"" + num(left) + "\" x2=\"" + num(left + pw) + "\" y1=\"" + num(Y(y)) + "\" y2=\"" +
           num(Y(y)) + "\" stroke=\"#d5d8dc\"/>\n";
    svg += "<text x=\"" + num(left - 6) + "\" y=\"" + num(Y(y) + 4) + "\" text-anchor=\"end\">" +
           tick_label(y) + "</text>\n";
  }
  for (double x = std::ceil(x0 / xstep - 1e-9) * xstep; x <= x1 + 1e-9 * xstep; x += xstep)
    svg += "<text x=\"" + num(X(x)) + "\" y=\"" + num(top + ph + 18) + "\" text-anchor=\"middle\">" +
           tick_label(x) + "</text>\n";
  svg += "<rect x=\"" + num(left) + "\" y=\"" + num(top) + "\" width=\"" + num(pw) + "\" height=\"" +
         num(ph) + "\" fill=\"none\" stroke=\"#333\"/>\n";
  svg += "<text x=\"" + num(left + pw / 2) + "\" y=\"" + num(H - 12) + "\" text-anchor=\"middle\">" +
         xml_escape(options.x_label) + "</text>\n";
  svg += "<text transform=\"translate(18," + num(top + ph / 2) + ") rotate(-90)\" text-anchor=\"middle\">" +
         xml_escape(options.y_label) + "</text>\n";
  for (std::size_t k = 0; k < series.size(); ++k) {
    const PlotSeries& s = series[k];
    std::string points, dots;
    for (std::size_t i = 0; i < s.x.size(); ++i)
      if (std::isfinite(s.x[i]) && std::isfinite(s.y[i])) {
        points += num(X(s.x[i])) + "," + num(Y(s.y[i])) + " ";
        if (options.markers)
          dots += "<circle cx=\"" + num(X(s.x[i])) + "\" cy=\"" + num(Y(s.y[i])) + "\" r=\"3\" fill=\"" +
                  color(k) + "\"/>\n";
      }
    svg += "<polyline fill=\"none\" stroke=\"" + color(k) + "\" stroke-width=\"2\"" + dash(k) + " points=\"" +
           points + "\"><title>" + xml_escape(s.label) + "</title></polyline>\n" + dots;
    const double ly = top + 14 + 20.0 * static_cast<double>(k);
    svg += "<line x1=\"" + num(left + pw + 12) + "\" x2=\"" + num(left + pw + 32) + "\" y1=\"" + num(ly) +
           "\" y2=\"" + num(ly) + "\" stroke=\"" + color(k) + "\" stroke-width=\"2\"" + dash(k) + "/>\n";
    svg += "<text x=\"" + num(left + pw + 38) + "\" y=\"" + num(ly + 4) + "\">" + xml_escape(s.label) +
           "</text>\n";
  }
  if (!options.bands.empty() && !options.band_label.empty()) {
    const double ly = top + 14 + 20.0 * static_cast<double>(series.size());
    svg += "<rect x=\"" + num(left + pw + 12) + "\" y=\"" + num(ly - 6) +
           "\" width=\"20\" height=\"12\" fill=\"#eaecee\"/>\n";
    svg += "<text x=\"" + num(left + pw + 38) + "\" y=\"" + num(ly + 4) + "\">" +
           xml_escape(options.band_label) + "</text>\n";
  }
  svg += "</svg>\n";
  return svg;
}

void write_svg_line_plot(const std::filesystem::path& file, const std::vector<PlotSeries>& series,
                         const PlotOptions& options) {
  write_text_atomically(file, svg_line_plot(series, options));
}

std::string svg_bar_chart(const std::vector<PlotBar>& bars, const BarChartOptions& options) {
  if (bars.empty()) throw std::invalid_argument("bar chart '" + options.title + "': no bars");
  double vmax = 0.0;
  for (const PlotBar& b : bars) {
    if (!std::isfinite(b.value) || b.value < 0.0)
      throw std::invalid_argument("bar chart '" + options.title + "': bar '" + b.label +
                                  "' has a negative or non-finite value");
    vmax = std::max(vmax, b.value);
  }
  if (options.x_max) vmax = std::max(vmax, *options.x_max);
  if (vmax <= 0.0) vmax = 1.0;
  const double step = nice_step(vmax, 5);
  if (!options.x_max) vmax = std::ceil(vmax / step - 1e-9) * step;
  const double bar_h = 18, gap = 6, top = 36, left = std::max(40.0, options.label_width), value_w = 60,
               pw = 420, bottom = 44;
  const double ph = static_cast<double>(bars.size()) * (bar_h + gap);
  const double W = left + pw + value_w, H = top + ph + bottom;
  auto X = [&](double v) { return left + std::min(v, vmax) / vmax * pw; };
  std::string svg = svg_open(W, H);
  svg += "<text x=\"" + num(W / 2) + "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">" +
         xml_escape(options.title) + "</text>\n";
  for (double v = 0.0; v <= vmax + 1e-9 * step; v += step) {
    svg += "<line x1=\"" + num(X(v)) + "\" x2=\"" + num(X(v)) + "\" y1=\"" + num(top) + "\" y2=\"" +
           num(top + ph) + "\" stroke=\"#d5d8dc\"/>\n";
    svg += "<text x=\"" + num(X(v)) + "\" y=\"" + num(top + ph + 16) + "\" text-anchor=\"middle\">" +
           tick_label(v) + "</text>\n";
  }
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const double y = top + static_cast<double>(i) * (bar_h + gap) + gap / 2;
    char value[64];
    std::snprintf(value, sizeof value, options.value_format.c_str(), bars[i].value);
    svg += "<text x=\"" + num(left - 6) + "\" y=\"" + num(y + bar_h - 5) + "\" text-anchor=\"end\">" +
           xml_escape(bars[i].label) + "</text>\n";
    svg += "<rect x=\"" + num(left) + "\" y=\"" + num(y) + "\" width=\"" + num(X(bars[i].value) - left) +
           "\" height=\"" + num(bar_h) + "\" fill=\"" +
           xml_escape(i < options.bar_colors.size() && !options.bar_colors[i].empty() ? options.bar_colors[i]
                                                                                      : options.color) +
           "\" data-value=\"" + xml_escape(value) + "\"><title>" + xml_escape(bars[i].label) + ": " +
           xml_escape(value) + "</title></rect>\n";
    svg += "<text x=\"" + num(X(bars[i].value) + 4) + "\" y=\"" + num(y + bar_h - 5) + "\">" +
           xml_escape(value) + "</text>\n";
  }
  svg += "<line x1=\"" + num(left) + "\" x2=\"" + num(left) + "\" y1=\"" + num(top) + "\" y2=\"" +
         num(top + ph) + "\" stroke=\"#333\"/>\n";
  svg += "<text x=\"" + num(left + pw / 2) + "\" y=\"" + num(H - 8) + "\" text-anchor=\"middle\">" +
         xml_escape(options.x_label) + "</text>\n";
  svg += "</svg>\n";
  return svg;
}

}  // namespace glutelab
