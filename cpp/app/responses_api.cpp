// The OpenAI Responses API: POST /v1/responses (an answer through the shared pipeline, rendered
// by openai::ResponsesRenderer), GET /v1/responses/{id}, GET /v1/responses/{id}/input_items and
// DELETE /v1/responses/{id} (stored responses, owned by the key that made them: another key gets
// 404). A stored response is written in the batch that writes the request's log row
// (V1Call::closing), so storing costs no extra D1 round trip; previous_response_id is read in
// authorize()'s batch. It continues the stored response's Grok conversation on the account that
// holds it (a follow-up with the new input only) when the row recorded one and that account is
// usable; otherwise, and on any other account, the stored conversation is replayed before the
// new input.
#include "app/answer_flow.h"
#include "app/answer_job.h"
#include "app/pool_run.h"
#include "app/responses_store.h"
#include "app/v1_auth.h"
#include "app/v1_routes.h"
#include "core/bytes.h"
#include "core/text.h"
#include "http/path.h"
#include "http/request.h"
#include "openai/responses_renderer.h"
#include "openai/responses_request.h"
#include "tools/prompt.h"
#include "tools/sieving_renderer.h"

#include <algorithm>
#include <memory>

namespace g2a::app {

namespace {

// How long a response id that is not stored yet is waited for: 4 × 150 ms.
constexpr int kPreviousWaitSteps = 4;
constexpr long long kPreviousWaitStepMs = 150;

constexpr std::string_view kPrefix = "/v1/responses/";

// Where each image sits, for the errors that name it.
void name_images(answer::Conversation &conv) {
  for (auto &t : conv.turns)
    for (auto &img : t.images)
      if (img.param.empty()) img.param = "input";
}

// Only ids of the Responses API (resp_…) are served here: the table also holds Chat
// continuation threads (chatc_…), which are not responses.
bool is_response_id(std::string_view id) {
  return id.substr(0, 5) == "resp_";
}

// A response is stored with its log row, just after its last byte reached the client; a
// client that chains or fetches at once (the Agents SDK does) can ask before that write lands.
// Look again a few times before calling the id unknown — only on this path, so a found id
// costs nothing extra.
Task<std::optional<StoredResponse>> wait_for_stored(Ctx &cx, const std::string &id,
                                                    const std::string &key_id) {
  for (int i = 0; i < kPreviousWaitSteps; ++i) {
    co_await cx.run({fx::sleep(kPreviousWaitStepMs)});
    auto res = co_await cx.run({fx::d1({stored_response_select(id)})});
    if (auto found =
            stored_response_from_rows(fx::D1Result::of(fx::result_at(res)).rows(0), key_id))
      co_return found;
  }
  co_return std::nullopt;
}

// Reads the caller's stored response `id` in authorize()'s batch: the key's error, or 404 when
// it is not the caller's.
Task<ApiResult<StoredResponse>> load_owned(Ctx &cx, V1Call &call, const std::string &id) {
  auto authz = co_await authorize(cx, call, "", {stored_response_select(id)});
  if (!authz) co_return std::move(authz).error();
  const bool ours = is_response_id(id);
  auto stored =
      ours ? stored_response_from_rows(jget(authz->reads, 0), authz->key.id) : std::nullopt;
  if (!stored && ours) stored = co_await wait_for_stored(cx, id, authz->key.id);
  if (!stored) co_return response_not_found(id);
  call.model = stored->model;
  co_return std::move(*stored);
}

// GET …/{id}/input_items: a cursor page (after, limit 1..100, order asc|desc; desc by default).
void list_input_items(Ctx &cx, V1Call &call, const StoredResponse &r) {
  std::string order = cx.req.query_param("order").value_or("desc");
  if (order != "asc" && order != "desc") {
    call.fail(cx, invalid_request("Invalid value for 'order': expected 'asc' or 'desc'.", "order",
                                  "invalid_value"));
    return;
  }
  long long limit = 20;
  if (auto l = cx.req.query_param("limit")) {
    auto n = text::parse_int_in<long long>(*l, 1, 100);
    if (!n) {
      call.fail(cx, invalid_request("Invalid value for 'limit': expected an integer from 1 to 100.",
                                    "limit", "invalid_value"));
      return;
    }
    limit = *n;
  }
  std::vector<const json *> items;
  for (const auto &it : r.input_items) items.push_back(&it);
  if (order == "desc") std::reverse(items.begin(), items.end());
  size_t start = 0;
  if (auto after = cx.req.query_param("after")) {
    while (start < items.size() && str_or(*items[start], "id") != *after) ++start;
    start = start < items.size() ? start + 1 : items.size();
  }
  json data = json::array();
  for (size_t i = start; i < items.size() && data.size() < static_cast<size_t>(limit); ++i)
    data.push_back(*items[i]);
  bool more = start + data.size() < items.size();
  json first = data.empty() ? json(nullptr) : json(str_or(data.front(), "id"));
  json last = data.empty() ? json(nullptr) : json(str_or(data.back(), "id"));
  respond_json(cx, 200,
               json{{"object", "list"},
                    {"data", std::move(data)},
                    {"first_id", std::move(first)},
                    {"last_id", std::move(last)},
                    {"has_more", more}},
               call.headers());
}

} // namespace

Task<void> responses_create(Ctx &cx, V1Call &call) {
  auto parsed = openai::parse_responses_request(cx.req.body);
  if (const auto *err = parsed.error_if()) {
    call.fail(cx, *err);
    co_return;
  }
  openai::ResponsesRequest req = std::move(parsed).value();
  call.model = req.model;
  call.stream = req.stream;
  const grok::ModelInfo *model = grok::find_model(req.model);
  if (!model) {
    call.fail(cx, model_not_found(req.model));
    co_return;
  }
  std::vector<fx::Stmt> reads = PoolRun::reads(*model, cx.now_ms);
  const size_t previous_read = reads.size();
  if (!req.previous_response_id.empty())
    reads.push_back(stored_response_select(req.previous_response_id));
  auto authz = co_await authorize(cx, call, req.model, std::move(reads));
  if (!authz) {
    call.fail(cx, authz.error());
    co_return;
  }
  GrokConfig cfg = grok_config(cx.req, authz->settings);
  if (model->kind == grok::ModelKind::ImageEdit) {
    call.fail(cx, invalid_request("The model '" + req.model +
                                      "' is served by the images API, not responses.",
                                  "model", "model_not_supported"));
    co_return;
  }

  std::vector<answer::Turn> history;
  std::optional<Continuation> continuation;
  if (!req.previous_response_id.empty()) {
    const bool ours = is_response_id(req.previous_response_id);
    auto previous = ours ? stored_response_from_rows(
                               jget(authz->reads, static_cast<int>(previous_read)), authz->key.id)
                         : std::nullopt;
    if (!previous && ours)
      previous = co_await wait_for_stored(cx, req.previous_response_id, authz->key.id);
    if (!previous) {
      call.fail(cx, previous_response_not_found(req.previous_response_id));
      co_return;
    }
    history = replay_turns(*previous);
    continuation = continuation_of(*previous);
  }
  answer::Conversation conv = openai::responses_conversation(req, history);
  name_images(conv);
  // Where the previous answer's Grok conversation is known, its account continues it with the
  // new input only (instructions included: they are not inherited); others replay `conv`.
  answer::Conversation fresh;
  if (continuation) {
    fresh = openai::responses_conversation(req, {});
    name_images(fresh);
    tools::name_tool_results(fresh, conv);
  }

  JobRequest jr;
  jr.conversation = &conv;
  jr.stream = req.stream;
  jr.turns_param = "input";
  if (continuation) {
    jr.continuation = std::move(continuation);
    jr.new_turns = &fresh;
  }
  if (model->kind == grok::ModelKind::Video) {
    auto vs = grok::video_settings("3:2", 6, "SD", "normal");
    if (vs.ok()) jr.video = vs.value();
  }
  auto built = co_await build_answer_job(cx, *model, cfg, authz->settings, jr);
  if (const auto *err = built.error_if()) {
    call.fail(cx, *err);
    co_return;
  }
  ChatJob job = std::move(built).value();

  std::string hex = hex_encode(co_await cx.random(12));
  openai::ResponsesRenderOptions render;
  render.id = "resp_" + hex;
  render.item_seed = hex;
  render.created_at = cx.now_ms / 1000;
  render.model = req.model;
  render.show_reasoning = !req.reasoning_summary.empty();
  render.prompt_tokens =
      answer::estimate_tokens(job.prompt) + 85 * static_cast<long long>(job.images.size());
  render.max_output_tokens = req.max_output_tokens;
  render.echo = openai::response_echo(req);
  auto final_response = std::make_shared<openai::FinalResponse>();
  render.final_response = final_response;
  std::string call_ids = "call_" + hex_encode(co_await cx.random(10));
  job.renderer = [render, stream = req.stream, tools_conv = &conv, call_ids]() {
    return tools::with_tools(std::make_unique<openai::ResponsesRenderer>(render, stream),
                             *tools_conv, call_ids);
  };

  AnswerOutcome outcome = co_await run_answer(cx, call, *model, cfg, *authz, job);

  // The response the client received is stored with the log row (store:false keeps nothing).
  if (!req.store || final_response->json.empty() || cx.client_gone) co_return;
  StoredResponse stored;
  stored.id = render.id;
  stored.key_id = authz->key.id;
  stored.created_at = cx.now_ms;
  stored.model = req.model;
  stored.status = final_response->status;
  std::vector<answer::Turn> turns = std::move(history);
  turns.insert(turns.end(), req.input.begin(), req.input.end());
  stored.turns = turns_json(turns);
  stored.input_items = input_items_json(req.input, hex);
  stored.response_text = std::move(final_response->json);
  if (outcome.answered) {
    stored.grok_conversation_id = outcome.last.conversation_id;
    stored.grok_response_id = outcome.last.response_id;
    stored.grok_token_id = outcome.token_id;
  }
  if (auto stmt = stored_response_insert(stored))
    call.closing.push_back(std::move(*stmt));
  else
    cx.log("warn", "response " + stored.id + " not stored: larger than " +
                       std::to_string(kMaxStoredResponseBytes) + " bytes");
}

Task<void> responses_get(Ctx &cx, V1Call &call) {
  auto [id, sub] = id_and_sub(cx.req.path, kPrefix);
  if (id.empty() || (!sub.empty() && sub != "input_items")) {
    call.fail(cx, not_found_route(cx.req.method, cx.req.path));
    co_return;
  }
  if (!sub.empty()) call.route = "responses.input_items";
  auto stored = co_await load_owned(cx, call, id);
  if (!stored) {
    call.fail(cx, stored.error());
    co_return;
  }
  if (!sub.empty()) {
    list_input_items(cx, call, *stored);
    co_return;
  }
  respond_json(cx, 200, stored->response, call.headers());
}

Task<void> responses_delete(Ctx &cx, V1Call &call) {
  auto [id, sub] = id_and_sub(cx.req.path, kPrefix);
  if (id.empty() || !sub.empty()) {
    call.fail(cx, not_found_route(cx.req.method, cx.req.path));
    co_return;
  }
  auto authz = co_await authorize(cx, call, "");
  if (!authz) {
    call.fail(cx, authz.error());
    co_return;
  }
  if (!is_response_id(id)) {
    call.fail(cx, response_not_found(id));
    co_return;
  }
  auto res = co_await cx.run({fx::d1({stored_response_delete(id, authz->key.id)})});
  const auto r = fx::D1Result::of(fx::result_at(res));
  if (!r.ok) {
    call.fail(cx, storage_unavailable());
    co_return;
  }
  if (r.changes(0) == 0) {
    call.fail(cx, response_not_found(id));
    co_return;
  }
  respond_json(cx, 200, json{{"id", id}, {"object", "response"}, {"deleted", true}},
               call.headers());
}

} // namespace g2a::app
