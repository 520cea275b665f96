#pragma once
/// A number with a fixed count of decimals, as log lines and model cards print scores
/// and times ("38.13", "4.0"): one spelling wherever the same figure is shown twice.
#include <sstream>
#include <string>

namespace interp {

inline std::string decimal(double value, int digits) {
  std::ostringstream text;
  text.precision(digits);
  text << std::fixed << value;
  return text.str();
}

}  // namespace interp
