// Chat Completions renderers: neutral Grok events in, OpenAI bytes out. ChatStreamRenderer
// writes `chat.completion.chunk` SSE frames, ChatJsonRenderer one `chat.completion` object.
// What each event becomes, and the options, are in chat_assembler.h.
//
// Stream contract: every frame is "data: <one-line JSON>\n\n" (no id:/retry:/event: fields,
// never an empty data line); every chunk carries the same id, created and model; the first
// delta is {"role":"assistant","content":""}; deltas of one kind (content / reasoning_content)
// are coalesced into one frame until flush() or a change of kind, so one upstream chunk yields
// few frames; finish() ends with {"delta":{},"finish_reason":…}, an optional usage chunk
// (choices: []) and "data: [DONE]"; fail() ends with one `data: {"error":{…}}` event instead.
#pragma once

#include "http/api_error.h"
#include "openai/chat_assembler.h"

#include <string>
#include <string_view>

namespace g2a::openai {

class ChatStreamRenderer : public ChatAssembler {
public:
  ChatStreamRenderer(ChatRenderOptions opt, std::string &out); // appends to `out`

  void begin(); // the role chunk; implied by the first output if not called
  void on_event(answer::Event &&ev) override; // ignored once finished or failed
  void flush(); // closes the open frame (call once per upstream chunk)
  // flush, closing content (</think>, sources), the finish chunk, usage chunk if asked, [DONE].
  void finish(std::string_view finish_reason);
  // flush, then one error event; nothing is written after it.
  void fail(const ApiError &e);
  bool ended() const { return ended_; }

protected:
  void put_content(std::string_view text) override;
  void put_reasoning(std::string_view text) override;
  void put_annotation(const Annotation &a) override;
  // Two frames: {index, id, type, function:{name, arguments:""}}, then {index,
  // function:{arguments}}.
  void put_tool_call(size_t index, const ChatToolCall &call) override;

private:
  enum class Open { None, Content, Reasoning };
  void open(Open kind);

  std::string &out_;
  std::string base_;        // {"id":…,"object":"chat.completion.chunk","created":…,"model":…,
  std::string head_;        // data: <base_>"choices":[{"index":0,"delta":{
  std::string annotations_; // of the open frame, comma-joined
  Open open_ = Open::None;
  bool begun_ = false;
  bool ended_ = false;
};

class ChatJsonRenderer : public ChatAssembler {
public:
  explicit ChatJsonRenderer(ChatRenderOptions opt);
  // The whole chat.completion object (usage always present, estimated).
  std::string render(std::string_view finish_reason) const;

protected:
  void put_content(std::string_view) override {}
  void put_reasoning(std::string_view) override {}
  void put_annotation(const Annotation &a) override { annotations_.push_back(a); }

private:
  std::vector<Annotation> annotations_;
};

} // namespace g2a::openai
