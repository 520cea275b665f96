#pragma once
/// The message of the interp::Error a callable throws, for tests that check refusals.
#include "interp/base/error.h"

#include <string>

namespace interp::test {

/// "" when `f` throws nothing; any exception other than interp::Error fails the test
/// by escaping it.
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace interp::test
