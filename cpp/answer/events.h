// Neutral stream events: what every upstream decoder (REST NDJSON, mgw WebSocket, imagine
// WebSocket) turns Grok's frames into, and what every client renderer (Chat Completions SSE
// and JSON today; Responses and Anthropic Messages later) turns into bytes. No decoder knows
// which client API is asking; no renderer knows which upstream protocol answered.
#pragma once

#include <string>

namespace g2a::answer {

// Why an upstream attempt failed, as far as the gateway's policies care.
enum class Failure {
  None,
  AuthInvalid,         // 401, blocked-user, unauthenticated session: the token is dead
  RateLimited,         // 429 or in-band usage limit: cool this token for this bucket
  AntiBot,             // 403 code 7 "rejected by anti-bot rules": statsig problem, not the token
  StatsigOutdated,     // 403 code 7 "page is out of date": the statsig pair must be refreshed
  StatsigUnavailable,  // no x-statsig-id could be made locally: nothing was sent to Grok
  CloudflareChallenge, // HTML challenge / cf-mitigated: egress or cf_clearance problem
  Moderated,           // content moderation: the prompt's fault
  ResourceExhausted,   // upstream overload (in-band): retry elsewhere, no penalty
  ModelUnavailable,    // the account cannot use this model/mode
  Upstream5xx,         // upstream server error
  Network,             // connection failure, abrupt EOF
  Timeout,             // first-byte / idle / total timeout
  BadResponse,         // unparseable or unexpected answer
  HandshakeRefused,    // WebSocket upgrade refused (transport problem; try the other transport)
  EgressUnavailable,   // the configured upstream binding is not bound: nothing was sent to Grok
};
const char *failure_name(Failure f);

struct Event {
  enum class Kind {
    Meta,      // ids: conversation_id in `id`, response id in `ref`, upstream model in `text`
    Text,      // answer text delta in `text`
    Reasoning, // reasoning text delta in `text`
    Citation,  // an inline citation at this point of the answer: `text` = markdown to insert
               // (e.g. "[[1]](https://…)"), `url`, `title`
    Source,    // a web/X search result the answer drew on: `url`, `title` (deduplicated)
    Image,     // generated image: `id`, `url` (absolute or relative asset path), `progress`
               // (0..100; 100 = final), `moderated`; `text` = the image bytes as base64 when
               // the upstream sends them (imagine `blob`: a preview below 100, the final JPEG
               // at 100), `thumb` = a preview URL when one is known
    Video,     // generated video: `id`, `progress`, `url` and `thumb` when final
    ToolCall,  // a tool call the answer makes (tools/sieve.h found it in the text): `id` = the
               // call id, `title` = the tool's name, `text` = its arguments (compact JSON, or
               // a freeform tool's raw input), `ref` = "custom" for a freeform tool
    Error,     // `failure`, `text` = message, `ref` = upstream code if any
    Done,      // the answer is complete; `ref` = response id when known
  };
  Kind kind = Kind::Text;
  std::string text;
  std::string id;
  std::string ref;
  std::string url;
  std::string title;
  std::string thumb;
  int progress = -1;
  bool moderated = false;
  Failure failure = Failure::None;
};

// Receives events from a decoder, in order.
class EventSink {
public:
  virtual ~EventSink() = default;
  virtual void on_event(Event &&ev) = 0;
};

} // namespace g2a::answer
