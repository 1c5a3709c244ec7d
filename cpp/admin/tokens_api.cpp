// The Grok account pool: list, add one, import many, export, edit, delete. No call replaces
// the whole pool; the sso secret leaves only through the export.
#include "admin/audit.h"
#include "admin/fields.h"
#include "admin/handlers.h"
#include "admin/tokens_view.h"
#include "core/bytes.h"
#include "grok/cookies.h"

namespace g2a::admin {

namespace {

constexpr size_t kImportMaxTokens = 10000;
constexpr size_t kImportChunk = 500;

fx::Stmt token_select(std::string_view id) {
  return {std::string("SELECT ") + kTokenColumns + " FROM tokens WHERE id = ?1", json::array({id})};
}
fx::Stmt buckets_select(std::string_view id) {
  return {std::string("SELECT ") + kBucketColumns +
              " FROM token_buckets WHERE token_id = ?1 ORDER BY bucket",
          json::array({id})};
}

ApiError token_not_found(const std::string &id) {
  return admin_error(404, "token_not_found", "No token with id '" + id + "'.", "id");
}

// The optional tier and note of a new token (add and import): basic, set by the admin, and no
// note unless sent.
struct NewTokenFields {
  TierChoice tier{"basic", "admin"};
  std::string note;
};
ApiResult<NewTokenFields> new_token_fields(const json &body) {
  NewTokenFields f;
  if (body.contains("tier")) {
    auto tier = check_tier(jget(body, "tier"));
    if (!tier.ok()) return tier.error();
    f.tier = tier.value();
  }
  if (body.contains("note")) {
    auto note = check_note(jget(body, "note"));
    if (!note.ok()) return note.error();
    f.note = note.value();
  }
  return f;
}

Task<std::string> new_id(Ctx &cx, const char *prefix) {
  std::string r = co_await cx.random(8);
  co_return std::string(prefix) + hex_encode(r);
}

} // namespace

Task<void> tokens_list(Ctx &cx, AdminCall &call) {
  auto res = co_await cx.run({fx::d1(
      {{std::string("SELECT ") + kTokenColumns + " FROM tokens ORDER BY created_at, id",
        json::array()},
       {std::string("SELECT ") + kBucketColumns + " FROM token_buckets ORDER BY token_id, bucket",
        json::array()}})});
  const auto r = fx::D1Result::of(fx::result_at(res));
  if (!r.ok) {
    fail(cx, call, storage_error());
    co_return;
  }
  auto buckets = buckets_by_token(r.rows(1));
  json data = json::array();
  PoolCountsView counts;
  const json &rows = r.rows(0);
  if (rows.is_array())
    for (const auto &t : rows) {
      auto it = buckets.find(str_or(t, "id"));
      json entry = token_json(t, it == buckets.end() ? json::array() : it->second, cx.now_ms);
      std::string state = str_or(entry, "state");
      ++counts.total;
      if (state == "active")
        ++counts.active;
      else if (state == "invalid")
        ++counts.invalid;
      else if (state == "disabled")
        ++counts.disabled;
      else
        ++counts.cooling;
      data.push_back(std::move(entry));
    }
  reply(cx, call, 200, json{{"data", std::move(data)}, {"counts", counts.to_json()}});
}

Task<void> tokens_add(Ctx &cx, AdminCall &call) {
  if (auto e = reject_unknown_fields(call.body, {"token", "tier", "note"})) {
    fail(cx, call, *e);
    co_return;
  }
  const json &raw = jget(call.body, "token");
  std::string sso = raw.is_string() ? grok::normalize_sso(raw.get<std::string>()) : std::string();
  if (sso.size() < 8) {
    fail(cx, call,
         admin_error(400, "invalid_token",
                     "token must be an sso cookie value (bare, sso=… or a cookie string).",
                     "token"));
    co_return;
  }
  auto fields = new_token_fields(call.body);
  if (!fields.ok()) {
    fail(cx, call, fields.error());
    co_return;
  }
  const std::string &tier = fields.value().tier.tier, &tier_source = fields.value().tier.source,
                    &note = fields.value().note;
  std::string id = co_await new_id(cx, "tok_");
  auto res =
      co_await cx.run({fx::d1({{"INSERT INTO tokens (id, sso, tier, tier_source, note, created_at) "
                                "VALUES (?1, ?2, ?3, ?6, ?4, ?5) ON CONFLICT DO NOTHING",
                                json::array({id, sso, tier, note, cx.now_ms, tier_source})},
                               token_select(id)})});
  const auto r = fx::D1Result::of(fx::result_at(res));
  if (!r.ok) {
    fail(cx, call, storage_error());
    co_return;
  }
  if (r.changes(0) != 1) {
    fail(cx, call, admin_error(409, "token_exists", "This token is already in the pool.", "token"));
    co_return;
  }
  const json &rows = r.rows(1);
  json data = rows.is_array() && !rows.empty() ? token_json(rows[0], json::array(), cx.now_ms)
                                               : json::object();
  co_await cx.run({fx::d1({audit_stmt(
      cx, call, "tokens.add", id,
      json{{"tier", tier_source == "auto" ? "auto" : tier}, {"masked", grok::mask_token(sso)}})})});
  reply(cx, call, 201, json{{"data", std::move(data)}});
}

Task<void> tokens_import(Ctx &cx, AdminCall &call) {
  if (auto e = reject_unknown_fields(call.body, {"text", "tier", "note"})) {
    fail(cx, call, *e);
    co_return;
  }
  const json &text = jget(call.body, "text");
  if (!text.is_string()) {
    fail(cx, call, bad_field("text", "text is required: tokens, one per line."));
    co_return;
  }
  auto fields = new_token_fields(call.body);
  if (!fields.ok()) {
    fail(cx, call, fields.error());
    co_return;
  }
  const std::string &tier = fields.value().tier.tier, &tier_source = fields.value().tier.source,
                    &note = fields.value().note;
  grok::ImportResult parsed = grok::parse_token_import(text.get<std::string>());
  if (parsed.tokens.size() > kImportMaxTokens) {
    fail(cx, call,
         bad_field("text", "At most " + std::to_string(kImportMaxTokens) +
                               " tokens can be imported at once."));
    co_return;
  }
  long long added = 0;
  if (!parsed.tokens.empty()) {
    // 8 random bytes per id, asked for in chunks (one random effect gives at most 64 KiB).
    std::string ids;
    while (ids.size() < 8 * parsed.tokens.size()) {
      std::string more =
          co_await cx.random(std::min<size_t>(8 * parsed.tokens.size() - ids.size(), 8192));
      if (more.empty()) break;
      ids += more;
    }
    if (ids.size() < 8 * parsed.tokens.size()) {
      fail(cx, call, admin_error(500, "random_unavailable", "No randomness available; retry."));
      co_return;
    }
    std::vector<fx::Stmt> stmts;
    for (size_t at = 0; at < parsed.tokens.size(); at += kImportChunk) {
      json rows = json::array();
      for (size_t i = at; i < std::min(parsed.tokens.size(), at + kImportChunk); ++i) {
        std::string id =
            "tok_" + hex_encode(std::string_view(ids).substr(std::min(ids.size(), 8 * i), 8));
        rows.push_back(json::array({id, parsed.tokens[i]}));
      }
      stmts.push_back(
          {"INSERT INTO tokens (id, sso, tier, note, created_at, tier_source) "
           "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), ?2, ?3, ?4, ?5 "
           "FROM json_each(?1) WHERE true ON CONFLICT DO NOTHING",
           json::array({dump(rows), tier, note, cx.now_ms, tier_source})});
    }
    size_t n = stmts.size();
    auto res = co_await cx.run({fx::d1(std::move(stmts))});
    const auto r = fx::D1Result::of(fx::result_at(res));
    if (!r.ok) {
      fail(cx, call, storage_error());
      co_return;
    }
    for (size_t i = 0; i < n; ++i) added += r.changes(i);
  }
  long long duplicates = parsed.duplicates + static_cast<long long>(parsed.tokens.size()) - added;
  json result{{"added", added}, {"duplicates", duplicates}, {"rejected", parsed.rejected}};
  json detail = result;
  detail["tier"] = tier_source == "auto" ? "auto" : tier;
  co_await cx.run({fx::d1({audit_stmt(cx, call, "tokens.import", "", detail)})});
  reply(cx, call, 200, result);
}

Task<void> tokens_export(Ctx &cx, AdminCall &call) {
  auto res =
      co_await cx.run({fx::d1({{"SELECT sso FROM tokens ORDER BY created_at, id", json::array()},
                               audit_stmt(cx, call, "tokens.export", "")})});
  const auto exported = fx::D1Result::of(fx::result_at(res));
  if (!exported.ok) {
    fail(cx, call, storage_error());
    co_return;
  }
  std::string out;
  const json &rows = exported.rows(0);
  if (rows.is_array())
    for (const auto &r : rows) {
      std::string sso = str_or(r, "sso");
      if (sso.empty()) continue;
      out += sso;
      out += '\n';
    }
  Headers h = admin_headers(call, "text/plain; charset=utf-8");
  h.emplace_back("content-disposition", "attachment; filename=\"grok2api-tokens.txt\"");
  cx.respond(200, std::move(h), std::move(out));
}

Task<void> tokens_patch(Ctx &cx, AdminCall &call) {
  const std::string &id = param(call, 0);
  if (auto e = reject_unknown_fields(call.body, {"tier", "note", "enabled"})) {
    fail(cx, call, *e);
    co_return;
  }
  std::string sets;
  json params = json::array({id});
  json detail = json::object();
  auto add = [&](const char *col, json v) {
    params.push_back(v);
    if (!sets.empty()) sets += ", ";
    sets += std::string(col) + " = ?" + std::to_string(params.size());
  };
  if (call.body.contains("tier")) {
    auto checked = check_tier(jget(call.body, "tier"));
    if (!checked.ok()) {
      fail(cx, call, checked.error());
      co_return;
    }
    const TierChoice &c = checked.value();
    if (c.source == "admin") add("tier", c.tier); // "auto" keeps the tier until detected
    add("tier_source", c.source);
    detail["tier"] = c.source == "auto" ? "auto" : c.tier;
  }
  if (call.body.contains("note")) {
    auto note = check_note(jget(call.body, "note"));
    if (!note.ok()) {
      fail(cx, call, note.error());
      co_return;
    }
    add("note", note.value());
    detail["note"] = true;
  }
  if (call.body.contains("enabled")) {
    const json &v = jget(call.body, "enabled");
    if (!v.is_boolean()) {
      fail(cx, call, bad_field("enabled", "enabled must be true or false."));
      co_return;
    }
    add("enabled", v.get<bool>() ? 1 : 0);
    detail["enabled"] = v.get<bool>();
  }
  if (sets.empty()) {
    fail(cx, call,
         admin_error(400, "nothing_to_update", "Send at least one of: tier, note, enabled."));
    co_return;
  }
  auto res = co_await cx.run({fx::d1({{"UPDATE tokens SET " + sets + " WHERE id = ?1", params},
                                      token_select(id),
                                      buckets_select(id)})});
  const auto r = fx::D1Result::of(fx::result_at(res));
  if (!r.ok) {
    fail(cx, call, storage_error());
    co_return;
  }
  const json &rows = r.rows(1);
  if (r.changes(0) == 0 || !rows.is_array() || rows.empty()) {
    fail(cx, call, token_not_found(id));
    co_return;
  }
  json data = token_json(rows[0], r.rows(2), cx.now_ms);
  co_await cx.run({fx::d1({audit_stmt(cx, call, "tokens.update", id, detail)})});
  reply(cx, call, 200, json{{"data", std::move(data)}});
}

Task<void> tokens_delete(Ctx &cx, AdminCall &call) {
  const std::string &id = param(call, 0);
  auto res =
      co_await cx.run({fx::d1({{"DELETE FROM token_buckets WHERE token_id = ?1", json::array({id})},
                               {"DELETE FROM tokens WHERE id = ?1", json::array({id})}})});
  const auto r = fx::D1Result::of(fx::result_at(res));
  if (!r.ok) {
    fail(cx, call, storage_error());
    co_return;
  }
  if (r.changes(1) == 0) {
    fail(cx, call, token_not_found(id));
    co_return;
  }
  co_await cx.run({fx::d1({audit_stmt(cx, call, "tokens.delete", id)})});
  reply(cx, call, 200, json{{"deleted", true}, {"id", id}});
}

} // namespace g2a::admin
