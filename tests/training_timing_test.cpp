// Training data in time: its frames are placed on the grid a job would place them on
// (FrameSource::grid), so that a window's in-between lies at the time the model learns.
#include "cli_support.h"
#include "interp/pipeline/training_data.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdlib>
#include <thread>

namespace interp::test {
namespace {
using namespace interp::pipeline;

TEST(TrainingData, WindowsAcrossGapsInTheTimestampsAreLeftOut) {
  // 20 frames at 25 fps: a slot skipped before frame 8, a pause of 4 before frame 14
  // (slots 0-7, 9-14, 19-24). An in-between there is not at the middle of its pair's time.
  TempDir dir;
  make_clip(dir / "vfr.mkv", 64, 48, "25", 20,
            "-vf \"setpts=PTS+gte(N\\,8)+4*gte(N\\,14)\" -fps_mode passthrough -c:v ffv1");
  JobInput input;
  input.video = input.name = dir / "vfr.mkv";
  TrainingDataOptions options;
  options.validation_share = 0;
  options.skip.still = 0;
  const TrainingData data({input}, options);
  const auto& clip = data.clips().front();
  EXPECT_EQ(clip.slot[8], 9);
  EXPECT_EQ(clip.slot[14], 19);
  EXPECT_EQ(clip.uneven_windows, 4);  // the triplets from frames 6, 7, 12 and 13
  std::vector<int64_t> firsts;
  for (const auto& w : data.training_windows()) firsts.push_back(w.first);
  EXPECT_EQ(firsts, (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 14, 15, 16, 17}));
  // A neighbour lies a pair's time from its end: frame 7, three slots before frame 9, is
  // not one, and the end stands in for it, as at a clip's end.
  EXPECT_EQ(data.window_frames({0, 9, 2}, ModelTraits{1, 1, false}), (std::vector<int64_t>{9, 9, 11, 13}));
  EXPECT_NE(data.summary().find("(4 windows across gaps in the timestamps left out)"), std::string::npos);
}

TEST(TrainingData, APipeWhoseRateRisesLaterLosesTheFramesTheJobWouldDrop) {
  // 45 s of a moving pattern: 15 fps for 41 s, then 30 (a phone leaving the dark). From
  // a pipe only the opening is timed (15 fps); a frame more than a slot early is dropped
  // by the job (frame_grid.h), and by training, whose windows would otherwise take frames
  // 1/30 s apart for a pair 1/15 s apart, or straddle both rates as if even.
  TempDir dir;
  const std::string clip = dir / "dusk.mkv", fifo = dir / "pipe";
  const std::string make = "ffmpeg -v error -f lavfi -i testsrc=size=64x48:rate=30:duration=45 -vf "
                           "\"select='if(lt(t\\,41)\\,not(mod(n\\,2))\\,1)'\" -fps_mode passthrough -c:v ffv1 " +
                           quote(clip);
  ASSERT_EQ(run(make).code, 0) << make;
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  // The writer gives up if nothing ever opens the pipe (a failure before it is read).
  std::thread writer([&] { std::system(("timeout 60 ffmpeg -v error -i " + quote(clip) + " -c copy -f matroska -y " +
                                        quote(fifo)).c_str()); });
  JobInput input;
  input.video = input.name = fifo;
  TrainingDataOptions options;
  options.validation_share = 0;
  options.skip.still = 0;
  options.skip.scene = 0;
  std::optional<TrainingData> data;
  try {
    data.emplace(std::vector<JobInput>{input}, options);
  } catch (...) {
    writer.join();
    throw;
  }
  writer.join();
  const auto& piped = data->clips().front();
  // About every other frame of the last 4 s is dropped (Matroska's milliseconds round some in).
  EXPECT_NEAR(static_cast<double>(735 - piped.frames.size()), 60, 3);
  EXPECT_EQ(piped.late_frames, 735 - static_cast<int64_t>(piped.frames.size()));
  EXPECT_NE(data->summary().find(" frames of a pipe left out: they came faster than the rate it was timed on)"),
            std::string::npos)
      << data->summary();
  for (size_t i = 1; i < piped.slot.size(); ++i) ASSERT_GT(piped.slot[i], piped.slot[i - 1]) << i;
  // 45 s at 15 fps, each frame at most a slot early (before: one slot a frame, 734).
  EXPECT_NEAR(static_cast<double>(piped.slot.back()), 675, 2);
}

}  // namespace
}  // namespace interp::test
