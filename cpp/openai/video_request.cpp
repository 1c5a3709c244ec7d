// Videos API request parsing (see video_request.h): JSON with simdjson On-Demand in one pass
// (openai/param_reader.h), multipart through http/multipart.h, one set of field rules for both.
#include "openai/video_request.h"

#include "core/text.h"
#include "http/multipart.h"
#include "openai/form_body.h"
#include "openai/param_reader.h"

namespace g2a::openai {
namespace {

using text::code_points;
using text::iequals;
using text::trim;

std::optional<ApiError> check_prompt(const std::string &prompt, bool present) {
  if (!present) return missing_param("prompt");
  if (trim(prompt).empty())
    return bad_value_param("prompt", "expected a non-empty description of the video.");
  if (code_points(prompt) > kMaxPromptChars)
    return bad_value_param("prompt", "string too long. Expected a string with maximum length " +
                                         std::to_string(kMaxPromptChars) + ".");
  return std::nullopt;
}

// A whole number of seconds 1..kMaxVideoSeconds from text ("4"); 0 when it is not one.
int seconds_from_text(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.size() > 4) return 0;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + (c - '0');
  }
  return v;
}

ApiError bad_seconds() {
  return bad_value_param("seconds", "expected a whole number of seconds from 1 to " +
                                        std::to_string(kMaxVideoSeconds) +
                                        " (e.g. '4', '8' or '12').");
}

std::optional<ApiError> check_size(const std::string &size) {
  if (size.empty() || parse_video_size(size)) return std::nullopt;
  return bad_value_param("size", "'" + size.substr(0, 40) +
                                     "' is not a size. Expected 'WIDTHxHEIGHT' such as "
                                     "'720x1280' or '1280x720'.");
}

ApiError file_id_refused(const std::string &param) {
  return bad_value_param(param, "file ids are not supported by this gateway; send image_url.",
                         "unsupported_parameter");
}

// ---- JSON ----------------------------------------------------------------------------------

class Reader : public ParamReader {
public:
  size_t max_bytes = 0;

  bool seconds(od::value &v, int &out) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    if (t == json_type::string) {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return syntax(e);
      out = seconds_from_text(s);
    } else if (t == json_type::number) {
      long long n = 0;
      bool present = false;
      if (!opt_int(v, "seconds", n, present)) return false;
      out = n >= 1 && n <= kMaxVideoSeconds ? static_cast<int>(n) : 0;
    } else {
      return fail(wrong_type_param("seconds", "a string", t));
    }
    if (out < 1 || out > kMaxVideoSeconds) return fail(bad_seconds());
    return true;
  }

  // A string URL, or {"image_url": "…"} / {"image_url": {"url": "…"}} / {"file_id": "…"}.
  bool reference(od::value &v, std::optional<EditImage> &out) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    std::string url, param = "input_reference";
    if (t == json_type::string) {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return syntax(e);
      url.assign(s);
    } else if (t == json_type::object) {
      bool file_id = false, has_url = false;
      if (!fields(v, param, [&](std::string_view key, od::value &fv) {
            json_type ft;
            if (key == "file_id") {
              if (!type_of(fv, ft)) return false;
              file_id = ft != json_type::null;
              return true;
            }
            if (key != "image_url") return true;
            if (!type_of(fv, ft)) return false;
            if (ft == json_type::object) {
              param = "input_reference.image_url.url";
              if (!fields(fv, "input_reference.image_url", [&](std::string_view k2, od::value &v2) {
                    return k2 != "url" || opt_string(v2, "input_reference.image_url.url", url);
                  }))
                return false;
            } else {
              param = "input_reference.image_url";
              if (!opt_string(fv, param, url)) return false;
            }
            has_url = !url.empty();
            return true;
          }))
        return false;
      if (!has_url && file_id) return fail(file_id_refused("input_reference.file_id"));
      if (!has_url) return fail(missing_param("input_reference.image_url"));
    } else {
      return fail(wrong_type_param("input_reference", "an image URL or an object", t));
    }
    auto img = check_image_reference(url, param, max_bytes);
    if (!img) return fail(std::move(img).error());
    out = std::move(img).value();
    out->param = "input_reference";
    return true;
  }
};

ApiResult<VideoCreateRequest> create_json(std::string_view body, size_t max_bytes) {
  Reader r;
  r.max_bytes = max_bytes;
  VideoCreateRequest req;
  bool has_prompt = false;
  auto err = read_body(body, r, [&](std::string_view key, od::value &v) {
    if (key == "prompt") return r.opt_string(v, "prompt", req.prompt, &has_prompt);
    if (key == "model") return r.opt_string(v, "model", req.model);
    if (key == "size") return r.opt_string(v, "size", req.size);
    if (key == "seconds") return r.seconds(v, req.seconds);
    if (key == "input_reference") return r.reference(v, req.input_reference);
    return true;
  });
  if (err) return std::move(*err);
  if (auto e = check_prompt(req.prompt, has_prompt)) return std::move(*e);
  req.model = std::string(trim(req.model));
  req.size = std::string(trim(req.size));
  if (auto e = check_size(req.size)) return std::move(*e);
  return req;
}

// ---- multipart -----------------------------------------------------------------------------

// 32 parts: the few fields of a video request with room to spare.
constexpr size_t kMaxVideoParts = 32;

std::optional<ApiError> text_of(const FormPart &part, std::string &out) {
  if (part.is_file)
    return bad_value_param(part.name, "expected a text field, but got a file.", "invalid_type");
  if (!simdjson::validate_utf8(part.data.data(), part.data.size()))
    return bad_value_param(part.name, "the text is not valid UTF-8.");
  out.assign(part.data);
  return std::nullopt;
}

ApiResult<VideoCreateRequest> create_multipart(const std::vector<FormPart> &parts,
                                               size_t max_bytes) {
  VideoCreateRequest req;
  bool has_prompt = false;
  std::vector<std::string> seen;
  for (const FormPart &part : parts) {
    const std::string &name = part.name;
    bool is_ref = name == "input_reference" || name == "input_reference[image_url]" ||
                  name == "input_reference[file_id]";
    bool known =
        is_ref || name == "prompt" || name == "model" || name == "seconds" || name == "size";
    if (!known) continue; // other fields: ignored
    if (auto e = check_once(seen, is_ref ? std::string("input_reference") : name))
      return std::move(*e);
    if (is_ref) {
      if (name == "input_reference[file_id]") return file_id_refused("input_reference.file_id");
      bool by_url = name == "input_reference[image_url]";
      std::string param = by_url ? "input_reference.image_url" : "input_reference";
      auto read = by_url || is_image_reference(part)
                      ? check_image_reference(trim(part.data), param, max_bytes)
                      : check_image_file(part.data, param, max_bytes);
      if (!read) return std::move(read).error();
      EditImage img = std::move(read).value();
      img.filename = part.filename;
      img.param = "input_reference";
      req.input_reference = std::move(img);
      continue;
    }
    std::string value;
    if (auto e = text_of(part, value)) return std::move(*e);
    if (name == "prompt") {
      req.prompt = std::move(value);
      has_prompt = true;
    } else if (name == "model") {
      req.model = std::string(trim(value));
    } else if (name == "size") {
      req.size = std::string(trim(value));
    } else if (name == "seconds") {
      req.seconds = seconds_from_text(value);
      if (req.seconds < 1 || req.seconds > kMaxVideoSeconds) return bad_seconds();
    }
  }
  if (auto e = check_prompt(req.prompt, has_prompt)) return std::move(*e);
  if (auto e = check_size(req.size)) return std::move(*e);
  return req;
}

} // namespace

std::optional<std::pair<int, int>> parse_video_size(std::string_view size) {
  size_t x = size.find_first_of("xX");
  if (x == std::string_view::npos) return std::nullopt;
  auto num = [](std::string_view s) -> int {
    if (s.empty() || s.size() > 4) return 0;
    int v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return 0;
      v = v * 10 + (c - '0');
    }
    return v <= 4096 ? v : 0;
  };
  int w = num(size.substr(0, x)), h = num(size.substr(x + 1));
  if (w <= 0 || h <= 0) return std::nullopt;
  return std::make_pair(w, h);
}

ApiResult<VideoCreateRequest> parse_video_create(std::string_view content_type,
                                                 std::string_view body, size_t max_image_bytes) {
  return json_or_form<ApiResult<VideoCreateRequest>>(
      content_type, body, kMaxVideoParts,
      [&](std::string_view json) { return create_json(json, max_image_bytes); },
      [&](const std::vector<FormPart> &parts) { return create_multipart(parts, max_image_bytes); });
}

ApiResult<VideoRemixRequest> parse_video_remix(std::string_view content_type,
                                               std::string_view body) {
  using Result = ApiResult<VideoRemixRequest>;
  VideoRemixRequest req;
  bool has_prompt = false;
  auto done = [&]() -> Result {
    if (auto e = check_prompt(req.prompt, has_prompt)) return std::move(*e);
    return std::move(req);
  };
  return json_or_form<Result>(
      content_type, body, kMaxVideoParts,
      [&](std::string_view json) -> Result {
        Reader r;
        auto err = read_body(json, r, [&](std::string_view key, od::value &v) {
          return key != "prompt" || r.opt_string(v, "prompt", req.prompt, &has_prompt);
        });
        if (err) return std::move(*err);
        return done();
      },
      [&](const std::vector<FormPart> &parts) -> Result {
        for (const FormPart &part : parts) {
          if (part.name != "prompt") continue;
          if (has_prompt) return bad_value_param("prompt", "the field was sent more than once.");
          if (auto e = text_of(part, req.prompt)) return std::move(*e);
          has_prompt = true;
        }
        return done();
      });
}

} // namespace g2a::openai
