#pragma once
/// interp's commands, one file each, micromamba-style: each registers its own options
/// on its (sub)command and leaves the function that runs it in `run`. Settings shared
/// by several commands live in one SharedSettings, so an option given before the
/// subcommand's name (`interp --model M pair ...`) reaches it too.
#include "options.h"

#include <atomic>
#include <functional>

namespace interp::cli {

struct SharedSettings {
  ModelSettings model;
  RateSettings rate;
  bool overwrite = false;
  bool quiet = false;
  io::DecodeOptions decode;  ///< --strict, --max-pixels
  const std::atomic<bool>* cancel = nullptr;
};
using Run = std::function<int()>;

/// The job options every command's flags give: timing, batch, the pairs skipped,
/// decoding limits and Ctrl-C.
inline pipeline::JobOptions job_options(const SharedSettings& shared, const pipeline::SkipThresholds& skip) {
  pipeline::JobOptions options;
  options.recursive = shared.rate.recursive();
  options.pairs.batch = shared.model.batch;
  options.pairs.skip = skip;
  options.pairs.cancel = shared.cancel;
  options.decode = shared.decode;
  return options;
}

/// The root command: INPUT OUTPUT (video -> video or frames, image folder -> frames).
void add_video_command(CLI::App& root, SharedSettings& shared, Run& run);
/// `interp pair A B OUT`: in-betweens of two pictures.
void add_pair_command(CLI::App& root, SharedSettings& shared, Run& run);
/// `interp convert IN OUT.safetensors`: official weights -> interp's model file.
void add_convert_command(CLI::App& root, SharedSettings& shared, Run& run);
/// `interp split-plan VIDEO --segments N`: frame ranges for --range on N machines.
void add_split_plan_command(CLI::App& root, SharedSettings& shared, Run& run);
/// `interp join OUTPUT PIECE...`: --range pieces joined, audio/subtitles back in.
void add_join_command(CLI::App& root, SharedSettings& shared, Run& run);
/// `interp train --data CLIPS --out MODEL`: fine-tunes a model on the user's footage.
void add_train_command(CLI::App& root, SharedSettings& shared, Run& run);
/// `interp bench`: model-only and end-to-end throughput.
void add_bench_command(CLI::App& root, SharedSettings& shared, Run& run);

}  // namespace interp::cli
