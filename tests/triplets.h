#pragma once
/// Real frame triplets for the tests that score frames against the true middle one
/// (reduced_precision_test, motion_confidence_test), and PSNR.
#include "temp_dir.h"
#include "test_support.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace interp::test {

struct Triplet {
  std::string name;
  torch::Tensor before, middle, after;  ///< 1x3xHxW float in [0,1], on the CPU
};

/// NAME_WxH_{0,1,2}.rgb (raw RGB24, made by `scripts/gpu_check.sh --prepare`) under $INTERP_TEST_TRIPLETS.
/// Without $INTERP_TEST_TRIPLETS: one small triplet cut from ../shared's clip with ffmpeg
/// (the CPU runs fp16 slowly).
inline std::string make_triplets() {
  static TempDir dir;
  const std::string clip = shared_file("clips/bigbuckbunny.mp4");
  if (clip.empty()) return "";
  for (int k = 0; k < 3; ++k) {
    const std::string cmd = "ffmpeg -v error -y -i '" + clip + "' -vf 'select=eq(n\\," + std::to_string(30 + k) +
                            "),crop=256:144:400:200' -frames:v 1 -f rawvideo -pix_fmt rgb24 '" +
                            (dir.path() / ("bbb_256x144_" + std::to_string(k) + ".rgb")).string() + "'";
    if (std::system(cmd.c_str()) != 0) return "";
  }
  return dir.path().string();
}

inline std::vector<Triplet> load_triplets() {
  std::vector<Triplet> out;
  const char* given = std::getenv("INTERP_TEST_TRIPLETS");
  const std::string dir = given && *given ? given : make_triplets();
  if (dir.empty() || !std::filesystem::is_directory(dir)) return out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string file = entry.path().filename().string();
    if (file.size() < 6 || file.substr(file.size() - 6) != "_0.rgb") continue;
    const std::string stem = file.substr(0, file.size() - 6);
    int w = 0, h = 0;
    if (std::sscanf(stem.substr(stem.rfind('_') + 1).c_str(), "%dx%d", &w, &h) != 2) continue;
    std::vector<torch::Tensor> frames;
    for (int k = 0; k < 3; ++k) {
      std::ifstream in(std::filesystem::path(dir) / (stem + "_" + std::to_string(k) + ".rgb"), std::ios::binary);
      std::vector<uint8_t> bytes(static_cast<size_t>(w) * h * 3);
      in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
      if (!in) break;
      frames.push_back(torch::from_blob(bytes.data(), {1, h, w, 3}, torch::kUInt8).permute({0, 3, 1, 2}).to(torch::kFloat32) / 255.0);
    }
    if (frames.size() == 3) out.push_back({stem, frames[0], frames[1], frames[2]});
  }
  return out;
}

inline double psnr(const torch::Tensor& a, const torch::Tensor& b) {
  const double mse = (a.detach().cpu().to(torch::kFloat64) - b.to(torch::kFloat64)).pow(2).mean().item<double>();
  return 10.0 * std::log10(1.0 / std::max(mse, 1e-12));
}

}  // namespace interp::test
