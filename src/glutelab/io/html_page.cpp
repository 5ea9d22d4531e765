#include "glutelab/io/html_page.hpp"

#include <cstdio>

#include "glutelab/io/svg_plot.hpp"

namespace glutelab {

const std::string& html_report_style() {
  static const std::string style = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1100px;margin:0 auto;padding:0 1em 3em;color:#1c2833;line-height:1.45}
h1{margin-bottom:.2em}h2{border-bottom:2px solid #d5d8dc;padding-bottom:.2em;margin-top:2em}
h3{margin-bottom:.3em}.sub{color:#566573;margin-top:0}
table{border-collapse:collapse;margin:.6em 0 1em}th,td{border:1px solid #d5d8dc;padding:.25em .6em;text-align:right}
th:first-child,td:first-child{text-align:left}thead th{background:#f4f6f7}
.explain{color:#566573;font-size:.92em;margin:.2em 0 .8em}.plain{color:#566573;font-size:.9em}
figure{margin:1em 0}figure svg{max-width:100%;height:auto}figcaption{color:#566573;font-size:.92em}
.exercise{border-top:1px solid #eaecee;margin-top:2em}.cues{font-style:italic}
.grid{display:flex;flex-wrap:wrap;gap:1em}.grid figure{flex:1 1 480px}
.doubtful{background:#fdebd0}.warn{background:#fef5e7;border-left:4px solid #b9770e;padding:.4em .8em}
nav ol{columns:2}
@media print{.exercise{break-inside:avoid-page}}
)";
  return style;
}

std::string html_page_open(const std::string& title, const std::string& extra_css) {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
         "content=\"width=device-width, initial-scale=1\">\n<title>" +
         xml_escape(title) + "</title>\n<style>" + html_report_style() + extra_css +
         "</style>\n</head>\n<body>\n";
}

std::string html_page_close(const std::string& footer_text) {
  return "<footer><p class=\"sub\">" + xml_escape(footer_text) + "</p></footer>\n</body>\n</html>\n";
}

std::string format_number(const char* printf_format, double value) {
  char buf[256];
  std::snprintf(buf, sizeof buf, printf_format, value);
  return buf;
}

}  // namespace glutelab
