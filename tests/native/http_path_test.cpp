// Path segments below a route's prefix (http/path.h): the id percent-decoded, the rest as sent.
#include "http/path.h"

#include <gtest/gtest.h>

using namespace g2a;

namespace {

using Parts = std::pair<std::string, std::string>;

TEST(HttpPath, IdAloneOrWithASub) {
  EXPECT_EQ(id_and_sub("/v1/responses/resp_1", "/v1/responses/"), (Parts{"resp_1", ""}));
  EXPECT_EQ(id_and_sub("/v1/responses/resp_1/input_items", "/v1/responses/"),
            (Parts{"resp_1", "input_items"}));
  EXPECT_EQ(id_and_sub("/v1/videos/video_9/content", "/v1/videos/"), (Parts{"video_9", "content"}));
}

TEST(HttpPath, TheIdIsPercentDecodedTheSubIsNot) {
  EXPECT_EQ(id_and_sub("/v1/videos/a%2Fb%20c/x%20y", "/v1/videos/"), (Parts{"a/b c", "x%20y"}));
  EXPECT_EQ(id_and_sub("/v1/videos/a%zz", "/v1/videos/"), (Parts{"a%zz", ""})); // kept verbatim
}

TEST(HttpPath, EmptyPiecesAndDeeperPaths) {
  EXPECT_EQ(id_and_sub("/v1/videos/", "/v1/videos/"), (Parts{"", ""}));
  EXPECT_EQ(id_and_sub("/v1/videos//content", "/v1/videos/"), (Parts{"", "content"}));
  EXPECT_EQ(id_and_sub("/v1/videos/v/", "/v1/videos/"), (Parts{"v", ""}));
  EXPECT_EQ(id_and_sub("/v1/videos/v/content/more", "/v1/videos/"), (Parts{"v", "content/more"}));
}

TEST(HttpPath, APathOutsideThePrefixHasNoId) {
  EXPECT_EQ(id_and_sub("/v1/video", "/v1/videos/"), (Parts{"", ""}));
  EXPECT_EQ(id_and_sub("/v1/models/x", "/v1/videos/"), (Parts{"", ""}));
}

} // namespace
