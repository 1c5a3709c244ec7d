// Admin passwords: PBKDF2-SHA256 through the runtime's WebCrypto (the crypto effect), 100,000
// iterations (the Workers maximum), a 16-byte random salt per hash, the iteration count stored
// beside the hash; constant-time comparison; and the rules a new password must meet.
#pragma once

#include "core/context.h"

#include <optional>
#include <string>
#include <string_view>

namespace g2a::admin {

inline constexpr int kPbkdf2Iterations = 100000;
inline constexpr int kPbkdf2MaxIterations = 100000; // WebCrypto in Workers refuses more

struct StoredPassword {
  std::string hash_b64; // standard base64 of 32 bytes
  std::string salt_b64; // standard base64 of 16 bytes
  int iterations = kPbkdf2Iterations;
};

// Equality that takes the same time whatever the contents (it still depends on the lengths).
bool ct_equal(std::string_view a, std::string_view b);

// nullopt when `candidate` may become `username`'s new password; else why not.
std::optional<std::string> password_policy_error(std::string_view username,
                                                 std::string_view candidate);

// Derives the PBKDF2 hash (base64) of `password`; "" when the runtime refused.
Task<std::string> pbkdf2_b64(Ctx &cx, std::string_view password, std::string_view salt_b64,
                             int iterations);
// Checks `password` against a stored hash. With `stored` == nullptr (unknown user) it still
// spends the same work on a dummy hash and answers false.
Task<bool> verify_password(Ctx &cx, const StoredPassword *stored, std::string_view password);
// A fresh salt and hash for a new password; nullopt when the runtime refused.
Task<std::optional<StoredPassword>> hash_password(Ctx &cx, std::string_view password);

} // namespace g2a::admin
