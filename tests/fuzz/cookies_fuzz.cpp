// libFuzzer target: Grok credentials as cookies (grok/cookies.h). Input lines: a pasted sso,
// a cf_clearance, extra cookies, a user id; the whole input is also an import text.
// Invariants: normalize_sso yields "" or cookie-octets only, is idempotent, and reads the
// same token back from "sso=<t>", "sso-rw=<t>" and the Cookie header build_cookie writes
// (which starts "sso=<t>; sso-rw=<t>" and carries no CR, LF or NUL it was not given); the
// import keeps unique normalised tokens of >= 8 characters, in order, and its counts add
// up to the non-blank, non-comment lines; masks never show more than 8 characters.
#include "fuzz_util.h"
#include "grok/cookies.h"

#include <set>

using namespace g2a;
using namespace g2a::grok;

namespace {

bool octets(std::string_view s) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    bool ok = c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) ||
              (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
    if (!ok) return false;
  }
  return true;
}

bool has_ctl(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view in(reinterpret_cast<const char *>(data), size);
  fuzz::Reader r(in);
  std::string_view raw = r.until('\n');
  UpstreamCookies uc;
  uc.cf_clearance = r.until('\n');
  uc.extra = r.until('\n');
  std::string_view uid = r.until('\n');

  std::string t = normalize_sso(raw);
  FUZZ_CHECK(octets(t), t);
  FUZZ_CHECK(normalize_sso(t) == t || t.find('=') != std::string::npos, t);
  // A value starting with '=' cannot be told from "name==value" once prefixed ("sso==x" is
  // read as the bare token "sso==x", by design: base64 ends in '='), so the round trips
  // below hold for every token except those.
  if (!t.empty() && t[0] != '=') {
    FUZZ_CHECK(normalize_sso("sso=" + t) == t, t);
    FUZZ_CHECK(normalize_sso("sso-rw=" + t) == t, t);
    FUZZ_CHECK(normalize_sso("a=b; sso=" + t + "; cf_clearance=x") == t, t);
    std::string cookie = build_cookie(t, uc, uid);
    FUZZ_CHECK(cookie.rfind("sso=" + t + "; sso-rw=" + t, 0) == 0, cookie);
    FUZZ_CHECK(normalize_sso(cookie) == t, cookie);
    if (!has_ctl(uc.cf_clearance) && !has_ctl(uc.extra) && !has_ctl(uid))
      FUZZ_CHECK(!has_ctl(cookie), cookie);
  }

  ImportResult imp = parse_token_import(in);
  std::set<std::string> seen;
  for (const auto &tok : imp.tokens) {
    FUZZ_CHECK(tok.size() >= 8 && octets(tok), tok);
    FUZZ_CHECK(seen.insert(tok).second, tok);
  }
  size_t lines = 0;
  std::string_view text = in;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  fuzz::Reader lr(text);
  while (!lr.empty()) {
    std::string_view line = lr.until('\n');
    size_t a = line.find_first_not_of(" \t\r\n\f\v");
    if (a != std::string_view::npos && line[a] != '#') ++lines;
  }
  FUZZ_CHECK(imp.tokens.size() + imp.duplicates + imp.rejected == lines,
             std::to_string(imp.tokens.size()) + "+" + std::to_string(imp.duplicates) + "+" +
                 std::to_string(imp.rejected) + " != " + std::to_string(lines));

  std::string m = mask_token(raw), suffix = token_suffix(raw);
  FUZZ_CHECK(suffix.size() <= 6 && std::string_view(raw).substr(raw.size() - suffix.size()) == suffix, suffix);
  if (raw.size() >= 16) {
    FUZZ_CHECK(m.rfind(std::string(raw.substr(0, 4)), 0) == 0, m);
    FUZZ_CHECK(m.size() <= 4 + 3 + 4, m); // 4 + "…" (3 bytes) + 4
  } else {
    FUZZ_CHECK(m == (raw.empty() ? "" : "****"), m);
  }
  return 0;
}
