/// Shared option groups, validated by CLI11 where a validator can say it.
#include "options.h"

#include "interp/core/cpu_threads.h"
#include "interp/core/device.h"
#include "interp/core/graph_replay.h"
#include "interp/core/model_family.h"
#include "interp/base/error.h"
#include "interp/base/fingerprint.h"
#include "log.h"
#include "runtime_report.h"
#include "interp/pipeline/precision_verdicts.h"

#include <torch/torch.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace interp::cli {
namespace {

/// A CLI11 validator from a parser that throws interp::Error: its message, unprefixed.
template <class Parse>
CLI::Validator parses_as(const std::string& what, Parse parse) {
  return CLI::Validator(
      [parse](std::string& text) -> std::string {
        try {
          parse(text);
          return {};
        } catch (const Error& e) {
          return e.what();
        }
      },
      what);
}

/// auto, cpu, cuda or cuda:N (N < 1000).
const CLI::Validator kDevice(
    [](std::string& text) -> std::string {
      const bool indexed = text.rfind("cuda:", 0) == 0 && text.size() > 5 && text.size() < 9 &&
                           text.find_first_not_of("0123456789", 5) == std::string::npos;
      const bool ok = text == "auto" || text == "cpu" || text == "cuda" || indexed;
      return ok ? std::string() : "'" + text + "' is not cpu, cuda, cuda:N or auto";
    },
    "DEVICE");

/// The number `text` holds in full, or why not.
template <class T>
std::string parse_number(const std::string& text, T& value) {
  const char* end = text.data() + text.size();
  const auto [at, error] = std::from_chars(text.data(), end, value);
  if (error == std::errc::result_out_of_range) return "'" + text + "' is out of range";
  if (error != std::errc() || at != end) return "'" + text + "' is not a number";
  if constexpr (std::is_floating_point_v<T>)
    if (!std::isfinite(value)) return "'" + text + "' is not a finite number";
  return "";
}

template <class T>
CLI::Validator numeric_range(T low, T high) {
  std::ostringstream range;
  range << "[" << low << ", " << high << "]";
  const std::string bounds = range.str();
  return CLI::Validator(
      [low, high, bounds](std::string& text) -> std::string {
        T value{};
        if (auto why = parse_number(text, value); !why.empty()) return why;
        if (value < low || value > high) return "'" + text + "' is outside " + bounds;
        return "";
      },
      bounds);
}

}  // namespace

CLI::Validator within(double low, double high) { return numeric_range(low, high); }
CLI::Validator within(int64_t low, int64_t high) { return numeric_range(low, high); }
CLI::Validator within(uint64_t low, uint64_t high) { return numeric_range(low, high); }

CLI::Validator rate_validator() {
  return parses_as("RATE", [](const std::string& t) { pipeline::parse_rate(t); });
}

pipeline::FrameRange parse_range(const std::string& text) {
  const auto colon = text.find(':');
  const auto index = [&](const std::string& digits) {
    if (digits.empty() || digits.size() > 15 || digits.find_first_not_of("0123456789") != std::string::npos)
      throw Error("'" + text + "' is not a frame range (A:B, input frames A to B-1, or A: to the end)");
    return std::stoll(digits);
  };
  if (colon == std::string::npos) index("");  // throws
  pipeline::FrameRange range;
  range.first = index(text.substr(0, colon));
  if (colon + 1 < text.size()) range.end = index(text.substr(colon + 1));
  if (colon + 1 < text.size() && range.end <= range.first)
    throw Error("frame range " + text + " is empty (its end must be above its start)");
  return range;
}

CLI::Validator range_validator() {
  return parses_as("A:B", [](const std::string& t) { parse_range(t); });
}

void add_variant_option(CLI::App& command, std::string& variant) {
  command.add_option("--variant", variant, "architecture of a .pkl that is not recognised")
      ->check(CLI::IsMember(all_model_names()));
}

/// "0.25 0.5 1": how --help lists numbers.
std::string spaced(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

void add_precision_option(CLI::App& command, ModelSettings& s) {
  command.add_option("--precision", s.precision,
                     "auto (CPU: the faster of fp32 and bf16, timed once on this machine and kept in the cache folder, "
                     "INTERP_REMEASURE=1 times again; CUDA: fp16 where measured to keep the quality, else IEEE fp32), "
                     "fp32 (IEEE, also on CUDA), bf16 (convolutions only), fp16 (CUDA), tf32 (CUDA: TensorFloat-32 "
                     "convolutions and matmuls)")
      ->capture_default_str()
      ->check(CLI::IsMember(precision_names()));
}

void add_model_choice_options(CLI::App& command, ModelSettings& s) {
  std::string generic;  // "rife (best installed: rife-v4.6, ...)"
  for (const ModelFamily* family : model_families())
    if (const auto preferred = family->preferred_models(kDefaultRifeModel); !preferred.empty())
      generic = std::string(kDefaultRifeModel) + " (best installed: " + joined_names(preferred) + ")";
  command.add_option("--model", s.model.model,
                     generic + ", a model name (" + spaced(all_model_names()) + ") or a weight file")
      ->capture_default_str();
  add_variant_option(command, s.model.variant);
  command.add_option("--models-dir", s.model.models_dir, "folder of installed models (also $INTERP_MODELS_DIR)");
  command.add_option("--device", s.device, "cpu, cuda, cuda:N or auto")
      ->capture_default_str()
      ->check(kDevice);
  command.add_option("--threads", s.threads,
                     "CPU threads (0: OMP_NUM_THREADS if set, else the CPUs this job may use: its CPU set and quota)")
      ->capture_default_str()
      ->check(within(0, 1024));
}

void add_model_options(CLI::App& command, ModelSettings& s) {
  std::vector<std::string> scale_help;
  for (const ModelFamily* family : model_families()) scale_help.push_back(family->scale_help());
  add_model_choice_options(command, s);
  std::string quality_help;  // from the families that have modes
  for (const ModelFamily* family : model_families())
    if (const auto help = family->quality_help(); !help.empty()) quality_help += (quality_help.empty() ? "" : "; ") + help;
  command.add_option("--quality", s.quality, quality_help)->check(CLI::IsMember(quality_names()));
  add_precision_option(command, s);
  command.add_flag("--fp16", s.fp16, "the same as --precision fp16")->excludes("--precision");
  command.add_option("--scale", s.model.scale, "flow resolution: " + [&] {
    std::string text;
    for (const auto& line : scale_help) text += line + "; ";
    return text;
  }() + "0.5 for 4K")
      ->capture_default_str()
      ->check(CLI::IsMember(all_scales()));
  command.add_option("--fallback", s.fallback,
                     "on: where the model's two warped frames still differ as much as the frames themselves "
                     "(compression blocks, grain, foliage), its in-between gives way to the pair's plain blend, where "
                     "they differ by no more than the footage's grain it is their average, in refine a pair doubtful "
                     "on the whole runs again as an ensemble, and at the picture's edges the frame that still shows a "
                     "spot gives it (RIFE); off: the network's frame as published")
      ->capture_default_str()
      ->check(CLI::IsMember({"on", "off"}));
  command.add_option("--cuda-graphs", s.cuda_graphs,
                     "CUDA: each frame size's forward pass is recorded once as a CUDA graph and replayed, one launch "
                     "instead of hundreds per pair (not RIFE v3.9, which chooses its path per pair); off until measured faster")
      ->capture_default_str()
      ->check(CLI::IsMember({"on", "off"}));
  command.add_option("--batch", s.batch, "frames per forward pass, gathered across consecutive pairs")->capture_default_str()->check(within(1, 256));
}

ModelOptions model_options(const ModelSettings& s) {
  configure_cpu_threads(s.threads);
  if (const int cpus = available_cpus(); s.threads > cpus)
    log::warn("--threads " + std::to_string(s.threads) + ": this job may run on " + std::to_string(cpus) +
              " CPU(s); threads beyond them wait on each other");
  ModelOptions options = s.model;
  try {
    options.placement.device = parse_device(s.device);
  } catch (const Error& e) {
    const std::string fix = cuda_fix_hint();
    throw Error(std::string("--device ") + e.what() + (fix.empty() ? "" : "; " + fix));
  }
  if (s.device == "auto" && options.placement.device.is_cpu())
    if (const std::string warning = cpu_fallback_warning(); !warning.empty()) log::warn(warning);
  options.placement.precision = s.fp16 ? Precision::kFp16 : *precision_by_name(s.precision);
  check_placement(options.placement, s.fp16 ? "--fp16" : "--precision " + s.precision);  // before any decoding
  if (!s.quality.empty()) options.quality = *quality_by_name(s.quality);
  options.fallback = s.fallback != "off";
  options.cuda_graphs = s.cuda_graphs == "on";
  return options;
}

std::unique_ptr<FrameInterpolator> load_model(const ModelSettings& s, const ModelWeights* weights) {
  return load_model_with(model_options(s), weights);
}

std::unique_ptr<FrameInterpolator> load_model_with(ModelOptions options, const ModelWeights* weights) {
  // auto's measured speeds live in the user's cache; INTERP_REMEASURE=1 times them again.
  const char* remeasure = std::getenv("INTERP_REMEASURE");
  pipeline::VerdictFile verdicts(pipeline::VerdictFile::default_path(), remeasure && std::string(remeasure) == "1",
                                 [](const std::string& why) { log::warn(why); });
  options.verdicts = &verdicts;
  auto model = weights ? interp::load_model(*weights, options, "the adapted " + weights->variant)
                       : interp::load_model(options);
  const std::string mode = model->mode().empty() ? "" : " (" + model->mode() + ")";
  const PrecisionChoice precision = model->precision();
  apply_run_switches(precision.precision, options.placement.device, options.cudnn_benchmark);  // this run owns them
  const int threads = torch::get_num_threads();
  const std::string where = options.placement.device.is_cpu()
                                ? "cpu with " + std::to_string(threads) + (threads == 1 ? " thread" : " threads")
                                : options.placement.device.str();
  log::info("model " + model->name() + mode + " on " + where + " in " +
            precision_name(precision.precision) + " (" + precision.why + ")");
  if (options.cuda_graphs && !replay_counts(*model))
    log::warn("--cuda-graphs on: " + model->name() + " chooses its path per pair on the GPU, so it runs without them");
  return model;
}

std::string model_settings(const ModelSettings& s) {
  const std::string path = resolve_model_path(s.model);
  std::ostringstream text;
  text << std::filesystem::path(path).filename().string() << "#" << hash_file(path) << " scale " << s.model.scale
       << " fallback " << s.fallback;
  return text.str();
}

pipeline::RateRequest RateSettings::request() const {
  pipeline::RateRequest r;
  if (exp) r.factor = {int64_t{1} << exp, 1};
  if (multi) r.factor = {multi, 1};
  if (!fps.empty()) r.target_fps = pipeline::parse_rate(fps);
  return r;
}

void add_rate_options(CLI::App& command, RateSettings& s, bool with_fps) {
  auto* exp = command.add_option("--exp", s.exp, "2^N times the frame rate, by recursive midpoints (default: --exp=1)")
                  ->check(within(1, 6));
  auto* multi = command.add_option("--multi", s.multi, "M times the frame rate (direct timesteps with RIFE)")
                    ->check(within(2, static_cast<int>(pipeline::kMaxRateFactor)));
  exp->excludes(multi);
  if (with_fps) {
    auto* fps = command.add_option("--fps", s.fps, "target frame rate (60, 59.94, 60000/1001), at most 64x the input's")
                    ->check(rate_validator());
    fps->excludes(exp)->excludes(multi);
  }
}

void add_encoder_options(CLI::App& command, io::EncoderOptions& encoder) {
  command.add_option("--codec", encoder.codec,
                     "video encoder (default: libvpx-vp9 for .webm, raw frames for yuv4mpegpipe and standard output, "
                     "libx264 otherwise)");
  command.add_option("--crf", encoder.crf, "encoder quality, lower is better (-1: the encoder's default)")
      ->capture_default_str()
      ->check(within(-1, 63));
  command.add_option("--preset", encoder.preset, "encoder preset (default: veryfast for x264/x265)");
  command.add_option("--pix-fmt", encoder.pixel_format, "output pixel format (default: the input's)");
}

void add_skip_options(CLI::App& command, pipeline::SkipThresholds& skip) {
  command.add_option("--scene-threshold", skip.scene,
                     "luma difference (0-1) above which a pair whose brightness histogram also changed (by 5% of "
                     "its pixels) is a scene cut and is not blended; 0 disables")
      ->capture_default_str()
      ->check(within(0.0, 1.0));
  command.add_option("--static-threshold", skip.still,
                     "largest change (0-1, of the 16x16 block that changes most) for which a pair counts as still: "
                     "its in-betweens are copies and the model is not run; 0 disables")
      ->capture_default_str()
      ->check(within(0.0, 1.0));
}

void add_decode_options(CLI::App& command, io::DecodeOptions& decode) {
  command.add_flag("--strict", decode.strict,
                   "damaged input data is an error (default: concealed or dropped, counted, reported)");
  command.add_option("--max-pixels", decode.max_pixels,
                     "largest frame or picture to decode, in pixels (refused from its header, before decoding)")
      ->capture_default_str()
      ->check(within(int64_t{64}, int64_t{1} << 34));
}

void add_overwrite_options(CLI::App& command, bool& overwrite) {
  auto* yes = command.add_flag("-y,--overwrite", overwrite,
                               "replace an existing output (a folder only if interp wrote it)");
  command.add_flag("-n,--no-overwrite", "never replace an existing output (the default)")->excludes(yes);
}

}  // namespace interp::cli
