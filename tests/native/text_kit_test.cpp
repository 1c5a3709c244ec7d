// core/text.h: trim with each grammar's whitespace, ASCII iequals, whole-string integers (signed
// and unsigned, bounds, overflow, junk) and code point counting.
#include "core/text.h"

#include <gtest/gtest.h>

#include <cstdint>

using namespace g2a;

TEST(TextKit, TrimTakesTheGrammarsWhitespace) {
  EXPECT_EQ(text::trim("  a b \r\n"), "a b");
  EXPECT_EQ(text::trim(" \t "), "");
  EXPECT_EQ(text::trim("\r a \n", text::kSpaceTab), "\r a \n");
  EXPECT_EQ(text::trim("\f a \v", text::kHtmlSpace), "a \v");
  EXPECT_EQ(text::trim("\f a \v", text::kCSpace), "a");
  EXPECT_EQ(text::trim(" a ", " "), "a");
}

TEST(TextKit, IequalsIsAsciiOnly) {
  EXPECT_TRUE(text::iequals("Content-Type", "content-type"));
  EXPECT_FALSE(text::iequals("abc", "abcd"));
  EXPECT_FALSE(text::iequals("\xC3\x89", "\xC3\xA9")) << "non-ASCII bytes compare exactly";
}

TEST(TextKit, HttpUrlsByTheirSchemeInAnyCase) {
  EXPECT_TRUE(text::is_http_url("https://example.com/a.png"));
  EXPECT_TRUE(text::is_http_url("HTTP://example.com"));
  EXPECT_TRUE(text::is_http_url("hTtPs://x"));
  EXPECT_FALSE(text::is_http_url("https:/example.com"));
  EXPECT_FALSE(text::is_http_url("ftp://example.com"));
  EXPECT_FALSE(text::is_http_url("data:image/png;base64,AA=="));
  EXPECT_FALSE(text::is_http_url("http"));
  EXPECT_FALSE(text::is_http_url(""));
}

TEST(TextKit, WholeStringIntegers) {
  EXPECT_EQ(text::parse_int<int>("42"), 42);
  EXPECT_EQ(text::parse_int<long long>("-7"), -7);
  EXPECT_EQ(text::parse_int<unsigned>("-7"), std::nullopt);
  for (const char *bad : {"", " 1", "1 ", "+1", "1e3", "0x10", "12abc", "abc"})
    EXPECT_EQ(text::parse_int<int>(bad), std::nullopt) << bad;
  EXPECT_EQ(text::parse_int<int>("99999999999"), std::nullopt) << "overflow";
  EXPECT_EQ(text::parse_int<int64_t>("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(text::parse_int_in("100", 1, 100), 100);
  EXPECT_EQ(text::parse_int_in("0", 1, 100), std::nullopt);
  EXPECT_EQ(text::parse_int_in("101", 1, 100), std::nullopt);
}

TEST(TextKit, CodePoints) {
  EXPECT_EQ(text::code_points("héllo"), 5u);
  EXPECT_EQ(text::code_points(""), 0u);
  EXPECT_EQ(text::code_points("\xF0\x9F\x98\x80"), 1u);
}

TEST(TextKit, LowerIsAsciiOnly) {
  EXPECT_EQ(text::lower('Q'), 'q');
  EXPECT_EQ(text::lower('['), '[');
  EXPECT_EQ(text::lower("Grok-4 ÉTÉ"), "grok-4 \xC3\x89t\xC3\x89"); // É (UTF-8) untouched
  EXPECT_TRUE(text::istarts_with("Bearer sk-1", "bearer"));
  EXPECT_TRUE(text::istarts_with("BYTES=0-1", "bytes="));
  EXPECT_FALSE(text::istarts_with("byte", "bytes="));
  EXPECT_FALSE(text::istarts_with("Basic x", "bearer"));
}

TEST(TextKit, Utf8PrefixNeverSplitsACharacter) {
  const std::string s = "a\xC3\xA9\xF0\x9F\x98\x80z"; // a é 😀 z: bytes 1, 2, 4, 1
  EXPECT_EQ(text::utf8_prefix(s, 100), s);
  EXPECT_EQ(text::utf8_prefix(s, 1), "a");
  EXPECT_EQ(text::utf8_prefix(s, 2), "a") << "half of é is left out";
  EXPECT_EQ(text::utf8_prefix(s, 3), "a\xC3\xA9");
  for (size_t n = 3; n < 7; ++n) EXPECT_EQ(text::utf8_prefix(s, n), "a\xC3\xA9") << n;
  EXPECT_EQ(text::utf8_prefix(s, 7), s.substr(0, 7));
  EXPECT_EQ(text::utf8_prefix(s, 0), "");
}
