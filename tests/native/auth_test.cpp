// API-key parsing, decisions and quota statements.
#include "auth/api_keys.h"
#include "core/time.h"

#include <gtest/gtest.h>

using namespace g2a;
using namespace g2a::auth;

namespace {
Request with_auth(std::string value) {
  Request r;
  r.headers.emplace_back("authorization", std::move(value));
  return r;
}
} // namespace

TEST(Auth, BearerParsing) {
  EXPECT_EQ(bearer_key(with_auth("Bearer sk-abc")), "sk-abc");
  EXPECT_EQ(bearer_key(with_auth("bearer   sk-abc  ")), "sk-abc");
  EXPECT_FALSE(bearer_key(with_auth("Basic abc")));
  EXPECT_FALSE(bearer_key(with_auth("Bearer ")));
  EXPECT_FALSE(bearer_key(with_auth("Bearer sk abc")));
  EXPECT_FALSE(bearer_key(Request{}));
}

TEST(Auth, ApiKeyFromBearerOrXApiKey) {
  Request bearer = with_auth("Bearer sk-abc");
  EXPECT_EQ(api_key(bearer), "sk-abc");
  Request x;
  x.headers.emplace_back("x-api-key", "  sk-x  ");
  EXPECT_EQ(api_key(x), "sk-x");
  Request both = with_auth("Bearer sk-bearer");
  both.headers.emplace_back("x-api-key", "sk-x");
  EXPECT_EQ(api_key(both), "sk-bearer"); // Authorization wins
  Request bad_auth = with_auth("Basic abc");
  bad_auth.headers.emplace_back("x-api-key", "sk-x");
  EXPECT_FALSE(api_key(bad_auth)); // a malformed Authorization is not rescued by x-api-key
  Request spaced;
  spaced.headers.emplace_back("x-api-key", "sk a");
  EXPECT_FALSE(api_key(spaced));
  EXPECT_FALSE(api_key(Request{}));
}
