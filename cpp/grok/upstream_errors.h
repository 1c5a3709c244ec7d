// Classifies upstream failures (HTTP status + body, WebSocket refusals, in-band error
// messages) into the Failure categories the token pool and the error mapping act on.
#pragma once

#include "grok/neutral.h"

#include <string_view>

namespace g2a::grok {

// A non-2xx HTTP answer (REST call or refused WebSocket handshake).
Failure classify_http_failure(int status, std::string_view content_type, std::string_view body);
// An in-band error message (NDJSON `error.message`, mgw `stream_error`, imagine `err_code`).
Failure classify_error_message(std::string_view message, std::string_view code = {});

} // namespace g2a::grok
