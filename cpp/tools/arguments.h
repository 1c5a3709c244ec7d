// A tool call's arguments as the model wrote them → the compact JSON object the client gets,
// repaired where that cannot change what the model meant, and checked against the tool's JSON
// Schema. Repairs, in order, only when the text does not parse as it is:
//   - a code fence around the body is removed; an empty body is {}
//   - raw newlines / tabs / carriage returns inside strings are escaped
//   - trailing commas before } or ] are removed
//   - Python's True / False / None outside strings become true / false / null
//   - brackets left open at the very end are closed (a call cut short after its last value)
//   - an object sent as a JSON string ("{\"a\":1}") is unwrapped
// Schema subset checked: type (string, number, integer, boolean, object, array, null, or a
// list of them), required, properties, additionalProperties (false: unknown keys are dropped),
// enum, const, items, anyOf/oneOf (one branch must fit). Safe coercions while checking: a string
// holding exactly a number/integer/boolean where one is expected, and a number where a string is
// expected. Anything else that does not fit is an error: the call is not made.
#pragma once

#include "answer/conversation.h"

#include <string>
#include <string_view>

namespace g2a::tools {

struct Arguments {
  bool ok = false;
  std::string json;  // compact JSON object (ok)
  std::string error; // why not (e.g. "missing required property 'city'")
};

Arguments repair_arguments(std::string_view body, std::string_view schema_json);

} // namespace g2a::tools
