// The request log row: built from a finished V1Call (pure), written by the /v1 pipeline.
#pragma once

#include "app/v1_call.h"
#include "core/context.h"

namespace g2a::app {

// The status a log row records: 499 when the client left, else what was sent.
int logged_status(const Ctx &cx, const V1Call &call);
fx::Stmt request_log_insert(const Ctx &cx, const V1Call &call);

} // namespace g2a::app
