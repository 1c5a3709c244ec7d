// RFC 2397 data: URIs (core/data_uri.h): the parts read without copying, and the edge cases
// where the two readers it replaced disagreed (parameters before ;base64, a scheme in capitals,
// ;base64 that is not the last parameter, a missing comma, an empty payload).
#include "core/bytes.h"
#include "core/data_uri.h"

#include <gtest/gtest.h>

using namespace g2a;

namespace {

TEST(DataUri, ReadsTypeParametersBase64AndPayload) {
  auto d = parse_data_uri("data:image/png;base64,iVBORw0KGgo=");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->media_type, "image/png");
  EXPECT_EQ(d->params, "");
  EXPECT_TRUE(d->is_base64);
  EXPECT_EQ(d->payload, "iVBORw0KGgo=");
  EXPECT_EQ(base64_decode(d->payload), std::string("\x89PNG\r\n\x1a\n"));
}

TEST(DataUri, ParametersBeforeBase64AreKeptApart) {
  auto d = parse_data_uri("data:image/svg+xml;charset=utf-8;name=a.svg;base64,PHN2Zy8+");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->media_type, "image/svg+xml");
  EXPECT_EQ(d->params, ";charset=utf-8;name=a.svg");
  EXPECT_TRUE(d->is_base64);
  EXPECT_EQ(d->payload, "PHN2Zy8+");
}

TEST(DataUri, SchemeAndBase64AreCaseInsensitive) {
  EXPECT_TRUE(is_data_uri("DATA:image/png;base64,AAAA"));
  EXPECT_TRUE(is_data_uri("Data:,"));
  auto d = parse_data_uri("DATA:IMAGE/PNG;BASE64,AAAA");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->media_type, "IMAGE/PNG"); // as sent
  EXPECT_TRUE(d->is_base64);
}

TEST(DataUri, Base64MustBeTheLastParameter) {
  auto d = parse_data_uri("data:image/png;base64;x=y,AAAA");
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->is_base64);
  EXPECT_EQ(d->params, ";base64;x=y");
  d = parse_data_uri("data:image/png;base64x,AAAA");
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->is_base64);
  d = parse_data_uri("data:base64,AAAA"); // a media type named base64, not the token
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->is_base64);
  EXPECT_EQ(d->media_type, "base64");
}

TEST(DataUri, PlainTextAndNoMediaType) {
  auto d = parse_data_uri("data:,Hello%2C%20World");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->media_type, "");
  EXPECT_FALSE(d->is_base64);
  EXPECT_EQ(d->payload, "Hello%2C%20World");
  d = parse_data_uri("data:;base64,SGk=");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->media_type, "");
  EXPECT_TRUE(d->is_base64);
}

TEST(DataUri, MissingCommaOrSchemeIsNotOne) {
  EXPECT_FALSE(parse_data_uri("data:image/png;base64"));
  EXPECT_FALSE(parse_data_uri("data:"));
  EXPECT_FALSE(parse_data_uri("dat:image/png;base64,AAAA"));
  EXPECT_FALSE(parse_data_uri("https://x.test/data:,"));
  EXPECT_FALSE(is_data_uri("data"));
}

TEST(DataUri, EmptyPayloadAndCommasInTheData) {
  auto d = parse_data_uri("data:image/png;base64,");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->is_base64);
  EXPECT_EQ(d->payload, "");
  d = parse_data_uri("data:text/csv,a,b,c"); // the first comma ends the header
  ASSERT_TRUE(d);
  EXPECT_EQ(d->media_type, "text/csv");
  EXPECT_EQ(d->payload, "a,b,c");
}

TEST(DataUri, Base64DigitsOfBothAlphabets) {
  EXPECT_EQ(base64_digit('A'), 0);
  EXPECT_EQ(base64_digit('z'), 51);
  EXPECT_EQ(base64_digit('9'), 61);
  EXPECT_EQ(base64_digit('+'), 62);
  EXPECT_EQ(base64_digit('-'), 62);
  EXPECT_EQ(base64_digit('/'), 63);
  EXPECT_EQ(base64_digit('_'), 63);
  EXPECT_EQ(base64_digit('='), -1);
  EXPECT_EQ(base64_digit(' '), -1);
}

} // namespace
