#pragma once
/// One table of (value, name) pairs per enum that flags and reports spell out: the
/// lookups both ways and the list --help shows, written once.
#include <optional>
#include <string>
#include <vector>

namespace interp {

template <class Enum>
struct NamedValue {
  Enum value;
  const char* name;
};

template <class Enum, size_t N>
const char* name_in(const NamedValue<Enum> (&table)[N], Enum value) {
  for (const auto& entry : table)
    if (entry.value == value) return entry.name;
  return "?";
}

template <class Enum, size_t N>
std::optional<Enum> value_named(const NamedValue<Enum> (&table)[N], const std::string& name) {
  for (const auto& entry : table)
    if (name == entry.name) return entry.value;
  return std::nullopt;
}

template <class Enum, size_t N>
std::vector<std::string> names_in(const NamedValue<Enum> (&table)[N]) {
  std::vector<std::string> names;
  for (const auto& entry : table) names.emplace_back(entry.name);
  return names;
}

}  // namespace interp
