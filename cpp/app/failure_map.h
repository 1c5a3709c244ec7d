// What the client is told when Grok could not answer: each upstream Failure category becomes
// an OpenAI error with the right status, type and code, and, where a human must act (anti-bot,
// Cloudflare challenge), a message naming the fix.
#pragma once

#include "answer/events.h"
#include "http/response.h"

#include <string_view>

namespace g2a::app {

ApiError upstream_error(answer::Failure f, std::string_view detail, long long retry_after_s = -1);

} // namespace g2a::app
