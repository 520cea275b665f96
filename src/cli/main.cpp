/// interp's command line: the root command and its subcommands (one file each), logging
/// (spdlog) and signals. Every user error ends as one line on stderr and a non-zero exit.
#include "commands.h"
#include "log.h"
#include "runtime_report.h"
#include "signals.h"

#include "interp/base/error.h"
#include "interp/core/device.h"
#include "interp/core/host_memory.h"
#include "interp/io/ffmpeg_log.h"

#include <CLI/CLI.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>

namespace {

/// An option of the root command given with a subcommand reaches the subcommand only
/// through a setting both take (`interp --model M pair ...`); any other (a video's
/// --progress on `join`, --adapt on `bench`) would be ignored in silence, so the first
/// such option is returned for a refusal. `global` options belong to every command.
std::string option_the_subcommand_ignores(const CLI::App& app, const std::vector<const CLI::Option*>& global) {
  const auto chosen = app.get_subcommands();
  if (chosen.empty()) return "";
  const CLI::App& sub = *chosen.front();
  for (const CLI::Option* option : app.get_options()) {
    if (option->count() == 0 || std::find(global.begin(), global.end(), option) != global.end()) continue;
    bool taken = false;
    for (const auto& name : option->get_lnames()) taken = taken || sub.get_option_no_throw("--" + name) != nullptr;
    for (const auto& name : option->get_snames()) taken = taken || sub.get_option_no_throw("-" + name) != nullptr;
    if (!taken) return option->get_name() + " is not an option of " + sub.get_name();
  }
  return "";
}

/// Says that standard output could not be written, with errno `why` (0: not known).
int cannot_write_standard_output(int why) {
  const std::string reason = why ? std::string(" (") + std::strerror(why) + ")" : "";
  std::cerr << "interp: error: standard output: cannot write" << reason << "\n";
  return 1;
}

/// What a command printed on standard output (split-plan's plan, --runtime, --help)
/// reached it, as coreutils' close_stdout checks: a full disk or a reader gone fails the
/// command instead of leaving a farm script an empty or cut plan. The video to "-" checks
/// its own writes; a --progress feed there says its own failure (feed_output.h).
int with_standard_output_checked(int code) {
  errno = 0;
  if (std::fflush(stdout) == 0 && !std::ferror(stdout) && !std::cout.fail()) return code;
  if (code != 0) return code;  // failing already: its own line said why
  return cannot_write_standard_output(errno);  // errno 0 where the failing write was an earlier one
}

}  // namespace

#ifndef INTERP_VERSION
#define INTERP_VERSION "0"
#endif

static int run_command_line(int argc, char** argv) {
  const interp::cli::SignalWatcher signals;  // first: before any thread exists
  interp::keep_freed_memory_for_reuse();
  interp::cli::SharedSettings shared;
  shared.cancel = &signals.cancel();

  CLI::App app{"interp: video frame interpolation (RIFE, UPR-Net, FILM) on LibTorch.\n"
               "  interp [options] INPUT OUTPUT          a video, pictures (a folder, frames/%06d.png) or - (stdin)\n"
               "                                         -> a video, - (stdout, with --format) or PNG frames\n"
               "  interp pair A.png B.png OUT [options]  frames between two pictures\n"
               "  interp convert IN OUT.safetensors      official weights -> interp's model file\n"
               "  interp bench [options]                 throughput and memory\n"
               "  interp split-plan IN --segments N      frame ranges (A:B) to run on N machines with --range\n"
               "  interp join OUT PIECE...               --range pieces into one video (no re-encode)\n"
               "  interp train --data CLIPS --out M.safetensors --minutes N   fine-tune a model on your footage\n"
               "Without --exp/--multi/--fps the frame rate doubles (--exp=1).",
               "interp"};
  app.set_version_flag("--version", [] {
    return std::string("interp ") + INTERP_VERSION + " (" + interp::runtime_summary() + ")";
  });
  bool verbose = false, show_runtime = false;
  const std::vector<const CLI::Option*> global = {
      app.get_help_ptr(), app.get_version_ptr(), app.add_flag("-q,--quiet", shared.quiet, "errors only, no progress"),
      app.add_flag("-v,--verbose", verbose, "debug logging"),
      app.add_flag("--runtime", show_runtime,
                   "print LibTorch's version and what CUDA needs here (driver, libraries, devices), then exit")};

  interp::cli::Run run_root, run_subcommand;
  interp::cli::add_video_command(app, shared, run_root);
  interp::cli::add_pair_command(app, shared, run_subcommand);
  interp::cli::add_convert_command(app, shared, run_subcommand);
  interp::cli::add_bench_command(app, shared, run_subcommand);
  interp::cli::add_split_plan_command(app, shared, run_subcommand);
  interp::cli::add_join_command(app, shared, run_subcommand);
  interp::cli::add_train_command(app, shared, run_subcommand);

  try {
    app.parse(argc, argv);
    if (const std::string why = option_the_subcommand_ignores(app, global); !why.empty()) throw CLI::ValidationError(why);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {  // --help, --version: written here, so that a failure can say why
      std::ostringstream text;
      const int code = app.exit(e, text, std::cerr);
      errno = 0;
      if (std::fputs(text.str().c_str(), stdout) == EOF || std::fflush(stdout) != 0)
        return cannot_write_standard_output(errno);
      return code;
    }
    std::cerr << "interp: error: " << interp::first_line(e.what()) << " (see --help)\n";
    return 2;
  }

  namespace log = interp::cli::log;
  log::init(shared.quiet ? log::Level::Error : verbose ? log::Level::Debug : log::Level::Info);
  signals.announce_stop(!shared.quiet);
  interp::io::set_ffmpeg_log_level(verbose);
  try {
    if (show_runtime) {
      std::cout << interp::cli::runtime_report() << "\n";
      return 0;
    }
    return run_subcommand ? run_subcommand() : run_root();
  } catch (const interp::OverLimit& e) {
    std::cerr << "interp: error: " << interp::first_line(e.what()) << " (raise it with --max-pixels)\n";
    return 1;
  } catch (const interp::OutOfMemory& e) {
    std::cerr << "interp: error: " << interp::first_line(e.what()) << " (try --scale 0.5, --batch 1, or a GPU)\n";
    return 1;
  } catch (const std::bad_alloc&) {
    std::cerr << "interp: error: out of memory (try --scale 0.5, --batch 1, or smaller frames)\n";
    return 1;
  } catch (const c10::OutOfMemoryError& e) {
    std::cerr << "interp: error: out of device memory (try --scale 0.5, --batch 1, or --precision fp16 on CUDA)\n";
    return 1;
  } catch (const std::exception& e) {
    const auto* torch_error = dynamic_cast<const c10::Error*>(&e);
    std::cerr << "interp: error: "
              << interp::first_line(torch_error ? torch_error->what_without_backtrace() : e.what()) << "\n";
    return signals.cancel() ? 128 + signals.signal_number() : 1;
  }
}

int main(int argc, char** argv) { return with_standard_output_checked(run_command_line(argc, argv)); }
