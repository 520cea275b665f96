/// The warps' average where they differ by grain alone (rife/noise_average.h): a grainy
/// pair is averaged except where its warps differ by more than grain (an occlusion),
/// clean footage is left as the model made it, and padding does not dilute the grain's
/// level; with the trained model, a panned picture with its own grain in each frame comes
/// out nearer the picture without grain than the network's frame does.
#include "interp/core/model_loader.h"
#include "interp/core/rife/noise_average.h"
#include "test_support.h"

#include <cstdio>

namespace interp::test {
namespace {

torch::Tensor picture(int64_t h, int64_t w) {  // smooth structure, as footage has
  return torch::upsample_bicubic2d(torch::rand({1, 3, h / 8, w / 8}), {h, w}, false).clamp(0.1, 0.9);
}

rife::RefineInputs state_of(const torch::Tensor& w0, const torch::Tensor& w1) {
  return {w0, w1, w0, w1, torch::zeros_like(w0.slice(1, 0, 1)), torch::zeros({w0.size(0), 4, w0.size(2), w0.size(3)})};
}

TEST(NoiseAverage, GrainIsAveragedAndStructureKept) {
  torch::manual_seed(3);
  const auto still = picture(96, 128);
  const auto grain = [&] { return still + 0.03 * torch::randn_like(still); };
  // Grain alone: averaged nearly everywhere.
  const auto grainy = state_of(grain(), grain());
  EXPECT_GE(rife::noise_weight(grainy).mean().item<double>(), 0.9);
  // An occlusion in one warp: that spot keeps the model's frame.
  auto occluded = grainy;
  occluded.warped1 = occluded.warped1.clone();
  occluded.warped1.slice(2, 32, 64).slice(3, 48, 80) += 0.3;
  EXPECT_LE(rife::noise_weight(occluded).slice(2, 40, 56).slice(3, 56, 72).max().item<double>(), 0.0);
  EXPECT_GE(rife::noise_weight(occluded).slice(2, 0, 24).mean().item<double>(), 0.9);
  // Clean footage (warps differing by a structure, no grain): the model's frame everywhere.
  const auto clean = state_of(still, still + 0.02 * picture(96, 128));
  EXPECT_LE(rife::noise_weight(clean).max().item<double>(), 0.0);
  // The frame moves toward the average at t by the weight.
  const auto t = torch::full({1, 1, 1, 1}, 0.25);
  const auto frame = torch::zeros_like(still);
  const auto weight = rife::noise_weight(grainy);
  const auto moved = rife::average_warps(frame, grainy, t, weight);
  EXPECT_LE(max_abs_diff(moved, (grainy.warped0 * 0.75 + grainy.warped1 * 0.25) * weight), 1e-6);
}

TEST(NoiseAverage, PaddingDoesNotDiluteTheGrainsLevel) {
  torch::manual_seed(4);
  const auto still = picture(64, 96);
  const auto a = still + 0.02 * torch::randn_like(still), b = still + 0.02 * torch::randn_like(still);
  const auto unpadded = rife::noise_weight(state_of(a, b));
  // Padded to 128x128 with zeros in both (what the network's multiple adds): counted,
  // the zeros would pull the median, and so the level, toward none.
  const auto pad = [](const torch::Tensor& x) { return torch::constant_pad_nd(x, {0, 32, 0, 64}); };
  const auto padded = rife::noise_weight(state_of(pad(a), pad(b)), PictureSize{96, 64});
  const auto inside = padded.slice(2, 0, 56).slice(3, 0, 88);
  EXPECT_LE(max_abs_diff(inside, unpadded.slice(2, 0, 56).slice(3, 0, 88)), 0.05);
  EXPECT_LE(rife::noise_weight(state_of(pad(a), pad(b))).slice(2, 0, 56).slice(3, 0, 88).mean().item<double>(),
            inside.mean().item<double>() - 0.3);
}

TEST(NoiseAverage, AGrainyPanComesOutNearerTheTruth) {
  INTERP_REQUIRE_MODEL(path, "rife-v3.9");
  const auto [with, without] = with_and_without_fallback(path);  // fp32
  torch::manual_seed(12);
  // A picture panned 4 px, its own grain in each frame; the truth is the picture 2 px on.
  const auto canvas = picture(96, 136);
  const auto at = [&](int64_t x) { return canvas.slice(3, x, x + 128); };
  const auto grain = [&](const torch::Tensor& x) {
    return (x + 0.04 * torch::randn_like(x)).clamp(0, 1).to(test_device());
  };
  const auto a = grain(at(0)), b = grain(at(4));
  const auto error = [&](const torch::Tensor& frame) {
    return (frame.cpu() - at(2)).slice(3, 8, -8).pow(2).mean().item<double>();
  };
  const double on = error(with->interpolate(a, b, {0.5})), off = error(without->interpolate(a, b, {0.5}));
  std::printf("panned picture, grain 0.04: squared error %.2e with the rules, %.2e without\n", on, off);
  EXPECT_LT(on, 0.9 * off);
}

}  // namespace
}  // namespace interp::test
