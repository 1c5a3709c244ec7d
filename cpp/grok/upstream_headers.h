// Request headers for grok.com (reference §2.3, seed §4.2): REST calls, the WebSocket
// handshakes, asset downloads and the multipart upload. Names are lower-case; client hints
// are derived from the configured User-Agent so that they never contradict it.
#pragma once

#include "grok/endpoints.h"
#include "http/request.h"

#include <optional>
#include <string>
#include <string_view>

namespace g2a::grok {

inline constexpr std::string_view kDefaultUserAgent =
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/146.0.0.0 Safari/537.36";

struct UpstreamProfile {
  std::string base_url = std::string(endpoints::kDefaultBaseUrl);
  std::string assets_url = std::string(endpoints::kDefaultAssetsUrl);
  std::string user_agent = std::string(kDefaultUserAgent);
  std::string accept_language = "en-US,en;q=0.9";
  bool client_hints = true;
};

// sec-ch-ua, sec-ch-ua-mobile, sec-ch-ua-platform as Chrome would send them for this UA
// (Chromium's GREASE brand and order for the major version); nullopt when the UA is not a
// Chromium browser (Firefox, Safari, Chrome on iOS, anything without "Chrome/<major>").
struct ClientHints {
  std::string ua, mobile, platform;
};
std::optional<ClientHints> client_hints_for(std::string_view user_agent);

// JSON REST calls (conversations, rate limits, media posts, legacy upload): Accept */*,
// Origin, Referer (base_url + referer_path), Sec-Fetch-* empty/cors/same-origin, Priority,
// no-cache, User-Agent, client hints, x-statsig-id, x-xai-request-id, Cookie. Empty
// content_type, statsig_id, request_id or cookie leave that header out.
Headers rest_headers(const UpstreamProfile &profile, std::string_view cookie,
                     std::string_view statsig_id, std::string_view request_id,
                     std::string_view referer_path = "/",
                     std::string_view content_type = "application/json");

// The mgw and imagine WebSocket handshakes: Origin, User-Agent, Accept-Language, no-cache,
// Cookie (no statsig, no request id).
Headers ws_headers(const UpstreamProfile &profile, std::string_view cookie);

// GET of an assets.grok.com file with the account cookie, navigation-like (seed §4.2 "Media
// GET overrides"), Referer base_url + "/"; `range` ("" = none) is forwarded.
Headers asset_headers(const UpstreamProfile &profile, std::string_view cookie,
                      std::string_view range);

// POST /http/upload-file-v2/direct: the REST set without x-xai-request-id; content_type is
// the caller's multipart type (see upload_v2_content_type).
Headers upload_v2_headers(const UpstreamProfile &profile, std::string_view cookie,
                          std::string_view statsig_id, std::string_view content_type,
                          std::string_view referer_path = "/");

} // namespace g2a::grok
