// The names of answer::Failure used in logs, token-state rows and admin answers.
#include "answer/events.h"

namespace g2a::answer {

const char *failure_name(Failure f) {
  switch (f) {
  case Failure::None:
    return "none";
  case Failure::AuthInvalid:
    return "auth_invalid";
  case Failure::RateLimited:
    return "rate_limited";
  case Failure::AntiBot:
    return "anti_bot";
  case Failure::StatsigOutdated:
    return "statsig_outdated";
  case Failure::StatsigUnavailable:
    return "statsig_unavailable";
  case Failure::CloudflareChallenge:
    return "cloudflare_challenge";
  case Failure::Moderated:
    return "moderated";
  case Failure::ResourceExhausted:
    return "resource_exhausted";
  case Failure::ModelUnavailable:
    return "model_unavailable";
  case Failure::Upstream5xx:
    return "upstream_5xx";
  case Failure::Network:
    return "network";
  case Failure::Timeout:
    return "timeout";
  case Failure::BadResponse:
    return "bad_response";
  case Failure::HandshakeRefused:
    return "handshake_refused";
  case Failure::EgressUnavailable:
    return "egress_unavailable";
  }
  return "none";
}

} // namespace g2a::answer
