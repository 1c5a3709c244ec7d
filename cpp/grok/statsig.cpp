// x-statsig-id header bytes: the timestamp, the digest input and the 70-byte assembly
// (reference §2.4 steps 5–8). The SHA-256 itself comes from the caller (WebCrypto).
#include "grok/statsig.h"

#include "core/bytes.h"

namespace g2a::grok {

uint32_t statsig_time(long long now_ms) {
  long long ms = now_ms - kStatsigEpochSeconds * 1000;
  if (ms <= 0) return 0;
  return static_cast<uint32_t>(ms / 1000); // Uint32Array wraps, as the generator's does
}

namespace {

// The URL path of `path`: drops scheme://host, then any query or fragment.
std::string_view url_path(std::string_view path) {
  size_t scheme = path.find("://");
  if (scheme != std::string_view::npos && path.find_first_of("/?#") > scheme) {
    size_t slash = path.find('/', scheme + 3);
    size_t end = path.find_first_of("?#", scheme + 3);
    if (slash == std::string_view::npos || (end != std::string_view::npos && end < slash))
      return "/";
    path.remove_prefix(slash);
  } else if (path.substr(0, 2) == "//") { // protocol-relative
    size_t slash = path.find('/', 2);
    if (slash == std::string_view::npos) return "/";
    path.remove_prefix(slash);
  }
  size_t end = path.find_first_of("?#");
  if (end != std::string_view::npos) path = path.substr(0, end);
  return path.empty() ? std::string_view("/") : path;
}

} // namespace

std::string statsig_digest_input(std::string_view method, std::string_view path, uint32_t t,
                                 std::string_view animation_key) {
  std::string out;
  std::string_view p = url_path(path);
  out.reserve(method.size() + p.size() + 12 + kStatsigSalt.size() + animation_key.size());
  for (char c : method) out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c);
  out.push_back('!');
  out.append(p);
  out.push_back('!');
  out.append(std::to_string(t));
  out.append(kStatsigSalt);
  out.append(animation_key);
  return out;
}

std::optional<std::string> statsig_assemble(std::string_view seed48, uint32_t t,
                                            std::string_view sha256_digest32, uint8_t xor_byte) {
  if (seed48.size() != 48 || sha256_digest32.size() < 16) return std::nullopt;
  std::string plain;
  plain.reserve(70);
  plain.push_back(static_cast<char>(xor_byte));
  plain.append(seed48);
  for (int i = 0; i < 4; ++i) plain.push_back(static_cast<char>((t >> (8 * i)) & 0xff));
  plain.append(sha256_digest32.substr(0, 16));
  plain.push_back(0x03);
  for (size_t i = 1; i < plain.size(); ++i)
    plain[i] = static_cast<char>(static_cast<uint8_t>(plain[i]) ^ xor_byte);
  return base64_encode(plain, false, false);
}

bool statsig_looks_valid(std::string_view value) {
  if (value.size() == 96 && value.substr(94) == "==") value.remove_suffix(2);
  if (value.size() != 94) return false; // 70 bytes = 94 unpadded base64 characters
  for (char c : value) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/';
    if (!ok) return false;
  }
  auto raw = base64_decode(value);
  if (!raw || raw->size() != 70) return false;
  return (static_cast<uint8_t>((*raw)[69]) ^ static_cast<uint8_t>((*raw)[0])) == 0x03;
}

} // namespace g2a::grok
