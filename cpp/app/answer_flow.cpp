// run_answer implementation (see answer_flow.h).
#include "app/answer_flow.h"

#include "app/failure_map.h"
#include "app/pool_run.h"
#include "app/quota_refresh.h"

#include <utility>

namespace g2a::app {

Task<AnswerOutcome> run_answer(Ctx &cx, V1Call &call, const grok::ModelInfo &model, GrokConfig &cfg,
                               const Authorized &authz, ChatJob &job) {
  AnswerOutcome out;
  // Charge the key and reserve the best account in one batch, then try accounts.
  PoolRun pool_run(model, cfg);
  if (job.continuation) pool_run.prefer(job.continuation->token_id);
  auth::Charge charge = auth::charge_for(model, model.kind == grok::ModelKind::Image ? 2 : 0);
  if (auto refused = co_await pool_run.begin(cx, authz.key, charge, authz.reads)) {
    call.fail(cx, *refused);
    co_return out;
  }

  AttemptResult &last = out.last;
  bool &answered = out.answered;
  bool ended = false;
  const pool::TokenRow *served_by = nullptr;
  bool quality_retried = false; // a degraded answer is retried once on another account
  bool tool_retried = false;    // an answer without a required call was asked for again
  for (int attempt = 0; attempt < cfg.max_retries && !ended; ++attempt) {
    const pool::TokenRow *tok = co_await pool_run.acquire(cx, call);
    if (!tok) {
      if (attempt == 0)
        call.fail(cx, pool_run.no_token_error(cx.now_ms));
      else
        call.fail(cx, upstream_error(last.fault));
      ended = true;
      break;
    }
    cfg.quality_retry = !quality_retried && attempt + 1 < cfg.max_retries;
    last = co_await chat_attempt(cx, cfg, call, job, *tok);
    if (!last.quality.empty()) {
      call.quality = last.quality;
      if (last.quality.find(":retried") != std::string::npos) quality_retried = true;
    }
    if (last.missed_call) {
      // tool_choice requires a call and the answer made none (nothing reached the client):
      // once, the same account is asked again with the stronger reminder; its answer is
      // delivered as it is, call or not.
      cx.log("info", "tools: the answer made no required tool call; asking once more with the "
                     "stronger reminder");
      tool_retried = true;
      job.prompt = std::exchange(job.retry_prompt, {});
      // In a continued conversation the retry is a follow-up too (a sibling of the answer
      // that missed the call, from the same parent).
      if (job.continuation && !job.continuation->retry_prompt.empty())
        job.continuation->prompt = std::exchange(job.continuation->retry_prompt, {});
      last = co_await chat_attempt(cx, cfg, call, job, *tok);
      if (!last.quality.empty()) call.quality = last.quality;
    }

    if (auto src = cfg.statsig.last_source(); src != grok::StatsigSource::None)
      call.statsig_source = grok::statsig_source_name(src);
    call.prompt_tokens = last.usage.prompt;
    call.completion_tokens = last.usage.completion;
    if (last.client_gone) {
      call.error_code = "client_closed_request";
      call.error_message = "the client disconnected before the answer was complete";
      ended = true;
    } else if (last.invalid_output) {
      // Answered with invalid_structured_output (the error went out through `call` unless the
      // stream had begun); the account answered, so its outcome is a success.
      if (last.committed) {
        call.error_code = "invalid_structured_output";
        call.error_message = last.fault.detail;
      }
      ended = true;
    } else if (last.fault.ok()) {
      answered = true;
      ended = true;
      served_by = tok;
      out.token_id = tok->id;
    } else if (last.committed) {
      ApiError e = upstream_error(last.fault); // its code and message, for the log row
      call.error_code = e.code;
      call.error_message = e.message;
      ended = true;
    } else if (!pool::retry_elsewhere(last.fault.failure)) {
      call.fail(cx, upstream_error(last.fault));
      ended = true;
    }
    // The last attempt's release rides with the log row; an account given up on for another
    // is released (and its outcome recorded) before the next one is reserved.
    if (ended)
      pool_run.finish_with_log(call, *tok, last.fault, last.client_gone, cx.now_ms);
    else
      co_await pool_run.finish(cx, *tok, last.fault, last.client_gone);
  }
  if (!ended) call.fail(cx, upstream_error(last.fault));
  if (tool_retried) // the log row's quality note says so
    call.quality =
        call.quality.empty() ? "no_tool_call:retried" : call.quality + ",no_tool_call:retried";
  for (auto &s : cfg.deferred_writes) call.closing.push_back(std::move(s));
  cfg.deferred_writes.clear();

  // Charged for what was delivered: refunded only when no answer reached the client (a client
  // that leaves mid-stream keeps what it read, and is charged for it).
  bool delivered = answered || last.committed;
  if (!delivered && last.fault.failure != answer::Failure::Moderated)
    pool_run.refund_with_log(call);
  if (answered && served_by && quota_stale(*served_by, cfg, cx.now_ms))
    co_await refresh_quota(cx, cfg, *served_by, model);
  co_return out;
}

} // namespace g2a::app
