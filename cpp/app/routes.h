// The route flows the router dispatches to.
#pragma once

#include "core/context.h"

namespace g2a::app {

Task<void> health(Ctx &cx);    // GET /health
Task<void> v1(Ctx &cx);        // everything under /v1
Task<void> media(Ctx &cx);     // GET/HEAD /images/<id>
Task<void> scheduled(Ctx &cx); // the cron trigger
Task<void> log_aborted(Ctx &cx); // log row for a /v1 request whose core instance trapped

} // namespace g2a::app
