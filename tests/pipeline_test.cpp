// Pipeline pieces on their own: the bounded queue, the slot loop, the folder sink, the
// reader's frame/packet/end values and a whole job, with a model whose output is known.
#include "blend_model.h"
#include "cli_support.h"
#include "error_of.h"
#include "interp/io/image_file.h"
#include "interp/io/video_reader.h"
#include "interp/pipeline/bounded_queue.h"
#include "interp/pipeline/frame_tensor.h"
#include "interp/pipeline/job.h"
#include "interp/pipeline/slot_loop.h"

#include <thread>

namespace interp::test {
namespace {
using namespace interp::pipeline;

io::Image flat(int value, int channels = 3, int alpha = 255) {
  io::Image image;
  image.allocate(8, 6, channels, 8);
  for (size_t i = 0; i < image.data.size(); ++i)
    image.data[i] = static_cast<uint8_t>(channels == 4 && i % 4 == 3 ? alpha : value);
  return image;
}

InputFrame input(const io::Image& image) {
  return {image, to_tensor(image, torch::kCPU, torch::kFloat32)};
}

/// Every output of a slot loop fed `frames`: index, whether it was a copy, first sample.
struct Emitted {
  int64_t index;
  bool copy;
  int value;
  int last;  ///< last sample (alpha for RGBA)
};
std::vector<Emitted> run_loop(SlotLoop& loop, const std::vector<io::Image>& frames) {
  std::vector<Emitted> out;
  const SlotLoop::Emit emit = [&](OutputFrame&& f) {
    const io::Image& image = f.copy ? *f.copy : f.made;
    out.push_back({f.index, f.copy != nullptr, image.data.front(), image.data.back()});
    return true;
  };
  for (const auto& frame : frames) EXPECT_TRUE(loop.push(input(frame), emit));
  EXPECT_TRUE(loop.finish(emit));
  return out;
}

TEST(BoundedQueue, KeepsOrderBlocksWhenFullAndDrainsAfterClose) {
  BoundedQueue<int> queue(2);
  ASSERT_TRUE(queue.push(1));
  ASSERT_TRUE(queue.push(2));
  std::atomic<bool> third_in{false};
  std::thread producer([&] {
    queue.push(3);  // blocks until a pop makes room
    third_in = true;
  });
  // The event, not a clock: the producer is inside push(), waiting (or, were the queue
  // not to block, already past it, which fails below).
  while (queue.waiting_pushers() == 0 && !third_in) std::this_thread::yield();
  EXPECT_FALSE(third_in);
  EXPECT_EQ(queue.waiting_pushers(), 1u);
  int v = 0;
  ASSERT_TRUE(queue.pop(v));
  EXPECT_EQ(v, 1);
  producer.join();
  EXPECT_TRUE(third_in);
  queue.close();
  EXPECT_FALSE(queue.push(4));  // closed: dropped
  ASSERT_TRUE(queue.pop(v));
  EXPECT_EQ(v, 2);
  ASSERT_TRUE(queue.pop(v));
  EXPECT_EQ(v, 3);
  EXPECT_FALSE(queue.pop(v));
}

TEST(SlotLoop, InputsInBetweensAndTailRepeatsInOrder) {
  BlendModel model;
  PairOptions options;
  options.skip.scene = 0;
  PairInterpolator pairs(model, options);
  const Timeline timeline({2, 1});
  SlotLoop loop(pairs, timeline, /*repeat_tail=*/true);
  const auto out = run_loop(loop, {flat(0), flat(100), flat(200)});
  ASSERT_EQ(out.size(), 6u);  // 3 inputs at 2x: 6 frames, the last a repeat
  const std::vector<std::tuple<bool, int>> expected = {{true, 0},   {false, 50},  {true, 100},
                                                       {false, 150}, {true, 200}, {true, 200}};
  for (size_t i = 0; i < out.size(); ++i) {
    EXPECT_EQ(out[i].index, static_cast<int64_t>(i));
    EXPECT_EQ(out[i].copy, std::get<0>(expected[i])) << i;
    EXPECT_EQ(out[i].value, std::get<1>(expected[i])) << i;
  }
  EXPECT_EQ(loop.input_frames(), 3);
  EXPECT_EQ(model.calls, 2);
}

TEST(SlotLoop, PairEndsOnItsSecondPicture) {
  BlendModel model;
  PairOptions options;
  options.skip.scene = 0;  // as for every explicit pair
  PairInterpolator pairs(model, options);
  const Timeline timeline({4, 1});
  SlotLoop loop(pairs, timeline, /*repeat_tail=*/false);
  const auto out = run_loop(loop, {flat(0), flat(200)});
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(out[2].value, 100);
  EXPECT_TRUE(out[4].copy);
  EXPECT_EQ(out[4].index, 4);
  EXPECT_EQ(out[4].value, 200);
}

TEST(SlotLoop, SceneCutRepeatsTheFrameNearerInTime) {
  BlendModel model;
  PairOptions options;
  options.skip.scene = 0.2;  // 0 -> 200 is a difference of 0.78
  PairInterpolator pairs(model, options);
  const Timeline timeline({4, 1});
  SlotLoop loop(pairs, timeline, /*repeat_tail=*/false);
  const auto out = run_loop(loop, {flat(0), flat(200)});
  ASSERT_EQ(out.size(), 5u);
  // Never blended across the cut: t = 0.25 and 0.5 repeat the first frame, 0.75 the second.
  EXPECT_EQ(out[1].value, 0);
  EXPECT_EQ(out[2].value, 0);
  EXPECT_EQ(out[3].value, 200);
  EXPECT_EQ(loop.scene_cuts(), 1);
  EXPECT_EQ(model.calls, 0);
}

// At a cut's midpoint either frame could be the dropped one; a black frame (a leader, a
// flash) is not repeated when the other shows a picture.
TEST(SlotLoop, SceneCutMidpointRepeatsThePictureNotABlackFrame) {
  BlendModel model;
  PairOptions options;
  options.skip.scene = 0.2;
  PairInterpolator pairs(model, options);
  io::Image picture = flat(0);
  for (size_t i = 0; i < picture.data.size(); ++i) picture.data[i] = static_cast<uint8_t>(100 + i % 97);
  const Timeline timeline({2, 1});
  for (const auto& [first, second, expected] : {std::tuple{flat(0), picture, 100}, std::tuple{picture, flat(0), 100}}) {
    SlotLoop loop(pairs, timeline, /*repeat_tail=*/false);
    const auto out = run_loop(loop, {first, second});
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[1].value, expected) << "pair " << int(first.data.front()) << " | " << int(second.data.front());
    EXPECT_EQ(loop.scene_cuts(), 1);
  }
  EXPECT_EQ(model.calls, 0);
}

// --batch N groups forward passes across consecutive pairs (a GPU sees full batches at
// --exp=1); the frames, their order and their indices are those of batch 1.
TEST(SlotLoop, BatchesAcrossPairsWithTheFramesOfBatchOne) {
  const std::vector<io::Image> frames = {flat(0), flat(40), flat(80), flat(160), flat(200), flat(240), flat(250)};
  struct Case {
    RateRatio ratio;
    TimingMode mode;
    std::vector<int64_t> batches;  ///< forward passes at --batch 4
  };
  const std::vector<Case> cases = {
      {{2, 1}, TimingMode::Direct, {4, 2}},             // --exp=1: four pairs per pass
      {{2, 1}, TimingMode::Recursive, {4, 2}},
      {{4, 1}, TimingMode::Recursive, {2, 4, 2, 4, 2, 4}},  // two pairs a flush: level 1, then level 2
      {{5, 2}, TimingMode::Direct, {4, 4, 4}},          // every other input frame is not an output
  };
  for (const auto& c : cases) {
    std::vector<std::vector<Emitted>> runs;
    for (int batch : {1, 4}) {
      BlendModel model;
      PairOptions options;
      options.skip.scene = 0;
      options.mode = c.mode;
      options.batch = batch;
      PairInterpolator pairs(model, options);
      const Timeline timeline(c.ratio);
      SlotLoop loop(pairs, timeline, true);
      runs.push_back(run_loop(loop, frames));
      if (batch == 4) EXPECT_EQ(model.batch_sizes, c.batches) << c.ratio.num << "/" << c.ratio.den;
    }
    ASSERT_EQ(runs[0].size(), runs[1].size());
    for (size_t i = 0; i < runs[0].size(); ++i) {
      EXPECT_EQ(runs[0][i].index, runs[1][i].index);
      EXPECT_EQ(runs[0][i].copy, runs[1][i].copy);
      EXPECT_EQ(runs[0][i].value, runs[1][i].value) << "frame " << i << " of " << c.ratio.num << "/" << c.ratio.den;
    }
  }
}

TEST(SlotLoop, AlphaIsBlendedAndAddedWhereMissing) {
  BlendModel model;
  PairOptions options;
  options.skip.scene = 0;
  PairInterpolator pairs(model, options);
  const Timeline timeline({2, 1});
  SlotLoop loop(pairs, timeline, false);
  const auto out = run_loop(loop, {flat(100, 3), flat(100, 4, 0)});  // opaque RGB, then transparent RGBA
  EXPECT_EQ(out[1].value, 100);
  EXPECT_EQ(out[1].last, 128);  // alpha halfway between 255 and 0 (127.5 rounds up)
}

TEST(ImageFolderSink, NumberedFramesAndMarkerOnlyOnFinish) {
  TempDir dir;
  {
    ImageFolderSink sink(dir / "out", false, {}, 12000);
    sink.write(flat(7), 3);
  }
  EXPECT_TRUE(entries(dir.path().string()).empty());  // unfinished: nothing left
  ImageFolderSink sink(dir / "out", false, {}, 12000);
  sink.write(flat(7), 0);
  sink.write(flat(9), 11999);
  sink.finish();
  EXPECT_EQ(entries(dir / "out"), (std::vector<std::string>{".interp-output", "00000.png", "11999.png"}));
  EXPECT_EQ(io::read_image(dir / "out/11999.png").data, flat(9).data);
}

TEST(VideoReader, ReturnsFramesPacketsThenEnd) {
  TempDir dir;
  make_clip(dir / "av.mp4", 64, 48, "25", 10, "-pix_fmt yuv420p", /*audio=*/true);
  io::VideoReader reader(dir / "av.mp4");
  int frames = 0, packets = 0;
  int64_t last_pts = -1;
  for (;;) {
    auto item = reader.next();
    if (std::holds_alternative<io::EndOfStream>(item)) break;
    if (auto* frame = std::get_if<io::VideoFrame>(&item)) {
      EXPECT_EQ(frame->image.width, 64);
      EXPECT_GT(frame->pts, last_pts);
      last_pts = frame->pts;
      ++frames;
    } else {
      ++packets;
    }
  }
  EXPECT_EQ(frames, 10);
  EXPECT_GT(packets, 0);  // the audio stream's packets, for stream copy
  EXPECT_TRUE(std::holds_alternative<io::EndOfStream>(reader.next()));  // and the end stays the end

  // The same file's bytes from memory (a custom AVIOContext) decode to the same pictures.
  const std::string bytes = slurp(dir / "av.mp4");
  io::VideoReader from_file(dir / "av.mp4");
  io::VideoReader from_memory(std::vector<uint8_t>(bytes.begin(), bytes.end()), "av.mp4 in memory");
  for (int i = 0; i < frames;) {
    auto a = from_file.next();
    auto* fa = std::get_if<io::VideoFrame>(&a);
    if (!fa) continue;
    io::VideoFrame* fb = nullptr;
    auto b = from_memory.next();
    while (!(fb = std::get_if<io::VideoFrame>(&b))) b = from_memory.next();
    EXPECT_EQ(fa->image.data, fb->image.data) << i;
    EXPECT_EQ(fa->pts, fb->pts);
    ++i;
  }
}

class ImageJob : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 4; ++i) {
      images.push_back(dir / ("in" + std::to_string(i) + ".png"));
      io::write_png(images.back(), flat(i * 60));
    }
  }
  TempDir dir;
  std::vector<std::string> images;
  BlendModel model;
};

TEST_F(ImageJob, RunsEveryStageAndHonoursTheFrameLimit) {
  ImageListSource source(images, "in");
  ImageFolderSink sink(dir / "out", false, images, 8);
  JobOptions options;
  options.pairs.skip.scene = 0;
  options.frame_limit = 3;
  const auto r = run_job(model, source, sink, Timeline({2, 1}), options);
  EXPECT_EQ(r.input_frames, 3);
  EXPECT_EQ(r.output_frames, 6);
  EXPECT_EQ(io::read_image(dir / "out/0003.png").data, flat(90).data);
}

TEST_F(ImageJob, CancelledJobThrowsAndLeavesNothing) {
  ImageListSource source(images, "in");
  std::atomic<bool> cancel{true};
  JobOptions options;
  options.pairs.cancel = &cancel;
  {
    ImageFolderSink sink(dir / "out", false, images, 8);
    EXPECT_EQ(error_of([&] { run_job(model, source, sink, Timeline({2, 1}), options); }), "interrupted");
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));
}

TEST_F(ImageJob, OneFrameIsRefusedByName) {
  ImageListSource source({images[0]}, "one-picture");
  ImageFolderSink sink(dir / "out", false, images, 2);
  EXPECT_NE(error_of([&] { run_job(model, source, sink, Timeline({2, 1}), JobOptions{}); }).find("one-picture: has 1"),
            std::string::npos);
}

}  // namespace
}  // namespace interp::test
