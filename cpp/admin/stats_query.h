// Dashboard statistics (pure SQL building and shaping): requests per hour for the last 24 h
// and per local day for the last 14 days (integer division of ts, local days shifted by
// CACHE_RESET_TZ_OFFSET_MINUTES), success rate, time-to-first-byte p50/p95 (ORDER BY … LIMIT
// 1 OFFSET k), per-model counts, pool health and key counts — one D1 batch, range scans of the
// covering index idx_request_logs_stats (migrations/0004_admin.sql) — and the requests refused
// before a valid key was known, counted per local day in refused_requests (0005), and the
// video jobs by status (videos, 0010).
#pragma once

#include "core/context.h"

#include <vector>

namespace g2a::admin {

struct StatsWindow {
  long long now_ms = 0;
  long long offset_ms = 0;
  long long hour_from = 0; // start of the hour 23 hours before the current one
  long long day_from = 0;  // local midnight 13 days before today's
};
StatsWindow stats_window(long long now_ms, long long offset_minutes);

// A request counts as a success when its status is 200..399.
std::vector<fx::Stmt> stats_stmts(const StatsWindow &w);
// From the D1 result of stats_stmts, statement by statement.
json stats_json(const fx::D1Result &res, const StatsWindow &w);

} // namespace g2a::admin
