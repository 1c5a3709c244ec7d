// Videos API requests: `POST /v1/videos` (multipart/form-data as the OpenAI SDK always sends
// it, or JSON) and `POST /v1/videos/{id}/remix` (JSON, or multipart as the SDK may send it),
// parsed and validated into plain structs. Every refusal is an OpenAI-shaped 400 naming the
// parameter (`prompt`, `model`, `seconds`, `size`, `input_reference`,
// `input_reference.image_url`, `input_reference.file_id`) with one of the codes
// missing_required_parameter, invalid_type, invalid_value, invalid_image,
// unsupported_parameter; body-level refusals (invalid_json, invalid_multipart,
// unsupported_content_type) name none.
//
// Field rules: prompt required, not blank, at most kMaxPromptChars code points; model a string
// (which video model it means is app/video_plan.h's business); seconds a whole number of
// seconds 1..15, sent as a string ("4") or a JSON integer; size `WxH` with W and H in 1..4096.
// input_reference: a multipart file part (a PNG, JPEG or WebP judged by its bytes, at most
// max_image_bytes), a text part or JSON string holding an http(s) URL or a data:image/… base64
// URI, or the SDK's object form ({"image_url": …}; multipart `input_reference[image_url]`);
// `file_id` references are refused (unsupported_parameter). Unknown fields are ignored; a
// multipart scalar sent twice is refused.
#pragma once

#include "http/api_result.h"
#include "openai/image_request.h"

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace g2a::openai {

inline constexpr int kMaxVideoSeconds = 15;

struct VideoCreateRequest {
  std::string prompt;
  std::string model; // as sent; "" when absent
  int seconds = 0;   // 0 when absent
  std::string size;  // as sent ("1280x720"); "" when absent
  // The reference image: bytes view into the body (multipart file) or a URL / data URI.
  std::optional<EditImage> input_reference;
};

struct VideoRemixRequest {
  std::string prompt;
};

// Chooses the variant by content type: multipart/form-data, or application/json (also when
// no type is given); another type → 400 unsupported_content_type.
ApiResult<VideoCreateRequest> parse_video_create(std::string_view content_type,
                                                 std::string_view body, size_t max_image_bytes);
ApiResult<VideoRemixRequest> parse_video_remix(std::string_view content_type,
                                               std::string_view body);

// "WxH" → {W, H} with both in 1..4096; nullopt otherwise.
std::optional<std::pair<int, int>> parse_video_size(std::string_view size);

} // namespace g2a::openai
