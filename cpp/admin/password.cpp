// PBKDF2 through effects, constant-time comparison, password rules.
#include "admin/password.h"
#include "core/text.h"

#include "core/bytes.h"

#include <algorithm>

namespace g2a::admin {

bool ct_equal(std::string_view a, std::string_view b) {
  unsigned diff = a.size() == b.size() ? 0u : 1u;
  size_t n = std::max(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    unsigned x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0u;
    unsigned y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0u;
    diff |= x ^ y;
  }
  return diff == 0;
}

std::optional<std::string> password_policy_error(std::string_view username,
                                                 std::string_view candidate) {
  if (text::code_points(candidate) < 10)
    return "The new password must be at least 10 characters long.";
  if (candidate.size() > 256) return "The new password must be at most 256 bytes long.";
  for (unsigned char c : candidate)
    if (c < 0x20 || c == 0x7f) return "The new password must not contain control characters.";
  std::string l = text::lower(candidate);
  if (l == text::lower(username)) return "The new password must not be the username.";
  if (l == "admin") return "The new password must not be \"admin\".";
  return std::nullopt;
}

Task<std::string> pbkdf2_b64(Ctx &cx, std::string_view password, std::string_view salt_b64,
                             int iterations) {
  auto res = co_await cx.run({fx::pbkdf2_sha256(password, salt_b64, iterations, 256)});
  const auto r = fx::CryptoResult::of(fx::result_at(res));
  co_return r.ok ? std::string(r.b64) : std::string();
}

Task<bool> verify_password(Ctx &cx, const StoredPassword *stored, std::string_view password) {
  static const StoredPassword dummy{"", "AAAAAAAAAAAAAAAAAAAAAA==", kPbkdf2Iterations};
  const StoredPassword &p = stored ? *stored : dummy;
  int iterations = p.iterations;
  bool usable = stored && iterations >= 1 && iterations <= kPbkdf2MaxIterations &&
                !p.hash_b64.empty() && !p.salt_b64.empty();
  if (!usable) iterations = kPbkdf2Iterations;
  std::string got =
      co_await pbkdf2_b64(cx, password, usable ? p.salt_b64 : dummy.salt_b64, iterations);
  bool equal = ct_equal(got, p.hash_b64);
  co_return usable && !got.empty() && equal;
}

Task<std::optional<StoredPassword>> hash_password(Ctx &cx, std::string_view password) {
  std::string salt = co_await cx.random(16);
  if (salt.size() != 16) co_return std::nullopt;
  StoredPassword p;
  p.salt_b64 = base64_encode(salt);
  p.iterations = kPbkdf2Iterations;
  p.hash_b64 = co_await pbkdf2_b64(cx, password, p.salt_b64, p.iterations);
  if (p.hash_b64.empty()) co_return std::nullopt;
  co_return p;
}

} // namespace g2a::admin
