/// fp16 and bf16 on the device the parity tests run on (the CPU here; scripts/gpu_check.sh
/// sets INTERP_TEST_DEVICE=cuda, where fp16 is offered): every family's frame in reduced
/// precision stays within a stated tolerance of its fp32 frame (which the parity tests
/// hold to the references), and trained weights score within 0.05 dB of fp32 (PSNR
/// against the real middle frame of triplets). Why a test of its own: the parity tests
/// compare fp32 against fp32 references at 1e-4, which neither format can meet. LibTorch
/// runs both on any CPU (slowly without the instructions), so every family's reduced
/// path is exercised on every machine.
#include "interp/core/model_loader.h"
#include "temp_dir.h"
#include "test_support.h"
#include "triplets.h"

#include <cmath>
#include <cstdio>

namespace interp::test {
namespace {

namespace fs = std::filesystem;

constexpr double kMeanTolerance = 2e-3;  ///< mean |fp16 - fp32| per frame, in [0,1] units
constexpr double kBf16MeanTolerance = 1e-3;  ///< mean |bf16 - fp32| (measured up to 3.5e-4: refine)
constexpr double kPsnrTolerance = 0.05;  ///< dB, trained weights against the real frame

struct Case {
  std::string model;  ///< a name or a file
  Quality quality;
  bool trained;
};

/// Runs every case in fp32 and in `precision` on every triplet: the mean difference stays
/// under `mean_tolerance`, and trained weights score within kPsnrTolerance of fp32.
void compare_with_fp32(Precision precision, const std::vector<Case>& cases, double mean_tolerance) {
  const torch::Device device = test_device();
  const auto triplets = load_triplets();
  if (triplets.empty()) {
    if (running_in_ci() || std::getenv("INTERP_TEST_TRIPLETS")) FAIL() << "no triplets (INTERP_TEST_TRIPLETS, or ffmpeg and ../shared)";
    GTEST_SKIP() << "no triplets: ../shared's clip or ffmpeg missing";
  }
  const std::string tag = precision == Precision::kFp16 ? "HALF" : "BF16";
  for (const auto& c : cases) {
    ModelOptions options;
    options.model = c.model;
    options.placement.device = device;
    options.quality = c.quality;
    auto full = load_model(options);
    // fp16 through the stored dtype: the CPU runs it too (slowly), which --precision refuses.
    if (precision == Precision::kFp16) options.placement.dtype = torch::kFloat16;
    options.placement.precision = precision == Precision::kFp16 ? Precision::kFp32 : precision;
    auto reduced = load_model(options);
    for (const auto& t : triplets) {
      const auto a = full->interpolate(t.before, t.after, {0.5}).to(torch::kFloat32);
      const auto b = reduced->interpolate(t.before, t.after, {0.5}).to(torch::kFloat32);
      const double mean = (a - b).abs().mean().cpu().item<double>();
      const double p32 = psnr(a, t.middle), p_reduced = psnr(b, t.middle);
      // One line per case for the report (gpu_check.sh collects them).
      std::printf("%s|%s|%s|%s|%.2e|%.2e|%.3f|%.3f\n", tag.c_str(), fs::path(c.model).filename().c_str(),
                  quality_name(c.quality), t.name.c_str(), mean, max_abs_diff(a, b), p32, p_reduced);
      EXPECT_LE(mean, mean_tolerance) << c.model << " " << quality_name(c.quality) << " " << t.name;
      if (c.trained) EXPECT_LE(std::abs(p_reduced - p32), kPsnrTolerance) << c.model << " " << t.name;
    }
  }
}

std::vector<Case> rife_cases() {
  std::vector<Case> cases;
  for (Quality q : {Quality::kFast, Quality::kRefine, Quality::kEnsemble, Quality::kBest})
    cases.push_back({"rife-v3.9", q, true});
  for (const char* file : {"golden/rife_v4.6_random.pkl", "golden/rife_v4.25_random.pkl"})
    if (!shared_file(file).empty()) cases.push_back({shared_file(file), Quality::kFast, false});
  return cases;
}

TEST(HalfPrecision, EachFamilyStaysCloseToFp32AndTheTrainedOneScoresAlike) {
  auto cases = rife_cases();
  // Not FILM's random golden weights: their activations overflow fp16's range (NaN on
  // the CPU), which says nothing of trained FILM files (none reachable here).
  cases.push_back({std::string(INTERP_TEST_DATA_DIR) + "/upr_base_random.pkl", Quality::kFast, false});
  compare_with_fp32(Precision::kFp16, cases, kMeanTolerance);
}

/// bf16 convolutions (--precision bf16) of every family and RIFE mode: the CPU computes
/// them with or without the instructions, so this runs on every machine.
TEST(Bf16Precision, EachFamilyStaysCloseToFp32AndTrainedOnesScoreAlike) {
  auto cases = rife_cases();
  cases.push_back({std::string(INTERP_TEST_DATA_DIR) + "/upr_base_random.pkl", Quality::kFast, false});
  if (!shared_file("golden/film_small_random.pt").empty())
    cases.push_back({shared_file("golden/film_small_random.pt"), Quality::kFast, false});
  cases.push_back({"convlstm", Quality::kFast, true});
  compare_with_fp32(Precision::kBf16, cases, kBf16MeanTolerance);
}

}  // namespace
}  // namespace interp::test
