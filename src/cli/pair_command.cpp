/// `interp pair A B OUT`: the frames between two pictures, as one PNG at a time t or a
/// folder of every frame of --exp/--multi (the two pictures included, at the ends).
/// `interp pair A B C D OUT`: the frames between B and C for a four-frame model
/// (ConvLSTM), A and D its neighbours.
#include "commands.h"

#include "interp/base/error.h"
#include "interp/pipeline/jobs.h"
#include "log.h"
#include "output_kind.h"
#include "report.h"

#include <filesystem>
#include <memory>
#include <sstream>

namespace interp::cli {
namespace fs = std::filesystem;
namespace {

struct PairSettings {
  std::vector<std::string> files;  ///< the pictures, then OUT
  std::string output;
  std::string timestep;  ///< empty: not given
};

/// "two pictures", "four pictures, the pair with 1 before and 1 after it": what a model reads.
std::string pictures_read(const ModelTraits& traits) {
  const std::vector<std::string> numbers{"two", "three", "four", "five", "six", "seven", "eight"};
  const int n = traits.window_frames();
  std::string text = (n - 2 < static_cast<int>(numbers.size()) ? numbers[n - 2] : std::to_string(n)) + " pictures";
  if (!traits.reads_neighbours()) return text;
  return text + ", the pair with " + std::to_string(traits.frames_before) + " before and " +
         std::to_string(traits.frames_after) + " after it";
}

/// "A B", "A B C D": the pictures' names in the command's usage.
std::string picture_names(const ModelTraits& traits) {
  std::string names;
  for (int i = 0; i < traits.window_frames(); ++i) names += (i ? " " : "") + std::string(1, static_cast<char>('A' + i));
  return names;
}

/// The job the flags describe, planned: one picture at --timestep (0.5 by default), or
/// every frame of --exp/--multi into a folder or a pattern.
pipeline::PlannedJob plan(const SharedSettings& shared, PairSettings& p) {
  if (p.files.size() != 3 && p.files.size() != 5)
    throw Error("pair takes two pictures (or four: the pair's neighbours around it) and then OUT, not " +
                std::to_string(p.files.size()) + " names");
  p.output = p.files.back();
  const std::vector<std::string> pictures(p.files.begin(), p.files.end() - 1);
  for (const auto& picture : pictures)
    if (!fs::is_regular_file(picture)) throw Error(picture + ": no such picture");
  const OutputKind kind = output_kind(p.output);
  if (kind == OutputKind::Video || kind == OutputKind::Pipe)
    throw Error(p.output + ": a pair makes pictures; give a .png, a folder or a pattern (out/%03d.png)");
  const bool several = kind == OutputKind::Folder || kind == OutputKind::Sequence;
  if (kind == OutputKind::Picture && (shared.rate.exp || shared.rate.multi))
    throw Error(p.output + ": --exp/--multi make several frames; give a folder (e.g. out/)");
  if (several && !p.timestep.empty())
    throw Error(p.output + ": --timestep makes one frame; give a .png name");
  pipeline::JobInput input;
  input.pictures = pictures;
  input.name = pictures.size() == 4 ? pictures[1] : pictures[0];
  input.also_read.push_back(resolve_model_path(shared.model.model));  // no output may be the model
  pipeline::JobOutput output;
  output.kind = several ? pipeline::JobOutput::Kind::Frames : pipeline::JobOutput::Kind::Picture;
  output.path = kind == OutputKind::Sequence ? sequence_folder(p.output) : p.output;
  if (kind == OutputKind::Sequence) output.frame_pattern = fs::path(p.output).filename().string();
  output.overwrite = shared.overwrite;
  pipeline::RateRequest rate = shared.rate.request();
  if (!several) rate.one_frame_at = pipeline::parse_time(p.timestep.empty() ? "0.5" : p.timestep);
  auto options = job_options(shared, pipeline::SkipThresholds::none());  // an explicit pair is always interpolated
  options.repeat_tail = false;  // the second picture ends the sequence
  const int64_t neighbours = (static_cast<int64_t>(pictures.size()) - 2) / 2;  // A and D of A B C D
  options.neighbours_only = {neighbours, neighbours};
  return pipeline::plan_job(input, output, rate, options);
}

int run_pair(const SharedSettings& shared, PairSettings& p) {
  pipeline::PlannedJob job = plan(shared, p);  // before seconds of model loading
  auto model = load_model(shared.model);
  const auto pictures = job.input.pictures;
  if (const ModelTraits traits = model->traits(); static_cast<int>(pictures.size()) != traits.window_frames())
    throw Error(model->name() + " reads " + pictures_read(traits) + ": interp pair " + picture_names(traits) + " OUT" +
                (traits.reads_neighbours() ? "" : " (four are for window models such as convlstm: the frames between the middle two)"));
  const auto r = pipeline::run_planned_job(*model, job);
  report_input(pictures[pictures.size() / 2 - 1] + ", " + pictures[pictures.size() / 2], r);
  if (job.output.kind == pipeline::JobOutput::Kind::Picture) {
    std::ostringstream text;
    text << job.timeline.slots_for_pair(0).back().t;  // 0.5, 0.25, 0.333333: no trailing zeros
    log::info(p.output + ": frame at t=" + text.str() + " written");
  } else {
    log::info(p.output + ": " + std::to_string(r.output_frames) + " frames written");
  }
  return 0;
}

}  // namespace

void add_pair_command(CLI::App& root, SharedSettings& shared, Run& run) {
  const auto settings = std::make_shared<PairSettings>();  // lives as long as the callback
  PairSettings& p = *settings;
  auto* pair = root.add_subcommand("pair", "frames between two pictures");
  pair->add_option("A B [C D] OUT", p.files,
                   "the two pictures (four for a window model such as convlstm: the frames between the middle two), then a .png "
                   "(one frame, at --timestep or 0.5), or a folder or pattern like out/%03d.png (every frame of "
                   "--exp/--multi, default --exp=1)")
      ->required()
      ->expected(3, 5);
  auto* timestep = pair->add_option("-t,--timestep", p.timestep, "one frame at this time, strictly between 0 and 1")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            try {
              pipeline::parse_time(text);
              return {};
            } catch (const Error&) {
              return "must be a number strictly between 0 and 1";
            }
          },
          "(0,1)"));
  add_rate_options(*pair, shared.rate, /*with_fps=*/false);
  timestep->excludes(pair->get_option("--exp"))->excludes(pair->get_option("--multi"));
  add_model_options(*pair, shared.model);
  add_overwrite_options(*pair, shared.overwrite);
  add_decode_options(*pair, shared.decode);
  pair->fallthrough();
  pair->callback([&shared, &run, settings] { run = [&shared, settings] { return run_pair(shared, *settings); }; });
}

}  // namespace interp::cli
