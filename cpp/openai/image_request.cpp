// Images API request parsing (see image_request.h): JSON bodies with simdjson On-Demand in
// one pass, multipart bodies through http/multipart.h, and one set of field rules for both.
#include "openai/image_request.h"
#include "core/image_sniff.h"

#include "core/bytes.h"
#include "core/data_uri.h"
#include "core/text.h"
#include "http/multipart.h"
#include "openai/form_body.h"
#include "openai/param_reader.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <optional>

namespace g2a::openai {
namespace {

using text::code_points;
using text::iequals;
using text::trim;

// ---- errors --------------------------------------------------------------------------------

ApiError missing(const std::string &p) {
  return missing_param(p);
}

ApiError bad_value(const std::string &p, const std::string &why,
                   const char *code = "invalid_value") {
  return bad_value_param(p, why, code);
}

ApiError bad_image(const std::string &p, const std::string &why) {
  return invalid_request("Invalid image in '" + p + "': " + why, p, "invalid_image");
}

std::optional<long long> parse_uint(std::string_view s, long long cap) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  long long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v > cap) v = cap;
  return v;
}

// A positive decimal number ("16", "19.5"): no sign, exponent or spaces.
std::optional<double> positive_number(std::string_view s) {
  if (s.empty() || s.size() > 12) return std::nullopt;
  double v = 0, scale = 0;
  bool digits = false;
  for (char c : s) {
    if (c == '.') {
      if (scale != 0) return std::nullopt;
      scale = 1;
    } else if (c >= '0' && c <= '9') {
      digits = true;
      if (scale != 0) {
        scale /= 10;
        v += (c - '0') * scale;
      } else {
        v = v * 10 + (c - '0');
      }
    } else {
      return std::nullopt;
    }
  }
  if (!digits || !(v > 0)) return std::nullopt;
  return v;
}

struct Dims {
  double w = 0, h = 0;
  bool pixels = false; // WxH rather than a:b
};

std::optional<Dims> parse_size(std::string_view s) {
  size_t x = s.find_first_of("xX");
  if (x != std::string_view::npos) {
    auto w = parse_uint(s.substr(0, x), 1000000), h = parse_uint(s.substr(x + 1), 1000000);
    if (!w || !h || *w == 0 || *h == 0) return std::nullopt;
    return Dims{static_cast<double>(*w), static_cast<double>(*h), true};
  }
  size_t colon = s.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto w = positive_number(s.substr(0, colon)), h = positive_number(s.substr(colon + 1));
  if (!w || !h) return std::nullopt;
  return Dims{*w, *h, false};
}

// ---- images --------------------------------------------------------------------------------

// Checks a data: URI: `data:image/<type>;base64,<payload>`; the content type sniffed.
ApiResult<std::string_view> check_data_uri(std::string_view uri, const std::string &param,
                                           size_t max_bytes) {
  auto data = parse_data_uri(uri);
  if (!data) return bad_image(param, "the data URI has no ',' before its payload.");
  if (!data->is_base64)
    return bad_image(param, "expected a base64 data URI (data:image/...;base64,...).");
  // The payload's digits are counted (padding and line breaks aside) and the first 24 kept:
  // the image's size and format are judged without decoding it all.
  std::string head_digits;
  size_t chars = 0;
  for (char c : data->payload) {
    if (c == '=' || c == '\r' || c == '\n' || c == ' ') continue;
    if (base64_digit(c) < 0) return bad_image(param, "the data URI payload is not valid base64.");
    if (head_digits.size() < 24) head_digits += c;
    ++chars;
  }
  if (chars == 0) return bad_image(param, "the image is empty.");
  size_t bytes = chars * 3 / 4;
  if (bytes > max_bytes)
    return bad_image(param, "the image is larger than the limit of " + std::to_string(max_bytes) +
                                " bytes.");
  if (head_digits.size() % 4 == 1) head_digits.pop_back(); // 6 bits make no byte
  std::string head = base64_decode(head_digits).value_or(std::string());
  std::string_view sniffed = sniff_edit_image(std::string_view(head).substr(0, 16));
  if (sniffed.empty())
    return bad_image(param, "the image must be a PNG, JPEG or WebP file (judged by its content).");
  return sniffed;
}

// An image given by reference (JSON variant, or a text part in a multipart body).
ApiResult<EditImage> image_from_url(std::string_view url, const std::string &param,
                                    size_t max_bytes) {
  url = trim(url);
  if (url.empty()) return bad_value(param, "expected an image URL, but got an empty string.");
  EditImage out;
  out.param = param;
  out.url.assign(url);
  if (text::is_http_url(url)) return out;
  if (!is_data_uri(url))
    return bad_value(param, "expected an https:// or http:// URL or a data:image/... base64 URI.");
  auto type = check_data_uri(url, param, max_bytes);
  if (!type) return std::move(type).error();
  out.content_type.assign(type.value());
  return out;
}

ApiResult<EditImage> image_from_bytes(std::string_view bytes, const std::string &param,
                                      size_t max_bytes) {
  EditImage out;
  out.param = param;
  out.bytes = bytes;
  if (bytes.empty()) return bad_image(param, "the file is empty.");
  if (bytes.size() > max_bytes)
    return bad_image(param, "the file is larger than the limit of " + std::to_string(max_bytes) +
                                " bytes.");
  std::string_view sniffed = sniff_edit_image(bytes);
  if (sniffed.empty())
    return bad_image(param, "the file must be a PNG, JPEG or WebP image (judged by its content).");
  out.content_type.assign(sniffed);
  return out;
}

// ---- field rules shared by JSON and multipart ------------------------------------------------

std::optional<ApiError> check_prompt(const std::string &prompt) {
  if (trim(prompt).empty())
    return bad_value("prompt", "expected a non-empty description of the image.");
  if (code_points(prompt) > kMaxPromptChars)
    return bad_value("prompt", "string too long. Expected a string with maximum length " +
                                   std::to_string(kMaxPromptChars) + ".");
  return std::nullopt;
}

std::optional<ApiError> check_n(long long n) {
  if (n < 1) return bad_value("n", "integer below minimum value. Expected a value >= 1.");
  if (n > kMaxImagesPerRequest)
    return bad_value("n", "integer above maximum value. Expected a value <= " +
                              std::to_string(kMaxImagesPerRequest) + ".");
  return std::nullopt;
}

std::optional<ApiError> check_partial(long long k) {
  if (k < 0 || k > 3) return bad_value("partial_images", "expected an integer from 0 to 3.");
  return std::nullopt;
}

std::optional<ApiError> check_one_of(const char *param, const std::string &v,
                                     std::initializer_list<std::string_view> allowed) {
  for (auto a : allowed)
    if (v == a) return std::nullopt;
  std::string list;
  for (auto a : allowed) {
    if (!list.empty()) list += ", ";
    list += "'" + std::string(a) + "'";
  }
  return bad_value(param, "'" + v + "' is not one of " + list + ".");
}

std::optional<ApiError> check_size(const std::string &size) {
  if (size == "auto") return std::nullopt;
  auto d = parse_size(size);
  if (!d)
    return bad_value("size", "'" + size +
                                 "' is not a size. Expected 'auto', 'WIDTHxHEIGHT' (e.g. "
                                 "'1024x1024') or an aspect ratio such as '16:9'.");
  if (d->pixels && (d->w < 256 || d->w > 4096 || d->h < 256 || d->h > 4096))
    return bad_value("size", "'" + size + "': width and height must be from 256 to 4096.");
  if (!d->pixels && (d->w / d->h > 10 || d->h / d->w > 10))
    return bad_value("size", "'" + size + "': the aspect ratio is too extreme.");
  return std::nullopt;
}

// Checks the scalar fields once they are all known.
std::optional<ApiError> finish_common(ImageGenRequest &r, bool has_prompt) {
  if (!has_prompt) return missing("prompt");
  if (auto e = check_prompt(r.prompt)) return e;
  if (auto e = check_n(r.n)) return e;
  if (!r.size.empty())
    if (auto e = check_size(r.size)) return e;
  if (auto e = check_one_of("response_format", r.response_format, {"url", "b64_json"})) return e;
  if (!r.quality.empty())
    if (auto e =
            check_one_of("quality", r.quality, {"auto", "low", "medium", "high", "standard", "hd"}))
      return e;
  if (!r.style.empty())
    if (auto e = check_one_of("style", r.style, {"vivid", "natural"})) return e;
  if (auto e = check_partial(r.partial_images)) return e;
  return std::nullopt;
}

bool is_image_field(std::string_view name) {
  if (name == "image" || name == "image[]") return true;
  if (name.size() > 7 && name.substr(0, 6) == "image[" && name.back() == ']')
    return parse_uint(name.substr(6, name.size() - 7), 1 << 20).has_value();
  return false;
}

// ---- JSON ------------------------------------------------------------------------------------

class Reader : public ParamReader {
public:
  size_t max_bytes = 0;

  // Optional integer (an integral float such as 2.0 is accepted), held to ±1000000.
  bool int_field(od::value &v, const char *p, int &out) {
    long long n = 0;
    bool set = false;
    if (!opt_int(v, p, n, set)) return false;
    if (set) out = static_cast<int>(std::clamp(n, -1000000LL, 1000000LL));
    return true;
  }

  // One image reference: "url" | {"image_url": "url" | {"url"}} | {"url"}.
  bool image_ref(od::value &v, const std::string &p, EditImage &out) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::string) {
      std::string url;
      if (!opt_string(v, p, url)) return false;
      auto img = image_from_url(url, p, max_bytes);
      if (!img) return fail(std::move(img).error());
      out = std::move(img).value();
      return true;
    }
    if (t != json_type::object)
      return fail(wrong_type_param(p, "an image URL or an object with 'image_url'", t));
    std::string url, url_param;
    bool file_id = false;
    if (!fields(v, p, [&](std::string_view key, od::value &fv) {
          if (key == "file_id") {
            if (!type_of(fv, t)) return false;
            file_id = t != json_type::null;
            return true;
          }
          if (key != "image_url" && key != "url") return true;
          std::string kp = p + "." + std::string(key);
          if (!type_of(fv, t)) return false;
          if (t != json_type::object || key != "image_url") {
            url_param = kp;
            return opt_string(fv, kp, url);
          }
          return fields(fv, kp, [&](std::string_view k2, od::value &v2) {
            if (k2 != "url") return true;
            url_param = kp + ".url";
            return opt_string(v2, url_param, url);
          });
        }))
      return false;
    if (url.empty() && file_id)
      return fail(bad_value(p + ".file_id",
                            "file ids are not supported by this gateway; send image_url.",
                            "unsupported_parameter"));
    if (url_param.empty()) return fail(missing(p + ".image_url"));
    auto img = image_from_url(url, url_param, max_bytes);
    if (!img) return fail(std::move(img).error());
    out = std::move(img).value();
    out.param = p;
    return true;
  }

  // `images` (name "images") or `image` (name "image"): one reference or an array of them.
  bool image_list(od::value &v, const char *name, bool array_only, std::vector<EditImage> &out) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    if (t != json_type::array) {
      if (array_only) return fail(wrong_type_param(name, "an array", t));
      return add_image(v, name, out);
    }
    od::array arr;
    if (auto e = v.get_array().get(arr)) return syntax(e);
    return elements_of(arr, [&](long k, od::value &iv) {
      return add_image(iv, std::string(name) + "[" + std::to_string(k) + "]", out);
    });
  }

  bool add_image(od::value &v, const std::string &p, std::vector<EditImage> &out) {
    if (out.size() >= kMaxEditImages)
      return fail(invalid_request("Too many images: at most " + std::to_string(kMaxEditImages) +
                                      " may be edited at once.",
                                  "image", "too_many_images"));
    EditImage img;
    if (!image_ref(v, p, img)) return false;
    out.push_back(std::move(img));
    return true;
  }

  // The scalar fields common to both endpoints; false when `key` failed (err set).
  bool common(std::string_view key, od::value &v, ImageGenRequest &r, bool &has_prompt,
              bool &handled) {
    handled = true;
    if (key == "prompt") return opt_string(v, "prompt", r.prompt, &has_prompt);
    if (key == "model") return opt_string(v, "model", r.model);
    if (key == "n") return int_field(v, "n", r.n);
    if (key == "size") return opt_string(v, "size", r.size);
    if (key == "quality") return opt_string(v, "quality", r.quality);
    if (key == "response_format")
      return opt_string(v, "response_format", r.response_format, &r.has_response_format);
    if (key == "style") return opt_string(v, "style", r.style);
    if (key == "user") return opt_string(v, "user", r.user);
    if (key == "stream") return opt_bool(v, "stream", r.stream);
    if (key == "partial_images") return int_field(v, "partial_images", r.partial_images);
    handled = false;
    return true;
  }
};

// ---- multipart -------------------------------------------------------------------------------

std::optional<bool> parse_bool_text(std::string_view s) {
  s = trim(s);
  if (iequals(s, "true") || s == "1") return true;
  if (iequals(s, "false") || s == "0") return false;
  return std::nullopt;
}

ApiResult<int> text_int(const FormPart &part, const std::string &param) {
  std::string_view s = trim(part.data);
  bool neg = !s.empty() && s.front() == '-';
  auto v = parse_uint(neg ? s.substr(1) : s, 1000000);
  if (!v) return wrong_type_param(param, "an integer", "'" + std::string(s.substr(0, 40)) + "'");
  return static_cast<int>(neg ? -*v : *v);
}

} // namespace

std::string_view sniff_edit_image(std::string_view b) {
  std::string_view type = sniff_image_type(b);
  return type == "image/gif" ? std::string_view() : type; // edits take PNG, JPEG and WebP
}

ApiResult<EditImage> check_image_reference(std::string_view url, const std::string &param,
                                           size_t max_bytes) {
  return image_from_url(url, param, max_bytes);
}

ApiResult<EditImage> check_image_file(std::string_view bytes, const std::string &param,
                                      size_t max_bytes) {
  return image_from_bytes(bytes, param, max_bytes);
}

ApiResult<ImageGenRequest> parse_image_generation(std::string_view body) {
  Reader r;
  ImageGenRequest req;
  bool has_prompt = false;
  auto err = read_body(body, r, [&](std::string_view key, od::value &v) {
    bool handled = false; // other fields (background, moderation, output_format, …): ignored
    return r.common(key, v, req, has_prompt, handled);
  });
  if (err) return std::move(*err);
  if (auto e = finish_common(req, has_prompt)) return std::move(*e);
  return req;
}

ApiResult<ImageEditRequest> parse_image_edit_json(std::string_view body, size_t max_image_bytes) {
  Reader r;
  r.max_bytes = max_image_bytes;
  ImageEditRequest req;
  bool has_prompt = false;
  auto err = read_body(body, r, [&](std::string_view key, od::value &v) {
    bool handled = false;
    if (!r.common(key, v, req, has_prompt, handled)) return false;
    if (handled) return true;
    if (key == "images") return r.image_list(v, "images", true, req.images);
    if (key == "image") return r.image_list(v, "image", false, req.images);
    if (key != "mask") return true;
    json_type t;
    if (!r.type_of(v, t)) return false;
    if (t == json_type::null) return true;
    EditImage m;
    if (!r.image_ref(v, "mask", m)) return false;
    req.mask = std::move(m);
    return true;
  });
  if (err) return std::move(*err);
  if (auto e = finish_common(req, has_prompt)) return std::move(*e);
  if (req.images.empty()) return missing("image");
  return req;
}

namespace {

// 16 images + a mask + a generous number of scalar fields.
constexpr size_t kMaxEditParts = 64;

ApiResult<ImageEditRequest> edit_from_parts(const std::vector<FormPart> &parts,
                                            size_t max_image_bytes) {
  ImageEditRequest req;
  bool has_prompt = false;
  std::vector<std::string> seen;
  for (const FormPart &part : parts) {
    const std::string &name = part.name;
    if (is_image_field(name) || name == "mask") {
      bool is_mask = name == "mask";
      if (is_mask && req.mask) return bad_value("mask", "only one mask may be sent.");
      if (!is_mask && req.images.size() >= kMaxEditImages)
        return invalid_request("Too many images: at most " + std::to_string(kMaxEditImages) +
                                   " may be edited at once.",
                               "image", "too_many_images");
      size_t k = req.images.size();
      std::string param = is_mask                       ? std::string("mask")
                          : (k == 0 && name == "image") ? std::string("image")
                                                        : "image[" + std::to_string(k) + "]";
      auto read = is_image_reference(part) ? image_from_url(trim(part.data), param, max_image_bytes)
                                           : image_from_bytes(part.data, param, max_image_bytes);
      if (!read) return std::move(read).error();
      EditImage img = std::move(read).value();
      img.filename = part.filename;
      if (is_mask)
        req.mask = std::move(img);
      else
        req.images.push_back(std::move(img));
      continue;
    }
    static constexpr std::string_view scalars[] = {"prompt",  "model",           "n",     "size",
                                                   "quality", "response_format", "style", "user",
                                                   "stream",  "partial_images"};
    bool known = false;
    for (auto s : scalars) known = known || name == s;
    if (!known) continue; // background, input_fidelity, output_format, …: ignored
    if (auto e = check_once(seen, name)) return std::move(*e);
    if (part.is_file) return wrong_type_param(name, "a text field", std::string("a file"));
    if (!simdjson::validate_utf8(part.data.data(), part.data.size()))
      return bad_value(name, "the text is not valid UTF-8.");
    std::string value(part.data);
    if (name == "prompt") {
      req.prompt = std::move(value);
      has_prompt = true;
    } else if (name == "model") {
      req.model = std::string(trim(value));
    } else if (name == "size") {
      req.size = std::string(trim(value));
    } else if (name == "quality") {
      req.quality = std::string(trim(value));
    } else if (name == "response_format") {
      req.response_format = std::string(trim(value));
      req.has_response_format = true;
    } else if (name == "style") {
      req.style = std::string(trim(value));
    } else if (name == "user") {
      req.user = std::move(value);
    } else if (name == "n") {
      auto n = text_int(part, "n");
      if (!n) return std::move(n).error();
      req.n = n.value();
    } else if (name == "partial_images") {
      auto k = text_int(part, "partial_images");
      if (!k) return std::move(k).error();
      req.partial_images = k.value();
    } else if (name == "stream") {
      auto b = parse_bool_text(value);
      if (!b)
        return wrong_type_param("stream", "a boolean",
                                "'" + std::string(trim(value).substr(0, 40)) + "'");
      req.stream = *b;
    }
  }
  if (auto e = finish_common(req, has_prompt)) return std::move(*e);
  if (req.images.empty()) return missing("image");
  return req;
}

} // namespace

ApiResult<ImageEditRequest> parse_image_edit_multipart(std::string_view body,
                                                       std::string_view boundary,
                                                       size_t max_image_bytes) {
  auto parts = form_parts_between(boundary, body, kMaxEditParts);
  if (!parts) return std::move(parts).error();
  return edit_from_parts(parts.value(), max_image_bytes);
}

ApiResult<ImageEditRequest> parse_image_edit(std::string_view content_type, std::string_view body,
                                             size_t max_image_bytes) {
  return json_or_form<ApiResult<ImageEditRequest>>(
      content_type, body, kMaxEditParts,
      [&](std::string_view json) { return parse_image_edit_json(json, max_image_bytes); },
      [&](const std::vector<FormPart> &parts) { return edit_from_parts(parts, max_image_bytes); });
}

std::string aspect_ratio_for(std::string_view size) {
  // Ordered from squarest to most extreme: on an exact tie the squarer ratio wins.
  struct Ratio {
    std::string_view name;
    double value;
  };
  static constexpr Ratio ratios[] = {{"1:1", 1.0},         {"4:3", 4.0 / 3},     {"3:4", 3.0 / 4},
                                     {"3:2", 1.5},         {"2:3", 2.0 / 3},     {"16:9", 16.0 / 9},
                                     {"9:16", 9.0 / 16},   {"2:1", 2.0},         {"1:2", 0.5},
                                     {"19.5:9", 19.5 / 9}, {"9:19.5", 9 / 19.5}, {"20:9", 20.0 / 9},
                                     {"9:20", 9.0 / 20}};
  size = trim(size);
  if (size.empty() || iequals(size, "auto")) return "1:1";
  for (const auto &r : ratios)
    if (size == r.name) return std::string(r.name);
  auto d = parse_size(size);
  if (!d) return "1:1";
  double v = std::log(d->w / d->h);
  const Ratio *best = &ratios[0];
  double best_d = 1e18;
  for (const auto &r : ratios) {
    double dist = std::fabs(v - std::log(r.value));
    if (dist < best_d - 1e-12) {
      best_d = dist;
      best = &r;
    }
  }
  return std::string(best->name);
}

} // namespace g2a::openai
