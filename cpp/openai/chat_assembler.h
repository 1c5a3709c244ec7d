// The part of Chat Completions rendering that both output forms share: neutral Grok events
// become the pieces of one assistant message (content text, reasoning text, url_citation
// annotations), in order. The SSE renderer writes each piece as a delta; the JSON renderer
// keeps them for the final message. What becomes what:
//   Text       -> content
//   Reasoning  -> reasoning (ReasoningOutput::Content), or content wrapped in
//                 "<think>\n" ... "\n</think>\n\n" (ThinkTags; the first "\n" of the close is
//                 left out after a line end; closed before the next content
//                 or at the end), or nothing (Hidden; still counted as reasoning tokens)
//   Citation   -> its `text` as content + an annotation; start/end_index are Unicode code point
//                 offsets into the message content (the whole content, think tags included)
//   Source     -> collected (deduplicated by url); with sources_list, a closing
//                 "\n\nSources:\n1. [title](url)\n..." block of content
//   Image      -> final (url set, progress 100 or unknown) and not moderated: content
//                 "\n![image](url)\n", once per image id (or url); otherwise nothing
//   Video      -> progress: a reasoning line "Generating video: N%\n" each time N grows (on a
//                 line of its own);
//                 final (url set): content "\n[video](url)\n", or with video_html
//                 "\n<video src=\"url\" poster=\"thumb\" controls></video>\n", once per id
//   ToolCall   -> tool_calls[k] {id, type:"function", function:{name, arguments}} (counted as
//                 completion tokens)
//   Meta, Done, Error -> nothing (the flow owns ids, endings and failures)
#pragma once

#include "answer/conversation.h"
#include "answer/events.h"
#include "openai/usage.h"

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace g2a::openai {

enum class ReasoningOutput {
  Content,   // `reasoning_content` next to `content`
  ThinkTags, // <think>…</think> inside `content`, for clients that ignore reasoning fields
  Hidden,    // dropped
};

struct ChatRenderOptions {
  std::string id; // chatcmpl-…, the same in every chunk
  long long created = 0;
  std::string model; // the id the client asked for
  ReasoningOutput reasoning = ReasoningOutput::Content;
  bool include_usage = false; // stream: the usage-only chunk before [DONE]
  bool sources_list = false;  // append the collected sources at the end of the content
  bool video_html = false;    // <video> tag instead of a markdown link
  long long prompt_tokens = 0;
  // Set: filled when the answer finishes with the assistant turn the client received (its
  // message content and tool calls), for the Chat continuation fingerprint.
  std::shared_ptr<answer::Turn> delivered;
};

struct Annotation {
  std::string url, title;
  long long start = 0, end = 0; // code points into the content; end exclusive
};
// {"type":"url_citation","url_citation":{"url","title","start_index","end_index"}}
json annotation_json(const Annotation &a);

struct ChatToolCall {
  std::string id, name, arguments;
};

class ChatAssembler : public answer::EventSink {
public:
  explicit ChatAssembler(ChatRenderOptions opt);
  void on_event(answer::Event &&ev) override;

  bool has_output() const { return output_; } // any content or visible reasoning yet
  Usage usage() const;                        // estimated; includes the closing content
  const std::string &content_so_far() const { return content_; }
  const std::string &reasoning_so_far() const { return reasoning_; }
  const ChatRenderOptions &options() const { return opt_; }
  const std::vector<ChatToolCall> &tool_calls() const { return tool_calls_; }
  // The message content as the client receives it in the end (with closing_content()).
  std::string final_content() const { return content_ + closing_content(); }

protected:
  virtual void put_content(std::string_view text) = 0;
  virtual void put_reasoning(std::string_view text) = 0;
  virtual void put_annotation(const Annotation &a) = 0; // right after its text's put_content
  virtual void put_tool_call(size_t index, const ChatToolCall &call) {}

  // What close_message() would add to the content: a pending </think> and the sources list.
  std::string closing_content() const;
  // Emits closing_content() (once); later events still render.
  void close_message();

private:
  long long content(std::string_view s); // closes <think>; returns the start offset
  void raw_content(std::string_view s);
  void reasoning(std::string_view s);
  std::string_view think_close() const;    // "\n</think>\n\n", or without the first "\n"
  bool first_time(const std::string &key); // media dedup

  ChatRenderOptions opt_;
  std::string content_, reasoning_;
  TokenCounter content_tokens_, reasoning_tokens_; // usage, counted as the text arrives
  long long content_cp_ = 0;
  bool think_open_ = false;
  bool output_ = false;
  bool closed_ = false;
  std::vector<std::pair<std::string, std::string>> sources_; // url, title
  std::vector<std::string> media_seen_;
  std::vector<ChatToolCall> tool_calls_;
  std::vector<std::pair<std::string, int>> video_progress_; // id, last percent
};

} // namespace g2a::openai
