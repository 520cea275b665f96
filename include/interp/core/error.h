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

}  // namespace interp
