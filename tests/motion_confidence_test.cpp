/// The fallback toward the blend (rife/motion_confidence.h): the weight follows how
/// much the warped frames still differ against the inputs; a pair whose motion cannot
/// be followed (independent noise) comes out closer to its blend than the network's
/// frame, and a clean moving pair of real frames comes out as the network made it; a
/// pair doubtful on the whole runs again as an ensemble.
#include "interp/core/model_loader.h"
#include "interp/core/model_timing.h"
#include "interp/core/rife/motion_confidence.h"
#include "test_support.h"
#include "triplets.h"

#include <cstdio>

namespace interp::test {
namespace {

rife::RefineInputs state_of(const torch::Tensor& a, const torch::Tensor& b, const torch::Tensor& w0,
                            const torch::Tensor& w1) {
  return {a, b, w0, w1, torch::zeros_like(a.slice(1, 0, 1)), torch::zeros({a.size(0), 4, a.size(2), a.size(3)})};
}

TEST(MotionConfidence, BlendWeightFollowsHowMuchTheWarpsStillDiffer) {
  torch::manual_seed(7);
  const auto a = torch::rand({1, 3, 32, 48}), b = torch::rand({1, 3, 32, 48});
  // Warps that agree: the flow explained the pair.
  EXPECT_LE(rife::blend_weight(state_of(a, b, a, a)).max().item<double>(), 0.0);
  // Warps as different as the inputs: it explained nothing (the floor keeps it just
  // under 1 where the inputs differ by 0.3 on average).
  EXPECT_GE(rife::blend_weight(state_of(a, b, a, b)).min().item<double>(), 0.98);
  // Warps that differ where the merge mask took one side (an occlusion): the model's.
  auto occluded = state_of(a, b, a, b);
  occluded.mask = torch::full_like(occluded.mask, 12.0);
  EXPECT_LE(rife::blend_weight(occluded).max().item<double>(), 0.0);
  // A still pair (equal inputs and warps): the model's pixels.
  EXPECT_LE(rife::blend_weight(state_of(a, a, a, a)).max().item<double>(), 0.0);
  // Three quarters of the inputs' difference left: halfway between 0.5 and 1.
  const auto partly = a + (b - a) * 0.75;
  const auto weight = rife::blend_weight(state_of(a, b, a, partly));
  EXPECT_NEAR(weight.mean().item<double>(), 0.5, 0.02);
  // The frame moves toward the blend at t by that weight, pixel by pixel.
  const auto t = torch::full({1, 1, 1, 1}, 0.25);
  const auto frame = torch::zeros_like(a);
  const auto state = state_of(a, b, a, b);
  const auto moved = rife::fall_back_to_blend(frame, state, t, rife::blend_weight(state));
  EXPECT_LE(max_abs_diff(moved, (a * 0.75 + b * 0.25) * rife::blend_weight(state)), 1e-6);
}

double mean_abs(const torch::Tensor& x) { return x.abs().mean().item<double>(); }

TEST(MotionConfidence, IndependentNoiseGivesWayToTheBlend) {
  INTERP_REQUIRE_MODEL(path, "rife-v3.9");
  auto [with, without] = with_and_without_fallback(path);
  torch::manual_seed(11);
  // Smooth random blobs: structure a flow can lock on to, none of it shared.
  const auto noise = [] {
    return torch::upsample_bicubic2d(torch::rand({1, 3, 24, 32}), {96, 128}, false).clamp(0, 1).to(test_device());
  };
  const auto a = noise(), b = noise();
  const auto blend = ((a + b) / 2).cpu();
  const double off = mean_abs(without->interpolate(a, b, {0.5}).cpu() - blend);
  const double on = mean_abs(with->interpolate(a, b, {0.5}).cpu() - blend);
  std::printf("independent noise: mean distance to the blend %.4f without the fallback, %.4f with\n", off, on);
  EXPECT_LT(on, 0.75 * off);  // measured 0.26x (0.50x before the ensemble rerun): the mask takes a side here and there
}

TEST(MotionConfidence, ACleanMovingPairComesOutAsTheNetworkMadeIt) {
  INTERP_REQUIRE_MODEL(path, "rife-v3.9");
  auto [with, without] = with_and_without_fallback(path);
  {  // A textured picture moved 4 pixels: the warps agree, nothing changes but the columns
     // that only one input shows (picture_edges_test.cpp; 128x128 needs no padding).
    torch::manual_seed(5);
    const auto canvas = torch::upsample_bicubic2d(torch::rand({1, 3, 32, 36}), {128, 144}, false).clamp(0, 1);
    const auto a = canvas.slice(3, 0, 128).to(test_device()), b = canvas.slice(3, 4, 132).to(test_device());
    const auto on = with->interpolate(a, b, {0.5}).cpu(), off = without->interpolate(a, b, {0.5}).cpu();
    const auto inside = [](const torch::Tensor& x) { return x.slice(3, 4, -4); };
    const double largest = max_abs_diff(inside(on), inside(off));
    std::printf("texture moved 4 px: with - without the fallback: largest %.2e\n", largest);
    EXPECT_LE(largest, 1.0 / 255);
  }
  // Real frames (grass and a rabbit moving): within a level on average, and no worse
  // against the true middle frame.
  const auto triplets = load_triplets();
  ASSERT_FALSE(triplets.empty()) << "no triplet (ffmpeg and ../shared/clips needed)";
  for (const auto& t : triplets) {
    const auto a = t.before.to(test_device()), b = t.after.to(test_device());
    const auto on = with->interpolate(a, b, {0.5}).cpu(), off = without->interpolate(a, b, {0.5}).cpu();
    const double mean = mean_abs(on - off), largest = max_abs_diff(on, off);
    std::printf("%s: with - without the fallback: mean %.2e, largest %.2e; PSNR %.3f with, %.3f without\n",
                t.name.c_str(), mean, largest, psnr(on, t.middle), psnr(off, t.middle));
    EXPECT_LE(mean, 1.0 / 255) << t.name;
    EXPECT_GE(psnr(on, t.middle), psnr(off, t.middle) - 0.05) << t.name;
  }
}

TEST(MotionConfidence, APairIsDoubtfulWhenItsMeanWeightIsAboveTheRule) {
  const auto weights = torch::stack({torch::full({1, 4, 6}, 0.2), torch::full({1, 4, 6}, 0.4)});
  const auto doubtful = rife::doubtful(weights);
  EXPECT_FALSE(doubtful[0].item<bool>());
  EXPECT_TRUE(doubtful[1].item<bool>());
  // Padded to 8x8 with trusted zeros, the second is still doubtful over its picture:
  // over all of the padded frame it would not be (0.4 * 24 / 64 = 0.15).
  const auto padded = torch::constant_pad_nd(weights, {0, 2, 0, 4});
  EXPECT_FALSE(rife::doubtful(padded)[1].item<bool>());
  EXPECT_TRUE(rife::doubtful(padded, PictureSize{6, 4})[1].item<bool>());
}

/// The default (refine, fallback on) runs a doubtful pair again as an ensemble, and
/// only that pair: independent noise comes out as `best` makes it; a clean moving
/// picture does not, and a batch of both gives each pair what it gives alone.
TEST(MotionConfidence, ADoubtfulPairRunsAgainAsAnEnsemble) {
  INTERP_REQUIRE_MODEL(path, "rife-v3.9");
  ModelOptions options;
  options.model = path;
  options.placement.device = test_device();
  options.placement.dtype = torch::kFloat32;
  options.quality = Quality::kRefine;
  const auto refine = load_model(options);
  options.quality = Quality::kBest;
  const auto best = load_model(options);
  torch::manual_seed(11);
  const auto noise = [] {
    return torch::upsample_bicubic2d(torch::rand({1, 3, 24, 32}), {96, 128}, false).clamp(0, 1).to(test_device());
  };
  const auto a = noise(), b = noise();
  const auto canvas = torch::upsample_bicubic2d(torch::rand({1, 3, 24, 36}), {96, 144}, false).clamp(0, 1);
  const auto c = canvas.slice(3, 0, 128).to(test_device()), d = canvas.slice(3, 4, 132).to(test_device());

  const auto doubtful = refine->interpolate(a, b, {0.5}).cpu();
  EXPECT_LE(max_abs_diff(doubtful, best->interpolate(a, b, {0.5}).cpu()), 1e-5);
  const auto clean = refine->interpolate(c, d, {0.5}).cpu();
  const double apart = max_abs_diff(clean, best->interpolate(c, d, {0.5}).cpu());
  std::printf("texture moved 4 px: refine - best: largest %.2e\n", apart);
  EXPECT_GT(apart, 1e-3);  // it kept refine's single pass

  // A batch that mixes them: the doubtful pair runs again, the others go on, each row in
  // its place.
  const auto mixed = refine->interpolate(torch::cat({c, a, c}), torch::cat({d, b, d}), {0.5, 0.5, 0.5}).cpu();
  EXPECT_LE(max_abs_diff(mixed, torch::cat({clean, doubtful, clean})), 1e-5);

  // The benchmarks' pair (model_timing.h) is a picture in motion: the same picture moved
  // 2 px, which refine runs once, as it runs a video's frames.
  const auto [e, f] = moving_pair(1, 128, 96, torch::TensorOptions().device(test_device()));
  EXPECT_TRUE(torch::equal(e.slice(3, 2), f.slice(3, 0, 126)));
  EXPECT_GT(max_abs_diff(refine->interpolate(e, f, {0.5}).cpu(), best->interpolate(e, f, {0.5}).cpu()), 1e-3);

  // The job's log line counts each pair once.
  EXPECT_EQ(choices_since({}, refine->choices()),
            "2 of 6 pairs were doubtful and ran again as an ensemble (the fallback's second opinion)");
  EXPECT_EQ(choices_since({}, best->choices()), "");
}

}  // namespace
}  // namespace interp::test
