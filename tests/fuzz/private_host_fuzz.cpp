// libFuzzer target: the SSRF guard for client image URLs (app/image_inputs.h private_host).
// A reference written from the WHATWG URL Standard computes the host a fetch would really
// reach (tabs/newlines removed, authority ending at / \ ? #, percent-decoding, full-width
// digits and dots mapped, IPv4 numbers in decimal, octal or hex with 1-4 parts, a trailing
// dot); whenever that host is loopback, private, link-local, CGNAT, multicast/reserved,
// 0.0.0.0/8 or a *.localhost/.local/.internal name, private_host must refuse the URL.
#include "app/image_inputs.h"
#include "fuzz_util.h"

#include <optional>

using namespace g2a;

namespace {

// One IPv4 part: 0x/0X hex (possibly empty), leading-0 octal, or decimal; nullopt = failure.
std::optional<uint64_t> ipv4_number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int radix = 10;
  if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s.remove_prefix(2);
    radix = 16;
  } else if (s.size() >= 2 && s[0] == '0') {
    s.remove_prefix(1);
    radix = 8;
  }
  if (s.empty()) return 0;
  uint64_t v = 0;
  for (char c : s) {
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : 99;
    if (d >= radix) return std::nullopt;
    v = v * radix + d;
    if (v > 0xFFFFFFFFull * 256) v = 0xFFFFFFFFull * 256; // saturate: too large anyway
  }
  return v;
}

bool ends_in_number(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  size_t dot = host.rfind('.');
  std::string_view last = dot == std::string_view::npos ? host : host.substr(dot + 1);
  if (last.empty()) return false;
  if (last.find_first_not_of("0123456789") == std::string_view::npos) return true;
  return ipv4_number(last).has_value() && last.size() >= 2 && last[0] == '0' &&
         (last[1] == 'x' || last[1] == 'X');
}

// IPv4 address per WHATWG, or nullopt when the host is not an IPv4 literal (or is invalid).
std::optional<uint32_t> whatwg_ipv4(std::string_view host) {
  if (!ends_in_number(host)) return std::nullopt;
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  std::vector<uint64_t> parts;
  while (true) {
    size_t dot = host.find('.');
    auto n = ipv4_number(host.substr(0, dot));
    if (!n) return std::nullopt;
    parts.push_back(*n);
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
  }
  if (parts.size() > 4) return std::nullopt;
  for (size_t i = 0; i + 1 < parts.size(); ++i)
    if (parts[i] > 255) return std::nullopt;
  uint64_t limit = 1ull << (8 * (5 - parts.size()));
  if (parts.back() >= limit) return std::nullopt;
  uint64_t v = parts.back();
  for (size_t i = 0; i + 1 < parts.size(); ++i) v += parts[i] << (8 * (3 - i));
  return static_cast<uint32_t>(v);
}

bool private_v4(uint32_t a) {
  uint32_t o1 = a >> 24, o2 = (a >> 16) & 0xFF;
  return o1 == 0 || o1 == 10 || o1 == 127 || (o1 == 169 && o2 == 254) ||
         (o1 == 172 && o2 >= 16 && o2 <= 31) || (o1 == 192 && o2 == 168) ||
         (o1 == 100 && o2 >= 64 && o2 <= 127) || o1 >= 224;
}

// The host of an http(s) URL as a fetch would resolve it; nullopt when the reference cannot
// judge (not http(s), IPv6, other non-ASCII, invalid URL).
std::optional<std::string> whatwg_host(std::string_view url) {
  std::string u;
  for (char c : url)
    if (c != '\t' && c != '\n' && c != '\r') u += c;
  // Leading C0 controls and spaces are stripped (tab, LF and CR are already gone).
  std::string c0_space(" ");
  for (char c = 0; c < 0x20; ++c) c0_space += c;
  size_t b = u.find_first_not_of(c0_space);
  if (b == std::string::npos) return std::nullopt;
  u = u.substr(b);
  size_t colon = u.find(':');
  if (colon == std::string::npos) return std::nullopt;
  std::string scheme = u.substr(0, colon);
  for (auto &c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  std::string rest = u.substr(colon + 1);
  size_t i = 0;
  while (i < rest.size() && (rest[i] == '/' || rest[i] == '\\')) ++i;
  rest = rest.substr(i);
  std::string auth = rest.substr(0, rest.find_first_of("/\\?#"));
  size_t at = auth.rfind('@');
  if (at != std::string::npos) auth = auth.substr(at + 1);
  if (!auth.empty() && auth[0] == '[') return std::nullopt;
  std::string raw = auth.substr(0, auth.find(':'));
  // Percent-decode.
  std::string host;
  for (size_t k = 0; k < raw.size(); ++k) {
    auto hex = [](char c) {
      return c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
    };
    if (raw[k] == '%' && k + 2 < raw.size() && hex(raw[k + 1]) >= 0 && hex(raw[k + 2]) >= 0) {
      host += static_cast<char>(hex(raw[k + 1]) * 16 + hex(raw[k + 2]));
      k += 2;
    } else {
      host += raw[k];
    }
  }
  // IDNA mapping of the characters that matter here: full-width digits and dots.
  std::string mapped;
  for (size_t k = 0; k < host.size(); ++k) {
    unsigned char c = static_cast<unsigned char>(host[k]);
    if (c < 0x80) {
      mapped += static_cast<char>(std::tolower(c));
      continue;
    }
    if (k + 2 < host.size() && c == 0xEF && static_cast<unsigned char>(host[k + 1]) == 0xBC &&
        static_cast<unsigned char>(host[k + 2]) >= 0x90 && static_cast<unsigned char>(host[k + 2]) <= 0x99) {
      mapped += static_cast<char>('0' + (static_cast<unsigned char>(host[k + 2]) - 0x90));
      k += 2;
    } else if (k + 2 < host.size() && c == 0xEF && static_cast<unsigned char>(host[k + 1]) == 0xBC &&
               static_cast<unsigned char>(host[k + 2]) == 0x8E) { // U+FF0E
      mapped += '.';
      k += 2;
    } else if (k + 2 < host.size() && c == 0xE3 && static_cast<unsigned char>(host[k + 1]) == 0x80 &&
               static_cast<unsigned char>(host[k + 2]) == 0x82) { // U+3002
      mapped += '.';
      k += 2;
    } else {
      return std::nullopt; // other non-ASCII: not judged here
    }
  }
  return mapped;
}

bool reference_private(std::string_view url) {
  auto host = whatwg_host(url);
  if (!host) return false;
  std::string h = *host;
  if (auto v4 = whatwg_ipv4(h)) return private_v4(*v4);
  if (!h.empty() && h.back() == '.') h.pop_back();
  auto ends = [&](std::string_view suf) {
    return h.size() >= suf.size() && h.compare(h.size() - suf.size(), suf.size(), suf) == 0;
  };
  return h == "localhost" || ends(".localhost") || ends(".local") || ends(".internal");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string url(reinterpret_cast<const char *>(data), size);
  bool refused = app::private_host(url);
  if (reference_private(url)) FUZZ_CHECK(refused, url);
  // The usual spellings of a public host pass.
  if (url == "https://example.com/cat.png") FUZZ_CHECK(!refused, url);
  return 0;
}
