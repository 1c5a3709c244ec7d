// Coroutine header compatibility: native toolchains ship <coroutine>, Emscripten 3.1.6's
// libc++ 13 only <experimental/coroutine>. Everything else uses the alias `g2a::co`.
#pragma once

#if __has_include(<coroutine>)
#include <coroutine>
namespace g2a::co {
using std::coroutine_handle;
using std::noop_coroutine;
using std::suspend_always;
using std::suspend_never;
} // namespace g2a::co
#else
#include <experimental/coroutine>
namespace g2a::co {
using std::experimental::coroutine_handle;
using std::experimental::noop_coroutine;
using std::experimental::suspend_always;
using std::experimental::suspend_never;
} // namespace g2a::co
#endif
