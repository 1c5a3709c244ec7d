// V1Call: what one /v1 request accumulates for its log row (who, which model, which Grok
// token, how many upstream attempts, how it ended) and the headers every /v1 answer carries.
#pragma once

#include "core/context.h"
#include "http/response.h"

#include <string>

namespace g2a::app {

struct V1Call {
  std::string id; // "req_" + 24 hex; also the x-request-id header
  std::string route;
  ErrorDialect dialect = ErrorDialect::OpenAI; // the route's client API writes its errors
  std::string model;
  std::string key_id; // set once the bearer key matched a stored key (even a disabled one)
  std::string key_name;
  bool key_checked = false; // the bearer key was looked up in D1
  std::string token_id;
  std::string token_suffix;
  int attempts = 0;
  std::string statsig_source; // the statsig chain's step that made the last x-statsig-id
  std::string quality;        // the quality guard's note (e.g. "loop:retried", "loop:cut")
  bool stream = false;
  std::string error_code;
  std::string error_message;
  int status_override = 0; // e.g. 499 when the client went away mid-stream
  long long prompt_tokens = 0;
  long long completion_tokens = 0;
  // Statements that ride in the batch that writes the log row (the final account release and
  // outcome, a refund): one D1 round trip after the answer instead of three.
  std::vector<fx::Stmt> closing;

  Headers headers() const; // CORS + x-request-id
  // Sends the error in the route's dialect and remembers its code for the log.
  void fail(Ctx &cx, ApiError e);
};

} // namespace g2a::app
