// libFuzzer target: Videos API requests (openai/video_request.h) and their plan
// (app/video_plan.h). First byte: which parser (create by Content-Type line + body, remix) and
// the image size limit. Invariants: refusals are 400 invalid_request_error with a documented
// code, a param exactly for parameter-level codes, and an error body in OpenAI's shape;
// accepted requests have a non-blank UTF-8 prompt, seconds 0 or 1..15, a size that is empty or
// WxH, a reference with exactly one of bytes (inside the body, sniffed as reported, within the
// limit) and url; their plan, when the model is accepted, asks Grok for a listed ratio, 6/10/15
// seconds and 480p/720p.
#include "app/video_plan.h"
#include "fuzz_util.h"
#include "openai/video_request.h"

#include <set>

using namespace g2a;
using namespace g2a::openai;

namespace {

void check_error(const ApiError &e) {
  static const std::set<std::string> codes = {
      "missing_required_parameter", "invalid_type", "invalid_value",     "invalid_image",
      "unsupported_parameter",      "invalid_json", "invalid_multipart", "unsupported_content_type",
      "model_not_supported"};
  FUZZ_CHECK(e.status == 400 && e.type == "invalid_request_error", e.message);
  FUZZ_CHECK(codes.count(e.code) == 1, e.code + ": " + e.message);
  bool body_level = e.code == "invalid_json" || e.code == "invalid_multipart" ||
                    e.code == "unsupported_content_type";
  FUZZ_CHECK(body_level == e.param.empty(), e.code + " param=" + e.param);
  std::string text = dump(error_body(e));
  fuzz::check_error_shape(fuzz::must_parse(text, "error body is not JSON"), text);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz::Reader r(data, size);
  uint8_t sel = r.byte();
  size_t max = (sel & 0x10) ? 64 : 1 << 20;
  std::string_view ct = r.until('\n');
  std::string body(r.rest());
  if (sel & 1) {
    auto res = parse_video_remix(ct, body);
    if (auto *e = std::get_if<ApiError>(&res)) return check_error(*e), 0;
    const auto &req = std::get<VideoRemixRequest>(res);
    FUZZ_CHECK(req.prompt.find_first_not_of(" \t\r\n") != std::string::npos, req.prompt);
    FUZZ_CHECK(fuzz::valid_utf8(req.prompt), req.prompt);
    return 0;
  }
  auto res = parse_video_create(ct, body, max);
  if (auto *e = std::get_if<ApiError>(&res)) return check_error(*e), 0;
  const auto &req = std::get<VideoCreateRequest>(res);
  FUZZ_CHECK(req.prompt.find_first_not_of(" \t\r\n") != std::string::npos, req.prompt);
  FUZZ_CHECK(fuzz::valid_utf8(req.prompt), req.prompt);
  FUZZ_CHECK(req.seconds == 0 || (req.seconds >= 1 && req.seconds <= kMaxVideoSeconds),
             std::to_string(req.seconds));
  FUZZ_CHECK(req.size.empty() || parse_video_size(req.size), req.size);
  if (req.input_reference) {
    const EditImage &im = *req.input_reference;
    FUZZ_CHECK(im.bytes.empty() != im.url.empty(), "reference");
    FUZZ_CHECK(im.param == "input_reference", im.param);
    if (!im.bytes.empty()) {
      FUZZ_CHECK(im.bytes.data() >= body.data() &&
                     im.bytes.data() + im.bytes.size() <= body.data() + body.size(),
                 "bytes outside the body");
      FUZZ_CHECK(im.bytes.size() <= max, "over the limit");
      FUZZ_CHECK(sniff_edit_image(im.bytes) == im.content_type, im.content_type);
    }
  }
  auto plan = app::plan_video(req.model, req.seconds, req.size);
  if (auto *e = std::get_if<ApiError>(&plan)) return check_error(*e), 0;
  const auto &p = std::get<app::VideoPlan>(plan);
  static const std::set<std::string> ratios = {"2:3", "3:2", "1:1", "16:9", "9:16"};
  FUZZ_CHECK(ratios.count(p.settings.aspect_ratio) == 1, p.settings.aspect_ratio);
  FUZZ_CHECK(p.settings.duration_s == 6 || p.settings.duration_s == 10 ||
                 p.settings.duration_s == 15,
             p.seconds);
  FUZZ_CHECK(p.settings.resolution == "480p" || p.settings.resolution == "720p",
             p.settings.resolution);
  FUZZ_CHECK(parse_video_size(p.size).has_value(), p.size);
  return 0;
}
