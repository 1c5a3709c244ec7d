// The effect protocol's serialisers and result views (see effects.h). Every `{"op", …}` of an
// effect is written here and nowhere else; the output-record ops (respond, pump, …) are Ctx's
// (core/context.cpp).
#include "core/effects.h"
#include "core/text.h"

namespace g2a {

std::string limits_json() {
  return dump(json{{"fetch_read_max", kFetchReadMax},
                   {"source_read_max", kSourceReadMax},
                   {"random_max", kRandomMax}});
}

json headers_json(const Headers &h) {
  json out = json::array();
  for (const auto &[k, v] : h) out.push_back(json::array({k, v}));
  return out;
}

std::string_view header_value(const json &pairs, std::string_view name) {
  if (pairs.is_array())
    for (const auto &pair : pairs)
      if (pair.is_array() && pair.size() == 2 && pair[0].is_string() && pair[1].is_string() &&
          text::iequals(pair[0].get_ref<const std::string &>(), name))
        return pair[1].get_ref<const std::string &>();
  return {};
}

BlobRef blob_ref(const json &ref) {
  if (!ref.is_array() || ref.size() != 2 || !ref[0].is_number_unsigned() ||
      !ref[1].is_number_unsigned())
    return {};
  return BlobRef{ref[0].get<size_t>(), ref[1].get<size_t>(), true};
}

namespace fx {

json effect(ReadBody e) {
  json j{{"op", "read_body"}, {"max", e.max}};
  if (e.timeout_ms > 0) j["timeout_ms"] = e.timeout_ms;
  return j;
}

json effect(D1 e) {
  json list = json::array();
  for (auto &s : e.stmts)
    list.push_back(json{{"sql", std::move(s.sql)}, {"params", std::move(s.params)}});
  return json{{"op", "d1"}, {"stmts", std::move(list)}};
}

json effect(KvGet e) {
  return json{{"op", "kv_get"}, {"key", std::move(e.key)}, {"as", std::move(e.as)}};
}

json effect(KvPut e) {
  json j{{"op", "kv_put"}, {"key", std::move(e.key)}, {"value", std::move(e.value)}};
  if (e.expiration_s > 0) j["expiration"] = e.expiration_s;
  if (!e.metadata.is_null()) j["metadata"] = std::move(e.metadata);
  return j;
}

json effect(KvDelete e) {
  return json{{"op", "kv_delete"}, {"keys", std::move(e.keys)}};
}

json effect(KvList e) {
  json j{{"op", "kv_list"}, {"prefix", std::move(e.prefix)}, {"limit", e.limit}};
  if (!e.cursor.empty()) j["cursor"] = std::move(e.cursor);
  return j;
}

json effect(Fetch e) {
  json j{{"op", "fetch"},
         {"method", std::move(e.method)},
         {"url", std::move(e.url)},
         {"headers", headers_json(e.headers)},
         {"read", std::move(e.read)}};
  if (e.max_bytes >= 0) j["max_bytes"] = e.max_bytes;
  if (e.timeout_ms > 0) j["timeout_ms"] = e.timeout_ms;
  if (!e.redirect.empty()) j["redirect"] = std::move(e.redirect);
  if (!e.binding.empty()) j["binding"] = std::move(e.binding);
  if (!e.body.is_null()) j["body"] = std::move(e.body);
  return j;
}

json effect(WsOpen e) {
  json j{{"op", "ws_open"}, {"url", std::move(e.url)}, {"headers", headers_json(e.headers)}};
  if (!e.binding.empty()) j["binding"] = std::move(e.binding);
  return j;
}

json effect(Tee e) {
  return json{{"op", "tee"}, {"source", e.source}};
}

json effect(ReadSource e) {
  return json{{"op", "read_source"}, {"source", e.source}, {"max_bytes", e.max_bytes}};
}

json effect(Sha256 e) {
  return json{{"op", "crypto"}, {"fn", "sha256"}, {"data", e.data}};
}

json effect(HmacSha256 e) {
  return json{{"op", "crypto"}, {"fn", "hmac_sha256"}, {"key", e.key}, {"data", e.data}};
}

json effect(Pbkdf2Sha256 e) {
  return json{{"op", "crypto"},     {"fn", "pbkdf2_sha256"},      {"data", e.password},
              {"salt", e.salt_b64}, {"iterations", e.iterations}, {"bits", e.bits}};
}

json effect(Random e) {
  return json{{"op", "random"}, {"n", e.n}};
}

json effect(Sleep e) {
  return json{{"op", "sleep"}, {"ms", e.ms}};
}

json effect(Tally e) {
  return json{{"op", "tally"},
              {"add", std::move(e.add)},
              {"take_at_count", e.take_at_count},
              {"take_after_ms", e.take_after_ms}};
}

json effect(JobStart e) {
  return json{{"op", "job_start"},
              {"binding", std::move(e.binding)},
              {"name", std::move(e.name)},
              {"body", std::move(e.body)}};
}

// ---- results ----------------------------------------------------------------------------------

const json &result_at(const std::vector<json> &results, size_t i) {
  return i < results.size() ? results[i] : null_json();
}

namespace {

std::string_view str_at(const json &r, const char *key) {
  const json &v = jget(r, key);
  return v.is_string() ? std::string_view(v.get_ref<const std::string &>()) : std::string_view();
}

int source_id(const json &r, const char *key = "source") {
  const json &v = jget(r, key);
  return v.is_number_integer() ? v.get<int>() : -1;
}

const json *present(const json &v) {
  return v.is_null() ? nullptr : &v;
}

} // namespace

Ack Ack::of(const json &r) {
  return Ack{bool_or(r, "ok"), str_at(r, "error")};
}

FetchResult FetchResult::of(const json &r) {
  FetchResult f;
  f.ok = bool_or(r, "ok");
  f.timeout = bool_or(r, "timeout");
  f.binding_missing = bool_or(r, "binding_missing");
  f.too_large = bool_or(r, "too_large");
  f.error = str_at(r, "error");
  f.status = static_cast<int>(int_or(r, "status"));
  f.headers = present(jget(r, "headers"));
  f.source = source_id(r);
  f.body = str_at(r, "body");
  f.bytes = blob_ref(jget(r, "bytes"));
  return f;
}

std::string_view FetchResult::header(std::string_view name) const {
  return headers ? header_value(*headers, name) : std::string_view();
}

D1Result D1Result::of(const json &r) {
  return D1Result{bool_or(r, "ok"), str_at(r, "error"), present(jget(r, "results"))};
}

const json &D1Result::rows(size_t i) const {
  return results ? jget(*results, static_cast<int>(i), "rows") : null_json();
}

long long D1Result::changes(size_t i) const {
  return results ? int_or(jget(*results, static_cast<int>(i)), "changes") : 0;
}

long long D1Result::last_row_id(size_t i) const {
  return results ? int_or(jget(*results, static_cast<int>(i)), "last_row_id") : 0;
}

KvGetResult KvGetResult::of(const json &r) {
  KvGetResult k;
  k.ok = bool_or(r, "ok");
  k.found = k.ok && bool_or(r, "found");
  k.value = str_at(r, "value");
  k.bytes = blob_ref(jget(r, "bytes"));
  k.source = source_id(r);
  k.metadata = present(jget(r, "metadata"));
  return k;
}

KvListResult KvListResult::of(const json &r) {
  return KvListResult{bool_or(r, "ok"), present(jget(r, "keys")), str_at(r, "cursor")};
}

TeeResult TeeResult::of(const json &r) {
  TeeResult t;
  const json &s = jget(r, "sources");
  if (bool_or(r, "ok") && s.is_array() && s.size() == 2 && s[0].is_number_integer() &&
      s[1].is_number_integer()) {
    t.ok = true;
    t.a = s[0].get<int>();
    t.b = s[1].get<int>();
  }
  return t;
}

ReadSourceResult ReadSourceResult::of(const json &r) {
  return ReadSourceResult{bool_or(r, "ok"), bool_or(r, "too_large"), str_at(r, "body")};
}

CryptoResult CryptoResult::of(const json &r) {
  return CryptoResult{bool_or(r, "ok"), str_at(r, "hex"), str_at(r, "b64"),
                      blob_ref(jget(r, "bytes"))};
}

RandomResult RandomResult::of(const json &r) {
  return RandomResult{bool_or(r, "ok"), blob_ref(jget(r, "bytes"))};
}

ReadBodyResult ReadBodyResult::of(const json &r) {
  return ReadBodyResult{bool_or(r, "ok"), bool_or(r, "too_large"), bool_or(r, "timeout"),
                        blob_ref(jget(r, "bytes"))};
}

TallyResult TallyResult::of(const json &r) {
  return TallyResult{bool_or(r, "ok"), present(jget(r, "taken"))};
}

} // namespace fx
} // namespace g2a
