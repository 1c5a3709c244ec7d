// The fast path for REST NDJSON lines (see strict_json.h): the token lines that make up almost
// all of an answer, read in one strict pass instead of through simdjson. Any line it does not
// fully understand is left to read_rest_frame (ndjson_frame.h), which then decides.
#pragma once

#include "grok/ndjson_frame.h"
#include "grok/strict_json.h"

#include <string>

namespace g2a::grok {

// What the tail of the last token line read as (the bytes after its token string: the
// flags, tag and response id, which repeat from line to line). A token line whose tail is the
// same bytes reads the same, so it is compared, not read again. One per stream.
struct RestTailMemo {
  struct Span { // a view into the tail, as an offset (set: the field was read)
    bool set = false;
    size_t off = 0, len = 0;
    bool from(std::string_view v, std::string_view tail); // false: v is not inside the tail
  };
  bool valid = false;
  std::string tail;
  bool is_thinking = false, soft_stop = false, meta = false;
  Span token, message_tag, response_id;
  RestFrame frame; // scratch: the tail read on its own
};

// Reads the line at [p, p+len) into `f` and returns true when the line is strictly valid JSON
// whose every field read_rest_frame acts on is one this path reads (token, isThinking,
// isSoftStop, messageTag, responseId; other fields are validated and ignored, as
// read_rest_frame ignores them). `f` then holds exactly what read_rest_frame would give.
// Returns false otherwise (f is then unspecified: call read_rest_frame).
// Unescaped strings go to `buf`; plain ones point into the line. With a memo, a line that
// starts `{"result":{"response":{"token":` and ends like the previous such line is read by
// comparing its tail.
bool read_rest_fast(const char *p, size_t len, UnescapeBuffer &buf, RestFrame &f,
                    RestTailMemo *memo = nullptr);

} // namespace g2a::grok
