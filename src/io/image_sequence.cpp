/// Numbered file names: parsing a pattern, formatting a number, listing what exists.
#include "interp/io/image_sequence.h"

#include "interp/base/error.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <optional>

namespace interp::io {
namespace fs = std::filesystem;
namespace {

/// A file name split around its one conversion: prefix, width (0: unpadded), suffix,
/// with `%%` already turned into '%'.
struct Parsed {
  std::string prefix, suffix;
  int width = 0;
};

std::optional<Parsed> parse(const std::string& name) {
  Parsed p;
  bool found = false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] != '%') {
      (found ? p.suffix : p.prefix) += name[i];
      continue;
    }
    if (i + 1 < name.size() && name[i + 1] == '%') {
      (found ? p.suffix : p.prefix) += '%';
      ++i;
      continue;
    }
    if (found) return std::nullopt;  // a second conversion
    size_t j = i + 1;
    int width = 0;
    if (j < name.size() && name[j] == '0') {
      ++j;
      while (j < name.size() && std::isdigit(static_cast<unsigned char>(name[j]))) width = width * 10 + (name[j++] - '0');
      if (width == 0 || width > 18) return std::nullopt;
    }
    if (j >= name.size() || name[j] != 'd') return std::nullopt;
    p.width = width;
    found = true;
    i = j;
  }
  if (!found) return std::nullopt;
  return p;
}

std::string format_number(const Parsed& p, int64_t number) {
  std::string digits = std::to_string(number);
  if (static_cast<int>(digits.size()) < p.width) digits.insert(0, p.width - digits.size(), '0');
  return p.prefix + digits + p.suffix;
}

/// The number in `name` when the pattern writes exactly that name for it.
std::optional<int64_t> number_in(const Parsed& p, const std::string& name) {
  if (name.size() <= p.prefix.size() + p.suffix.size() || name.compare(0, p.prefix.size(), p.prefix) != 0 ||
      name.compare(name.size() - p.suffix.size(), p.suffix.size(), p.suffix) != 0)
    return std::nullopt;
  const std::string digits = name.substr(p.prefix.size(), name.size() - p.prefix.size() - p.suffix.size());
  if (digits.size() > 18 || !std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); }))
    return std::nullopt;
  const int64_t number = std::stoll(digits);
  if (format_number(p, number) != name) return std::nullopt;
  return number;
}

}  // namespace

bool matches_sequence(const std::string& pattern, const std::string& file_name) {
  const auto parsed = parse(fs::path(pattern).filename().string());
  return parsed && number_in(*parsed, file_name).has_value();
}

bool is_sequence_pattern(const std::string& path) {
  return parse(fs::path(path).filename().string()).has_value();
}

std::string sequence_name(const std::string& pattern, int64_t number) {
  const fs::path path(pattern);
  const auto parsed = parse(path.filename().string());
  if (!parsed) throw Error(pattern + ": not a numbered-file pattern (%d or %0Nd)");
  return (path.parent_path() / format_number(*parsed, number)).string();
}

std::vector<std::string> list_sequence(const std::string& pattern) {
  const fs::path path(pattern);
  const auto parsed = parse(path.filename().string());
  if (!parsed) throw Error(pattern + ": not a numbered-file pattern (%d or %0Nd)");
  const fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) throw Error(pattern + ": no folder " + folder.string());
  std::map<int64_t, std::string> found;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    const auto number = number_in(*parsed, name);
    if (!number || !entry.is_regular_file(ec)) continue;
    found.emplace(*number, (path.parent_path() / name).string());
  }
  if (ec) throw Error(pattern + ": cannot list " + folder.string() + " (" + ec.message() + ")");
  if (found.empty()) throw Error(pattern + ": no file matches");
  std::vector<std::string> paths;
  int64_t expected = found.begin()->first;
  for (const auto& [number, file] : found) {
    if (number != expected)
      throw Error(pattern + ": " + sequence_name(pattern, expected) + " is missing (the sequence runs " +
                  std::to_string(found.begin()->first) + " to " + std::to_string(found.rbegin()->first) + ")");
    paths.push_back(file);
    ++expected;
  }
  return paths;
}

}  // namespace interp::io
