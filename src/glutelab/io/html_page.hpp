// The page skeleton shared by glutelab's self-contained HTML reports (glutelab report, glutelab claims):
// one stylesheet, the document head and foot, and number formatting. No external references, no
// JavaScript: plots are inline SVG (svg_plot.hpp).
#pragma once

#include <string>

namespace glutelab {

/// The reports' common stylesheet (tables, figures, warnings, sections).
const std::string& html_report_style();

/// "<!DOCTYPE html>..." up to and including "<body>": UTF-8, viewport, the escaped title, the common
/// stylesheet followed by `extra_css`.
std::string html_page_open(const std::string& title, const std::string& extra_css = "");

/// A footer paragraph with `footer_text` (escaped), then "</body></html>".
std::string html_page_close(const std::string& footer_text);

/// `value` printed with a printf format holding one double conversion ("%.2f BW").
std::string format_number(const char* printf_format, double value);

}  // namespace glutelab
