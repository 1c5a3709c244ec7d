// What the client is told when Grok could not answer: each upstream Fault's category becomes
// an OpenAI error with the right status, type and code, and, where a human must act (anti-bot,
// Cloudflare challenge), a message naming the fix.
#pragma once

#include "answer/fault.h"
#include "http/response.h"

#include <string_view>

namespace g2a::app {

ApiError upstream_error(const answer::Fault &fault);

} // namespace g2a::app
