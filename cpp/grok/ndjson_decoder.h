// Decoder for Grok's REST conversation stream (`conversations/new`, `…/responses`): NDJSON,
// optionally `data:`-prefixed, turned into neutral Events. Incremental: each feed() scans only
// the new bytes; a partial line is kept (up to max_line_bytes) and completed by later chunks.
#pragma once

#include "answer/decoder.h"
#include "grok/neutral.h"

#include <string>
#include <string_view>
#include <vector>

namespace g2a::grok {

struct DecodeOptions {
  // Tokens containing any of these (ASCII case-insensitive) are tool plumbing or artifacts
  // and are dropped.
  std::vector<std::string> filtered_tags{"xaiartifact", "xai:tool_usage_card"};
  size_t max_line_bytes = 16u * 1024u * 1024u; // a longer line is an Error{BadResponse}
};

class NdjsonDecoder : public answer::Decoder {
public:
  NdjsonDecoder(EventSink &out, DecodeOptions opt = {});
  ~NdjsonDecoder();
  NdjsonDecoder(const NdjsonDecoder &) = delete;
  NdjsonDecoder &operator=(const NdjsonDecoder &) = delete;

  void feed(std::string_view bytes);
  // The same, when the caller guarantees `readable_padding` readable bytes after `bytes`
  // (any content): with readable_padding >= simdjson::SIMDJSON_PADDING (64) every complete
  // line is parsed in place, without a copy. Bytes after `bytes` are never interpreted.
  // (Either way, a line followed by at least 64 bytes of the same chunk is parsed in place;
  // other lines are copied into a reusable padded buffer.)
  void feed(std::string_view bytes, size_t readable_padding);
  // The body ended: decodes an unterminated last line, then emits Done when the answer
  // completed, or Error{Network} ("stream ended before the answer completed") when it did not.
  // Done is normally emitted earlier, as soon as a completion marker (isSoftStop,
  // finalMetadata, modelResponse) arrives; everything after Done or Error is ignored.
  void finish();

  // answer::Decoder
  void on_data(std::string_view bytes, size_t readable_padding, long long) override {
    feed(bytes, readable_padding);
  }
  void on_end() override { finish(); }

  bool done() const override;             // Done or Error already emitted
  size_t ignored_frames() const override; // JSON lines with no field the decoder knows
  size_t lines() const;                   // JSON lines decoded
  size_t bad_lines() const;               // lines skipped as unparseable (not JSON, invalid UTF-8)
  size_t bytes_scanned() const; // bytes searched for line ends (debug: must stay ≈ input size)

private:
  struct Impl;
  Impl *impl_;
};

} // namespace g2a::grok
