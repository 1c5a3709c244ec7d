// Failure → OpenAI error mapping.
#include "app/failure_map.h"

namespace g2a::app {

ApiError upstream_error(const answer::Fault &fault) {
  using F = answer::Failure;
  const F f = fault.failure;
  const long long retry_after_s = fault.retry_after_s;
  ApiError e;
  const std::string &d = fault.detail;
  auto with = [&](std::string msg) { return d.empty() ? msg : msg + " (" + d + ")"; };
  switch (f) {
  case F::Moderated:
    e.status = 400;
    e.type = "invalid_request_error";
    e.code = "content_policy_violation";
    e.message = "Grok refused this request under its content policy.";
    break;
  case F::AuthInvalid:
    e.status = 503;
    e.type = "service_unavailable_error";
    e.code = "no_available_token";
    e.message = with("Every Grok account tried was rejected as signed out or blocked; "
                     "replace the sso tokens in the admin.");
    e.headers = {{"x-should-retry", "false"}};
    break;
  case F::RateLimited:
    e.status = 429;
    e.type = "rate_limit_error";
    e.code = "rate_limit_exceeded";
    e.message = with("Grok rate-limited every account tried");
    e.headers = {{"retry-after", std::to_string(retry_after_s > 0 ? retry_after_s : 60)}};
    break;
  case F::AntiBot:
  case F::StatsigOutdated:
    e.status = 502;
    e.type = "upstream_error";
    e.code = "upstream_blocked";
    e.message = with("Grok rejected the request as automated (x-statsig-id). Refresh the statsig "
                     "material (settings: statsig_seed/statsig_key, statsig_fallback, or "
                     "statsig_mode=manual with a value copied from a browser).");
    break;
  case F::StatsigUnavailable:
    // A local failure: nothing reached Grok. `detail` is the chain's own message.
    e.status = 503;
    e.type = "service_unavailable_error";
    e.code = "statsig_unavailable";
    e.message = d.empty() ? "could not create x-statsig-id; set statsig_fallback or "
                            "statsig_manual (a value copied from a browser)"
                          : d;
    e.headers = {{"x-should-retry", "false"}};
    break;
  case F::EgressUnavailable:
    // A deployment mistake (grok_*_url = binding:NAME without that binding): nothing was sent.
    e.status = 503;
    e.type = "service_unavailable_error";
    e.code = "egress_unavailable";
    e.message = d.empty() ? "the upstream binding named in grok_base_url / grok_ws_url / "
                            "grok_assets_url is not bound to this Worker"
                          : d;
    e.headers = {{"x-should-retry", "false"}};
    break;
  case F::CloudflareChallenge:
    e.status = 502;
    e.type = "upstream_error";
    e.code = "upstream_blocked";
    e.message =
        with("Cloudflare challenged the request to Grok. Set cf_clearance (and the same "
             "User-Agent) from a browser on the same egress IP, or use a different egress.");
    break;
  case F::ModelUnavailable:
    e.status = 503;
    e.type = "service_unavailable_error";
    e.code = "model_unavailable";
    e.message = with("None of the Grok accounts tried can use this model right now.");
    break;
  case F::Timeout:
    e.status = 504;
    e.type = "upstream_error";
    e.code = "upstream_timeout";
    e.message = with("Grok did not answer in time.");
    break;
  case F::ResourceExhausted:
    e.status = 502;
    e.type = "upstream_error";
    e.code = "upstream_overloaded";
    e.message = with("Grok is overloaded and returned no answer; retry shortly.");
    break;
  case F::HandshakeRefused:
  case F::Upstream5xx:
  case F::Network:
  case F::BadResponse:
  case F::None:
    e.status = 502;
    e.type = "upstream_error";
    e.code = "upstream_error";
    e.message = with("Grok failed to answer.");
    break;
  }
  return e;
}

} // namespace g2a::app
