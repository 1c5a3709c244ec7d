// Log filters and their SQL.
#include "admin/logs_query.h"

#include "admin/paging.h"

namespace g2a::admin {

ApiResult<LogFilter> log_filter(const Request &req) {
  auto pq = page_query(req, 50, 200);
  if (const ApiError *e = pq.error_if()) return *e;
  LogFilter f;
  f.before = pq.value().before;
  f.limit = pq.value().limit;
  f.status = req.query_param("status").value_or("");
  f.model = req.query_param("model").value_or("");
  f.key = req.query_param("key").value_or("");
  f.api = req.query_param("api").value_or("");
  static constexpr std::string_view apis[] = {"",         "chat",   "responses",
                                              "messages", "images", "models"};
  bool known_api = false;
  for (auto a : apis) known_api = known_api || f.api == a;
  if (!known_api)
    return bad_field("api", "api must be chat, responses, messages, images or models.");
  const std::string &s = f.status;
  if (!s.empty()) {
    bool cls = s.size() == 3 && s[0] >= '1' && s[0] <= '5' && (s[1] == 'x' || s[1] == 'X') &&
               (s[2] == 'x' || s[2] == 'X');
    auto code = parse_int(s);
    if (!(cls || s == "error" || (code && *code >= 100 && *code <= 599 && s.size() == 3)))
      return bad_field("status", "status must be a code (e.g. 429), 2xx, 4xx, 5xx or error.");
  }
  if (f.model.size() > 200) return bad_field("model", "model is too long.");
  if (f.key.size() > 200) return bad_field("key", "key is too long.");
  return f;
}

fx::Stmt logs_select(const LogFilter &f) {
  std::string sql =
      "SELECT id, ts, method, path, model, key_id, key_name, status, error_code, error_message, "
      "duration_ms, ttfb_ms, stream, token_id, token_suffix, attempts, ip, prompt_tokens, "
      "completion_tokens, route, statsig_source, quality FROM request_logs";
  std::string where;
  json params = json::array();
  auto cond = [&](const std::string &c) { where += (where.empty() ? " WHERE " : " AND ") + c; };
  auto p = [&](json v) {
    params.push_back(std::move(v));
    return "?" + std::to_string(params.size());
  };
  if (f.before > 0) cond("ts < " + p(f.before));
  if (!f.status.empty()) {
    if (f.status == "error") {
      cond("status >= 400");
    } else if (f.status[1] == 'x' || f.status[1] == 'X') {
      long long lo = (f.status[0] - '0') * 100;
      std::string a = p(lo);
      std::string b = p(lo + 99);
      cond("status BETWEEN " + a + " AND " + b);
    } else {
      cond("status = " + p(parse_int(f.status).value_or(0)));
    }
  }
  if (!f.model.empty()) cond("model = " + p(f.model));
  if (!f.api.empty()) {
    std::string a = p(f.api); // chat → chat and chat.*
    cond("(route = " + a + " OR route LIKE " + a + " || '.%')");
  }
  if (!f.key.empty()) {
    std::string k = p(f.key);
    cond("key_id IN (SELECT " + k + " UNION SELECT id FROM api_keys WHERE name = " + k + ")");
  }
  sql += where + " ORDER BY ts DESC, id DESC LIMIT " + std::to_string(f.limit + 1);
  return {sql, params};
}

json log_row_json(const json &r) {
  auto s = [&](const char *k) {
    const json &v = jget(r, k);
    return v.is_string() ? v : json(nullptr);
  };
  const json &ttfb = jget(r, "ttfb_ms");
  return json{{"id", str_or(r, "id")},
              {"ts", int_or(r, "ts")},
              {"method", str_or(r, "method")},
              {"path", str_or(r, "path")},
              {"model", s("model")},
              {"key_id", s("key_id")},
              {"key_name", s("key_name")},
              {"status", int_or(r, "status")},
              {"error_code", s("error_code")},
              {"error_message", s("error_message")},
              {"duration_ms", int_or(r, "duration_ms")},
              {"ttfb_ms", ttfb.is_number() ? json(int_or(r, "ttfb_ms")) : json(nullptr)},
              {"stream", int_or(r, "stream") != 0},
              {"token_id", s("token_id")},
              {"token_suffix", s("token_suffix")},
              {"attempts", int_or(r, "attempts")},
              {"ip", s("ip")},
              {"prompt_tokens", int_or(r, "prompt_tokens")},
              {"completion_tokens", int_or(r, "completion_tokens")},
              {"route", s("route")},
              {"statsig_source", s("statsig_source")},
              {"quality", s("quality")}};
}

} // namespace g2a::admin
