/// `interp pair A B OUT`: the frames between two pictures, as one PNG at a time t or a
/// folder of every frame of --exp/--multi (the two pictures included, at the ends).
#include "commands.h"

#include "interp/base/error.h"
#include "interp/io/output_file.h"
#include "interp/pipeline/frame_source.h"
#include "interp/pipeline/jobs.h"
#include "log.h"
#include "output_kind.h"
#include "report.h"

#include <cmath>
#include <filesystem>
#include <sstream>

namespace interp::cli {
namespace fs = std::filesystem;
namespace {

struct PairSettings {
  std::string a, b, output;
  double timestep = 0;  ///< 0: not given
};

int run_pair(const SharedSettings& shared, const PairSettings& p) {
  const OutputKind kind = output_kind(p.output);
  if (kind == OutputKind::Video || kind == OutputKind::Pipe)
    throw Error(p.output + ": a pair makes pictures; give a .png, a folder or a pattern (out/%03d.png)");
  const bool several = kind == OutputKind::Folder || kind == OutputKind::Sequence;
  const std::string folder = kind == OutputKind::Sequence ? sequence_folder(p.output) : p.output;
  const bool rate_given = shared.rate.exp || shared.rate.multi;
  if (kind == OutputKind::Picture && rate_given)
    throw Error(p.output + ": --exp/--multi make several frames; give a folder (e.g. out/)");
  if (several && p.timestep > 0)
    throw Error(p.output + ": --timestep makes one frame; give a .png name");
  const std::vector<std::string> inputs{p.a, p.b};
  io::PendingOutput::check(folder,
                           kind == OutputKind::Picture ? io::PendingOutput::Kind::File : io::PendingOutput::Kind::Folder,
                           shared.overwrite, inputs);
  pipeline::check_pictures(inputs, p.a, shared.decode.max_pixels);  // before seconds of model loading
  auto model = load_model(shared.model);
  if (kind == OutputKind::Picture) {
    const double t = p.timestep > 0 ? p.timestep : 0.5;
    pipeline::JobResult r;
    r.damage = pipeline::run_single_frame_job(*model, p.a, p.b, t, p.output, shared.overwrite, shared.decode);
    report_input(p.a + ", " + p.b, r);
    std::ostringstream text;
    text << t;  // 0.5, 0.25, 0.333333: no trailing zeros
    log::info(p.output + ": frame at t=" + text.str() + " written");
    return 0;
  }
  pipeline::JobOptions options;
  options.recursive = shared.rate.recursive();
  options.batch = shared.model.batch;
  options.scene_threshold = 0;  // an explicit pair is always interpolated
  options.static_threshold = 0;
  options.repeat_tail = false;  // the second picture ends the sequence
  options.cancel = shared.cancel;
  options.decode = shared.decode;
  pipeline::JobInput input;
  input.pictures = inputs;
  input.name = p.a;
  pipeline::JobOutput output;
  output.kind = pipeline::JobOutput::Kind::Frames;
  output.path = folder;
  if (kind == OutputKind::Sequence) output.frame_pattern = fs::path(p.output).filename().string();
  output.overwrite = shared.overwrite;
  const auto r = pipeline::run_interpolation_job(*model, input, output, shared.rate.request(), options);
  report_input(p.a + ", " + p.b, r);
  log::info(p.output + ": " + std::to_string(r.output_frames) + " frames written");
  return 0;
}

}  // namespace

void add_pair_command(CLI::App& root, SharedSettings& shared, Run& run) {
  static PairSettings p;
  auto* pair = root.add_subcommand("pair", "frames between two pictures");
  pair->add_option("A", p.a, "first picture")->required()->check(CLI::ExistingFile);
  pair->add_option("B", p.b, "second picture")->required()->check(CLI::ExistingFile);
  pair->add_option("OUT", p.output,
                   "a .png (one frame, at --timestep or 0.5), or a folder or pattern like out/%03d.png (every "
                   "frame of --exp/--multi, default --exp=1)")
      ->required();
  auto* timestep = pair->add_option("-t,--timestep", p.timestep, "one frame at this time, strictly between 0 and 1")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            try {
              const double t = std::stod(text);
              if (t > 0 && t < 1) return {};
            } catch (const std::exception&) {
            }
            return "must be a number strictly between 0 and 1";
          },
          "(0,1)"));
  add_rate_options(*pair, shared.rate, /*with_fps=*/false);
  timestep->excludes(pair->get_option("--exp"))->excludes(pair->get_option("--multi"));
  add_model_options(*pair, shared.model);
  add_overwrite_options(*pair, shared.overwrite);
  add_decode_options(*pair, shared.decode);
  pair->fallthrough();
  pair->callback([&shared, &run] { run = [&shared] { return run_pair(shared, p); }; });
}

}  // namespace interp::cli
