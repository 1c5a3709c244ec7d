// Task<T>: the lazily started coroutine type every request flow is written in. A Task only
// runs when awaited (or resumed by the runtime); awaiting one chains it with symmetric
// transfer, so a flow can be split into small sub-flows. No exceptions: an escaped one aborts.
#pragma once

#include "core/coro.h"

#include <cstdlib>
#include <optional>
#include <utility>

namespace g2a {

namespace detail {
struct PromiseBase {
  co::coroutine_handle<> continuation;
  struct FinalAwaiter {
    bool await_ready() noexcept { return false; }
    template <class P> co::coroutine_handle<> await_suspend(co::coroutine_handle<P> h) noexcept {
      auto next = h.promise().continuation;
      if (next) return next;
      return co::noop_coroutine();
    }
    void await_resume() noexcept {}
  };
  co::suspend_always initial_suspend() noexcept { return {}; }
  FinalAwaiter final_suspend() noexcept { return {}; }
  void unhandled_exception() noexcept { std::abort(); }
};
} // namespace detail

template <class T = void> class [[nodiscard]] Task {
public:
  struct promise_type : detail::PromiseBase {
    std::optional<T> value;
    Task get_return_object() {
      return Task(co::coroutine_handle<promise_type>::from_promise(*this));
    }
    template <class U> void return_value(U &&v) { value.emplace(std::forward<U>(v)); }
  };

  Task() = default;
  explicit Task(co::coroutine_handle<promise_type> h) : h_(h) {}
  Task(Task &&o) noexcept : h_(std::exchange(o.h_, {})) {}
  Task &operator=(Task &&o) noexcept {
    if (this != &o) {
      reset();
      h_ = std::exchange(o.h_, {});
    }
    return *this;
  }
  Task(const Task &) = delete;
  Task &operator=(const Task &) = delete;
  ~Task() { reset(); }

  bool await_ready() const noexcept { return false; }
  co::coroutine_handle<> await_suspend(co::coroutine_handle<> cont) noexcept {
    h_.promise().continuation = cont;
    return h_;
  }
  T await_resume() { return std::move(*h_.promise().value); }

  bool done() const { return !h_ || h_.done(); }
  co::coroutine_handle<promise_type> handle() const { return h_; }

private:
  void reset() {
    if (h_) h_.destroy();
    h_ = {};
  }
  co::coroutine_handle<promise_type> h_;
};

template <> class [[nodiscard]] Task<void> {
public:
  struct promise_type : detail::PromiseBase {
    Task get_return_object() {
      return Task(co::coroutine_handle<promise_type>::from_promise(*this));
    }
    void return_void() noexcept {}
  };

  Task() = default;
  explicit Task(co::coroutine_handle<promise_type> h) : h_(h) {}
  Task(Task &&o) noexcept : h_(std::exchange(o.h_, {})) {}
  Task &operator=(Task &&o) noexcept {
    if (this != &o) {
      reset();
      h_ = std::exchange(o.h_, {});
    }
    return *this;
  }
  Task(const Task &) = delete;
  Task &operator=(const Task &) = delete;
  ~Task() { reset(); }

  bool await_ready() const noexcept { return false; }
  co::coroutine_handle<> await_suspend(co::coroutine_handle<> cont) noexcept {
    h_.promise().continuation = cont;
    return h_;
  }
  void await_resume() noexcept {}

  bool done() const { return !h_ || h_.done(); }
  co::coroutine_handle<promise_type> handle() const { return h_; }

private:
  void reset() {
    if (h_) h_.destroy();
    h_ = {};
  }
  co::coroutine_handle<promise_type> h_;
};

} // namespace g2a
