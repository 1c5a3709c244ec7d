// Upstream transport for chat-shaped requests.
#include "app/chat_transport.h"
#include "app/egress.h"
#include "grok/endpoints.h"

#include "app/grok_rest.h"
#include "grok/auth_session.h"
#include "grok/chat_payload.h"
#include "grok/cookies.h"
#include "grok/upstream_errors.h"
#include "grok/upstream_headers.h"

namespace g2a::app {

Task<std::string> user_id_for(Ctx &cx, GrokConfig &cfg, const pool::TokenRow &tok,
                              const std::string &cookie, Transport &t) {
  if (!tok.user_id.empty()) co_return tok.user_id;
  RestCall call;
  call.method = "GET";
  call.path = grok::endpoints::kAuthSession;
  call.cookie = cookie;
  call.timeout_ms = 15000;
  RestReply r = co_await grok_rest(cx, cfg, call);
  if (!r.ok()) {
    if (r.failure == answer::Failure::AuthInvalid) {
      t.failure = r.failure;
      t.detail = "auth session: " + r.detail;
    }
    co_return std::string();
  }
  grok::SessionInfo s = grok::parse_auth_session(r.body);
  if (s.state == grok::SessionInfo::State::Unauthenticated ||
      s.state == grok::SessionInfo::State::Blocked) {
    t.failure = answer::Failure::AuthInvalid;
    t.detail = s.state == grok::SessionInfo::State::Blocked ? "account blocked" : "signed out";
    co_return std::string();
  }
  if (!s.user_id.empty())
    co_await cx.run({fx::d1(
        {{"UPDATE tokens SET user_id = ?2 WHERE id = ?1", json::array({tok.id, s.user_id})}})});
  co_return s.user_id;
}

Task<Transport> open_chat_transport(Ctx &cx, GrokConfig &cfg, const pool::TokenRow &tok,
                                    const TransportRequest &req) {
  Transport t;
  std::string cookie = grok::build_cookie(tok.sso, cfg.cookies);
  const bool follow_up = !req.conversation_id.empty();
  if (cfg.transport != "rest" && req.rest_body.empty() && !follow_up) {
    std::string uid = co_await user_id_for(cx, cfg, tok, cookie, t);
    if (t.failure != answer::Failure::None) co_return t;
    if (!uid.empty()) {
      fx::WsOpen open{ws_url(cfg.ws_base, std::string(grok::endpoints::kMgwSocket) + uid),
                      grok::ws_headers(cfg.profile, grok::build_cookie(tok.sso, cfg.cookies, uid)),
                      cfg.ws_binding};
      auto res = co_await cx.run({fx::effect(std::move(open))});
      const auto r = fx::FetchResult::of(fx::result_at(res));
      if (r.binding_missing) {
        // A deployment mistake, not a transport hiccup: no fallback to another egress.
        t.failure = answer::Failure::EgressUnavailable;
        t.detail = binding_missing_message(cfg.ws_binding);
        co_return t;
      }
      int status = r.status;
      if (r.ok && status == 101 && r.has_source()) {
        t.source = r.source;
        t.mgw = true;
        co_return t;
      }
      answer::Failure f =
          status ? grok::classify_http_failure(status, r.header("content-type"), r.body)
                 : answer::Failure::HandshakeRefused;
      // An account problem is the account's whatever the transport; anything else is the
      // transport's, and "auto" falls back to REST on the same account.
      if (f == answer::Failure::AuthInvalid || f == answer::Failure::RateLimited ||
          cfg.transport == "ws") {
        t.failure = f == answer::Failure::AuthInvalid || f == answer::Failure::RateLimited
                        ? f
                        : answer::Failure::HandshakeRefused;
        t.detail = "mgw handshake: HTTP " + std::to_string(status);
        t.retry_after_s = retry_after_seconds(r);
        co_return t;
      }
    } else if (cfg.transport == "ws") {
      t.failure = answer::Failure::HandshakeRefused;
      t.detail = "no user id for the mgw WebSocket";
      co_return t;
    }
  }
  grok::ChatPayloadInput in;
  in.model = req.model;
  in.message = req.prompt;
  in.file_ids = req.file_ids;
  in.temporary = cfg.temporary;
  in.disable_memory = cfg.disable_memory;
  in.enable_image_generation = req.enable_image_generation;
  in.image_count = req.image_count;
  in.parent_response_id = req.parent_response_id;
  RestCall call;
  call.path = follow_up ? std::string(grok::endpoints::kConversations) + req.conversation_id +
                              std::string(grok::endpoints::kResponses)
                        : std::string(grok::endpoints::kNewConversation);
  call.cookie = cookie;
  call.body = req.rest_body.empty() ? grok::rest_conversation_body(in) : req.rest_body;
  call.referer =
      follow_up ? std::string(grok::endpoints::kChatPage) + req.conversation_id : req.referer;
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

} // namespace g2a::app
