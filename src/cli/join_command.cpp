/// `interp join OUTPUT PIECE...`: the pieces of `interp --range` runs joined into one
/// video without re-encoding, in frame order, checked to cover the whole video, with
/// the source's audio and subtitles added back in sync.
#include "commands.h"

#include "interp/base/error.h"
#include "interp/io/segment_join.h"
#include "log.h"

#include <memory>

#include <unistd.h>

namespace interp::cli {
namespace {

struct JoinSettings {
  std::string output;
  std::vector<std::string> pieces;
  io::JoinOptions options;
};

int run_join(const SharedSettings& shared, JoinSettings j) {
  j.options.overwrite = shared.overwrite;
  j.options.cancel = shared.cancel;
  if (j.output == "-" && ::isatty(STDOUT_FILENO))
    throw Error("-: standard output is a terminal; pipe it into a program (| ffmpeg -i - ..., | mpv -)");
  const auto result = io::join_segments(j.pieces, j.output, j.options);
  for (const auto& line : result.unchecked) log::warn(line);
  for (const auto& note : result.notes) (note.dropped ? log::warn : log::info)(j.output + ": " + note.text);
  log::info(j.output + ": " + std::to_string(result.pieces) + " pieces, " + std::to_string(result.frames) +
            " frames" + (result.source.empty() ? ", video only" : ", audio/subtitles from " + result.source));
  return 0;
}

}  // namespace

void add_join_command(CLI::App& root, SharedSettings& shared, Run& run) {
  const auto settings = std::make_shared<JoinSettings>();  // lives as long as `run`
  JoinSettings& j = *settings;
  auto* join = root.add_subcommand("join", "join the pieces of --range runs into one video, without re-encoding");
  join->add_option("OUTPUT", j.output, "the joined video (- for standard output, with --format)")
      ->required()
      ->group(kOutputGroup);
  join->add_option("PIECES", j.pieces, "the pieces, in any order (they know their frames)")->required();
  auto* source = join->add_option("--source", j.options.source,
                                  "the video to take audio/subtitles from (default: the one the pieces were made "
                                  "from)")
                     ->check(CLI::ExistingFile);
  join->add_flag("--video-only", j.options.video_only, "no audio or subtitles")->excludes(source);
  join->add_option("--format", j.options.container, "output container by FFmpeg's name (default: from the extension)");
  add_overwrite_options(*join, shared.overwrite);
  join->fallthrough();
  join->callback([&shared, &run, settings] { run = [&shared, settings] { return run_join(shared, *settings); }; });
}

}  // namespace interp::cli
