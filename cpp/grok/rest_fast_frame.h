// The fast path for REST NDJSON lines (see strict_json.h): the token lines that make up almost
// all of an answer, read in one strict pass instead of through simdjson. Any line it does not
// fully understand is left to read_rest_frame (ndjson_frame.h), which then decides.
#pragma once

#include "grok/ndjson_frame.h"
#include "grok/strict_json.h"

namespace g2a::grok {

// Reads the line at [p, p+len) into `f` and returns true when the line is strictly valid JSON
// whose every field read_rest_frame acts on is one this path reads (token, isThinking,
// isSoftStop, messageTag, responseId; other fields are validated and ignored, as
// read_rest_frame ignores them). `f` then holds exactly what read_rest_frame would give.
// Returns false otherwise (f is then unspecified: call read_rest_frame).
// Unescaped strings go to `buf`; plain ones point into the line.
bool read_rest_fast(const char *p, size_t len, UnescapeBuffer &buf, RestFrame &f);

} // namespace g2a::grok
