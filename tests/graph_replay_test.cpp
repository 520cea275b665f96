// Recording a model's calls and replaying them (graph_replay.h), with a recorder that
// behaves as CUDA's does where it matters: the recorded output holds nothing until a
// replay, every replay rewrites the same storage, and a recording can be refused. The
// CUDA recorder itself needs a GPU (scripts/gpu_check.sh); here only its absence is.
#include "interp/base/error.h"
#include "interp/core/graph_replay.h"
#include "interp/core/model_loader.h"
#include "interp/core/rife/ifnet.h"
#include "interp/core/weights/state_dict.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <limits>

namespace interp::test {
namespace {

class RerunningCall final : public RecordedCall {
 public:
  RerunningCall(std::function<torch::Tensor()> call, torch::Tensor output)
      : call_(std::move(call)), output_(std::move(output)) {}
  torch::Tensor replay() override {
    output_.copy_(call_());
    return output_;
  }

 private:
  std::function<torch::Tensor()> call_;
  torch::Tensor output_;
};

/// Records by keeping the call; the output it hands back is NaN until replayed.
class RerunningRecorder final : public CallRecorder {
 public:
  std::string name() const override { return "rerun"; }
  std::unique_ptr<RecordedCall> record(const std::function<torch::Tensor()>& call) override {
    ++records;
    if (refuse) throw Error("reads a value back\nsecond line");
    auto output = call().clone().fill_(std::numeric_limits<float>::quiet_NaN());
    return std::make_unique<RerunningCall>(call, output);
  }
  int records = 0;
  bool refuse = false;
};

/// RIFE `variant` with its layers' own random initialisation, fp32, on `device`.
std::unique_ptr<FrameInterpolator> random_model(const rife::IFNetVariant& variant,
                                                torch::Device device = torch::kCPU) {
  torch::manual_seed(7);
  rife::IFNet net(variant);
  ModelOptions options;
  options.placement.device = device;
  options.placement.precision = Precision::kFp32;
  return load_model(ModelWeights{"rife", variant.name, weights::module_state(*net), {}}, options, variant.name);
}

torch::Tensor frame(int64_t h, int64_t w, int seed) {
  torch::manual_seed(seed);
  return torch::rand({1, 3, h, w});
}

TEST(GraphReplay, ReplaysGiveWhatDirectCallsGiveForEveryShapeAndTime) {
  auto recorder = std::make_shared<RerunningRecorder>();
  auto replaying = with_replay(random_model(rife::IFNetVariant::v4_6()), recorder);
  auto direct = random_model(rife::IFNetVariant::v4_6());
  int seed = 0;
  for (int round = 0; round < 3; ++round) {
    for (const auto& [h, w] : {std::pair<int64_t, int64_t>{64, 96}, {40, 72}}) {
      for (const double t : {0.5, 0.25}) {
        // New frames every call: a replay must read these, not the recorded ones.
        const auto a = frame(h, w, ++seed), b = frame(h, w, ++seed);
        const auto expected = direct->interpolate(a, b, {t});
        EXPECT_TRUE(torch::equal(replaying->interpolate(a, b, {t}), expected)) << h << "x" << w << " t=" << t;
      }
    }
  }
  const auto counts = replay_counts(*replaying);
  ASSERT_TRUE(counts.has_value());
  EXPECT_EQ(counts->recorded, 4);  // two shapes × two times, each run directly once first
  EXPECT_EQ(counts->direct, 4);
  EXPECT_EQ(counts->replays, 8);
  EXPECT_EQ(recorder->records, 4);
  EXPECT_TRUE(counts->refused.empty());
}

TEST(GraphReplay, EachCallerKeepsItsOwnFrame) {
  auto replaying = with_replay(random_model(rife::IFNetVariant::v4_6()), std::make_shared<RerunningRecorder>(),
                               ReplayLimits{/*direct_runs_first=*/0});
  const auto first = replaying->interpolate(frame(32, 32, 1), frame(32, 32, 2), {0.5});
  const auto kept = first.clone();
  replaying->interpolate(frame(32, 32, 3), frame(32, 32, 4), {0.5});  // the same recording again
  EXPECT_TRUE(torch::equal(first, kept));
  EXPECT_EQ(replay_counts(*replaying)->replays, 2);
}

TEST(GraphReplay, ARefusedRecordingRunsDirectlyAndIsNotTriedAgain) {
  auto recorder = std::make_shared<RerunningRecorder>();
  recorder->refuse = true;
  auto replaying = with_replay(random_model(rife::IFNetVariant::v4_6()), recorder, ReplayLimits{0});
  auto direct = random_model(rife::IFNetVariant::v4_6());
  for (int seed = 0; seed < 3; ++seed) {
    const auto a = frame(32, 48, 2 * seed), b = frame(32, 48, 2 * seed + 1);
    EXPECT_TRUE(torch::equal(replaying->interpolate(a, b, {0.5}), direct->interpolate(a, b, {0.5})));
  }
  EXPECT_EQ(recorder->records, 1);
  const auto counts = *replay_counts(*replaying);
  EXPECT_EQ(counts.direct, 3);
  EXPECT_EQ(counts.refused, "reads a value back");
  EXPECT_EQ(replay_summary(*replaying), "rerun: 0 recorded, 0 replays, 3 direct (refused: reads a value back)");
  EXPECT_EQ(replay_summary(*direct), "");
}

TEST(GraphReplay, ShapesPastTheLimitRunDirectly) {
  auto recorder = std::make_shared<RerunningRecorder>();
  auto replaying = with_replay(random_model(rife::IFNetVariant::v4_6()), recorder, ReplayLimits{0, /*max_recorded=*/1});
  for (int64_t w : {32, 48, 32, 48}) replaying->interpolate(frame(32, w, 1), frame(32, w, 2), {0.5});
  const auto counts = *replay_counts(*replaying);
  EXPECT_EQ(counts.recorded, 1);
  EXPECT_EQ(counts.replays, 2);
  EXPECT_EQ(counts.direct, 2);
}

TEST(GraphReplay, AModelThatChoosesItsPathPerPairIsLeftAsItIs) {
  // v3.9 reads back whether to restart at half resolution: not recordable.
  auto v39 = random_model(rife::IFNetVariant::v3_9());
  EXPECT_FALSE(v39->replayable());
  const FrameInterpolator* before = v39.get();
  const auto result = with_replay(std::move(v39), std::make_shared<RerunningRecorder>());
  EXPECT_EQ(result.get(), before);
  EXPECT_FALSE(replay_counts(*result).has_value());
  EXPECT_TRUE(random_model(rife::IFNetVariant::v4_6())->replayable());
}

TEST(GraphReplay, TimesAreMadeOnTheDeviceWithTheirValues) {
  const auto t = times_tensor({0.25, 0.5, 0.75}, torch::TensorOptions().dtype(torch::kFloat32));
  EXPECT_TRUE(torch::equal(t, torch::tensor({0.25f, 0.5f, 0.75f})));
}

TEST(GraphReplay, CudaRecordsOnAGpuAndIsRefusedByNameElsewhere) {
  std::string why;
  EXPECT_EQ(cuda_call_recorder(torch::kCPU, &why), nullptr);
  EXPECT_EQ(why, "the model runs on cpu");
  const torch::Device gpu = test_device().is_cuda() ? test_device() : torch::Device(torch::kCUDA, 0);
  auto recorder = cuda_call_recorder(gpu, &why);
  if (!test_device().is_cuda()) {
    EXPECT_EQ(recorder, nullptr);
    EXPECT_FALSE(why.empty());
    return;
  }
  ASSERT_NE(recorder, nullptr) << why;  // on the GPU box: real CUDA graphs, checked as above
  auto replaying = with_replay(random_model(rife::IFNetVariant::v4_6(), gpu), recorder);
  auto direct = random_model(rife::IFNetVariant::v4_6(), gpu);
  for (int seed = 0; seed < 6; seed += 2) {
    const auto a = frame(64, 96, seed).to(gpu), b = frame(64, 96, seed + 1).to(gpu);
    EXPECT_LE(max_abs_diff(replaying->interpolate(a, b, {0.25}).cpu(), direct->interpolate(a, b, {0.25}).cpu()), 1e-5);
  }
  const auto counts = *replay_counts(*replaying);
  EXPECT_EQ(counts.recorded, 1) << counts.refused;
  EXPECT_EQ(counts.replays, 2);
}

}  // namespace
}  // namespace interp::test
