// Calendar arithmetic on epoch milliseconds with a fixed UTC offset (the deployment's local
// zone, CACHE_RESET_TZ_OFFSET_MINUTES): local day strings and the next local midnight.
#pragma once

#include <string>

namespace g2a {

// "YYYY-MM-DD" of the local day containing now_ms.
std::string local_day(long long now_ms, long long offset_minutes);
// Epoch ms of the next local 00:00 strictly after now_ms.
long long next_local_midnight_ms(long long now_ms, long long offset_minutes);
// Epoch ms of the local 00:00 that started the day containing now_ms.
long long local_midnight_ms(long long now_ms, long long offset_minutes);
// "YYYY-MM-DDTHH:MM:SSZ" in UTC.
std::string iso8601_utc(long long ms);

} // namespace g2a
