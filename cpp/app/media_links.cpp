// Media id minting (random ids stored in D1) and lookup.
#include "app/media_links.h"

#include "core/bytes.h"

namespace g2a::app {

namespace {
constexpr size_t kIdBytes = 16; // 128 bits → 22 base64url characters
}

bool valid_media_id(std::string_view id) {
  if (id.size() != kMediaIdChars) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
  return true;
}

std::string absolute_asset_url(std::string_view assets_url, std::string_view u) {
  if (u.rfind("https://", 0) == 0 || u.rfind("http://", 0) == 0) return std::string(u);
  while (!u.empty() && u.front() == '/') u.remove_prefix(1);
  return std::string(assets_url) + "/" + std::string(u);
}

Task<std::vector<std::string>> mint_media_links(Ctx &cx, const std::vector<MediaRef> &refs,
                                                std::string_view base) {
  std::vector<std::string> out;
  if (refs.empty()) co_return out;
  std::string raw = co_await cx.random(kIdBytes * refs.size());
  std::vector<fx::Stmt> rows;
  for (size_t i = 0; i < refs.size(); ++i) {
    std::string_view bytes = raw.size() >= (i + 1) * kIdBytes
                                 ? std::string_view(raw).substr(i * kIdBytes, kIdBytes)
                                 : std::string_view();
    std::string id = base64_encode(bytes, true, false);
    rows.push_back({"INSERT INTO media_links (id, token_id, url, created_at) VALUES (?1, ?2, ?3, "
                    "?4)",
                    json::array({id, refs[i].token_id, refs[i].url, cx.now_ms})});
    out.push_back(std::string(base) + "/images/" + id);
  }
  auto res = co_await cx.run({fx::d1(std::move(rows))});
  if (!fx::Ack::of(fx::result_at(res)).ok)
    cx.log("warn", "media links could not be stored; they will answer 404");
  co_return out;
}

fx::Stmt media_link_select(std::string_view id) {
  return {"SELECT l.url, l.token_id, t.sso FROM media_links l LEFT JOIN tokens t ON t.id = "
          "l.token_id WHERE l.id = ?1",
          json::array({id})};
}

} // namespace g2a::app
