// The job on frames from memory (pipeline_timing.h): what interp_pipeline_bench times
// is the real job, every pair reaching the model and every frame reaching the sink, on
// whichever device the tests run (INTERP_TEST_DEVICE=cuda on a GPU box). Linked with
// interp_job alone, as on a box without FFmpeg.
#include "blend_model.h"
#include "interp/pipeline/pipeline_timing.h"

#include "interp/pipeline/frame_tensor.h"

#include "test_support.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <map>

namespace interp::pipeline {
namespace {

int max_level_difference(const io::Image& a, const io::Image& b) {
  int worst = 0;
  for (size_t i = 0; i < a.data.size(); ++i) worst = std::max(worst, std::abs(int(a.data[i]) - int(b.data[i])));
  return worst;
}

io::Image mean_of(const io::Image& a, const io::Image& b) {
  io::Image mean = a;
  for (size_t i = 0; i < a.data.size(); ++i)
    mean.data[i] = static_cast<uint8_t>(std::lround((a.data[i] + b.data[i]) / 2.0));
  return mean;
}

TEST(JobOnFramesInMemory, EveryPairReachesTheModelAndEveryFrameTheSinkInOrder) {
  test::BlendModel model(test::test_device());
  const int64_t frames = 9;
  SlidingTextureSource source(64, 48, frames);
  std::map<int64_t, io::Image> written;
  DiscardSink sink([&](const io::Image& frame, int64_t index) {
    EXPECT_EQ(written.count(index), 0u) << index;
    EXPECT_TRUE(written.empty() || written.rbegin()->first == index - 1) << "out of order at " << index;
    written[index] = frame;
  });
  JobOptions options;  // the default pair checks: the texture's slide is motion, not a cut
  options.pairs.batch = 3;
  const auto result = run_job(model, source, sink, Timeline(RateRatio{2, 1}), options);

  EXPECT_EQ(result.input_frames, frames);
  EXPECT_EQ(result.scene_cuts, 0);
  EXPECT_EQ(result.still_pairs, 0);
  ASSERT_EQ(sink.frames(), 2 * frames);
  ASSERT_EQ(written.size(), static_cast<size_t>(2 * frames));
  for (int64_t k = 0; k < frames; ++k) {
    EXPECT_EQ(max_level_difference(written[2 * k], source.frame(k)), 0) << "input frame " << k;
    const io::Image& expected = k + 1 < frames ? mean_of(source.frame(k), source.frame(k + 1)) : source.frame(k);
    EXPECT_LE(max_level_difference(written[2 * k + 1], expected), 1) << "output frame " << 2 * k + 1;
  }
  // With room to spare on the pair checks' defaults, so no CPU's rounding flips them.
  for (const auto size : {std::pair{64, 48}, std::pair{1920, 1080}}) {
    SlidingTextureSource sized(size.first, size.second, 3);
    const auto a = to_tensor(sized.frame(1), torch::kCPU, torch::kFloat32);
    const auto b = to_tensor(sized.frame(2), torch::kCPU, torch::kFloat32);
    EXPECT_GT(still_score(a, b), 2 * kDefaultStaticThreshold) << size.first;
    EXPECT_LT(scene_change_score(a, b), kDefaultSceneThreshold / 2) << size.first;
    std::printf("%dx%d: still score %.4f, scene score %.4f\n", size.first, size.second, still_score(a, b),
                scene_change_score(a, b));
  }
}

TEST(PipelineTiming, TimesTheJobBesideTheModelAloneOnARealModel) {
  INTERP_REQUIRE_MODEL(path, "rife-v3.9");
  ModelOptions model_options;
  model_options.model = path;
  model_options.quality = Quality::kFast;
  model_options.placement.device = test::test_device();
  const auto model = load_model(model_options);
  PipelineBenchOptions options;
  options.width = 96;
  options.height = 64;
  options.frames = 6;
  options.batch = 2;
  options.model_runs = 2;
  options.warmup = 1;
  const auto timing = time_pipeline(*model, options);

  EXPECT_EQ(timing.pairs, 5);
  EXPECT_EQ(timing.job.output_frames, 12);
  EXPECT_EQ(timing.job.scene_cuts + timing.job.still_pairs, 0);
  EXPECT_TRUE(std::isfinite(timing.pairs_per_s) && timing.pairs_per_s > 0) << timing.pairs_per_s;
  EXPECT_TRUE(std::isfinite(timing.model_only.pairs_per_s) && timing.model_only.pairs_per_s > 0);
  EXPECT_GT(timing.job.model_seconds, 0);
  EXPECT_LE(timing.job.model_seconds, timing.job.seconds);
  EXPECT_EQ(timing.peak_device_mib >= 0, model->device().is_cuda());
}

TEST(PipelineTiming, RefusesAJobWithoutAPair) {
  test::BlendModel model;
  PipelineBenchOptions options;
  options.frames = 1;
  EXPECT_THROW(time_pipeline(model, options), Error);
  EXPECT_THROW(SlidingTextureSource(4, 4, 3), Error);
}

}  // namespace
}  // namespace interp::pipeline
