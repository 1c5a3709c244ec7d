// What the Images and Videos APIs share about a request body that may be JSON or
// multipart/form-data: which of the two the Content-Type names, the parts of a form with
// OpenAI-shaped 400s, and how a form part that carries an image by reference is told apart.
#pragma once

#include "http/api_result.h"
#include "http/multipart.h"

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace g2a::openai {

enum class BodyKind { Json, Multipart, Other };

// multipart/form-data, application/json (or no type at all: JSON), or another type.
BodyKind body_kind(std::string_view content_type);

// The 400 for a Content-Type that is neither JSON nor multipart/form-data.
ApiError unsupported_content_type(std::string_view content_type);

// The parts of a multipart/form-data body (at most max_parts), or the 400 for a Content-Type
// without a valid boundary or a malformed body.
ApiResult<std::vector<FormPart>> form_parts(std::string_view content_type, std::string_view body,
                                            size_t max_parts);
// The same with the boundary known.
ApiResult<std::vector<FormPart>> form_parts_between(std::string_view boundary,
                                                    std::string_view body, size_t max_parts);

// A text part (not a file, not an image's bytes) naming an image by URL or data: URI.
bool is_image_reference(const FormPart &part);

// The 400 for a form field sent twice, when `name` is in `seen` (otherwise it is added).
std::optional<ApiError> check_once(std::vector<std::string> &seen, const std::string &name);

// Parses a body by its Content-Type: json(body) for JSON, form(parts) for multipart/form-data
// (at most max_parts parts), the 400 of form_parts or unsupported_content_type otherwise.
template <class Result, class Json, class Form>
Result json_or_form(std::string_view content_type, std::string_view body, size_t max_parts,
                    Json &&json, Form &&form) {
  switch (body_kind(content_type)) {
  case BodyKind::Multipart: {
    auto parts = form_parts(content_type, body, max_parts);
    if (!parts) return std::move(parts).error();
    return form(parts.value());
  }
  case BodyKind::Json:
    return json(body);
  default:
    return unsupported_content_type(content_type);
  }
}

} // namespace g2a::openai
