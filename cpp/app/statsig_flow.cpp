// Runs the statsig fallback chain's plans (see statsig_flow.h).
#include "app/statsig_flow.h"
#include "app/egress.h"

#include "app/settings.h"
#include "core/bytes.h"
#include "grok/statsig.h"

namespace g2a::app {

Result<grok::StatsigMaterial, std::string> statsig_material_from_page(const GrokConfig &cfg,
                                                                      std::string_view html) {
  using Found = Result<grok::StatsigMaterial, std::string>;
  auto fail = [](const char *why) { return Found(std::string(why)); };
  auto seed_b64 = grok::extract_site_verification(html);
  auto seed = seed_b64 ? base64_decode(*seed_b64) : std::nullopt;
  if (!seed || seed->size() != 48)
    return fail("the Grok home page had no grok-site-verification seed");
  auto curves = grok::extract_curves(html);
  if (!curves) return fail("the Grok home page had no curves table");
  const auto &ix = cfg.statsig_indices;
  if (ix.size() != 5) return fail("statsig_indices must hold 5 integers");
  grok::StatsigIndices indices{
      static_cast<int>(ix[0]),
      static_cast<int>(ix[1]),
      {static_cast<int>(ix[2]), static_cast<int>(ix[3]), static_cast<int>(ix[4])}};
  auto key = grok::animation_key(*seed, *curves, indices,
                                 cfg.statsig_browser_flavor ? grok::AnimationFlavor::Browser
                                                            : grok::AnimationFlavor::Reference);
  if (!key) return fail("could not derive the statsig animation key from the home page");
  return grok::StatsigMaterial{*seed_b64, *key};
}

// Fetches the home page and hands the chain its material (or why there was none); stores the
// outcome so that other requests neither fetch again within the interval nor lose new material.
static Task<void> rescrape(Ctx &cx, GrokConfig &cfg) {
  Headers h{{"accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
            {"accept-language", cfg.profile.accept_language},
            {"user-agent", cfg.profile.user_agent},
            {"sec-fetch-dest", "document"},
            {"sec-fetch-mode", "navigate"},
            {"sec-fetch-site", "none"}};
  fx::Fetch page;
  page.url = cfg.profile.base_url + "/";
  page.headers = std::move(h);
  page.max_bytes = 4 * 1024 * 1024;
  page.timeout_ms = 15000;
  page.binding = cfg.rest_binding;
  auto res = co_await cx.run({fx::effect(std::move(page))});
  const auto r = fx::FetchResult::of(fx::result_at(res));
  std::string why;
  std::optional<grok::StatsigMaterial> material;
  if (r.binding_missing) {
    // A deployment mistake, not a page problem: the chain moves on for this request, nothing is
    // remembered, and the caller reports the binding (grok_rest: egress_unavailable).
    cfg.egress_error = binding_missing_message(cfg.rest_binding);
    cfg.statsig.scraped(std::nullopt, "could not fetch the Grok home page: " + cfg.egress_error,
                        cx.now_ms);
    co_return;
  }
  if (!r.ok) {
    why = "could not fetch the Grok home page (network error)";
  } else if (r.status != 200) {
    why = "could not fetch the Grok home page (HTTP " + std::to_string(r.status) + ")";
  } else if (auto found = statsig_material_from_page(cfg, r.body)) {
    material = std::move(found).value();
  } else {
    why = std::move(found).error();
  }
  cfg.statsig.scraped(material, why, cx.now_ms);
  if (material) {
    co_await cx.run({fx::d1({settings_upsert("statsig_seed", json(material->seed_b64), cx.now_ms),
                             settings_upsert("statsig_key", json(material->key), cx.now_ms),
                             settings_delete(kStatsigScrapeFailure)})});
  } else {
    const auto &in = cfg.statsig.inputs();
    co_await cx.run({fx::d1({settings_upsert(
        kStatsigScrapeFailure, json{{"at", in.scrape_failed_at_ms}, {"why", in.scrape_failure}},
        cx.now_ms)})});
  }
}

Task<answer::UpstreamResult<std::string>> statsig_for(Ctx &cx, GrokConfig &cfg,
                                                      std::string_view method,
                                                      std::string_view path,
                                                      std::string_view refused) {
  auto unavailable = [](std::string why) {
    return answer::Fault{answer::Failure::StatsigUnavailable, std::move(why)};
  };
  for (int step = 0; step < 8; ++step) {
    grok::StatsigPlan plan = cfg.statsig.next(cx.now_ms);
    switch (plan.what) {
    case grok::StatsigPlan::Do::Scrape:
      co_await rescrape(cx, cfg);
      continue;
    case grok::StatsigPlan::Do::Use:
      co_return plan.value;
    case grok::StatsigPlan::Do::Fail:
      co_return unavailable(plan.error);
    case grok::StatsigPlan::Do::Generate: {
      auto seed = base64_decode(plan.material.seed_b64);
      uint32_t t = grok::statsig_time(cx.now_ms);
      std::string input = grok::statsig_digest_input(method, path, t, plan.material.key);
      auto res = co_await cx.run({fx::sha256(input)});
      std::string digest(cx.result_bytes(fx::CryptoResult::of(fx::result_at(res)).bytes));
      std::string xr = co_await cx.random(1);
      auto byte = static_cast<uint8_t>(xr.empty() ? 0x5a : xr[0]);
      auto header = grok::statsig_assemble(seed ? *seed : std::string(), t, digest, byte);
      // The value leads with its byte, so another byte makes another value.
      if (header && *header == refused)
        header = grok::statsig_assemble(seed ? *seed : std::string(), t, digest,
                                        static_cast<uint8_t>(byte + 1));
      if (!header)
        co_return unavailable("could not create x-statsig-id: the SHA-256 effect failed");
      co_return std::move(*header);
    }
    }
  }
  co_return unavailable("could not create x-statsig-id");
}

void statsig_refused(GrokConfig &cfg, bool outdated) {
  cfg.statsig.refused(outdated);
}

void statsig_accepted(GrokConfig &cfg, long long now_ms) {
  auto m = cfg.statsig.accepted();
  if (!m) return;
  cfg.deferred_writes.push_back(
      settings_upsert(kStatsigLastGood, json{{"seed", m->seed_b64}, {"key", m->key}}, now_ms));
}

} // namespace g2a::app
