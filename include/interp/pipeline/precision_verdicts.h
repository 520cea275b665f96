#pragma once
/// The speeds --precision auto measured (core/auto_precision.h), kept between runs in a
/// small text file under the user's cache folder: one line per key, "key<TAB>bf16 speed
/// ratio<TAB>date". The file is an output like any other: rewritten aside and moved into
/// place, never through a link's target's bytes, never over a device or FIFO. A cache
/// that cannot be read or written costs only a measurement: it is said once, never fatal.
#include "interp/core/auto_precision.h"

#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace interp::pipeline {

class VerdictFile final : public VerdictStore {
 public:
  /// `remeasure`: every find() misses, so that each model is timed again and kept.
  /// `warn` hears, once, why the file could not be kept.
  VerdictFile(std::string path, bool remeasure, std::function<void(const std::string&)> warn = {});

  /// $INTERP_CACHE_DIR, else $XDG_CACHE_HOME/interp, else ~/.cache/interp; then
  /// precision-verdicts.tsv.
  static std::string default_path();

  std::optional<SpeedVerdict> find(const std::string& key) override;
  void keep(const std::string& key, const SpeedVerdict& verdict) override;

  /// Every verdict kept (key, verdict, date), for --runtime.
  std::vector<std::tuple<std::string, SpeedVerdict, std::string>> all() const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  bool remeasure_;
  std::function<void(const std::string&)> warn_;
  bool warned_ = false;
};

}  // namespace interp::pipeline
