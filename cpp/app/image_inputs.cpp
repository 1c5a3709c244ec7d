// Loading and uploading client images.
#include "app/image_inputs.h"
#include "grok/endpoints.h"

#include "app/grok_rest.h"
#include "core/bytes.h"
#include "core/data_uri.h"
#include "core/image_sniff.h"
#include "core/text.h"
#include "grok/upload.h"

#include <algorithm>
#include <optional>
#include <vector>

namespace g2a::app {

std::string sniff_image(std::string_view b) {
  return std::string(sniff_image_type(b));
}

namespace {

// One IPv4 part as URL parsers read it: 0x/0X hex (digits optional), a leading 0 for octal,
// else decimal; nullopt when it is not a number in its radix. Saturates above 2^40.
std::optional<unsigned long long> ipv4_part(std::string_view s) {
  if (s.empty()) return std::nullopt;
  unsigned radix = 10;
  if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s.remove_prefix(2);
    radix = 16;
  } else if (s.size() >= 2 && s[0] == '0') {
    s.remove_prefix(1);
    radix = 8;
  }
  unsigned long long v = 0;
  for (char c : s) {
    unsigned d = c >= '0' && c <= '9'   ? unsigned(c - '0')
                 : c >= 'a' && c <= 'f' ? unsigned(c - 'a' + 10)
                 : c >= 'A' && c <= 'F' ? unsigned(c - 'A' + 10)
                                        : 99u;
    if (d >= radix) return std::nullopt;
    v = std::min(v * radix + d, 1ULL << 40);
  }
  return v;
}

// The WHATWG URL parser's IPv4 reading of a host whose last label is a number: 1-4 parts
// ("127.1", "0177.0.0.1", "0x7f000001", "2130706433"); nullopt when the parts do not form an
// address (such a URL fails to parse anyway).
std::optional<uint32_t> ipv4_host(std::string_view host) {
  std::vector<unsigned long long> parts;
  while (true) {
    size_t dot = host.find('.');
    auto n = ipv4_part(host.substr(0, dot));
    if (!n || parts.size() == 4) return std::nullopt;
    parts.push_back(*n);
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
  }
  for (size_t i = 0; i + 1 < parts.size(); ++i)
    if (parts[i] > 255) return std::nullopt;
  if (parts.back() >= (1ULL << (8 * (5 - parts.size())))) return std::nullopt;
  unsigned long long v = parts.back();
  for (size_t i = 0; i + 1 < parts.size(); ++i) v += parts[i] << (8 * (3 - i));
  return static_cast<uint32_t>(v);
}

bool ends_in_number(std::string_view host) {
  std::string_view last = host.substr(host.rfind('.') + 1); // npos + 1 == 0
  if (last.empty()) return false;
  if (last.find_first_not_of("0123456789") == std::string_view::npos) return true;
  return last.size() >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X') &&
         last.find_first_not_of("0123456789abcdefABCDEF", 2) == std::string_view::npos;
}

// The Location of a redirect answer, resolved against the URL that answered it; "" when it
// is missing or spelled in a way this does not resolve exactly like a URL parser would
// (backslashes, blanks, controls, non-ASCII) — such a redirect is refused.
std::string redirect_target(const std::string &from, const fx::FetchResult &answer) {
  std::string loc(answer.header("location"));
  if (loc.empty()) return {};
  for (char c : loc)
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f || c == '\\')
      return {};
  if (text::is_http_url(loc)) return loc;
  size_t scheme_end = from.find("://");
  if (scheme_end == std::string::npos) return {};
  if (loc.rfind("//", 0) == 0) return from.substr(0, scheme_end + 1) + loc;
  size_t path_at = from.find_first_of("/?#", scheme_end + 3);
  std::string origin = from.substr(0, path_at);
  if (loc[0] == '/') return origin + loc;
  // A relative reference ("b.png", "?x"): only plain paths are resolved.
  if (loc.find(':') != std::string::npos && loc.find(':') < loc.find_first_of("/?#")) return {};
  std::string path = path_at == std::string::npos ? "/" : from.substr(path_at);
  path = path.substr(0, path.find_first_of("?#"));
  if (path.empty() || path[0] != '/') path = "/" + path;
  if (loc[0] == '?' || loc[0] == '#') return origin + path + loc;
  return origin + path.substr(0, path.rfind('/') + 1) + loc;
}

constexpr int kMaxImageRedirects = 3;

bool is_redirect(long long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

} // namespace

namespace {

// The host the runtime's URL parser will reach, lower-cased, without a trailing dot; nullopt
// when the URL is not judged (not http(s), credentials, escapes, IPv6 literal, odd port).
std::optional<std::string> judged_host(std::string_view url) {
  // The parser drops tabs and newlines anywhere, ends the authority at '\\' as at '/', and
  // reads numeric hosts in any IPv4 notation.
  std::string u;
  for (char c : url)
    if (c != '\t' && c != '\n' && c != '\r') u += c;
  // Only "http://" and "https://" URLs are judged (any case): the parser also reads
  // "http:/h" and "http:h" as host h, so a "://" found later in the URL says nothing.
  size_t start = u.find("://");
  if (start == std::string::npos || start != u.find(':')) return std::nullopt;
  if (!text::is_http_url(u)) return std::nullopt;
  std::string_view rest = std::string_view(u).substr(start + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/\\?#"));
  if (authority.find('@') != std::string_view::npos) return std::nullopt; // no credentials
  // Percent-escapes and non-ASCII in a host decode or map (IDNA) to other characters, e.g.
  // full-width digits and dots: refuse them rather than guess.
  for (char c : authority)
    if (c == '%' || static_cast<unsigned char>(c) >= 0x80) return std::nullopt;
  std::string host(authority);
  if (!host.empty() && host[0] == '[') return std::nullopt; // IPv6 literals: refuse outright
  // The host ends at the first ':' (IPv6 is refused above); a port that is not all digits
  // makes the URL invalid for the parser, and refusing it keeps "h:80x:" from hiding h.
  size_t colon = host.find(':');
  if (colon != std::string::npos) {
    if (host.find_first_not_of("0123456789", colon + 1) != std::string::npos) return std::nullopt;
    host.resize(colon);
  }
  host = text::lower(host);
  if (!host.empty() && host.back() == '.') host.pop_back(); // "localhost." is localhost
  if (host.empty() || host.size() > 253) return std::nullopt;
  return host;
}

bool ends_with_label(std::string_view host, std::string_view suffix) {
  return host == suffix || (host.size() > suffix.size() &&
                            host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0 &&
                            host[host.size() - suffix.size() - 1] == '.');
}

// Names that resolve only inside a network: special-use and reserved names (RFC 6761, 6762,
// 8375, 9476, ICANN's .internal) and the suffixes private networks commonly use.
constexpr std::string_view kPrivateSuffixes[] = {
    "localhost",   "local", "internal", "intranet", "lan",     "home",  "corp", "private",
    "localdomain", "arpa",  "test",     "example",  "invalid", "onion", "alt"};

} // namespace

bool private_host(std::string_view url) {
  auto judged = judged_host(url);
  if (!judged) return true;
  const std::string &host = *judged;
  if (!ends_in_number(host)) {
    // A name. A single label ("vm", "printer", "localhost.") is looked up in the local search
    // domains and /etc/hosts; reserved suffixes never reach public DNS.
    if (host.find('.') == std::string::npos) return true;
    for (std::string_view suffix : kPrivateSuffixes)
      if (ends_with_label(host, suffix)) return true;
    return false;
  }
  auto v4 = ipv4_host(host);
  if (!v4) return true; // not a valid address: nothing to fetch
  // 0/8, 10/8, 127/8, 169.254/16, 172.16/12, 192.168/16, 100.64/10, 224/4 and above.
  uint32_t a = *v4 >> 24, b = (*v4 >> 16) & 0xFF;
  return a == 0 || a == 10 || a == 127 || (a == 169 && b == 254) ||
         (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168) ||
         (a == 100 && b >= 64 && b <= 127) || a >= 224;
}

std::vector<std::string> image_host_allowlist(std::string_view setting) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    while (!cur.empty() && cur.back() == '.') cur.pop_back();
    while (!cur.empty() && cur.front() == '.') cur.erase(cur.begin());
    if (!cur.empty()) out.push_back(cur);
    cur.clear();
  };
  for (char c : setting) {
    if (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == ';') {
      flush();
    } else {
      cur += text::lower(c);
    }
  }
  flush();
  return out;
}

bool allowed_image_host(std::string_view url, const std::vector<std::string> &allowed) {
  if (allowed.empty()) return true;
  auto host = judged_host(url);
  if (!host) return false;
  for (const auto &a : allowed)
    if (ends_with_label(*host, a)) return true;
  return false;
}

static ApiError bad_image(const std::string &param, std::string message) {
  return invalid_request(std::move(message), param, "invalid_image");
}

// Every failure of an image URL — refused host, redirect, network error, HTTP status, size,
// not an image — answers the same text, so that the answer does not tell a missing path from
// a closed port or a non-image answer; what happened is kept in the request log.
static ApiError url_failed(const std::string &param, long long max_bytes, std::string detail) {
  ApiError e = bad_image(param, "Could not load the image (it must be a PNG, JPEG, WebP or GIF of "
                                "at most " +
                                    std::to_string(max_bytes) + " bytes at a public http(s) URL).");
  e.detail = "image URL: " + std::move(detail);
  return e;
}

Task<ApiResult<std::vector<ImageInput>>>
load_images(Ctx &cx, const std::vector<ImageSource> &sources, long long max_bytes,
            const std::vector<std::string> &allowed_hosts) {
  std::vector<ImageInput> out(sources.size());
  std::vector<bool> from_url(sources.size(), false);
  std::vector<json> fetches;
  std::vector<size_t> fetch_index;
  std::vector<std::string> fetch_urls;
  bool allow_private = cx.req.var("G2A_TEST_HOOKS") == "1";
  auto image_fetch = [&](const std::string &url) {
    fx::Fetch fetch;
    fetch.url = url;
    fetch.headers = {{"accept", "image/*"}};
    fetch.read = "bytes";
    fetch.max_bytes = max_bytes;
    fetch.timeout_ms = 15000;
    fetch.redirect = "manual";
    return fx::effect(std::move(fetch));
  };
  for (size_t i = 0; i < sources.size(); ++i) {
    const auto &src = sources[i];
    out[i].param = src.param;
    if (is_data_uri(src.url)) {
      auto data = parse_data_uri(src.url);
      if (!data || !data->is_base64)
        co_return bad_image(src.param,
                            "Image data URIs must be base64 encoded (data:image/...;base64,...).");
      auto bytes = base64_decode(data->payload);
      if (!bytes) co_return bad_image(src.param, "The image data URI is not valid base64.");
      out[i].bytes = std::move(*bytes);
    } else if (text::is_http_url(src.url)) {
      if (!allow_private && private_host(src.url))
        co_return url_failed(src.param, max_bytes, "refused before any request: not a public host");
      if (!allowed_image_host(src.url, allowed_hosts))
        co_return url_failed(src.param, max_bytes,
                             "refused before any request: not in the image_hosts setting");
      from_url[i] = true;
      fetch_index.push_back(i);
      fetch_urls.push_back(src.url);
      fetches.push_back(image_fetch(src.url));
    } else {
      co_return bad_image(src.param, "Images must be https URLs or data: URIs.");
    }
  }
  // Redirects are followed here, not by the runtime, so that every hop's host is judged
  // like the first one (a public URL must not bounce the fetch to an internal address).
  for (int hop = 0; !fetches.empty(); ++hop) {
    auto res = co_await cx.run(std::move(fetches));
    fetches.clear();
    std::vector<size_t> next_index;
    std::vector<std::string> next_urls;
    for (size_t k = 0; k < fetch_index.size(); ++k) {
      size_t i = fetch_index[k];
      const auto r = fx::FetchResult::of(fx::result_at(res, k));
      if (r.ok && is_redirect(r.status)) {
        std::string to = redirect_target(fetch_urls[k], r);
        if (to.empty())
          co_return url_failed(out[i].param, max_bytes,
                               "HTTP " + std::to_string(r.status) +
                                   " redirect without a usable Location");
        if (hop >= kMaxImageRedirects)
          co_return url_failed(out[i].param, max_bytes, "more than 3 redirects");
        if (!allow_private && private_host(to))
          co_return url_failed(out[i].param, max_bytes,
                               "redirected to a host that is not public (not requested)");
        if (!allowed_image_host(to, allowed_hosts))
          co_return url_failed(
              out[i].param, max_bytes,
              "redirected to a host not in the image_hosts setting (not requested)");
        next_index.push_back(i);
        next_urls.push_back(to);
        fetches.push_back(image_fetch(to));
        continue;
      }
      if (r.too_large)
        co_return url_failed(out[i].param, max_bytes,
                             "larger than " + std::to_string(max_bytes) + " bytes");
      if (!r.ok)
        co_return url_failed(out[i].param, max_bytes,
                             "fetch failed: " + (r.error.empty() ? std::string("network error")
                                                                 : std::string(r.error)));
      if (r.status != 200)
        co_return url_failed(out[i].param, max_bytes, "HTTP " + std::to_string(r.status));
      out[i].bytes = std::string(cx.result_bytes(r.bytes));
    }
    fetch_index = std::move(next_index);
    fetch_urls = std::move(next_urls);
  }
  for (size_t i = 0; i < out.size(); ++i) {
    ImageInput &img = out[i];
    if (static_cast<long long>(img.bytes.size()) > max_bytes)
      co_return from_url[i]
          ? url_failed(img.param, max_bytes, "larger than " + std::to_string(max_bytes) + " bytes")
          : bad_image(img.param,
                      "The image is larger than " + std::to_string(max_bytes) + " bytes.");
    if (img.bytes.empty())
      co_return from_url[i] ? url_failed(img.param, max_bytes, "empty answer")
                            : bad_image(img.param, "The image is empty.");
    img.mime = sniff_image(img.bytes);
    if (img.mime.empty())
      co_return from_url[i]
          ? url_failed(img.param, max_bytes, "the answer is not a PNG, JPEG, WebP or GIF")
          : bad_image(img.param, "Unsupported image format; send PNG, JPEG, WebP or GIF.");
  }
  co_return out;
}

static std::string extension_for(std::string_view mime) {
  if (mime == "image/png") return "png";
  if (mime == "image/webp") return "webp";
  if (mime == "image/gif") return "gif";
  return "jpg";
}

Task<answer::UpstreamResult<UploadedFiles>> upload_images(Ctx &cx, GrokConfig &cfg,
                                                          const std::string &cookie,
                                                          const std::vector<ImageInput> &images,
                                                          std::string_view file_source) {
  UploadedFiles out;
  for (size_t i = 0; i < images.size(); ++i) {
    const ImageInput &img = images[i];
    grok::Upload up{"image-" + std::to_string(i + 1) + "." + extension_for(img.mime), img.mime,
                    img.bytes};
    std::string boundary = "----g2a" + hex_encode(co_await cx.random(12));
    RestCall call;
    call.path = grok::endpoints::kUploadFileV2;
    call.cookie = cookie;
    call.upload_v2 = true;
    call.content_type = grok::upload_v2_content_type(boundary);
    call.bytes = grok::upload_v2_multipart(up, boundary, file_source);
    call.has_bytes = true;
    RestReply r = co_await grok_rest(cx, cfg, call);
    std::optional<grok::UploadResult> parsed;
    if (r.ok()) parsed = grok::parse_upload_v2_response(r.body);
    if (!parsed && (r.ok() || r.fault.failure == answer::Failure::BadResponse ||
                    r.fault.failure == answer::Failure::Upstream5xx)) {
      // The newest endpoint failed for a reason that is not the account's: legacy JSON upload.
      RestCall legacy;
      legacy.path = grok::endpoints::kUploadFile;
      legacy.cookie = cookie;
      legacy.content_type = "text/plain;charset=UTF-8";
      legacy.body = grok::upload_legacy_body(up);
      r = co_await grok_rest(cx, cfg, legacy);
      if (r.ok()) parsed = grok::parse_upload_legacy_response(r.body);
    }
    if (!parsed)
      co_return answer::Fault{r.ok() ? answer::Failure::BadResponse : r.fault.failure,
                              "image upload failed: " +
                                  (r.fault.detail.empty() ? "no file id" : r.fault.detail),
                              r.fault.retry_after_s};
    out.file_ids.push_back(parsed->file_id);
    out.file_uris.push_back(parsed->file_uri);
  }
  co_return out;
}

} // namespace g2a::app
