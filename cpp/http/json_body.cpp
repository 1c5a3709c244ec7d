// Validates a request body as one JSON object with simdjson's DOM parser (which also
// rejects invalid UTF-8), and words the 400 the way OpenAI clients expect.
#include "http/json_body.h"

#include <simdjson.h>

namespace g2a {

std::optional<ApiError> check_json_object(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return invalid_request("The request body is empty; send a JSON object.", {}, "invalid_json");
  simdjson::dom::parser parser;
  simdjson::padded_string padded(body);
  simdjson::dom::element doc;
  auto err = parser.parse(padded).get(doc);
  if (err)
    return invalid_request(std::string("The request body is not valid JSON: ") +
                               simdjson::error_message(err),
                           {}, "invalid_json");
  if (!doc.is_object())
    return invalid_request("The request body must be a JSON object.", {}, "invalid_json");
  return std::nullopt;
}

} // namespace g2a
