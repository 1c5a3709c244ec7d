// Civil-date conversion (Howard Hinnant's days_from_civil algorithm, public domain maths).
#include "core/time.h"

#include <cstdio>

namespace g2a {

namespace {
constexpr long long kDayMs = 86400000LL;

long long floor_div(long long a, long long b) {
  long long q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

void civil_from_days(long long z, int &y, unsigned &m, unsigned &d) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long yy = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yy + (m <= 2));
}
} // namespace

long long local_midnight_ms(long long now_ms, long long offset_minutes) {
  long long off = offset_minutes * 60000LL;
  return floor_div(now_ms + off, kDayMs) * kDayMs - off;
}

long long next_local_midnight_ms(long long now_ms, long long offset_minutes) {
  return local_midnight_ms(now_ms, offset_minutes) + kDayMs;
}

std::string local_day(long long now_ms, long long offset_minutes) {
  long long days = floor_div(now_ms + offset_minutes * 60000LL, kDayMs);
  int y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  return buf;
}

std::string iso8601_utc(long long ms) {
  long long days = floor_div(ms, kDayMs);
  long long rem = ms - days * kDayMs;
  int y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  long long s = rem / 1000;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lldZ", y, m, d, s / 3600,
                (s / 60) % 60, s % 60);
  return buf;
}

} // namespace g2a
