// Anthropic Messages as an answer::Renderer: named SSE events (stream) or one `message`
// object, chosen at construction. What each neutral event becomes:
//   Reasoning -> a `thinking` block (options.thinking), its text in thinking_delta events and a
//                signature (thinking_signature.h) in one signature_delta before the block stops;
//                without options.thinking: nothing (still counted in output_tokens)
//   Text      -> a `text` block, text_delta events
//   Citation  -> its marker text (e.g. " [[1]](url)") in the text block, then a citation
//                {type:"web_search_result_location", url, title, cited_text, encrypted_index:""}
//                on that block (citations_delta); cited_text is the block's text since the
//                previous citation, its last 150 bytes at most
//   Source    -> remembered: the title of a later citation of the same URL that has none
//   ToolCall  -> a `tool_use` block {id, name, input}: content_block_start with input {}, one
//                input_json_delta with the arguments, content_block_stop; the message ends with
//                stop_reason "tool_use" (finish(ToolCalls))
//   Image / Video (final, with a gateway link) -> "\n![image](url)\n" / "\n[video](url)\n" text
//   Meta, Done, Error -> nothing (the flow owns ids, endings and failures)
// A change of kind closes the open block and starts the next one; block indexes are 0, 1, 2…
// in start order. Deltas of one kind are coalesced until flush() (one per upstream chunk).
//
// Stream: event: message_start (usage.input_tokens, output_tokens 0), event: ping, the blocks
// (content_block_start / content_block_delta* / content_block_stop), message_delta
// {stop_reason, stop_sequence, usage: cumulative} and message_stop. fail() writes one
// `event: error` in Anthropic's shape and nothing after it.
// stop_sequences: the answer text is cut before the first match (text that may begin a match
// is held back until it cannot), nothing after it is shown, and the message ends with
// stop_reason "stop_sequence" and the sequence.
#pragma once

#include "answer/renderer.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace g2a::anthropic {

struct MessagesRenderOptions {
  std::string id;    // msg_…
  std::string model; // the id the client asked for
  bool thinking = false;
  std::vector<std::string> stop_sequences;
  long long input_tokens = 0;
  std::string signing_key; // signs thinking blocks
  std::string request_id;  // named in error events
};

class MessagesRenderer : public answer::Renderer {
public:
  MessagesRenderer(MessagesRenderOptions opt, bool stream);

  void on_event(answer::Event &&ev) override;
  bool streaming() const override { return stream_; }
  std::string_view content_type() const override;
  void begin() override;
  void flush() override;
  void finish(answer::StopReason reason) override;
  void fail(const ApiError &e) override;
  bool ended() const override { return ended_; }
  bool has_output() const override { return output_; }
  answer::Usage usage() const override;
  const std::string &content() const override { return content_; }
  std::string_view pending() const override { return out_; }
  void clear_pending() override { out_.clear(); }
  std::string body() const override;
  // A `ping` event, as Anthropic's API sends while a stream is quiet (the SDK drops it).
  void keepalive() override;

private:
  struct Citation {
    std::string url, title, cited_text;
  };
  enum class Kind { Thinking, Text, ToolUse };
  struct Block {
    Kind kind;
    std::string text;
    std::vector<Citation> citations;
    std::string signature;
    size_t cited_upto = 0; // text offset after the last citation
    std::string id, name;  // ToolUse (`text` holds the input JSON)
  };

  void event(std::string_view name, std::string_view data);
  void open(Kind kind);
  void close();
  void flush_delta();
  void text(std::string_view s);      // through the stop-sequence filter
  void emit_text(std::string_view s); // into the open text block
  void thinking(std::string_view s);
  void tool_use(const answer::Event &ev);
  void citation(std::string_view marker, std::string url, std::string title);
  bool first_time(const std::string &key);

  MessagesRenderOptions opt_;
  bool stream_;
  std::string out_;
  std::vector<Block> blocks_;
  bool block_open_ = false;
  std::string delta_; // unescaped text of the coalesced delta for the open block
  std::string held_;  // text that may begin a stop sequence
  std::string stop_sequence_;
  bool stopped_ = false;
  std::string stop_reason_ = "end_turn";
  std::string content_; // the answer text shown
  answer::TokenCounter text_tokens_, reasoning_tokens_;
  std::vector<std::pair<std::string, std::string>> sources_; // url, title
  std::vector<std::string> media_seen_;
  bool begun_ = false, ended_ = false, output_ = false;
};

// end_turn | max_tokens | tool_use | refusal
const char *stop_reason_name(answer::StopReason r);

} // namespace g2a::anthropic
