// libFuzzer target: the admin list queries (admin/paging.h, admin/logs_query.h). Input: a
// query string (up to the first newline), then bytes that make a list of timestamps.
// Invariants: parse_int agrees with a reference strict decimal reader (<= 18 characters);
// page_query accepts `before` only as a positive integer and clamps `limit` to 1..max;
// log_filter's refusals are 400 invalid_value naming the parameter; logs_select is
// parameterised — its SQL text does not depend on the model and key strings (only on whether
// they are present), every ?N it uses has a parameter and every parameter is used, and the
// filter strings are passed as parameters unchanged; paginate over any newest-first list never
// repeats a row, never reorders, and skips rows only behind a page whose rows all share one
// timestamp.
#include "admin/logs_query.h"
#include "admin/paging.h"
#include "fuzz_util.h"

#include <algorithm>
#include <set>
#include <vector>

using namespace g2a;
using namespace g2a::admin;

namespace {

std::optional<long long> ref_int(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  bool neg = s[0] == '-';
  std::string_view d = neg ? s.substr(1) : s;
  if (d.empty() || d.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  long long v = std::stoll(std::string(d));
  return neg ? -v : v;
}

void check_error(const ApiError &e, const char *param) {
  FUZZ_CHECK(e.status == 400 && e.code == "invalid_value", e.message);
  FUZZ_CHECK(e.param == param, e.param);
  std::string text = dump(error_body(e));
  fuzz::check_error_shape(fuzz::must_parse(text, "error body is not JSON"), text);
}

// Placeholders ?N used by the SQL text.
std::set<int> placeholders(const std::string &sql) {
  std::set<int> out;
  for (size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] != '?') continue;
    int n = 0;
    size_t j = i + 1;
    while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') n = n * 10 + (sql[j++] - '0');
    FUZZ_CHECK(j > i + 1, sql); // a bare '?' would be positional
    out.insert(n);
  }
  return out;
}

void check_paging(fuzz::Reader r, int limit) {
  // Newest first: a non-increasing list of timestamps, with many repeats.
  std::vector<long long> ts;
  long long t = 1'000'000;
  while (!r.empty() && ts.size() < 300) {
    uint8_t b = r.byte();
    t -= b % 4 == 0 ? 0 : b % 7; // often equal neighbours
    ts.push_back(t);
  }
  std::vector<size_t> seen; // row indexes, in page order
  long long before = 0;
  bool skipped_allowed = false;
  for (int page = 0; page < 1000; ++page) {
    json rows = json::array();
    for (size_t i = 0; i < ts.size() && rows.size() < static_cast<size_t>(limit) + 1; ++i)
      if (before == 0 || ts[i] < before) rows.push_back({{"ts", ts[i]}, {"i", i}});
    json next = paginate(rows, limit);
    FUZZ_CHECK(rows.size() <= static_cast<size_t>(limit), dump(rows));
    FUZZ_CHECK(!rows.empty() || ts.empty() || before != 0, "an empty first page");
    std::set<long long> page_ts;
    for (const auto &row : rows) {
      seen.push_back(static_cast<size_t>(int_or(row, "i")));
      page_ts.insert(int_or(row, "ts"));
    }
    if (next.is_null()) break;
    FUZZ_CHECK(next.is_number_integer() && !rows.empty(), dump(next));
    long long n = next.get<long long>();
    FUZZ_CHECK(n > 0 && (before == 0 || n < before), dump(next));
    if (page_ts.size() == 1) skipped_allowed = true;
    before = n;
  }
  for (size_t k = 1; k < seen.size(); ++k) FUZZ_CHECK(seen[k] > seen[k - 1], "repeat or reorder");
  if (!skipped_allowed) FUZZ_CHECK(seen.size() == ts.size(), "rows skipped");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz::Reader r(data, size);
  std::string query(r.until('\n'));
  Request req;
  req.method = "GET";
  req.query = query;

  for (const char *name : {"before", "limit", "status"}) {
    auto v = req.query_param(name);
    if (!v) continue;
    auto got = parse_int(*v);
    auto want = ref_int(*v);
    FUZZ_CHECK(got == want, *v);
  }

  auto pq = page_query(req, 50, 200);
  if (auto *e = std::get_if<ApiError>(&pq)) {
    FUZZ_CHECK(e->param == "before" || e->param == "limit", e->param);
    check_error(*e, e->param.c_str());
  } else {
    const PageQuery &q = std::get<PageQuery>(pq);
    FUZZ_CHECK(q.before >= 0 && q.limit >= 1 && q.limit <= 200, query);
  }

  auto lf = log_filter(req);
  if (auto *e = std::get_if<ApiError>(&lf)) {
    check_error(*e, e->param.c_str());
  } else {
    const LogFilter &f = std::get<LogFilter>(lf);
    FUZZ_CHECK(f.model.size() <= 200 && f.key.size() <= 200, query);
    fx::Stmt st = logs_select(f);
    FUZZ_CHECK(st.params.is_array(), st.sql);
    std::set<int> used = placeholders(st.sql);
    FUZZ_CHECK(used.size() == st.params.size(), st.sql + " " + dump(st.params));
    int k = 1;
    for (int n : used) FUZZ_CHECK(n == k++, st.sql);
    // The SQL text does not depend on what the strings say.
    LogFilter g = f;
    if (!g.model.empty()) g.model = "M";
    if (!g.key.empty()) g.key = "K";
    fx::Stmt gs = logs_select(g);
    FUZZ_CHECK(gs.sql == st.sql, st.sql);
    std::vector<std::string> strs;
    for (const auto &p : st.params)
      if (p.is_string()) strs.push_back(p.get<std::string>());
    if (!f.model.empty())
      FUZZ_CHECK(std::find(strs.begin(), strs.end(), f.model) != strs.end(), dump(st.params));
    if (!f.key.empty())
      FUZZ_CHECK(std::find(strs.begin(), strs.end(), f.key) != strs.end(), dump(st.params));
    FUZZ_CHECK(st.sql.find("LIMIT " + std::to_string(f.limit + 1)) != std::string::npos, st.sql);
  }

  uint8_t l = r.byte();
  check_paging(r, 1 + l % 12);
  return 0;
}
