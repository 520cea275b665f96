// The job on frames from memory (pipeline_timing.h): what interp_pipeline_bench times
// is the real job, every pair reaching the model and every frame reaching the sink, on
// whichever device the tests run (INTERP_TEST_DEVICE=cuda on a GPU box). Linked with
// interp_job alone, as on a box without FFmpeg.
#include "blend_model.h"
#include "interp/pipeline/pipeline_timing.h"

#include "interp/core/device.h"
#include "interp/pipeline/frame_tensor.h"
#include "interp/pipeline/memory_check.h"

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

/// A blend that reports a per-pixel cost and dtype, for the memory check.
class CostlyModel : public test::BlendModel {
 public:
  CostlyModel(torch::Device device, double bytes_per_pixel, torch::Dtype dtype = torch::kFloat32)
      : BlendModel(device), cost_(bytes_per_pixel), dtype_(dtype) {}
  double bytes_per_pixel() const override { return cost_; }
  torch::Dtype dtype() const override { return dtype_; }

 private:
  double cost_;
  torch::Dtype dtype_;
};

TEST(MemoryCheck, TheCostScalesWithPixelsBatchDtypeAndDevice) {
  EXPECT_DOUBLE_EQ(bytes_needed(CostlyModel(torch::kCPU, 100), 64, 48, 2), 100.0 * 64 * 48 * 2);
  EXPECT_DOUBLE_EQ(bytes_needed(CostlyModel(torch::kCPU, 100, torch::kFloat16), 64, 48, 1), 50.0 * 64 * 48);
  EXPECT_DOUBLE_EQ(bytes_needed(CostlyModel(torch::Device(torch::kCUDA, 0), 100, torch::kFloat16), 64, 48, 1),
                   50.0 * kCudaShareOfCpuCost * 64 * 48);
  EXPECT_DOUBLE_EQ(bytes_needed(CostlyModel(torch::kCPU, 0), 64, 48, 1), 0.0);
}

TEST(MemoryCheck, FramesThatCannotFitOnTheModelsDeviceAreRefusedBeforeAnyWork) {
  const torch::Device device = test::test_device();
  const bool gpu = device.is_cuda();
  const int64_t free = gpu ? cuda_free_memory_bytes(device) : available_memory_bytes();
  ASSERT_GT(free, 0);
  const double share = gpu ? kCudaShareOfCpuCost : 1.0;
  const double fits = 0.5 * static_cast<double>(free) / share / 1e6, not_fits = 2.0 * static_cast<double>(free) / share / 1e6;
  EXPECT_NO_THROW(check_memory(CostlyModel(device, fits), 1000, 1000, 1));
  try {
    check_memory(CostlyModel(device, not_fits), 1000, 1000, 1);
    FAIL() << "not refused";
  } catch (const OutOfMemory& e) {
    const std::string line = e.what();
    EXPECT_NE(line.find("blend on 1000x1000 frames needs about"), std::string::npos) << line;
    EXPECT_NE(line.find(gpu ? "of " + device.str() + "'s memory is free" : "of memory is available"), std::string::npos)
        << line;
  }
  if (gpu) return;
  // No GPU here: its free memory is unknown, and a CUDA model's check passes.
  const torch::Device cuda(torch::kCUDA, 0);
  EXPECT_EQ(cuda_free_memory_bytes(cuda), -1);
  EXPECT_NO_THROW(check_memory(CostlyModel(cuda, not_fits), 1000, 1000, 1));
}

}  // namespace
}  // namespace interp::pipeline
