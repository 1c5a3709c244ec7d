// libFuzzer target: signed media ids (app/media_links.h) and asset URL joining. The input is
// an id as it arrives in /images/<id>, and also (split at the first newline) a MediaRef.
// Invariants: an accepted id is "<payload>.<27-char sig>" of URL-safe characters, and its
// decoded url is absolute http(s) — never another scheme; a minted payload decodes back to
// the same ref when its url is http(s), and is refused otherwise; a relative asset path
// joined by absolute_asset_url never leaves the assets host.
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
  std::string payload, sig;
  if (auto ref = decode_media_id(in, payload, sig)) {
    FUZZ_CHECK(is_web(ref->url), ref->url);
    FUZZ_CHECK(sig.size() == 27 && payload + "." + sig == in, in);
    FUZZ_CHECK(ref->token_id.find('\n') == std::string::npos, ref->token_id);
  }

  fuzz::Reader r(in);
  MediaRef ref;
  ref.token_id = r.until('\n');
  if (ref.token_id.find('\n') == std::string::npos) {
    ref.url = r.rest();
    std::string id = media_payload(ref) + "." + std::string(27, 'A');
    std::string p2, s2;
    auto back = decode_media_id(id, p2, s2);
    if (is_web(ref.url) && id.size() <= 4096) {
      FUZZ_CHECK(back && back->token_id == ref.token_id && back->url == ref.url, id);
    } else {
      FUZZ_CHECK(!back, id);
    }
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
