// POST /v1/messages and POST /v1/messages/count_tokens (Anthropic Messages): parse the request,
// authorise the key, map the model id (app/model_map.h: Claude names → Grok models; extended
// thinking picks a reasoning model), check the signatures of thinking blocks sent back, build
// the job from the conversation and pick the Messages renderer; run_answer() does the rest.
// count_tokens answers locally: the same prompt and estimate as the answer's usage.input_tokens,
// no upstream, no charge, one log row. Errors are written in Anthropic's shape (the routes'
// dialect).
#include "anthropic/messages_renderer.h"
#include "anthropic/messages_request.h"
#include "anthropic/thinking_signature.h"
#include "app/answer_flow.h"
#include "app/answer_job.h"
#include "app/model_map.h"
#include "app/pool_run.h"
#include "app/v1_auth.h"
#include "app/v1_routes.h"
#include "core/bytes.h"
#include "tools/prompt.h"
#include "tools/sieving_renderer.h"

namespace g2a::app {

namespace {

using anthropic::MessagesEndpoint;
using anthropic::MessagesRequest;
using anthropic::Thinking;

constexpr long long kImageTokens = 85; // per image, as chat completions counts them

long long input_tokens(std::string_view prompt, size_t images) {
  return answer::estimate_tokens(prompt) + kImageTokens * static_cast<long long>(images);
}

ModelMap model_map(const Settings &s) {
  auto parsed = parse_model_map(s.text("claude_model_map"));
  if (parsed.ok()) return std::move(parsed).value();
  return parse_model_map(kDefaultClaudeModelMap).value();
}

const grok::ModelInfo *pick_model(const ModelMap &map, const MessagesRequest &req) {
  const grok::ModelInfo *m = resolve_model(map, req.model);
  if (m && req.thinking == Thinking::Enabled) m = &thinking_model(*m);
  return m;
}

// The model for the request under the stored mapping, if the key may use it.
ApiResult<const grok::ModelInfo *> mapped_model(Ctx &cx, V1Call &call, const Authorized &authz,
                                                const MessagesRequest &req) {
  const grok::ModelInfo *model = pick_model(model_map(authz.settings), req);
  if (!model) return model_not_found(req.model);
  if (model->kind != grok::ModelKind::Chat)
    return invalid_request("model: '" + req.model +
                               "' is not a chat model; the Messages API answers with "
                               "chat models (images: /v1/images/generations).",
                           "model", "model_not_supported");
  call.model = std::string(model->id);
  if (auto err = auth::check_key(authz.key, model->id, cx.now_ms)) return std::move(*err);
  return model;
}

// The secret that signs thinking blocks: the setting, or on first use 32 random bytes stored
// in it (a concurrent first use keeps whichever was stored first).
Task<std::optional<std::string>> signing_key(Ctx &cx, const Settings &s) {
  std::string key = s.text("thinking_signing_key");
  if (!key.empty()) co_return key;
  json fresh = base64_encode(co_await cx.random(32), true, false);
  auto res = co_await cx.run({fx::d1(
      {{"INSERT INTO settings (key, value, updated_at) VALUES ('thinking_signing_key', ?1, ?2) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at "
        "WHERE settings.value = '\"\"'",
        json::array({dump(fresh), cx.now_ms})},
       {"SELECT value FROM settings WHERE key = 'thinking_signing_key'", json::array()}})});
  const auto r = fx::D1Result::of(fx::result_at(res));
  if (!r.ok) co_return std::nullopt;
  const json &rows = r.rows(1);
  if (!rows.is_array() || rows.empty()) co_return std::nullopt;
  auto stored = parse_json(str_or(rows[0], "value"));
  if (!stored || !stored->is_string() || stored->get<std::string>().empty()) co_return std::nullopt;
  co_return stored->get<std::string>();
}

ApiError bad_signature(const std::string &path) {
  return invalid_request(path + ": Invalid `signature` in `thinking` block", path,
                         "invalid_signature");
}

} // namespace

Task<void> messages_create(Ctx &cx, V1Call &call) {
  auto parsed = anthropic::parse_messages_request(cx.req.body, MessagesEndpoint::Create);
  if (const auto *err = parsed.error_if()) {
    call.fail(cx, *err);
    co_return;
  }
  MessagesRequest req = std::move(parsed).value();
  call.model = req.model;
  call.stream = req.stream;
  // The pool's candidates ride in authorize()'s batch, read for the model the default mapping
  // gives; a stored mapping that picks another model costs one more read.
  const grok::ModelInfo *guess = pick_model(parse_model_map(kDefaultClaudeModelMap).value(), req);
  std::vector<fx::Stmt> reads;
  if (guess) reads = PoolRun::reads(*guess, cx.now_ms);
  auto authz = co_await authorize(cx, call, "", std::move(reads));
  if (!authz) {
    call.fail(cx, authz.error());
    co_return;
  }
  auto mapped = mapped_model(cx, call, *authz, req);
  if (!mapped) {
    call.fail(cx, mapped.error());
    co_return;
  }
  const grok::ModelInfo *model = *mapped;
  if (model != guess) {
    auto res = co_await cx.run({fx::d1(PoolRun::reads(*model, cx.now_ms))});
    const auto r = fx::D1Result::of(fx::result_at(res));
    if (!r.ok) {
      call.fail(cx, storage_unavailable());
      co_return;
    }
    authz->reads = json::array({r.rows(0), r.rows(1)});
  }
  GrokConfig cfg = grok_config(cx.req, authz->settings);

  bool show_thinking = req.thinking == Thinking::Enabled || req.thinking == Thinking::Adaptive;
  std::string key;
  if (show_thinking || !req.sent_thinking.empty()) {
    auto k = co_await signing_key(cx, authz->settings);
    if (!k) {
      call.fail(cx, storage_unavailable());
      co_return;
    }
    key = std::move(*k);
  }
  for (const auto &t : req.sent_thinking) {
    if (!anthropic::verify_thinking(key, t.thinking, t.signature)) {
      call.fail(cx, bad_signature(t.path));
      co_return;
    }
  }

  JobRequest jr;
  jr.conversation = &req.conversation;
  jr.stream = req.stream;
  auto built = co_await build_answer_job(cx, *model, cfg, authz->settings, jr);
  if (const auto *err = built.error_if()) {
    call.fail(cx, *err);
    co_return;
  }
  ChatJob job = std::move(built).value();
  anthropic::MessagesRenderOptions render;
  render.id = "msg_" + hex_encode(co_await cx.random(12));
  render.model = req.model;
  render.thinking = show_thinking;
  render.stop_sequences = req.stop_sequences;
  render.input_tokens = input_tokens(job.prompt, job.images.size());
  render.signing_key = std::move(key);
  render.request_id = call.id;
  std::string call_ids = "toolu_" + hex_encode(co_await cx.random(10));
  job.renderer = [render, stream = req.stream, tools_conv = &req.conversation, call_ids]() {
    return tools::with_tools(std::make_unique<anthropic::MessagesRenderer>(render, stream),
                             *tools_conv, call_ids);
  };

  co_await run_answer(cx, call, *model, cfg, *authz, job);
}

Task<void> messages_count_tokens(Ctx &cx, V1Call &call) {
  auto parsed = anthropic::parse_messages_request(cx.req.body, MessagesEndpoint::CountTokens);
  if (const auto *err = parsed.error_if()) {
    call.fail(cx, *err);
    co_return;
  }
  MessagesRequest req = std::move(parsed).value();
  call.model = req.model;
  auto authz = co_await authorize(cx, call, "");
  if (!authz) {
    call.fail(cx, authz.error());
    co_return;
  }
  if (auto mapped = mapped_model(cx, call, *authz, req); !mapped) {
    call.fail(cx, mapped.error());
    co_return;
  }
  GrokConfig cfg = grok_config(cx.req, authz->settings);
  // The prompt build_answer_job() would send, counted as the answer's usage counts it.
  answer::Flattened flat = tools::render_prompt(req.conversation, cfg.max_images);
  long long n = input_tokens(flat.prompt, flat.images.size());
  call.prompt_tokens = n;
  respond_json(cx, 200, json{{"input_tokens", n}}, call.headers());
}

} // namespace g2a::app
