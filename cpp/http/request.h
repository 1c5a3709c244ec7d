// The incoming request as the shim describes it: method, URL parts, headers (names
// lower-cased), client address, configuration variables and binding presence.
#pragma once

#include "core/json.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace g2a {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string kind = "fetch"; // "fetch", "scheduled", "aborted" or "video_job"
  std::string method;
  std::string url;    // as received
  std::string origin; // scheme://host[:port]
  std::string path;   // percent-encoded path, no query
  std::string query;  // without '?'
  Headers headers;    // lower-cased names, in arrival order
  std::string ip;
  std::string body; // filled after the core asks for it
  std::string cron;
  long long scheduled_time = 0;
  std::string job; // kind "video_job": the job's id

  std::map<std::string, std::string> vars; // [vars] and secrets (strings only)
  bool has_db = false;
  bool has_kv = false;
  // Runtime figures the shim adds when the G2A_DIAGNOSTICS var is "1" (load and soak runs
  // only): wasm memory, live handles, instantiations. /health echoes them.
  json diag;

  // First value of a header (name must be lower-case).
  std::optional<std::string_view> header(std::string_view name) const;
  std::string_view header_or(std::string_view name, std::string_view fallback = {}) const;
  std::string var(std::string_view name, std::string_view fallback = {}) const;
  long long var_int(std::string_view name, long long fallback) const;
  // Value of a query parameter, percent-decoded.
  std::optional<std::string> query_param(std::string_view name) const;
};

// Splits an absolute URL into origin, path and query. Returns false when it is not http(s).
bool split_url(std::string_view url, std::string &origin, std::string &path, std::string &query);

// Percent-decodes (also '+' as space when form is true). Invalid escapes are kept verbatim.
std::string percent_decode(std::string_view s, bool form = false);

} // namespace g2a
