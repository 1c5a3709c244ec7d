// The shared OpenAI parameter reader (openai/param_reader.h) and the JSON-or-multipart body
// helpers (openai/form_body.h): what each reader accepts, the exact 400 it gives otherwise, and
// that the first error of a pass wins.
#include "openai/form_body.h"
#include "openai/param_reader.h"

#include <gtest/gtest.h>

using namespace g2a;
using namespace g2a::openai;

namespace {

struct Path {
  int i;
  std::string str() const { return "items[" + std::to_string(i) + "]"; }
};

// Reads `body` with f(reader, key, value) and returns the error, or "" when it was accepted.
template <class F> std::string read(std::string_view body, F &&f) {
  ParamReader r;
  auto err = read_body(body, r, [&](std::string_view key, od::value &v) { return f(r, key, v); });
  return err ? err->message + " [" + err->param + "|" + err->code + "]" : "";
}

TEST(ParamReader, ParamNamesArePlainOrRendered) {
  EXPECT_EQ(param_name("model"), "model");
  EXPECT_EQ(param_name(std::string("a.b")), "a.b");
  EXPECT_EQ(param_name(Path{3}), "items[3]");
  EXPECT_EQ(param_name(Named{"n"}), "n");
}

TEST(ParamReader, OptStringTellsPresenceAndNullLeavesItAlone) {
  std::string s = "kept";
  bool present = false;
  EXPECT_EQ(read(R"({"a":null})", [&](ParamReader &r, std::string_view,
                                      od::value &v) { return r.opt_string(v, "a", s, &present); }),
            "");
  EXPECT_EQ(s, "kept");
  EXPECT_FALSE(present);
  EXPECT_EQ(read(R"({"a":"x"})", [&](ParamReader &r, std::string_view,
                                     od::value &v) { return r.opt_string(v, "a", s, &present); }),
            "");
  EXPECT_EQ(s, "x");
  EXPECT_TRUE(present);
  EXPECT_EQ(read(R"({"a":1})", [&](ParamReader &r, std::string_view,
                                   od::value &v) { return r.opt_string(v, Path{2}, s); }),
            "Invalid type for 'items[2]': expected a string, but got a number instead. "
            "[items[2]|invalid_type]");
}

TEST(ParamReader, OptPositiveRefusesZeroAndDecimals) {
  auto positive = [](std::string_view body, long long &n, bool &set) {
    return read(body, [&](ParamReader &r, std::string_view key, od::value &v) {
      return r.opt_positive(v, std::string(key), n, set);
    });
  };
  long long n = -1;
  bool set = false;
  EXPECT_EQ(positive(R"({"max":null})", n, set), "");
  EXPECT_EQ(n, -1);
  EXPECT_FALSE(set);
  EXPECT_EQ(positive(R"({"max":2.0})", n, set), "");
  EXPECT_EQ(n, 2);
  EXPECT_TRUE(set);
  EXPECT_EQ(positive(R"({"max":0})", n, set),
            "Invalid value for 'max': integer below minimum value. Expected a value >= 1. "
            "[max|invalid_value]");
  EXPECT_EQ(positive(R"({"max":1.5})", n, set),
            "Invalid type for 'max': expected an integer, but got a decimal number instead. "
            "[max|invalid_type]");
  EXPECT_EQ(positive(R"({"max":"3"})", n, set),
            "Invalid type for 'max': expected an integer, but got a string instead. "
            "[max|invalid_type]");
}

TEST(ParamReader, FieldsAndElementsVisitInOrderAndStopAtTheFirstError) {
  std::vector<std::string> seen;
  auto visit = [&](ParamReader &r, std::string_view key, od::value &v) {
    return r.opt_fields(v, std::string(key), [&](std::string_view k, od::value &fv) {
      od::array arr;
      bool present = false;
      if (!r.opt_array(fv, std::string(key) + "." + std::string(k), arr, present)) return false;
      return !present || r.elements_of(arr, [&](long i, od::value &ev) {
        std::string s;
        seen.push_back(std::string(k) + std::to_string(i));
        return r.opt_string(ev, Path{static_cast<int>(i)}, s);
      });
    });
  };
  EXPECT_EQ(read(R"({"o":{"a":["x","y"],"b":null,"c":["z"]},"p":null})", visit), "");
  EXPECT_EQ(seen, (std::vector<std::string>{"a0", "a1", "c0"}));
  seen.clear();
  EXPECT_EQ(read(R"({"o":{"a":["x",2,3]},"q":{"a":[4]}})", visit),
            "Invalid type for 'items[1]': expected a string, but got a number instead. "
            "[items[1]|invalid_type]");
  EXPECT_EQ(seen, (std::vector<std::string>{"a0", "a1"}));
  EXPECT_EQ(read(R"({"o":[1]})", visit),
            "Invalid type for 'o': expected an object, but got an array instead. [o|invalid_type]");
  // fields (not opt_fields) refuses null as the wrong type.
  EXPECT_EQ(read(R"({"o":null})",
                 [&](ParamReader &r, std::string_view, od::value &v) {
                   return r.fields(v, "o", [](std::string_view, od::value &) { return true; });
                 }),
            "Invalid type for 'o': expected an object, but got null instead. [o|invalid_type]");
}

TEST(ParamReader, ReadBodyRefusesWhatIsNotOneObject) {
  auto none = [](ParamReader &, std::string_view, od::value &) { return true; };
  EXPECT_EQ(read(" \n", none), "The request body is empty; send a JSON object. [|invalid_json]");
  EXPECT_EQ(read("[1]", none), "The request body must be a JSON object. [|invalid_json]");
  EXPECT_NE(read(R"({"a":1} {})", none).find("[|invalid_json]"), std::string::npos);
}

TEST(ParamReader, ToolsReadersNameTheParamTheyWereGiven) {
  std::vector<answer::ToolSpec> specs;
  std::string raw;
  EXPECT_EQ(read(R"({"tools":[{"type":"function","function":{"name":"f"}}]})",
                 [&](ParamReader &r, std::string_view, od::value &v) {
                   return r.tools(v, tools::Api::Chat, "tools", raw, specs);
                 }),
            "");
  ASSERT_EQ(specs.size(), 1u);
  EXPECT_EQ(specs[0].name, "f");
  EXPECT_EQ(raw, R"([{"type":"function","function":{"name":"f"}}])");
  std::string err = read(R"({"tools":7})", [&](ParamReader &r, std::string_view, od::value &v) {
    return r.tools(v, tools::Api::Chat, "functions", raw, specs);
  });
  EXPECT_NE(err.find("'functions'"), std::string::npos) << err;
}

FormPart text_part(std::string name, std::string_view data, bool file = false) {
  FormPart p;
  p.name = std::move(name);
  p.data = data;
  p.is_file = file;
  return p;
}

TEST(FormBody, BodyKindFollowsTheMediaType) {
  EXPECT_EQ(body_kind("multipart/form-data; boundary=x"), BodyKind::Multipart);
  EXPECT_EQ(body_kind(" Multipart/Form-Data ;boundary=x"), BodyKind::Multipart);
  EXPECT_EQ(body_kind("application/json; charset=utf-8"), BodyKind::Json);
  EXPECT_EQ(body_kind(""), BodyKind::Json);
  EXPECT_EQ(body_kind("text/plain"), BodyKind::Other);
  ApiError e = unsupported_content_type("text/plain; charset=utf-8");
  EXPECT_EQ(e.message, "Unsupported Content-Type 'text/plain': send multipart/form-data or "
                       "application/json.");
  EXPECT_EQ(e.code, "unsupported_content_type");
}

TEST(FormBody, ImageReferencesAreTextPartsWithAUrlOrDataUri) {
  EXPECT_TRUE(is_image_reference(text_part("image", " https://x.test/a.png\r\n")));
  EXPECT_TRUE(is_image_reference(text_part("image", "DATA:image/png;base64,AAAA")));
  EXPECT_FALSE(is_image_reference(text_part("image", "https://x.test/a.png", true)));
  EXPECT_FALSE(is_image_reference(text_part("image", "a cat")));
  EXPECT_FALSE(
      is_image_reference(text_part("image", std::string_view("\x89PNG\r\n\x1a\n://", 11))));
}

TEST(FormBody, CheckOnceRefusesTheSecondOfAField) {
  std::vector<std::string> seen;
  EXPECT_FALSE(check_once(seen, "prompt"));
  EXPECT_FALSE(check_once(seen, "model"));
  auto e = check_once(seen, "prompt");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->message, "Invalid value for 'prompt': the field was sent more than once.");
  EXPECT_EQ(e->param, "prompt");
}

TEST(FormBody, JsonOrFormDispatchesByContentType) {
  using R = std::variant<std::string, ApiError>;
  auto run = [](std::string_view ct, std::string_view body) {
    return json_or_form<R>(
        ct, body, 4, [](std::string_view j) -> R { return "json:" + std::string(j); },
        [](const std::vector<FormPart> &parts) -> R {
          return "form:" + std::to_string(parts.size());
        });
  };
  EXPECT_EQ(std::get<std::string>(run("application/json", "{}")), "json:{}");
  EXPECT_EQ(std::get<std::string>(run("multipart/form-data; boundary=b",
                                      "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
                                      "1\r\n--b--\r\n")),
            "form:1");
  EXPECT_EQ(std::get<ApiError>(run("multipart/form-data", "")).message,
            "The multipart/form-data Content-Type has no valid boundary.");
  EXPECT_EQ(std::get<ApiError>(run("multipart/form-data; boundary=b", "junk")).code,
            "invalid_multipart");
  EXPECT_EQ(std::get<ApiError>(run("text/plain", "")).code, "unsupported_content_type");
}

} // namespace
