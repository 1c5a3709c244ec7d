// POST tokens/{id}/test: one real one-word chat on that account through the /v1 chat code
// (app::chat_attempt, non-stream), its outcome recorded on the account like any /v1 attempt;
// a success reactivates an invalid account and resets its failure counters.
// POST tokens/{id}/refresh: the quota of the account's main buckets from /rest/rate-limits
// (app::refresh_quota), then the buckets as stored and the account's tier: what the answers
// showed (grok/tier_table.h) and what is stored (set only on a tier_source 'auto' account).
#include "admin/audit.h"
#include "admin/fields.h"
#include "admin/handlers.h"
#include "admin/tokens_view.h"
#include "app/chat_attempt.h"
#include "app/quota_refresh.h"
#include "app/settings.h"
#include "core/bytes.h"
#include "openai/chat_renderer.h"

namespace g2a::admin {

namespace {

constexpr std::string_view kDefaultTestModel = "grok-chat-fast";
constexpr std::string_view kTestPrompt = "Reply with exactly one word: OK";
// One model per main quota bucket (the mode the newest rate-limits API takes).
constexpr std::string_view kBucketModels[] = {"grok-chat-fast", "grok-chat-auto",
                                              "grok-chat-expert", "grok-chat-heavy"};

fx::Stmt pool_row_select(std::string_view id, std::string_view bucket) {
  return {"SELECT t.id, t.sso, t.tier, t.user_id, t.status, t.consecutive_failures, "
          "t.cooldown_until, t.last_used_at, t.inflight, t.inflight_at, b.remaining, b.total, "
          "b.window_s, b.refreshed_at, b.cooling_until FROM tokens t LEFT JOIN token_buckets b "
          "ON b.token_id = t.id AND b.bucket = ?2 WHERE t.id = ?1",
          json::array({id, bucket})};
}

ApiError token_not_found(const std::string &id) {
  return admin_error(404, "token_not_found", "No token with id '" + id + "'.", "id");
}

} // namespace

Task<void> tokens_test(Ctx &cx, AdminCall &call) {
  const std::string &id = param(call, 0);
  if (auto e = reject_unknown_fields(call.body, {"model"})) {
    fail(cx, call, *e);
    co_return;
  }
  std::string model_id(kDefaultTestModel);
  if (call.body.contains("model")) {
    const json &m = jget(call.body, "model");
    if (!m.is_string()) {
      fail(cx, call, bad_field("model", "model must be a string."));
      co_return;
    }
    model_id = m.get<std::string>();
  }
  const grok::ModelInfo *model = grok::find_model(model_id);
  if (!model) {
    fail(cx, call,
         admin_error(400, "model_not_found", "Unknown model '" + model_id + "'.", "model"));
    co_return;
  }
  if (model->kind != grok::ModelKind::Chat) {
    fail(cx, call,
         admin_error(400, "model_not_supported",
                     "A token test needs a chat model; '" + model_id + "' is not one.", "model"));
    co_return;
  }
  auto res =
      co_await cx.run({fx::d1({pool_row_select(id, model->bucket), app::settings_select()})});
  const auto d1 = fx::D1Result::of(fx::result_at(res));
  if (!d1.ok) {
    fail(cx, call, storage_error());
    co_return;
  }
  const json &rows = d1.rows(0);
  std::vector<pool::TokenRow> toks = pool::rows_from_d1(rows);
  if (toks.empty()) {
    fail(cx, call, token_not_found(id));
    co_return;
  }
  const pool::TokenRow tok = toks[0];
  bool was_invalid = str_or(rows[0], "status") == "invalid";
  app::Settings settings = app::settings_from_rows(d1.rows(1));
  app::GrokConfig cfg = app::grok_config(cx.req, settings);

  app::ChatJob job;
  job.model = model;
  job.prompt = std::string(kTestPrompt);
  job.stream = false;
  openai::ChatRenderOptions render;
  render.id = "chatcmpl-" + hex_encode(co_await cx.random(12));
  render.created = cx.now_ms / 1000;
  render.model = model_id;
  render.reasoning = openai::ReasoningOutput::Hidden;
  job.renderer = [render]() {
    return std::make_unique<openai::ChatCompletionsRenderer>(render, false);
  };
  job.deliver = false; // the admin answer below carries the reply
  app::V1Call v1;
  v1.id = "adm_" + hex_encode(co_await cx.random(12));
  v1.model = model_id;
  v1.token_id = tok.id;

  app::AttemptResult r = co_await app::chat_attempt(cx, cfg, v1, job, tok);
  bool ok = r.fault.ok() && !r.client_gone;

  std::vector<fx::Stmt> stmts;
  if (!r.client_gone)
    stmts = pool::record_outcome(tok, model->bucket, r.fault, cfg.health, cx.now_ms);
  if (ok)
    stmts.push_back({"UPDATE tokens SET status = 'active', status_reason = NULL, "
                     "consecutive_failures = 0, failures = 0, cooldown_until = 0, "
                     "last_success_at = ?2, last_used_at = ?2 WHERE id = ?1",
                     json::array({tok.id, cx.now_ms})});
  json detail{{"model", model_id}, {"ok", ok}};
  if (!ok) detail["failure"] = answer::failure_name(r.fault.failure);
  if (ok && was_invalid) detail["reactivated"] = true;
  stmts.push_back(audit_stmt(cx, call, "tokens.test", tok.id, detail));
  co_await cx.run({fx::d1(std::move(stmts))});

  json out{{"ok", ok}, {"model", model_id}, {"reactivated", ok && was_invalid}};
  // Which egress answered: the transport, the base URL it went to (a relay when set) and the
  // Worker binding it went through (grok_*_url = binding:NAME), when one.
  if (!r.egress.empty()) {
    size_t sp = r.egress.find(' ');
    size_t sp2 = sp == std::string::npos ? sp : r.egress.find(' ', sp + 1);
    out["egress"] =
        json{{"transport", r.egress.substr(0, sp)},
             {"url", r.egress.substr(sp + 1, sp2 == std::string::npos ? sp2 : sp2 - sp - 1)}};
    if (sp2 != std::string::npos) out["egress"]["binding"] = r.egress.substr(sp2 + 1);
  }
  if (!ok) {
    out["failure"] = r.client_gone ? "client_gone" : answer::failure_name(r.fault.failure);
    out["detail"] = r.fault.detail;
    if (r.fault.retry_after_s > 0) out["retry_after_s"] = r.fault.retry_after_s;
  } else {
    out["completion_tokens"] = r.usage.completion;
    out["reply"] = r.reply.substr(0, 2000);
  }
  reply(cx, call, 200, out);
}

Task<void> tokens_refresh(Ctx &cx, AdminCall &call) {
  const std::string &id = param(call, 0);
  if (auto e = reject_unknown_fields(call.body, {})) {
    fail(cx, call, *e);
    co_return;
  }
  auto res = co_await cx.run({fx::d1({pool_row_select(id, "fast"), app::settings_select()})});
  const auto d1 = fx::D1Result::of(fx::result_at(res));
  if (!d1.ok) {
    fail(cx, call, storage_error());
    co_return;
  }
  std::vector<pool::TokenRow> toks = pool::rows_from_d1(d1.rows(0));
  if (toks.empty()) {
    fail(cx, call, token_not_found(id));
    co_return;
  }
  const pool::TokenRow tok = toks[0];
  app::Settings settings = app::settings_from_rows(d1.rows(1));
  app::GrokConfig cfg = app::grok_config(cx.req, settings);
  json results = json::array();
  json detected = nullptr; // the last confident evidence (a plan wins over numbers)
  for (std::string_view mid : kBucketModels) {
    const grok::ModelInfo *m = grok::find_model(mid);
    if (!m || m->tier > tok.tier) continue;
    const app::QuotaRefresh q = co_await app::refresh_quota(cx, cfg, tok, *m);
    results.push_back(json{{"bucket", m->bucket}, {"ok", q.known}});
    const grok::TierGuess &g = q.tier;
    bool by_plan = std::string_view(g.source) == "plan";
    if (g.confident && (by_plan || detected.is_null() || jget(detected, "by") != "plan"))
      detected = json{{"tier", grok::tier_name(g.tier)},
                      {"by", g.source},
                      {"plan", g.plan.empty() ? json(nullptr) : json(g.plan)}};
  }
  json audit{{"results", results}};
  if (!detected.is_null()) audit["detected"] = detected;
  auto after = co_await cx.run(
      {fx::d1({{std::string("SELECT ") + kBucketColumns +
                    " FROM token_buckets WHERE token_id = ?1 ORDER BY bucket",
                json::array({tok.id})},
               {"SELECT tier, tier_source, plan FROM tokens WHERE id = ?1", json::array({tok.id})},
               audit_stmt(cx, call, "tokens.refresh", tok.id, audit)})});
  const auto read = fx::D1Result::of(fx::result_at(after));
  if (!read.ok) {
    fail(cx, call, storage_error());
    co_return;
  }
  json buckets = json::array();
  const json &brows = read.rows(0);
  if (brows.is_array())
    for (const auto &b : brows) buckets.push_back(bucket_json(b));
  const json &trows = read.rows(1);
  const json trow = trows.is_array() && !trows.empty() ? trows[0] : json::object();
  json tier{{"tier", str_or(trow, "tier", "basic")},
            {"source", str_or(trow, "tier_source", "admin")},
            {"plan", jget(trow, "plan").is_string() ? jget(trow, "plan") : json(nullptr)},
            {"detected", detected}};
  reply(cx, call, 200,
        json{{"id", tok.id},
             {"buckets", std::move(buckets)},
             {"results", results},
             {"tier", std::move(tier)}});
}

} // namespace g2a::admin
