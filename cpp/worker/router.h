// The top of the core: routes one request handle to its flow (worker/router.cpp).
#pragma once

#include "core/context.h"

namespace g2a::app {
// Routes the request held by `cx` and runs it to completion.
Task<void> handle(Ctx &cx);
} // namespace g2a::app
