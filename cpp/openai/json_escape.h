// The hot-path JSON string writer: escapes text for a JSON string literal without a DOM.
// Output is always valid JSON and valid UTF-8: `"` `\` and control characters are escaped
// (\n \r \t \b \f, others as \u00XX), U+2028/U+2029 become \u2028/\u2029 (safe inside
// JavaScript too), valid UTF-8 passes through, and every maximal ill-formed subsequence
// (overlong forms, surrogates, code points above U+10FFFF, truncated sequences, stray
// continuation bytes) becomes one U+FFFD, as the WHATWG/Unicode decoders do.
#pragma once

#include <string>
#include <string_view>

namespace g2a::openai {

// Appends `"` + escaped(s) + `"`.
void append_json_string(std::string &out, std::string_view s);

// Appends escaped(s) without the quotes (to grow an already-open string literal).
void append_json_escaped(std::string &out, std::string_view s);

} // namespace g2a::openai
