// Images API request parsing (openai/image_request.h): generations JSON, edits as multipart
// (the openai SDK's `image` / `image[]` encodings, captured from openai@6 on Node 20) and as
// JSON, the exact 400 table (param + code), and the size → aspect ratio mapping.
#include "openai/image_request.h"

#include <gtest/gtest.h>

using namespace g2a;
using namespace g2a::openai;
using namespace std::string_literals;

namespace {

constexpr size_t kMax = 1 << 20;

const std::string kPng("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"s);
const std::string kJpeg("\xff\xd8\xff\xe0\0\x10JFIF"s);
const std::string kWebp("RIFF\x10\0\0\0WEBPVP8 "s);
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

ImageGenRequest gen(std::string_view body) {
  return ok(parse_image_generation(body));
}
std::variant<ImageGenRequest, ApiError> pg(std::string_view body) {
  return parse_image_generation(body);
}

// A multipart body with the given (name, filename-or-null, data) parts.
struct P {
  std::string name;
  const char *filename;
  std::string data;
  std::string type = {};
};
std::string form(const std::vector<P> &parts, std::string_view boundary = "BoUnDaRy") {
  std::string b;
  for (const auto &p : parts) {
    b += "--" + std::string(boundary) + "\r\nContent-Disposition: form-data; name=\"" + p.name +
         "\"";
    if (p.filename) b += "; filename=\"" + std::string(p.filename) + "\"";
    b += "\r\n";
    if (!p.type.empty()) b += "Content-Type: " + p.type + "\r\n";
    b += "\r\n" + p.data + "\r\n";
  }
  return b + "--" + std::string(boundary) + "--\r\n";
}
const std::string kCt = "multipart/form-data; boundary=BoUnDaRy";

std::variant<ImageEditRequest, ApiError> pe(const std::vector<P> &parts, size_t max = kMax) {
  return parse_image_edit(kCt, form(parts), max);
}

} // namespace

// ---- generations ---------------------------------------------------------------------------

TEST(ImageRequestGen, DefaultsAndAllFields) {
  auto r = gen(R"({"prompt":"a cat"})");
  EXPECT_EQ(r.prompt, "a cat");
  EXPECT_EQ(r.n, 1);
  EXPECT_EQ(r.response_format, "url");
  EXPECT_FALSE(r.has_response_format);
  EXPECT_FALSE(r.stream);
  EXPECT_EQ(r.size, "");

  r = gen(R"({"model":"dall-e-3","prompt":"p","n":4,"size":"1792x1024","quality":"hd",
              "response_format":"b64_json","style":"vivid","user":"u1","stream":true,
              "partial_images":2,"background":"auto","moderation":"low","output_format":"png",
              "output_compression":80,"unknown":{"x":[1,2]}})");
  EXPECT_EQ(r.model, "dall-e-3");
  EXPECT_EQ(r.n, 4);
  EXPECT_EQ(r.size, "1792x1024");
  EXPECT_EQ(r.quality, "hd");
  EXPECT_EQ(r.response_format, "b64_json");
  EXPECT_TRUE(r.has_response_format);
  EXPECT_EQ(r.style, "vivid");
  EXPECT_EQ(r.user, "u1");
  EXPECT_TRUE(r.stream);
  EXPECT_EQ(r.partial_images, 2);

  // null means absent; an integral float is an integer.
  r = gen(R"({"prompt":"p","n":2.0,"size":null,"response_format":null,"stream":null})");
  EXPECT_EQ(r.n, 2);
  EXPECT_EQ(r.response_format, "url");
  EXPECT_EQ(r.size, "");
  // Bare ratios and auto.
  EXPECT_EQ(gen(R"({"prompt":"p","size":"16:9"})").size, "16:9");
  EXPECT_EQ(gen(R"({"prompt":"p","size":"19.5:9"})").size, "19.5:9");
  EXPECT_EQ(gen(R"({"prompt":"p","size":"auto"})").size, "auto");
  EXPECT_EQ(gen(R"({"prompt":"p","size":"256x4096"})").size, "256x4096");
}

TEST(ImageRequestGen, PromptRules) {
  EXPECT_400(pg(R"({})"), "prompt", "missing_required_parameter");
  EXPECT_400(pg(R"({"prompt":null})"), "prompt", "missing_required_parameter");
  EXPECT_400(pg(R"({"prompt":5})"), "prompt", "invalid_type");
  EXPECT_400(pg(R"({"prompt":""})"), "prompt", "invalid_value");
  EXPECT_400(pg(R"({"prompt":"  \n "})"), "prompt", "invalid_value");
  // 32,000 code points are fine (multi-byte ones count once); one more is not.
  std::string cjk;
  for (int i = 0; i < 32000; ++i) cjk += "\xe7\x8c\xab";
  EXPECT_EQ(gen("{\"prompt\":\"" + cjk + "\"}").prompt.size(), cjk.size());
  EXPECT_400(pg("{\"prompt\":\"" + cjk + "x\"}"), "prompt", "invalid_value");
}

TEST(ImageRequestGen, ParamTable) {
  EXPECT_400(pg(R"({"prompt":"p","n":0})"), "n", "invalid_value");
  EXPECT_400(pg(R"({"prompt":"p","n":11})"), "n", "invalid_value");
  EXPECT_400(pg(R"({"prompt":"p","n":-3})"), "n", "invalid_value");
  EXPECT_400(pg(R"({"prompt":"p","n":1.5})"), "n", "invalid_type");
  EXPECT_400(pg(R"({"prompt":"p","n":"2"})"), "n", "invalid_type");
  EXPECT_400(pg(R"({"prompt":"p","n":1e300})"), "n", "invalid_type");
  EXPECT_400(pg(R"({"prompt":"p","response_format":"base64"})"), "response_format",
             "invalid_value");
  EXPECT_400(pg(R"({"prompt":"p","response_format":1})"), "response_format", "invalid_type");
  EXPECT_400(pg(R"({"prompt":"p","size":"big"})"), "size", "invalid_value");
  EXPECT_400(pg(R"({"prompt":"p","size":"100x100"})"), "size", "invalid_value");
  EXPECT_400(pg(R"({"prompt":"p","size":"1024x8192"})"), "size", "invalid_value");
  EXPECT_400(pg(R"({"prompt":"p","size":"0:1"})"), "size", "invalid_value");
  EXPECT_400(pg(R"({"prompt":"p","size":"-1:1"})"), "size", "invalid_value");
  EXPECT_400(pg(R"({"prompt":"p","size":"100:1"})"), "size", "invalid_value");
  EXPECT_400(pg(R"({"prompt":"p","size":"1024x"})"), "size", "invalid_value");
  EXPECT_400(pg(R"({"prompt":"p","size":1024})"), "size", "invalid_type");
  EXPECT_400(pg(R"({"prompt":"p","quality":"ultra"})"), "quality", "invalid_value");
  EXPECT_400(pg(R"({"prompt":"p","style":"anime"})"), "style", "invalid_value");
  EXPECT_400(pg(R"({"prompt":"p","stream":"true"})"), "stream", "invalid_type");
  EXPECT_400(pg(R"({"prompt":"p","partial_images":4})"), "partial_images", "invalid_value");
  EXPECT_400(pg(R"({"prompt":"p","model":["x"]})"), "model", "invalid_type");
}

TEST(ImageRequestGen, BodyErrors) {
  EXPECT_400(pg(""), "", "invalid_json");
  EXPECT_400(pg("  "), "", "invalid_json");
  EXPECT_400(pg("[1]"), "", "invalid_json");
  EXPECT_400(pg(R"({"prompt":"p")"), "", "invalid_json");
  EXPECT_400(pg(R"({"prompt":"p"} x)"), "", "invalid_json");
  EXPECT_400(pg("{\"prompt\":\"\xff\"}"), "", "invalid_json");
}

// ---- edits: multipart ----------------------------------------------------------------------

// openai@6 `client.images.edit({image: [png, jpeg], prompt, response_format, stream:false})`
// captured on a local server (Node 20, undici FormData).
TEST(ImageRequestEdit, OpenAiSdkImageArrayGolden) {
  const std::string body =
      "------formdata-undici-009231769484\r\n"
      "Content-Disposition: form-data; name=\"image[]\"; filename=\"a.png\"\r\n"
      "Content-Type: image/png\r\n"
      "\r\n"
      "\x89PNG\r\n"
      "\x1a\n"
      "\x00\x00\x00\rIHDR\r\n"
      "------formdata-undici-009231769484\r\n"
      "Content-Disposition: form-data; name=\"image[]\"; filename=\"b "
      "%22q%22.jpg\"\r\n"
      "Content-Type: image/jpeg\r\n"
      "\r\n"
      "\xff\xd8\xff\xe0\x00\x10JFIF\r\n"
      "--\r\n"
      "------formdata-undici-009231769484\r\n"
      "Content-Disposition: form-data; name=\"prompt\"\r\n"
      "\r\n"
      "combine\r\n"
      "------formdata-undici-009231769484\r\n"
      "Content-Disposition: form-data; name=\"response_format\"\r\n"
      "\r\n"
      "b64_json\r\n"
      "------formdata-undici-009231769484\r\n"
      "Content-Disposition: form-data; name=\"stream\"\r\n"
      "\r\n"
      "false\r\n"
      "------formdata-undici-009231769484--\r\n"s;
  auto r = ok(parse_image_edit("multipart/form-data; boundary=----formdata-undici-009231769484",
                               body, kMax));
  EXPECT_EQ(r.prompt, "combine");
  EXPECT_EQ(r.response_format, "b64_json");
  EXPECT_FALSE(r.stream);
  ASSERT_EQ(r.images.size(), 2u);
  EXPECT_EQ(r.images[0].param, "image[0]");
  EXPECT_EQ(r.images[0].filename, "a.png");
  EXPECT_EQ(r.images[0].content_type, "image/png");
  EXPECT_EQ(r.images[0].bytes.size(), 16u);
  EXPECT_TRUE(r.images[0].url.empty());
  EXPECT_EQ(r.images[1].param, "image[1]");
  EXPECT_EQ(r.images[1].filename, "b \"q\".jpg");
  EXPECT_EQ(r.images[1].content_type, "image/jpeg");
  EXPECT_EQ(r.images[1].bytes, std::string_view("\xff\xd8\xff\xe0\x00\x10JFIF\r\n--", 14));
  EXPECT_FALSE(r.mask.has_value());
}

// openai@6 `client.images.edit({image: png, prompt, n: 2, size})`: one file is `image`.
TEST(ImageRequestEdit, OpenAiSdkSingleImageGolden) {
  const std::string body = "------formdata-undici-087850241657\r\n"
                           "Content-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n"
                           "Content-Type: image/png\r\n"
                           "\r\n"
                           "\x89PNG\r\n"
                           "\x1a\n"
                           "\x00\x00\x00\rIHDR\r\n"
                           "------formdata-undici-087850241657\r\n"
                           "Content-Disposition: form-data; name=\"prompt\"\r\n"
                           "\r\n"
                           "make it blue\r\n"
                           "------formdata-undici-087850241657\r\n"
                           "Content-Disposition: form-data; name=\"n\"\r\n"
                           "\r\n"
                           "2\r\n"
                           "------formdata-undici-087850241657\r\n"
                           "Content-Disposition: form-data; name=\"size\"\r\n"
                           "\r\n"
                           "1024x1024\r\n"
                           "------formdata-undici-087850241657--\r\n"s;
  auto r = ok(parse_image_edit("multipart/form-data; boundary=----formdata-undici-087850241657",
                               body, kMax));
  EXPECT_EQ(r.prompt, "make it blue");
  EXPECT_EQ(r.n, 2);
  EXPECT_EQ(r.size, "1024x1024");
  ASSERT_EQ(r.images.size(), 1u);
  EXPECT_EQ(r.images[0].param, "image");
}

TEST(ImageRequestEdit, MixedNamesMaskAndTextFields) {
  auto r = ok(pe({{"image", "a.png", kPng},
                  {"image", "b.webp", kWebp, "text/plain"}, // declared type is not trusted
                  {"image[5]", "c.jpg", kJpeg},
                  {"mask", "m.png", kPng},
                  {"prompt", nullptr, "edit\r\nthis"},
                  {"n", nullptr, " 3 "},
                  {"stream", nullptr, "TRUE"},
                  {"partial_images", nullptr, "1"},
                  {"quality", nullptr, "high"},
                  {"model", nullptr, "gpt-image-1"},
                  {"input_fidelity", nullptr, "high"},
                  {"background", nullptr, "transparent"}}));
  ASSERT_EQ(r.images.size(), 3u);
  EXPECT_EQ(r.images[0].param, "image");
  EXPECT_EQ(r.images[1].param, "image[1]");
  EXPECT_EQ(r.images[1].content_type, "image/webp");
  EXPECT_EQ(r.images[2].param, "image[2]");
  EXPECT_EQ(r.images[2].content_type, "image/jpeg");
  ASSERT_TRUE(r.mask.has_value());
  EXPECT_EQ(r.mask->param, "mask");
  EXPECT_EQ(r.prompt, "edit\r\nthis");
  EXPECT_EQ(r.n, 3);
  EXPECT_TRUE(r.stream);
  EXPECT_EQ(r.partial_images, 1);
  EXPECT_EQ(r.quality, "high");
  EXPECT_EQ(r.model, "gpt-image-1");
}

TEST(ImageRequestEdit, UrlTextPartsAndFilesWithoutFilename) {
  auto r = ok(pe({{"image", nullptr, "https://example.com/a.png"},
                  {"image[]", nullptr, kPng}, // bytes without a filename still count
                  {"prompt", nullptr, "p"}}));
  ASSERT_EQ(r.images.size(), 2u);
  EXPECT_EQ(r.images[0].url, "https://example.com/a.png");
  EXPECT_TRUE(r.images[0].bytes.empty());
  EXPECT_EQ(r.images[1].content_type, "image/png");
}

TEST(ImageRequestEdit, MultipartErrors) {
  EXPECT_400(pe({{"prompt", nullptr, "p"}}), "image", "missing_required_parameter");
  EXPECT_400(pe({{"image", "a.png", kPng}}), "prompt", "missing_required_parameter");
  EXPECT_400(pe({{"image", "a.png", kPng}, {"prompt", nullptr, " "}}), "prompt", "invalid_value");
  EXPECT_400(pe({{"image", "a.png", kPng}, {"image", "b.gif", kGif}, {"prompt", nullptr, "p"}}),
             "image[1]", "invalid_image");
  EXPECT_400(pe({{"image[]", "a.png", ""}, {"prompt", nullptr, "p"}}), "image[0]", "invalid_image");
  EXPECT_400(pe({{"image", "a.png", "not an image"}, {"prompt", nullptr, "p"}}), "image",
             "invalid_image");
  EXPECT_400(pe({{"image", "a.png", kPng + std::string(100, 'x')}, {"prompt", nullptr, "p"}}, 64),
             "image", "invalid_image");
  EXPECT_400(pe({{"image", "a.png", kPng}, {"mask", "m.png", kGif}, {"prompt", nullptr, "p"}}),
             "mask", "invalid_image");
  EXPECT_400(pe({{"image", "a.png", kPng},
                 {"mask", "m.png", kPng},
                 {"mask", "m.png", kPng},
                 {"prompt", nullptr, "p"}}),
             "mask", "invalid_value");
  EXPECT_400(pe({{"image", "a.png", kPng}, {"prompt", nullptr, "p"}, {"n", nullptr, "two"}}), "n",
             "invalid_type");
  EXPECT_400(pe({{"image", "a.png", kPng}, {"prompt", nullptr, "p"}, {"n", nullptr, "12"}}), "n",
             "invalid_value");
  EXPECT_400(pe({{"image", "a.png", kPng}, {"prompt", nullptr, "p"}, {"n", nullptr, "-1"}}), "n",
             "invalid_value");
  EXPECT_400(pe({{"image", "a.png", kPng}, {"prompt", nullptr, "p"}, {"stream", nullptr, "yes"}}),
             "stream", "invalid_type");
  EXPECT_400(pe({{"image", "a.png", kPng}, {"prompt", nullptr, "p"}, {"size", nullptr, "huge"}}),
             "size", "invalid_value");
  EXPECT_400(pe({{"image", "a.png", kPng},
                 {"prompt", nullptr, "p"},
                 {"response_format", nullptr, "base64"}}),
             "response_format", "invalid_value");
  EXPECT_400(pe({{"image", "a.png", kPng}, {"prompt", nullptr, "p"}, {"prompt", nullptr, "q"}}),
             "prompt", "invalid_value");
  EXPECT_400(pe({{"image", "a.png", kPng}, {"prompt", "p.txt", "p"}}), "prompt", "invalid_type");
  EXPECT_400(pe({{"image", "a.png", kPng}, {"prompt", nullptr, "\xff\xfe"}}), "prompt",
             "invalid_value");
  EXPECT_400(pe({{"image", nullptr, "ftp://x/y.png"}, {"prompt", nullptr, "p"}}), "image",
             "invalid_value");
  std::vector<P> many;
  for (int i = 0; i < 17; ++i) many.push_back({"image[]", "a.png", kPng});
  many.push_back({"prompt", nullptr, "p"});
  EXPECT_400(pe(many), "image", "too_many_images");
  many.erase(many.begin());
  EXPECT_EQ(ok(pe(many)).images.size(), 16u);
}

TEST(ImageRequestEdit, BodyLevelErrors) {
  EXPECT_400(parse_image_edit("multipart/form-data; boundary=BoUnDaRy", "garbage", kMax), "",
             "invalid_multipart");
  EXPECT_400(parse_image_edit("multipart/form-data", form({}), kMax), "", "invalid_multipart");
  EXPECT_400(parse_image_edit("text/plain", "x", kMax), "", "unsupported_content_type");
  // A truncated upload (no final boundary).
  std::string body = form({{"image", "a.png", kPng}, {"prompt", nullptr, "p"}});
  body.resize(body.size() - 14);
  EXPECT_400(parse_image_edit(kCt, body, kMax), "", "invalid_multipart");
}

// ---- edits: JSON ---------------------------------------------------------------------------

namespace {
std::string b64(std::string_view bytes) {
  static const char *t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8 |
                 (unsigned char)bytes[i + 2];
    out += t[v >> 18];
    out += t[(v >> 12) & 63];
    out += t[(v >> 6) & 63];
    out += t[v & 63];
  }
  if (i + 1 == bytes.size()) {
    unsigned v = (unsigned char)bytes[i] << 16;
    out += t[v >> 18];
    out += t[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8;
    out += t[v >> 18];
    out += t[(v >> 12) & 63];
    out += t[(v >> 6) & 63];
    out += '=';
  }
  return out;
}
std::variant<ImageEditRequest, ApiError> pj(const std::string &body, size_t max = kMax) {
  return parse_image_edit("application/json", body, max);
}
} // namespace

TEST(ImageRequestEditJson, ImageFormsAndParams) {
  std::string png_uri = "data:image/png;base64," + b64(kPng);
  std::string webp_uri = "data:image/webp;base64," + b64(kWebp);
  auto r = ok(pj(
      R"({"prompt":"p","images":[{"image_url":"https://x.test/a.png"},")" + png_uri +
      R"(",{"image_url":{"url":")" + webp_uri +
      R"("}},{"url":"http://x.test/b.jpg"}],"image":"https://x.test/c.png","mask":{"image_url":")" +
      png_uri + R"("},"n":2,"size":"3:2"})"));
  ASSERT_EQ(r.images.size(), 5u);
  EXPECT_EQ(r.images[0].param, "images[0]");
  EXPECT_EQ(r.images[0].url, "https://x.test/a.png");
  EXPECT_EQ(r.images[0].content_type, "");
  EXPECT_EQ(r.images[1].param, "images[1]");
  EXPECT_EQ(r.images[1].content_type, "image/png");
  EXPECT_EQ(r.images[1].url, png_uri);
  EXPECT_EQ(r.images[2].content_type, "image/webp");
  EXPECT_EQ(r.images[3].url, "http://x.test/b.jpg");
  EXPECT_EQ(r.images[4].param, "image");
  ASSERT_TRUE(r.mask.has_value());
  EXPECT_EQ(r.mask->content_type, "image/png");
  EXPECT_EQ(r.n, 2);
  EXPECT_EQ(r.size, "3:2");

  r = ok(pj(R"({"prompt":"p","image":["https://x.test/1.png","https://x.test/2.png"]})"));
  ASSERT_EQ(r.images.size(), 2u);
  EXPECT_EQ(r.images[1].param, "image[1]");
  // Through the content-type dispatcher with a charset, and with no content type at all.
  EXPECT_EQ(ok(parse_image_edit("application/json; charset=utf-8",
                                R"({"prompt":"p","image":"https://x.test/1.png"})", kMax))
                .images.size(),
            1u);
  EXPECT_EQ(ok(parse_image_edit("", R"({"prompt":"p","image":"https://x.test/1.png"})", kMax))
                .images.size(),
            1u);
}

TEST(ImageRequestEditJson, Errors) {
  std::string gif_uri = "data:image/gif;base64," + b64(kGif);
  EXPECT_400(pj(R"({"prompt":"p"})"), "image", "missing_required_parameter");
  EXPECT_400(pj(R"({"prompt":"p","images":[]})"), "image", "missing_required_parameter");
  EXPECT_400(pj(R"({"prompt":"p","images":"https://x.test/a.png"})"), "images", "invalid_type");
  EXPECT_400(pj(R"({"prompt":"p","images":[5]})"), "images[0]", "invalid_type");
  EXPECT_400(pj(R"({"prompt":"p","images":[{}]})"), "images[0].image_url",
             "missing_required_parameter");
  EXPECT_400(pj(R"({"prompt":"p","images":[{"file_id":"f1"}]})"), "images[0].file_id",
             "unsupported_parameter");
  EXPECT_400(pj(R"({"prompt":"p","images":[{"image_url":7}]})"), "images[0].image_url",
             "invalid_type");
  EXPECT_400(pj(R"({"prompt":"p","images":["ftp://x"]})"), "images[0]", "invalid_value");
  EXPECT_400(pj(R"({"prompt":"p","images":[""]})"), "images[0]", "invalid_value");
  EXPECT_400(pj(R"({"prompt":"p","images":["https://x.test/a.png",")" + gif_uri + R"("]})"),
             "images[1]", "invalid_image");
  EXPECT_400(pj(R"({"prompt":"p","images":[{"image_url":{"url":")" + gif_uri + R"("}}]})"),
             "images[0].image_url.url", "invalid_image");
  EXPECT_400(pj(R"({"prompt":"p","image":"data:image/png,rawbytes"})"), "image", "invalid_image");
  EXPECT_400(pj(R"({"prompt":"p","image":"data:image/png;base64,!!!!"})"), "image",
             "invalid_image");
  EXPECT_400(pj(R"({"prompt":"p","image":"data:image/png;base64,"})"), "image", "invalid_image");
  EXPECT_400(pj("{\"prompt\":\"p\",\"image\":\"data:image/png;base64," +
                    b64(kPng + std::string(200, 'x')) + "\"}",
                100),
             "image", "invalid_image");
  EXPECT_400(pj(R"({"prompt":"p","image":"https://x.test/a.png","mask":"nope"})"), "mask",
             "invalid_value");
  EXPECT_400(pj(R"({"image":"https://x.test/a.png"})"), "prompt", "missing_required_parameter");
  EXPECT_400(pj(R"({"image":"https://x.test/a.png","prompt":"p","n":20})"), "n", "invalid_value");
  std::string many = R"({"prompt":"p","images":[)";
  for (int i = 0; i < 17; ++i) many += std::string(i ? "," : "") + "\"https://x.test/a.png\"";
  EXPECT_400(pj(many + "]}"), "image", "too_many_images");
  EXPECT_400(pj("{"), "", "invalid_json");
}

TEST(ImageRequestSniff, MagicBytes) {
  EXPECT_EQ(sniff_edit_image(kPng), "image/png");
  EXPECT_EQ(sniff_edit_image(kJpeg), "image/jpeg");
  EXPECT_EQ(sniff_edit_image(kWebp), "image/webp");
  EXPECT_EQ(sniff_edit_image(kGif), "");
  EXPECT_EQ(sniff_edit_image("RIFF\x10\0\0\0WAVE"s), "");
  EXPECT_EQ(sniff_edit_image("\x89PNG"), "");
  EXPECT_EQ(sniff_edit_image(""), "");
}

// ---- size → aspect ratio -------------------------------------------------------------------

TEST(ImageRequestAspect, SeedTableAndExtras) {
  struct Case {
    const char *size, *ratio;
  } cases[] = {
      {"1024x1024", "1:1"}, {"512x512", "1:1"},    {"256x256", "1:1"},    {"1024x576", "16:9"},
      {"1280x720", "16:9"}, {"1536x864", "16:9"},  {"576x1024", "9:16"},  {"720x1280", "9:16"},
      {"864x1536", "9:16"}, {"1024x1536", "2:3"},  {"512x768", "2:3"},    {"1536x1024", "3:2"},
      {"768x512", "3:2"},   {"1792x1024", "16:9"}, {"1024x1792", "9:16"}, {"768x1024", "3:4"},
      {"1024x768", "4:3"},  {"auto", "1:1"},       {"AUTO", "1:1"},       {"", "1:1"},
      {"garbage", "1:1"},   {"2048x1024", "2:1"},  {"1024x2048", "1:2"},  {"2560x1080", "20:9"},
      {"4096x256", "20:9"}, {"1000x999", "1:1"},   {"1200x900", "4:3"},   {"5:4", "4:3"},
      {"21:9", "20:9"},     {"1.9:1", "2:1"},      {"1.8:1", "16:9"},
  };
  for (const auto &c : cases) EXPECT_EQ(aspect_ratio_for(c.size), c.ratio) << c.size;
  for (const char *r : {"1:1", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3", "2:1", "1:2", "19.5:9",
                        "9:19.5", "20:9", "9:20"})
    EXPECT_EQ(aspect_ratio_for(r), r);
}
