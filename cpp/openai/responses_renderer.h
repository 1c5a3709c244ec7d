// OpenAI Responses as an answer::Renderer: the `response.*` SSE events (stream) or one
// `response` object (not streamed), chosen at construction. Both forms build the same output
// items, in the order the answer produces them:
//   Reasoning -> a `reasoning` item (rs_…) whose summary_text is Grok's thinking text, when the
//                client asked for a summary (reasoning.summary); otherwise hidden, still counted
//                in usage.output_tokens_details.reasoning_tokens
//   Source    -> collected (deduplicated by url) and reported as a `web_search_call` item
//                (ws_…, action.sources) before the message opens, or at the end
//   Text      -> a `message` item (msg_…) with one `output_text` part
//   Citation  -> its text into the output_text + a `url_citation` annotation whose start/end
//                indices are code points of that text
//   ToolCall  -> a `function_call` item (fc_…, call_id, name, arguments), or a `custom_tool_call`
//                item (ctc_…, call_id, name, input) for a freeform tool, added and done at once:
//                output_item.added → function_call_arguments.delta → .done → output_item.done
//                (custom_tool_call_input.delta/.done for custom tools)
//   Image / Video (final, linked) -> "\n![image](url)\n" / "\n[video](url)\n" text, once per id
//   Meta, Done, Error -> nothing (the flow owns endings and failures)
// A change of item kind closes the open item (its .done events) before the next is added.
//
// Stream contract (what openai 7.x `responses.stream()` checks): every event is
// "event: <type>\ndata: <one-line JSON>\n\n" whose JSON repeats `type` and carries
// `sequence_number` (0, 1, 2, …); response.created and response.in_progress first; item events
// carry the item's id and output index (append-only), content/summary/annotation indices grow by
// one; every item added is done before the end; exactly one of response.completed,
// response.incomplete (max_output_tokens reached) or response.failed (fail(), after the first
// byte) is last, carrying the whole response. No [DONE] line. Text deltas are coalesced until
// flush() (once per upstream chunk).
//
// Cost: an item's text is escaped once, as its deltas are written; the closing events, which
// repeat it four times (…text.done, …part.done, output_item.done, the final response), copy
// that escaped text instead of building and dumping a DOM (bench/native/render_bench.cpp).
#pragma once

#include "answer/renderer.h"
#include "core/json.h"
#include "openai/responses_request.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace g2a::openai {

// The response object an answer ended with, serialized exactly as the client received it.
struct FinalResponse {
  std::string status; // completed, incomplete or failed
  std::string json;
};

struct ResponsesRenderOptions {
  std::string id;           // resp_…
  std::string item_seed;    // hex; item ids are <prefix><seed><index>
  long long created_at = 0; // unix seconds
  std::string model;        // the id the client asked for
  bool show_reasoning = false;
  long long prompt_tokens = 0;
  // -1: no limit. Once reached, later output is dropped (the piece that crossed it is kept
  // whole) and the response ends `incomplete`.
  long long max_output_tokens = -1;
  json echo = json::object(); // request fields every response object repeats
  // Receives the final response object (completed, incomplete or failed) when the answer ends.
  std::shared_ptr<FinalResponse> final_response;
};

// The request fields a response object repeats (instructions, metadata, reasoning, store, …).
json response_echo(const ResponsesRequest &req);

class ResponsesRenderer : public answer::Renderer {
public:
  ResponsesRenderer(ResponsesRenderOptions opt, bool stream);

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
  std::string body() const override { return body_; }
  // ": keep-alive" (an SSE comment: no event, so no sequence number is spent).
  void keepalive() override;

private:
  enum class ItemType { Reasoning, Message, WebSearch, FunctionCall, CustomCall };
  struct Item {
    ItemType type = ItemType::Message;
    std::string id;
    std::string text;
    std::string esc;     // `text` escaped for a JSON string (as far as esc_upto)
    size_t esc_upto = 0; // bytes of `text` escaped into `esc`
    long long cp = 0;    // code points of `text`
    json annotations = json::array();
    std::vector<std::pair<std::string, std::string>> sources; // url, title
    std::string call_id, name; // calls (`text` holds the arguments / input)
    bool done = false;
    bool incomplete = false;
  };

  void text(std::string_view s);
  void reasoning(std::string_view s);
  void tool_call(const answer::Event &ev);
  bool over_limit(); // true once max_output_tokens is reached (later output is dropped)
  Item new_item(ItemType type) const; // the next output index's item
  Item &open(ItemType type);
  void close_open(bool incomplete);
  void report_sources();
  void write_pending();
  static void sync(Item &it); // escapes what `esc` lacks of `text`
  // The response object as it stands (`status` as given), items synced first.
  std::string response_text(std::string_view status);
  void write_item(std::string &o, const Item &it) const;
  static void write_part(std::string &o, const Item &it);
  json small_item_json(const Item &it) const; // web search and call items
  void open_event(const char *type);          // "event: T\ndata: {"type":"T","sequence_number":N
  void close_event();                         // "}\n\n"
  void emit(const char *type, json fields);
  void emit_item(const char *type, int index, Item &it);
  void item_fields(const Item &it, int index);
  void end(std::string_view status, const char *event);

  ResponsesRenderOptions opt_;
  bool stream_;
  std::string out_, body_, content_, pending_;
  std::string echo_text_; // `,"key":value` for each echo field, dumped once
  std::vector<Item> items_;
  int open_ = -1;
  long long seq_ = 0;
  answer::TokenCounter content_tokens_, reasoning_tokens_;
  std::vector<std::pair<std::string, std::string>> sources_;
  size_t sources_reported_ = 0;
  std::vector<std::string> media_seen_;
  bool begun_ = false, ended_ = false, output_ = false, truncated_ = false;
  json error_ = nullptr;
};

// {"input_tokens","input_tokens_details":{"cached_tokens":0},"output_tokens",
//  "output_tokens_details":{"reasoning_tokens"},"total_tokens"}
json responses_usage_json(const answer::Usage &u);

} // namespace g2a::openai
