// Grok account credentials as cookies (reference §2.2): normalising a pasted sso token,
// building the upstream Cookie header, bulk token import, and safe forms for logs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace g2a::grok {

// The sso value of a bare token, `sso=<t>`, `sso-rw=<t>` or a whole cookie string
// (`a=b; sso=<t>; cf_clearance=…`; sso wins over sso-rw). Trimmed, surrounding double quotes
// removed, cut at the first ';'. "" when there is none or it holds a character that a cookie
// value cannot (space, '"', ',', ';', '\\', controls, non-ASCII).
std::string normalize_sso(std::string_view raw);

struct UpstreamCookies {
  std::string cf_clearance; // the value (a leading "cf_clearance=" is tolerated)
  std::string extra;        // other Cloudflare cookies, e.g. "__cf_bm=…; _cfuvid=…"
};

// "sso=<t>; sso-rw=<t>", then the extra cookies (minus any sso, sso-rw, x-userid and — when
// a clearance is configured — cf_clearance entries), then "cf_clearance=<v>", then
// "x-userid=<id>" when user_id is not empty (the mgw WebSocket).
std::string build_cookie(std::string_view sso, const UpstreamCookies &cookies,
                         std::string_view user_id = {});

struct ImportedToken {
  std::string sso;
};
struct ImportResult {
  std::vector<std::string> tokens; // normalised, first occurrence order
  int duplicates = 0;              // repeats within the text
  int rejected = 0;                // lines that hold no usable token
};

// One token per line: bare, `sso=` prefixed or a whole cookie string. Blank lines and lines
// starting with '#' are ignored; CRLF and a UTF-8 BOM are fine. A token shorter than 8
// characters is rejected as garbage.
ImportResult parse_token_import(std::string_view text);

// Last 6 characters (the whole token when shorter), for logs.
std::string token_suffix(std::string_view sso);
// "abcd…wxyz" for tokens of 16 characters or more, "****" for shorter ones, "" for "".
std::string mask_token(std::string_view sso);

} // namespace g2a::grok
