// The building blocks of the OpenAI request parsers (chat_request, responses_request): one
// pass over a simdjson On-Demand document, the first error winning, and OpenAI-shaped 400s that
// name the offending parameter ("Invalid type for 'input[2].content': expected …"). A parser
// describes where a value sits with its own Param type — anything with `std::string str()` —
// so the path is only rendered when an error names it.
#pragma once

#include "http/api_error.h"
#include "tools/catalogue.h"

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>

namespace g2a::openai {

namespace od = simdjson::ondemand;
using od::json_type;

// "an array", "a string", … as OpenAI's messages say it.
const char *json_type_name(json_type t);

ApiError bad_json(simdjson::error_code e);
ApiError missing_param(const std::string &param);
ApiError wrong_type_param(const std::string &param, const char *expected, json_type got);
ApiError bad_value_param(const std::string &param, const std::string &why,
                         const char *code = "invalid_value");
// A tool catalogue / tool_choice problem (tools/catalogue.h) in OpenAI's words.
ApiError tool_problem(const tools::Problem &p);
// Case-insensitive ASCII prefix test (URL schemes).
bool has_prefix_nocase(std::string_view s, std::string_view prefix);
// The document's top-level object, or the 400 for an empty body, bad JSON or a non-object.
std::optional<ApiError> open_object(std::string_view body, simdjson::padded_string &padded,
                                    od::parser &parser, od::document &doc, od::object &obj);

// Iterates the top-level object of a JSON body (opened as open_object does), calling
// on_field(key, value) -> std::optional<ApiError>; the first error, or trailing content, wins.
template <class F> std::optional<ApiError> each_field(std::string_view body, F &&on_field) {
  simdjson::padded_string padded;
  od::parser parser;
  od::document doc;
  od::object obj;
  if (auto e = open_object(body, padded, parser, doc, obj)) return e;
  for (auto field : obj) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return bad_json(e);
    od::value v;
    if (auto e = field.value().get(v)) return bad_json(e);
    if (auto err = on_field(key, v)) return err;
  }
  if (!doc.at_end()) return bad_json(simdjson::TRAILING_CONTENT);
  return std::nullopt;
}

// One pass over the document; the first error wins and stops the pass.
class ParamReader {
public:
  std::optional<ApiError> err;

  bool fail(ApiError e) {
    if (!err) err = std::move(e);
    return false;
  }
  bool syntax(simdjson::error_code e) { return fail(bad_json(e)); }

  bool type_of(od::value &v, json_type &t) {
    if (auto e = v.type().get(t)) return syntax(e);
    return true;
  }

  // Optional string: null leaves `out` alone.
  template <class P> bool opt_string(od::value &v, const P &p, std::string &out) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    if (t != json_type::string) return fail(wrong_type_param(p.str(), "a string", t));
    std::string_view s;
    if (auto e = v.get_string().get(s)) return syntax(e);
    out.assign(s);
    return true;
  }

  template <class P> bool opt_bool(od::value &v, const P &p, bool &out) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    if (t != json_type::boolean) return fail(wrong_type_param(p.str(), "a boolean", t));
    if (auto e = v.get_bool().get(out)) return syntax(e);
    return true;
  }

  // Optional integer (an integral float such as 2.0 is accepted); `present` tells if set.
  template <class P> bool opt_int(od::value &v, const P &p, long long &out, bool &present) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    if (t != json_type::number) return fail(wrong_type_param(p.str(), "an integer", t));
    return int_value(v, p.str(), out, present);
  }

  // Optional number; `present` tells if set.
  template <class P> bool opt_number(od::value &v, const P &p, double &out, bool &present) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    if (t != json_type::number) return fail(wrong_type_param(p.str(), "a number", t));
    if (auto e = v.get_double().get(out)) return syntax(e);
    present = true;
    return true;
  }

  // Null or an object; `obj` is valid only when `present`.
  template <class P> bool opt_object(od::value &v, const P &p, od::object &obj, bool &present) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    if (t != json_type::object) return fail(wrong_type_param(p.str(), "an object", t));
    if (auto e = v.get_object().get(obj)) return syntax(e);
    present = true;
    return true;
  }

  template <class P> bool opt_array(od::value &v, const P &p, od::array &arr, bool &present) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    if (t != json_type::array) return fail(wrong_type_param(p.str(), "an array", t));
    if (auto e = v.get_array().get(arr)) return syntax(e);
    present = true;
    return true;
  }

  // A JSON value kept as its text (e.g. function arguments sent as an object), trailing
  // whitespace trimmed.
  bool raw_text(od::value &v, std::string &out);

private:
  bool int_value(od::value &v, const std::string &param, long long &out, bool &present);
};

// A plain parameter name, for the fields at the top of a request.
struct Named {
  const char *name;
  std::string str() const { return name; }
};

} // namespace g2a::openai
