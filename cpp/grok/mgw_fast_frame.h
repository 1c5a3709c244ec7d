// The fast path for mgw server frames (see strict_json.h): the text chunks and deltas that make
// up almost all of an answer, read in one strict pass instead of through simdjson. Any frame it
// does not fully understand is left to read_mgw_frame (mgw_frame.h), which then decides.
#pragma once

#include "grok/mgw_frame.h"
#include "grok/strict_json.h"

namespace g2a::grok {

// Reads the frame at [p, p+len) into `f` and returns true when it is strictly valid JSON whose
// every field read_mgw_frame acts on is one this path reads (session_id; event.type,
// client_event_id, delta, text, chunk.text{text, channel}; other fields are validated and
// ignored, as read_mgw_frame ignores them). `f` then holds exactly what read_mgw_frame would
// give. Returns false otherwise (f is then unspecified: call read_mgw_frame).
// Unescaped strings go to `buf`; plain ones point into the frame.
bool read_mgw_fast(const char *p, size_t len, UnescapeBuffer &buf, MgwFrame &f);

} // namespace g2a::grok
