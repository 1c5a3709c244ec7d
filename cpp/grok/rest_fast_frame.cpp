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
                                                  "error",
                                                  "uiLayout",
                                                  "llmInfo"};
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

  // The fields left in an object whose '{' (and, unless `first`, some fields) were read.
  template <class Fn> G2A_INLINE bool rest_of_object(bool first, Fn &&fn) {
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

  // each_field over an object value (another type is skipped), fn(key) per field.
  template <class Fn> G2A_INLINE bool fields(Fn &&fn) {
    if (c.peek() != '{') return c.skip();
    c.begin_object();
    return rest_of_object(true, fn);
  }

  G2A_INLINE bool result_field(std::string_view k) {
    if (strict::key_is(k, "response"))
      return fields([&](std::string_view rk) { return response_field(rk); });
    if (strict::key_is(k, "title")) { // known metadata, as read_rest_frame marks it
      f.meta = true;
      return c.skip();
    }
    return response_field(k);
  }

  G2A_INLINE bool root_field(std::string_view k) {
    if (strict::key_is(k, "result"))
      return fields([&](std::string_view rk) { return result_field(rk); });
    if (strict::key_is(k, "error")) return false;
    return c.skip();
  }

  // After `{"result":{"response":{"token":"…"`: the rest of the three objects, then the end.
  G2A_INLINE bool after_token() {
    return rest_of_object(false, [&](std::string_view k) { return response_field(k); }) &&
           rest_of_object(false, [&](std::string_view k) { return result_field(k); }) &&
           rest_of_object(false, [&](std::string_view k) { return root_field(k); }) && c.at_end();
  }
};

constexpr char kTokenPrefix[] = R"({"result":{"response":{"token":)";
constexpr size_t kPrefix = sizeof(kTokenPrefix) - 1;

bool same_bytes(const char *a, const char *b, size_t n) { // memcmp is a byte loop in wasm
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t x, y;
    std::memcpy(&x, a + i, 8);
    std::memcpy(&y, b + i, 8);
    if (x != y) return false;
  }
  for (; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

// A view of the memo's tail as the same offset in this line's tail.
std::string_view rebase(const RestTailMemo::Span &s, const char *tail) {
  return s.set ? std::string_view(tail + s.off, s.len) : std::string_view();
}

} // namespace

bool RestTailMemo::Span::from(std::string_view v, std::string_view tail) {
  set = v.data() != nullptr;
  if (!set) return true;
  if (v.data() < tail.data() || v.data() + v.size() > tail.data() + tail.size()) return false;
  off = static_cast<size_t>(v.data() - tail.data());
  len = v.size();
  return true;
}

bool read_rest_fast(const char *p, size_t len, UnescapeBuffer &buf, RestFrame &f,
                    RestTailMemo *memo) {
  f.clear();
  StrictCursor c(p, len, buf);
  Reader r{c, f};
  if (memo && len > kPrefix && same_bytes(p, kTokenPrefix, kPrefix)) {
    // A token line: the token, then a tail that is usually the previous line's tail again.
    c.advance(kPrefix);
    if (c.peek() != '"') return false; // (a token of another type: simdjson decides)
    f.has_token = true;
    if (!c.string(f.token)) return false;
    std::string_view tail = c.rest();
    RestTailMemo &m = *memo;
    if (m.valid && tail.size() == m.tail.size() &&
        same_bytes(tail.data(), m.tail.data(), tail.size())) {
      if (m.token.set) f.token = rebase(m.token, tail.data());
      f.is_thinking = m.is_thinking;
      f.soft_stop = m.soft_stop;
      f.meta = m.meta;
      f.message_tag = rebase(m.message_tag, tail.data());
      f.response_id = rebase(m.response_id, tail.data());
      return true;
    }
    // Read the tail on its own (what it sets overrides the prefix's token), then remember it.
    RestFrame &t = m.frame;
    t.clear();
    Reader tr{c, t};
    m.valid = false;
    if (!tr.after_token()) return false;
    if (t.has_token) f.token = t.token;
    f.is_thinking = t.is_thinking;
    f.soft_stop = t.soft_stop;
    f.meta = t.meta;
    f.message_tag = t.message_tag;
    f.response_id = t.response_id;
    if (m.token.from(t.has_token ? t.token : std::string_view(), tail) &&
        m.message_tag.from(t.message_tag, tail) && m.response_id.from(t.response_id, tail)) {
      m.tail.assign(tail);
      m.is_thinking = t.is_thinking;
      m.soft_stop = t.soft_stop;
      m.meta = t.meta;
      m.valid = true;
    }
    return true;
  }
  if (!c.begin_object()) return false;
  return r.rest_of_object(true, [&](std::string_view k) { return r.root_field(k); }) && c.at_end();
}

} // namespace g2a::grok
