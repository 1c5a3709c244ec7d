// Statistics SQL and shaping.
#include "admin/stats_query.h"

#include "admin/tokens_view.h"
#include "core/time.h"

#include <algorithm>
#include <map>

namespace g2a::admin {

namespace {
constexpr long long kHour = 3600000, kDay = 86400000;
const char *kSuccess = "SUM(status >= 200 AND status < 400)";

std::string percentile_sql(int pct) {
  const std::string from = " FROM request_logs INDEXED BY idx_request_logs_stats WHERE ts >= ?1 "
                           "AND status >= 200 AND status < 400 AND ttfb_ms IS NOT NULL";
  return "(SELECT ttfb_ms" + from + " ORDER BY ttfb_ms LIMIT 1 OFFSET (SELECT (COUNT(*) - 1) * " +
         std::to_string(pct) + " / 100" + from + "))";
}
} // namespace

StatsWindow stats_window(long long now_ms, long long offset_minutes) {
  StatsWindow w;
  w.now_ms = now_ms;
  w.offset_ms = offset_minutes * 60000;
  w.hour_from = (now_ms / kHour - 23) * kHour;
  w.day_from = local_midnight_ms(now_ms, offset_minutes) - 13 * kDay;
  return w;
}

std::vector<fx::Stmt> stats_stmts(const StatsWindow &w) {
  std::vector<fx::Stmt> out;
  out.push_back({std::string("SELECT ts / 3600000 AS h, COUNT(*) AS total, ") + kSuccess +
                     " AS success FROM request_logs INDEXED BY idx_request_logs_stats WHERE ts >= "
                     "?1 GROUP BY h",
                 json::array({w.hour_from})});
  out.push_back(
      {std::string("SELECT (ts + CAST(?2 AS INTEGER)) / 86400000 AS d, COUNT(*) AS total, ") +
           kSuccess +
           " AS success FROM request_logs INDEXED BY idx_request_logs_stats WHERE ts >= "
           "?1 GROUP BY d",
       json::array({w.day_from, w.offset_ms})});
  out.push_back({"SELECT " + percentile_sql(50) + " AS p50, " + percentile_sql(95) + " AS p95",
                 json::array({w.hour_from})});
  out.push_back({"SELECT model, COUNT(*) AS count FROM request_logs INDEXED BY "
                 "idx_request_logs_stats WHERE ts >= ?1 AND model IS "
                 "NOT NULL GROUP BY model ORDER BY count DESC, model LIMIT 20",
                 json::array({w.hour_from})});
  out.push_back(pool_counts_stmt(w.now_ms));
  out.push_back(
      {"SELECT COUNT(*) AS total, COALESCE(SUM(enabled != 0), 0) AS enabled FROM api_keys",
       json::array()});
  out.push_back({"SELECT day, status, code, SUM(count) AS count FROM refused_requests WHERE day "
                 ">= ?1 GROUP BY day, status, code",
                 json::array({local_day(w.day_from, w.offset_ms / 60000)})});
  // [7] video jobs (the Videos API) by status
  out.push_back({"SELECT status, COUNT(*) AS count FROM videos GROUP BY status", json::array()});
  // [8] the statsig chain's steps per day (where each request's x-statsig-id came from)
  out.push_back({"SELECT (ts + CAST(?2 AS INTEGER)) / 86400000 AS d, statsig_source AS source, "
                 "COUNT(*) AS count FROM request_logs WHERE ts >= ?1 AND statsig_source IS NOT "
                 "NULL GROUP BY d, source",
                 json::array({w.day_from, w.offset_ms})});
  // [9] the quality guard's findings per day (what it found: loop, empty, …)
  out.push_back({"SELECT (ts + CAST(?2 AS INTEGER)) / 86400000 AS d, quality AS source, "
                 "COUNT(*) AS count FROM request_logs WHERE ts >= ?1 AND quality IS NOT NULL "
                 "GROUP BY d, source",
                 json::array({w.day_from, w.offset_ms})});
  return out;
}

json stats_json(const fx::D1Result &res, const StatsWindow &w) {
  // hours
  json hourly = json::array();
  long long first_h = w.hour_from / kHour;
  std::vector<long long> ht(24, 0), hs(24, 0);
  const json &hr = res.rows(0);
  if (hr.is_array())
    for (const auto &r : hr) {
      long long i = int_or(r, "h") - first_h;
      if (i < 0 || i >= 24) continue;
      ht[static_cast<size_t>(i)] = int_or(r, "total");
      hs[static_cast<size_t>(i)] = int_or(r, "success");
    }
  long long total = 0, success = 0;
  for (size_t i = 0; i < 24; ++i) {
    hourly.push_back(json{{"ts", (first_h + static_cast<long long>(i)) * kHour},
                          {"total", ht[i]},
                          {"success", hs[i]},
                          {"failed", ht[i] - hs[i]}});
    total += ht[i];
    success += hs[i];
  }
  // days
  json daily = json::array();
  long long first_d = (w.day_from + w.offset_ms) / kDay;
  std::vector<long long> dt(14, 0), ds(14, 0);
  const json &dr = res.rows(1);
  if (dr.is_array())
    for (const auto &r : dr) {
      long long i = int_or(r, "d") - first_d;
      if (i < 0 || i >= 14) continue;
      dt[static_cast<size_t>(i)] = int_or(r, "total");
      ds[static_cast<size_t>(i)] = int_or(r, "success");
    }
  // refused before a valid key was known: per day, and per status and code over 14 days
  std::map<std::string, long long> refused_day;
  std::map<std::pair<long long, std::string>, long long> refused_code;
  long long refused_total = 0;
  const json &rr = res.rows(6);
  if (rr.is_array())
    for (const auto &r : rr) {
      long long n = int_or(r, "count");
      refused_day[str_or(r, "day")] += n;
      refused_code[{int_or(r, "status"), str_or(r, "code")}] += n;
      refused_total += n;
    }
  // statsig steps and quality-guard findings: per day, and summed over the 14 days
  auto per_day = [&](int stmt, std::vector<json> &day, json &total) {
    day.assign(14, json::object());
    total = json::object();
    const json &rows = res.rows(stmt);
    if (!rows.is_array()) return;
    for (const auto &r : rows) {
      long long i = int_or(r, "d") - first_d;
      std::string source = str_or(r, "source");
      long long n = int_or(r, "count");
      if (i < 0 || i >= 14 || source.empty()) continue;
      day[static_cast<size_t>(i)][source] = int_or(day[static_cast<size_t>(i)], source.c_str()) + n;
      total[source] = int_or(total, source.c_str()) + n;
    }
  };
  std::vector<json> statsig_day, quality_day;
  json statsig_total, quality_total;
  per_day(8, statsig_day, statsig_total);
  per_day(9, quality_day, quality_total);
  std::string today = local_day(w.now_ms, w.offset_ms / 60000);
  for (size_t i = 0; i < 14; ++i) {
    long long midnight = (first_d + static_cast<long long>(i)) * kDay - w.offset_ms;
    std::string day = local_day(midnight, w.offset_ms / 60000);
    long long refused = refused_day.count(day) ? refused_day[day] : 0;
    daily.push_back(json{{"day", day},
                         {"total", dt[i]},
                         {"success", ds[i]},
                         {"failed", dt[i] - ds[i]},
                         {"refused", refused},
                         {"statsig", std::move(statsig_day[i])},
                         {"quality", std::move(quality_day[i])}});
  }
  json by_code = json::array();
  for (const auto &[k, n] : refused_code)
    by_code.push_back(json{{"status", k.first}, {"code", k.second}, {"count", n}});
  std::stable_sort(by_code.begin(), by_code.end(), [](const json &a, const json &b) {
    return a["count"].get<long long>() > b["count"].get<long long>();
  });
  // ttfb
  const json &tr = res.rows(2);
  json p50 = nullptr, p95 = nullptr;
  if (tr.is_array() && !tr.empty()) {
    if (jget(tr[0], "p50").is_number()) p50 = int_or(tr[0], "p50");
    if (jget(tr[0], "p95").is_number()) p95 = int_or(tr[0], "p95");
  }
  // models
  json models = json::array();
  const json &mr = res.rows(3);
  if (mr.is_array())
    for (const auto &r : mr)
      models.push_back(json{{"model", str_or(r, "model")}, {"count", int_or(r, "count")}});
  // keys
  const json &kr = res.rows(5);
  json keys{{"total", 0}, {"enabled", 0}};
  if (kr.is_array() && !kr.empty())
    keys = json{{"total", int_or(kr[0], "total")}, {"enabled", int_or(kr[0], "enabled")}};
  // video jobs by status (all kept, i.e. within the log retention)
  json videos{{"total", 0}, {"queued", 0}, {"in_progress", 0}, {"completed", 0}, {"failed", 0}};
  const json &vr = res.rows(7);
  if (vr.is_array())
    for (const auto &r : vr) {
      std::string st = str_or(r, "status");
      long long n = int_or(r, "count");
      if (videos.contains(st)) videos[st] = videos[st].get<long long>() + n;
      videos["total"] = videos["total"].get<long long>() + n;
    }
  return json{{"hourly", std::move(hourly)},
              {"daily", std::move(daily)},
              {"total", total},
              {"success", success},
              {"failed", total - success},
              {"success_rate", total
                                   ? json(static_cast<double>(success) / static_cast<double>(total))
                                   : json(nullptr)},
              {"ttfb_ms", {{"p50", p50}, {"p95", p95}}},
              {"models", std::move(models)},
              {"tokens", pool_counts_from_rows(res.rows(4)).to_json()},
              {"keys", std::move(keys)},
              {"refused",
               {{"today", refused_day.count(today) ? refused_day[today] : 0},
                {"days_14", refused_total},
                {"by_code", std::move(by_code)}}},
              {"videos", std::move(videos)},
              {"statsig", std::move(statsig_total)},
              {"quality", std::move(quality_total)},
              {"since", w.hour_from},
              {"generated_at", w.now_ms}};
}

} // namespace g2a::admin
