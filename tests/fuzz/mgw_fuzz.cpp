// libFuzzer target: the mgw chat WebSocket session (grok/mgw_session.h). The input is one
// server frame per line, as in tests/native/fixtures/mgw/*.frames.jsonl (`#tick`, `#close`
// directives honoured, other `#` lines ignored); the socket closes at the end. Invariants:
// after on_close exactly one Done or Error was emitted and it was the last event; done()
// agrees; every frame the client sent is valid JSON; the state is Done or Failed at the end;
// event strings are valid UTF-8; replaying the same frames gives the same events.
#include "fuzz_util.h"
#include "grok/mgw_session.h"

#include <vector>

using namespace g2a;
using namespace g2a::grok;

namespace {

struct Collect : EventSink {
  std::string log;
  size_t terminals = 0, after_terminal = 0;
  void on_event(Event &&e) override {
    if (terminals) ++after_terminal;
    if (e.kind == Event::Kind::Done || e.kind == Event::Kind::Error) ++terminals;
    for (const std::string *s : {&e.text, &e.id, &e.ref, &e.url, &e.title, &e.thumb})
      FUZZ_CHECK(fuzz::valid_utf8(*s), *s);
    log += std::to_string(static_cast<int>(e.kind)) + ":" + e.text + "|" + e.id + "|" + e.ref +
           "|" + e.url + "|" + e.title + "|" + e.thumb + "|" + std::to_string(e.progress) + "|" +
           failure_name(e.failure) + "\n";
  }
};

std::string run(std::string_view in) {
  Collect sink;
  int ids = 0;
  std::vector<std::string> sent;
  MgwRequest req;
  req.mode = "fast";
  req.prompt = "hi";
  MgwSession s(
      sink, [&](std::string f) { sent.push_back(std::move(f)); },
      [&] { return "uuid-" + std::to_string(++ids); }, req);
  long long now = 1700000000000LL;
  s.start(now);
  fuzz::Reader r(in);
  while (!r.empty()) {
    std::string_view line = r.until('\n');
    now += 1000;
    if (line.rfind("#tick", 0) == 0) {
      s.on_tick(now + MgwSession::kHeartbeatMs);
    } else if (line == "#close") {
      s.on_close();
    } else if (line.rfind("#", 0) != 0) {
      std::string frame(line); // own allocation
      s.on_frame(frame, now);
    }
    FUZZ_CHECK(s.done() == (sink.terminals > 0), sink.log);
  }
  s.on_close();
  s.on_close();
  FUZZ_CHECK(s.done(), sink.log);
  FUZZ_CHECK(sink.terminals == 1 && sink.after_terminal == 0, sink.log);
  FUZZ_CHECK(s.state() == MgwSession::State::Done || s.state() == MgwSession::State::Failed,
             sink.log);
  FUZZ_CHECK(!sent.empty(), "session.create was not sent");
  for (const auto &f : sent) fuzz::must_parse(f, "a sent frame is not JSON");
  return sink.log;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view in(reinterpret_cast<const char *>(data), size);
  std::string first = run(in);
  FUZZ_CHECK(run(in) == first, first);
  return 0;
}
