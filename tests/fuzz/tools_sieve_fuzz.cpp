// libFuzzer target: the streaming tool-call sieve (tools/sieve.h). The first byte picks
// parallel_tool_calls and a chunking seed; the rest is the model's answer, fed in chunks whose
// sizes come from the seed. Invariants: no crash; no lost text — the pieces' raw bytes,
// concatenated, are the input exactly; nothing is held after finish(); every call names an
// offered tool, and a JSON tool's arguments are a JSON object that fits its schema's required
// keys; with parallel_tool_calls false there is at most one call; exactly the same pieces come
// out when the whole answer is fed at once.
#include "fuzz_util.h"
#include "tools/sieve.h"

using namespace g2a;

namespace {

const std::vector<answer::ToolSpec> &catalogue() {
  static const std::vector<answer::ToolSpec> tools = [] {
    std::vector<answer::ToolSpec> t(3);
    t[0].name = "get_weather";
    t[0].parameters = R"({"type":"object","properties":{"city":{"type":"string"},)"
                      R"("unit":{"enum":["c","f"]}},"required":["city"]})";
    t[1].name = "search";
    t[1].parameters = R"({"type":"object","properties":{"query":{"type":"string"},)"
                      R"("limit":{"type":"integer"}},"required":["query"]})";
    t[2].name = "apply_patch";
    t[2].freeform = true;
    return t;
  }();
  return tools;
}

std::vector<tools::Piece> run(std::string_view text, bool parallel, uint32_t seed, bool whole) {
  std::vector<const answer::ToolSpec *> offered;
  for (const auto &t : catalogue()) offered.push_back(&t);
  tools::Sieve sieve(offered, parallel);
  std::vector<tools::Piece> pieces;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t n = whole ? text.size() : 1 + (seed % 13);
    seed = seed * 1103515245u + 12345u;
    sieve.feed(text.substr(pos, n), pieces);
    pos += std::min(n, text.size() - pos);
  }
  sieve.finish(pieces);
  FUZZ_CHECK(sieve.held() == 0, text);
  return pieces;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz::Reader r(data, size);
  uint8_t mode = r.byte();
  bool parallel = (mode & 1) == 0;
  uint32_t seed = mode * 2654435761u;
  std::string_view text = r.rest();

  auto pieces = run(text, parallel, seed, false);
  std::string raw;
  size_t calls = 0;
  for (const auto &p : pieces) {
    raw += p.raw;
    if (p.kind != tools::Piece::Kind::Call) continue;
    ++calls;
    const answer::ToolSpec *tool = nullptr;
    for (const auto &t : catalogue())
      if (t.name == p.name) tool = &t;
    FUZZ_CHECK(tool != nullptr, p.name);
    if (tool->freeform) continue;
    auto args = parse_json(p.arguments);
    FUZZ_CHECK(args && args->is_object(), p.arguments);
    FUZZ_CHECK(args->contains(tool->name == "search" ? "query" : "city"), p.arguments);
  }
  FUZZ_CHECK(raw == text, raw);
  if (!parallel) FUZZ_CHECK(calls <= 1, text);

  auto whole = run(text, parallel, seed, true);
  FUZZ_CHECK(whole.size() == pieces.size(), text);
  for (size_t i = 0; i < whole.size(); ++i) {
    FUZZ_CHECK(whole[i].kind == pieces[i].kind && whole[i].raw == pieces[i].raw, text);
    FUZZ_CHECK(whole[i].arguments == pieces[i].arguments, text);
  }
  return 0;
}
