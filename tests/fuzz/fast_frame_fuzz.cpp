// libFuzzer target: the strict one-pass readers (grok/rest_fast_frame.h, grok/mgw_fast_frame.h)
// against simdjson — forced to its scalar `fallback` kernel, the one the wasm build runs — on
// arbitrary bytes, read as a REST line (alone, and split at '\n' into lines that go through
// one tail memo in order, as a stream's lines do) and as an mgw frame. Invariant: whenever a
// fast reader accepts a line, simdjson's reader (read_rest_frame / read_mgw_frame) accepts it
// too and gives the same frame, field for field. (Declining is always safe: the decoders then
// ask simdjson.) Each line sits in an allocation of exactly its size: ASan sees any over-read.
#include "../native/frame_describe.h"
#include "fuzz_util.h"
#include "grok/mgw_fast_frame.h"
#include "grok/padded_buffer.h"
#include "grok/rest_fast_frame.h"

#include <simdjson.h>

#include <memory>

using namespace g2a;
using namespace g2a::grok;

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  const simdjson::implementation *fallback = simdjson::get_available_implementations()["fallback"];
  if (!fallback) fuzz::fail("simdjson has no fallback kernel");
  simdjson::get_active_implementation() = fallback;
  return 0;
}

namespace {

// One REST line through the fast reader (with or without the stream's tail memo) and, when it
// takes the line, through simdjson: same verdict, same frame.
void check_rest(std::string_view line, UnescapeBuffer &unescaped, RestTailMemo *memo) {
  std::unique_ptr<char[]> exact(new char[line.size() ? line.size() : 1]);
  if (!line.empty()) std::memcpy(exact.get(), line.data(), line.size());
  RestFrame fast_rest, slow_rest;
  if (!read_rest_fast(exact.get(), line.size(), unescaped, fast_rest, memo)) return;
  std::string fast = test::describe(fast_rest);
  PaddedBuffer padded;
  padded.assign(line);
  simdjson::ondemand::parser parser;
  auto err =
      read_rest_frame(parser, padded.data(), padded.size(), padded.capacity(), true, slow_rest);
  FUZZ_CHECK(err == simdjson::SUCCESS, line);
  FUZZ_CHECK(test::describe(slow_rest) == fast, line);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view in(reinterpret_cast<const char *>(data), size);
  UnescapeBuffer unescaped;

  // The whole input as one line, without and with a (fresh) memo.
  check_rest(in, unescaped, nullptr);
  RestTailMemo fresh;
  check_rest(in, unescaped, &fresh);
  // Its lines in order through one memo, as a stream's token lines go.
  RestTailMemo memo;
  for (std::string_view rest = in; !rest.empty();) {
    size_t nl = rest.find('\n');
    check_rest(rest.substr(0, nl), unescaped, &memo);
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }

  std::unique_ptr<char[]> exact(new char[size ? size : 1]);
  if (size) std::memcpy(exact.get(), data, size);
  MgwFrame fast_mgw, slow_mgw;
  if (read_mgw_fast(exact.get(), size, unescaped, fast_mgw)) {
    std::string fast = test::describe(fast_mgw);
    PaddedBuffer padded;
    padded.assign(in);
    simdjson::ondemand::parser parser;
    auto err = read_mgw_frame(parser, padded.data(), padded.size(), padded.capacity(), slow_mgw);
    FUZZ_CHECK(err == simdjson::SUCCESS, in);
    FUZZ_CHECK(test::describe(slow_mgw) == fast, in);
  }
  return 0;
}
