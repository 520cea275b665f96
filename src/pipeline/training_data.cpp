/// Decoding the user's footage for training (training_data.h). Frames are kept as 8-bit
/// RGB, a quarter of float's memory; 16-bit pictures are rounded to 8 bits, which a
/// loss on [0,1] frames cannot tell apart.
#include "interp/pipeline/training_data.h"

#include "interp/base/error.h"
#include "interp/io/image_file.h"
#include "interp/io/image_sequence.h"
#include "interp/pipeline/frame_grid.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

namespace interp::pipeline {
namespace fs = std::filesystem;
namespace {

torch::Tensor to_rgb8(const io::Image& image) {
  if (image.bit_depth > 8) {
    const auto samples = torch::from_blob(const_cast<uint8_t*>(image.data.data()),
                                          {image.height, image.width, image.channels}, torch::kUInt16);
    return (samples.narrow(2, 0, 3).permute({2, 0, 1}).to(torch::kFloat32) / 257.0).round().to(torch::kUInt8);
  }
  const auto samples = torch::from_blob(const_cast<uint8_t*>(image.data.data()),
                                        {image.height, image.width, image.channels}, torch::kUInt8);
  return samples.narrow(2, 0, 3).permute({2, 0, 1}).contiguous();
}

torch::Tensor as_float(const torch::Tensor& frame) { return frame.unsqueeze(0).to(torch::kFloat32) / 255.0; }

/// The held-out stretches [first, end) of a clip of n frames that hold `held` of them
/// (at most n - kValidationFrames): its end, or up to kHeldOutStretches stretches of
/// equal length (at least kValidationFrames) centred at equal distances. Centres n/count
/// apart and length <= held/count < n/count: the stretches never touch or leave the clip.
std::vector<std::pair<int64_t, int64_t>> held_out_stretches(int64_t n, int64_t held, HeldOut where) {
  if (held <= 0) return {};
  if (where == HeldOut::kEnd) return {{n - held, n}};
  const int64_t count = std::clamp(held / kValidationFrames, int64_t{1}, kHeldOutStretches), length = held / count;
  std::vector<std::pair<int64_t, int64_t>> stretches;
  for (int64_t i = 0; i < count; ++i) {
    const int64_t first = (2 * i + 1) * n / (2 * count) - length / 2;
    stretches.push_back({first, first + length});
  }
  return stretches;
}

std::string mib(int64_t bytes) { return std::to_string((bytes + (1 << 19)) >> 20) + " MiB"; }

}  // namespace

std::vector<JobInput> training_inputs(const std::string& path) {
  JobInput input;
  input.name = path;
  if (!fs::exists(path)) {
    if (!io::is_sequence_pattern(path)) throw Error(path + ": no such file");
    input.pictures = io::list_sequence(path);
    return {input};
  }
  if (!fs::is_directory(path)) {
    input.video = path;
    return {input};
  }
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(path)) {
    const auto name = entry.path().filename().string();
    if (name.empty() || name[0] == '.' || !entry.is_regular_file()) continue;
    if (io::is_picture_name(name)) {  // a folder of pictures is one sequence
      input.pictures = io::list_images(path);
      return {input};
    }
    files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) throw Error(path + ": a folder without clips or pictures");
  std::vector<JobInput> clips;
  for (const auto& file : files) {
    JobInput clip;
    clip.video = clip.name = file;
    clips.push_back(std::move(clip));
  }
  return clips;
}

TrainingData::TrainingData(const std::vector<JobInput>& inputs, const TrainingDataOptions& options,
                           const std::function<void(const std::string&)>& note)
    : options_(options) {
  if (inputs.empty()) throw Error("no training data given");
  if (options_.max_span < 2) throw Error("training windows need a span of at least 2 frames");
  const int64_t share = options_.cache_bytes / static_cast<int64_t>(inputs.size());
  for (const auto& input : inputs) add_clip(input, share, note);
  for (size_t i = 0; i < clips_.size(); ++i) find_windows(i);
  validation_ = held_out_sample(kValidationSamples);
  if (training_.empty()) {
    const Totals sum = totals();
    throw Error("no usable triplets in the training data (" + std::to_string(sum.frames) + " frames, " +
                std::to_string(sum.cuts) + " scene cuts, " + std::to_string(sum.still_windows) + " still windows" +
                (sum.uneven_windows ? ", " + std::to_string(sum.uneven_windows) + " unevenly timed" : "") +
                "): training needs at least three moving, evenly timed frames of one shot outside the held-out frames");
  }
}

void TrainingData::add_clip(const JobInput& input, int64_t byte_share,
                            const std::function<void(const std::string&)>& note) {
  auto source = open_source(input, options_.decode);
  FrameGrid grid = source->grid();
  TrainingClip clip;
  clip.name = input.name.empty() ? source->name() : input.name;
  int64_t bytes = 0;
  io::Image recycled;
  for (;;) {
    if (options_.cancel && options_.cancel->load()) throw Error("interrupted");
    auto item = source->next(std::move(recycled));
    if (std::holds_alternative<io::EndOfStream>(item)) break;
    auto* frame = std::get_if<io::VideoFrame>(&item);
    if (!frame) continue;
    // A frame the job would drop for coming too late (a pipe whose rate rose) is not
    // trained on either: it has no slot of its own.
    if (grid.skipped_before(frame->timestamp()) == FrameGrid::kLate) {
      ++clip.late_frames;
      recycled = std::move(frame->image);
      continue;
    }
    auto rgb = to_rgb8(frame->image);
    if (!clip.frames.empty() && rgb.sizes() != clip.frames.front().sizes())
      throw Error(clip.name + ": its frames change size; training needs one size per clip");
    if (bytes + rgb.nbytes() > static_cast<size_t>(byte_share)) {
      clip.shortened = true;
      break;
    }
    bytes += rgb.nbytes();
    clip.frames.push_back(rgb.data_ptr() == frame->image.data.data() ? rgb.clone() : rgb);
    clip.slot.push_back(grid.slot());
    recycled = std::move(frame->image);
  }
  if (clip.shortened && note)
    note(clip.name + ": its first " + std::to_string(clip.frames.size()) + " frames only (its " + mib(byte_share) +
         " share of the frame cache)");
  bytes_ += bytes;
  clips_.push_back(std::move(clip));
}

void TrainingData::find_windows(size_t index) {
  TrainingClip& clip = clips_[index];
  const auto n = static_cast<int64_t>(clip.frames.size());
  // A clip too short to keep one window held out and one to train on is all for training.
  auto held = options_.validation_share > 0
                  ? std::max(kValidationFrames, static_cast<int64_t>(std::llround(options_.validation_share * n)))
                  : 0;
  if (n - held < kValidationFrames) held = 0;
  clip.held_out = held_out_stretches(n, held, options_.held_out);
  std::vector<bool> is_held(n, false);
  for (const auto& [first, end] : clip.held_out) std::fill(is_held.begin() + first, is_held.begin() + end, true);
  clip.part.assign(n, 0);
  for (int64_t i = 1; i < n; ++i) clip.part[i] = clip.part[i - 1] + (is_held[i] != is_held[i - 1]);
  std::vector<bool>& cut_after = clip.cut_after;
  cut_after.assign(std::max<int64_t>(n - 1, 0), false);
  for (int64_t i = 0; i + 1 < n && options_.skip.scene > 0; ++i) {
    cut_after[i] = is_scene_cut(as_float(clip.frames[i]), as_float(clip.frames[i + 1]), options_.skip.scene);
    clip.cuts += cut_after[i];
  }
  // Windows inside one stretch and one shot whose ends move: the held-out ones are pairs
  // two frames apart, what restoring a dropped frame asks.
  for (int64_t first = 0; first < n; ++first) {
    const int max_span = is_held[first] ? 2 : options_.max_span;
    for (int span = 2; span <= max_span && first + span < n && clip.part[first + span] == clip.part[first]; ++span) {
      if (std::any_of(cut_after.begin() + first, cut_after.begin() + first + span, [](bool c) { return c; })) break;
      // Its in-betweens are at j/span of its time only where its frames are evenly spaced:
      // not across a gap a variable rate left, nor a pause.
      const int64_t step = clip.slot[first + 1] - clip.slot[first];
      bool even = true;
      for (int64_t i = first + 1; i < first + span; ++i) even = even && clip.slot[i + 1] - clip.slot[i] == step;
      if (!even) {
        ++clip.uneven_windows;
        continue;
      }
      if (options_.skip.still > 0 &&
          still_score(as_float(clip.frames[first]), as_float(clip.frames[first + span])) <= options_.skip.still) {
        ++clip.still_windows;
        continue;
      }
      (is_held[first] ? held_out_ : training_).push_back({index, first, span});
    }
  }
}

std::vector<int64_t> TrainingData::window_frames(const TrainingWindow& w, const ModelTraits& traits) const {
  const TrainingClip& clip = clips_[w.clip];
  const auto n = static_cast<int64_t>(clip.frames.size());
  const auto kept = [&](int64_t from, int64_t to) {  // to is in the window's stretch, no cut from `from` to it
    const auto [a, b] = std::minmax(from, to);
    return to >= 0 && to < n && clip.part[to] == clip.part[w.first] &&
           std::none_of(clip.cut_after.begin() + a, clip.cut_after.begin() + b, [](bool c) { return c; });
  };
  // Outward from the pair's ends, while the frames stay in the stretch and the shot.
  // A neighbour also lies as far in time from the frame before it as the pair's ends do.
  const int64_t spacing = clip.slot[w.first + w.span] - clip.slot[w.first];
  const auto side = [&](int wanted, int64_t end, int64_t direction) {
    const auto frame = [&](int j) { return end + direction * j * w.span; };
    const auto reached = [&](int j) {
      return kept(frame(j - 1), frame(j)) && clip.slot[frame(j)] - clip.slot[frame(j - 1)] == direction * spacing;
    };
    std::vector<int64_t> frames;
    for (const int j : steps_reached(wanted, reached))
      frames.push_back(frame(j));
    return frames;
  };
  std::vector<int64_t> frames = side(traits.frames_before, w.first, -1);
  std::reverse(frames.begin(), frames.end());
  frames.push_back(w.first);
  frames.push_back(w.first + w.span);
  for (const auto i : side(traits.frames_after, w.first + w.span, 1)) frames.push_back(i);
  return frames;
}

int64_t TrainingData::smallest_side() const {
  int64_t side = INT64_MAX;
  for (const auto& c : clips_)
    if (!c.frames.empty()) side = std::min({side, c.frames.front().size(1), c.frames.front().size(2)});
  return side == INT64_MAX ? 0 : side;
}

TrainingData::Totals TrainingData::totals() const {
  Totals sum;
  for (const auto& c : clips_) {
    sum.frames += static_cast<int64_t>(c.frames.size());
    sum.cuts += c.cuts;
    sum.still_windows += c.still_windows;
    sum.uneven_windows += c.uneven_windows;
    sum.late_frames += c.late_frames;
  }
  return sum;
}

std::string TrainingData::summary() const {
  const Totals sum = totals();
  std::ostringstream text;
  text << clips_.size() << (clips_.size() == 1 ? " clip, " : " clips, ") << sum.frames << " frames (" << mib(bytes_)
       << " cached): " << training_.size() << " training windows, " << validation_.size() << " for validation";
  if (sum.uneven_windows) text << " (" << sum.uneven_windows << " windows across gaps in the timestamps left out)";
  if (sum.late_frames)
    text << " (" << sum.late_frames << " frames of a pipe left out: they came faster than the rate it was timed on)";
  return text.str();
}

std::vector<TrainingWindow> TrainingData::held_out_sample(size_t count) const {
  count = std::min(held_out_.size(), count);
  std::vector<TrainingWindow> sample;
  for (size_t i = 0; i < count; ++i) sample.push_back(held_out_[i * held_out_.size() / count]);
  return sample;
}

}  // namespace interp::pipeline
