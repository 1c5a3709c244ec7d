// core/image_sniff.h: each accepted format by its magic bytes, and what is not one of them
// (too short, another RIFF type, text).
#include "core/image_sniff.h"

#include <gtest/gtest.h>

#include <string>

using namespace std::string_literals;

TEST(ImageSniff, EachFormatByItsMagic) {
  EXPECT_EQ(g2a::sniff_image_type("\x89PNG\r\n\x1a\n...."s), "image/png");
  EXPECT_EQ(g2a::sniff_image_type("\xff\xd8\xff\xe0...."s), "image/jpeg");
  EXPECT_EQ(g2a::sniff_image_type("RIFF\x10\0\0\0WEBPVP8 "s), "image/webp");
  EXPECT_EQ(g2a::sniff_image_type("GIF89a...."s), "image/gif");
  EXPECT_EQ(g2a::sniff_image_type("GIF87a...."s), "image/gif");
}

TEST(ImageSniff, NothingElse) {
  EXPECT_EQ(g2a::sniff_image_type(""), "");
  EXPECT_EQ(g2a::sniff_image_type("\x89PNG"), "") << "a cut PNG signature";
  EXPECT_EQ(g2a::sniff_image_type("RIFF\x10\0\0\0WAVEfmt "s), "");
  EXPECT_EQ(g2a::sniff_image_type("RIFF\x10\0\0\0WEB"s), "") << "shorter than a WebP header";
  EXPECT_EQ(g2a::sniff_image_type("<svg xmlns="), "");
  EXPECT_EQ(g2a::sniff_image_type("%PDF-1.7"), "");
}
