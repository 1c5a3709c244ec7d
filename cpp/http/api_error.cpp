// ApiError constructors and the OpenAI error shape.
#include "http/api_error.h"

namespace g2a {

json error_body(const ApiError &e) {
  return json{{"error",
               {{"message", e.message},
                {"type", e.type},
                {"param", e.param.empty() ? json(nullptr) : json(e.param)},
                {"code", e.code.empty() ? json(nullptr) : json(e.code)}}}};
}

std::string error_sse_event(const ApiError &e) {
  std::string s = "data: ";
  s += dump(error_body(e));
  s += "\n\n";
  return s;
}

ApiError invalid_request(std::string message, std::string param, std::string code) {
  return ApiError{.status = 400,
                  .type = "invalid_request_error",
                  .message = std::move(message),
                  .param = std::move(param),
                  .code = std::move(code)};
}

ApiError not_found_route(std::string_view method, std::string_view path) {
  return ApiError{.status = 404,
                  .type = "invalid_request_error",
                  .message = "Invalid URL (" + std::string(method) + " " + std::string(path) + ")",
                  .code = "unknown_url"};
}

ApiError model_not_found(std::string_view model, std::string_view what) {
  return ApiError{.status = 404,
                  .type = "invalid_request_error",
                  .message = "The model '" + std::string(model) + "' does not exist" +
                             (what.empty() ? std::string(" or you do not have access to it.")
                                           : " or is not " + std::string(what) + "."),
                  .param = "model",
                  .code = "model_not_found"};
}

ApiError method_not_allowed(std::string_view message, std::string_view allow) {
  return ApiError{.status = 405,
                  .type = "invalid_request_error",
                  .message = std::string(message),
                  .code = "method_not_allowed",
                  .headers = {{"allow", std::string(allow)}}};
}

ApiError storage_unavailable() {
  return ApiError{.status = 503,
                  .type = "service_unavailable_error",
                  .message = "The gateway's database is unavailable; retry shortly.",
                  .code = "storage_unavailable"};
}

} // namespace g2a
