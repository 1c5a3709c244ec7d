// Native renderer benchmark: the same recorded upstream answer (bench/lib/write-inputs.mjs
// chunks, decoded once by the NDJSON decoder) rendered as Chat Completions SSE, as Anthropic
// Messages SSE and as OpenAI Responses SSE, one flush per upstream chunk as the sink does. Rounds
// alternate the renderers; the median of each is reported, so the ratios compare like with like.
// The Responses renderer also keeps the final response object (as the route does, for storage).
//
//   render_bench FILE.bin [ANSWERS_PER_ROUND]
// Prints one JSON line: {input, chunks, events, out_bytes:{chat, messages, responses},
// ns_per_answer:{chat, messages, responses}, ratio_messages_chat, ratio_responses_chat}.
#include "anthropic/messages_renderer.h"
#include "grok/ndjson_decoder.h"
#include "openai/chat_renderer.h"
#include "openai/responses_renderer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

using namespace g2a;

namespace {

std::vector<std::string> read_chunks(const char *path) {
  std::ifstream f(path, std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::vector<std::string> out;
  size_t at = 0;
  while (at + 4 <= all.size()) {
    auto b = [&](size_t i) {
      return static_cast<uint32_t>(static_cast<unsigned char>(all[at + i]));
    };
    uint32_t n = b(0) | (b(1) << 8) | (b(2) << 16) | (b(3) << 24);
    out.push_back(all.substr(at + 4, n));
    at += 4 + n;
  }
  return out;
}

struct Collect : answer::EventSink {
  std::vector<answer::Event> *into = nullptr;
  void on_event(answer::Event &&ev) override { into->push_back(std::move(ev)); }
};

using Chunks = std::vector<std::vector<answer::Event>>;

// Renders the whole answer `n` times; returns ns per answer and the bytes of one answer.
template <class Make> std::pair<double, size_t> render(const Chunks &chunks, int n, Make make) {
  size_t bytes = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    std::unique_ptr<answer::Renderer> r = make();
    r->begin();
    for (const auto &chunk : chunks) {
      for (const auto &ev : chunk) r->on_event(answer::Event(ev));
      r->flush();
      bytes += r->take().size();
    }
    r->finish(answer::StopReason::Stop);
    bytes += r->take().size();
  }
  double ns =
      std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
  return {ns / n, bytes / static_cast<size_t>(n)};
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: render_bench FILE.bin [ANSWERS_PER_ROUND]\n");
    return 2;
  }
  int n = argc > 2 ? std::max(1, std::atoi(argv[2])) : 200;
  std::vector<std::string> raw = read_chunks(argv[1]);
  Chunks chunks;
  Collect sink;
  grok::NdjsonDecoder dec(sink);
  size_t events = 0;
  for (const auto &c : raw) {
    chunks.emplace_back();
    sink.into = &chunks.back();
    dec.feed(c);
    events += chunks.back().size();
  }
  chunks.emplace_back();
  sink.into = &chunks.back();
  dec.finish();
  events += chunks.back().size();

  openai::ChatRenderOptions co;
  co.id = "chatcmpl-bench";
  co.created = 1767225600;
  co.model = "grok-4";
  anthropic::MessagesRenderOptions mo;
  mo.id = "msg_bench";
  mo.model = "claude-sonnet-4-6";
  mo.thinking = true;
  mo.signing_key = "bench-signing-key-0123456789abcdef";
  openai::ResponsesRenderOptions ro;
  ro.id = "resp_bench";
  ro.item_seed = "0123456789abcdef01234567";
  ro.created_at = 1767225600;
  ro.model = "grok-4";
  ro.show_reasoning = true;
  std::vector<double> chat, messages, responses;
  size_t chat_bytes = 0, messages_bytes = 0, responses_bytes = 0;
  for (int round = 0; round < 7; ++round) {
    auto c = render(chunks, n,
                    [&] { return std::make_unique<openai::ChatCompletionsRenderer>(co, true); });
    auto m =
        render(chunks, n, [&] { return std::make_unique<anthropic::MessagesRenderer>(mo, true); });
    auto r = render(chunks, n, [&] {
      auto o = ro;
      o.final_response = std::make_shared<openai::FinalResponse>();
      return std::make_unique<openai::ResponsesRenderer>(o, true);
    });
    chat.push_back(c.first);
    messages.push_back(m.first);
    responses.push_back(r.first);
    chat_bytes = c.second;
    messages_bytes = m.second;
    responses_bytes = r.second;
  }
  double cm = median(chat), mm = median(messages), rm = median(responses);
  std::printf("{\"input\":\"%s\",\"chunks\":%zu,\"events\":%zu,\"out_bytes\":{\"chat\":%zu,"
              "\"messages\":%zu,\"responses\":%zu},\"ns_per_answer\":{\"chat\":%.0f,"
              "\"messages\":%.0f,\"responses\":%.0f},\"ratio_messages_chat\":%.3f,"
              "\"ratio_responses_chat\":%.3f}\n",
              argv[1], raw.size(), events, chat_bytes, messages_bytes, responses_bytes, cm, mm, rm,
              mm / cm, rm / cm);
  return 0;
}
