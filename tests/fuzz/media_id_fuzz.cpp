// libFuzzer target: media ids (app/media_links.h) and asset URL joining. The input is an id
// as it arrives in /images/<id>, and also an asset path the upstream returned. Invariants: an
// accepted id is exactly 22 URL-safe characters (nothing else reaches the D1 lookup); a
// relative asset path joined by absolute_asset_url never leaves the assets host.
#include "app/media_links.h"
#include "fuzz_util.h"

using namespace g2a;
using namespace g2a::app;

namespace {

bool is_web(std::string_view u) {
  return u.rfind("https://", 0) == 0 || u.rfind("http://", 0) == 0;
}

// The host a WHATWG URL parser would see for an http(s) URL: tabs and newlines removed, the
// authority ends at / \ ? #, userinfo dropped, port dropped, lower-cased.
std::string whatwg_host(std::string_view url) {
  std::string u;
  for (char c : url)
    if (c != '\t' && c != '\n' && c != '\r') u += c;
  size_t s = u.find("://");
  if (s == std::string::npos) return "?";
  std::string rest = u.substr(s + 3);
  size_t i = 0;
  while (i < rest.size() && (rest[i] == '/' || rest[i] == '\\')) ++i;
  rest = rest.substr(i);
  std::string auth = rest.substr(0, rest.find_first_of("/\\?#"));
  size_t at = auth.rfind('@');
  if (at != std::string::npos) auth = auth.substr(at + 1);
  std::string host = auth.substr(0, auth.find(':'));
  for (auto &c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return host;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view in(reinterpret_cast<const char *>(data), size);
  if (valid_media_id(in)) {
    FUZZ_CHECK(in.size() == kMediaIdChars, in);
    for (char c : in)
      FUZZ_CHECK(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_', in);
  }

  const std::string assets = "https://assets.grok.com";
  std::string joined = absolute_asset_url(assets, in);
  if (!is_web(in)) {
    FUZZ_CHECK(joined.rfind(assets + "/", 0) == 0, joined);
    FUZZ_CHECK(whatwg_host(joined) == "assets.grok.com", joined);
  } else {
    FUZZ_CHECK(joined == in, joined);
  }
  return 0;
}
