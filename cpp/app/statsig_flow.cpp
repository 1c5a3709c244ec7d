// Statsig header generation and material refresh.
#include "app/statsig_flow.h"

#include "app/settings.h"
#include "core/bytes.h"
#include "grok/statsig.h"

namespace g2a::app {

Task<bool> refresh_statsig_material(Ctx &cx, GrokConfig &cfg, std::string *why) {
  Headers h{{"accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
            {"accept-language", cfg.profile.accept_language},
            {"user-agent", cfg.profile.user_agent},
            {"sec-fetch-dest", "document"},
            {"sec-fetch-mode", "navigate"},
            {"sec-fetch-site", "none"}};
  json headers = json::array();
  for (auto &[k, v] : h) headers.push_back(json::array({k, v}));
  auto res = co_await cx.run({json{{"op", "fetch"},
                                   {"method", "GET"},
                                   {"url", cfg.profile.base_url + "/"},
                                   {"headers", headers},
                                   {"read", "text"},
                                   {"max_bytes", 4 * 1024 * 1024},
                                   {"timeout_ms", 15000}}});
  const json &r = res.empty() ? null_json() : res[0];
  if (!bool_or(r, "ok") || int_or(r, "status") != 200) {
    if (why) *why = "could not fetch the Grok home page for statsig material";
    co_return false;
  }
  std::string html = str_or(r, "body");
  auto seed_b64 = grok::extract_site_verification(html);
  auto curves = grok::extract_curves(html);
  auto seed = seed_b64 ? base64_decode(*seed_b64) : std::nullopt;
  if (!seed || seed->size() != 48 || !curves) {
    if (why) *why = "the Grok home page did not contain the statsig seed and curves";
    co_return false;
  }
  const auto &ix = cfg.statsig_indices;
  if (ix.size() != 5) {
    if (why) *why = "statsig_indices must hold 5 integers";
    co_return false;
  }
  grok::StatsigIndices indices{static_cast<int>(ix[0]), static_cast<int>(ix[1]),
                               {static_cast<int>(ix[2]), static_cast<int>(ix[3]),
                                static_cast<int>(ix[4])}};
  auto key = grok::animation_key(*seed, *curves, indices,
                                 cfg.statsig_browser_flavor ? grok::AnimationFlavor::Browser
                                                            : grok::AnimationFlavor::Reference);
  if (!key) {
    if (why) *why = "could not derive the statsig animation key from the page";
    co_return false;
  }
  cfg.statsig_seed_b64 = *seed_b64;
  cfg.statsig_key = *key;
  co_await cx.run({fx::d1({settings_upsert("statsig_seed", json(*seed_b64), cx.now_ms),
                           settings_upsert("statsig_key", json(*key), cx.now_ms)})});
  co_return true;
}

Task<std::optional<std::string>> statsig_for(Ctx &cx, GrokConfig &cfg, std::string_view method,
                                             std::string_view path, std::string *why) {
  if (cfg.statsig_mode == "manual") {
    if (cfg.statsig_manual.empty()) {
      if (why) *why = "statsig_mode is manual but statsig_manual is empty";
      co_return std::nullopt;
    }
    co_return cfg.statsig_manual;
  }
  auto seed = base64_decode(cfg.statsig_seed_b64);
  if (!seed || seed->size() != 48 || cfg.statsig_key.empty()) {
    if (!co_await refresh_statsig_material(cx, cfg, why)) co_return std::nullopt;
    seed = base64_decode(cfg.statsig_seed_b64);
    if (!seed || seed->size() != 48) co_return std::nullopt;
  }
  uint32_t t = grok::statsig_time(cx.now_ms);
  std::string input = grok::statsig_digest_input(method, path, t, cfg.statsig_key);
  auto res = co_await cx.run({fx::sha256(input)});
  std::string digest(res.empty() ? std::string_view() : cx.result_bytes(jget(res[0], "bytes")));
  std::string xr = co_await cx.random(1);
  auto header = grok::statsig_assemble(*seed, t, digest,
                                       static_cast<uint8_t>(xr.empty() ? 0x5a : xr[0]));
  if (!header && why) *why = "could not assemble x-statsig-id";
  co_return header;
}

} // namespace g2a::app
