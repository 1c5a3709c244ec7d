// libFuzzer target: the REST NDJSON decoder (grok/ndjson_decoder.h). The input is an upstream
// body. Invariants: the events do not depend on how the body is cut into chunks (whole, a
// pseudo-random split derived from the input, byte by byte for short inputs, the zero-copy
// padded feed); finish() always ends with exactly one Done or Error, last; nothing follows
// it; every string an event carries is valid UTF-8. Also with a tiny line limit.
#include "fuzz_util.h"
#include "grok/ndjson_decoder.h"

#include <simdjson.h>

#include <vector>

using namespace g2a;
using namespace g2a::grok;

namespace {

struct Collect : EventSink {
  std::vector<Event> events;
  void on_event(Event &&ev) override { events.push_back(std::move(ev)); }
};

std::string describe(const std::vector<Event> &evs) {
  std::string s;
  for (const auto &e : evs) {
    s += std::to_string(static_cast<int>(e.kind)) + ":" + e.text + "|" + e.id + "|" + e.ref + "|" +
         e.url + "|" + e.title + "|" + e.thumb + "|" + std::to_string(e.progress) +
         (e.moderated ? "M" : "") + "|" + failure_name(e.failure) + "\n";
  }
  return s;
}

// sizes: chunk sizes to cycle through (empty = whole); padded: zero-copy overload.
std::vector<Event> decode(std::string_view in, const std::vector<size_t> &sizes, bool padded,
                          const DecodeOptions &opt) {
  Collect sink;
  NdjsonDecoder dec(sink, opt);
  size_t at = 0, k = 0;
  while (at < in.size()) {
    size_t n = sizes.empty() ? in.size() : std::min(sizes[k++ % sizes.size()], in.size() - at);
    if (padded) {
      std::string chunk(in.substr(at, n));
      chunk.append(simdjson::SIMDJSON_PADDING, '\xff');
      dec.feed(std::string_view(chunk.data(), n), simdjson::SIMDJSON_PADDING);
    } else {
      std::string chunk(in.substr(at, n)); // own allocation: ASan sees over-reads
      dec.feed(chunk);
    }
    at += n;
    // Once finished, the decoder says so, and later feeds emit nothing.
    if (dec.done()) FUZZ_CHECK(!sink.events.empty(), "done() without a terminal event");
  }
  size_t before_finish = sink.events.size();
  bool was_done = dec.done();
  dec.finish();
  FUZZ_CHECK(dec.done(), "not done after finish()");
  if (was_done) FUZZ_CHECK(sink.events.size() == before_finish, describe(sink.events));
  dec.finish(); // idempotent
  return sink.events;
}

void check_events(const std::vector<Event> &evs) {
  FUZZ_CHECK(!evs.empty(), "no events at all");
  size_t terminals = 0;
  for (const auto &e : evs) {
    if (e.kind == Event::Kind::Done || e.kind == Event::Kind::Error) ++terminals;
    for (const std::string *s : {&e.text, &e.id, &e.ref, &e.url, &e.title, &e.thumb})
      FUZZ_CHECK(fuzz::valid_utf8(*s), *s);
    if (e.kind == Event::Kind::Error) FUZZ_CHECK(e.failure != Failure::None, describe(evs));
  }
  FUZZ_CHECK(terminals == 1, describe(evs));
  FUZZ_CHECK(evs.back().kind == Event::Kind::Done || evs.back().kind == Event::Kind::Error,
             describe(evs));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view in(reinterpret_cast<const char *>(data), size);
  uint32_t seed = 2166136261u;
  for (size_t i = 0; i < size && i < 32; ++i) seed = (seed ^ data[i]) * 16777619u;

  for (size_t limit : {size_t(16) * 1024 * 1024, size_t(48)}) {
    DecodeOptions opt;
    opt.max_line_bytes = limit;
    std::vector<Event> whole = decode(in, {}, false, opt);
    check_events(whole);
    std::string want = describe(whole);
    std::vector<size_t> sizes;
    uint32_t x = seed | 1;
    for (int i = 0; i < 16; ++i) {
      x ^= x << 13, x ^= x >> 17, x ^= x << 5;
      sizes.push_back(1 + x % (i % 2 ? 97 : 7));
    }
    FUZZ_CHECK(describe(decode(in, sizes, false, opt)) == want, want);
    FUZZ_CHECK(describe(decode(in, sizes, true, opt)) == want, want);
    FUZZ_CHECK(describe(decode(in, {}, true, opt)) == want, want);
    if (size <= 512) FUZZ_CHECK(describe(decode(in, {1}, false, opt)) == want, want);
  }
  return 0;
}
