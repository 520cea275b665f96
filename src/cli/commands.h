#pragma once
/// The interp subcommands, each taking already-parsed settings. They throw
/// interp::Error for anything the user can fix; main() prints it as one line.
#include "interp/io/video_writer.h"
#include "interp/model_loader.h"
#include "interp/pipeline/pair_interpolator.h"

#include <atomic>
#include <string>

namespace interp::cli {

struct CommonSettings {
  ModelOptions model;
  std::string device = "auto";
  bool fp16 = false;
  int threads = 0;
  int batch = 1;
  bool overwrite = false;
  bool quiet = false;
  int exp = 0;
  int multi = 0;
  std::string fps;
  double timestep = -1;  ///< pair: single frame at this t
  double scene_threshold = pipeline::kDefaultSceneThreshold;
  io::EncoderOptions encoder;
};

/// Sets the device/dtype/threads and loads the model.
std::unique_ptr<FrameInterpolator> prepare_model(CommonSettings& settings);

int run_video(CommonSettings& settings, const std::string& input, const std::string& output,
              const std::atomic<bool>& cancel);
int run_pair(CommonSettings& settings, const std::string& a, const std::string& b, const std::string& output,
             const std::atomic<bool>& cancel);
int run_folder(CommonSettings& settings, const std::string& input, const std::string& output,
               const std::atomic<bool>& cancel);
/// `source` is recorded in the file's metadata (interp.source); empty: the input's name.
int run_convert(const CommonSettings& settings, const std::string& input, const std::string& output,
                const std::string& source);

}  // namespace interp::cli
