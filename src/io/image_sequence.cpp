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

namespace {

/// A file name around its last run of digits (in the stem): the pattern it fits.
struct Numbered {
  std::string prefix, digits, suffix;
};

std::optional<Numbered> split_number(const std::string& name) {
  const auto dot = name.rfind('.');
  const size_t stem_end = dot == std::string::npos || dot == 0 ? name.size() : dot;
  size_t end = stem_end;
  while (end > 0 && !std::isdigit(static_cast<unsigned char>(name[end - 1]))) --end;
  size_t begin = end;
  while (begin > 0 && std::isdigit(static_cast<unsigned char>(name[begin - 1]))) --begin;
  if (begin == end) return std::nullopt;
  return Numbered{name.substr(0, begin), name.substr(begin, end - begin), name.substr(end)};
}

std::string escaped(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '%' ? std::string("%%") : std::string(1, c);
  return out;
}

}  // namespace

std::string folder_pattern(const std::string& folder, const std::vector<std::string>& names) {
  // The frames are the largest group of names alike but for their number; every other
  // picture is named, since a thumbnail or a stray export must not become a frame.
  std::map<std::pair<std::string, std::string>, std::vector<Numbered>> groups;
  for (const auto& name : names)
    if (const auto n = split_number(name)) groups[{n->prefix, n->suffix}].push_back(*n);
  if (groups.empty()) throw Error(folder + ": no numbered pictures (frames are named like 0001.png or frame_0001.png)");
  const auto main = std::max_element(groups.begin(), groups.end(),
                                     [](const auto& a, const auto& b) { return a.second.size() < b.second.size(); });
  size_t width = SIZE_MAX;
  bool padded = false;
  for (const auto& n : main->second) {
    width = std::min(width, n.digits.size());
    padded = padded || (n.digits.size() > 1 && n.digits[0] == '0');
  }
  const std::string pattern = escaped(main->first.first) + (padded ? "%0" + std::to_string(width) + "d" : "%d") +
                              escaped(main->first.second);
  std::vector<std::string> others;
  for (const auto& name : names)
    if (!matches_sequence(pattern, name)) others.push_back(name);
  if (!others.empty()) {
    std::string listed;
    for (size_t i = 0; i < others.size() && i < 3; ++i) listed += (i ? ", " : "") + others[i];
    if (others.size() > 3) listed += " and " + std::to_string(others.size() - 3) + " more";
    throw Error(folder + ": " + listed + (others.size() == 1 ? " is not one" : " are not") + " of the numbered frames (" +
                pattern + "); move " + (others.size() == 1 ? "it" : "them") + " out, or name the frames by pattern (" +
                (fs::path(folder) / pattern).string() + ")");
  }
  return pattern;
}

}  // namespace interp::io
