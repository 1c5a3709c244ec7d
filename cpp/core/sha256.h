// SHA-256 and HMAC-SHA-256 computed in the core, for the few places that must sign while a
// stream is being rendered (a synchronous step that cannot wait for a WebCrypto effect): the
// signature of an Anthropic thinking block. Everything else hashes through fx::sha256 /
// fx::hmac_sha256 (WebCrypto in the shim). FIPS 180-4 and RFC 2104; raw 32-byte digests.
#pragma once

#include <string>
#include <string_view>

namespace g2a {

std::string sha256_digest(std::string_view data);
std::string hmac_sha256_digest(std::string_view key, std::string_view data);

} // namespace g2a
