// V1Call helpers.
#include "app/v1_call.h"

namespace g2a::app {

Headers V1Call::headers() const {
  Headers h = cors_headers();
  h.emplace_back("x-request-id", id);
  // Anthropic's SDKs read the request id from `request-id` (message._request_id, errors).
  if (dialect == ErrorDialect::Anthropic) h.emplace_back("request-id", id);
  return h;
}

void V1Call::fail(Ctx &cx, ApiError e) {
  error_code = e.code.empty() ? e.type : e.code;
  error_message = e.detail.empty() ? e.message : e.message + " [" + e.detail + "]";
  for (auto &kv : headers()) e.headers.push_back(kv);
  respond_error(cx, e, dialect, id);
}

} // namespace g2a::app
