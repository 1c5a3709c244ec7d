// Images API requests: `POST /v1/images/generations` (JSON) and `POST /v1/images/edits`
// (multipart/form-data as the OpenAI SDKs send it, or JSON with image URLs / data URIs),
// parsed and validated into plain structs. Every refusal is an OpenAI-shaped 400 naming the
// parameter (`prompt`, `n`, `size`, `response_format`, `image`, `image[2]`, `images[1]`,
// `mask`) with one of the codes missing_required_parameter, invalid_type, invalid_value,
// invalid_image, too_many_images, unsupported_parameter (JSON `file_id` references). Body-level
// refusals name no parameter: invalid_json, invalid_multipart (bad boundary, truncated or
// malformed multipart), unsupported_content_type.
//
// Field rules: prompt required, not blank, at most kMaxPromptChars code points; n an integer
// 1..10; response_format url | b64_json; size `auto`, `WxH` (W and H in 256..4096) or a bare
// ratio `a:b` (positive numbers, e.g. `16:9`, `19.5:9`); quality standard|hd|low|medium|high|
// auto; style vivid|natural; stream a boolean; partial_images an integer 0..3. Other OpenAI
// fields (background, moderation, output_format, output_compression, input_fidelity, …) and
// unknown fields are accepted and ignored. In multipart bodies every value is text: n="2",
// stream="true"/"false" (also "1"/"0"); a scalar field sent twice is refused.
//
// Edit images: parts named `image`, `image[]` or `image[<k>]` (repeats allowed), 1..16, each
// a PNG, JPEG or WebP judged by its magic bytes (the declared type and filename are not
// trusted), not empty, at most max_image_bytes (a text part without a filename holding a URL
// or data URI is taken as a reference, like the JSON variant). The JSON variant takes `images` (an
// array of strings, {"image_url":"…"}, {"image_url":{"url":"…"}} or {"url":"…"}) and/or `image`
// (one such value or an array of them); each must be an http(s) URL or a data:image/… base64 URI
// (data URIs are checked for magic bytes and size here; URLs are fetched and checked by the
// caller). An optional `mask` follows the same rules. Each image's `param` (for its 400s now
// and the caller's later ones) is `image` for a first part named `image`, else `image[k]` (k =
// its 0-based position among the images); in JSON `images[k]`, `image` or `image[k]`.
#pragma once

#include "http/api_result.h"

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace g2a::openai {

inline constexpr size_t kMaxPromptChars = 32000;
inline constexpr int kMaxImagesPerRequest = 10; // n
inline constexpr size_t kMaxEditImages = 16;

struct ImageGenRequest {
  std::string prompt, model, size, quality, response_format = "url", style, user;
  int n = 1;
  bool stream = false;
  int partial_images = 0;
  bool has_response_format = false; // the client chose response_format (else a setting may)
};

struct EditImage {
  // Exactly one of `bytes` (a multipart file: a view into the request body, which must
  // outlive the request struct) and `url` (JSON variant: an http(s) URL or a data: URI, left
  // for the caller to fetch/decode) is set.
  std::string_view bytes;
  std::string url;
  std::string filename;     // as sent (multipart), "" otherwise
  std::string content_type; // sniffed from the bytes: image/png | image/jpeg | image/webp;
                            // for a data: URI sniffed from its decoded head; "" for a URL
  std::string param;        // the parameter to name in a later 400 (e.g. "image[1]")
};

struct ImageEditRequest : ImageGenRequest {
  std::vector<EditImage> images;
  std::optional<EditImage> mask;
};

ApiResult<ImageGenRequest> parse_image_generation(std::string_view body);

// Chooses the variant by content type: multipart/form-data or application/json (a missing or
// other type → 400 invalid_request_error naming neither).
ApiResult<ImageEditRequest> parse_image_edit(std::string_view content_type, std::string_view body,
                                             size_t max_image_bytes);
ApiResult<ImageEditRequest> parse_image_edit_multipart(std::string_view body,
                                                       std::string_view boundary,
                                                       size_t max_image_bytes);
ApiResult<ImageEditRequest> parse_image_edit_json(std::string_view body, size_t max_image_bytes);

// "image/png" | "image/jpeg" | "image/webp" from the magic bytes, "" otherwise.
std::string_view sniff_edit_image(std::string_view bytes);

// The checks an edit image gets, for other parsers taking one image (the Videos API's
// input_reference): a reference (http(s) URL or data:image/… base64 URI) or file bytes.
ApiResult<EditImage> check_image_reference(std::string_view url, const std::string &param,
                                           size_t max_bytes);
ApiResult<EditImage> check_image_file(std::string_view bytes, const std::string &param,
                                      size_t max_bytes);

// Grok aspect ratio for an OpenAI `size`. A ratio of the imagine list of reference §2.8
// (1:1, 16:9, 9:16, 4:3, 3:4, 3:2, 2:3, 2:1, 1:2, 19.5:9, 9:19.5, 20:9, 9:20) is returned as
// is; "", "auto" → 1:1; the seed's sizes keep their mapping (1024x1024, 512x512 → 1:1;
// 1024x576, 1280x720, 1536x864, 1792x1024 → 16:9; their transposes → 9:16; 1024x1536,
// 512x768 → 2:3; 1536x1024, 768x512 → 3:2), except that 768x1024 / 1024x768 now give the
// exact 3:4 / 4:3 (the seed predates those ratios and said 2:3 / 3:2). Any other WxH or a:b →
// the supported ratio nearest by value (distance in log space); unparseable → 1:1.
std::string aspect_ratio_for(std::string_view size);

} // namespace g2a::openai
