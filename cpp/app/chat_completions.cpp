// POST /v1/chat/completions. Foundation stage: the body gate and the honest answer of a
// gateway with no Grok account configured (503, not retryable).
#include "app/v1_routes.h"
#include "http/json_body.h"

namespace g2a::app {

ApiError no_tokens_error() {
  ApiError e;
  e.status = 503;
  e.type = "service_unavailable_error";
  e.message = "No Grok account is configured on this gateway; add sso tokens in the admin.";
  e.code = "no_available_token";
  e.headers = {{"x-should-retry", "false"}};
  return e;
}

Task<void> chat_completions(Ctx &cx, V1Call &call) {
  if (auto err = check_json_object(cx.req.body)) {
    call.fail(cx, *err);
    co_return;
  }
  call.fail(cx, no_tokens_error());
}

Task<void> images_generations(Ctx &cx, V1Call &call) {
  if (auto err = check_json_object(cx.req.body)) {
    call.fail(cx, *err);
    co_return;
  }
  call.fail(cx, no_tokens_error());
}

} // namespace g2a::app
