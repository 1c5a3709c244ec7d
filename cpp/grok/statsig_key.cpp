// The statsig animation key `l` (reference §2.4 steps 1–4): pick a curve with the seed,
// ease the animation time with a CSS cubic-bezier, interpolate colour and rotation, and
// print [r, g, b, cos, sin, -sin, cos, 0, 0] the way JavaScript's toString(16) does.
// Every floating-point step mirrors the JavaScript order of operations so that the result is
// bit-for-bit what a browser (or the fake upstream) computes.
#include "grok/statsig.h"

#include <algorithm>
#include <cmath>

// A fused multiply-add would change results relative to JavaScript.
#pragma clang fp contract(off)

namespace g2a::grok {

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

int hex_value(char c) {
  return c >= 'a' ? c - 'a' + 10 : c - '0';
}

} // namespace

// V8's DoubleToRadixCString for radix 16: fractional digits only up to the precision of the
// double (delta = half the gap to the next double), rounding to even with carry-over.
std::string js_number_to_hex(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value < 0 ? "-Infinity" : "Infinity";
  bool negative = value < 0;
  if (negative) value = -value;

  double integer = std::floor(value);
  double fraction = value - integer;
  double delta = 0.5 * (std::nextafter(value, INFINITY) - value);
  delta = std::max(std::nextafter(0.0, 1.0), delta);
  std::string frac;
  if (fraction >= delta) {
    do {
      fraction *= 16;
      delta *= 16;
      int digit = static_cast<int>(fraction);
      frac.push_back(kHexDigits[digit]);
      fraction -= digit;
      if (fraction > 0.5 || (fraction == 0.5 && (digit & 1))) {
        if (fraction + delta > 1) {
          // Round up, carrying through trailing 'f' digits into the integer part if need be.
          for (;;) {
            if (frac.empty()) {
              integer += 1;
              break;
            }
            int d = hex_value(frac.back());
            frac.pop_back();
            if (d + 1 < 16) {
              frac.push_back(kHexDigits[d + 1]);
              break;
            }
          }
          break;
        }
      }
    } while (fraction >= delta);
  }

  // Integer digits; the ones below the double's precision are printed as '0'.
  std::string digits;
  while (integer / 16 >= 9007199254740992.0) { // Double(integer / 16).Exponent() > 0
    integer /= 16;
    digits.push_back('0');
  }
  do {
    double remainder = std::fmod(integer, 16.0);
    digits.push_back(kHexDigits[static_cast<int>(remainder)]);
    integer = (integer - remainder) / 16;
  } while (integer > 0);
  if (negative) digits.push_back('-');
  std::reverse(digits.begin(), digits.end());
  if (!frac.empty()) {
    digits.push_back('.');
    digits.append(frac);
  }
  return digits;
}

double js_math_round(double value) {
  if (!std::isfinite(value) || value == 0) return value;
  double f = std::floor(value);
  double r = (value - f >= 0.5) ? f + 1 : f;
  return (r == 0 && value < 0) ? -0.0 : r;
}

// toFixed(2) picks the n for which n / 100 - x is closest to zero, the larger n on a tie, on
// the exact value of x; fma gives the exact sign of |x| * 100 - (n + 0.5).
double js_to_fixed2(double value) {
  if (!std::isfinite(value) || std::fabs(value) >= 1e21) return value;
  bool negative = value < 0; // toFixed(-0) is "0.00"
  double a = std::fabs(value);
  double n = std::floor(a * 100);
  while (n > 0 && std::fma(a, 100.0, -n) < 0) n -= 1; // the product rounded up to n
  while (std::fma(a, 100.0, -(n + 1)) >= 0) n += 1;   // the product rounded down below n
  if (std::fma(a, 100.0, -(n + 0.5)) >= 0) n += 1;
  double v = n / 100;
  return negative ? -v : v;
}

namespace {

// WebKit's UnitBezier: the curve through (0,0), (x1,y1), (x2,y2), (1,1).
struct UnitBezier {
  double ax, bx, cx, ay, by, cy;
  double start_gradient, end_gradient;

  UnitBezier(double p1x, double p1y, double p2x, double p2y) {
    cx = 3.0 * p1x;
    bx = 3.0 * (p2x - p1x) - cx;
    ax = 1.0 - cx - bx;
    cy = 3.0 * p1y;
    by = 3.0 * (p2y - p1y) - cy;
    ay = 1.0 - cy - by;
    if (p1x > 0)
      start_gradient = p1y / p1x;
    else if (!p1y && p2x > 0)
      start_gradient = p2y / p2x;
    else if (!p1y && !p2y)
      start_gradient = 1;
    else
      start_gradient = 0;
    if (p2x < 1)
      end_gradient = (p2y - 1) / (p2x - 1);
    else if (p2y == 1 && p1x < 1)
      end_gradient = (p1y - 1) / (p1x - 1);
    else if (p2y == 1 && p1y == 1)
      end_gradient = 1;
    else
      end_gradient = 0;
  }

  double sample_x(double t) const { return ((ax * t + bx) * t + cx) * t; }
  double sample_y(double t) const { return ((ay * t + by) * t + cy) * t; }
  double sample_dx(double t) const { return (3.0 * ax * t + 2.0 * bx) * t + cx; }

  double solve_curve_x(double x, double epsilon) const {
    double t2 = x;
    for (int i = 0; i < 8; ++i) { // Newton's method: normally very fast
      double x2 = sample_x(t2) - x;
      if (std::fabs(x2) < epsilon) return t2;
      double d2 = sample_dx(t2);
      if (std::fabs(d2) < 1e-6) break;
      t2 = t2 - x2 / d2;
    }
    double t0 = 0.0, t1 = 1.0; // bisection for reliability
    t2 = x;
    if (t2 < t0) return t0;
    if (t2 > t1) return t1;
    for (int i = 0; t0 < t1 && i < 200; ++i) {
      double x2 = sample_x(t2);
      if (std::fabs(x2 - x) < epsilon) return t2;
      if (x > x2)
        t0 = t2;
      else
        t1 = t2;
      t2 = (t1 - t0) * 0.5 + t0;
      if (t1 - t0 < 1e-12) break;
    }
    return t2;
  }

  double solve(double x, double epsilon) const {
    if (x < 0.0) return 0.0 + start_gradient * x;
    if (x > 1.0) return 1.0 + end_gradient * (x - 1.0);
    return sample_y(solve_curve_x(x, epsilon));
  }
};

constexpr double kBezierEpsilon = 1e-7;
constexpr double kPi = 3.141592653589793; // Math.PI

} // namespace

double cubic_bezier_ease(double x1, double y1, double x2, double y2, double x) {
  return UnitBezier(x1, y1, x2, y2).solve(x, kBezierEpsilon);
}

std::optional<std::string> animation_key(std::string_view seed48,
                                         const std::vector<std::array<Curve, 16>> &curves,
                                         const StatsigIndices &idx, AnimationFlavor flavor) {
  if (seed48.size() != 48 || curves.size() != 4) return std::nullopt;
  int positions[5] = {idx.group, idx.segment, idx.ct[0], idx.ct[1], idx.ct[2]};
  for (int p : positions)
    if (p < 0 || p >= 48) return std::nullopt;
  auto byte = [&](int i) { return static_cast<int>(static_cast<uint8_t>(seed48[i])); };
  const bool browser = flavor == AnimationFlavor::Browser;

  const Curve &c = curves[byte(idx.group) % 4][byte(idx.segment) % 16];
  double time = 1;
  for (int i : idx.ct) time *= byte(i) % 16;
  time = js_math_round(time / 10) * 10;
  double progress = time / 4096;

  double p[4] = {c.bezier[0] / 255.0, (c.bezier[1] * 2) / 255.0 - 1, c.bezier[2] / 255.0,
                 (c.bezier[3] * 2) / 255.0 - 1};
  if (browser)
    for (double &v : p) v = js_to_fixed2(v);
  double eased = cubic_bezier_ease(p[0], p[1], p[2], p[3], progress);

  double values[9];
  for (int i = 0; i < 3; ++i) {
    double v = c.color[i] + (c.color[i + 3] - c.color[i]) * eased;
    if (browser) v = std::clamp(std::round(v), 0.0, 255.0); // computed style: rgb(int, …)
    values[i] = v;
  }
  double angle = std::floor((c.deg * 300) / 255.0 + 60) * eased;
  double rad = (angle * kPi) / 180;
  double cos = std::cos(rad), sin = std::sin(rad);
  values[3] = cos;
  values[4] = sin;
  values[5] = -sin;
  values[6] = cos;
  values[7] = 0;
  values[8] = 0;

  std::string key;
  for (double v : values) {
    double r = browser ? js_to_fixed2(v) : js_math_round(v * 100) / 100;
    for (char ch : js_number_to_hex(r))
      if (ch != '.' && ch != '-') key.push_back(ch);
  }
  return key;
}

} // namespace g2a::grok
