// Grok REST calls with statsig retry.
#include "app/grok_rest.h"
#include "core/text.h"

#include "app/egress.h"
#include "app/statsig_flow.h"
#include "grok/upstream_errors.h"
#include "grok/upstream_headers.h"

namespace g2a::app {

long long retry_after_seconds(const fx::FetchResult &r) {
  // Delay-seconds only (an HTTP-date is not used by Grok): -1 when absent or not a number.
  return text::parse_int_in<long long>(text::trim(r.header("retry-after")), 0, 365LL * 24 * 3600)
      .value_or(-1);
}

answer::Fault handshake_fault(const fx::FetchResult &r, std::string_view socket) {
  answer::Failure f = r.status
                          ? grok::classify_http_failure(r.status, r.header("content-type"), r.body)
                          : answer::Failure::HandshakeRefused;
  if (f != answer::Failure::AuthInvalid && f != answer::Failure::RateLimited)
    f = answer::Failure::HandshakeRefused;
  return {f, std::string(socket) + " handshake: HTTP " + std::to_string(r.status),
          retry_after_seconds(r)};
}

static std::string short_detail(int status, std::string_view body) {
  std::string d = "HTTP " + std::to_string(status);
  // A hint of the body helps operators; never the cookie or headers.
  std::string_view b = body.substr(0, 160);
  if (!b.empty() && b.find('<') == std::string_view::npos) d += ": " + std::string(b);
  return d;
}

Task<RestReply> grok_rest(Ctx &cx, GrokConfig &cfg, RestCall call) {
  RestReply reply;
  std::string refused; // the value Grok refused on the first attempt
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto statsig = co_await statsig_for(cx, cfg, call.method, call.path, refused);
    if (!statsig && attempt > 0) {
      // Grok refused the first value and the chain has nothing else: Grok's answer stands.
      reply.fault.detail += "; " + statsig.error().detail;
      co_return reply;
    }
    if (!statsig) {
      // Nothing was sent to Grok: an honest local error, not Grok's anti-bot answer.
      reply.fault = std::move(statsig).error();
      if (!cfg.egress_error.empty()) // the home page's binding is not bound
        reply.fault = {answer::Failure::EgressUnavailable, cfg.egress_error};
      co_return reply;
    }
    std::string request_id = cx.uuid4();
    Headers h = call.upload_v2 ? grok::upload_v2_headers(cfg.profile, call.cookie, *statsig,
                                                         call.content_type, call.referer)
                               : grok::rest_headers(cfg.profile, call.cookie, *statsig, request_id,
                                                    call.referer, call.content_type);
    fx::Fetch fetch;
    fetch.method = call.method;
    fetch.url = cfg.profile.base_url + call.path;
    fetch.headers = std::move(h);
    fetch.read = call.read;
    fetch.max_bytes = call.max_bytes;
    fetch.timeout_ms = call.timeout_ms;
    fetch.binding = cfg.rest_binding;
    if (call.has_bytes)
      fetch.body = json{{"data", cx.stage_blob(call.bytes)}};
    else if (!call.body.is_null())
      fetch.body = call.body;
    auto res = co_await cx.run({fx::effect(std::move(fetch))});
    const auto r = fx::FetchResult::of(fx::result_at(res));
    if (!r.ok) {
      reply.status = 0;
      reply.fault = {r.timeout ? answer::Failure::Timeout : answer::Failure::Network,
                     r.error.empty() ? "network error" : std::string(r.error)};
      if (r.binding_missing)
        reply.fault = {answer::Failure::EgressUnavailable,
                       binding_missing_message(cfg.rest_binding)};
      co_return reply;
    }
    reply.status = r.status;
    reply.content_type = r.header("content-type");
    reply.fault.retry_after_s = retry_after_seconds(r);
    if (reply.status >= 200 && reply.status < 300) {
      statsig_accepted(cfg, cx.now_ms);
      reply.fault.failure = answer::Failure::None;
      reply.body = r.body;
      reply.source = r.source;
      co_return reply;
    }
    // Non-2xx: read the (bounded) body to classify it.
    std::string body(r.body);
    if (r.has_source()) {
      auto rd = co_await cx.run({fx::effect(fx::ReadSource{r.source})});
      if (!rd.empty()) body = fx::ReadSourceResult::of(rd[0]).body;
    }
    reply.body = body;
    reply.fault.failure = grok::classify_http_failure(reply.status, reply.content_type, body);
    reply.fault.detail = short_detail(reply.status, body);
    if (attempt == 0 && (reply.fault.failure == answer::Failure::AntiBot ||
                         reply.fault.failure == answer::Failure::StatsigOutdated)) {
      // The chain moves past what was refused (an outdated pair is re-derived from the page,
      // within the refresh interval, else the last working pair or the fallback value).
      statsig_refused(cfg, reply.fault.failure == answer::Failure::StatsigOutdated);
      refused = *statsig;
      continue;
    }
    co_return reply;
  }
  co_return reply;
}

} // namespace g2a::app
