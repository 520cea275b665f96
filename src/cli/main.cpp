/// interp's command line: parses options (CLI11), sets up logging (spdlog) and runs
/// a command. Every user error ends as one line on stderr and a non-zero exit code.
#include "bench.h"
#include "commands.h"
#include "log.h"
#include "signals.h"

#include "interp/core/device.h"
#include "interp/core/error.h"
#include "interp/core/host_memory.h"
#include "interp/io/ffmpeg_log.h"

#include <CLI/CLI.hpp>
#include <torch/torch.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#ifndef INTERP_VERSION
#define INTERP_VERSION "0"
#endif

int main(int argc, char** argv) {
  const interp::cli::SignalWatcher signals;  // first: before any thread exists
  const auto& cancel = signals.cancel();
  interp::keep_freed_memory_for_reuse();
  using interp::cli::CommonSettings;
  CommonSettings s;
  CLI::App app{"interp: video frame interpolation (RIFE v4, FILM) on LibTorch.\n"
               "  interp [options] INPUT OUTPUT          video -> video (or image folder -> folder)\n"
               "  interp pair A.png B.png OUT [options]  frames between two pictures\n"
               "  interp convert IN OUT.safetensors      official weights -> interp's model file",
               "interp"};
  app.set_version_flag("--version", std::string("interp ") + INTERP_VERSION);
  app.fallthrough();

  std::string input, output;
  app.add_option("INPUT", input, "input video (any format FFmpeg reads) or folder of numbered images");
  app.add_option("OUTPUT", output, "output video (.mp4 .mkv .mov .webm) or folder");

  app.add_option("--exp", s.exp, "multiply the frame rate by 2^N by recursive midpoints");
  app.add_option("--multi", s.multi, "multiply the frame rate by M (direct timesteps with RIFE)");
  app.add_option("--fps", s.fps, "target frame rate (e.g. 60, 59.94, 60000/1001)");
  app.add_option("--model", s.model.model, "rife (best installed: v4.6, v4.26, v4.25, then v3.9), rife-v3.9, rife-v4.6, rife-v4.25, rife-v4.26, film, or a weight file")->capture_default_str();
  app.add_option("--variant", s.model.variant, "architecture of a .pkl when not recognised (rife-v3.9, rife-v4.6, rife-v4.25)");
  app.add_option("--models-dir", s.model.models_dir, "folder of installed models (also $INTERP_MODELS_DIR)");
  app.add_option("--device", s.device, "cpu, cuda, cuda:N or auto")->capture_default_str();
  app.add_flag("--fp16", s.fp16, "half precision (CUDA)");
  app.add_option("--scale", s.model.scale, "RIFE flow resolution: 0.25 0.5 1 2 4 (0.5 for 4K)")->capture_default_str();
  app.add_option("--batch", s.batch, "frames per forward pass")->capture_default_str();
  app.add_option("--threads", s.threads, "CPU threads (0: all cores)")->capture_default_str();
  app.add_option("--scene-threshold", s.scene_threshold,
                 "luma difference (0-1) above which a pair is a scene cut and is not blended; 0 disables")
      ->capture_default_str();
  app.add_option("--codec", s.encoder.codec, "video encoder")->capture_default_str();
  app.add_option("--crf", s.encoder.crf, "encoder quality (lower is better)")->capture_default_str();
  app.add_option("--preset", s.encoder.preset, "encoder preset")->capture_default_str();
  app.add_option("--pix-fmt", s.encoder.pixel_format, "output pixel format (default: the input's)");
  app.add_flag("-y,--overwrite", s.overwrite, "replace an existing output");
  bool verbose = false;
  app.add_flag("-q,--quiet", s.quiet, "errors only, no progress");
  app.add_flag("-v,--verbose", verbose, "debug logging");
  bool show_runtime = false;
  app.add_flag("--runtime", show_runtime, "print LibTorch version and CUDA availability, then exit");

  auto* pair = app.add_subcommand("pair", "interpolate between two images");
  std::string pair_a, pair_b, pair_out;
  pair->add_option("A", pair_a, "first image")->required();
  pair->add_option("B", pair_b, "second image")->required();
  pair->add_option("OUT", pair_out, "a .png file (one frame: at --timestep, default 0.5) or a folder (all frames of --exp/--multi)")->required();
  pair->add_option("--timestep,-t", s.timestep, "one frame at this time in (0,1)");
  pair->fallthrough();

  auto* convert = app.add_subcommand("convert", "write interp's .safetensors model file from official weights");
  std::string convert_in, convert_out, convert_source;
  convert->add_option("IN", convert_in, "flownet.pkl / .pth / .safetensors")->required();
  convert->add_option("OUT", convert_out, "output .safetensors")->required();
  convert->add_option("--source", convert_source, "where the weights came from, kept in the file (default: IN's name)");
  convert->fallthrough();

  auto* bench = app.add_subcommand("bench", "measure model-only and end-to-end throughput");
  interp::cli::BenchSettings bench_settings;
  bench->add_option("--size", bench_settings.size, "WxH of the model-only runs")->capture_default_str();
  bench->add_option("--runs", bench_settings.runs, "timed runs (median reported)")->capture_default_str();
  bench->add_option("--warmup", bench_settings.warmup, "untimed runs first")->capture_default_str();
  bench->add_option("--clip", bench_settings.clip, "also run --exp=1 end to end on this clip's first frames");
  bench->add_option("--frames", bench_settings.clip_frames, "frames of --clip")->capture_default_str();
  bench->add_option("--json", bench_settings.json, "write the figures as JSON too");
  bench->fallthrough();

  // --version also reports the runtime (LibTorch, CUDA); CLI11 prints the flag's text.
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--version") {
      std::cout << "interp " << INTERP_VERSION << " (" << interp::runtime_summary() << ")\n";
      return 0;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::cerr << "interp: error: " << interp::first_line(e.what()) << " (see --help)\n";
    return 2;
  }

  interp::cli::log::init(s.quiet ? interp::cli::log::Level::Error
                         : verbose ? interp::cli::log::Level::Debug
                                   : interp::cli::log::Level::Info);

  interp::io::set_ffmpeg_log_level(verbose);
  try {
    if (show_runtime) {
      std::cout << interp::runtime_summary() << "\n";
      return 0;
    }
    if (*pair) return interp::cli::run_pair(s, pair_a, pair_b, pair_out, cancel);
    if (*bench) return interp::cli::run_bench(s, bench_settings);
    if (*convert) return interp::cli::run_convert(s, convert_in, convert_out, convert_source);
    if (input.empty() || output.empty()) {
      std::cerr << "interp: error: INPUT and OUTPUT are required (see --help)\n";
      return 2;
    }
    if (std::filesystem::is_directory(input)) return interp::cli::run_folder(s, input, output, cancel);
    return interp::cli::run_video(s, input, output, cancel);
  } catch (const interp::Error& e) {
    std::cerr << "interp: error: " << interp::first_line(e.what()) << "\n";
    return cancel ? 128 + signals.signal_number() : 1;
  } catch (const c10::Error& e) {
    std::cerr << "interp: error: " << interp::first_line(e.what_without_backtrace()) << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "interp: error: " << interp::first_line(e.what()) << "\n";
    return 1;
  }
}
