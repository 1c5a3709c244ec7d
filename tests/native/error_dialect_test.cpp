// Error shapes per client API: OpenAI's unchanged, Anthropic's with its type for each status.
#include "http/error_dialect.h"

#include <gtest/gtest.h>

using namespace g2a;

TEST(ErrorDialect, OpenAIShapeIsTheClassicOne) {
  ApiError e = invalid_request("bad", "messages", "empty_prompt");
  EXPECT_EQ(
      dump(error_body(e, ErrorDialect::OpenAI, "req_1")),
      R"({"error":{"message":"bad","type":"invalid_request_error","param":"messages","code":"empty_prompt"}})");
  EXPECT_EQ(error_sse_event(e, ErrorDialect::OpenAI), error_sse_event(e));
}

TEST(ErrorDialect, AnthropicShapeNamesTheTypeForTheStatus) {
  ApiError e = invalid_request("max_tokens: Field required", "max_tokens");
  EXPECT_EQ(
      dump(error_body(e, ErrorDialect::Anthropic, "req_1")),
      R"({"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: Field required"},"request_id":"req_1"})");
  const std::pair<int, const char *> cases[] = {{400, "invalid_request_error"},
                                                {401, "authentication_error"},
                                                {402, "billing_error"},
                                                {403, "permission_error"},
                                                {404, "not_found_error"},
                                                {405, "invalid_request_error"},
                                                {408, "invalid_request_error"},
                                                {409, "conflict_error"},
                                                {413, "request_too_large"},
                                                {429, "rate_limit_error"},
                                                {500, "api_error"},
                                                {502, "api_error"},
                                                {503, "api_error"},
                                                {504, "timeout_error"},
                                                {529, "overloaded_error"}};
  for (auto [status, type] : cases) EXPECT_EQ(anthropic_error_type(status), type) << status;
}

TEST(ErrorDialect, AnthropicStreamErrorIsANamedEvent) {
  ApiError e;
  e.status = 529;
  e.message = "Overloaded";
  EXPECT_EQ(error_sse_event(e, ErrorDialect::Anthropic),
            R"(event: error
data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}

)");
}
