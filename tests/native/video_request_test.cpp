// Videos API requests (openai/video_request.h): POST /v1/videos as multipart (what the openai
// SDK always sends: prompt, model, seconds, size as text parts, input_reference as a file part
// or `input_reference[image_url]`) and as JSON, remix bodies, and the exact 400 table.
#include "openai/video_request.h"

#include <gtest/gtest.h>

using namespace g2a;
using namespace g2a::openai;
using namespace std::string_literals;

namespace {

constexpr size_t kMax = 1 << 20;
const std::string kPng("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"s);
const std::string kGif("GIF89a\x01\0\x01\0"s);

template <class T> T ok(std::variant<T, ApiError> r) {
  if (auto *e = std::get_if<ApiError>(&r)) {
    ADD_FAILURE() << "unexpected error: " << e->message << " (param " << e->param << ", code "
                  << e->code << ")";
    return T{};
  }
  return std::get<T>(std::move(r));
}

template <class T> ApiError err(std::variant<T, ApiError> r) {
  if (auto *e = std::get_if<ApiError>(&r)) return *e;
  ADD_FAILURE() << "expected an error";
  return ApiError{};
}

#define EXPECT_400(expr, param_, code_)                                                            \
  do {                                                                                             \
    ApiError e_ = err(expr);                                                                       \
    EXPECT_EQ(e_.status, 400);                                                                     \
    EXPECT_EQ(e_.type, "invalid_request_error");                                                   \
    EXPECT_EQ(e_.param, param_) << e_.message;                                                     \
    EXPECT_EQ(e_.code, code_) << e_.message;                                                       \
  } while (0)

struct P {
  std::string name;
  const char *filename;
  std::string data;
};
std::string form(const std::vector<P> &parts) {
  std::string b;
  for (const auto &p : parts) {
    b += "--BoUnDaRy\r\nContent-Disposition: form-data; name=\"" + p.name + "\"";
    if (p.filename) b += "; filename=\"" + std::string(p.filename) + "\"";
    b += "\r\n\r\n" + p.data + "\r\n";
  }
  return b + "--BoUnDaRy--\r\n";
}
const std::string kCt = "multipart/form-data; boundary=BoUnDaRy";

std::variant<VideoCreateRequest, ApiError> pm(const std::vector<P> &parts, size_t max = kMax) {
  static std::string body; // views into it must outlive the call
  body = form(parts);
  return parse_video_create(kCt, body, max);
}
std::variant<VideoCreateRequest, ApiError> pj(std::string_view body) {
  return parse_video_create("application/json", body, kMax);
}

} // namespace

TEST(VideoRequest, MultipartAsTheSdkSendsIt) {
  auto r = ok(pm({{"prompt", nullptr, "a cat on a skateboard"},
                  {"model", nullptr, "sora-2"},
                  {"seconds", nullptr, "8"},
                  {"size", nullptr, "1280x720"}}));
  EXPECT_EQ(r.prompt, "a cat on a skateboard");
  EXPECT_EQ(r.model, "sora-2");
  EXPECT_EQ(r.seconds, 8);
  EXPECT_EQ(r.size, "1280x720");
  EXPECT_FALSE(r.input_reference);
}

TEST(VideoRequest, MultipartReferenceFileIsAViewIntoTheBody) {
  auto r = ok(pm({{"prompt", nullptr, "animate"}, {"input_reference", "ref.png", kPng}}));
  ASSERT_TRUE(r.input_reference);
  EXPECT_EQ(r.input_reference->bytes, kPng);
  EXPECT_EQ(r.input_reference->content_type, "image/png");
  EXPECT_EQ(r.input_reference->filename, "ref.png");
  EXPECT_EQ(r.input_reference->param, "input_reference");
  EXPECT_TRUE(r.input_reference->url.empty());
}

TEST(VideoRequest, MultipartReferenceByUrlInTheSdkObjectForm) {
  auto r = ok(pm({{"prompt", nullptr, "animate"},
                  {"input_reference[image_url]", nullptr, "https://example.com/a.png"}}));
  ASSERT_TRUE(r.input_reference);
  EXPECT_EQ(r.input_reference->url, "https://example.com/a.png");
  EXPECT_TRUE(r.input_reference->bytes.empty());
}

TEST(VideoRequest, JsonWithDefaultsAndReferenceForms) {
  auto r = ok(pj(R"({"prompt":"waves"})"));
  EXPECT_EQ(r.prompt, "waves");
  EXPECT_EQ(r.seconds, 0);
  EXPECT_EQ(r.size, "");
  EXPECT_EQ(r.model, "");
  r = ok(pj(R"({"prompt":"waves","seconds":12,"size":"720x1280","model":"grok-imagine-video",)"
            R"("input_reference":{"image_url":"https://example.com/x.jpg"},"extra":[1,{"a":2}]})"));
  EXPECT_EQ(r.seconds, 12);
  EXPECT_EQ(r.model, "grok-imagine-video");
  ASSERT_TRUE(r.input_reference);
  EXPECT_EQ(r.input_reference->url, "https://example.com/x.jpg");
  r = ok(pj(R"({"prompt":"waves","seconds":"4","input_reference":"https://example.com/y.png"})"));
  EXPECT_EQ(r.seconds, 4);
  EXPECT_EQ(r.input_reference->url, "https://example.com/y.png");
  // A data URI is checked here: its head must be an image.
  r = ok(pj(
      R"({"prompt":"w","input_reference":{"image_url":{"url":"data:image/png;base64,iVBORw0KGgoAAAANSUhEUg=="}}})"));
  EXPECT_EQ(r.input_reference->content_type, "image/png");
  EXPECT_EQ(parse_video_create("", R"({"prompt":"no type"})", kMax).index(), 0u);
}

TEST(VideoRequest, RefusalsNameTheParameter) {
  EXPECT_400(pj(R"({"model":"sora-2"})"), "prompt", "missing_required_parameter");
  EXPECT_400(pj(R"({"prompt":"   "})"), "prompt", "invalid_value");
  EXPECT_400(pj(R"({"prompt":7})"), "prompt", "invalid_type");
  EXPECT_400(pj(R"({"prompt":"p","model":3})"), "model", "invalid_type");
  EXPECT_400(pj(R"({"prompt":"p","seconds":16})"), "seconds", "invalid_value");
  EXPECT_400(pj(R"({"prompt":"p","seconds":0})"), "seconds", "invalid_value");
  EXPECT_400(pj(R"({"prompt":"p","seconds":"four"})"), "seconds", "invalid_value");
  EXPECT_400(pj(R"({"prompt":"p","seconds":4.5})"), "seconds", "invalid_type");
  EXPECT_400(pj(R"({"prompt":"p","seconds":true})"), "seconds", "invalid_type");
  EXPECT_400(pj(R"({"prompt":"p","size":"big"})"), "size", "invalid_value");
  EXPECT_400(pj(R"({"prompt":"p","size":"0x720"})"), "size", "invalid_value");
  EXPECT_400(pj(R"({"prompt":"p","size":"5000x720"})"), "size", "invalid_value");
  EXPECT_400(pj(R"({"prompt":"p","input_reference":{"file_id":"file_1"}})"),
             "input_reference.file_id", "unsupported_parameter");
  EXPECT_400(pj(R"({"prompt":"p","input_reference":{}})"), "input_reference.image_url",
             "missing_required_parameter");
  EXPECT_400(pj(R"({"prompt":"p","input_reference":42})"), "input_reference", "invalid_type");
  EXPECT_400(pj(R"({"prompt":"p","input_reference":"ftp://x/y.png"})"), "input_reference",
             "invalid_value");
  EXPECT_400(
      pj(R"({"prompt":"p","input_reference":{"image_url":"data:image/png;base64,R0lGODlh"}})"),
      "input_reference.image_url", "invalid_image");
  EXPECT_400(pm({{"prompt", nullptr, "p"}, {"input_reference", "a.gif", kGif}}), "input_reference",
             "invalid_image");
  EXPECT_400(pm({{"prompt", nullptr, "p"}, {"input_reference", "a.png", kPng}}, 4),
             "input_reference", "invalid_image");
  EXPECT_400(pm({{"prompt", nullptr, "p"}, {"input_reference", "a.png", ""}}), "input_reference",
             "invalid_image");
  EXPECT_400(pm({{"prompt", nullptr, "p"}, {"input_reference[file_id]", nullptr, "file_1"}}),
             "input_reference.file_id", "unsupported_parameter");
  EXPECT_400(pm({{"prompt", nullptr, "p"}, {"prompt", nullptr, "q"}}), "prompt", "invalid_value");
  EXPECT_400(pm({{"prompt", "p.txt", "p"}}), "prompt", "invalid_type");
  EXPECT_400(pm({{"prompt", nullptr, "p"}, {"seconds", nullptr, "20"}}), "seconds",
             "invalid_value");
  EXPECT_400(pm({{"prompt", nullptr, "bad \xff utf8"}}), "prompt", "invalid_value");
  EXPECT_400(pm({{"model", nullptr, "sora-2"}}), "prompt", "missing_required_parameter");
}

TEST(VideoRequest, BodyLevelRefusalsNameNoParameter) {
  EXPECT_400(pj("{"), "", "invalid_json");
  EXPECT_400(pj("[]"), "", "invalid_json");
  EXPECT_400(pj(""), "", "invalid_json");
  EXPECT_400(parse_video_create("text/plain", "prompt=x", kMax), "", "unsupported_content_type");
  EXPECT_400(parse_video_create("multipart/form-data", "x", kMax), "", "invalid_multipart");
  EXPECT_400(
      parse_video_create(
          kCt, "--BoUnDaRy\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nx", kMax),
      "", "invalid_multipart");
}

TEST(VideoRequest, Remix) {
  EXPECT_EQ(ok(parse_video_remix("application/json", R"({"prompt":"now at night"})")).prompt,
            "now at night");
  EXPECT_EQ(ok(parse_video_remix(kCt, form({{"prompt", nullptr, "rain"}}))).prompt, "rain");
  EXPECT_400(parse_video_remix("application/json", "{}"), "prompt", "missing_required_parameter");
  EXPECT_400(parse_video_remix("application/json", R"({"prompt":""})"), "prompt", "invalid_value");
  EXPECT_400(parse_video_remix("text/csv", "a,b"), "", "unsupported_content_type");
}

TEST(VideoRequest, SizeParsing) {
  EXPECT_EQ(parse_video_size("1280x720"), std::make_pair(1280, 720));
  EXPECT_EQ(parse_video_size("720X1280"), std::make_pair(720, 1280));
  EXPECT_FALSE(parse_video_size("1280*720"));
  EXPECT_FALSE(parse_video_size("x720"));
  EXPECT_FALSE(parse_video_size("-1x720"));
  EXPECT_FALSE(parse_video_size("4097x720"));
}
