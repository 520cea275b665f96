#pragma once
/// The one exception type interp throws for user-facing problems: its message is a
/// single line that names the problem, printed as-is by the CLI.
#include <stdexcept>
#include <string>

namespace interp {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

/// A size or resource limit was hit; the CLI adds how to raise the limit.
class OverLimit : public Error {
 public:
  using Error::Error;
};

/// The work would not fit in memory; the CLI adds what to change.
class OutOfMemory : public Error {
 public:
  using Error::Error;
};

/// The first line of an exception's text (LibTorch's messages carry more lines).
inline std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

}  // namespace interp
