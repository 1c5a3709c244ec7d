// libFuzzer target: the hot-path JSON string writer (openai/json_escape.h). Invariants: the
// output is one JSON string literal that nlohmann reads back (so valid JSON and valid UTF-8);
// what it reads back equals the input decoded the WHATWG way (each maximal ill-formed
// subsequence → one U+FFFD; a reference decoder below); no raw control character, U+2028 or
// U+2029 remains; append_json_escaped is the same text without the quotes.
#include "fuzz_util.h"
#include "openai/json_escape.h"

using namespace g2a;

namespace {

void put_cp(std::string &out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The WHATWG Encoding Standard's UTF-8 decoder, written from the spec.
std::string whatwg_decode(std::string_view in) {
  std::string out;
  uint32_t cp = 0;
  int needed = 0, seen = 0;
  unsigned lower = 0x80, upper = 0xBF;
  for (size_t i = 0; i < in.size(); ++i) {
    unsigned b = static_cast<unsigned char>(in[i]);
    if (needed == 0) {
      if (b <= 0x7F) {
        put_cp(out, b);
      } else if (b >= 0xC2 && b <= 0xDF) {
        needed = 1, cp = b & 0x1F;
      } else if (b >= 0xE0 && b <= 0xEF) {
        if (b == 0xE0) lower = 0xA0;
        if (b == 0xED) upper = 0x9F;
        needed = 2, cp = b & 0xF;
      } else if (b >= 0xF0 && b <= 0xF4) {
        if (b == 0xF0) lower = 0x90;
        if (b == 0xF4) upper = 0x8F;
        needed = 3, cp = b & 0x7;
      } else {
        put_cp(out, 0xFFFD);
      }
      continue;
    }
    if (b < lower || b > upper) {
      cp = 0, needed = 0, seen = 0, lower = 0x80, upper = 0xBF;
      put_cp(out, 0xFFFD);
      --i; // the byte starts over
      continue;
    }
    lower = 0x80, upper = 0xBF;
    cp = (cp << 6) | (b & 0x3F);
    if (++seen == needed) {
      put_cp(out, cp);
      cp = 0, needed = 0, seen = 0;
    }
  }
  if (needed) put_cp(out, 0xFFFD);
  return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view in(reinterpret_cast<const char *>(data), size);
  std::string lit = "prefix";
  openai::append_json_string(lit, in);
  FUZZ_CHECK(lit.rfind("prefix\"", 0) == 0 && lit.back() == '"', lit);
  std::string_view quoted = std::string_view(lit).substr(6);
  for (size_t i = 0; i < quoted.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(quoted[i]);
    FUZZ_CHECK(c >= 0x20, "a raw control character");
    if (c == 0xE2 && i + 2 < quoted.size() && static_cast<unsigned char>(quoted[i + 1]) == 0x80)
      FUZZ_CHECK(static_cast<unsigned char>(quoted[i + 2]) != 0xA8 &&
                     static_cast<unsigned char>(quoted[i + 2]) != 0xA9,
                 "a raw U+2028/U+2029");
  }
  json back = fuzz::must_parse(quoted, "not a JSON string literal");
  FUZZ_CHECK(back.is_string(), quoted);
  const std::string &got = back.get_ref<const std::string &>();
  std::string want = whatwg_decode(in);
  FUZZ_CHECK(got == want, quoted);
  if (fuzz::valid_utf8(in)) FUZZ_CHECK(got == in, quoted);

  std::string bare;
  openai::append_json_escaped(bare, in);
  FUZZ_CHECK("\"" + bare + "\"" == quoted, bare);
  return 0;
}
