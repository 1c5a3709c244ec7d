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
  ApiError e;
  e.status = 400;
  e.type = "invalid_request_error";
  e.message = std::move(message);
  e.param = std::move(param);
  e.code = std::move(code);
  return e;
}

ApiError not_found_route(std::string_view method, std::string_view path) {
  ApiError e;
  e.status = 404;
  e.type = "invalid_request_error";
  e.message = "Invalid URL (" + std::string(method) + " " + std::string(path) + ")";
  e.code = "unknown_url";
  return e;
}

ApiError model_not_found(std::string_view model, std::string_view what) {
  ApiError e;
  e.status = 404;
  e.type = "invalid_request_error";
  e.param = "model";
  e.code = "model_not_found";
  e.message = "The model '" + std::string(model) + "' does not exist" +
              (what.empty() ? std::string(" or you do not have access to it.")
                            : " or is not " + std::string(what) + ".");
  return e;
}

ApiError method_not_allowed(std::string_view message, std::string_view allow) {
  ApiError e;
  e.status = 405;
  e.type = "invalid_request_error";
  e.code = "method_not_allowed";
  e.message = std::string(message);
  e.headers = {{"allow", std::string(allow)}};
  return e;
}

ApiError storage_unavailable() {
  ApiError e;
  e.status = 503;
  e.type = "service_unavailable_error";
  e.code = "storage_unavailable";
  e.message = "The gateway's database is unavailable; retry shortly.";
  return e;
}

} // namespace g2a
