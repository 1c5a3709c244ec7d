// The /v1 route table: path patterns, methods, whether the body is read, and the flows.
#pragma once

#include "app/v1_call.h"
#include "core/context.h"
#include "http/response.h"

#include <string_view>

namespace g2a::app {

using V1Flow = Task<void> (*)(Ctx &, V1Call &);

struct V1Route {
  std::string_view name;   // stable name for logs
  std::string_view method; // GET, POST or DELETE
  std::string_view path;   // exact path, or prefix ending in '/' when `prefix` is true
  bool prefix;
  bool reads_body;
  V1Flow run;
  ErrorDialect dialect = ErrorDialect::OpenAI; // how this route's errors are written
};

// The route for `path` whose method is `method` (HEAD counts as GET); without such a route, the
// first one for the path (the dispatcher answers 405), and nullptr when no route has the path.
const V1Route *find_v1_route(std::string_view path, std::string_view method = {});
// The dialect for a request no route matched: Anthropic's when the client says it speaks it
// (an anthropic-version header) or the path is under /v1/messages, else OpenAI's.
ErrorDialect dialect_for_unrouted(const Request &req);

// Flows (one file each).
Task<void> chat_completions(Ctx &cx, V1Call &call);
Task<void> models_list(Ctx &cx, V1Call &call);
Task<void> models_get(Ctx &cx, V1Call &call);
Task<void> images_generations(Ctx &cx, V1Call &call);
Task<void> images_edits(Ctx &cx, V1Call &call);
Task<void> images_method(Ctx &cx, V1Call &call);
Task<void> messages_create(Ctx &cx, V1Call &call);       // POST /v1/messages
Task<void> messages_count_tokens(Ctx &cx, V1Call &call); // POST /v1/messages/count_tokens
Task<void> responses_create(Ctx &cx, V1Call &call);
Task<void> responses_get(Ctx &cx, V1Call &call); // also …/{id}/input_items
Task<void> responses_delete(Ctx &cx, V1Call &call);
Task<void> videos_create(Ctx &cx, V1Call &call); // POST /v1/videos
Task<void> videos_list(Ctx &cx, V1Call &call);   // GET /v1/videos
Task<void> videos_get(Ctx &cx, V1Call &call);    // GET /v1/videos/{id}[/content]
Task<void> videos_delete(Ctx &cx, V1Call &call); // DELETE /v1/videos/{id}
Task<void> videos_remix(Ctx &cx, V1Call &call);  // POST /v1/videos/{id}/remix

} // namespace g2a::app
