// One chat attempt.
#include "app/chat_attempt.h"
#include "grok/endpoints.h"

#include "app/chat_transport.h"
#include "app/failure_map.h"
#include "app/grok_rest.h"
#include "app/media_links.h"
#include "grok/cookies.h"
#include "tools/json_output.h"

#include <algorithm>
#include <cctype>

namespace g2a::app {

namespace {

// The video model: newest form (mediaGenInput textToVideo / imageToVideo); when Grok refuses
// it for a reason that is not the account's, the legacy form (a media post, then
// videoGenModelConfig).
Task<Transport> open_video_transport(Ctx &cx, GrokConfig &cfg, const pool::TokenRow &tok,
                                     const ChatJob &job, const std::vector<std::string> &file_ids,
                                     const std::vector<std::string> &file_uris) {
  grok::VideoPayload vp;
  vp.prompt = job.video_prompt;
  vp.settings = job.video_settings;
  if (!file_ids.empty()) vp.image_asset_id = file_ids[0];
  TransportRequest treq;
  treq.model = job.model;
  treq.referer = grok::endpoints::kImaginePage;
  treq.rest_body = grok::video_body(vp);
  Transport t = co_await open_chat_transport(cx, cfg, tok, treq);
  if (t.fault.failure != answer::Failure::BadResponse &&
      t.fault.failure != answer::Failure::ModelUnavailable)
    co_return t;
  RestCall post;
  post.path = grok::endpoints::kMediaPostCreate;
  post.cookie = grok::build_cookie(tok.sso, cfg.cookies);
  post.referer = grok::endpoints::kImaginePage;
  post.body = grok::media_post_create_body(
      vp.prompt, file_uris.empty() ? std::string_view()
                                   : absolute_asset_url(cfg.profile.assets_url, file_uris[0]));
  RestReply r = co_await grok_rest(cx, cfg, post);
  auto post_id = r.ok() ? grok::parse_media_post_id(r.body) : std::nullopt;
  if (!post_id) co_return t; // report the newest form's failure
  vp.parent_post_id = *post_id;
  treq.rest_body = grok::video_body_legacy(vp);
  co_return co_await open_chat_transport(cx, cfg, tok, treq);
}

// `mode` is one of the comma-separated names in `list`.
bool mode_listed(std::string_view list, std::string_view mode) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty() && item == mode) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

// Grok ids go into a URL path later: only ids made of the characters Grok's ids use.
bool plain_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
  return true;
}

// Uploads `images` for the account and opens the upstream: a follow-up in the continued
// conversation when `follow_up`, else a new chat (or the video request).
Task<Transport> open_attempt(Ctx &cx, GrokConfig &cfg, const ChatJob &job,
                             const pool::TokenRow &tok, bool follow_up,
                             const std::vector<ImageInput> &images,
                             std::vector<std::string> &file_ids) {
  Transport t;
  std::vector<std::string> file_uris;
  file_ids.clear();
  if (!images.empty()) {
    auto up = co_await upload_images(cx, cfg, grok::build_cookie(tok.sso, cfg.cookies), images);
    if (const answer::Fault *f = up.error_if()) {
      t.fault = *f;
      co_return t;
    }
    file_ids = std::move(up.value().file_ids);
    file_uris = std::move(up.value().file_uris);
  }
  if (job.video) co_return co_await open_video_transport(cx, cfg, tok, job, file_ids, file_uris);
  TransportRequest treq;
  treq.model = job.model;
  treq.prompt = follow_up ? job.continuation->prompt : job.prompt;
  treq.file_ids = file_ids;
  if (follow_up) {
    treq.conversation_id = job.continuation->conversation_id;
    treq.parent_response_id = job.continuation->parent_response_id;
  }
  co_return co_await open_chat_transport(cx, cfg, tok, treq);
}

} // namespace

Task<AttemptResult> chat_attempt(Ctx &cx, GrokConfig &cfg, V1Call &call, ChatJob &job,
                                 const pool::TokenRow &tok) {
  AttemptResult out;
  std::vector<std::string> file_ids;
  // The account holding a continued conversation gets a follow-up with the new turns only;
  // when Grok refuses it (the conversation is gone, …) for a reason that is not the account's,
  // the same account gets the whole conversation as a new chat.
  const Continuation *cont = job.continuation && !job.video && cfg.transport != "ws" &&
                                     job.continuation->token_id == tok.id &&
                                     plain_id(job.continuation->conversation_id)
                                 ? &*job.continuation
                                 : nullptr;
  Transport t;
  if (cont) {
    size_t n = std::min(cont->new_images, job.images.size());
    std::vector<ImageInput> fresh(job.images.end() - static_cast<long>(n), job.images.end());
    t = co_await open_attempt(cx, cfg, job, tok, true, fresh, file_ids);
    if (t.fault.ok()) {
      out.conversation_id = cont->conversation_id;
    } else if (t.fault.failure != answer::Failure::AuthInvalid &&
               t.fault.failure != answer::Failure::RateLimited) {
      cx.log("info", "follow-up refused (" + std::string(answer::failure_name(t.fault.failure)) +
                         "): sending the whole conversation as a new chat");
      cont = nullptr;
    }
  }
  if (!cont) t = co_await open_attempt(cx, cfg, job, tok, false, job.images, file_ids);
  if (!t.fault.ok()) {
    out.fault = t.fault;
    co_return out;
  }

  out.egress = t.mgw ? "ws " + ws_url(cfg.ws_base, "") : "rest " + cfg.profile.base_url;
  if (const std::string &b = t.mgw ? cfg.ws_binding : cfg.rest_binding; !b.empty())
    out.egress += " " + b; // through that Worker binding
  AnswerSinkOptions so;
  so.source = t.source;
  so.decoder.protocol = t.mgw ? UpstreamProtocol::Mgw : UpstreamProtocol::Ndjson;
  so.decoder.decode = cfg.decode;
  so.decoder.mgw.mode = std::string(job.model->mode);
  so.decoder.mgw.prompt = job.prompt;
  so.decoder.mgw.file_ids = file_ids;
  so.decoder.mgw.temporary = cfg.temporary;
  so.decoder.mgw.disable_memory = cfg.disable_memory;
  so.response_headers = call.headers();
  so.keepalive_ms = cfg.keepalive_ms;
  if (job.on_progress) so.progress_step = job.progress_step;
  so.quality = cfg.quality;
  so.quality.expect_reasoning = mode_listed(cfg.quality_reasoning_modes, job.model->mode);
  so.quality_retry = cfg.quality_retry;
  AnswerSink sink(std::move(so), job.renderer());
  sink.start(cx);
  Timeouts timeouts = cfg.timeouts;
  timeouts.tick_ms = pump_tick_ms(t.mgw, cfg.keepalive_ms);

  bool eof = false;
  for (;;) {
    PumpResult pr = co_await cx.pump(t.source, sink, timeouts);
    if (pr.end == PumpEnd::ClientGone) {
      out.client_gone = true;
      break;
    }
    if (pr.end == PumpEnd::Eof) eof = true;
    if (pr.end != PumpEnd::Stopped) sink.source_ended(cx, pr.end, pr.detail);
    if (int p = sink.take_progress(); p >= 0 && job.on_progress) {
      co_await job.on_progress(cx, p);
      if (pr.end == PumpEnd::Stopped && !sink.paused() && !sink.done() && !sink.failed()) continue;
    }
    if (sink.paused() && !sink.images_waiting().empty()) {
      std::vector<MediaRef> refs;
      for (const auto &m : sink.images_waiting()) {
        refs.push_back(MediaRef{tok.id, absolute_asset_url(cfg.profile.assets_url, m.url)});
        if (m.kind == answer::Event::Kind::Video && !m.thumb.empty())
          refs.push_back(MediaRef{tok.id, absolute_asset_url(cfg.profile.assets_url, m.thumb)});
      }
      auto links = co_await mint_media_links(cx, refs, cfg.media_base);
      sink.deliver_links(cx, links);
      if (!sink.done() && !sink.failed() && !eof) continue;
      if (eof && !sink.done() && !sink.failed()) sink.source_ended(cx, PumpEnd::Eof, "");
    }
    break;
  }
  if (!eof) cx.cancel_source(t.source);
  if (size_t n = sink.ignored_frames())
    cx.log("info", "upstream: " + std::to_string(n) + " frame(s) of an unknown kind ignored");
  out.usage = sink.usage();
  out.quality = sink.quality_note();
  if (plain_id(sink.conversation_id())) out.conversation_id = sink.conversation_id();
  if (plain_id(sink.response_id())) out.response_id = sink.response_id();
  out.committed = sink.committed() && sink.streaming();

  if (out.client_gone) co_return out;
  if (sink.failed()) {
    out.fault = sink.fault();
    if (out.committed) {
      sink.fail_stream(cx, upstream_error({out.fault.failure}));
      cx.end_stream();
    }
    co_return out;
  }
  if (!sink.has_output()) {
    // Completed without a visible answer: a moderated image, or an empty reply (an upstream
    // hiccup another account may not have).
    out.fault = sink.moderated_images() > 0
                    ? answer::Fault{answer::Failure::Moderated, "image moderated"}
                    : answer::Fault{answer::Failure::ResourceExhausted, "empty answer"};
    if (out.committed) {
      sink.fail_stream(cx, upstream_error({out.fault.failure}));
      cx.end_stream();
    }
    co_return out;
  }
  if (!job.retry_prompt.empty() && sink.lacks_required_call()) {
    // A required call is missing and the answer is still held: nothing reached the client.
    out.missed_call = true;
    co_return out;
  }
  if (std::string problem = sink.output_problem(); !problem.empty()) {
    // A strict JSON schema the answer cannot be made to fit: an error instead of invalid JSON
    // (the answer was held, so normally nothing reached the client).
    out.invalid_output = true;
    out.fault.detail = problem;
    ApiError e = tools::invalid_structured_output(problem);
    if (out.committed) {
      sink.fail_stream(cx, e);
      cx.end_stream();
    } else if (job.deliver) {
      call.fail(cx, e);
    }
    co_return out;
  }
  if (!job.deliver) {
    out.reply = sink.content();
  } else if (sink.streaming()) {
    sink.finish_stream(cx);
    cx.end_stream();
    out.committed = true;
  } else {
    sink.finish_stream(cx);
    Headers h{{"content-type", std::string(sink.content_type())}};
    for (auto &kv : call.headers()) h.push_back(kv);
    cx.respond(200, std::move(h), sink.body());
  }
  co_return out;
}

} // namespace g2a::app
