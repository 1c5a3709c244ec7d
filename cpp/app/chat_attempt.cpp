// One chat attempt.
#include "app/chat_attempt.h"

#include "app/failure_map.h"
#include "app/grok_rest.h"
#include "app/media_links.h"
#include "grok/auth_session.h"
#include "grok/chat_payload.h"
#include "grok/cookies.h"
#include "grok/upstream_errors.h"

namespace g2a::app {

namespace {

struct Transport {
  int source = -1;
  bool mgw = false;
  grok::Failure failure = grok::Failure::None;
  std::string detail;
  long long retry_after_s = -1;
};

// The account's user id for the mgw cookie: cached on the token row, else /api/auth/session.
Task<std::string> user_id_for(Ctx &cx, GrokConfig &cfg, const pool::TokenRow &tok,
                              const std::string &cookie, Transport &t) {
  if (!tok.user_id.empty()) co_return tok.user_id;
  RestCall call;
  call.method = "GET";
  call.path = "/api/auth/session";
  call.cookie = cookie;
  call.timeout_ms = 15000;
  RestReply r = co_await grok_rest(cx, cfg, call);
  if (!r.ok()) {
    if (r.failure == grok::Failure::AuthInvalid) {
      t.failure = r.failure;
      t.detail = "auth session: " + r.detail;
    }
    co_return std::string();
  }
  grok::SessionInfo s = grok::parse_auth_session(r.body);
  if (s.state == grok::SessionInfo::State::Unauthenticated ||
      s.state == grok::SessionInfo::State::Blocked) {
    t.failure = grok::Failure::AuthInvalid;
    t.detail = s.state == grok::SessionInfo::State::Blocked ? "account blocked" : "signed out";
    co_return std::string();
  }
  if (!s.user_id.empty())
    co_await cx.run({fx::d1({{"UPDATE tokens SET user_id = ?2 WHERE id = ?1",
                              json::array({tok.id, s.user_id})}})});
  co_return s.user_id;
}

Task<Transport> open_transport(Ctx &cx, GrokConfig &cfg, const pool::TokenRow &tok,
                               const ChatJob &job, const std::vector<std::string> &file_ids) {
  Transport t;
  std::string cookie = grok::build_cookie(tok.sso, cfg.cookies);
  if (cfg.transport != "rest") {
    std::string uid = co_await user_id_for(cx, cfg, tok, cookie, t);
    if (t.failure != grok::Failure::None) co_return t;
    if (!uid.empty()) {
      Headers h = grok::ws_headers(cfg.profile, grok::build_cookie(tok.sso, cfg.cookies, uid));
      json headers = json::array();
      for (auto &[k, v] : h) headers.push_back(json::array({k, v}));
      auto res = co_await cx.run({json{{"op", "ws_open"},
                                       {"url", ws_url(cfg.profile.base_url, "/ws/mgw/?uid=" + uid)},
                                       {"headers", std::move(headers)}}});
      const json &r = res.empty() ? null_json() : res[0];
      int status = static_cast<int>(int_or(r, "status"));
      if (bool_or(r, "ok") && status == 101 && jget(r, "source").is_number_integer()) {
        t.source = static_cast<int>(int_or(r, "source"));
        t.mgw = true;
        co_return t;
      }
      grok::Failure f = status ? grok::classify_http_failure(status, result_header(r, "content-type"),
                                                             str_or(r, "body"))
                               : grok::Failure::HandshakeRefused;
      // An account problem is the account's whatever the transport; anything else is the
      // transport's, and "auto" falls back to REST on the same account.
      if (f == grok::Failure::AuthInvalid || f == grok::Failure::RateLimited ||
          cfg.transport == "ws") {
        t.failure = f == grok::Failure::AuthInvalid || f == grok::Failure::RateLimited
                        ? f
                        : grok::Failure::HandshakeRefused;
        t.detail = "mgw handshake: HTTP " + std::to_string(status);
        t.retry_after_s = retry_after_seconds(r);
        co_return t;
      }
    } else if (cfg.transport == "ws") {
      t.failure = grok::Failure::HandshakeRefused;
      t.detail = "no user id for the mgw WebSocket";
      co_return t;
    }
  }
  grok::ChatPayloadInput in;
  in.model = job.model;
  in.message = job.prompt;
  in.file_ids = file_ids;
  in.temporary = cfg.temporary;
  in.disable_memory = cfg.disable_memory;
  RestCall call;
  call.path = "/rest/app-chat/conversations/new";
  call.cookie = cookie;
  call.body = grok::rest_conversation_body(in);
  call.read = "stream";
  call.timeout_ms = cfg.timeouts.first_ms;
  RestReply r = co_await grok_rest(cx, cfg, call);
  if (!r.ok()) {
    t.failure = r.failure;
    t.detail = r.detail;
    t.retry_after_s = r.retry_after_s;
    co_return t;
  }
  t.source = r.source;
  co_return t;
}

} // namespace

Task<AttemptResult> chat_attempt(Ctx &cx, GrokConfig &cfg, V1Call &call, ChatJob &job,
                                 const pool::TokenRow &tok) {
  AttemptResult out;
  std::vector<std::string> file_ids;
  if (!job.images.empty()) {
    UploadOutcome up = co_await upload_images(cx, cfg, grok::build_cookie(tok.sso, cfg.cookies),
                                              job.images);
    if (up.failure != grok::Failure::None) {
      out.failure = up.failure;
      out.detail = up.detail;
      out.retry_after_s = up.retry_after_s;
      co_return out;
    }
    file_ids = up.file_ids;
  }
  Transport t = co_await open_transport(cx, cfg, tok, job, file_ids);
  if (t.failure != grok::Failure::None) {
    out.failure = t.failure;
    out.detail = t.detail;
    out.retry_after_s = t.retry_after_s;
    co_return out;
  }

  ChatSinkOptions so;
  so.stream = job.stream;
  so.mgw = t.mgw;
  so.source = t.source;
  so.render = job.render;
  so.decode = cfg.decode;
  so.mgw_request.mode = std::string(job.model->mode);
  so.mgw_request.prompt = job.prompt;
  so.mgw_request.file_ids = file_ids;
  so.mgw_request.temporary = cfg.temporary;
  so.mgw_request.disable_memory = cfg.disable_memory;
  so.response_headers = call.headers();
  ChatSink sink(std::move(so));
  sink.start(cx);
  Timeouts timeouts = cfg.timeouts;
  if (t.mgw) timeouts.tick_ms = 25000;

  bool eof = false;
  for (;;) {
    PumpResult pr = co_await cx.pump(t.source, sink, timeouts);
    if (pr.end == PumpEnd::ClientGone) {
      out.client_gone = true;
      break;
    }
    if (pr.end == PumpEnd::Eof) eof = true;
    if (pr.end != PumpEnd::Stopped) sink.source_ended(cx, pr.end, pr.detail);
    if (sink.paused() && !sink.images_waiting().empty()) {
      job.media_secret = co_await media_secret(cx, job.media_secret);
      std::vector<MediaRef> refs;
      for (const auto &img : sink.images_waiting())
        refs.push_back(MediaRef{tok.id, absolute_asset_url(cfg.profile.assets_url, img.url)});
      auto links = co_await mint_media_links(cx, job.media_secret, refs, cfg.media_base);
      sink.deliver_links(cx, links);
      if (!sink.done() && !sink.failed() && !eof) continue;
      if (eof && !sink.done() && !sink.failed()) sink.source_ended(cx, PumpEnd::Eof, "");
    }
    break;
  }
  if (!eof) cx.cancel_source(t.source);
  out.usage = sink.usage();
  out.committed = sink.committed() && job.stream;

  if (out.client_gone) co_return out;
  if (sink.failed()) {
    out.failure = sink.failure();
    out.detail = sink.failure_detail();
    if (out.committed) {
      sink.fail_stream(cx, upstream_error(out.failure, ""));
      cx.end_stream();
    }
    co_return out;
  }
  if (!sink.has_output()) {
    // Completed without a visible answer: a moderated image, or an empty reply (an upstream
    // hiccup another account may not have).
    out.failure = sink.moderated_images() > 0 ? grok::Failure::Moderated
                                              : grok::Failure::ResourceExhausted;
    out.detail = sink.moderated_images() > 0 ? "image moderated" : "empty answer";
    if (out.committed) {
      sink.fail_stream(cx, upstream_error(out.failure, ""));
      cx.end_stream();
    }
    co_return out;
  }
  if (job.stream) {
    sink.finish_stream(cx);
    cx.end_stream();
    out.committed = true;
  } else {
    Headers h{{"content-type", "application/json"}};
    for (auto &kv : call.headers()) h.push_back(kv);
    cx.respond(200, std::move(h), sink.render_json());
  }
  co_return out;
}

} // namespace g2a::app
