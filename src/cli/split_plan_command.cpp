/// `interp split-plan VIDEO --segments N [--index I]`: the frame ranges that cut a video
/// into N pieces of (nearly) equal frame counts, one `A:B` per line, for `interp
/// --range` on as many machines (scripts/slurm/interp_segments.sbatch). Frames are
/// counted from the packets, so planning a film takes seconds, not a decode.
#include "commands.h"

#include "interp/base/error.h"
#include "interp/io/output_file.h"
#include "interp/io/video_reader.h"
#include "log.h"

#include <iostream>
#include <memory>

namespace interp::cli {
namespace {

struct SplitPlanSettings {
  std::string input;
  int64_t segments = 0;
  int64_t index = -1;  ///< -1: all
};

int run_split_plan(const SplitPlanSettings& p) {
  io::check_standard_output({p.input});  // the plan goes there
  const int64_t frames = io::count_video_frames(p.input);
  if (frames < 2) throw Error(p.input + ": has " + std::to_string(frames) + " frame(s); at least 2 are needed");
  if (p.segments > frames)
    throw Error(p.input + ": has " + std::to_string(frames) + " frames, fewer than " + std::to_string(p.segments) +
                " segments");
  if (p.index >= p.segments)
    throw Error("--index " + std::to_string(p.index) + ": the segments are numbered 0 to " +
                std::to_string(p.segments - 1));
  log::debug(p.input + ": " + std::to_string(frames) + " frames in " + std::to_string(p.segments) + " segments");
  for (int64_t k = 0; k < p.segments; ++k) {
    if (p.index >= 0 && k != p.index) continue;
    std::cout << k * frames / p.segments << ":" << (k + 1) * frames / p.segments << "\n";
  }
  return 0;
}

}  // namespace

void add_split_plan_command(CLI::App& root, SharedSettings&, Run& run) {
  const auto settings = std::make_shared<SplitPlanSettings>();  // lives as long as `run`
  SplitPlanSettings& p = *settings;
  auto* plan = root.add_subcommand("split-plan", "print the frame ranges (A:B) that cut a video into N equal pieces");
  plan->add_option("VIDEO", p.input, "the video to cut")->required();
  plan->add_option("-s,--segments", p.segments, "how many pieces")->required()->check(within(int64_t{1}, int64_t{1} << 40));
  plan->add_option("-i,--index", p.index, "print only piece I (0-based), e.g. $SLURM_ARRAY_TASK_ID")
      ->check(within(int64_t{0}, int64_t{1} << 40));
  plan->callback([&run, settings] { run = [settings] { return run_split_plan(*settings); }; });
}

}  // namespace interp::cli
