// libFuzzer target: whole /v1 requests through the core's C ABI (the path the shim drives),
// with effects answered by a fake D1/KV/upstream and the upstream's bytes taken from the
// input. Input: byte 0 picks the route (chat, image generation, JSON or multipart edit), the
// key (valid, missing, unknown), the chat transport and the upstream's answer; the request
// body follows, then "\n--upstream--\n" and the upstream bytes (NDJSON lines, or WebSocket
// frames one per line). Invariants: the request finishes (never stalls, no handle is left
// open); no 500 from the gateway itself; exactly one request_logs INSERT when the key is a
// stored one, else none and exactly one refused-request count (no D1 write); non-stream answers
// are JSON, errors in OpenAI's shape; stream answers are SSE frames of JSON; a request
// refused for its own content (400 with a validation code, 401, 404, 405, 413) never reached
// the Grok upstream; request strings with SQL/HTML metacharacters never appear in SQL text;
// the account's sso token never appears in the response; every client image URL fetched — and
// every hop of a redirect, whose Location comes from the input — passes private_host, and
// the runtime is never asked to follow redirects itself.
#include "app/image_inputs.h"
#include "flow_driver.h"
#include "fuzz_util.h"

#include <map>
#include <set>

using namespace g2a;
using namespace g2a::fuzz;

namespace {

constexpr long long kNow = 1767225600000LL;
const std::string kKey = "sk-fuzz-0123456789abcdef";
const std::string kSso = "sso-fuzz-secret-0123456789abcdef";
const std::string kBase = "https://grok.fuzz";

struct Fake {
  uint8_t sel = 0;
  std::string body;
  std::vector<std::string> http_chunks, ws_frames;
  std::map<int, bool> is_ws;
  int next_source = 1;
  std::string redirect_to;
  int redirects = 0;

  json rows(const std::string &sql) {
    if (sql.find("FROM api_keys WHERE key_hash") != std::string::npos)
      return (sel >> 2) % 4 == 3 ? json::array()
                                 : json::array({json{{"id", "key_f"},
                                                     {"name", "fuzz"},
                                                     {"enabled", 1},
                                                     {"chat_limit", -1},
                                                     {"heavy_limit", -1},
                                                     {"image_limit", -1},
                                                     {"video_limit", -1},
                                                     {"allowed_models", "[]"},
                                                     {"expires_at", 0}}});
    if (sql.rfind("SELECT key, value FROM settings", 0) == 0) {
      const char *transport[] = {"\"auto\"", "\"ws\"", "\"rest\"", "\"rest\""};
      return json::array(
          {json{{"key", "chat_transport"}, {"value", transport[(sel >> 4) % 4]}},
           json{{"key", "statsig_seed"},
                {"value", "\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKiss\""}},
           json{{"key", "statsig_key"}, {"value", "\"0a1b2c\""}},
           json{{"key", "image_generation_method"},
                {"value", (sel & 0x40) ? "\"chat\"" : "\"auto\""}}});
    }
    if (sql.find("LEFT JOIN token_buckets") != std::string::npos)
      return json::array({json{{"id", "tok_1"},
                               {"sso", kSso},
                               {"tier", "super"},
                               {"user_id", "u-1"},
                               {"consecutive_failures", 0},
                               {"cooldown_until", 0},
                               {"last_used_at", 0},
                               {"inflight", 0},
                               {"inflight_at", 0},
                               {"remaining", nullptr}}});
    if (sql.find("COUNT(*) AS total") != std::string::npos)
      return json::array({json{{"total", 1}, {"usable", 1}, {"of_tier", 1}}});
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
        results.push_back({{"rows", rows(str_or(s, "sql"))}, {"changes", 1}});
      return {{"ok", true}, {"results", results}};
    }
    if (op == "crypto") {
      return {{"ok", true},
              {"hex", std::string(64, 'a')},
              {"b64", "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqo="}};
    }
    if (op == "random") {
      long long n = std::min<long long>(std::max<long long>(int_or(e, "n", 1), 1), 4096);
      json ref = json::array({blob.size(), n});
      for (long long i = 0; i < n; ++i) blob += static_cast<char>(i * 37 + 11);
      return {{"ok", true}, {"bytes", ref}};
    }
    if (op == "fetch") {
      std::string url = str_or(e, "url");
      if (url.rfind(kBase, 0) != 0) {
        // A client image URL: answered with a redirect to the upstream section's first line
        // (at most a few times), so every hop's host check is exercised.
        if (!redirect_to.empty() && redirects++ < 5)
          return {{"ok", true},
                  {"status", 302},
                  {"headers", json::array({json::array({"location", redirect_to})})},
                  {"bytes", json::array({0, 0})}};
        return {{"ok", false}, {"error", "fuzz: no network"}};
      }
      std::string read = str_or(e, "read", "text");
      int status = (sel & 0x80) ? 429 : 200;
      json base = {{"ok", true},
                   {"status", status},
                   {"headers", json::array({json::array({"content-type", "application/json"})})}};
      if (read == "stream") {
        is_ws[next_source] = false;
        base["source"] = next_source++;
      } else if (read == "bytes") {
        base["bytes"] = json::array({blob.size(), 0});
      } else {
        base["body"] = "{}";
      }
      return base;
    }
    if (op == "ws_open") {
      if ((sel >> 4) % 4 == 2) return {{"ok", true}, {"status", 403}, {"body", "refused"}};
      is_ws[next_source] = true;
      return {{"ok", true}, {"status", 101}, {"source", next_source++}};
    }
    if (op == "read_source") return {{"ok", true}, {"body", ""}};
    if (op == "kv_get") return {{"ok", true}, {"found", false}};
    if (op == "kv_list") return {{"ok", true}, {"keys", json::array()}, {"cursor", nullptr}};
    return {{"ok", true}};
  }
};

bool validation_code(const std::string &code) {
  static const std::set<std::string> codes = {"invalid_json",
                                              "invalid_type",
                                              "invalid_value",
                                              "missing_required_parameter",
                                              "unsupported_parameter",
                                              "invalid_multipart",
                                              "unsupported_content_type",
                                              "too_many_images",
                                              "invalid_api_key",
                                              "model_not_found",
                                              "unknown_url",
                                              "method_not_allowed",
                                              "request_too_large"};
  return codes.count(code) == 1;
}

void check_sse(std::string_view body) {
  while (!body.empty()) {
    size_t end = body.find("\n\n");
    FUZZ_CHECK(end != std::string_view::npos, body);
    std::string_view frame = body.substr(0, end);
    body.remove_prefix(end + 2);
    fuzz::Reader lines(frame);
    while (!lines.empty()) {
      std::string_view line = lines.until('\n');
      if (line.rfind("event: ", 0) == 0) continue;
      FUZZ_CHECK(line.rfind("data: ", 0) == 0, line);
      std::string_view payload = line.substr(6);
      if (payload == "[DONE]") continue;
      json j = must_parse(payload, "an SSE data line is not JSON");
      if (j.contains("error")) check_error_shape(j, payload);
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz::Reader r(data, size);
  Fake fake;
  fake.sel = r.byte();
  std::string_view rest = r.rest();
  const std::string_view marker = "\n--upstream--\n";
  size_t cut = rest.find(marker);
  fake.body = std::string(rest.substr(0, cut));
  std::string_view up =
      cut == std::string_view::npos ? std::string_view() : rest.substr(cut + marker.size());
  // HTTP chunks: cut every 1..61 bytes by a rhythm taken from the input size.
  for (size_t at = 0, k = 0; at < up.size(); ++k) {
    size_t n = std::min(up.size() - at, 1 + (size * 31 + k * 17) % 61);
    fake.http_chunks.emplace_back(up.substr(at, n));
    at += n;
  }
  fuzz::Reader fr(up);
  while (!fr.empty()) fake.ws_frames.emplace_back(fr.until('\n'));
  if (!fake.ws_frames.empty()) fake.redirect_to = fake.ws_frames[0];

  static const char *paths[] = {"/v1/chat/completions", "/v1/images/generations",
                                "/v1/images/edits", "/v1/images/edits"};
  int route = fake.sel % 4;
  json headers = json::array();
  if ((fake.sel >> 2) % 4 != 2) headers.push_back(json::array({"authorization", "Bearer " + kKey}));
  headers.push_back(json::array(
      {"content-type", route == 3 ? "multipart/form-data; boundary=fuzzB" : "application/json"}));
  json meta = {{"kind", "fetch"},
               {"method", "POST"},
               {"url", std::string("https://gw.fuzz") + paths[route]},
               {"headers", headers},
               {"ip", "203.0.113.9"},
               {"now", kNow},
               {"rand", std::string(512, '7')},
               {"vars",
                {{"BUILD_SHA", "fuzz"},
                 {"GROK_BASE_URL", kBase},
                 {"GROK_ASSETS_URL", "https://assets.fuzz"},
                 {"MAX_REQUEST_BYTES", "65536"}}},
               {"bindings", {{"db", true}, {"kv", true}}}};

  Run run = drive(
      meta, [&](const json &e, std::string &blob) { return fake.answer(e, blob); },
      [&](int source) { return fake.is_ws[source] ? fake.ws_frames : fake.http_chunks; }, kNow);

  std::string why = "status " + std::to_string(run.status) + "\n" + run.body;
  FUZZ_CHECK(run.done && !run.stalled, why);
  FUZZ_CHECK(core_live_handles() == 0, why);
  FUZZ_CHECK(run.status >= 200 && run.status <= 599 && run.status != 500, why);

  int logs = 0, tallies = 0;
  for (const auto &s : run.stmts)
    logs += str_or(s, "sql").rfind("INSERT INTO request_logs", 0) == 0;
  for (const auto &e : run.effects) tallies += str_or(e, "op") == "tally";
  bool stored_key = (fake.sel >> 2) % 4 != 2 && (fake.sel >> 2) % 4 != 3;
  FUZZ_CHECK(logs == (stored_key ? 1 : 0), why);
  FUZZ_CHECK(tallies == (stored_key ? 0 : 1), why);
  if (!stored_key) // refused without a stored key: reads at most, never a D1 write
    for (const auto &st : run.stmts) FUZZ_CHECK(str_or(st, "sql").rfind("SELECT", 0) == 0, why);

  std::string code;
  if (!run.stream) {
    json j = must_parse(run.body, "a non-stream answer is not JSON");
    if (run.status >= 400) {
      check_error_shape(j, run.body);
      code = str_or(j["error"], "code");
    }
  } else {
    check_sse(run.body);
  }
  bool upstream = false;
  for (const auto &e : run.effects) {
    std::string op = str_or(e, "op");
    std::string url = str_or(e, "url");
    if ((op == "fetch" || op == "ws_open") && url.rfind(kBase, 0) == 0) upstream = true;
    // Anything else fetched is a client image URL or a hop it redirected to: never internal,
    // and the runtime is never asked to follow redirects by itself.
    if (op == "fetch" && url.rfind(kBase, 0) != 0) {
      FUZZ_CHECK(!app::private_host(url), url);
      FUZZ_CHECK(str_or(e, "redirect", "manual") == "manual", url);
    }
  }
  bool client_mistake = run.status == 401 || run.status == 404 || run.status == 405 ||
                        run.status == 413 || (run.status == 400 && validation_code(code));
  if (client_mistake) FUZZ_CHECK(!upstream, why);
  // The account's cookie never reaches the client — unless the client sent those very bytes
  // itself and an error quotes its own value back (a 10-minute run found exactly that).
  if (!client_sent(fake.body, kSso)) FUZZ_CHECK(run.body.find(kSso) == std::string::npos, why);

  if (auto j = parse_json(fake.body)) {
    std::vector<std::string> strs;
    collect_strings(*j, strs);
    for (const auto &s : strs) {
      if (s.size() < 10 || s.find_first_of("'\";<>\\") == std::string::npos) continue;
      for (const auto &st : run.stmts)
        FUZZ_CHECK(str_or(st, "sql").find(s) == std::string::npos, s);
    }
  }
  return 0;
}
