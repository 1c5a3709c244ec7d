// The tool prompt (tools/prompt.h): golden renderings of the catalogue, the convention, the
// replay of earlier calls and results, tool_choice, and the size of a Claude-Code-sized catalogue.
#include "core/json.h"
#include "tools/prompt.h"

#include <gtest/gtest.h>

using namespace g2a;
using answer::Conversation;
using answer::ToolSpec;
using answer::Turn;

namespace {

Turn msg(std::string role, std::string text) {
  Turn m;
  m.role = std::move(role);
  m.text = std::move(text);
  return m;
}

ToolSpec weather() {
  ToolSpec t;
  t.name = "get_weather";
  t.description = "Current   weather\n\n for a city.";
  t.parameters =
      R"({"type":"object","properties":{"city":{"type":"string","description":"City name"},)"
      R"("unit":{"type":"string","enum":["c","f"]},"days":{"type":"array","items":{"type":"integer"}}},)"
      R"("required":["city"]})";
  return t;
}

Conversation with_tools(std::vector<Turn> turns) {
  Conversation c;
  c.turns = std::move(turns);
  c.tools.push_back(weather());
  return c;
}

} // namespace

TEST(ToolsPrompt, SchemaAsATypeScriptLikeType) {
  EXPECT_EQ(tools::render_schema_type(weather().parameters),
            R"({city: string, unit?: "c"|"f", days?: integer[]})");
  EXPECT_EQ(
      tools::render_schema_type(
          R"({"type":"object","properties":{"a b":{"anyOf":[{"type":"string"},{"type":"null"}]},)"
          R"("o":{"type":"object","properties":{"x":{"type":["number","null"]}},"required":["x"]}}})"),
      R"({"a b"?: string | null, o?: {x: number|null}})");
  EXPECT_EQ(tools::render_schema_type(R"({"type":"object"})"), "object");
  EXPECT_EQ(tools::render_schema_type("not json"), "object");
}

TEST(ToolsPrompt, CatalogueGolden) {
  Conversation c = with_tools({msg("user", "Weather?")});
  ToolSpec patch;
  patch.name = "apply_patch";
  patch.description = "Edit files.";
  patch.freeform = true;
  patch.format = "lark grammar:\nstart: x";
  c.tools.push_back(patch);
  EXPECT_EQ(tools::render_catalogue(c),
            "# Tools (g2a-tools/1)\n"
            "You can call these tools. The calling format is described at the end of this "
            "message.\n\n"
            "## get_weather\n"
            "Current weather\nfor a city.\n"
            "Arguments: {city: string, unit?: \"c\"|\"f\", days?: integer[]}\n"
            "- city: City name\n\n"
            "## apply_patch\n"
            "Edit files.\n"
            "Input: raw text (not JSON), written as the whole body of the call.\n"
            "The input follows this lark grammar:\nstart: x");
}

TEST(ToolsPrompt, ReplaysCallsAndResultsInTheConvention) {
  Turn call = msg("assistant", "Checking.");
  call.tool_calls.push_back({"call_1", "get_weather", "{\n \"city\": \"Paris\"\n}"});
  Turn result = msg("tool", "{\"temp\":21}");
  result.tool_call_id = "call_1";
  Conversation c =
      with_tools({msg("system", "Be brief."), msg("user", "Weather in Paris?"), call, result});
  auto f = tools::render_prompt(c, 4);
  std::string want_tail =
      "user: Weather in Paris?\n\n"
      "assistant: Checking.\n<tool_call name=\"get_weather\">{\"city\":\"Paris\"}</tool_call>\n\n"
      "<tool_result name=\"get_weather\" id=\"call_1\">{\"temp\":21}</tool_result>\n\n"
      "[Tool use] To call a tool";
  EXPECT_EQ(f.prompt.rfind("system: Be brief.\n\n# Tools (g2a-tools/1)", 0), 0u) << f.prompt;
  EXPECT_NE(f.prompt.find(want_tail), std::string::npos) << f.prompt;
  EXPECT_EQ(f.prompt.find("MUST"), std::string::npos);
}

TEST(ToolsPrompt, AFollowUpNamesItsResultsFromTheWholeConversation) {
  Turn call = msg("assistant", "");
  call.tool_calls.push_back({"call_1", "get_weather", R"({"city":"Paris"})"});
  Turn result = msg("tool", "21 C");
  result.tool_call_id = "call_1";
  Turn stray = msg("tool", "?");
  stray.tool_call_id = "call_unknown";
  Turn named = msg("tool", "ok");
  named.tool_call_id = "call_1";
  named.name = "kept";
  Conversation whole = with_tools({msg("user", "Weather?"), call, result, stray, named});
  Conversation part = with_tools({result, stray, named});
  tools::name_tool_results(part, whole);
  EXPECT_EQ(part.turns[0].name, "get_weather");
  EXPECT_EQ(part.turns[1].name, "") << "a call the conversation never made stays unnamed";
  EXPECT_EQ(part.turns[2].name, "kept") << "a name the client gave is kept";
  auto f = tools::render_prompt(part, 4);
  EXPECT_NE(f.prompt.find("<tool_result name=\"get_weather\" id=\"call_1\">21 C</tool_result>"),
            std::string::npos)
      << f.prompt;
}

TEST(ToolsPrompt, LastUserTurnIsRawAndTheRulesComeLast) {
  auto f = tools::render_prompt(with_tools({msg("user", "Weather in Oslo?")}), 4);
  size_t q = f.prompt.find("\n\nWeather in Oslo?\n\n[Tool use]");
  EXPECT_NE(q, std::string::npos) << f.prompt;
  const std::string end = "If no tool is needed, answer directly.";
  ASSERT_GT(f.prompt.size(), end.size());
  EXPECT_EQ(f.prompt.substr(f.prompt.size() - end.size()), end);
}

TEST(ToolsPrompt, ToolChoiceRules) {
  Conversation c = with_tools({msg("user", "Hi")});
  ToolSpec other;
  other.name = "search";
  c.tools.push_back(other);
  c.tool_choice.mode = answer::ToolChoice::Mode::Required;
  std::string p = tools::render_prompt(c, 4).prompt;
  EXPECT_NE(p.find("You MUST call at least one tool in this reply."), std::string::npos);
  p = tools::render_prompt(c, 4, true).prompt;
  EXPECT_NE(p.find("Your previous reply made no tool call."), std::string::npos);

  c.tool_choice = {answer::ToolChoice::Mode::Named, "search"};
  p = tools::render_prompt(c, 4).prompt;
  EXPECT_NE(p.find("You MUST call the tool search in this reply."), std::string::npos);
  EXPECT_EQ(p.find("## get_weather"), std::string::npos); // only the named tool is offered
  EXPECT_NE(p.find("## search"), std::string::npos);

  c.tool_choice = {answer::ToolChoice::Mode::None, ""};
  p = tools::render_prompt(c, 4).prompt;
  EXPECT_EQ(p, "Hi"); // no catalogue, no convention: plain flattening
  EXPECT_FALSE(tools::offers_tools(c));

  c.tool_choice = {};
  c.parallel_tool_calls = false;
  p = tools::render_prompt(c, 4).prompt;
  EXPECT_NE(p.find("Call at most one tool in this reply."), std::string::npos);
}

TEST(ToolsPrompt, NoToolsIsPlainFlattening) {
  Conversation c;
  c.turns = {msg("user", "Hi")};
  EXPECT_EQ(tools::render_prompt(c, 4).prompt, "Hi");
}

// A catalogue the size of Claude Code's (tens of tools, long descriptions, nested schemas): the
// rendered catalogue is measured against the JSON the client sent. Printed for the record.
TEST(ToolsPrompt, BigCatalogueIsRenderedCompactly) {
  Conversation c;
  c.turns = {msg("user", "Go")};
  json sent = json::array();
  for (int i = 0; i < 40; ++i) {
    json schema = {
        {"$schema", "http://json-schema.org/draft-07/schema#"},
        {"type", "object"},
        {"additionalProperties", false},
        {"properties",
         {{"file_path", {{"type", "string"}, {"description", "The absolute path to the file"}}},
          {"offset",
           {{"type", "integer"}, {"description", "The line number to start reading from"}}},
          {"mode", {{"type", "string"}, {"enum", {"read", "write", "append"}}}},
          {"edits",
           {{"type", "array"},
            {"items",
             {{"type", "object"},
              {"properties",
               {{"old_string", {{"type", "string"}}}, {"new_string", {{"type", "string"}}}}},
              {"required", {"old_string", "new_string"}},
              {"additionalProperties", false}}}}}}},
        {"required", {"file_path"}}};
    std::string desc(600, 'x');
    for (size_t k = 0; k < desc.size(); k += 10) desc[k] = ' ';
    sent.push_back({{"name", "mcp__server__tool_" + std::to_string(i)},
                    {"description", desc},
                    {"input_schema", schema}});
    ToolSpec t;
    t.name = "mcp__server__tool_" + std::to_string(i);
    t.description = desc;
    t.parameters = dump(schema);
    c.tools.push_back(std::move(t));
  }
  std::string sent_json = dump(sent);
  std::string catalogue = tools::render_catalogue(c);
  std::printf("[ measure  ] 40-tool catalogue: %zu bytes as sent, %zu bytes rendered (%.0f%%)\n",
              sent_json.size(), catalogue.size(), 100.0 * catalogue.size() / sent_json.size());
  EXPECT_LT(catalogue.size(), sent_json.size());
  EXPECT_NE(catalogue.find("edits?: {old_string: string, new_string: string}[]"),
            std::string::npos);
}

TEST(ToolsPrompt, OutputFormatRulesComeLast) {
  Conversation c;
  c.turns = {msg("user", "Give me a number")};
  c.format.type = answer::OutputFormat::Type::JsonSchema;
  c.format.schema = R"({"type":"object"})";
  EXPECT_EQ(tools::render_prompt(c, 4).prompt,
            "Give me a number\n\n[Output format] Reply with exactly one JSON object and nothing "
            "else: no prose before or after it, no code fences. It must match this JSON "
            "Schema:\n{\"type\":\"object\"}");
  EXPECT_EQ(tools::render_dialogue(c, 4).prompt, "Give me a number");
}
