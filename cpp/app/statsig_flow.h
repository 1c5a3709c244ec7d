// x-statsig-id for upstream REST calls, through the fallback chain of grok/statsig_chain.h:
// this file runs what each plan asks (the SHA-256 and random byte of a generated value, the
// home-page fetch of a re-scrape) and stores what must outlive the request in D1: re-derived
// material (statsig_seed / statsig_key), a failed scrape (state row statsig_scrape_failure,
// so the page is fetched at most once per statsig_refresh_interval_s) and the last material
// Grok accepted (state row statsig_last_good).
#pragma once

#include "answer/fault.h"
#include "app/grok_config.h"
#include "core/context.h"
#include "core/result.h"

#include <string>

namespace g2a::app {

// The header value for `method` + `path` (URL path only), or, when the chain has no source
// left, the StatsigUnavailable fault whose detail is the honest message naming the settings
// that fix it (nothing was sent to Grok).
// `refused`: a value Grok just refused; a generated value is never that one again (in the same
// second the only difference is the random byte, which is then redrawn).
Task<answer::UpstreamResult<std::string>> statsig_for(Ctx &cx, GrokConfig &cfg,
                                                      std::string_view method,
                                                      std::string_view path,
                                                      std::string_view refused = {});
// Grok refused the last value (403 code 7; `outdated`: "page is out of date").
void statsig_refused(GrokConfig &cfg, bool outdated);
// Grok accepted the last value: remembers its material as the last that worked. The D1 write
// (only when it changed) is queued in cfg.deferred_writes, not run: it must not delay the answer;
// the /v1 flows write it with the log row.
void statsig_accepted(GrokConfig &cfg, long long now_ms);

// The home page's material: the seed meta and the animation key derived from its curves with
// the configured indices, or why there is none (pure; exposed for tests).
Result<grok::StatsigMaterial, std::string> statsig_material_from_page(const GrokConfig &cfg,
                                                                      std::string_view html);

} // namespace g2a::app
