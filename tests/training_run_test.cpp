// Training data and the training loop on their own: which windows are kept (cuts, still
// frames, the held-out end), the sampler's resumable state, that a trained model saved
// to a file is exactly the model that was trained, and the held-out check of --adapt.
#include "blend_model.h"
#include "cli_support.h"
#include "interp/core/model_loader.h"
#include "interp/io/image_file.h"
#include "interp/pipeline/held_out_check.h"
#include "interp/pipeline/training_run.h"
#include "interp/pipeline/training_samples.h"

#include <gtest/gtest.h>

namespace interp::test {
namespace {
using namespace interp::pipeline;

/// A 128x96 picture: a bright square at (x, 30) on a background of `shade`.
io::Image scene(int shade, int x) {
  io::Image image;
  image.allocate(128, 96, 3, 8);
  for (int row = 0; row < 96; ++row)
    for (int col = 0; col < 128; ++col)
      for (int c = 0; c < 3; ++c) {
        const bool square = row >= 30 && row < 60 && col >= x && col < x + 30;
        image.data[(row * 128 + col) * 3 + c] = static_cast<uint8_t>(square ? 250 : shade + c * 10);
      }
  return image;
}

/// Pictures 0000.png ... in `dir`, one per (shade, x).
JobInput pictures(const TempDir& dir, const std::vector<std::pair<int, int>>& frames) {
  JobInput input;
  input.name = dir.path().string();
  for (size_t i = 0; i < frames.size(); ++i) {
    char name[16];
    std::snprintf(name, sizeof(name), "%04zu.png", i);
    io::write_png(dir / name, scene(frames[i].first, frames[i].second));
    input.pictures.push_back(dir / name);
  }
  return input;
}

TEST(TrainingData, WindowsStayInOneShotMoveAndNeverReachTheHeldOutEnd) {
  TempDir dir;
  // Shot A moves 0..7, a cut, shot B moves 8..13, then B holds still 14..19.
  std::vector<std::pair<int, int>> frames;
  for (int i = 0; i < 8; ++i) frames.push_back({20, 4 * i});
  for (int i = 0; i < 6; ++i) frames.push_back({200, 90 - 4 * i});
  for (int i = 0; i < 6; ++i) frames.push_back({200, 70});
  TrainingDataOptions options;
  options.validation_share = 0.3;  // frames 14..19 held out
  options.max_span = 4;
  const TrainingData data({pictures(dir, frames)}, options);
  const auto& clip = data.clips().front();
  EXPECT_EQ(clip.cuts, 1);
  EXPECT_EQ(clip.held_out, (std::vector<std::pair<int64_t, int64_t>>{{14, 20}}));
  ASSERT_FALSE(data.training_windows().empty());
  for (const auto& w : data.training_windows()) {
    EXPECT_TRUE(w.first + w.span <= 7 || w.first >= 8) << w.first << "+" << w.span << " crosses the cut";
    EXPECT_LT(w.first + w.span, 14) << w.first << "+" << w.span << " reaches the held-out end";
    EXPECT_GE(w.span, 2);
    EXPECT_LE(w.span, options.max_span);
  }
  EXPECT_TRUE(data.validation_windows().empty());  // the held-out end does not move
  EXPECT_GT(clip.still_windows, 0);
}

TEST(TrainingData, SpreadHeldOutStretchesCoverTheClipAndNoTrainingWindowTouchesThem) {
  TempDir dir;
  std::vector<std::pair<int, int>> frames;
  for (int i = 0; i < 60; ++i) frames.push_back({30 + i, 2 * i});  // one moving shot
  TrainingDataOptions options;
  options.validation_share = 0.25;  // 15 frames: five stretches of 3
  options.held_out = HeldOut::kSpread;
  const TrainingData data({pictures(dir, frames)}, options);
  const auto& clip = data.clips().front();
  ASSERT_EQ(clip.held_out.size(), 5u);
  std::vector<bool> held(frames.size(), false);
  for (const auto& [first, end] : clip.held_out) {
    EXPECT_EQ(end - first, kValidationFrames);
    for (int64_t i = first; i < end; ++i) held[i] = true;
  }
  EXPECT_LT(clip.held_out.front().first, 15);  // near the start, the middle and the end
  EXPECT_LT(std::abs(clip.held_out[2].first + 1 - 30), 2);
  EXPECT_GT(clip.held_out.back().second, 45);
  for (const auto& w : data.training_windows())
    for (int64_t i = w.first; i <= w.first + w.span; ++i) EXPECT_FALSE(held[i]) << w.first << "+" << w.span;
  ASSERT_EQ(data.validation_windows().size(), 5u);  // a pair two frames apart in each stretch
  const ModelTraits neighbours{1, 1, false};
  for (const auto& w : data.validation_windows()) {
    EXPECT_EQ(w.span, 2);
    for (const auto i : data.window_frames(w, neighbours)) EXPECT_TRUE(held[i]) << "neighbour " << i << " of " << w.first;
  }
  for (const auto& w : data.training_windows())
    for (const auto i : data.window_frames(w, neighbours)) EXPECT_FALSE(held[i]) << "neighbour " << i << " of " << w.first;
}

TEST(TrainingData, NothingToLearnIsOneErrorBeforeTraining) {
  TempDir still_dir, cut_dir;
  std::vector<std::pair<int, int>> still(8, {100, 40}), cuts;
  for (int i = 0; i < 8; ++i) cuts.push_back({i % 2 ? 230 : 10, 40 + (i % 2) * 40});
  for (const auto& input : {pictures(still_dir, still), pictures(cut_dir, cuts)}) {
    try {
      TrainingData data({input}, {});
      FAIL() << "accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("no usable triplets"), std::string::npos) << e.what();
    }
  }
}

TEST(SampleDrawer, ARestoredStateDrawsWhatTheOriginalWould) {
  TempDir dir;
  std::vector<std::pair<int, int>> frames;
  for (int i = 0; i < 12; ++i) frames.push_back({30, 6 * i});
  const TrainingData data({pictures(dir, frames)}, {});
  SampleDrawer original(data, 64, 32, ModelTraits{}, 7);
  original.draw(2, torch::kCPU);
  const std::string state = original.state();
  const auto expected = original.draw(3, torch::kCPU);
  SampleDrawer resumed(data, 64, 32, ModelTraits{}, 99);
  resumed.restore(state);
  const auto got = resumed.draw(3, torch::kCPU);
  EXPECT_TRUE(torch::equal(got.frames.left(), expected.frames.left()));
  EXPECT_TRUE(torch::equal(got.gt, expected.gt));
  EXPECT_TRUE(torch::equal(got.t, expected.t));
  EXPECT_EQ(got.frames.left().sizes(), (std::vector<int64_t>{3, 3, 64, 64}));
  EXPECT_TRUE(((got.t > 0) & (got.t < 1)).all().item<bool>());
  EXPECT_THROW(SampleDrawer(data, 64, 32, ModelTraits{}, 1).restore("not a state"), Error);
}

TEST(TrainingRun, TheSavedFileIsExactlyTheTrainedModel) {
  INTERP_REQUIRE_SHARED(path, "golden/rife_v4.6_random.pkl");
  TempDir dir;
  std::vector<std::pair<int, int>> frames;
  for (int i = 0; i < 12; ++i) frames.push_back({30, 6 * i});
  const TrainingData data({pictures(dir, frames)}, {});
  const ModelWeights base = read_model_weights(path);
  TrainingRunOptions options;
  options.steps = 2;
  options.batch = 2;
  options.crop = 64;
  const auto result = run_training(base, data, options);
  EXPECT_EQ(result.steps, 2);
  EXPECT_FALSE(result.interrupted);
  EXPECT_GT(result.validation_psnr_before, 0);  // validated before and after, as asked by default
  EXPECT_GT(result.validation_psnr_after, 0);
  EXPECT_FALSE(torch::equal(result.weights.tensors.at("block0.conv0.0.0.weight"),
                            base.tensors.at("block0.conv0.0.0.weight")));  // it learned something

  write_model_file(dir / "trained.safetensors", result.weights, "test");
  const ModelWeights saved = read_model_weights(dir / "trained.safetensors");
  ASSERT_EQ(saved.tensors.size(), result.weights.tensors.size());
  for (const auto& [name, tensor] : result.weights.tensors)
    EXPECT_TRUE(torch::equal(saved.tensors.at(name), tensor)) << name;

  const auto a = torch::rand({1, 3, 64, 96}), b = torch::rand({1, 3, 64, 96});
  const auto in_memory = load_model(result.weights, {}, "trained")->interpolate(a, b, {0.5});
  const auto from_file = load_model(saved, {}, "file")->interpolate(a, b, {0.5});
  EXPECT_TRUE(torch::equal(in_memory, from_file));
}

TEST(TrainingRun, ValidationSpendsAtMostItsShareOfATimedRunAndNoneWhenNotAsked) {
  TrainingRunOptions options;  // 4 validations during the run, at most 5% of its time
  options.seconds = 240;
  EXPECT_EQ(validations_that_fit(options, 7.5), 1);   // 4 minutes: 4 x 7.5 s would be 13% of it
  EXPECT_EQ(validations_that_fit(options, 13.0), 0);  // not even one fits
  EXPECT_EQ(validations_that_fit(options, 0), 4);     // not yet timed (a resumed run): all asked
  options.seconds = 1800;
  EXPECT_EQ(validations_that_fit(options, 7.5), 4);  // half an hour: all 4 fit
  options.seconds = 0;
  options.steps = 1000;
  EXPECT_EQ(validations_that_fit(options, 60), 4);  // a run limited by steps has no time to protect
  options.validate = false;
  EXPECT_EQ(validations_that_fit(options, 7.5), 0);

  // --adapt's runs: no validation at all, though the data holds validation windows.
  INTERP_REQUIRE_SHARED(path, "golden/rife_v4.6_random.pkl");
  TempDir dir;
  std::vector<std::pair<int, int>> frames;
  for (int i = 0; i < 12; ++i) frames.push_back({30, 6 * i});
  const TrainingData data({pictures(dir, frames)}, {});
  ASSERT_FALSE(data.validation_windows().empty());
  options.steps = 3;
  options.batch = 1;
  options.crop = 64;
  int progress_with_validation = 0;
  options.on_progress = [&](const TrainingProgress& p) { progress_with_validation += p.validation_psnr != 0; };
  const auto result = run_training(read_model_weights(path), data, options);
  EXPECT_EQ(result.steps, 3);
  EXPECT_EQ(result.validation_psnr_before, 0);
  EXPECT_EQ(result.validation_psnr_after, 0);
  EXPECT_EQ(progress_with_validation, 0);
}

TEST(HeldOutCheck, ErrorsAreThoseOfTheWrittenFramesOnEvenlySpacedHeldOutPairs) {
  TempDir dir;
  std::vector<std::pair<int, int>> frames;
  for (int i = 0; i < 100; ++i) frames.push_back({30 + i, i});  // one moving shot
  TrainingDataOptions options;
  options.validation_share = 0.6;  // 8 stretches of 7 frames: 5 pairs each
  options.held_out = HeldOut::kSpread;
  const TrainingData data({pictures(dir, frames)}, options);
  const auto& held_out = data.held_out_windows();
  ASSERT_GT(held_out.size(), kHeldOutCheckPairs);
  BlendModel blend(torch::kCPU, {1, 1, false});  // reads a neighbour each side, uses none
  const auto errors = held_out_errors(blend, data);
  ASSERT_EQ(errors.size(), kHeldOutCheckPairs);
  for (size_t i = 0; i < errors.size(); ++i) {
    const auto& w = held_out[i * held_out.size() / errors.size()];
    const auto& f = data.clips()[w.clip].frames;
    // The blend in 8-bit levels as the job writes it, against the held-out middle frame.
    const auto written = ((f[w.first].to(torch::kFloat32) + f[w.first + 2].to(torch::kFloat32)) / 2).round();
    const double expected = (written - f[w.first + 1].to(torch::kFloat32)).pow(2).mean().item<double>();
    // A level's tie (x.5) may round either way after the model's float path: a few pixels.
    EXPECT_NEAR(errors[i], expected, 0.01) << "pair " << i << " at frame " << w.first;
  }
}

TEST(HeldOutCheck, AdaptedWeightsWinOnlyWhenTheHeldOutGainIsSure) {
  const std::vector<double> before{100, 100, 100, 100};
  // Every pair gains about 0.45 dB.
  const auto even = compare_held_out(before, {90, 91, 89, 90});
  EXPECT_TRUE(even.better) << even.summary();
  EXPECT_NEAR(even.psnr_after - even.psnr_before, 10 * std::log10(100 / 90.0), 1e-9);
  // One pair gains 10 dB, the others lose a little: better as a whole, but by chance.
  const auto lucky = compare_held_out(before, {10, 105, 105, 105});
  EXPECT_GT(lucky.psnr_after, lucky.psnr_before);
  EXPECT_FALSE(lucky.better) << lucky.summary();
  // Easy pairs gain 3 dB each, the hard one loses 0.4: the clip's PSNR would fall.
  const auto easy = compare_held_out({1000, 1, 1, 1, 1, 1, 1, 1}, {1100, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5});
  EXPECT_GT(easy.mean_gain, sure_gain(easy.pairs) * easy.standard_error);
  EXPECT_FALSE(easy.better) << easy.summary();
  EXPECT_FALSE(compare_held_out({100}, {10}).better);  // one pair cannot tell
  EXPECT_FALSE(compare_held_out({}, {}).better);
  EXPECT_THROW(compare_held_out({1, 2}, {1}), Error);
}

TEST(HeldOutCheck, FewPairsMustGainByMoreOfTheirStandardErrors) {
  // Three pairs gaining about +1.0, +0.2 and +0.6 dB: 2.6 standard errors, which a fixed
  // 2 took as sure; with 2 degrees of freedom Student's t asks for 4.30.
  const std::vector<double> before{100, 100, 100};
  const auto gaining = [](double db) { return 100 / std::pow(10, db / 10); };  // an error of 100 gaining `db`
  const auto three = compare_held_out(before, {gaining(1.0), gaining(0.2), gaining(0.6)});
  EXPECT_NEAR(three.mean_gain, 0.6, 1e-9);
  EXPECT_NEAR(three.mean_gain / three.standard_error, 2.6, 0.01);
  EXPECT_FALSE(three.better) << three.summary();
  // The same gains spread over 30 pairs are sure.
  std::vector<double> before30(30, 100), after30;
  for (int i = 0; i < 10; ++i)
    for (const double db : {1.0, 0.2, 0.6}) after30.push_back(gaining(db));
  const auto thirty = compare_held_out(before30, after30);
  EXPECT_TRUE(thirty.better) << thirty.summary();
  // The factor falls from 12.7 (2 pairs) towards the normal's 1.96, never below it.
  EXPECT_NEAR(sure_gain(2), 12.706, 1e-3);
  EXPECT_NEAR(sure_gain(4), 3.182, 1e-3);
  EXPECT_NEAR(sure_gain(31), 2.042, 1e-3);
  EXPECT_NEAR(sure_gain(33), 2.037, 2e-3);  // t(0.975, 32)
  EXPECT_NEAR(sure_gain(61), 2.000, 2e-3);  // t(0.975, 60)
  for (size_t n = 3; n < 200; ++n) {
    EXPECT_LT(sure_gain(n), sure_gain(n - 1)) << n;
    EXPECT_GT(sure_gain(n), 1.96) << n;
  }
  EXPECT_TRUE(std::isinf(sure_gain(1)));
}

}  // namespace
}  // namespace interp::test
