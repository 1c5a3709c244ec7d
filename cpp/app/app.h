// Entry point of the core's application layer: one flow per request handle.
#pragma once

#include "core/context.h"

namespace g2a::app {
// Routes the request held by `cx` and runs it to completion.
Task<void> handle(Ctx &cx);
} // namespace g2a::app
