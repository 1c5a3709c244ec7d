// has_filtered_tag (grok/answer_text.h): the drop test every answer token goes through, against
// its plain definition — case-insensitive, anywhere in the token, also in a long token.
#include "grok/answer_text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace g2a::grok;

namespace {

// The straightforward definition has_filtered_tag() must agree with.
bool naive_has_tag(std::string_view token, const std::vector<std::string> &tags) {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  for (const auto &tag : tags) {
    if (tag.empty()) continue;
    for (size_t i = 0; i + tag.size() <= token.size(); ++i) {
      size_t j = 0;
      while (j < tag.size() && lower(token[i + j]) == tag[j]) ++j;
      if (j == tag.size()) return true;
    }
  }
  return false;
}

} // namespace

TEST(FilteredTags, CaseInsensitiveAnywhereInTheToken) {
  std::vector<std::string> tags{"xaiArtifact", "xai:tool_usage_card", "", "7up"};
  lower_tags(tags);
  for (const char *t : {"<xaiartifact>", "<XAIARTIFACT", "a xAiArTiFaCt b", "xaiartifac",
                        "xxaiartifact", "Xxaiartifact", "xXaIartifact", "<xai:tool_usage_card>",
                        "<xai:tool_usage_car", "XAI:TOOL_USAGE_CARD", "the 7UP can", "7u", "", "x",
                        "X", "plain text", "xaiartifactxaiartifact", "xa\xC3\xA9iartifact"}) {
    SCOPED_TRACE(t);
    EXPECT_EQ(has_filtered_tag(t, tags), naive_has_tag(t, tags));
  }
  EXPECT_TRUE(has_filtered_tag("..xAIartifact", tags));
  EXPECT_FALSE(has_filtered_tag("xai artifact", tags));
  // A long token with many near misses, and the tag at its very end.
  std::string big;
  for (int i = 0; i < 5000; ++i) big += (i % 2 ? "xaiartifac " : "XAIARTIFAC ");
  EXPECT_FALSE(has_filtered_tag(big, tags));
  EXPECT_TRUE(has_filtered_tag(big + "xaIartifact", tags));
}
