// The route flows the router dispatches to.
#pragma once

#include "core/context.h"

namespace g2a::app {

Task<void> health(Ctx &cx);    // GET /health
Task<void> v1(Ctx &cx);        // everything under /v1
Task<void> media(Ctx &cx);     // GET/HEAD /images/<id>
Task<void> scheduled(Ctx &cx); // the cron trigger
Task<void> log_aborted(Ctx &cx); // log row for a /v1 request whose core instance trapped
// A video job, for its Durable Object (video_runner.cpp).
Task<void> run_video_job(Ctx &cx);
// Serves the media row `id` (a valid minted id) as GET/HEAD /images/<id> does: D1 lookup, KV
// cache, upstream fetch with the owning account's cookie, Range (media_route.cpp).
Task<void> serve_media(Ctx &cx, std::string id);

} // namespace g2a::app
