// Resolves GrokConfig from vars and settings.
#include "app/grok_config.h"
#include "app/egress.h"
#include "grok/endpoints.h"

namespace g2a::app {

GrokConfig grok_config(const Request &req, const Settings &s) {
  GrokConfig c;
  // `binding:NAME` keeps the URL the transport would have had and names the binding.
  auto egress = [](std::string value, std::string &binding) {
    if (auto name = binding_ref(value)) {
      binding = std::string(*name);
      return std::string();
    }
    return value;
  };
  std::string base = egress(s.text("grok_base_url"), c.rest_binding);
  c.profile.base_url =
      base.empty() ? req.var("GROK_BASE_URL", grok::endpoints::kDefaultBaseUrl) : base;
  std::string assets = egress(s.text("grok_assets_url"), c.assets_binding);
  c.profile.assets_url =
      assets.empty() ? req.var("GROK_ASSETS_URL", grok::endpoints::kDefaultAssetsUrl) : assets;
  while (!c.profile.base_url.empty() && c.profile.base_url.back() == '/')
    c.profile.base_url.pop_back();
  while (!c.profile.assets_url.empty() && c.profile.assets_url.back() == '/')
    c.profile.assets_url.pop_back();
  std::string ws_setting = s.text("grok_ws_url");
  std::string ws = egress(ws_setting, c.ws_binding);
  c.ws_base = ws.empty() ? c.profile.base_url : ws;
  if (ws_setting.empty()) c.ws_binding = c.rest_binding; // the REST egress, binding included
  while (!c.ws_base.empty() && c.ws_base.back() == '/') c.ws_base.pop_back();
  if (std::string ua = s.text("user_agent"); !ua.empty()) c.profile.user_agent = ua;
  c.profile.accept_language = s.text("accept_language");
  c.cookies.cf_clearance = s.text("cf_clearance");
  c.cookies.extra = s.text("cf_cookies");
  c.transport = s.text("chat_transport");
  grok::StatsigInputs st;
  st.manual_mode = s.text("statsig_mode") == "manual";
  st.manual = s.text("statsig_manual");
  st.current = {s.text("statsig_seed"), s.text("statsig_key")};
  st.fallback = s.text("statsig_fallback");
  st.refresh_interval_ms = s.integer("statsig_refresh_interval_s") * 1000;
  const json &good = s.state(kStatsigLastGood);
  st.last_good = {str_or(good, "seed"), str_or(good, "key")};
  const json &failed = s.state(kStatsigScrapeFailure);
  st.scrape_failed_at_ms = int_or(failed, "at");
  st.scrape_failure = str_or(failed, "why");
  c.statsig = grok::StatsigChain(std::move(st));
  c.statsig_indices = s.int_list("statsig_indices");
  c.statsig_browser_flavor = s.text("statsig_flavor") != "reference";
  c.temporary = s.flag("temporary_chat");
  c.disable_memory = s.flag("disable_memory");
  c.decode.filtered_tags.clear();
  std::string tags = s.text("filtered_tags");
  size_t start = 0;
  while (start <= tags.size()) {
    size_t comma = tags.find(',', start);
    std::string tag =
        tags.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    while (!tag.empty() && tag.front() == ' ') tag.erase(tag.begin());
    while (!tag.empty() && tag.back() == ' ') tag.pop_back();
    if (!tag.empty()) c.decode.filtered_tags.push_back(tag);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  c.quality.loop_min_span = static_cast<size_t>(s.integer("quality_loop_min_span"));
  c.quality.loop_repeats = static_cast<int>(s.integer("quality_loop_repeats"));
  c.quality_reasoning_modes = s.text("quality_reasoning_modes");
  c.timeouts.first_ms = s.integer("first_byte_timeout_s") * 1000;
  c.timeouts.idle_ms = s.integer("idle_timeout_s") * 1000;
  c.timeouts.total_ms = s.integer("total_timeout_s") * 1000;
  c.keepalive_ms = s.integer("stream_keepalive_s") * 1000;
  c.max_retries = static_cast<int>(s.integer("max_retries"));
  c.limits.max_inflight = s.integer("token_max_inflight");
  c.health.failure_threshold = s.integer("failure_threshold");
  c.health.failure_cooldown_s = s.integer("failure_cooldown_s");
  c.health.rate_limit_cooldown_s = s.integer("rate_limit_cooldown_s");
  c.quota_refresh_ms = s.integer("quota_refresh_s") * 1000;
  c.max_images = static_cast<size_t>(s.integer("max_images_per_request"));
  c.max_image_bytes = s.integer("max_image_bytes");
  std::string media = s.text("media_base_url");
  c.media_base = media.empty() ? req.origin : media;
  return c;
}

std::string ws_url(const std::string &base_url, std::string_view path) {
  std::string u = base_url;
  if (u.rfind("https://", 0) == 0)
    u = "wss://" + u.substr(8);
  else if (u.rfind("http://", 0) == 0)
    u = "ws://" + u.substr(7);
  return u + std::string(path);
}

} // namespace g2a::app
