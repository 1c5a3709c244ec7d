// libFuzzer target: what the core reads from a client's request line and headers — URL
// splitting and query parameters (http/request.h), the Bearer key (auth/api_keys.h), the
// admin session cookie and the CSRF rule (admin/session.h), login throttle subjects, and the
// /v1 and admin route tables. Input lines: URL, Authorization, Cookie, X-CSRF-Token, Origin,
// the session's CSRF token, method. Invariants: a Bearer key is 1..512 visible ASCII
// characters and reads back from "Bearer <key>"; a session cookie is 43 base64url characters
// that appear in the Cookie header as g2a_session=<v>; check_csrf says Ok only when the
// header token equals a non-empty session token and Origin equals the request's own origin;
// a split path starts with '/' and holds no '?' or '#'; a matched admin route has the
// request's method.
#include "admin/login_throttle.h"
#include "admin/routes.h"
#include "admin/session.h"
#include "app/v1_routes.h"
#include "auth/api_keys.h"
#include "fuzz_util.h"

using namespace g2a;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz::Reader r(data, size);
  std::string url(r.until('\n'));
  Request req;
  req.method = "POST";
  req.url = url;
  bool split = split_url(url, req.origin, req.path, req.query);
  if (split) {
    FUZZ_CHECK(!req.path.empty() && req.path[0] == '/', req.path);
    FUZZ_CHECK(req.path.find_first_of("?#") == std::string::npos, req.path);
    FUZZ_CHECK(url.rfind(req.origin, 0) == 0, req.origin);
    FUZZ_CHECK(req.origin.rfind("http://", 0) == 0 || req.origin.rfind("https://", 0) == 0, url);
    for (const char *name : {"limit", "cursor", "q", ""}) {
      auto v = req.query_param(name);
      if (v) FUZZ_CHECK(v->size() <= req.query.size(), *v);
    }
  }
  FUZZ_CHECK(percent_decode(url).size() <= url.size(), url);

  std::string auth(r.until('\n')), cookie(r.until('\n')), csrf(r.until('\n')),
      origin(r.until('\n')), session_csrf(r.until('\n')), method(r.until('\n'));
  req.headers = {{"authorization", auth}, {"cookie", cookie}, {"x-csrf-token", csrf},
                 {"origin", origin}};

  if (auto key = auth::bearer_key(req)) {
    FUZZ_CHECK(!key->empty() && key->size() <= 512, *key);
    for (unsigned char c : *key) FUZZ_CHECK(c > 0x20 && c < 0x7f, *key);
    Request again;
    again.headers = {{"authorization", "Bearer " + *key}};
    auto k2 = auth::bearer_key(again);
    FUZZ_CHECK(k2 && *k2 == *key, *key);
  }

  if (auto sc = admin::session_cookie(req)) {
    FUZZ_CHECK(sc->size() == 43, *sc);
    for (char c : *sc)
      FUZZ_CHECK(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_', *sc);
    FUZZ_CHECK(cookie.find(*sc) != std::string::npos, cookie);
    Request again;
    again.headers = {{"cookie", std::string(admin::kCookieName) + "=" + *sc}};
    auto s2 = admin::session_cookie(again);
    FUZZ_CHECK(s2 && *s2 == *sc, *sc);
  }

  admin::CsrfCheck c = admin::check_csrf(req, session_csrf);
  if (c == admin::CsrfCheck::Ok) {
    FUZZ_CHECK(!session_csrf.empty() && csrf == session_csrf, csrf);
    FUZZ_CHECK(!req.origin.empty() && origin == req.origin, origin);
  }
  FUZZ_CHECK(admin::csrf_message(c) != nullptr, "csrf message");

  admin::ThrottleSubjects ts = admin::throttle_subjects(csrf, origin);
  FUZZ_CHECK(!ts.ip.empty() && ts.ip.size() <= 100 && ts.user.size() <= 100, ts.user);
  for (char ch : ts.user) FUZZ_CHECK(!(ch >= 'A' && ch <= 'Z'), ts.user);

  if (split) {
    auto m = admin::match_admin_route(method, req.path);
    if (m.route) {
      FUZZ_CHECK(m.route->method == method && m.allow.empty(), req.path);
      size_t holes = 0;
      for (size_t at = m.route->pattern.find("{}"); at != std::string_view::npos;
           at = m.route->pattern.find("{}", at + 2))
        ++holes;
      FUZZ_CHECK(m.params.size() == holes, req.path);
    }
    (void)app::find_v1_route(req.path);
  }
  return 0;
}
