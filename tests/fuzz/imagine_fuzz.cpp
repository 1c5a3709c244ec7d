// libFuzzer target: the imagine WebSocket session (grok/imagine_session.h). First byte: the
// number of images asked for and the assets base; then one server frame per line; the socket
// closes at the end. Invariants: exactly one Done or Error, last, after on_close; done()
// agrees; at most n final (unmoderated, progress 100) images, each slot's final once; image
// URLs are absolute http(s); progress within 0..100; the frames sent are valid JSON.
#include "fuzz_util.h"
#include "grok/imagine_session.h"

#include <set>
#include <vector>

using namespace g2a;
using namespace g2a::grok;

namespace {

struct Collect : EventSink {
  std::string log;
  size_t terminals = 0, after_terminal = 0, finals = 0;
  std::set<std::string> final_ids;
  void on_event(Event &&e) override {
    if (terminals) ++after_terminal;
    if (e.kind == Event::Kind::Done || e.kind == Event::Kind::Error) ++terminals;
    for (const std::string *s : {&e.text, &e.id, &e.ref, &e.url, &e.title, &e.thumb})
      FUZZ_CHECK(fuzz::valid_utf8(*s), *s);
    log += std::to_string(static_cast<int>(e.kind)) + ":" + e.id + "|" + e.url + "|" +
           std::to_string(e.progress) + (e.moderated ? "M" : "") + "|" + failure_name(e.failure) +
           "|" + std::to_string(e.text.size()) + "\n";
    if (e.kind != Event::Kind::Image) return;
    FUZZ_CHECK(e.progress >= -1 && e.progress <= 100, log);
    if (!e.url.empty())
      FUZZ_CHECK(e.url.rfind("https://", 0) == 0 || e.url.rfind("http://", 0) == 0, e.url);
    if (e.progress == 100 && !e.moderated) {
      ++finals;
      FUZZ_CHECK(final_ids.insert(e.id).second, log);
    }
  }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz::Reader r(data, size);
  uint8_t b = r.byte();
  ImagineRequest req;
  req.prompt = "a cat";
  req.request_id = "rid-1";
  req.n = 1 + b % 8;
  req.pro = b & 0x80;
  if (b & 0x40) req.assets_base = "http://127.0.0.1:9";
  Collect sink;
  std::vector<std::string> sent;
  ImagineSession s(sink, [&](std::string f) { sent.push_back(std::move(f)); }, req);
  s.start(1700000000000LL);
  FUZZ_CHECK(sent.size() == 2, "start() sends reset + request");
  for (const auto &f : sent) fuzz::must_parse(f, "a sent frame is not JSON");
  while (!r.empty()) {
    std::string frame(r.until('\n'));
    s.on_frame(frame);
    FUZZ_CHECK(s.done() == (sink.terminals > 0), sink.log);
  }
  s.on_close();
  s.on_close();
  FUZZ_CHECK(s.done() && sink.terminals == 1 && sink.after_terminal == 0, sink.log);
  FUZZ_CHECK(sink.finals <= static_cast<size_t>(req.n), sink.log);
  FUZZ_CHECK(s.images_completed() <= req.n, sink.log);
  FUZZ_CHECK(s.state() == ImagineSession::State::Done ||
                 s.state() == ImagineSession::State::Failed,
             sink.log);
  return 0;
}
