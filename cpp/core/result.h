// The core's one error convention: a Result<T, E> holds a value or an error, never both, in
// place of optional + out-parameter pairs and bare variants. E is the error of the layer that
// reports it — ApiError (http/api_error.h), which knows its HTTP status, type, code, param and
// message, pairs up as ApiResult<T>. A Result is a std::variant<T, E> underneath, so code that
// reads one with std::get_if / std::get keeps working. A step that has no value to give
// reports std::optional<E>: the error, or none. Errors are returned, never sent from inside a
// helper: the flow that called it decides what reaches the client. Pure, header-only.
#pragma once

#include <utility>
#include <variant>

namespace g2a {

template <class T, class E> class Result : public std::variant<T, E> {
public:
  using std::variant<T, E>::variant;

  bool ok() const { return this->index() == 0; }
  explicit operator bool() const { return ok(); }

  T &value() & { return std::get<0>(*this); }
  const T &value() const & { return std::get<0>(*this); }
  T &&value() && { return std::get<0>(std::move(*this)); }
  // As std::expected: the value's members, when ok().
  T *operator->() { return &value(); }
  const T *operator->() const { return &value(); }
  T &operator*() & { return value(); }
  const T &operator*() const & { return value(); }

  E &error() & { return std::get<1>(*this); }
  const E &error() const & { return std::get<1>(*this); }
  E &&error() && { return std::get<1>(std::move(*this)); }

  // The error, or nullptr when this holds a value.
  const E *error_if() const { return std::get_if<1>(this); }
};

} // namespace g2a
