// The streaming tool-call sieve: answer text in (chunk by chunk, split anywhere), pieces out —
// text to show, and tool calls in the convention of tools/prompt.h — decided as early as
// possible. An explicit state machine:
//   Scan   text streams out at once, up to the first byte that could start a call: '<' (for
//          <tool_call / <tool_calls, and <tool_result after a call) or a code fence at the start
//          of a line (```lang\n<tool_call…). Only a possible prefix of such a marker is held,
//          and only until the next bytes decide it.
//   Block  a marker was seen: bytes are held until the block ends (</tool_call>, </tool_calls>,
//          the closing fence of a fenced block, the next <tool_call when a call was left open,
//          or the end of the answer), then the block is parsed. Each call that names an offered
//          tool and whose arguments parse (tools/arguments.h repairs and checks them against
//          the schema) becomes a Call piece; anything else in the block comes out as text.
//   Tail   after a call, the model began writing a <tool_result> itself: the rest is an
//          imagined result, swallowed (a Dropped piece).
// Accepted call shapes: <tool_call name="x">{json}</tool_call> (name quoted with " or ' or not
// at all), the same inside <tool_calls>…</tool_calls> and/or a code fence, and a body of
// <tool_name>x</tool_name><parameters>{json}</parameters> (also <name>/<arguments>) or of
// {"name": "x", "arguments"|"parameters"|"input": {…}} when the tag has no name.
// parallel_tool_calls false: calls after the first are Dropped.
// Invariant (the fuzz target checks it): the concatenation of every piece's `raw` equals the
// input, byte for byte; a Text piece's `raw` is its text.
#pragma once

#include "answer/conversation.h"

#include <string>
#include <string_view>
#include <vector>

namespace g2a::tools {

struct Piece {
  enum class Kind { Text, Call, Dropped };
  Kind kind = Kind::Text;
  std::string raw;             // the input bytes this piece stands for (Text: the text)
  std::string name, arguments; // Call: the tool and its compact JSON arguments (a freeform
                               // tool's raw input)
  bool freeform = false;       // Call: a custom tool
};

class Sieve {
public:
  // `tools`: the offered tools (they must outlive the sieve).
  Sieve(std::vector<const answer::ToolSpec *> tools, bool parallel);

  // Appends the pieces decided by this chunk.
  void feed(std::string_view chunk, std::vector<Piece> &out);
  // The answer ended: everything held is decided.
  void finish(std::vector<Piece> &out);

  size_t calls() const { return calls_; }
  // Bytes held back, undecided.
  size_t held() const { return buf_.size(); }

private:
  enum class State { Scan, Block, Tail };
  enum class Verdict { Need, Yes, No };
  struct Start {
    Verdict verdict = Verdict::No;
    bool fenced = false;
    bool result = false; // <tool_result (after a call)
  };

  Start classify(size_t p, bool line_start) const;
  bool at_line_start(size_t p) const;
  void scan(std::vector<Piece> &out);
  // The block's end in buf_ (npos: not yet known). At the end of the answer, everything.
  size_t block_end(bool final) const;
  void emit_block(size_t end, std::vector<Piece> &out);
  void text(std::string_view s, std::vector<Piece> &out);
  // Parses one call's bytes; false when it is not a valid call.
  bool parse_call(std::string_view call, Piece &p) const;
  const answer::ToolSpec *find(std::string_view name) const;

  std::vector<const answer::ToolSpec *> tools_;
  bool parallel_;
  State state_ = State::Scan;
  bool fenced_ = false; // the block opened with a fence
  std::string buf_;     // undecided bytes (in Block: the block so far, from its start)
  size_t scanned_ = 0;  // Scan: bytes of buf_ already known not to start a marker
  char last_ = '\n';    // the last byte emitted (line starts)
  size_t calls_ = 0;
};

} // namespace g2a::tools
