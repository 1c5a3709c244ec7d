// Turns collected upstream images into what the images API returns: /images links with
// opaque ids (response_format url), or the image bytes as base64 (b64_json) — taken from the
// upstream's own blob when it sent one, else downloaded from the assets host with the owning
// account's cookie.
#pragma once

#include "app/grok_config.h"
#include "app/media_sink.h"
#include "core/context.h"
#include "openai/image_render.h"

#include <string>
#include <vector>

namespace g2a::app {

struct OwnedImage {
  CollectedImage image;
  std::string token_id;
  std::string sso; // to download private assets for b64_json
};

Task<std::vector<openai::RenderedImage>>
render_images(Ctx &cx, GrokConfig &cfg, const std::vector<OwnedImage> &images, bool b64);

} // namespace g2a::app
