// The daily media-cache reset, driven by an hourly cron: the core decides whether a local
// midnight (CACHE_RESET_TZ_OFFSET_MINUTES) has passed since the last completed cleanup
// (cron_state 'media_daily'), then deletes index rows created before that midnight and their
// KV values, KV_CLEANUP_BATCH at a time, for a bounded number of batches per run. A run that
// stops early is finished by the next one; overlapping runs only repeat harmless deletes.
#pragma once

#include "core/context.h"

namespace g2a::app {

struct CleanupReport {
  long long deleted = 0;
  bool completed = false; // the midnight is fully covered
  bool due = false;
};

// How many batches one run may do: KV deletes count against the per-invocation limits.
constexpr int kCleanupMaxBatches = 4;

Task<CleanupReport> media_daily_cleanup(Ctx &cx);

} // namespace g2a::app
