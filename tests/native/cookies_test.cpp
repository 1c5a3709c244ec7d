// Grok credential cookies (grok/cookies.h): sso normalisation, the upstream Cookie header,
// bulk token import and masking.
#include "grok/cookies.h"

#include <gtest/gtest.h>

using namespace g2a::grok;

namespace {
const std::string kJwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzZXNzaW9uX2lkIjoiYWJjIn0.sig-_x";
}

TEST(CookieSso, AcceptsBareAndPrefixedForms) {
  EXPECT_EQ(normalize_sso(kJwt), kJwt);
  EXPECT_EQ(normalize_sso("  " + kJwt + "\n"), kJwt);
  EXPECT_EQ(normalize_sso("sso=" + kJwt), kJwt);
  EXPECT_EQ(normalize_sso("sso-rw=" + kJwt), kJwt);
  EXPECT_EQ(normalize_sso("sso=" + kJwt + ";"), kJwt);
  EXPECT_EQ(normalize_sso(kJwt + "; Path=/; Secure"), kJwt); // cut at the first ';'
  EXPECT_EQ(normalize_sso("sso=\"" + kJwt + "\""), kJwt);    // quoted cookie value
  EXPECT_EQ(normalize_sso("abc123=="), "abc123==");          // padded base64 is not a pair
}

TEST(CookieSso, FindsSsoInAWholeCookieString) {
  EXPECT_EQ(normalize_sso("a=b; sso=" + kJwt + "; cf_clearance=xyz"), kJwt);
  EXPECT_EQ(normalize_sso("sso-rw=RW123; a=b; sso=SSO456"), "SSO456"); // sso wins
  EXPECT_EQ(normalize_sso("a=b;sso-rw=RW123"), "RW123");
  EXPECT_EQ(normalize_sso("x-sso=nope; sso=yes"), "yes");
}

TEST(CookieSso, RejectsMissingOrInvalid) {
  EXPECT_EQ(normalize_sso(""), "");
  EXPECT_EQ(normalize_sso("   "), "");
  EXPECT_EQ(normalize_sso("sso="), "");
  EXPECT_EQ(normalize_sso("cf_clearance=abc; __cf_bm=def"), "");
  EXPECT_EQ(normalize_sso("cf_clearance=abc"), "");
  EXPECT_EQ(normalize_sso("two words"), "");
  EXPECT_EQ(normalize_sso("tok,en"), "");
  EXPECT_EQ(normalize_sso("tok\\en"), "");
  EXPECT_EQ(normalize_sso("tok\"en"), "");
  EXPECT_EQ(normalize_sso("t\xC3\xA9st"), ""); // non-ASCII
  EXPECT_EQ(normalize_sso("a=b; tok"), "");    // first entry is another cookie
  EXPECT_EQ(normalize_sso(";tok"), "");
}

TEST(CookieHeader, BuildsSsoPairThenExtrasThenClearance) {
  EXPECT_EQ(build_cookie("T", {}), "sso=T; sso-rw=T");
  EXPECT_EQ(build_cookie("T", {"CF", ""}), "sso=T; sso-rw=T; cf_clearance=CF");
  EXPECT_EQ(build_cookie("T", {"cf_clearance=CF", ""}), "sso=T; sso-rw=T; cf_clearance=CF");
  EXPECT_EQ(build_cookie("T", {"", "__cf_bm=B; _cfuvid=U"}),
            "sso=T; sso-rw=T; __cf_bm=B; _cfuvid=U");
  EXPECT_EQ(build_cookie("T", {"", "__cf_bm=B"}, "uid-1"),
            "sso=T; sso-rw=T; __cf_bm=B; x-userid=uid-1");
}

TEST(CookieHeader, ClearanceReplacesTheOneInExtras) {
  // PR chenyme#473: the configured clearance must not be dropped nor duplicated.
  EXPECT_EQ(build_cookie("T", {"NEW", "__cf_bm=B; cf_clearance=OLD; _cfuvid=U"}),
            "sso=T; sso-rw=T; __cf_bm=B; _cfuvid=U; cf_clearance=NEW");
  // Without a configured clearance the one in extras is kept.
  EXPECT_EQ(build_cookie("T", {"", "cf_clearance=OLD"}), "sso=T; sso-rw=T; cf_clearance=OLD");
  // sso entries in extras never duplicate the account's; stray separators are dropped.
  EXPECT_EQ(build_cookie("T", {"", " ; sso=X;sso-rw=X;; a=b "}), "sso=T; sso-rw=T; a=b");
  EXPECT_EQ(build_cookie("T", {"", "x-userid=old"}, "new"), "sso=T; sso-rw=T; x-userid=new");
}

TEST(CookieImport, ParsesLinesCommentsDuplicatesAndGarbage) {
  std::string text = "\xEF\xBB\xBF# exported tokens\r\n"
                     "tok-basic-0001\r\n"
                     "\r\n"
                     "sso=tok-super-0002\r\n"
                     "a=b; sso=tok-heavy-0003; cf_clearance=c\n"
                     "   # indented comment\n"
                     "tok-basic-0001\n"
                     "sso-rw=tok-super-0002\n"
                     "this is not a token\n"
                     "cf_clearance=only\n"
                     "short\n"
                     "tok-last-0004";
  ImportResult r = parse_token_import(text);
  EXPECT_EQ(r.tokens, (std::vector<std::string>{"tok-basic-0001", "tok-super-0002",
                                                "tok-heavy-0003", "tok-last-0004"}));
  EXPECT_EQ(r.duplicates, 2);
  EXPECT_EQ(r.rejected, 3);
}

TEST(CookieImport, EmptyInput) {
  ImportResult r = parse_token_import("");
  EXPECT_TRUE(r.tokens.empty());
  EXPECT_EQ(r.duplicates, 0);
  EXPECT_EQ(r.rejected, 0);
  EXPECT_TRUE(parse_token_import("\n\r\n# only comments\n").tokens.empty());
}

TEST(CookieMask, SuffixAndMask) {
  EXPECT_EQ(token_suffix("abcdefghij"), "efghij");
  EXPECT_EQ(token_suffix("abc"), "abc");
  EXPECT_EQ(token_suffix(""), "");
  EXPECT_EQ(mask_token(kJwt), "eyJ0\xE2\x80\xA6"
                              "g-_x");
  EXPECT_EQ(mask_token("0123456789abcdef"), "0123\xE2\x80\xA6"
                                            "cdef");
  EXPECT_EQ(mask_token("0123456789abcde"), "****"); // short: fully masked
  EXPECT_EQ(mask_token("abc"), "****");
  EXPECT_EQ(mask_token(""), "");
}
