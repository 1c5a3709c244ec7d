// Byte encodings the core needs everywhere: hex and base64 (standard and URL alphabets).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace g2a {

std::string hex_encode(std::string_view bytes);
std::string base64_encode(std::string_view bytes, bool url = false, bool pad = true);
// Accepts both alphabets, optional padding and ASCII whitespace; nullopt on bad input.
std::optional<std::string> base64_decode(std::string_view text);
// The value of one base64 digit of either alphabet (0..63), -1 for anything else.
int base64_digit(char c);

} // namespace g2a
