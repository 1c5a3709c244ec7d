// Thinking-block signatures (see thinking_signature.h).
#include "anthropic/thinking_signature.h"

#include "core/bytes.h"
#include "core/sha256.h"

namespace g2a::anthropic {

std::string sign_thinking(std::string_view key, std::string_view thinking) {
  std::string data = "thinking\n";
  data += thinking;
  return "g2a1." + base64_encode(hmac_sha256_digest(key, data), true, false);
}

bool verify_thinking(std::string_view key, std::string_view thinking, std::string_view signature) {
  if (key.empty()) return false;
  std::string want = sign_thinking(key, thinking);
  if (want.size() != signature.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < want.size(); ++i)
    diff |= static_cast<unsigned char>(want[i] ^ signature[i]);
  return diff == 0;
}

} // namespace g2a::anthropic
