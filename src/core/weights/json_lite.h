#pragma once
/// A minimal JSON reader/writer for safetensors headers: objects, arrays, strings,
/// integers. Kept inside interp_core so the core depends on LibTorch alone.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace interp::weights::json {

struct Value {
  enum class Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  double number = 0;
  std::string text;
  std::vector<Value> array;
  std::vector<std::pair<std::string, Value>> object;  // insertion order kept

  const Value* find(const std::string& key) const;
};

/// Throws std::runtime_error with a short reason on malformed input.
Value parse(const std::string& text);

/// JSON string literal with escapes.
std::string quote(const std::string& s);

}  // namespace interp::weights::json
