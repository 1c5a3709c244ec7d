// /v1 requests refused before a stored API key was identified (no key, an unknown key, an
// unknown URL or method, a body refused before the key check with no valid key) leave no
// request_logs row: anyone can send them, and a row each would let anyone spend the D1 write
// quota and fill the log. They are counted instead, per local day, status and error code, in
// refused_requests, which the dashboard shows.
//
// The count is kept in the isolate first: the core asks the shim to add to a per-isolate tally
// (the `tally` effect, a generic counter map the shim holds between requests; the core stays
// free of state shared between requests) and takes it back to write one UPSERT per counter when
// it holds 100 counts or is a minute old, and on every cron run. So anonymous traffic costs no
// D1 write per request: at most one batch per 100 refusals or per minute per isolate, and what
// an isolate holds when the runtime evicts it is lost (the count is a lower bound). A shim
// without that effect answers it `ok:false`; then each refusal writes its own counter UPSERT
// (one small fixed-size row write, never a log row).
#pragma once

#include "core/context.h"

#include <optional>
#include <string>
#include <vector>

namespace g2a::app {

inline constexpr long long kTallyTakeAtCount = 100;
inline constexpr long long kTallyTakeAfterMs = 60 * 1000;

struct RefusedKey {
  std::string day; // YYYY-MM-DD local (CACHE_RESET_TZ_OFFSET_MINUTES)
  int status = 0;
  std::string code; // the error code answered (lower-case letters and '_', at most 48)
};

// "refused|<day>|<status>|<code>", the tally counter's name; parse_refused_key is its inverse
// and refuses anything else (a counter another job keeps, or a malformed one).
std::string refused_key(const RefusedKey &k);
std::optional<RefusedKey> parse_refused_key(std::string_view name);
RefusedKey refused_key_for(const Ctx &cx, int status, std::string_view code);

// One UPSERT per refused_requests counter in a taken tally (other names are ignored).
std::vector<fx::Stmt> refused_upserts(const json &taken, long long now_ms);

// Counts one refused request (see above).
Task<void> count_refused(Ctx &cx, int status, std::string_view code);
// Takes this isolate's whole tally and writes it (the cron).
Task<void> flush_refused(Ctx &cx);

} // namespace g2a::app
