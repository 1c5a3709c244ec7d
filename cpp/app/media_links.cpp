// Media id minting and decoding.
#include "app/media_links.h"

#include "app/settings.h"
#include "core/bytes.h"

namespace g2a::app {

namespace {
constexpr size_t kSigChars = 27; // 160 bits of the HMAC, base64url
}

std::string media_payload(const MediaRef &ref) {
  return base64_encode("1\n" + ref.token_id + "\n" + ref.url, true, false);
}

std::optional<MediaRef> decode_media_id(std::string_view id, std::string &payload,
                                        std::string &sig) {
  size_t dot = id.find('.');
  if (dot == std::string_view::npos || dot == 0 || id.size() - dot - 1 != kSigChars ||
      id.size() > 4096)
    return std::nullopt;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
      return std::nullopt;
  payload = std::string(id.substr(0, dot));
  sig = std::string(id.substr(dot + 1));
  auto raw = base64_decode(payload);
  if (!raw || raw->rfind("1\n", 0) != 0) return std::nullopt;
  size_t nl = raw->find('\n', 2);
  if (nl == std::string::npos) return std::nullopt;
  MediaRef ref{raw->substr(2, nl - 2), raw->substr(nl + 1)};
  if (ref.url.rfind("https://", 0) != 0 && ref.url.rfind("http://", 0) != 0) return std::nullopt;
  return ref;
}

std::string absolute_asset_url(std::string_view assets_url, std::string_view u) {
  if (u.rfind("https://", 0) == 0 || u.rfind("http://", 0) == 0) return std::string(u);
  while (!u.empty() && u.front() == '/') u.remove_prefix(1);
  return std::string(assets_url) + "/" + std::string(u);
}

Task<std::string> media_secret(Ctx &cx, std::string known) {
  if (!known.empty()) co_return known;
  std::string fresh = hex_encode(co_await cx.random(32));
  auto res = co_await cx.run({fx::d1(
      {{"INSERT INTO settings (key, value, updated_at) VALUES ('media_signing_secret', ?1, ?2) "
        "ON CONFLICT(key) DO NOTHING",
        json::array({dump(json(fresh)), cx.now_ms})},
       {"SELECT value FROM settings WHERE key = 'media_signing_secret'", json::array()}})});
  const json &rows = res.empty() ? null_json() : d1_rows(res[0], 1);
  if (rows.is_array() && !rows.empty()) {
    auto v = parse_json(str_or(rows[0], "value"));
    if (v && v->is_string() && !v->get<std::string>().empty()) co_return v->get<std::string>();
  }
  co_return fresh;
}

static std::string trim_sig(const json &r) {
  std::string b64 = str_or(r, "b64");
  auto raw = base64_decode(b64);
  std::string s = raw ? base64_encode(*raw, true, false) : std::string();
  if (s.size() > kSigChars) s.resize(kSigChars);
  return s;
}

Task<std::vector<std::string>> mint_media_links(Ctx &cx, const std::string &secret,
                                                const std::vector<MediaRef> &refs,
                                                std::string_view base) {
  std::vector<std::string> payloads;
  std::vector<json> effects;
  for (const auto &r : refs) {
    payloads.push_back(media_payload(r));
    effects.push_back(fx::hmac_sha256(secret, payloads.back()));
  }
  auto res = co_await cx.run(std::move(effects));
  std::vector<std::string> out;
  for (size_t i = 0; i < payloads.size(); ++i) {
    std::string sig = i < res.size() ? trim_sig(res[i]) : std::string();
    out.push_back(std::string(base) + "/images/" + payloads[i] + "." + sig);
  }
  co_return out;
}

Task<std::string> media_signature(Ctx &cx, const std::string &secret, std::string_view payload) {
  auto res = co_await cx.run({fx::hmac_sha256(secret, payload)});
  co_return res.empty() ? std::string() : trim_sig(res[0]);
}

} // namespace g2a::app
