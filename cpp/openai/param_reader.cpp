// ParamReader helpers and the OpenAI-shaped parameter errors.
#include "openai/param_reader.h"

namespace g2a::openai {

const char *json_type_name(json_type t) {
  switch (t) {
  case json_type::array:
    return "an array";
  case json_type::object:
    return "an object";
  case json_type::number:
    return "a number";
  case json_type::string:
    return "a string";
  case json_type::boolean:
    return "a boolean";
  case json_type::null:
    return "null";
  }
  return "an unknown type";
}

ApiError bad_json(simdjson::error_code e) {
  return invalid_request(std::string("We could not parse the JSON body of your request: ") +
                             simdjson::error_message(e),
                         {}, "invalid_json");
}

ApiError missing_param(const std::string &s) {
  return invalid_request("Missing required parameter: '" + s + "'.", s,
                         "missing_required_parameter");
}

ApiError wrong_type_param(const std::string &s, const char *expected, json_type got) {
  return wrong_type_param(s, expected, std::string(json_type_name(got)));
}

ApiError wrong_type_param(const std::string &s, const char *expected, const std::string &got) {
  return invalid_request("Invalid type for '" + s + "': expected " + expected + ", but got " + got +
                             " instead.",
                         s, "invalid_type");
}

ApiError bad_value_param(const std::string &s, const std::string &why, const char *code) {
  return invalid_request("Invalid value for '" + s + "': " + why, s, code);
}

ApiError tool_problem(const tools::Problem &p) {
  if (p.code == "invalid_type")
    return invalid_request("Invalid type for '" + p.param + "': " + p.message, p.param, p.code);
  if (p.code == "missing_required_parameter") return missing_param(p.param);
  return invalid_request("Invalid value for '" + p.param + "': " + p.message, p.param, p.code);
}

std::optional<ApiError> open_object(std::string_view body, simdjson::padded_string &padded,
                                    od::parser &parser, od::document &doc, od::object &obj) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return invalid_request("The request body is empty; send a JSON object.", {}, "invalid_json");
  padded = simdjson::padded_string(body);
  if (auto e = parser.iterate(padded).get(doc)) return bad_json(e);
  json_type t;
  if (auto e = doc.type().get(t)) return bad_json(e);
  if (t != json_type::object)
    return invalid_request("The request body must be a JSON object.", {}, "invalid_json");
  if (auto e = doc.get_object().get(obj)) return bad_json(e);
  return std::nullopt;
}

bool ParamReader::tools(od::value &v, tools::Api api, std::string_view param, std::string &raw,
                        std::vector<answer::ToolSpec> &out) {
  if (!raw_text(v, raw)) return false;
  if (auto p = tools::read_tools(raw, api, param, out)) return fail(tool_problem(*p));
  return true;
}

bool ParamReader::tool_choice(od::value &v, tools::Api api, std::string_view param,
                              std::string &raw, answer::ToolChoice &out, bool &parallel) {
  if (!raw_text(v, raw)) return false;
  if (auto p = tools::read_tool_choice(raw, api, param, out, parallel))
    return fail(tool_problem(*p));
  return true;
}

bool ParamReader::output_format(od::value &v, tools::Api api, std::string_view param,
                                std::string &raw, answer::OutputFormat &out) {
  if (!raw_text(v, raw)) return false;
  if (auto p = tools::read_output_format(raw, api, param, out)) return fail(tool_problem(*p));
  return true;
}

bool ParamReader::raw_text(od::value &v, std::string &out) {
  std::string_view raw;
  if (auto e = v.raw_json().get(raw)) return syntax(e);
  while (!raw.empty() &&
         (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t'))
    raw.remove_suffix(1);
  out.assign(raw);
  return true;
}

bool ParamReader::int_value(od::value &v, const std::string &param, long long &out, bool &present) {
  int64_t i = 0;
  if (v.get_int64().get(i) == simdjson::SUCCESS) {
    out = i;
    present = true;
    return true;
  }
  double d = 0;
  if (auto e = v.get_double().get(d)) return syntax(e);
  if (!(d >= -9.0e18 && d <= 9.0e18) || static_cast<double>(static_cast<long long>(d)) != d)
    return fail(wrong_type_param(param, "an integer", std::string("a decimal number")));
  out = static_cast<long long>(d);
  present = true;
  return true;
}

} // namespace g2a::openai
