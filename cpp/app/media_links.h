// Signed media links: the gateway rewrites every upstream asset URL it hands out into
// /images/<id>, where <id> carries the upstream URL and the owning account, signed with
// HMAC-SHA-256 (WebCrypto, through an effect) so that nobody can make the gateway fetch a
// path it did not mint. The secret is generated on first use and kept in the settings.
#pragma once

#include "core/context.h"

#include <optional>
#include <string>
#include <vector>

namespace g2a::app {

struct MediaRef {
  std::string token_id; // the account whose cookie fetches it ("" = public host)
  std::string url;      // absolute upstream URL
};

// The signed part of an id (base64url, no padding).
std::string media_payload(const MediaRef &ref);
// Splits "<payload>.<sig>" and decodes the payload; nullopt when malformed.
std::optional<MediaRef> decode_media_id(std::string_view id, std::string &payload,
                                        std::string &sig);
// Absolute upstream URL for a path the upstream returned (relative paths are on assets_url).
std::string absolute_asset_url(std::string_view assets_url, std::string_view url_or_path);

// The signing secret: stored value, or a new one stored atomically (first writer wins).
Task<std::string> media_secret(Ctx &cx, std::string known);
// "<base>/images/<payload>.<sig>" for each ref, in order (one HMAC effect batch).
Task<std::vector<std::string>> mint_media_links(Ctx &cx, const std::string &secret,
                                                const std::vector<MediaRef> &refs,
                                                std::string_view base);
// Signature for a payload (to verify an incoming id), base64url truncated like minted ones.
Task<std::string> media_signature(Ctx &cx, const std::string &secret, std::string_view payload);

} // namespace g2a::app
