// libFuzzer target: Images API requests (openai/image_request.h). First byte: which parser
// (generation JSON, edit by Content-Type line + body, aspect ratio of a size) and the image
// size limit. Invariants: refusals are 400 invalid_request_error with a documented code, a
// param exactly for parameter-level codes, and an error body in OpenAI's shape; accepted
// requests obey the field rules (prompt not blank, n 1..10, response_format url|b64_json,
// partial_images 0..3, 1..16 edit images each with exactly one of bytes/url, bytes inside the
// body, not empty, within the limit, and sniffed as the content type reported);
// aspect_ratio_for always answers a ratio from the imagine list.
#include "fuzz_util.h"
#include "openai/image_request.h"

#include <set>

using namespace g2a;
using namespace g2a::openai;

namespace {

void check_error(const ApiError &e) {
  static const std::set<std::string> codes = {
      "missing_required_parameter", "invalid_type", "invalid_value", "invalid_image",
      "too_many_images", "unsupported_parameter", "invalid_json", "invalid_multipart",
      "unsupported_content_type"};
  FUZZ_CHECK(e.status == 400 && e.type == "invalid_request_error", e.message);
  FUZZ_CHECK(codes.count(e.code) == 1, e.code + ": " + e.message);
  bool body_level = e.code == "invalid_json" || e.code == "invalid_multipart" ||
                    e.code == "unsupported_content_type";
  FUZZ_CHECK(body_level == e.param.empty(), e.code + " param=" + e.param);
  std::string text = dump(error_body(e));
  fuzz::check_error_shape(fuzz::must_parse(text, "error body is not JSON"), text);
}

void check_common(const ImageGenRequest &r) {
  FUZZ_CHECK(r.prompt.find_first_not_of(" \t\r\n") != std::string::npos, r.prompt);
  FUZZ_CHECK(r.n >= 1 && r.n <= kMaxImagesPerRequest, std::to_string(r.n));
  FUZZ_CHECK(r.response_format == "url" || r.response_format == "b64_json", r.response_format);
  FUZZ_CHECK(r.partial_images >= 0 && r.partial_images <= 3, "partial_images");
  FUZZ_CHECK(fuzz::valid_utf8(r.prompt), r.prompt);
}

void check_image(const EditImage &im, std::string_view body, size_t max) {
  FUZZ_CHECK(im.bytes.empty() != im.url.empty(), im.param);
  FUZZ_CHECK(!im.param.empty(), "an image without its param");
  if (!im.bytes.empty()) {
    FUZZ_CHECK(im.bytes.data() >= body.data() &&
                   im.bytes.data() + im.bytes.size() <= body.data() + body.size(),
               im.param);
    FUZZ_CHECK(im.bytes.size() <= max, im.param);
    FUZZ_CHECK(sniff_edit_image(im.bytes) == im.content_type, im.content_type);
  } else {
    bool web = im.url.rfind("http", 0) == 0 || im.url.rfind("HTTP", 0) == 0 ||
               im.url.rfind("Http", 0) == 0;
    bool data_uri = im.url.size() >= 5 && (im.url[0] | 0x20) == 'd';
    FUZZ_CHECK(web || data_uri, im.url);
    if (data_uri)
      FUZZ_CHECK(im.content_type == "image/png" || im.content_type == "image/jpeg" ||
                     im.content_type == "image/webp",
                 im.url);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz::Reader r(data, size);
  uint8_t sel = r.byte();
  size_t max = (sel & 0x10) ? 64 : 1 << 20;
  switch (sel % 3) {
  case 0: {
    std::string body(r.rest());
    auto res = parse_image_generation(body);
    if (auto *e = std::get_if<ApiError>(&res)) return check_error(*e), 0;
    check_common(std::get<ImageGenRequest>(res));
    // Single-pass On-Demand parsing: unread values (unknown fields) are not validated, but
    // the structure and the UTF-8 of the whole body are.
    FUZZ_CHECK(fuzz::valid_utf8(body), body);
    if (auto strict = parse_json(body)) FUZZ_CHECK(strict->is_object(), body);
    break;
  }
  case 1: {
    std::string_view ct = r.until('\n');
    std::string body(r.rest()); // own allocation
    auto res = parse_image_edit(ct, body, max);
    if (auto *e = std::get_if<ApiError>(&res)) return check_error(*e), 0;
    const auto &req = std::get<ImageEditRequest>(res);
    check_common(req);
    FUZZ_CHECK(!req.images.empty() && req.images.size() <= kMaxEditImages, body);
    for (const auto &im : req.images) check_image(im, body, max);
    if (req.mask) check_image(*req.mask, body, max);
    break;
  }
  default: {
    static const std::set<std::string> ratios = {"1:1",  "4:3",    "3:4",    "3:2",  "2:3",
                                                 "16:9", "9:16",   "2:1",    "1:2",  "19.5:9",
                                                 "9:19.5", "20:9", "9:20"};
    std::string ar = aspect_ratio_for(r.rest());
    FUZZ_CHECK(ratios.count(ar) == 1, ar);
  }
  }
  return 0;
}
