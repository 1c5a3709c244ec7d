// The REST token-line fast path (see rest_fast_frame.h). It mirrors read_rest_frame's field
// dispatch (ndjson_frame.cpp) for the fields it reads; a field read_rest_frame acts on that
// this path does not read sends the line to simdjson. Keep kActedOn in step with
// ndjson_frame.cpp (rest_fast_fuzz compares the two on arbitrary lines).
#include "grok/rest_fast_frame.h"

namespace g2a::grok {

namespace {

using Field = StrictCursor::Field;

// Fields of `result.response` (and wrapper-less `result`) that read_rest_frame acts on.
bool acted_on(std::string_view k) {
  static constexpr std::string_view kActedOn[] = {"token",
                                                  "toolUsageCardId",
                                                  "toolUsageCard",
                                                  "isThinking",
                                                  "isSoftStop",
                                                  "messageTag",
                                                  "modelResponse",
                                                  "responseId",
                                                  "userResponse",
                                                  "finalMetadata",
                                                  "webSearchResults",
                                                  "xSearchResults",
                                                  "citedWebSearchResults",
                                                  "xposts",
                                                  "citedXposts",
                                                  "citedXSearchResults",
                                                  "cardAttachment",
                                                  "cardAttachments",
                                                  "cardAttachmentsJson",
                                                  "conversation",
                                                  "streamingImageGenerationResponse",
                                                  "streamingVideoGenerationResponse",
                                                  "error"};
  for (auto a : kActedOn)
    if (k == a) return true;
  return false;
}

struct Reader {
  StrictCursor &c;
  RestFrame &f;

  // od::str: a string is kept, another type is ignored.
  G2A_INLINE bool str(std::string_view &out) {
    if (c.peek() == '"') return c.string(out);
    return c.skip();
  }
  // od::boolean: true/false kept, a number counts as its truth value (left to simdjson),
  // another type is ignored.
  G2A_INLINE bool boolean(bool &out) {
    uint8_t b = c.peek();
    if (b == 't' || b == 'f') return c.boolean(out);
    if (b == '-' || (b >= '0' && b <= '9')) return false;
    return c.skip();
  }

  G2A_INLINE bool response_field(std::string_view k) {
    if (strict::key_is(k, "token")) {
      if (c.peek() != '"') return c.skip(); // arrays and other types are skipped
      f.has_token = true;
      return c.string(f.token);
    }
    if (strict::key_is(k, "isThinking")) return boolean(f.is_thinking);
    if (strict::key_is(k, "isSoftStop")) return boolean(f.soft_stop);
    if (strict::key_is(k, "messageTag")) return str(f.message_tag);
    if (strict::key_is(k, "responseId")) return str(f.response_id);
    if (acted_on(k)) return false;
    return c.skip();
  }

  // each_field over an object value (another type is skipped), fn(key) per field.
  template <class Fn> G2A_INLINE bool fields(Fn &&fn) {
    if (c.peek() != '{') return c.skip();
    c.begin_object();
    bool first = true;
    std::string_view k;
    for (;;) {
      switch (c.next_field(first, k)) {
      case Field::End:
        return true;
      case Field::Fail:
        return false;
      case Field::Key:
        if (!fn(k)) return false;
      }
    }
  }

  G2A_INLINE bool result() {
    return fields([&](std::string_view k) {
      if (strict::key_is(k, "response"))
        return fields([&](std::string_view rk) { return response_field(rk); });
      if (strict::key_is(k, "title")) return c.skip();
      return response_field(k);
    });
  }
};

} // namespace

bool read_rest_fast(const char *p, size_t len, UnescapeBuffer &buf, RestFrame &f) {
  f.clear();
  StrictCursor c(p, len, buf);
  if (!c.begin_object()) return false;
  Reader r{c, f};
  bool first = true;
  std::string_view k;
  for (;;) {
    switch (c.next_field(first, k)) {
    case Field::End:
      return c.at_end();
    case Field::Fail:
      return false;
    case Field::Key:
      if (strict::key_is(k, "result")) {
        if (!r.result()) return false;
      } else if (strict::key_is(k, "error")) {
        return false;
      } else if (!c.skip()) {
        return false;
      }
    }
  }
}

} // namespace g2a::grok
