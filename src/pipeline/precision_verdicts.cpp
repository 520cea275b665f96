/// The verdict cache file (precision_verdicts.h).
#include "interp/pipeline/precision_verdicts.h"

#include "interp/base/error.h"
#include "interp/io/output_file.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

namespace interp::pipeline {
namespace fs = std::filesystem;

namespace {

using Entry = std::tuple<std::string, SpeedVerdict, std::string>;

std::vector<Entry> read_entries(const std::string& path) {
  std::vector<Entry> entries;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return entries;  // a FIFO would block the reader: no verdicts
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string key, ratio, date;
    if (!std::getline(fields, key, '\t') || !std::getline(fields, ratio, '\t')) continue;
    std::getline(fields, date);
    char* end = nullptr;
    const double value = std::strtod(ratio.c_str(), &end);
    if (end == ratio.c_str() || !(value > 0) || value > 1e3) continue;  // a damaged line: measured again
    entries.emplace_back(key, SpeedVerdict{value}, date);
  }
  return entries;
}

std::string today() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[16];
  std::strftime(text, sizeof(text), "%Y-%m-%d", &utc);
  return text;
}

}  // namespace

VerdictFile::VerdictFile(std::string path, bool remeasure, std::function<void(const std::string&)> warn)
    : path_(std::move(path)), remeasure_(remeasure), warn_(std::move(warn)) {}

std::string VerdictFile::default_path() {
  const auto env = [](const char* name) -> std::string {
    const char* v = std::getenv(name);
    return v && *v ? v : "";
  };
  std::string dir = env("INTERP_CACHE_DIR");
  if (dir.empty() && !env("XDG_CACHE_HOME").empty()) dir = env("XDG_CACHE_HOME") + "/interp";
  if (dir.empty()) dir = (env("HOME").empty() ? std::string("/tmp") : env("HOME")) + "/.cache/interp";
  return dir + "/precision-verdicts.tsv";
}

std::optional<SpeedVerdict> VerdictFile::find(const std::string& key) {
  if (remeasure_) return std::nullopt;
  for (const auto& [k, verdict, date] : read_entries(path_))
    if (k == key) return verdict;
  return std::nullopt;
}

void VerdictFile::keep(const std::string& key, const SpeedVerdict& verdict) {
  try {
    std::error_code ec;
    fs::create_directories(fs::path(path_).parent_path(), ec);
    auto entries = read_entries(path_);
    entries.erase(std::remove_if(entries.begin(), entries.end(), [&](const Entry& e) { return std::get<0>(e) == key; }),
                  entries.end());
    entries.emplace_back(key, verdict, today());
    io::PendingOutput out(path_, io::PendingOutput::Kind::File, /*overwrite=*/true, {});
    {
      std::ofstream file(out.temp_path());
      for (const auto& [k, v, date] : entries) file << k << '\t' << v.bf16_speedup << '\t' << date << '\n';
      if (!file.flush()) throw Error(path_ + ": cannot write");
    }
    out.commit();
  } catch (const Error& e) {
    if (warn_ && !warned_) warn_(std::string("the measured precision is not kept: ") + e.what());
    warned_ = true;
  }
}

std::vector<std::tuple<std::string, SpeedVerdict, std::string>> VerdictFile::all() const { return read_entries(path_); }

}  // namespace interp::pipeline
