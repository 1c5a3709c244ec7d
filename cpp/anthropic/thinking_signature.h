// The `signature` of a thinking block the gateway returns: an HMAC-SHA-256 of the thinking text
// under a server secret (setting `thinking_signing_key`, never returned), so that a thinking
// block a client sends back can be checked as one this gateway produced, as Anthropic checks
// its own. Form: "g2a1." + base64url(HMAC(key, "thinking\n" + text)), no padding.
#pragma once

#include <string>
#include <string_view>

namespace g2a::anthropic {

std::string sign_thinking(std::string_view key, std::string_view thinking);
// Constant-time comparison against the expected signature; false with an empty key.
bool verify_thinking(std::string_view key, std::string_view thinking, std::string_view signature);

} // namespace g2a::anthropic
