// The settings catalogue and its validation. Every setting listed here is read somewhere;
// the admin API exposes exactly this list.
#include "app/settings.h"

#include "app/egress.h"
#include "app/model_map.h"

#include <array>

namespace g2a::app {

namespace {
using T = SettingType;

std::optional<std::string> check_model_map(const json &v) {
  auto parsed = parse_model_map(v.get<std::string>());
  if (const auto *err = parsed.error_if()) return "claude_model_map: " + *err;
  return std::nullopt;
}

std::optional<std::string> check_signing_key(const json &v) {
  if (!v.get<std::string>().empty() && v.get<std::string>().size() < 32)
    return "thinking_signing_key must be empty (generated on first use) or at least 32 characters";
  return std::nullopt;
}

// clang-format off
constexpr std::array kSpecs = {
  SettingSpec{"chat_transport", T::Enum, R"("auto")", 0, 0, "auto|ws|rest", false, "Chat upstream: the mgw WebSocket (ws), REST NDJSON (rest), or ws falling back to rest when the handshake fails (auto)."},
  SettingSpec{"grok_base_url", T::Url, R"("")", 0, 200, "", false, "Grok web base URL (REST and the home page); empty uses the GROK_BASE_URL variable; binding:NAME sends these requests through the Worker binding NAME (a service binding or Workers VPC service)."},
  SettingSpec{"grok_ws_url", T::Url, R"("")", 0, 200, "", false, "Base URL of the chat and imagine WebSockets (http(s) becomes ws(s)): a relay you run, or binding:NAME for a Worker binding (a service binding or Workers VPC service); empty uses grok_base_url's egress."},
  SettingSpec{"grok_assets_url", T::Url, R"("")", 0, 200, "", false, "Grok assets base URL; empty uses the GROK_ASSETS_URL variable; binding:NAME fetches media through the Worker binding NAME."},
  SettingSpec{"user_agent", T::String, R"("")", 0, 400, "", false, "User-Agent sent upstream; empty uses a current desktop Chrome. Must match the browser that obtained cf_clearance."},
  SettingSpec{"accept_language", T::String, R"("en-US,en;q=0.9")", 0, 200, "", false, "Accept-Language sent upstream."},
  SettingSpec{"cf_clearance", T::String, R"("")", 0, 4096, "", true, "Cloudflare cf_clearance cookie value for grok.com (same egress IP and User-Agent as the browser that got it)."},
  SettingSpec{"cf_cookies", T::String, R"("")", 0, 4096, "", true, "Other Cloudflare cookies for grok.com, as a cookie string (e.g. __cf_bm=...; _cfuvid=...)."},
  SettingSpec{"statsig_mode", T::Enum, R"("local")", 0, 0, "local|manual", false, "x-statsig-id: generated locally from the seed and animation key (local), or a fixed value (manual)."},
  SettingSpec{"statsig_seed", T::String, R"("")", 0, 200, "", true, "Base64 of the 48-byte grok-site-verification seed; empty: fetched from the Grok home page when needed."},
  SettingSpec{"statsig_key", T::String, R"("")", 0, 400, "", true, "Animation key (hex string) paired with the seed; empty: derived from the home page when needed."},
  SettingSpec{"statsig_indices", T::IntList, R"([5,24,17,8,11])", 0, 255, "", false, "Seed indices used to derive the animation key: group, segment, three ct indices."},
  SettingSpec{"statsig_flavor", T::Enum, R"("browser")", 0, 0, "browser|reference", false, "How the animation key is derived from the page: as a browser computes it (browser), or by the literal written algorithm (reference)."},
  SettingSpec{"statsig_manual", T::String, R"("")", 0, 400, "", true, "Fixed x-statsig-id used when statsig_mode is manual."},
  SettingSpec{"statsig_fallback", T::String, R"("")", 0, 400, "", true, "Fixed x-statsig-id tried when no value can be generated (no material, the home page lacks it, Grok refused it) before giving up; empty: none."},
  SettingSpec{"statsig_refresh_interval_s", T::Int, "600", 10, 86400, "", false, "Seconds between home-page fetches for statsig material; a failed fetch is remembered this long, so it is not repeated per request."},
  SettingSpec{"temporary_chat", T::Bool, "true", 0, 0, "", false, "New Grok conversations are temporary (not saved in the account's history)."},
  SettingSpec{"chat_continuation", T::Bool, "false", 0, 0, "", false, "Chat Completions: continue the Grok conversation a history was answered in (on the account holding it, sending only the new messages) instead of replaying the whole history; a request's x-grok-continue header (1/0) overrides it."},
  SettingSpec{"disable_memory", T::Bool, "true", 0, 0, "", false, "New Grok conversations do not use or update account memory."},
  SettingSpec{"reasoning_output", T::Enum, R"("reasoning_content")", 0, 0, "reasoning_content|think_tags|hidden", false, "Where reasoning goes: the reasoning_content field, <think> tags in content, or nowhere."},
  SettingSpec{"claude_model_map", T::String, R"("opus=grok-chat-expert,sonnet=grok-chat-auto,haiku=grok-chat-fast,*=grok-chat-auto")", 0, 1000, "", false, "Messages API: which Grok model answers a model id the catalogue does not know (Claude names), as pattern=model rules tried in order; a pattern matches anywhere in the id, * matches any.", check_model_map},
  SettingSpec{"thinking_signing_key", T::String, R"("")", 0, 200, "", true, "Secret that signs the thinking blocks of Messages answers, so that blocks sent back can be verified; empty: generated on first use. Changing it invalidates earlier signatures.", check_signing_key},
  SettingSpec{"sources_list", T::Bool, "false", 0, 0, "", false, "Append a list of web sources to answers that used search."},
  SettingSpec{"filtered_tags", T::String, R"("xaiartifact,xai:tool_usage_card")", 0, 1000, "", false, "Comma-separated markers; upstream tokens containing one are dropped."},
  SettingSpec{"quality_loop_min_span", T::Int, "24", 4, 4096, "", false, "Quality guard: the shortest span (bytes) whose back-to-back repetition counts as a looping answer."},
  SettingSpec{"quality_loop_repeats", T::Int, "8", 2, 100, "", false, "Quality guard: copies of one span in a row that make a loop (answer and reasoning text are watched separately)."},
  SettingSpec{"quality_reasoning_modes", T::String, R"("heavy")", 0, 200, "", false, "Quality guard: Grok modes that always reason (comma-separated: fast, auto, expert, heavy); an answer from one with no reasoning is retried once on another account."},
  SettingSpec{"first_byte_timeout_s", T::Int, "30", 1, 600, "", false, "Seconds to wait for the first upstream frame."},
  SettingSpec{"idle_timeout_s", T::Int, "120", 1, 900, "", false, "Longest silence allowed between upstream frames, in seconds."},
  SettingSpec{"stream_keepalive_s", T::Int, "15", 0, 300, "", false, "A streamed answer that has sent nothing for this many seconds gets a keep-alive (an SSE comment; a ping event on Messages), so clients and proxies do not time out; 0 turns them off."},
  SettingSpec{"total_timeout_s", T::Int, "600", 10, 3600, "", false, "Longest a whole upstream answer may take, in seconds."},
  SettingSpec{"max_retries", T::Int, "3", 1, 10, "", false, "Grok accounts tried per request before giving up (only before the first byte reaches the client)."},
  SettingSpec{"failure_threshold", T::Int, "3", 1, 50, "", false, "Consecutive network/5xx failures after which an account cools down briefly."},
  SettingSpec{"failure_cooldown_s", T::Int, "60", 1, 3600, "", false, "First cooldown after failure_threshold failures; doubles per further failure, up to 16x."},
  SettingSpec{"rate_limit_cooldown_s", T::Int, "3600", 10, 86400, "", false, "Cooldown of an account's quota bucket after a 429 when the upstream gives no reset time."},
  SettingSpec{"token_max_inflight", T::Int, "4", 1, 100, "", false, "Concurrent requests allowed per Grok account."},
  SettingSpec{"quota_refresh_s", T::Int, "600", 60, 86400, "", false, "Quota knowledge older than this is refreshed after a request (never blocking it)."},
  SettingSpec{"max_images_per_request", T::Int, "4", 0, 16, "", false, "Images accepted per chat request (vision)."},
  SettingSpec{"max_image_bytes", T::Int, "10485760", 1024, 52428800, "", false, "Largest image accepted for vision or edits, in bytes."},
  SettingSpec{"image_hosts", T::String, R"("")", 0, 2000, "", false, "Hosts client image URLs (vision, edits) may be downloaded from, separated by commas; a name also allows its subdomains. Empty: any public host."},
  SettingSpec{"media_base_url", T::Url, R"("")", 0, 200, "", false, "Public base URL for /images links; empty uses the request's origin."},
  SettingSpec{"image_generation_method", T::Enum, R"("auto")", 0, 0, "auto|imagine_ws|chat", false, "Image generation: the imagine WebSocket, the chat path, or imagine first with chat as fallback."},
  SettingSpec{"video_html", T::Bool, "false", 0, 0, "", false, "Render generated videos as an HTML <video> tag instead of a markdown link."},
  SettingSpec{"log_retention_days", T::Int, "30", 1, 3650, "", false, "Days request logs are kept; older rows are pruned by the cron."},
};
// clang-format on

bool in_choices(std::string_view choices, std::string_view v) {
  while (!choices.empty()) {
    size_t bar = choices.find('|');
    if (choices.substr(0, bar) == v) return true;
    if (bar == std::string_view::npos) break;
    choices.remove_prefix(bar + 1);
  }
  return false;
}
} // namespace

std::span<const SettingSpec> setting_specs() {
  return kSpecs;
}

const SettingSpec *find_setting(std::string_view key) {
  for (const auto &s : kSpecs)
    if (s.key == key) return &s;
  return nullptr;
}

std::optional<std::string> validate_setting(const SettingSpec &spec, const json &v) {
  std::string k(spec.key);
  switch (spec.type) {
  case T::Int: {
    if (!v.is_number_integer()) return k + " must be an integer";
    long long x = v.get<long long>();
    if (x < spec.min || x > spec.max)
      return k + " must be between " + std::to_string(spec.min) + " and " +
             std::to_string(spec.max);
    return std::nullopt;
  }
  case T::Bool:
    if (!v.is_boolean()) return k + " must be true or false";
    return std::nullopt;
  case T::Enum:
    if (!v.is_string() || !in_choices(spec.choices, v.get<std::string>()))
      return k + " must be one of: " + std::string(spec.choices);
    return std::nullopt;
  case T::String:
  case T::Url: {
    if (!v.is_string()) return k + " must be a string";
    const std::string s = v.get<std::string>();
    size_t max = spec.max ? static_cast<size_t>(spec.max) : 4096;
    if (s.size() > max) return k + " is longer than " + std::to_string(max) + " characters";
    for (unsigned char c : s)
      if (c < 0x20 || c == 0x7f) return k + " must not contain control characters";
    if (spec.type == T::Url && binding_ref(s)) {
      if (auto e = check_binding_value(spec.key, s)) return *e;
    } else if (spec.type == T::Url && !s.empty()) {
      bool http = s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0;
      if (!http || s.size() < 10 || s.find_first_of(" \"'<>\\") != std::string::npos)
        return k + " must be an http(s) URL";
      if (s.back() == '/') return k + " must not end with '/'";
    }
    if (spec.check) return spec.check(v);
    return std::nullopt;
  }
  case T::IntList: {
    if (!v.is_array() || v.size() != 5) return k + " must be a list of 5 integers";
    for (const auto &x : v)
      if (!x.is_number_integer() || x.get<long long>() < spec.min || x.get<long long>() > spec.max)
        return k + " must hold integers between " + std::to_string(spec.min) + " and " +
               std::to_string(spec.max);
    return std::nullopt;
  }
  }
  return k + " has an unknown type";
}

Settings::Settings() : values_(json::object()), stored_(json::object()), state_(json::object()) {
  for (const auto &s : kSpecs) values_[std::string(s.key)] = *parse_json(s.default_json);
}

bool Settings::set(std::string_view key, const json &value) {
  const SettingSpec *spec = find_setting(key);
  if (!spec || validate_setting(*spec, value)) return false;
  values_[std::string(key)] = value;
  stored_[std::string(key)] = true;
  return true;
}

void Settings::apply_rows(const json &rows) {
  if (!rows.is_array()) return;
  for (const auto &row : rows) {
    std::string key = str_or(row, "key");
    auto value = parse_json(str_or(row, "value"));
    if (!value) continue;
    if (key == kStatsigScrapeFailure || key == kStatsigLastGood)
      state_[key] = *value;
    else if (!key.empty())
      set(key, *value);
  }
}

const json &Settings::raw(std::string_view key) const {
  static const json null_value;
  auto it = values_.find(std::string(key));
  return it == values_.end() ? null_value : *it;
}

long long Settings::integer(std::string_view key) const {
  const json &v = raw(key);
  return v.is_number_integer() ? v.get<long long>() : 0;
}

bool Settings::flag(std::string_view key) const {
  const json &v = raw(key);
  return v.is_boolean() && v.get<bool>();
}

std::string Settings::text(std::string_view key) const {
  const json &v = raw(key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

std::vector<long long> Settings::int_list(std::string_view key) const {
  std::vector<long long> out;
  const json &v = raw(key);
  if (v.is_array())
    for (const auto &x : v)
      if (x.is_number_integer()) out.push_back(x.get<long long>());
  return out;
}

const json &Settings::state(std::string_view key) const {
  static const json null_value;
  auto it = state_.find(std::string(key));
  return it == state_.end() ? null_value : *it;
}

bool Settings::is_default(std::string_view key) const {
  return !stored_.contains(std::string(key));
}

Settings settings_from_rows(const json &rows) {
  Settings s;
  s.apply_rows(rows);
  return s;
}

fx::Stmt settings_select() {
  return {"SELECT key, value FROM settings", json::array()};
}

fx::Stmt settings_upsert(std::string_view key, const json &value, long long now_ms) {
  return {"INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3) "
          "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
          json::array({key, dump(value), now_ms})};
}

fx::Stmt settings_delete(std::string_view key) {
  return {"DELETE FROM settings WHERE key = ?1", json::array({key})};
}

Task<Settings> load_settings(Ctx &cx) {
  auto res = co_await cx.run({fx::d1({settings_select()})});
  Settings s;
  if (const auto r = fx::D1Result::of(fx::result_at(res)); r.ok) s.apply_rows(r.rows(0));
  co_return s;
}

} // namespace g2a::app
