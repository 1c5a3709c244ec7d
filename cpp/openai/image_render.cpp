// Images API JSON and SSE output (see image_render.h), written with the hot-path escaper.
#include "openai/image_render.h"

#include "openai/json_escape.h"
#include "openai/usage.h"

namespace g2a::openai {
namespace {

void key(std::string &out, std::string_view k) {
  out += '"';
  out += k;
  out += "\":";
}

void str_field(std::string &out, std::string_view k, std::string_view v) {
  key(out, k);
  append_json_string(out, v);
  out += ',';
}

void int_field(std::string &out, std::string_view k, long long v) {
  key(out, k);
  out += std::to_string(v);
  out += ',';
}

void close_object(std::string &out) {
  if (!out.empty() && out.back() == ',') out.pop_back();
  out += '}';
}

void usage_object(std::string &out, const ImageUsage &u) {
  long long input = u.text_tokens + u.image_tokens;
  out += "{\"input_tokens\":" + std::to_string(input) +
         ",\"output_tokens\":" + std::to_string(u.output_tokens) +
         ",\"total_tokens\":" + std::to_string(input + u.output_tokens) +
         ",\"input_tokens_details\":{\"text_tokens\":" + std::to_string(u.text_tokens) +
         ",\"image_tokens\":" + std::to_string(u.image_tokens) + "}}";
}

// "b64_json" wins when both are set; an image with neither gets "url":"".
void image_payload(std::string &out, const RenderedImage &img) {
  if (!img.b64_json.empty())
    str_field(out, "b64_json", img.b64_json);
  else
    str_field(out, "url", img.url);
}

std::string_view or_default(const std::string &v, std::string_view fallback) {
  return v.empty() ? fallback : std::string_view(v);
}

void event_settings(std::string &out, const ImagesMeta &m) {
  str_field(out, "size", or_default(m.size, "auto"));
  str_field(out, "quality", or_default(m.quality, "auto"));
  str_field(out, "background", or_default(m.background, "auto"));
  str_field(out, "output_format", or_default(m.output_format, "jpeg"));
}

std::string event_head(std::string_view type) {
  std::string out = "event: ";
  out += type;
  out += "\ndata: {\"type\":\"";
  out += type;
  out += "\",";
  return out;
}

} // namespace

ImageUsage image_usage(std::string_view prompt, size_t input_images, size_t output_images) {
  ImageUsage u;
  u.text_tokens = estimate_tokens(prompt);
  u.image_tokens = static_cast<long long>(input_images) * kInputImageTokens;
  u.output_tokens = static_cast<long long>(output_images) * kOutputImageTokens;
  return u;
}

std::string images_response_json(long long created, const std::vector<RenderedImage> &images,
                                 const ImageUsage &usage, const ImagesMeta &meta) {
  size_t reserve = 256;
  for (const auto &img : images)
    reserve += img.b64_json.size() + img.url.size() + img.revised_prompt.size() + 64;
  std::string out;
  out.reserve(reserve);
  out += '{';
  int_field(out, "created", created);
  out += "\"data\":[";
  for (size_t i = 0; i < images.size(); ++i) {
    if (i) out += ',';
    out += '{';
    image_payload(out, images[i]);
    if (!images[i].revised_prompt.empty())
      str_field(out, "revised_prompt", images[i].revised_prompt);
    close_object(out);
  }
  out += "],";
  if (!meta.background.empty()) str_field(out, "background", meta.background);
  if (!meta.output_format.empty()) str_field(out, "output_format", meta.output_format);
  if (!meta.quality.empty()) str_field(out, "quality", meta.quality);
  if (!meta.size.empty()) str_field(out, "size", meta.size);
  key(out, "usage");
  usage_object(out, usage);
  out += '}';
  return out;
}

std::string image_partial_event(ImageStream kind, const RenderedImage &preview,
                                int partial_image_index, long long created_at,
                                const ImagesMeta &meta, int image_index) {
  std::string out = event_head(kind == ImageStream::Generation ? "image_generation.partial_image"
                                                               : "image_edit.partial_image");
  out.reserve(out.size() + preview.b64_json.size() + preview.url.size() + 200);
  image_payload(out, preview);
  int_field(out, "created_at", created_at);
  event_settings(out, meta);
  int_field(out, "partial_image_index", partial_image_index);
  if (image_index >= 0) int_field(out, "index", image_index);
  close_object(out);
  out += "\n\n";
  return out;
}

std::string image_completed_event(ImageStream kind, const RenderedImage &image,
                                  long long created_at, const ImageUsage &usage,
                                  const ImagesMeta &meta, int image_index) {
  std::string out = event_head(kind == ImageStream::Generation ? "image_generation.completed"
                                                               : "image_edit.completed");
  out.reserve(out.size() + image.b64_json.size() + image.url.size() + 300);
  image_payload(out, image);
  int_field(out, "created_at", created_at);
  event_settings(out, meta);
  if (!image.revised_prompt.empty()) str_field(out, "revised_prompt", image.revised_prompt);
  if (image_index >= 0) int_field(out, "index", image_index);
  key(out, "usage");
  usage_object(out, usage);
  out += "}\n\n";
  return out;
}

std::string image_error_event(const ApiError &e) {
  return error_sse_event(e);
}

} // namespace g2a::openai
