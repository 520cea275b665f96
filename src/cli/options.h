#pragma once
/// Option groups that several commands share, each registered by one function on any
/// CLI11 (sub)command, and the conversions from parsed flags to what the lower layers
/// take. Only the CLI knows flag names: every message that names one comes from here,
/// from CLI11's validators, or from a command file.
#include "interp/core/model_loader.h"
#include "interp/io/video_writer.h"
#include "interp/pipeline/job.h"
#include "interp/pipeline/pair_interpolator.h"
#include "interp/pipeline/timeline.h"

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

namespace interp::cli {

/// The --help group of every option that names a file interp writes: each goes through
/// the one output gate (io/output_file.h), and the suite's gate test finds them here.
/// CLI11 lists positionals apart from their group: a positional output is named OUT or
/// OUTPUT (or ends in it: pair's "A B [C D] OUT").
inline constexpr const char* kOutputGroup = "Outputs (never an input; an existing one is kept unless -y)";

/// --model, --variant, --models-dir, --device, --quality, --precision (--fp16), --scale,
/// --fallback, --cuda-graphs, --batch, --threads.
struct ModelSettings {
  ModelOptions model;
  std::string quality;  ///< empty: ModelOptions' default (fast)
  std::string device = "auto";
  std::string precision = "auto";
  bool fp16 = false;  ///< --precision fp16's older spelling
  std::string fallback = "on";
  std::string cuda_graphs = "off";
  int threads = 0;
  int batch = 1;
};
void add_model_options(CLI::App& command, ModelSettings& settings);
/// --model, --variant, --models-dir, --device, --threads: which model runs where (train).
void add_model_choice_options(CLI::App& command, ModelSettings& settings);
/// --precision (auto, fp32, bf16, fp16).
void add_precision_option(CLI::App& command, ModelSettings& settings);
/// --variant alone (convert takes it without the rest).
void add_variant_option(CLI::App& command, std::string& variant);
/// Sets threads and turns the flags into ModelOptions (device parsed, with the CPU
/// fallback warning; precision; quality).
ModelOptions model_options(const ModelSettings& settings);
/// model_options(), then loads the model: the named one, or `weights` (already in memory).
std::unique_ptr<FrameInterpolator> load_model(const ModelSettings& settings, const ModelWeights* weights = nullptr);
/// The same from options model_options() already made (a command that needs them before
/// loading, as --adapt does, sets threads and says the device's warning once).
std::unique_ptr<FrameInterpolator> load_model_with(ModelOptions options, const ModelWeights* weights);
/// What changes the model's frames beyond its name: the weight file's content and the
/// flow scale (for pipeline::JobOptions::model_settings).
std::string model_settings(const ModelSettings& settings);

/// The one check of every numeric option: a plain decimal number (no NaN, no infinity,
/// nothing after it) within [low, high], refused at parse time in one line naming the
/// option. CLI11's own Range lets NaN through (every comparison with it is false), and
/// its unsigned conversion wraps "-1".
CLI::Validator within(double low, double high);
CLI::Validator within(int64_t low, int64_t high);
CLI::Validator within(uint64_t low, uint64_t high);
inline CLI::Validator within(int low, int high) { return within(int64_t{low}, int64_t{high}); }

/// --exp, --multi and (for videos) --fps: at most one; none means --exp=1.
struct RateSettings {
  int exp = 0;
  int multi = 0;
  std::string fps;
  /// The rate asked for (2x when nothing was).
  pipeline::RateRequest request() const;
  /// In-betweens by recursive midpoints: what --exp means.
  bool recursive() const { return exp != 0; }
};
void add_rate_options(CLI::App& command, RateSettings& settings, bool with_fps);

/// Accepts what pipeline::parse_rate() does (60, 59.94, 60000/1001).
CLI::Validator rate_validator();

/// "A:B" (input frames A..B-1) or "A:" (A to the end) -> a frame range. Throws
/// interp::Error on anything else (B must be above A).
pipeline::FrameRange parse_range(const std::string& text);
CLI::Validator range_validator();

/// --codec, --crf, --preset, --pix-fmt.
void add_encoder_options(CLI::App& command, io::EncoderOptions& encoder);

/// --scene-threshold and --static-threshold: the pairs not given to the model.
void add_skip_options(CLI::App& command, pipeline::SkipThresholds& skip);

/// --max-pixels (the largest frame or picture decoded) and --strict.
void add_decode_options(CLI::App& command, io::DecodeOptions& decode);

/// -y / -n: replace an existing output, or never (the default, said explicitly).
void add_overwrite_options(CLI::App& command, bool& overwrite);

}  // namespace interp::cli
