// Tool-call argument repair and schema checks (tools/arguments.h).
#include "tools/arguments.h"

#include <gtest/gtest.h>

using g2a::tools::repair_arguments;

namespace {

const std::string kSchema =
    R"({"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"},)"
    R"("metric":{"type":"boolean"},"unit":{"enum":["c","f"]},)"
    R"("tags":{"type":"array","items":{"type":"string"}},)"
    R"("when":{"anyOf":[{"type":"null"},{"type":"object","properties":{"d":{"type":"string"}},"required":["d"]}]}},)"
    R"("required":["city"],"additionalProperties":false})";

std::string ok(std::string_view body, const std::string &schema = kSchema) {
  auto a = repair_arguments(body, schema);
  EXPECT_TRUE(a.ok) << body << ": " << a.error;
  return a.json;
}

std::string err(std::string_view body, const std::string &schema = kSchema) {
  auto a = repair_arguments(body, schema);
  EXPECT_FALSE(a.ok) << body << " -> " << a.json;
  return a.error;
}

} // namespace

TEST(ToolsArguments, ValidJsonIsCompacted) {
  EXPECT_EQ(ok("  {\"city\" : \"Paris\",\n \"days\": 2 } "), R"({"city":"Paris","days":2})");
}

TEST(ToolsArguments, Repairs) {
  EXPECT_EQ(ok("{\"city\": \"Rome\",}"), R"({"city":"Rome"})"); // trailing comma
  EXPECT_EQ(ok("{\"city\": \"Rome\", \"tags\": [\"a\", \"b\",],}"),
            R"({"city":"Rome","tags":["a","b"]})");
  EXPECT_EQ(ok("{\"city\": \"a\nb\"}"), R"({"city":"a\nb"})"); // raw newline
  EXPECT_EQ(ok("{\"city\": \"X\", \"metric\": True}"), R"({"city":"X","metric":true})");
  EXPECT_EQ(ok("{\"city\": \"X\", \"when\": None}"), R"({"city":"X","when":null})");
  EXPECT_EQ(ok("{\"city\": \"Oslo\""), R"({"city":"Oslo"})");                // cut short
  EXPECT_EQ(ok("```json\n{\"city\": \"Oslo\"}\n```"), R"({"city":"Oslo"})"); // fenced
  EXPECT_EQ(ok(R"("{\"city\":\"Oslo\"}")"), R"({"city":"Oslo"})");           // double-encoded
  EXPECT_EQ(ok("", "{}"), "{}");                                             // empty body
}

TEST(ToolsArguments, SafeCoercions) {
  EXPECT_EQ(ok(R"({"city":"X","days":"3"})"), R"({"city":"X","days":3})");
  EXPECT_EQ(ok(R"({"city":"X","days":3.0})"), R"({"city":"X","days":3})");
  EXPECT_EQ(ok(R"({"city":"X","metric":"false"})"), R"({"city":"X","metric":false})");
  EXPECT_EQ(ok(R"({"city":42})"), R"({"city":"42"})");
  EXPECT_EQ(ok(R"({"city":"X","extra":1})"), R"({"city":"X"})"); // additionalProperties:false
  EXPECT_EQ(ok(R"({"city":"X","when":{"d":"today"}})"), R"({"city":"X","when":{"d":"today"}})");
}

TEST(ToolsArguments, WhatCannotBeRepaired) {
  EXPECT_EQ(err(R"({"days":1})"), "missing required property 'city'");
  EXPECT_EQ(err(R"({"city":"X","days":"three"})"), "'days' should be integer, not string");
  EXPECT_EQ(err(R"({"city":"X","days":2.5})"), "'days' should be integer, not number");
  EXPECT_EQ(err(R"({"city":"X","unit":"k"})"), R"('unit' must be one of ["c","f"])");
  EXPECT_EQ(err(R"({"city":"X","tags":["a",1.5,{}]})"), "'tags[2]' should be string, not object");
  EXPECT_EQ(err(R"({"city":"X","when":{"e":1}})"), "missing required property 'when.d'");
  EXPECT_EQ(err("{\"city\": Paris}"), "the arguments are not valid JSON");
  EXPECT_EQ(err("[1,2]"), "the arguments are not a JSON object");
  EXPECT_EQ(err("{\"city\": \"unterminated"), "the arguments are not valid JSON");
}

TEST(ToolsArguments, NoSchemaAcceptsAnyObject) {
  EXPECT_EQ(ok(R"({"anything":[1,{"x":null}]})", ""), R"({"anything":[1,{"x":null}]})");
}
