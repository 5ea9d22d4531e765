#include "glutelab/io/svg_plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "glutelab/io/storage.hpp"

namespace glutelab {
namespace {

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else if (c == '"')
      out += "&quot;";
    else
      out += c;
  }
  return out;
}

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

}  // namespace

void write_svg_line_plot(const std::filesystem::path& file, const std::vector<PlotSeries>& series,
                         const PlotOptions& options) {
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
  if (x1 == x0) x1 = x0 + 1.0;
  if (y1 == y0) y1 = y0 + 1.0;
  const double ystep = nice_step(y1 - y0, 6), xstep = nice_step(x1 - x0, 8);
  y1 = std::ceil(y1 / ystep) * ystep;
  y0 = std::floor(y0 / ystep) * ystep;
  const double W = 800, H = 450, left = 70, right = 170, top = 40, bottom = 55;
  const double pw = W - left - right, ph = H - top - bottom;
  auto X = [&](double x) { return left + (x - x0) / (x1 - x0) * pw; };
  auto Y = [&](double y) { return top + (1.0 - (y - y0) / (y1 - y0)) * ph; };
  static const char* kColors[] = {"#c0392b", "#2471a3", "#239b56", "#b9770e", "#7d3c98", "#566573"};

  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(W) + "\" height=\"" + num(H) +
                    "\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" "
                    "fill=\"white\"/>\n";
  svg += "<text x=\"" + num(W / 2) + "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">" +
         escape(options.title) + "</text>\n";
  for (const auto& [a, b] : options.bands)
    svg += "<rect x=\"" + num(X(std::max(a, x0))) + "\" y=\"" + num(top) + "\" width=\"" +
           num(std::max(0.0, X(std::min(b, x1)) - X(std::max(a, x0)))) + "\" height=\"" + num(ph) +
           "\" fill=\"#eaecee\"/>\n";
  for (double y = y0; y <= y1 + 1e-9 * ystep; y += ystep) {
    svg += "<line x1=\"" + num(left) + "\" x2=\"" + num(left + pw) + "\" y1=\"" + num(Y(y)) + "\" y2=\"" +
           num(Y(y)) + "\" stroke=\"#d5d8dc\"/>\n";
    svg += "<text x=\"" + num(left - 6) + "\" y=\"" + num(Y(y) + 4) + "\" text-anchor=\"end\">" +
           tick_label(y) + "</text>\n";
  }
  for (double x = std::ceil(x0 / xstep) * xstep; x <= x1 + 1e-9 * xstep; x += xstep)
    svg += "<text x=\"" + num(X(x)) + "\" y=\"" + num(top + ph + 18) + "\" text-anchor=\"middle\">" +
           tick_label(x) + "</text>\n";
  svg += "<rect x=\"" + num(left) + "\" y=\"" + num(top) + "\" width=\"" + num(pw) + "\" height=\"" +
         num(ph) + "\" fill=\"none\" stroke=\"#333\"/>\n";
  svg += "<text x=\"" + num(left + pw / 2) + "\" y=\"" + num(H - 12) + "\" text-anchor=\"middle\">" +
         escape(options.x_label) + "</text>\n";
  svg += "<text transform=\"translate(18," + num(top + ph / 2) + ") rotate(-90)\" text-anchor=\"middle\">" +
         escape(options.y_label) + "</text>\n";
  for (std::size_t k = 0; k < series.size(); ++k) {
    const PlotSeries& s = series[k];
    std::string points;
    for (std::size_t i = 0; i < s.x.size(); ++i)
      if (std::isfinite(s.x[i]) && std::isfinite(s.y[i]))
        points += num(X(s.x[i])) + "," + num(Y(s.y[i])) + " ";
    const char* color = kColors[k % 6];
    svg += "<polyline fill=\"none\" stroke=\"" + std::string(color) + "\" stroke-width=\"2\" points=\"" +
           points + "\"/>\n";
    const double ly = top + 14 + 20.0 * static_cast<double>(k);
    svg += "<line x1=\"" + num(left + pw + 12) + "\" x2=\"" + num(left + pw + 32) + "\" y1=\"" + num(ly) +
           "\" y2=\"" + num(ly) + "\" stroke=\"" + color + "\" stroke-width=\"2\"/>\n";
    svg +=
        "<text x=\"" + num(left + pw + 38) + "\" y=\"" + num(ly + 4) + "\">" + escape(s.label) + "</text>\n";
  }
  if (!options.bands.empty() && !options.band_label.empty()) {
    const double ly = top + 14 + 20.0 * static_cast<double>(series.size());
    svg += "<rect x=\"" + num(left + pw + 12) + "\" y=\"" + num(ly - 6) +
           "\" width=\"20\" height=\"12\" fill=\"#eaecee\"/>\n";
    svg += "<text x=\"" + num(left + pw + 38) + "\" y=\"" + num(ly + 4) + "\">" + escape(options.band_label) +
           "</text>\n";
  }
  svg += "</svg>\n";
  write_text_atomically(file, svg);
}

}  // namespace glutelab
