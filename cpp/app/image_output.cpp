// Images API output.
#include "app/image_output.h"

#include "app/egress.h"
#include "app/media_links.h"
#include "core/bytes.h"
#include "grok/cookies.h"
#include "grok/upstream_headers.h"

namespace g2a::app {

Task<std::vector<openai::RenderedImage>>
render_images(Ctx &cx, GrokConfig &cfg, const std::vector<OwnedImage> &images, bool b64) {
  std::vector<openai::RenderedImage> out(images.size());
  if (!b64) {
    std::vector<MediaRef> refs;
    for (const auto &o : images)
      refs.push_back(MediaRef{o.token_id, absolute_asset_url(cfg.profile.assets_url, o.image.url)});
    auto links = co_await mint_media_links(cx, refs, cfg.media_base);
    for (size_t i = 0; i < out.size() && i < links.size(); ++i) out[i].url = links[i];
    co_return out;
  }
  std::vector<json> fetches;
  std::vector<size_t> which;
  for (size_t i = 0; i < images.size(); ++i) {
    if (!images[i].image.blob.empty()) {
      out[i].b64_json = images[i].image.blob;
      continue;
    }
    std::string url = absolute_asset_url(cfg.profile.assets_url, images[i].image.url);
    bool assets = url.rfind(cfg.profile.assets_url + "/", 0) == 0;
    std::string cookie = assets ? grok::build_cookie(images[i].sso, cfg.cookies) : std::string();
    fx::Fetch fetch;
    fetch.url = url;
    for (auto &[k, v] : grok::asset_headers(cfg.profile, cookie, ""))
      if (!(cookie.empty() && k == "cookie")) fetch.headers.emplace_back(k, v);
    fetch.read = "bytes";
    fetch.max_bytes = 25 * 1024 * 1024;
    fetch.timeout_ms = 30000;
    if (assets) fetch.binding = cfg.assets_binding;
    fetches.push_back(fx::effect(std::move(fetch)));
    which.push_back(i);
  }
  if (!fetches.empty()) {
    auto res = co_await cx.run(std::move(fetches));
    for (size_t k = 0; k < which.size(); ++k) {
      const auto r = fx::FetchResult::of(fx::result_at(res, k));
      if (r.ok && r.status == 200) out[which[k]].b64_json = base64_encode(cx.result_bytes(r.bytes));
    }
  }
  // An image whose bytes could not be fetched is dropped rather than returned empty.
  std::vector<openai::RenderedImage> kept;
  for (auto &r : out)
    if (!r.b64_json.empty()) kept.push_back(std::move(r));
  co_return kept;
}

} // namespace g2a::app
