// Range parsing and media ids (the /images flow: media_flow_test.cpp).
#include "app/media_links.h"
#include "http/range.h"

#include <gtest/gtest.h>

using namespace g2a;

TEST(Range, ParsesTheThreeSingleRangeForms) {
  ByteRange r;
  EXPECT_EQ(parse_range("", 100, r), RangeParse::None);
  ASSERT_EQ(parse_range("bytes=0-9", 100, r), RangeParse::Satisfiable);
  EXPECT_EQ(r.start, 0);
  EXPECT_EQ(r.end, 9);
  ASSERT_EQ(parse_range("bytes=90-", 100, r), RangeParse::Satisfiable);
  EXPECT_EQ(r.start, 90);
  EXPECT_EQ(r.end, 99);
  ASSERT_EQ(parse_range("bytes=-10", 100, r), RangeParse::Satisfiable);
  EXPECT_EQ(r.start, 90);
  ASSERT_EQ(parse_range("bytes=-500", 100, r), RangeParse::Satisfiable);
  EXPECT_EQ(r.start, 0);
  ASSERT_EQ(parse_range("bytes=50-5000", 100, r), RangeParse::Satisfiable);
  EXPECT_EQ(r.end, 99);
  EXPECT_EQ(content_range(r, 100), "bytes 50-99/100");
}

TEST(Range, UnsatisfiableOnlyForAWellFormedRangePastTheEnd) {
  ByteRange r;
  for (const char *h : {"bytes=100-", "bytes=100-200", "bytes=-0", "bytes=999999999999999999-"})
    EXPECT_EQ(parse_range(h, 100, r), RangeParse::Unsatisfiable) << h;
}

// RFC 9110 §14.2: a server may ignore Range; several ranges, another unit, a malformed spec
// or absurd numbers get the whole body (200), not 416.
TEST(Range, IgnoresSeveralRangesOtherUnitsMalformedSpecsAndAbsurdNumbers) {
  ByteRange r;
  for (const char *h : {"bytes=0-1,3-4", "bytes=0-1, 5-", "items=0-1", "none", "bytes=5-1",
                        "bytes=a-b", "bytes=", "bytes=-", "bytes=0", "bytes=99999999999999999999-",
                        "bytes=0-99999999999999999999", "bytes=-99999999999999999999",
                        "bytes=1-2-3", "bytes=+1-2", "bytes=0x10-"})
    EXPECT_EQ(parse_range(h, 100, r), RangeParse::None) << h;
  ASSERT_EQ(parse_range("Bytes=0-9", 100, r),
            RangeParse::Satisfiable); // the unit is case-insensitive
  EXPECT_EQ(r.end, 9);
}

TEST(MediaId, OnlyTheMintedShapeIsLookedUp) {
  EXPECT_TRUE(app::valid_media_id("AbCdEfGhIjKlMnOpQrSt-_"));
  for (const char *bad :
       {"", "short", "AbCdEfGhIjKlMnOpQrSt-_x", "AbCdEfGhIjKlMnOpQrSt-", "AbCdEfGhIjKlMnOpQrSt+/",
        "../../etc/passwdAAAAAA", "AbCdEfGhIj.lMnOpQrSt-_"})
    EXPECT_FALSE(app::valid_media_id(bad)) << bad;
  // An id names a row: the lookup is parameterised and joins the owning account's cookie.
  auto sel = app::media_link_select("AbCdEfGhIjKlMnOpQrSt-_");
  EXPECT_NE(sel.sql.find("FROM media_links l LEFT JOIN tokens t"), std::string::npos);
  EXPECT_EQ(sel.params, json::array({"AbCdEfGhIjKlMnOpQrSt-_"}));
  EXPECT_EQ(app::absolute_asset_url("https://assets.grok.com", "/users/a/b.jpg"),
            "https://assets.grok.com/users/a/b.jpg");
  EXPECT_EQ(app::absolute_asset_url("https://assets.grok.com", "https://x.ai/y.jpg"), "https://x.ai/y.jpg");
}
