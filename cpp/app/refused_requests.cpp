// Counting refused /v1 requests in aggregate (see refused_requests.h).
#include "app/refused_requests.h"
#include "core/text.h"

#include "core/time.h"

namespace g2a::app {

namespace {
constexpr std::string_view kPrefix = "refused|";
constexpr size_t kMaxCode = 48;

bool code_char(char c) {
  return (c >= 'a' && c <= 'z') || c == '_';
}

bool valid_day(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i = 0; i < d.size(); ++i)
    if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9')) return false;
  return true;
}
} // namespace

std::string refused_key(const RefusedKey &k) {
  return std::string(kPrefix) + k.day + "|" + std::to_string(k.status) + "|" + k.code;
}

std::optional<RefusedKey> parse_refused_key(std::string_view name) {
  if (name.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  name.remove_prefix(kPrefix.size());
  size_t a = name.find('|');
  if (a == std::string_view::npos) return std::nullopt;
  size_t b = name.find('|', a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  RefusedKey k;
  k.day = std::string(name.substr(0, a));
  std::string_view status = name.substr(a + 1, b - a - 1);
  std::string_view code = name.substr(b + 1);
  auto st = text::parse_int_in(status, 100, 599);
  if (!valid_day(k.day) || !st || code.empty() || code.size() > kMaxCode) return std::nullopt;
  k.status = *st;
  for (char c : code)
    if (!code_char(c)) return std::nullopt;
  k.code = std::string(code);
  return k;
}

RefusedKey refused_key_for(const Ctx &cx, int status, std::string_view code) {
  RefusedKey k;
  k.day = local_day(cx.now_ms, cx.req.var_int("CACHE_RESET_TZ_OFFSET_MINUTES", 480));
  k.status = status >= 100 && status <= 599 ? status : 500;
  for (char c : code.substr(0, kMaxCode)) k.code += code_char(c) ? c : '_';
  if (k.code.empty()) k.code = "unknown";
  return k;
}

std::vector<fx::Stmt> refused_upserts(const json &taken, long long now_ms) {
  std::vector<fx::Stmt> out;
  if (!taken.is_object()) return out;
  for (auto it = taken.begin(); it != taken.end(); ++it) {
    auto k = parse_refused_key(it.key());
    if (!k || !it.value().is_number_integer()) continue;
    long long n = it.value().get<long long>();
    if (n <= 0) continue;
    out.push_back({"INSERT INTO refused_requests (day, status, code, count, last_at) VALUES (?1, "
                   "?2, ?3, ?4, ?5) ON CONFLICT (day, status, code) DO UPDATE SET count = count + "
                   "excluded.count, last_at = MAX(last_at, excluded.last_at)",
                   json::array({k->day, k->status, k->code, n, now_ms})});
  }
  return out;
}

Task<void> count_refused(Ctx &cx, int status, std::string_view code) {
  std::string name = refused_key(refused_key_for(cx, status, code));
  auto res = co_await cx.run(
      {fx::effect(fx::Tally{json{{name, 1}}, kTallyTakeAtCount, kTallyTakeAfterMs})});
  const auto r = fx::TallyResult::of(fx::result_at(res));
  std::vector<fx::Stmt> stmts;
  if (r.ok)
    stmts = refused_upserts(r.taken ? *r.taken : null_json(), cx.now_ms); // empty until due
  else
    stmts = refused_upserts(json{{name, 1}}, cx.now_ms); // a shim without the tally effect
  if (stmts.empty()) co_return;
  auto w = co_await cx.run({fx::d1(std::move(stmts))});
  if (!fx::Ack::of(fx::result_at(w)).ok)
    cx.log("warn", "refused-request counts were not stored");
}

Task<void> flush_refused(Ctx &cx) {
  auto res = co_await cx.run({fx::effect(fx::Tally{json::object(), 0, 0})});
  const auto r = fx::TallyResult::of(fx::result_at(res));
  if (!r.ok) co_return;
  auto stmts = refused_upserts(r.taken ? *r.taken : null_json(), cx.now_ms);
  if (stmts.empty()) co_return;
  co_await cx.run({fx::d1(std::move(stmts))});
}

} // namespace g2a::app
