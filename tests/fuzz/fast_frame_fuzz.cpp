// libFuzzer target: the strict one-pass readers (grok/rest_fast_frame.h, grok/mgw_fast_frame.h)
// against simdjson — forced to its scalar `fallback` kernel, the one the wasm build runs — on
// arbitrary bytes, read as a REST line and as an mgw frame. Invariant: whenever a fast reader
// accepts the input, simdjson's reader (read_rest_frame / read_mgw_frame) accepts it too and
// gives the same frame, field for field. (Declining is always safe: the decoders then ask
// simdjson.) The input sits in an allocation of exactly its size, so ASan sees any over-read.
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

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::unique_ptr<char[]> exact(new char[size ? size : 1]);
  if (size) std::memcpy(exact.get(), data, size);
  std::string_view in(exact.get(), size);
  PaddedBuffer padded;
  padded.assign(in);
  UnescapeBuffer unescaped;

  RestFrame fast_rest, slow_rest;
  if (read_rest_fast(exact.get(), size, unescaped, fast_rest)) {
    std::string fast = test::describe(fast_rest);
    simdjson::ondemand::parser parser;
    auto err =
        read_rest_frame(parser, padded.data(), padded.size(), padded.capacity(), true, slow_rest);
    FUZZ_CHECK(err == simdjson::SUCCESS, in);
    FUZZ_CHECK(test::describe(slow_rest) == fast, in);
  }

  MgwFrame fast_mgw, slow_mgw;
  if (read_mgw_fast(exact.get(), size, unescaped, fast_mgw)) {
    std::string fast = test::describe(fast_mgw);
    simdjson::ondemand::parser parser;
    auto err = read_mgw_frame(parser, padded.data(), padded.size(), padded.capacity(), slow_mgw);
    FUZZ_CHECK(err == simdjson::SUCCESS, in);
    FUZZ_CHECK(test::describe(slow_mgw) == fast, in);
  }
  return 0;
}
