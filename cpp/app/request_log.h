// The request log row: built from a finished V1Call (pure), written by the /v1 pipeline. Every
// stored text is bounded — a client chooses the model name, path, method and (through the
// error message that quotes them) much of the rest — so a row stays small however large the
// request: a text over its bound is cut at a UTF-8 boundary and ends with "…".
#pragma once

#include "app/v1_call.h"
#include "core/context.h"

namespace g2a::app {

inline constexpr size_t kLogMethodMax = 16;
inline constexpr size_t kLogPathMax = 200;
inline constexpr size_t kLogModelMargin = 32; // beyond the longest model id in the catalogue
inline constexpr size_t kLogIdMax = 64;       // key and token ids, error codes
inline constexpr size_t kLogNameMax = 100;    // the key's name
inline constexpr size_t kLogMessageMax = 500;
inline constexpr size_t kLogIpMax = 64;

// The longest model id of the catalogue plus the margin.
size_t log_model_max();
// `s` itself when it has at most `n` bytes; else its first bytes (never a split UTF-8
// sequence) followed by "…", n bytes or fewer in all.
std::string bounded(std::string s, size_t n);

// The status a log row records: 499 when the client left, else what was sent.
int logged_status(const Ctx &cx, const V1Call &call);
fx::Stmt request_log_insert(const Ctx &cx, const V1Call &call);

} // namespace g2a::app
