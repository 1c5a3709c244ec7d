// Top-level routing: scheduled events, /health, the OpenAI surface under /v1, and a JSON
// 404 for anything else the static assets did not serve. Also logs requests whose handle
// died in a trap (kind "aborted", replayed by the shim on a fresh instance), and runs video
// jobs for their Durable Object (kind "video_job").
#include "worker/router.h"
#include "admin/admin.h"
#include "app/routes.h"
#include "http/response.h"

namespace g2a::app {

Task<void> handle(Ctx &cx) {
  if (cx.req.kind == "scheduled") {
    co_await scheduled(cx);
    co_return;
  }
  if (cx.req.kind == "aborted") {
    co_await log_aborted(cx);
    co_return;
  }
  if (cx.req.kind == "video_job") {
    co_await run_video_job(cx);
    co_return;
  }
  const std::string &path = cx.req.path;
  if (cx.req.var("G2A_TEST_HOOKS") == "1" && cx.req.header("x-g2a-test-trap")) {
    // Lets the Worker tests prove that a trapped instance does not poison later requests.
    __builtin_trap();
  }
  if (path == "/health") {
    co_await health(cx);
    co_return;
  }
  if (path.rfind("/images/", 0) == 0) {
    co_await media(cx);
    co_return;
  }
  if (path.rfind("/api/admin/", 0) == 0) {
    co_await admin::handle(cx);
    co_return;
  }
  if (path == "/v1" || path.rfind("/v1/", 0) == 0) {
    co_await v1(cx);
    co_return;
  }
  ApiError e{.status = 404, .type = "not_found", .message = "Not found", .code = "not_found"};
  respond_error(cx, e);
}

} // namespace g2a::app
