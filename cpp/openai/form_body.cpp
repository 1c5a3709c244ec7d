// JSON-or-multipart request bodies of the Images and Videos APIs (see form_body.h).
#include "openai/form_body.h"

#include "core/data_uri.h"
#include "core/text.h"
#include "openai/image_request.h"
#include "openai/param_reader.h"

namespace g2a::openai {
namespace {

std::string_view media_type(std::string_view content_type) {
  return text::trim(content_type.substr(0, content_type.find(';')));
}

} // namespace

BodyKind body_kind(std::string_view content_type) {
  std::string_view type = media_type(content_type);
  if (text::iequals(type, "multipart/form-data")) return BodyKind::Multipart;
  if (text::iequals(type, "application/json") || type.empty()) return BodyKind::Json;
  return BodyKind::Other;
}

ApiError unsupported_content_type(std::string_view content_type) {
  return invalid_request("Unsupported Content-Type '" +
                             std::string(media_type(content_type).substr(0, 80)) +
                             "': send multipart/form-data or application/json.",
                         {}, "unsupported_content_type");
}

ApiResult<std::vector<FormPart>> form_parts(std::string_view content_type, std::string_view body,
                                            size_t max_parts) {
  auto boundary = multipart_boundary(content_type);
  if (!boundary)
    return invalid_request("The multipart/form-data Content-Type has no valid boundary.", {},
                           "invalid_multipart");
  return form_parts_between(*boundary, body, max_parts);
}

ApiResult<std::vector<FormPart>> form_parts_between(std::string_view boundary,
                                                    std::string_view body, size_t max_parts) {
  auto parsed = parse_multipart(body, boundary, max_parts);
  if (const auto *e = parsed.error_if())
    return invalid_request("We could not parse the multipart body of your request: " + *e + ".", {},
                           "invalid_multipart");
  return std::move(parsed).value();
}

bool is_image_reference(const FormPart &part) {
  std::string_view t = text::trim(part.data);
  return !part.is_file && sniff_edit_image(part.data).empty() &&
         (t.find("://") != std::string_view::npos || is_data_uri(t));
}

std::optional<ApiError> check_once(std::vector<std::string> &seen, const std::string &name) {
  for (const auto &s : seen)
    if (s == name) return bad_value_param(name, "the field was sent more than once.");
  seen.push_back(name);
  return std::nullopt;
}

} // namespace g2a::openai
