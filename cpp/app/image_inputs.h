// Images a client sends (vision parts, edit inputs): data: URIs are decoded, http(s) URLs
// downloaded with a size cap (private, loopback and single-label or reserved names refused on
// every redirect hop; optionally only the hosts of the image_hosts setting), and every image
// is checked to really be a PNG, JPEG, WebP or GIF. Every failure of a URL answers the same
// text; the detail goes to the request log. Then they are uploaded to Grok for the
// account that will use them: the newest multipart endpoint, the legacy JSON one as fallback.
#pragma once

#include "answer/fault.h"
#include "app/grok_config.h"
#include "core/context.h"
#include "http/api_result.h"
#include "http/response.h"

#include <string>
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
// True when a URL's host is loopback, private, link-local or otherwise internal by its
// spelling, or a name that only resolves inside a network: a single label ("vm",
// "localhost.") or a reserved suffix (.local, .internal, .lan, .home.arpa, .test, …). A public
// name that resolves to a private address is not caught here (docs/SECURITY.md).
bool private_host(std::string_view url);
// The image_hosts setting: host names separated by commas or blanks; empty = any public host.
std::vector<std::string> image_host_allowlist(std::string_view setting);
// True when `allowed` is empty, or the URL's host is one of its names or below one of them.
bool allowed_image_host(std::string_view url, const std::vector<std::string> &allowed);

Task<ApiResult<std::vector<ImageInput>>>
load_images(Ctx &cx, const std::vector<ImageSource> &sources, long long max_bytes,
            const std::vector<std::string> &allowed_hosts = {});

// Grok's handles for uploaded images, in the order given.
struct UploadedFiles {
  std::vector<std::string> file_ids;
  std::vector<std::string> file_uris;
};

Task<answer::UpstreamResult<UploadedFiles>> upload_images(Ctx &cx, GrokConfig &cfg,
                                                          const std::string &cookie,
                                                          const std::vector<ImageInput> &images,
                                                          std::string_view file_source = {});

} // namespace g2a::app
