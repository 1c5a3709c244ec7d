// The Messages API's model mapping (app/model_map.h) and its setting.
#include "app/model_map.h"
#include "app/settings.h"

#include <gtest/gtest.h>

using namespace g2a;
using namespace g2a::app;

namespace {

ModelMap defaults() {
  return std::get<ModelMap>(parse_model_map(kDefaultClaudeModelMap));
}

std::string_view id_of(const grok::ModelInfo *m) {
  return m ? m->id : "(none)";
}

} // namespace

TEST(ModelMap, DefaultMapsClaudeFamilies) {
  ModelMap m = defaults();
  EXPECT_EQ(id_of(resolve_model(m, "claude-opus-4-8")), "grok-chat-expert");
  EXPECT_EQ(id_of(resolve_model(m, "claude-sonnet-4-6")), "grok-chat-auto");
  EXPECT_EQ(id_of(resolve_model(m, "claude-haiku-4-5-20251001")), "grok-chat-fast");
  EXPECT_EQ(id_of(resolve_model(m, "Claude-3-HAIKU")), "grok-chat-fast") << "case-insensitive";
  EXPECT_EQ(id_of(resolve_model(m, "claude-sonnet-4-6[1m]")), "grok-chat-auto");
  EXPECT_EQ(id_of(resolve_model(m, "gpt-4o")), "grok-chat-auto") << "* takes any other id";
  EXPECT_EQ(id_of(resolve_model(m, "grok-4.1-fast")), "grok-4.1-fast") << "known ids stay";
}

TEST(ModelMap, RulesInOrderAndNoFallback) {
  auto parsed = parse_model_map(" sonnet = grok-4 , claude=grok-3-fast ");
  ASSERT_TRUE(std::holds_alternative<ModelMap>(parsed));
  const ModelMap &m = std::get<ModelMap>(parsed);
  EXPECT_EQ(id_of(resolve_model(m, "claude-sonnet-4-6")), "grok-4");
  EXPECT_EQ(id_of(resolve_model(m, "claude-opus-4-8")), "grok-3-fast");
  EXPECT_EQ(resolve_model(m, "gpt-4o"), nullptr) << "no * rule: unknown ids stay unknown";
  EXPECT_TRUE(std::get<ModelMap>(parse_model_map("")).rules.empty());
}

TEST(ModelMap, BadRulesAreNamed) {
  auto err = [](std::string_view s) {
    auto p = parse_model_map(s);
    return std::holds_alternative<std::string>(p) ? std::get<std::string>(p) : std::string();
  };
  EXPECT_EQ(err("opus"), "rule 'opus' must read pattern=model");
  EXPECT_EQ(err("opus=grok-9"), "'grok-9' is not a model id");
  EXPECT_EQ(err("opus=grok-imagine-1.0"), "'grok-imagine-1.0' is not a chat model");
  EXPECT_NE(err("op us=grok-4"), "");
  EXPECT_NE(err("=grok-4"), "");
}

TEST(ModelMap, ThinkingPicksAReasoningModelOfTheSameBucket) {
  EXPECT_EQ(thinking_model(*grok::find_model("grok-chat-fast")).id, "grok-4-mini");
  EXPECT_EQ(thinking_model(*grok::find_model("grok-3")).id, "grok-4");
  EXPECT_EQ(thinking_model(*grok::find_model("grok-chat-auto")).id, "grok-chat-auto");
  EXPECT_EQ(thinking_model(*grok::find_model("grok-chat-expert")).id, "grok-chat-expert");
}

TEST(ModelMap, SettingDefaultsToTheDocumentedMapAndIsValidated) {
  Settings s;
  EXPECT_EQ(s.text("claude_model_map"), kDefaultClaudeModelMap);
  EXPECT_FALSE(s.set("claude_model_map", "opus=not-a-model"));
  EXPECT_TRUE(s.set("claude_model_map", "opus=grok-chat-heavy,*=grok-chat-fast"));
  const SettingSpec *spec = find_setting("claude_model_map");
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(validate_setting(*spec, json("x=grok-9")).value_or(""),
            "claude_model_map: 'grok-9' is not a model id");
  const SettingSpec *key = find_setting("thinking_signing_key");
  ASSERT_NE(key, nullptr);
  EXPECT_TRUE(key->secret);
  EXPECT_TRUE(validate_setting(*key, json("short")).has_value());
  EXPECT_FALSE(validate_setting(*key, json("")).has_value());
  EXPECT_FALSE(validate_setting(*key, json(std::string(43, 'k'))).has_value());
}
