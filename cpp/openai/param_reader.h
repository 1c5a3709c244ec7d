// The one OpenAI parameter reader shared by the request parsers (chat, responses, images,
// videos): one pass over a simdjson On-Demand document, the first error winning, OpenAI-shaped
// 400s that name the offending parameter ("Invalid type for 'input[2].content': expected …"),
// and the readers for the parameters several APIs share (positive integers, tools,
// tool_choice, output formats). A parser says where a value sits with a plain name or its own
// Param type — anything with `std::string str()` — so a path is only rendered when an error
// names it.
#pragma once

#include "http/api_error.h"
#include "tools/catalogue.h"

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace g2a::openai {

namespace od = simdjson::ondemand;
using od::json_type;

// "an array", "a string", … as OpenAI's messages say it.
const char *json_type_name(json_type t);

ApiError bad_json(simdjson::error_code e);
ApiError missing_param(const std::string &param);
ApiError wrong_type_param(const std::string &param, const char *expected, json_type got);
// The same, the value described in words ("a file", "'abc'", "a decimal number").
ApiError wrong_type_param(const std::string &param, const char *expected, const std::string &got);
ApiError bad_value_param(const std::string &param, const std::string &why,
                         const char *code = "invalid_value");
// A tool catalogue / tool_choice problem (tools/catalogue.h) in OpenAI's words.
ApiError tool_problem(const tools::Problem &p);
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

// The name of a parameter: a plain name as given, or a parser's Param type rendered.
template <class P> std::string param_name(const P &p) {
  if constexpr (std::is_convertible_v<const P &, std::string_view>)
    return std::string(std::string_view(p));
  else
    return p.str();
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

  // Optional string: null leaves `out` alone; `present` (when given) is set once one is read.
  template <class P>
  bool opt_string(od::value &v, const P &p, std::string &out, bool *present = nullptr) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    if (t != json_type::string) return fail(wrong_type_param(param_name(p), "a string", t));
    std::string_view s;
    if (auto e = v.get_string().get(s)) return syntax(e);
    out.assign(s);
    if (present) *present = true;
    return true;
  }

  template <class P> bool opt_bool(od::value &v, const P &p, bool &out) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    if (t != json_type::boolean) return fail(wrong_type_param(param_name(p), "a boolean", t));
    if (auto e = v.get_bool().get(out)) return syntax(e);
    return true;
  }

  // Optional integer (an integral float such as 2.0 is accepted); `present` tells if set.
  template <class P> bool opt_int(od::value &v, const P &p, long long &out, bool &present) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    if (t != json_type::number) return fail(wrong_type_param(param_name(p), "an integer", t));
    return int_value(v, param_name(p), out, present);
  }

  // Optional number; `present` tells if set.
  template <class P> bool opt_number(od::value &v, const P &p, double &out, bool &present) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    if (t != json_type::number) return fail(wrong_type_param(param_name(p), "a number", t));
    if (auto e = v.get_double().get(out)) return syntax(e);
    present = true;
    return true;
  }

  // Null or an object; `obj` is valid only when `present`.
  template <class P> bool opt_object(od::value &v, const P &p, od::object &obj, bool &present) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    if (t != json_type::object) return fail(wrong_type_param(param_name(p), "an object", t));
    if (auto e = v.get_object().get(obj)) return syntax(e);
    present = true;
    return true;
  }

  template <class P> bool opt_array(od::value &v, const P &p, od::array &arr, bool &present) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    if (t != json_type::array) return fail(wrong_type_param(param_name(p), "an array", t));
    if (auto e = v.get_array().get(arr)) return syntax(e);
    present = true;
    return true;
  }

  // Optional integer >= 1 ("integer below minimum value" otherwise); `set` tells if sent.
  template <class P> bool opt_positive(od::value &v, const P &p, long long &out, bool &set) {
    long long n = out;
    bool sent = false;
    if (!opt_int(v, p, n, sent)) return false;
    if (sent && n < 1)
      return fail(
          bad_value_param(param_name(p), "integer below minimum value. Expected a value >= 1."));
    if (sent) out = n;
    set = set || sent;
    return true;
  }

  // The fields of an object, f(key, value) -> bool each; anything else is the wrong type
  // ("an object"), null included.
  template <class P, class F> bool fields(od::value &v, const P &p, F &&f) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t != json_type::object) return fail(wrong_type_param(param_name(p), "an object", t));
    od::object obj;
    if (auto e = v.get_object().get(obj)) return syntax(e);
    return fields_of(obj, f);
  }

  // The same for an optional object: null reads nothing.
  template <class P, class F> bool opt_fields(od::value &v, const P &p, F &&f) {
    json_type t;
    if (!type_of(v, t)) return false;
    if (t == json_type::null) return true;
    return fields(v, p, f);
  }

  template <class F> bool fields_of(od::object &obj, F &&f) {
    for (auto field : obj) {
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return syntax(e);
      od::value fv;
      if (auto e = field.value().get(fv)) return syntax(e);
      if (!f(key, fv)) return false;
    }
    return true;
  }

  // The elements of an array already opened, f(index, value) -> bool each.
  template <class F> bool elements_of(od::array &arr, F &&f) {
    long i = 0;
    for (auto el : arr) {
      od::value ev;
      if (auto e = el.get(ev)) return syntax(e);
      if (!f(i++, ev)) return false;
    }
    return true;
  }

  // The readers tools/catalogue.h backs, from the value's JSON text (kept in `raw`), shared by
  // every API that takes tools: `tools`, `tool_choice`, an output format (response_format,
  // text.format).
  bool tools(od::value &v, tools::Api api, std::string_view param, std::string &raw,
             std::vector<answer::ToolSpec> &out);
  bool tool_choice(od::value &v, tools::Api api, std::string_view param, std::string &raw,
                   answer::ToolChoice &out, bool &parallel);
  bool output_format(od::value &v, tools::Api api, std::string_view param, std::string &raw,
                     answer::OutputFormat &out);

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

// Reads a request body's top-level object: f(reader, key, value) -> bool for each field, in
// document order. The 400 for an empty body, bad JSON, a non-object or trailing content, or
// the first error a field's reader set, is returned.
template <class F> std::optional<ApiError> read_body(std::string_view body, ParamReader &r, F &&f) {
  return each_field(body, [&](std::string_view key, od::value &v) -> std::optional<ApiError> {
    if (!f(key, v)) return std::move(*r.err);
    return std::nullopt;
  });
}

} // namespace g2a::openai
