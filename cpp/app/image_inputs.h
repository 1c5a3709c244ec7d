// Images a client sends (vision parts, edit inputs): data: URIs are decoded, http(s) URLs
// downloaded with a size cap (private and loopback hosts refused), and every image is
// checked to really be a PNG, JPEG, WebP or GIF. Then they are uploaded to Grok for the
// account that will use them: the newest multipart endpoint, the legacy JSON one as fallback.
#pragma once

#include "app/grok_config.h"
#include "core/context.h"
#include "grok/events.h"
#include "http/response.h"

#include <string>
#include <variant>
#include <vector>

namespace g2a::app {

struct ImageInput {
  std::string mime;
  std::string bytes;
  std::string param; // the request parameter it came from, for 400s
};

struct ImageSource {
  std::string url;   // data: URI or http(s) URL
  std::string param; // e.g. messages[2].content[1].image_url.url
};

// The MIME type from the magic bytes; "" when not an accepted image format.
std::string sniff_image(std::string_view bytes);
// True when a URL's host is loopback, private, link-local or otherwise internal.
bool private_host(std::string_view url);

Task<std::variant<std::vector<ImageInput>, ApiError>>
load_images(Ctx &cx, const std::vector<ImageSource> &sources, long long max_bytes);

struct UploadOutcome {
  std::vector<std::string> file_ids;
  std::vector<std::string> file_uris;
  grok::Failure failure = grok::Failure::None;
  std::string detail;
  long long retry_after_s = -1;
};

Task<UploadOutcome> upload_images(Ctx &cx, GrokConfig &cfg, const std::string &cookie,
                                  const std::vector<ImageInput> &images,
                                  std::string_view file_source = {});

} // namespace g2a::app
