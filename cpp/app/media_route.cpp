// GET/HEAD /images/<id>: serves media the gateway minted links for. The id must name a stored
// media_links row (anything else is a 404 with no upstream request); only the assets host and
// the public imagine hosts may be fetched; bodies up to KV_CACHE_MAX_BYTES (≤ 25 MiB) are
// cached in KV until the next local midnight with a D1 index row; Range is served from the
// cache (a small object is fetched whole and cached first; a large one is passed through).
// Media failures never count against a Grok account.
#include "app/egress.h"
#include "app/grok_config.h"
#include "app/grok_rest.h"
#include "app/media_links.h"
#include "app/routes.h"
#include "core/time.h"
#include "grok/cookies.h"
#include "grok/upstream_headers.h"
#include "http/range.h"
#include "http/response.h"

namespace g2a::app {

namespace {

std::string host_of(std::string_view url) {
  size_t s = url.find("://");
  if (s == std::string_view::npos) return {};
  std::string_view rest = url.substr(s + 3);
  std::string h(rest.substr(0, rest.find_first_of("/?#")));
  for (auto &c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return h;
}

// The assets host needs the owning account's cookie; the public imagine hosts need none.
enum class HostKind { Refused, Assets, Public };
HostKind media_host(const Request &req, const GrokConfig &cfg, std::string_view url) {
  std::string h = host_of(url);
  if (h.empty() || url.find('@') != std::string_view::npos) return HostKind::Refused;
  if (h == host_of(cfg.profile.assets_url)) return HostKind::Assets;
  if (h == "imagine-public.x.ai" || h == "imgen.x.ai") return HostKind::Public;
  std::string extra = req.var("GROK_PUBLIC_MEDIA_URL");
  if (!extra.empty() && h == host_of(extra)) return HostKind::Public;
  return HostKind::Refused;
}

std::string safe_type(std::string ct) {
  size_t semi = ct.find(';');
  std::string base = ct.substr(0, semi);
  for (auto &c : base) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  if (base.rfind("image/", 0) == 0 || base.rfind("video/", 0) == 0) {
    if (base == "image/svg+xml") return "application/octet-stream"; // scripts in SVG
    return base;
  }
  return "application/octet-stream";
}

void fail(Ctx &cx, int status, std::string code, std::string message) {
  ApiError e{.status = status,
             .type = status == 404   ? "not_found"
                     : status == 416 ? "invalid_request_error"
                                     : "upstream_error",
             .message = std::move(message),
             .code = std::move(code)};
  respond_error(cx, e);
}

Headers media_headers(const std::string &type, long long size, const std::string &etag) {
  Headers h{{"content-type", type},
            {"accept-ranges", "bytes"},
            {"etag", etag},
            {"cache-control", "public, max-age=86400"},
            {"x-content-type-options", "nosniff"},
            {"access-control-allow-origin", "*"}};
  if (size >= 0) h.emplace_back("content-length", std::to_string(size));
  return h;
}

long long parse_len(const std::string &s) {
  if (s.empty() || s.size() > 15 || s.find_first_not_of("0123456789") != std::string::npos)
    return -1;
  return std::stoll(s);
}

// Serves a cached body (whole, or the requested range) from a KV stream source.
void serve_cached(Ctx &cx, int source, const std::string &type, long long size,
                  const std::string &etag, RangeParse rp, const ByteRange &range) {
  if (rp == RangeParse::Satisfiable) {
    Headers h = media_headers(type, range.length(), etag);
    h.emplace_back("content-range", content_range(range, size));
    cx.respond_source(206, std::move(h), source, range.start, range.length());
  } else {
    cx.respond_source(200, media_headers(type, size, etag), source);
  }
}

} // namespace

Task<void> media(Ctx &cx) {
  if (cx.req.method != "GET" && cx.req.method != "HEAD") {
    respond_error(cx, method_not_allowed("Use GET or HEAD.", "GET, HEAD"));
    co_return;
  }
  co_await serve_media(cx, cx.req.path.substr(std::string_view("/images/").size()));
}

Task<void> serve_media(Ctx &cx, std::string id) {
  if (!valid_media_id(id) || !cx.req.has_db) {
    fail(cx, 404, "media_not_found", "No such media.");
    co_return;
  }
  std::string key = "media:" + id;
  auto res = co_await cx.run(
      {fx::d1({{"SELECT key, value FROM settings", json::array()},
               {"SELECT content_type, size, etag, expires_at FROM media_cache WHERE key = ?1",
                json::array({key})},
               media_link_select(id)})});
  const auto r = fx::D1Result::of(fx::result_at(res));
  const json &link_rows = r.rows(2);
  if (!r.ok || !link_rows.is_array() || link_rows.empty()) {
    fail(cx, 404, "media_not_found", "No such media.");
    co_return;
  }
  MediaRef ref{str_or(link_rows[0], "token_id"), str_or(link_rows[0], "url")};
  Settings settings;
  settings.apply_rows(r.rows(0));
  GrokConfig cfg = grok_config(cx.req, settings);
  HostKind host = media_host(cx.req, cfg, ref.url);
  if (host == HostKind::Refused) {
    fail(cx, 403, "media_host_not_allowed", "This media host is not allowed.");
    co_return;
  }
  std::string range_header(cx.req.header_or("range"));
  std::string etag = "\"" + id + "\"";
  if (cx.req.header_or("if-none-match") == etag) {
    cx.respond(304, {{"etag", etag}, {"cache-control", "public, max-age=86400"}}, "");
    co_return;
  }

  // Cache hit: straight from KV, no upstream call.
  const json &hit_rows = r.rows(1);
  if (hit_rows.is_array() && !hit_rows.empty() && int_or(hit_rows[0], "expires_at") > cx.now_ms) {
    long long size = int_or(hit_rows[0], "size");
    ByteRange range;
    RangeParse rp = parse_range(range_header, size, range);
    if (rp == RangeParse::Unsatisfiable) {
      cx.respond(416, {{"content-range", "bytes */" + std::to_string(size)}}, "");
      co_return;
    }
    auto got = co_await cx.run({fx::kv_get(key, "stream")});
    const auto g = fx::KvGetResult::of(fx::result_at(got));
    if (g.found && g.source >= 0) {
      serve_cached(cx, g.source, str_or(hit_rows[0], "content_type"), size, etag, rp, range);
      co_await cx.run({fx::d1({{"UPDATE media_cache SET hits = hits + 1, last_access_at = ?2 "
                                "WHERE key = ?1",
                                json::array({key, cx.now_ms})}})});
      co_return;
    }
  }

  // Miss: fetch upstream with the owning account's cookie (assets) or none (public hosts).
  std::string cookie;
  if (host == HostKind::Assets && !str_or(link_rows[0], "sso").empty())
    cookie = grok::build_cookie(str_or(link_rows[0], "sso"), cfg.cookies);
  auto fetch_upstream = [&](std::string_view range) {
    fx::Fetch fetch;
    fetch.url = ref.url;
    for (auto &[k, v] : grok::asset_headers(cfg.profile, cookie, range))
      if (!(cookie.empty() && k == "cookie")) fetch.headers.emplace_back(k, v);
    fetch.read = "stream";
    fetch.timeout_ms = 30000;
    if (host == HostKind::Assets) fetch.binding = cfg.assets_binding;
    return fx::effect(std::move(fetch));
  };
  auto up = co_await cx.run({fetch_upstream("")});
  const auto u = fx::FetchResult::of(fx::result_at(up));
  int status = u.status;
  if (!u.ok || status < 200 || status >= 300) {
    if (u.has_source()) cx.cancel_source(u.source);
    if (u.binding_missing)
      fail(cx, 503, "egress_unavailable", binding_missing_message(cfg.assets_binding));
    else if (status == 404 || status == 410 || status == 401 || status == 403)
      fail(cx, 404, "media_not_found", "The media is no longer available upstream.");
    else
      fail(cx, 502, "upstream_error", "The media could not be fetched from Grok.");
    co_return;
  }
  int source = u.source;
  std::string type = safe_type(std::string(u.header("content-type")));
  long long size = parse_len(std::string(u.header("content-length")));
  long long max = std::min(kKvValueMax, cx.req.var_int("KV_CACHE_MAX_BYTES", kKvValueMax));
  bool cacheable = cx.req.has_kv && size > 0 && size <= max;
  ByteRange range;
  // An unknown length gets the whole body whatever the Range header asks.
  RangeParse rp = size > 0 ? parse_range(range_header, size, range) : RangeParse::None;

  long long tz = cx.req.var_int("CACHE_RESET_TZ_OFFSET_MINUTES", 480);
  long long midnight = next_local_midnight_ms(cx.now_ms, tz);
  long long expiration_s = std::max(midnight, cx.now_ms + 61000) / 1000;
  json meta{{"content_type", type}, {"size", size}};
  fx::Stmt index{"INSERT INTO media_cache (key, media_id, upstream_url, token_id, content_type, "
                 "size, etag, created_at, expires_at, last_access_at) VALUES (?1, ?2, ?3, ?4, ?5, "
                 "?6, ?7, ?8, ?9, ?8) ON CONFLICT (key) DO UPDATE SET content_type = "
                 "excluded.content_type, size = excluded.size, created_at = excluded.created_at, "
                 "expires_at = excluded.expires_at, last_access_at = excluded.last_access_at",
                 json::array({key, id, ref.url, ref.token_id, type, size, etag, cx.now_ms,
                              expiration_s * 1000})};

  if (!cacheable) {
    if (rp == RangeParse::Unsatisfiable) {
      cx.cancel_source(source);
      cx.respond(416, {{"content-range", "bytes */" + std::to_string(size)}}, "");
    } else if (rp == RangeParse::Satisfiable) {
      // Too large to cache: let the upstream serve the range itself.
      cx.cancel_source(source);
      auto ranged = co_await cx.run({fetch_upstream(range_header)});
      const auto rr = fx::FetchResult::of(fx::result_at(ranged));
      int rs = rr.status;
      if (!rr.ok || (rs != 206 && rs != 200)) {
        fail(cx, 502, "upstream_error", "The media could not be fetched from Grok.");
        co_return;
      }
      Headers h = media_headers(type, parse_len(std::string(rr.header("content-length"))), etag);
      if (std::string cr(rr.header("content-range")); !cr.empty())
        h.emplace_back("content-range", cr);
      cx.respond_source(rs, std::move(h), rr.source);
    } else {
      cx.respond_source(200, media_headers(type, size, etag), source);
    }
    co_return;
  }
  if (rp == RangeParse::Unsatisfiable) {
    cx.cancel_source(source);
    cx.respond(416, {{"content-range", "bytes */" + std::to_string(size)}}, "");
    co_return;
  }
  if (rp == RangeParse::None) {
    // Stream to the client and into KV at once.
    auto t = co_await cx.run({fx::effect(fx::Tee{source})});
    const auto tee = fx::TeeResult::of(fx::result_at(t));
    if (!tee.ok) {
      fail(cx, 502, "upstream_error", "The media could not be relayed.");
      co_return;
    }
    cx.respond_source(200, media_headers(type, size, etag), tee.a);
    auto put = co_await cx.run({fx::kv_put(key, json{{"source", tee.b}}, expiration_s, meta)});
    if (fx::Ack::of(fx::result_at(put)).ok) co_await cx.run({fx::d1({index})});
    co_return;
  }
  // A range of a small object: cache it whole first, then serve the range from the cache.
  auto put = co_await cx.run({fx::kv_put(key, json{{"source", source}}, expiration_s, meta)});
  if (!fx::Ack::of(fx::result_at(put)).ok) {
    fail(cx, 502, "upstream_error", "The media could not be cached.");
    co_return;
  }
  auto both = co_await cx.run({fx::d1({index}), fx::kv_get(key, "stream")});
  const auto g = fx::KvGetResult::of(fx::result_at(both, 1));
  if (!g.found) {
    fail(cx, 502, "upstream_error", "The media could not be read back from the cache.");
    co_return;
  }
  serve_cached(cx, g.source, type, size, etag, rp, range);
}

} // namespace g2a::app
