// x-statsig-id, Grok's anti-bot header (reference §2.4), as pure functions around the
// SHA-256 the caller obtains from WebCrypto:
//   t = statsig_time(now);  input = statsig_digest_input(method, path, t, key);
//   digest = sha256(input) (an effect);  value = statsig_assemble(seed, t, digest, rand_byte).
// Also the animation key `l` derived from (seed, curves, indices) and the scraping of the
// seed and curves from the Grok home page. Implemented in statsig.cpp (header bytes),
// statsig_key.cpp (animation key) and statsig_page.cpp (page scraping).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace g2a::grok {

inline constexpr long long kStatsigEpochSeconds = 1682924400; // 2023-05-01T07:00:00Z
inline constexpr std::string_view kStatsigSalt = "obfiowerehiring";

// floor(now_s - epoch) as the generator's Uint32 (0 before the epoch).
uint32_t statsig_time(long long now_ms);

// METHOD (upper-cased) "!" path "!" t "obfiowerehiring" key. `path` may be a whole URL: only
// its path is used (no scheme, host, query or fragment); an empty path counts as "/".
std::string statsig_digest_input(std::string_view method, std::string_view path, uint32_t t,
                                 std::string_view animation_key);

// base64 (standard alphabet, no padding) of the 70 bytes
//   [x] + seed(48) + t(u32 LE) + digest[0..16) + [0x03], every byte after the first XOR x.
// nullopt when the seed is not 48 bytes or the digest is shorter than 16 bytes.
std::optional<std::string> statsig_assemble(std::string_view seed48, uint32_t t,
                                            std::string_view sha256_digest32, uint8_t xor_byte);

// True when the value is unpadded (or padded) standard base64 of 70 bytes whose last byte,
// XOR the first, is 0x03 — the shape of a generated header (used to check a manual value).
bool statsig_looks_valid(std::string_view header_value);

// ---- animation key (statsig_key.cpp) -----------------------------------------------------

struct Curve {
  int color[6]; // from RGB, to RGB
  int deg;      // rotation byte
  int bezier[4];
};
struct StatsigIndices {
  int group;
  int segment;
  int ct[3];
};

// How the per-curve numbers are rounded before formatting.
//  Reference: reference §2.4 step 4 literally (and tests/fake-grok): bezier control points
//             unrounded, each of [r,g,b,cos,sin,-sin,cos,0,0] rounded with
//             Math.round(v*100)/100.
//  Browser:   what Chrome's getComputedStyle yields for grok's real generator: the easing
//             string carries toFixed(2) control points, colours are whole channels clamped to
//             0..255, and every number is Number(v.toFixed(2)).
enum class AnimationFlavor { Reference, Browser };

// The animation key `l` (a.k.a. HEX). curves = 4 groups of 16. nullopt when the seed is not
// 48 bytes, an index is outside the seed, or there are not exactly 4 groups.
std::optional<std::string> animation_key(std::string_view seed48,
                                         const std::vector<std::array<Curve, 16>> &curves,
                                         const StatsigIndices &indices,
                                         AnimationFlavor flavor = AnimationFlavor::Reference);

// Building blocks, exposed for tests.
// JavaScript Number.prototype.toString(16) (V8's DoubleToRadixCString).
std::string js_number_to_hex(double value);
// JavaScript Math.round (ties toward +infinity).
double js_math_round(double value);
// JavaScript Number(value.toFixed(2)) for |value| < 1e21.
double js_to_fixed2(double value);
// CSS cubic-bezier(x1, y1, x2, y2) at progress x: WebKit's UnitBezier (Newton's method from
// t = x, then bisection), epsilon 1e-7; outside [0, 1] the end tangents extend the curve.
double cubic_bezier_ease(double x1, double y1, double x2, double y2, double x);

// ---- page scraping (statsig_page.cpp) ----------------------------------------------------

// Content of <meta name="grok-site-verification" content="…"> (any attribute order, quotes
// or case), also when the tag only appears JSON-escaped in an RSC payload.
std::optional<std::string> extract_site_verification(std::string_view html);

// The first 4×16 table of {color:[6 ints], deg:int, bezier:[4 ints]} entries, in plain JSON,
// as a JS literal, or JSON-escaped inside a string (\"color\"); key order is free.
std::optional<std::vector<std::array<Curve, 16>>> extract_curves(std::string_view html);

} // namespace g2a::grok
