// The effect protocol, defined once: one struct per effect the core can ask the shim for, each
// serialised by one function to the wire JSON shim/effects.js reads, and one typed view per
// result, parsed from the result JSON once. The numbers both sides must agree on live here too:
// the shim asks for them once per instance (core_feed_padding, core_limits in worker/abi.cpp).
// docs/ARCHITECTURE.md ("Effects") describes the same protocol, and
// tests/node/effects-conformance.test.js keeps the three in step. Nothing here knows Ctx: storage
// code (pool/, auth/) builds its statements with this header alone.
#pragma once

#include "core/json.h"
#include "http/request.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace g2a {

// ---- numbers shared with the shim ----------------------------------------------------------
// Readable bytes the shim leaves after every chunk it feeds (shim/core.js reserves them), so a
// decoder may parse a line in place (simdjson's padding).
inline constexpr size_t kFeedPadding = 64;
// A fetch without max_bytes reads at most this much (text or bytes).
inline constexpr long long kFetchReadMax = 8LL * 1024 * 1024;
// A read_source without max_bytes, and the refusal body of a ws_open, read at most this much.
inline constexpr long long kSourceReadMax = 64LL * 1024;
// The most one random effect returns (WebCrypto's getRandomValues limit).
inline constexpr long long kRandomMax = 65536;
// Cloudflare KV's value ceiling; KV_CACHE_MAX_BYTES may lower it, never raise it.
inline constexpr long long kKvValueMax = 25LL * 1024 * 1024;
// The read caps and kRandomMax as one JSON object (what core_limits reports to the shim).
std::string limits_json();

// ---- headers on the wire: [[name, value], ...] ----------------------------------------------
json headers_json(const Headers &h);
// The value of the first pair named `name` (ASCII case-insensitive, as HTTP names are); "" when
// absent.
std::string_view header_value(const json &pairs, std::string_view name);

// A byte range of the result blob ([off, len] on the wire); Ctx::result_bytes resolves it.
struct BlobRef {
  size_t off = 0;
  size_t len = 0;
  bool valid = false;
};
BlobRef blob_ref(const json &ref);

namespace fx {

// ---- the effects ----------------------------------------------------------------------------
struct Stmt {
  std::string sql;
  json params = json::array();
};

struct ReadBody { // the request body, at most max bytes, within timeout_ms (0 = no deadline)
  long long max = 0;
  long long timeout_ms = 0;
};
struct D1 { // one batch = one transaction
  std::vector<Stmt> stmts;
};
struct KvGet {
  std::string key;
  std::string as = "text"; // text | bytes | stream
};
struct KvPut {
  std::string key;
  json value;                 // a string, {"data":[off,len]} or {"source":id}
  long long expiration_s = 0; // 0 = none
  json metadata;              // null = none
};
struct KvDelete {
  std::vector<std::string> keys;
};
struct KvList {
  std::string prefix;
  std::string cursor; // "" = from the start
  int limit = 1000;
};
struct Fetch {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string read = "text"; // text | bytes | stream | none
  long long max_bytes = -1;  // -1 = the shim's kFetchReadMax
  long long timeout_ms = 0;  // 0 = none
  std::string redirect;      // "" = the shim's "manual"
  std::string binding;       // a Worker binding to fetch through ("" = public fetch)
  json body;                 // null = none; a string, {"data":[off,len]} or {"source":id}
};
struct WsOpen {
  std::string url;
  Headers headers;
  std::string binding;
};
struct Tee { // splits a source in two; the original id is gone
  int source = -1;
};
struct ReadSource { // reads the rest of a source as text
  int source = -1;
  long long max_bytes = kSourceReadMax;
};
struct Sha256 {
  std::string_view data; // UTF-8
};
struct HmacSha256 {
  std::string_view key;
  std::string_view data;
};
struct Pbkdf2Sha256 {
  std::string_view password;
  std::string_view salt_b64;
  int iterations = 0;
  int bits = 256;
};
struct Random {
  size_t n = 0;
};
struct Sleep {
  long long ms = 0;
};
// Adds `add` ({name: n}) to the isolate's tally and takes the whole tally back when it holds at
// least take_at_count counts or its oldest count is take_after_ms old (0, 0: take it now).
struct Tally {
  json add;
  long long take_at_count = 0;
  long long take_after_ms = 0;
};
struct JobStart { // hands a job to the Durable Object `name` of namespace `binding`
  std::string binding;
  std::string name;
  std::string body;
};

// One serialiser per effect: the JSON shim/effects.js reads (keys in this order).
json effect(ReadBody e);
json effect(D1 e);
json effect(KvGet e);
json effect(KvPut e);
json effect(KvDelete e);
json effect(KvList e);
json effect(Fetch e);
json effect(WsOpen e);
json effect(Tee e);
json effect(ReadSource e);
json effect(Sha256 e);
json effect(HmacSha256 e);
json effect(Pbkdf2Sha256 e);
json effect(Random e);
json effect(Sleep e);
json effect(Tally e);
json effect(JobStart e);

// Short forms for the common effects.
inline json d1(std::vector<Stmt> stmts) {
  return effect(D1{std::move(stmts)});
}
inline json kv_get(std::string key, std::string as = "text") {
  return effect(KvGet{std::move(key), std::move(as)});
}
inline json kv_put(std::string key, json value_ref, long long expiration_s, json metadata) {
  return effect(KvPut{std::move(key), std::move(value_ref), expiration_s, std::move(metadata)});
}
inline json kv_delete(std::vector<std::string> keys) {
  return effect(KvDelete{std::move(keys)});
}
inline json kv_list(std::string prefix, std::string cursor, int limit) {
  return effect(KvList{std::move(prefix), std::move(cursor), limit});
}
inline json random(size_t n) {
  return effect(Random{n});
}
inline json sha256(std::string_view data_utf8) {
  return effect(Sha256{data_utf8});
}
inline json hmac_sha256(std::string_view key_utf8, std::string_view data_utf8) {
  return effect(HmacSha256{key_utf8, data_utf8});
}
inline json pbkdf2_sha256(std::string_view password, std::string_view salt_b64, int iterations,
                          int bits = 256) {
  return effect(Pbkdf2Sha256{password, salt_b64, iterations, bits});
}
inline json sleep(long long ms) {
  return effect(Sleep{ms});
}
// The request body, at most max_bytes (beyond that: too_large), read completely within
// timeout_ms of the effect's start (a body still arriving then is abandoned: timeout; 0 = no
// deadline).
inline json read_body(long long max_bytes, long long timeout_ms = 0) {
  return effect(ReadBody{max_bytes, timeout_ms});
}

// ---- the results ----------------------------------------------------------------------------
// The i-th result of a run, or a null JSON when there is none (a null result reads as not ok).
const json &result_at(const std::vector<json> &results, size_t i = 0);

// Every view points into the result JSON it was read from (strings are views, bytes are blob
// refs): keep the results alive while the view is used. Never a copy of a body.
struct Ack { // any effect: {"ok", "error"}
  bool ok = false;
  std::string_view error;
  static Ack of(const json &r);
  static Ack of(json &&) = delete; // a view of a temporary would dangle
};

struct FetchResult {            // fetch and ws_open
  bool ok = false;              // false: a network error (error, timeout) or binding_missing
  bool timeout = false;         // the effect's timeout_ms passed
  bool binding_missing = false; // the effect's binding is not bound to this Worker
  bool too_large = false;       // the body was longer than max_bytes
  std::string_view error;
  int status = 0;
  const json *headers = nullptr; // [[name, value], ...] or nullptr
  int source = -1;               // read: stream (and a ws_open's 101), else -1
  std::string_view body;         // read: text (and a ws_open's refusal)
  BlobRef bytes;                 // read: bytes
  bool has_source() const { return source >= 0; }
  std::string_view header(std::string_view name) const;
  static FetchResult of(const json &r);
  static FetchResult of(json &&) = delete; // a view of a temporary would dangle
};

struct D1Result {
  bool ok = false;
  std::string_view error;
  const json *results = nullptr; // [{rows, changes, last_row_id}, ...]
  // Rows of statement i (a null JSON when absent); changes of statement i (0 when absent).
  const json &rows(size_t i = 0) const;
  long long changes(size_t i = 0) const;
  long long last_row_id(size_t i = 0) const;
  static D1Result of(const json &r);
  static D1Result of(json &&) = delete; // a view of a temporary would dangle
};

struct KvGetResult {
  bool ok = false;
  bool found = false;
  std::string_view value; // as: text
  BlobRef bytes;          // as: bytes
  int source = -1;        // as: stream
  const json *metadata = nullptr;
  static KvGetResult of(const json &r);
  static KvGetResult of(json &&) = delete; // a view of a temporary would dangle
};

struct KvListResult {
  bool ok = false;
  const json *keys = nullptr; // [{name, expiration?, metadata?}, ...]
  std::string_view cursor;    // "" when the listing is complete
  static KvListResult of(const json &r);
  static KvListResult of(json &&) = delete; // a view of a temporary would dangle
};

struct TeeResult {
  bool ok = false;
  int a = -1, b = -1; // the two branches
  static TeeResult of(const json &r);
  static TeeResult of(json &&) = delete; // a view of a temporary would dangle
};

struct ReadSourceResult {
  bool ok = false;
  bool too_large = false;
  std::string_view body;
  static ReadSourceResult of(const json &r);
  static ReadSourceResult of(json &&) = delete; // a view of a temporary would dangle
};

struct CryptoResult {
  bool ok = false;
  std::string_view hex; // sha256, hmac_sha256
  std::string_view b64;
  BlobRef bytes; // sha256
  static CryptoResult of(const json &r);
  static CryptoResult of(json &&) = delete; // a view of a temporary would dangle
};

struct RandomResult {
  bool ok = false;
  BlobRef bytes;
  static RandomResult of(const json &r);
  static RandomResult of(json &&) = delete; // a view of a temporary would dangle
};

struct ReadBodyResult {
  bool ok = false;
  bool too_large = false;
  bool timeout = false;
  BlobRef bytes;
  static ReadBodyResult of(const json &r);
  static ReadBodyResult of(json &&) = delete; // a view of a temporary would dangle
};

struct TallyResult {
  bool ok = false;
  const json *taken = nullptr; // {name: n} when the isolate's tally was taken
  static TallyResult of(const json &r);
  static TallyResult of(json &&) = delete; // a view of a temporary would dangle
};

} // namespace fx

} // namespace g2a
