// Result<T, E> (core/result.h): a value or an error, read through ok()/value()/error() or, as
// the std::variant it is, through std::get_if / std::get.
#include "core/result.h"
#include "http/api_result.h"

#include <gtest/gtest.h>

#include <string>

using namespace g2a;

namespace {

ApiResult<int> half(int n) {
  if (n % 2) return invalid_request("odd", "n", "invalid_value");
  return n / 2;
}

TEST(Result, HoldsAValue) {
  auto r = half(8);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(r.value(), 4);
  EXPECT_EQ(r.error_if(), nullptr);
  EXPECT_EQ(std::get<int>(r), 4);
  EXPECT_EQ(std::get_if<ApiError>(&r), nullptr);
}

TEST(Result, HoldsAnErrorThatKnowsItsStatusAndParam) {
  auto r = half(7);
  EXPECT_FALSE(r.ok());
  ASSERT_NE(r.error_if(), nullptr);
  EXPECT_EQ(r.error().status, 400);
  EXPECT_EQ(r.error().type, "invalid_request_error");
  EXPECT_EQ(r.error().param, "n");
  EXPECT_EQ(r.error().code, "invalid_value");
  EXPECT_EQ(r.error().message, "odd");
  ASSERT_NE(std::get_if<ApiError>(&r), nullptr);
  EXPECT_EQ(std::get_if<ApiError>(&r)->message, "odd");
}

TEST(Result, MovesItsValueOut) {
  Result<std::string, int> r = std::string(100, 'x');
  std::string s = std::move(r).value();
  EXPECT_EQ(s.size(), 100u);
  Result<std::string, int> e = 42;
  EXPECT_FALSE(e.ok());
  EXPECT_EQ(std::move(e).error(), 42);
}

TEST(Result, ReachesTheValueLikeStdExpected) {
  struct Pair {
    int a = 0;
    std::string b;
  };
  Result<Pair, int> r = Pair{3, "three"};
  EXPECT_EQ(r->a, 3);
  EXPECT_EQ((*r).b, "three");
  r->a = 4;
  EXPECT_EQ(r.value().a, 4);
  const Result<Pair, int> &c = r;
  EXPECT_EQ(c->b, "three");
}

// A function written for the variant still takes a Result.
template <class T> bool holds_value(const std::variant<T, ApiError> &v) {
  return v.index() == 0;
}

TEST(Result, PassesWhereAVariantIsExpected) {
  EXPECT_TRUE(holds_value(half(2)));
  EXPECT_FALSE(holds_value(half(3)));
}

} // namespace
