// The hot-path JSON string escaper: exact escapes, U+2028/9, ill-formed UTF-8 -> U+FFFD
// (one per maximal subpart), and a seeded random round trip through nlohmann's strict parser.
#include "core/json.h"
#include "openai/json_escape.h"

#include <gtest/gtest.h>

#include <random>

using g2a::openai::append_json_escaped;
using g2a::openai::append_json_string;

namespace {

std::string esc(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

const std::string kFFFD = "\xEF\xBF\xBD";

// Strict UTF-8 check (no overlongs, surrogates or > U+10FFFF).
bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80                 ? 1
                 : c >= 0xC2 && c <= 0xDF ? 2
                 : c >= 0xE0 && c <= 0xEF ? 3
                 : c >= 0xF0 && c <= 0xF4 ? 4
                                          : 0;
    if (len == 0 || i + len > s.size()) return false;
    uint32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) {
      auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    static const uint32_t min_cp[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

void append_cp(std::string &s, uint32_t cp) {
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

} // namespace

TEST(OpenAIJsonEscape, PlainTextAndQuotes) {
  EXPECT_EQ(esc(""), "\"\"");
  EXPECT_EQ(esc("hello world"), "\"hello world\"");
  EXPECT_EQ(esc("say \"hi\" \\ bye"), "\"say \\\"hi\\\" \\\\ bye\"");
  EXPECT_EQ(esc("/<>'&\x7F"), "\"/<>'&\x7F\"");
}

TEST(OpenAIJsonEscape, EveryControlCharacter) {
  for (int c = 0; c < 0x20; ++c) {
    std::string expected;
    switch (c) {
    case '\b':
      expected = "\\b";
      break;
    case '\t':
      expected = "\\t";
      break;
    case '\n':
      expected = "\\n";
      break;
    case '\f':
      expected = "\\f";
      break;
    case '\r':
      expected = "\\r";
      break;
    default: {
      char buf[8];
      snprintf(buf, sizeof buf, "\\u%04x", c);
      expected = buf;
    }
    }
    std::string in = "ab";
    in += static_cast<char>(c);
    in += "cd";
    EXPECT_EQ(esc(in), "\"ab" + expected + "cd\"") << "char " << c;
  }
}

TEST(OpenAIJsonEscape, LineAndParagraphSeparators) {
  EXPECT_EQ(esc("a\xE2\x80\xA8"
                "b\xE2\x80\xA9"
                "c"),
            "\"a\\u2028b\\u2029c\"");
  // Neighbours of U+2028 pass through.
  EXPECT_EQ(esc("\xE2\x80\xA7\xE2\x80\xAA"), "\"\xE2\x80\xA7\xE2\x80\xAA\"");
}

TEST(OpenAIJsonEscape, ValidUtf8PassesThrough) {
  std::string s = "caf\xC3\xA9 \xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF";
  EXPECT_EQ(esc(s), "\"" + s + "\"");
}

TEST(OpenAIJsonEscape, IllFormedUtf8BecomesReplacementCharacters) {
  struct Case {
    std::string in, out;
  } cases[] = {
      {"\xC0\x80", kFFFD + kFFFD},                         // overlong NUL: C0 is never a lead
      {"\xC1\xBF", kFFFD + kFFFD},                         // overlong
      {"\xE0\x80\x80", kFFFD + kFFFD + kFFFD},             // overlong 3-byte
      {"\xE0\x9F\xBF", kFFFD + kFFFD + kFFFD},             // overlong 3-byte (U+07FF)
      {"\xF0\x80\x80\x80", kFFFD + kFFFD + kFFFD + kFFFD}, // overlong 4-byte
      {"\xED\xA0\x80", kFFFD + kFFFD + kFFFD},             // high surrogate U+D800
      {"\xED\xBF\xBF", kFFFD + kFFFD + kFFFD},             // low surrogate U+DFFF
      {"\xF4\x90\x80\x80", kFFFD + kFFFD + kFFFD + kFFFD}, // > U+10FFFF
      {"\xF5\x80", kFFFD + kFFFD},                         // invalid lead
      {"\xFF", kFFFD},
      {"\x80", kFFFD},     // stray continuation
      {"\xE4\xB8", kFFFD}, // truncated at the end: one U+FFFD
      {"\xE4\xB8"
       "A",
       kFFFD + "A"},           // truncated before ASCII
      {"\xF0\x9F\x98", kFFFD}, // truncated 4-byte
      {"\xF0\x9F\x98"
       "\xF0\x9F\x98\x80",
       kFFFD + "\xF0\x9F\x98\x80"},
      {"a\xC3"
       "\"",
       "a" + kFFFD + "\\\""}, // truncated before a quote
  };
  for (const auto &c : cases)
    EXPECT_EQ(esc(c.in), "\"" + c.out + "\"") << testing::PrintToString(c.in);
}

TEST(OpenAIJsonEscape, SpecialBytesAtEveryOffsetOfALongRun) {
  for (size_t pos = 0; pos < 40; ++pos) {
    for (std::string special : {"\"", "\n", "\xE2\x80\xA8", "\xC3\xA9", "\xFF"}) {
      std::string in(40, 'x');
      in.insert(pos, special);
      std::string out = esc(in);
      auto parsed = g2a::parse_json(out);
      ASSERT_TRUE(parsed.has_value()) << out;
      std::string expect = in;
      if (special == "\xFF") expect.replace(pos, 1, kFFFD);
      EXPECT_EQ(parsed->get<std::string>(), expect);
    }
  }
}

TEST(OpenAIJsonEscape, EscapedAppendsWithoutQuotes) {
  std::string out = "{\"a\":\"";
  append_json_escaped(out, "x\ty");
  append_json_escaped(out, "\"z");
  out += "\"}";
  EXPECT_EQ(out, "{\"a\":\"x\\ty\\\"z\"}");
}

TEST(OpenAIJsonEscape, RandomValidTextRoundTrips) {
  std::mt19937 rng(20260821);
  for (int iter = 0; iter < 2000; ++iter) {
    std::string in;
    int n = static_cast<int>(rng() % 64);
    for (int i = 0; i < n; ++i) {
      uint32_t cp;
      switch (rng() % 6) {
      case 0:
        cp = rng() % 0x20;
        break; // controls
      case 1:
        cp = 0x20 + rng() % 0x60;
        break; // printable ASCII, quotes, backslash
      case 2:
        cp = 0x80 + rng() % 0x780;
        break;
      case 3:
        cp = 0x2028 + rng() % 2;
        break;
      case 4:
        cp = 0x800 + rng() % 0xF800;
        break;
      default:
        cp = 0x10000 + rng() % 0x100000;
        break;
      }
      if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
      append_cp(in, cp);
    }
    std::string out = esc(in);
    auto parsed = g2a::parse_json(out);
    ASSERT_TRUE(parsed.has_value()) << out;
    ASSERT_TRUE(parsed->is_string());
    EXPECT_EQ(parsed->get<std::string>(), in);
    EXPECT_EQ(out.find("\xE2\x80\xA8"), std::string::npos);
  }
}

TEST(OpenAIJsonEscape, RandomBytesAlwaysGiveValidJsonAndUtf8) {
  std::mt19937 rng(7);
  static const unsigned char interesting[] = {0x00, 0x1F, '"',  '\\', 'a',  0x7F, 0x80, 0xBF,
                                              0xC0, 0xC2, 0xDF, 0xE0, 0xE2, 0xED, 0xEF, 0xF0,
                                              0xF4, 0xF5, 0xFF, 0xA0, 0xA8, 0x9F, 0x90, 0x8F};
  for (int iter = 0; iter < 5000; ++iter) {
    std::string in;
    int n = static_cast<int>(rng() % 48);
    for (int i = 0; i < n; ++i)
      in += static_cast<char>(rng() % 3 ? interesting[rng() % sizeof interesting] : rng() & 0xFF);
    std::string out = esc(in);
    ASSERT_TRUE(valid_utf8(out)) << testing::PrintToString(in);
    auto parsed = g2a::parse_json(out);
    ASSERT_TRUE(parsed.has_value()) << testing::PrintToString(in);
    std::string back = parsed->get<std::string>();
    EXPECT_TRUE(valid_utf8(back));
    if (valid_utf8(in)) EXPECT_EQ(back, in);
  }
}
