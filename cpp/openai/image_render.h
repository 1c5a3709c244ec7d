// Images API output: the JSON response of /v1/images/generations and /v1/images/edits, and
// the SSE events of `stream: true` as the openai SDK types them (resources/images.d.ts,
// v6): `image_generation.partial_image` / `image_generation.completed` for generations,
// `image_edit.partial_image` / `image_edit.completed` for edits, each an `event: <type>` line
// plus a `data:` line whose JSON repeats the type. Errors after the stream has started are a
// plain `data: {"error":{…}}` event with no `event:` line (the SDK throws an APIError on it).
// There is no [DONE] terminator. Written with the hot-path escaper (no DOM): base64 bodies
// are large.
//
// Deviation from the contract, by design: when response_format is `url`, the completed event
// carries "url" instead of "b64_json" (OpenAI's GPT image models always stream base64); a
// partial event carries whichever of b64_json / url the image has (imagine previews are
// base64, chat/edit previews are URLs). `index` (which requested image, 0-based) is added to
// both events when the caller passes image_index >= 0, so n > 1 streams can be told apart.
#pragma once

#include "http/api_error.h"

#include <string>
#include <string_view>
#include <vector>

namespace g2a::openai {

struct RenderedImage {
  std::string url;            // set for response_format url
  std::string b64_json;       // set for response_format b64_json (wins when both are set)
  std::string revised_prompt; // omitted when empty
};

struct ImageUsage {
  long long text_tokens = 0;   // prompt text
  long long image_tokens = 0;  // input images (edits)
  long long output_tokens = 0; // generated images
};

// Nominal usage (Grok reports none): estimate_tokens(prompt) text tokens,
// kInputImageTokens per input image, kOutputImageTokens per generated image.
inline constexpr long long kInputImageTokens = 85;
inline constexpr long long kOutputImageTokens = 1056;
ImageUsage image_usage(std::string_view prompt, size_t input_images, size_t output_images);

// Optional top-level/event fields; empty strings are omitted from the response JSON. In
// stream events size/quality/background/output_format are always present (the SDK types
// them as required): empty → "auto", "auto", "auto", "jpeg".
struct ImagesMeta {
  std::string size;                   // e.g. "1024x1024"
  std::string quality;                // e.g. "auto"
  std::string background;             // e.g. "auto" (events only unless set)
  std::string output_format = "jpeg"; // Grok's images are JPEG
};

// {"created","data":[{"url"|"b64_json","revised_prompt"?}…],"size"?,"quality"?,
//  "output_format"?,"usage":{"input_tokens","output_tokens","total_tokens",
//  "input_tokens_details":{"text_tokens","image_tokens"}}}
std::string images_response_json(long long created, const std::vector<RenderedImage> &images,
                                 const ImageUsage &usage, const ImagesMeta &meta = {});

enum class ImageStream { Generation, Edit };

// "event: image_generation.partial_image\ndata: {"type":…,"b64_json"|"url":…,"created_at",
//  "size","quality","background","output_format","partial_image_index":k[,"index"]}\n\n"
std::string image_partial_event(ImageStream kind, const RenderedImage &preview,
                                int partial_image_index, long long created_at,
                                const ImagesMeta &meta = {}, int image_index = -1);
// "event: image_generation.completed\ndata: {"type":…,"b64_json"|"url":…,"created_at",
//  "size","quality","background","output_format"[,"revised_prompt"][,"index"],"usage":{…}}\n\n"
std::string image_completed_event(ImageStream kind, const RenderedImage &image,
                                  long long created_at, const ImageUsage &usage,
                                  const ImagesMeta &meta = {}, int image_index = -1);
// "data: {"error":{message,type,param,code}}\n\n"
std::string image_error_event(const ApiError &e);

} // namespace g2a::openai
