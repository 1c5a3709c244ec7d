// The mgw text-frame fast path (see mgw_fast_frame.h). It mirrors read_mgw_frame's field
// dispatch (mgw_frame.cpp) for the fields it reads; a field read_mgw_frame acts on that this
// path does not read sends the frame to simdjson. Keep it in step with mgw_frame.cpp
// (mgw_fast_fuzz compares the two on arbitrary frames).
#include "grok/mgw_fast_frame.h"

namespace g2a::grok {

namespace {

using Field = StrictCursor::Field;

struct Reader {
  StrictCursor &c;
  MgwFrame &f;

  // od::str: a string is kept, another type is ignored.
  G2A_INLINE bool str(std::string_view &out) {
    if (c.peek() == '"') return c.string(out);
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

  G2A_INLINE bool chunk() {
    return fields([&](std::string_view k) {
      if (strict::key_is(k, "text")) {
        if (c.peek() != '{') return c.skip();
        f.has_text = true;
        return fields([&](std::string_view tk) {
          if (strict::key_is(tk, "text")) return str(f.text);
          if (strict::key_is(tk, "channel")) return str(f.channel);
          return c.skip();
        });
      }
      if (strict::key_is(k, "tool_result") || strict::key_is(k, "render_citation")) return false;
      return c.skip(); // tool_usage_card and unknown chunk kinds
    });
  }

  G2A_INLINE bool event() {
    return fields([&](std::string_view k) {
      if (strict::key_is(k, "type")) return str(f.type);
      if (strict::key_is(k, "client_event_id")) return str(f.client_event_id);
      if (strict::key_is(k, "chunk")) return chunk();
      if (strict::key_is(k, "delta")) {
        if (c.peek() != '"') return c.skip();
        f.has_delta = true;
        return c.string(f.delta);
      }
      if (strict::key_is(k, "text")) {
        if (c.peek() != '"') return c.skip();
        f.has_full_text = true;
        return c.string(f.full_text);
      }
      if (strict::key_is(k, "conversation") || strict::key_is(k, "response") ||
          strict::key_is(k, "result") || strict::key_is(k, "search_result") ||
          strict::key_is(k, "output") || strict::key_is(k, "error") || strict::key_is(k, "message"))
        return false;
      return c.skip();
    });
  }
};

} // namespace

bool read_mgw_fast(const char *p, size_t len, UnescapeBuffer &buf, MgwFrame &f) {
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
      if (strict::key_is(k, "session_id")) {
        if (!r.str(f.session_id)) return false;
      } else if (strict::key_is(k, "event")) {
        if (!r.event()) return false;
      } else if (!c.skip()) {
        return false;
      }
    }
  }
}

} // namespace g2a::grok
