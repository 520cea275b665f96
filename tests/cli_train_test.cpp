// `interp train` and `--adapt` end to end: the model file it writes runs and says what
// it was trained on; a stopped run resumes on the same curve; bad input is one line
// before any work; outputs follow the rules of every output.
#include "background.h"
#include "cli_support.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace interp::test {
namespace {
namespace fs = std::filesystem;

class Train : public ::testing::Test {
 protected:
  void SetUp() override {
    INTERP_REQUIRE_SHARED(model, "golden/rife_v4.6_random.pkl");
    make_clip(dir / "clip.mkv", 128, 96, "25", 24, "-c:v ffv1");
  }
  /// A short run of the random v4.6 model on the test clip.
  std::string train_args(const std::string& extra) const {
    return "train --model " + quote(test_model()) + " --data " + quote(dir / "clip.mkv") + " --out " +
           quote(dir / "m.safetensors") + " --batch 2 --crop 64 " + extra;
  }
  TempDir dir;
};

/// step -> loss, from a --progress feed.
std::map<int, std::string> losses(const std::string& feed) {
  std::map<int, std::string> out;
  std::istringstream lines(feed);
  std::string line;
  int step = -1;
  while (std::getline(lines, line)) {
    if (line.rfind("step=", 0) == 0) step = std::stoi(line.substr(5));
    if (line.rfind("loss=", 0) == 0) out[step] = line.substr(5);
  }
  return out;
}

TEST_F(Train, WritesAModelThatRunsAndSaysWhatItWasTrainedOn) {
  const auto r = run(interp_cmd(train_args("--steps 3")));
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string header = slurp(dir / "m.safetensors").substr(0, 4096);
  for (const char* key : {"\"interp.train.base\"", "\"interp.train.data\"", "\"interp.train.steps\":\"3\"",
                          "\"interp.train.validation_psnr_before\"", "\"interp.train.validation_psnr_after\"",
                          "\"interp.arch\":\"rife\"", "\"interp.variant\":\"rife-v4.6\""})
    EXPECT_NE(header.find(key), std::string::npos) << key;
  EXPECT_TRUE(fs::exists(dir / "m.safetensors.checkpoint"));
  ASSERT_EQ(run("ffmpeg -v error -i " + quote(dir / "clip.mkv") + " -frames:v 2 " + quote(dir / "f%d.png")).code, 0);
  const auto pair = run(interp_cmd("pair " + quote(dir / "f1.png") + " " + quote(dir / "f2.png") + " " +
                                   quote(dir / "mid.png") + " --model " + quote(dir / "m.safetensors")));
  EXPECT_EQ(pair.code, 0) << pair.err;
  EXPECT_TRUE(fs::exists(dir / "mid.png"));
  // An existing output (and checkpoint) is kept without -y.
  const auto before = slurp(dir / "m.safetensors");
  const auto again = run(interp_cmd(train_args("--steps 1")));
  EXPECT_EQ(again.code, 1);
  EXPECT_EQ(slurp(dir / "m.safetensors"), before);
}

TEST_F(Train, EveryFamilyTrainsWithTheOneLoopAndItsFileRuns) {
  INTERP_REQUIRE_SHARED(film, "golden/film_small_random.pt");
  ASSERT_EQ(run("ffmpeg -v error -i " + quote(dir / "clip.mkv") + " -frames:v 2 " + quote(dir / "f%d.png")).code, 0);
  for (const std::string& model : {film, std::string(INTERP_TEST_DATA_DIR) + "/upr_base_random.pkl"}) {
    const auto r = run(interp_cmd("train -y --steps 2 --batch 2 --crop 64 --model " + quote(model) + " --data " +
                                  quote(dir / "clip.mkv") + " --out " + quote(dir / "m.safetensors")));
    ASSERT_EQ(r.code, 0) << model << ": " << r.err;
    const auto pair = run(interp_cmd("pair -y " + quote(dir / "f1.png") + " " + quote(dir / "f2.png") + " " +
                                     quote(dir / "mid.png") + " --model " + quote(dir / "m.safetensors")));
    EXPECT_EQ(pair.code, 0) << model << ": " << pair.err;
  }
  // ConvLSTM from scratch: its own loss and windows through the same loop; its file
  // starts as blending and records where it came from.
  const auto r = run(interp_cmd("train -y --steps 2 --batch 2 --crop 64 --model convlstm --from-scratch --data " +
                                quote(dir / "clip.mkv") + " --out " + quote(dir / "c.safetensors")));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(slurp(dir / "c.safetensors").substr(0, 8192).find("from scratch"), std::string::npos);
}

TEST_F(Train, AFeedThatCannotBeWrittenEndsTheFeedNotTheRun) {
  // As a video job's (cli_io_test.cpp): the failed write is said once, the model is made.
  const auto r = run(quote(INTERP_BINARY) + " " + train_args("--steps 2 --progress /dev/full"));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("--progress /dev/full: cannot write (No space left on device): the feed ends here"),
            std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(dir / "m.safetensors"));
}

// Training keeps fp32 unless asked (bf16 gradients measured to turn: training_test.cpp);
// bf16 trains when asked and the file says so; fp16 does not train.
TEST_F(Train, Fp32UnlessAskedBf16WhenAskedNeverFp16) {
  const std::string binary = quote(INTERP_BINARY) + " ";
  auto r = run(binary + train_args("--steps 1 --precision bf16"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("in bf16 (as asked)"), std::string::npos) << r.err;
  EXPECT_NE(slurp(dir / "m.safetensors").substr(0, 4096).find("\"interp.train.precision\":\"bf16\""),
            std::string::npos);
  r = run(binary + train_args("-y --steps 1"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("in fp32 (auto: "), std::string::npos) << r.err;
  r = run(binary + train_args("-y --steps 1 --precision fp16 --device cpu"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("needs a CUDA device"), std::string::npos) << r.err;
}

TEST_F(Train, AStoppedRunResumesOnTheSameCurve) {
  const auto whole = run(interp_cmd(train_args("--steps 8 --progress - --checkpoint " + quote(dir / "whole.ckpt"))));
  ASSERT_EQ(whole.code, 0) << whole.err;
  const auto expected = losses(whole.out);
  ASSERT_EQ(expected.size(), 8u);
  fs::rename(dir / "m.safetensors", dir / "whole.safetensors");

  {  // Ctrl-C once step 3 is reported: a checkpoint, no model, nothing temporary.
    Background stopped(train_args("--steps 8 --progress -"), dir / "err.txt", dir / "feed.txt");
    ASSERT_TRUE(wait_for_text(dir / "feed.txt", "step=3\n"));
    stopped.signal(SIGINT);
    EXPECT_EQ(stopped.wait(), 130) << slurp(dir / "err.txt");
  }
  EXPECT_NE(slurp(dir / "err.txt").find("--resume"), std::string::npos) << slurp(dir / "err.txt");
  EXPECT_FALSE(fs::exists(dir / "m.safetensors"));
  ASSERT_TRUE(fs::exists(dir / "m.safetensors.checkpoint"));
  for (const auto& name : entries(dir.path().string())) EXPECT_EQ(name.find(".interp-"), std::string::npos) << name;
  const auto first = losses(slurp(dir / "feed.txt"));

  const auto resumed = run(interp_cmd(train_args("--steps 8 --progress - --resume")));
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  const auto rest = losses(resumed.out);
  ASSERT_FALSE(rest.empty());
  EXPECT_EQ(rest.begin()->first, first.rbegin()->first + 1);  // on from the step it stopped after
  EXPECT_EQ(rest.rbegin()->first, 8);
  for (const auto& [step, loss] : first) EXPECT_EQ(loss, expected.at(step)) << "step " << step;
  for (const auto& [step, loss] : rest) EXPECT_EQ(loss, expected.at(step)) << "step " << step;
}

TEST_F(Train, BadInputIsOneLineBeforeAnyWork) {
  const auto refused = [&](const std::string& args, const std::string& says) {
    const auto r = run(interp_cmd(args));
    EXPECT_NE(r.code, 0) << args;
    EXPECT_NE(r.err.find(says), std::string::npos) << args << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(fs::exists(dir / "m.safetensors")) << args;
  };
  make_clip(dir / "one.mkv", 128, 96, "25", 1, "-c:v ffv1");
  ASSERT_EQ(run("ffmpeg -v error -f lavfi -i color=c=gray:size=128x96:rate=25 -frames:v 12 -c:v ffv1 " +
                quote(dir / "still.mkv")).code, 0);
  const std::string base = "train --model " + quote(test_model()) + " --steps 2 --out " + quote(dir / "m.safetensors");
  refused(base + " --data " + quote(dir / "one.mkv"), "no usable triplets");
  refused(base + " --data " + quote(dir / "still.mkv"), "no usable triplets");
  refused(base + " --data " + quote(dir / "missing.mkv"), "no such file");
  refused(train_args(""), "--steps N or --minutes M");
  refused(base + " --data " + quote(dir / "clip.mkv") + " --from-scratch", "needs a model name (convlstm)");
  refused("train --model rife-v4.6 --from-scratch --steps 1 --data " + quote(dir / "clip.mkv") + " --out " +
              quote(dir / "m.safetensors"),
          "fine-tuned from its published weights");
  refused(train_args("--steps 2 --resume"), "no checkpoint to resume");
  // A checkpoint named after the data is said to be the input, not an earlier run's.
  refused(train_args("--steps 2 --checkpoint " + quote(dir / "clip.mkv")), "is the input");
  std::ofstream(dir / "m.safetensors.checkpoint") << "not a checkpoint";
  refused(train_args("--steps 2"), "a checkpoint of an earlier run");
  refused(train_args("--steps 2 --resume"), "not a usable checkpoint");
  // The base model is an input: never the output, even with -y.
  const auto self = run(interp_cmd("convert " + quote(test_model()) + " " + quote(dir / "base.safetensors")));
  ASSERT_EQ(self.code, 0) << self.err;
  const auto size = fs::file_size(dir / "base.safetensors");
  const auto onto = run(interp_cmd("train -y --model " + quote(dir / "base.safetensors") + " --data " +
                                   quote(dir / "clip.mkv") + " --steps 1 --out " + quote(dir / "base.safetensors")));
  EXPECT_EQ(onto.code, 1);
  EXPECT_NE(onto.err.find("input"), std::string::npos) << onto.err;
  EXPECT_EQ(fs::file_size(dir / "base.safetensors"), size);
}

// Two runs on one --out: a model and a checkpoint that appear while this one trains are
// kept, and this run stops instead of replacing them.
TEST_F(Train, AModelOrCheckpointThatAppearsMeanwhileIsKept) {
  Background running(train_args("--steps 100 --progress " + quote(dir / "feed.txt")), dir / "err.txt");
  ASSERT_TRUE(wait_for_text(dir / "feed.txt", "step=1\n"));
  std::ofstream(dir / "m.safetensors") << "another run's model";
  std::ofstream(dir / "m.safetensors.checkpoint") << "another run's checkpoint";
  EXPECT_EQ(running.wait(), 1) << slurp(dir / "err.txt");
  EXPECT_NE(slurp(dir / "err.txt").find("appeared or changed while interp was running"), std::string::npos)
      << slurp(dir / "err.txt");
  EXPECT_EQ(slurp(dir / "m.safetensors"), "another run's model");
  EXPECT_EQ(slurp(dir / "m.safetensors.checkpoint"), "another run's checkpoint");
  for (const auto& name : entries(dir.path().string())) EXPECT_EQ(name.find(".interp-"), std::string::npos) << name;
}

// One bit flipped inside a stored tensor: --resume names the file and the damaged part.
TEST_F(Train, ADamagedCheckpointIsRefusedNamingThePart) {
  ASSERT_EQ(run(interp_cmd(train_args("--steps 2"))).code, 0);
  fs::remove(dir / "m.safetensors");  // as a stopped run leaves it: a checkpoint, no model
  const std::string checkpoint = dir / "m.safetensors.checkpoint";
  const std::string kept = slurp(checkpoint);
  // The checkpoint is a safetensors file: 8 bytes of header length, the JSON header, data.
  uint64_t header = 0;
  for (int i = 7; i >= 0; --i) header = header << 8 | static_cast<unsigned char>(kept[i]);
  const auto json = nlohmann::json::parse(kept.substr(8, header));
  for (const auto& [prefix, says] : std::vector<std::pair<std::string, std::string>>{
           {"model.", "damaged checkpoint: the weights "}, {"adamw.", "damaged checkpoint: the optimiser's moments of "}}) {
    std::string largest;
    uint64_t size = 0, begin = 0;
    for (const auto& [name, entry] : json.items()) {
      if (name.rfind(prefix, 0) != 0) continue;
      const uint64_t from = entry["data_offsets"][0], to = entry["data_offsets"][1];
      if (to - from > size) largest = name, size = to - from, begin = from;
    }
    ASSERT_GT(size, 0u) << prefix;
    std::string damaged = kept;
    damaged[8 + header + begin + size / 2] ^= 0x10;
    std::ofstream(checkpoint, std::ios::binary | std::ios::trunc) << damaged;
    const auto r = run(interp_cmd(train_args("--steps 3 --resume")));
    EXPECT_EQ(r.code, 1) << largest;
    EXPECT_NE(r.err.find(checkpoint + ": " + says + largest.substr(largest.find('.') + 1, 10)), std::string::npos)
        << r.err;
    EXPECT_FALSE(fs::exists(dir / "m.safetensors"));
  }
}

// A crop larger than the frames is said, not silently shrunk; a run that validated
// nothing records no score.
TEST_F(Train, ACropLargerThanTheFramesIsSaidAndNoValidationIsNoScore) {
  const std::string args = "train --model " + quote(test_model()) + " --data " + quote(dir / "clip.mkv") + " --out " +
                           quote(dir / "m.safetensors") + " --batch 2 --steps 1 --crop 4096 --validation 0";
  const auto r = run(quote(INTERP_BINARY) + " " + args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("pixels, not 4096: the smallest frames are 96 pixels on a side"), std::string::npos) << r.err;
  const std::string header = slurp(dir / "m.safetensors").substr(0, 4096);
  EXPECT_EQ(header.find("validation_psnr"), std::string::npos);
  EXPECT_NE(header.find("\"interp.train.validation\":\"none"), std::string::npos);
}

TEST_F(Train, AdaptFineTunesOnTheInputThenInterpolates) {
  const auto r = run(quote(INTERP_BINARY) + " --adapt 0.02 --model " + quote(test_model()) + " --codec ffv1 " +
                     quote(dir / "clip.mkv") + " " + quote(dir / "out.mkv"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("adapted in "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("held-out PSNR as the job runs "), std::string::npos) << r.err;
  EXPECT_EQ(probe(dir / "out.mkv", "v:0", "nb_read_frames", true), "48");
  const auto piece = run(interp_cmd("--adapt 1 --range 0:8 --model " + quote(test_model()) + " " +
                                    quote(dir / "clip.mkv") + " " + quote(dir / "piece.mkv")));
  EXPECT_EQ(piece.code, 1);
  EXPECT_NE(piece.err.find("--adapt with --range"), std::string::npos) << piece.err;
}

// Weights that cannot be checked are not used: a clip too short to hold a pair out
// trains, then runs exactly as it would without --adapt.
TEST_F(Train, AdaptWithNothingHeldOutRunsTheOriginalWeights) {
  make_clip(dir / "short.mkv", 128, 96, "25", 4, "-c:v ffv1");
  const std::string tail = " --model " + quote(test_model()) + " --codec ffv1 " + quote(dir / "short.mkv") + " ";
  const auto adapted = run(quote(INTERP_BINARY) + " --adapt 0.01" + tail + quote(dir / "adapted.mkv"));
  ASSERT_EQ(adapted.code, 0) << adapted.err;
  EXPECT_NE(adapted.err.find("no pair could be held out to tell whether it helps: the original weights run"),
            std::string::npos)
      << adapted.err;
  const auto plain = run(quote(INTERP_BINARY) + tail + quote(dir / "plain.mkv"));
  ASSERT_EQ(plain.code, 0) << plain.err;
  EXPECT_EQ(gray_frames(dir / "adapted.mkv", 128, 96), gray_frames(dir / "plain.mkv", 128, 96));
}

}  // namespace
}  // namespace interp::test
