#pragma once
/// `interp bench`: model-only throughput (median of timed runs after warm-up),
/// end-to-end throughput on a real clip, peak memory. It reports; it never asserts.
#include "commands.h"

#include <string>

namespace interp::cli {

struct BenchSettings {
  std::string size = "640x480";  ///< WxH of the model-only runs
  int runs = 5;
  int warmup = 1;
  std::string clip;              ///< end-to-end run on this clip (skipped when empty)
  int clip_frames = 60;
  std::string json;              ///< also write the figures here
};

int run_bench(CommonSettings& settings, const BenchSettings& bench);

}  // namespace interp::cli
