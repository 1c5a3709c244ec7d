// Media links: the gateway rewrites every upstream asset URL it hands out into
// /images/<id>, where <id> is 22 random base64url characters (128 bits from WebCrypto) naming
// a row of media_links (migrations/0006) that holds the upstream URL and the owning account.
// The id itself reveals neither; only ids the gateway stored can be fetched, so nobody can make
// the gateway fetch a path it did not mint. Rows are kept as long as the request logs
// (log_retention_days, pruned by the cron); an older link answers 404.
#pragma once

#include "core/context.h"

#include <string>
#include <string_view>
#include <vector>

namespace g2a::app {

struct MediaRef {
  std::string token_id; // the account whose cookie fetches it ("" = public host)
  std::string url;      // absolute upstream URL
};

inline constexpr size_t kMediaIdChars = 22;

// True when `id` has the shape of a minted id (22 base64url characters); checked before any
// storage is read.
bool valid_media_id(std::string_view id);
// Absolute upstream URL for a path the upstream returned (relative paths are on assets_url).
std::string absolute_asset_url(std::string_view assets_url, std::string_view url_or_path);

// "<base>/images/<id>" for each ref, in order: fresh random ids, stored in one D1 batch
// before the links are handed out.
Task<std::vector<std::string>> mint_media_links(Ctx &cx, const std::vector<MediaRef> &refs,
                                                std::string_view base);
// The row of a media id: url, token_id and the owning account's sso (NULL for public hosts).
fx::Stmt media_link_select(std::string_view id);

} // namespace g2a::app
