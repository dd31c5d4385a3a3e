#include "federation/text/html_escape.hpp"

namespace civicpub::federation::text {
namespace {

bool xml_forbidden(char c) {
  return static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

template <bool kXml>
void append_escaped(std::string& out, std::string_view text) {
  out.reserve(out.size() + text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (kXml && xml_forbidden(c)) break;
        out += c;
    }
  }
}

}  // namespace

void append_html_escaped(std::string& out, std::string_view text) {
  append_escaped<false>(out, text);
}

void append_xml_escaped(std::string& out, std::string_view text) {
  append_escaped<true>(out, text);
}

std::string html_escape(std::string_view text) {
  std::string out;
  append_html_escaped(out, text);
  return out;
}

}  // namespace civicpub::federation::text
