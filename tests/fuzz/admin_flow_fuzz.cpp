// libFuzzer target: whole /api/admin requests through the core's C ABI with a fake D1 (an
// admin user, a live session, one token, one key). Input: byte 0 picks the route (login,
// password, token add/import/patch/test, key create/patch, settings, cache clear, logout, or a
// GET list whose query string is the input), byte 1 whether the session cookie, the CSRF
// token and the Origin are right; the rest is the JSON body (or query). Invariants: the
// request finishes with no handle left open; no 500; JSON answers, errors in OpenAI's shape;
// every Set-Cookie is HttpOnly, Secure, SameSite=Strict; a write without the right CSRF token
// and Origin, or without a session, changes nothing (no INSERT/UPDATE/DELETE outside the
// session, throttle and audit tables); a login with the wrong password never creates a
// session; the stored sso token, password hash and session token hash never appear in an
// answer (the token export excepted for the sso, and a value the client sent itself).
#include "flow_driver.h"
#include "fuzz_util.h"

using namespace g2a;
using namespace g2a::fuzz;

namespace {

constexpr long long kNow = 1767225600000LL;
const std::string kSso = "sso-admin-fuzz-secret-0123456789";
const std::string kHash = "R09PREhBU0hHT09ESEFTSEdPT0RIQVNIR09PREhBU0g=";
const std::string kCookie = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";
const std::string kSessionHash = std::string(8, '5') + "e55104aa" + std::string(48, 'e'); // 64 hex
const std::string kCsrf = "csrf-fuzz-token";
const std::string kPassword = "correct horse battery";

struct Fake {
  std::string body;
  bool must_change = false;

  json rows(const std::string &sql) {
    if (sql.find("FROM admin_sessions s JOIN") != std::string::npos)
      return json::array({json{{"token_hash", kSessionHash},
                               {"username", "admin"},
                               {"csrf_token", kCsrf},
                               {"expires_at", kNow + 3600000},
                               {"reissued_at", kNow - 1000},
                               {"created_at", kNow - 3600000},
                               {"must_change_password", must_change ? 1 : 0}}});
    if (sql.find("FROM admin_users WHERE username") != std::string::npos)
      return json::array({json{{"username", "admin"}, {"password_hash", kHash},
                               {"password_salt", "c2FsdHNhbHRzYWx0c2FsdA=="},
                               {"password_iter", 100000},
                               {"must_change_password", must_change ? 1 : 0}}});
    if (sql.find("FROM tokens") != std::string::npos && sql.rfind("SELECT", 0) == 0)
      return json::array({json{{"id", "tok_1"}, {"sso", kSso}, {"tier", "basic"},
                               {"status", "active"}, {"enabled", 1}, {"note", "<img src=x onerror=alert(1)>"},
                               {"created_at", 0}, {"last_used_at", 0}}});
    if (sql.find("FROM api_keys") != std::string::npos && sql.rfind("SELECT", 0) == 0)
      return json::array({json{{"id", "key_1"}, {"name", "k"}, {"key_hint", "sk-…abcd"},
                               {"enabled", 1}, {"chat_limit", -1}, {"allowed_models", "[]"},
                               {"created_at", 0}}});
    if (sql.find("RETURNING failures") != std::string::npos)
      return json::array({json{{"failures", 1}, {"locked_until", 0}}});
    return json::array();
  }

  json answer(const json &e, std::string &blob) {
    std::string op = str_or(e, "op");
    if (op == "read_body") {
      json ref = json::array({blob.size(), body.size()});
      blob += body;
      return {{"ok", true}, {"bytes", ref}};
    }
    if (op == "d1") {
      json results = json::array();
      for (auto &s : e["stmts"])
        results.push_back({{"rows", rows(str_or(s, "sql"))}, {"changes", 1}, {"last_row_id", 1}});
      return {{"ok", true}, {"results", results}};
    }
    if (op == "crypto") {
      std::string fn = str_or(e, "fn");
      if (fn == "pbkdf2_sha256")
        return {{"ok", true}, {"b64", str_or(e, "data") == kPassword ? kHash : std::string("QkFE")}};
      if (fn == "sha256") return {{"ok", true}, {"hex", kSessionHash}, {"b64", "x"}};
      return {{"ok", true}, {"hex", std::string(64, 'b')}, {"b64", "u7u7"}};
    }
    if (op == "random") {
      long long n = std::min<long long>(std::max<long long>(int_or(e, "n", 1), 1), 4096);
      json ref = json::array({blob.size(), n});
      for (long long i = 0; i < n; ++i) blob += static_cast<char>(i * 53 + 7);
      return {{"ok", true}, {"bytes", ref}};
    }
    if (op == "fetch") return {{"ok", false}, {"error", "fuzz: no network"}};
    if (op == "ws_open") return {{"ok", true}, {"status", 403}, {"body", "no"}};
    if (op == "kv_get") return {{"ok", true}, {"found", false}};
    if (op == "kv_list") return {{"ok", true}, {"keys", json::array()}, {"cursor", nullptr}};
    return {{"ok", true}};
  }
};

struct Route {
  const char *method, *path;
};

bool protected_write(const std::string &sql) {
  if (sql.rfind("SELECT", 0) == 0) return false;
  for (const char *t : {"admin_sessions", "login_attempts", "audit_log"})
    if (sql.find(t) != std::string::npos) return false;
  return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const Route routes[] = {
      {"POST", "/api/admin/login"},        {"POST", "/api/admin/password"},
      {"POST", "/api/admin/tokens"},       {"POST", "/api/admin/tokens/import"},
      {"PATCH", "/api/admin/tokens/tok_1"}, {"POST", "/api/admin/tokens/tok_1/test"},
      {"POST", "/api/admin/keys"},         {"PATCH", "/api/admin/keys/key_1"},
      {"PUT", "/api/admin/settings"},      {"POST", "/api/admin/cache/clear"},
      {"POST", "/api/admin/logout"},       {"GET", "/api/admin/logs?"},
      {"GET", "/api/admin/audit?"},        {"GET", "/api/admin/cache?"},
      {"GET", "/api/admin/tokens?"},       {"GET", "/api/admin/settings?"},
  };
  fuzz::Reader r(data, size);
  const Route &route = routes[r.byte() % 16];
  uint8_t flags = r.byte();
  Fake fake;
  fake.must_change = flags & 8;
  std::string method = route.method, path = route.path;
  bool get = method == "GET";
  if (get)
    path += std::string(r.rest().substr(0, 300));
  else
    fake.body = r.rest();
  bool cookie_ok = !(flags & 1), csrf_ok = !(flags & 2), origin_ok = !(flags & 4);
  json headers = json::array();
  headers.push_back(json::array({"cookie", "g2a_session=" + (cookie_ok ? kCookie : std::string("short"))}));
  headers.push_back(json::array({"x-csrf-token", csrf_ok ? kCsrf : std::string("wrong")}));
  headers.push_back(json::array({"origin", origin_ok ? "https://gw.fuzz" : "https://evil.fuzz"}));
  headers.push_back(json::array({"content-type", "application/json"}));
  json meta = {{"kind", "fetch"},
               {"method", method},
               {"url", "https://gw.fuzz" + path},
               {"headers", headers},
               {"ip", "203.0.113.9"},
               {"now", kNow},
               {"rand", std::string(512, '5')},
               {"vars", {{"BUILD_SHA", "fuzz"}, {"GROK_BASE_URL", "https://grok.fuzz"}}},
               {"bindings", {{"db", true}, {"kv", true}}}};
  Run run = drive(
      meta, [&](const json &e, std::string &blob) { return fake.answer(e, blob); },
      [](int) { return std::vector<std::string>(); }, kNow);

  std::string why = method + " " + path + " -> " + std::to_string(run.status) + "\n" + run.body;
  FUZZ_CHECK(run.done && !run.stalled, why);
  FUZZ_CHECK(core_live_handles() == 0, why);
  FUZZ_CHECK(run.status >= 200 && run.status <= 599 && run.status != 500, why);
  std::string ct = header_of(run, "content-type");
  if (ct.rfind("application/json", 0) == 0) {
    json j = must_parse(run.body, "an admin answer is not JSON");
    if (run.status >= 400) check_error_shape(j, run.body);
  } else {
    FUZZ_CHECK(run.status < 400, why);
  }
  for (auto &h : run.headers)
    if (h.is_array() && h.size() == 2 && h[0] == "set-cookie") {
      std::string v = h[1];
      FUZZ_CHECK(v.find("HttpOnly") != std::string::npos && v.find("Secure") != std::string::npos &&
                     v.find("SameSite=Strict") != std::string::npos,
                 v);
    }
  bool is_login = path == "/api/admin/login";
  bool is_logout = path == "/api/admin/logout";
  if (!get && !is_login && !is_logout && !(cookie_ok && csrf_ok && origin_ok)) {
    FUZZ_CHECK(run.status == 401 || run.status == 403, why);
    for (const auto &s : run.stmts) FUZZ_CHECK(!protected_write(str_or(s, "sql")), str_or(s, "sql"));
  }
  if (is_login) {
    auto body = parse_json(fake.body);
    bool right = body && body->is_object() && str_or(*body, "password") == kPassword;
    if (!right)
      for (const auto &s : run.stmts)
        FUZZ_CHECK(str_or(s, "sql").rfind("INSERT INTO admin_sessions", 0) != 0, why);
  }
  // A stored secret never reaches an answer — unless the client sent those very bytes itself
  // and an error quotes its own value back (a 60-second run found an unknown setting name).
  bool export_route = path.rfind("/api/admin/tokens/export", 0) == 0;
  auto echoed = [&](const std::string &secret) {
    return client_sent(fake.body, secret) || path.find(secret) != std::string::npos;
  };
  if (!export_route && !echoed(kSso)) FUZZ_CHECK(run.body.find(kSso) == std::string::npos, why);
  if (!echoed(kHash)) FUZZ_CHECK(run.body.find(kHash) == std::string::npos, why);
  if (!echoed(kSessionHash)) FUZZ_CHECK(run.body.find(kSessionHash) == std::string::npos, why);
  return 0;
}
