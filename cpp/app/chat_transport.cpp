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

Task<answer::UpstreamResult<std::string>>
user_id_for(Ctx &cx, GrokConfig &cfg, const pool::TokenRow &tok, const std::string &cookie) {
  if (!tok.user_id.empty()) co_return tok.user_id;
  RestCall call;
  call.method = "GET";
  call.path = grok::endpoints::kAuthSession;
  call.cookie = cookie;
  call.timeout_ms = 15000;
  RestReply r = co_await grok_rest(cx, cfg, call);
  if (!r.ok()) {
    if (r.fault.failure == answer::Failure::AuthInvalid)
      co_return answer::Fault{r.fault.failure, "auth session: " + r.fault.detail};
    co_return std::string();
  }
  grok::SessionInfo s = grok::parse_auth_session(r.body);
  if (s.state == grok::SessionInfo::State::Unauthenticated ||
      s.state == grok::SessionInfo::State::Blocked)
    co_return answer::Fault{answer::Failure::AuthInvalid,
                            s.state == grok::SessionInfo::State::Blocked ? "account blocked"
                                                                         : "signed out"};
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
    auto learnt = co_await user_id_for(cx, cfg, tok, cookie);
    if (const answer::Fault *f = learnt.error_if()) {
      t.fault = *f;
      co_return t;
    }
    const std::string &uid = learnt.value();
    if (!uid.empty()) {
      fx::WsOpen open{ws_url(cfg.ws_base, std::string(grok::endpoints::kMgwSocket) + uid),
                      grok::ws_headers(cfg.profile, grok::build_cookie(tok.sso, cfg.cookies, uid)),
                      cfg.ws_binding};
      auto res = co_await cx.run({fx::effect(std::move(open))});
      const auto r = fx::FetchResult::of(fx::result_at(res));
      if (r.binding_missing) {
        // A deployment mistake, not a transport hiccup: no fallback to another egress.
        t.fault = {answer::Failure::EgressUnavailable, binding_missing_message(cfg.ws_binding)};
        co_return t;
      }
      if (r.ok && r.status == 101 && r.has_source()) {
        t.source = r.source;
        t.mgw = true;
        co_return t;
      }
      // An account problem is the account's whatever the transport; anything else is the
      // transport's, and "auto" falls back to REST on the same account.
      answer::Fault refused = handshake_fault(r, "mgw");
      if (refused.failure != answer::Failure::HandshakeRefused || cfg.transport == "ws") {
        t.fault = std::move(refused);
        co_return t;
      }
    } else if (cfg.transport == "ws") {
      t.fault = {answer::Failure::HandshakeRefused, "no user id for the mgw WebSocket"};
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
    t.fault = r.fault;
    co_return t;
  }
  t.source = r.source;
  co_return t;
}

} // namespace g2a::app
