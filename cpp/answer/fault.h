// Fault: why one step that talks to Grok did not succeed — the Failure category the gateway's
// policies act on, a short secret-free detail for logs and token state, and the upstream's
// retry-after when it gave one. Every upstream step reports it the same way (the REST call,
// the upload, the transport, a chat, image or video attempt) and the pool records it as the
// account's outcome; app/failure_map.h turns it into the client's error. Pure.
#pragma once

#include "answer/events.h"
#include "core/result.h"

#include <string>
#include <utility>

namespace g2a::answer {

struct Fault {
  Fault() = default;
  Fault(Failure f, std::string why = {}, long long retry_after = -1)
      : failure(f), detail(std::move(why)), retry_after_s(retry_after) {}

  Failure failure = Failure::None;
  std::string detail;           // short, secret-free
  long long retry_after_s = -1; // from the upstream, when it said; -1 = unknown
  bool ok() const { return failure == Failure::None; }
};

// A value from an upstream step, or the Fault that kept it from Grok's answer.
template <class T> using UpstreamResult = Result<T, Fault>;

} // namespace g2a::answer
