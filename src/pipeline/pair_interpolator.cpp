/// Direct and recursive in-between frames, batched.
#include "interp/pipeline/pair_interpolator.h"

#include "interp/base/error.h"

#include <torch/torch.h>

#include <algorithm>
#include <map>
#include <set>

namespace interp::pipeline {

TimingMode choose_timing(bool recursion_requested, const Timeline& timeline, const FrameInterpolator& model) {
  if (recursion_requested) return TimingMode::Recursive;  // --exp: always dyadic
  if (model.traits().arbitrary_timestep) return TimingMode::Direct;
  if (timeline.dyadic()) return TimingMode::Recursive;
  throw Error(model.name() + " only makes midpoints: ask for a factor that is a power of two");
}

PairInterpolator::PairInterpolator(FrameInterpolator& model, PairOptions options)
    : model_(model), options_(options) {
  if (options_.batch < 1) throw Error("the batch size must be at least 1");
  if (options_.mode == TimingMode::Direct && !model_.traits().arbitrary_timestep)
    throw Error(model_.name() + " is trained for t=0.5 only: ask for a factor that is a power of two");
}

namespace {

std::vector<OutputSlot> inner_slots(const std::vector<OutputSlot>& slots) {
  std::vector<OutputSlot> inner;
  for (const auto& s : slots)
    if (s.t_num != 0) inner.push_back(s);
  return inner;
}

/// The common denominator of recursive midpoints reaching every slot (a power of two).
int64_t midpoint_denominator(const std::vector<OutputSlot>& inner) {
  int64_t den = 1;
  for (const auto& s : inner) {
    if (s.t_den & (s.t_den - 1)) throw Error("time " + std::to_string(s.t) + " cannot be reached by recursion at 0.5");
    den = std::max(den, s.t_den);
  }
  return den;
}

}  // namespace

FrameWindow PairInterpolator::model_window(const FrameWindow& known, const PairJudge& judge) const {
  const ModelTraits traits = model_.traits();
  // Outward from the pair, each frame kept while no cut separates it from the nearer one.
  const auto side = [&](int wanted, int held, int end, int direction) {
    std::vector<torch::Tensor> frames;
    const auto at = [&](int step) { return known.at(end + direction * step); };
    for (const int step : steps_reached(wanted, [&](int j) {
           return j <= held && !judge.verdict(direction < 0 ? at(j) : at(j - 1), direction < 0 ? at(j - 1) : at(j)).cut;
         }))
      frames.push_back(at(step));
    return frames;
  };
  auto frames = side(traits.frames_before, known.before(), 0, -1);
  std::reverse(frames.begin(), frames.end());
  frames.push_back(known.left());
  frames.push_back(known.right());
  for (auto& f : side(traits.frames_after, known.after(), 1, 1)) frames.push_back(std::move(f));
  return {std::move(frames), traits.frames_before};
}

std::vector<PairFrames> PairInterpolator::between(const std::vector<PairRequest>& pairs) {
  std::vector<PairFrames> frames(pairs.size());
  // Every verdict this call reads, the window models' neighbours too, in one go.
  PairJudge judge(options_.skip, options_.luma);
  for (const auto& pair : pairs) {
    if (inner_slots(pair.slots).empty()) continue;
    const auto& window = pair.frames.frames();
    for (size_t i = 0; i + 1 < window.size(); ++i) judge.add(window[i], window[i + 1]);
  }
  judge.judge();
  // stands_alone() also compares a cut's second frame with the frame before the pair:
  // measured for the cuts alone, in one more copy only where a batch holds one.
  for (const auto& pair : pairs) {
    const FrameWindow& known = pair.frames;
    if (!inner_slots(pair.slots).empty() && known.before() > 0 && judge.verdict(known.left(), known.right()).cut)
      judge.add(known.at(-1), known.right());
  }
  judge.judge();
  for (size_t p = 0; p < pairs.size(); ++p) {
    const auto inner = inner_slots(pairs[p].slots);
    if (inner.empty()) continue;
    const auto &a = pairs[p].frames.left(), &b = pairs[p].frames.right();
    const PairVerdict& verdict = judge.verdict(a, b);
    frames[p].cut = verdict.cut;
    frames[p].still = verdict.still;
    // Never blend across a cut: each in-between repeats the frame nearer in time; at the
    // midpoint the first, unless only the second shows a picture (kFlatLuma) or the first
    // stands alone (a flash). A still pair's are its first.
    if (frames[p].still) frames[p].middles.assign(inner.size(), a);
    if (!frames[p].cut) continue;
    const FrameWindow& known = pairs[p].frames;
    const bool midpoint_takes_b =
        verdict.midpoint_takes_b ||
        (known.before() > 0 && stands_alone(judge.verdict(known.at(-1), a), judge.verdict(known.at(-1), b)));
    for (const auto& slot : inner) {
      const int64_t twice = 2 * slot.t_num;  // against t_den: exact, where t is rounded
      frames[p].middles.push_back(twice > slot.t_den || (twice == slot.t_den && midpoint_takes_b) ? b : a);
    }
  }
  if (options_.mode == TimingMode::Recursive) {
    recursive(pairs, frames, judge);
    // A pair across a gap of 2 missing frames (a span of 3) has times in sixths at 2x, out
    // of recursion's reach: it is made at its exact times (the job gives such pairs only
    // to models that can: frame_grid.h).
    direct(pairs, frames, judge, /*unreached_by_recursion=*/true);
  } else {
    direct(pairs, frames, judge, false);
  }
  return frames;
}

int64_t PairInterpolator::samples_needed(const std::vector<OutputSlot>& slots) const {
  const auto inner = inner_slots(slots);
  if (options_.mode == TimingMode::Direct || inner.empty() || !dyadic_slots(inner))
    return static_cast<int64_t>(inner.size());
  return midpoint_denominator(inner) - 1;
}

void PairInterpolator::stop_if_cancelled() const {
  if (options_.cancel && options_.cancel->load()) throw Error("interrupted");
}

void PairInterpolator::run(std::vector<Sample>& samples) {
  const size_t batch = static_cast<size_t>(options_.batch);
  for (size_t start = 0; start < samples.size(); start += batch) {
    const size_t n = std::min(batch, samples.size() - start);
    stop_if_cancelled();
    std::vector<FrameWindow> windows;
    std::vector<double> times;
    for (size_t i = start; i < start + n; ++i) {
      windows.push_back(samples[i].window);
      times.push_back(samples[i].t);
    }
    const auto result = model_.interpolate(FrameWindow::cat(windows), times);
    for (size_t i = 0; i < n; ++i) *samples[start + i].out = result.slice(0, i, i + 1);
  }
}

void PairInterpolator::direct(const std::vector<PairRequest>& pairs, std::vector<PairFrames>& frames,
                              const PairJudge& judge, bool unreached_by_recursion) {
  std::vector<Sample> samples;
  for (size_t p = 0; p < pairs.size(); ++p) {
    if (frames[p].cut || frames[p].still) continue;
    const auto inner = inner_slots(pairs[p].slots);
    if (inner.empty() || (unreached_by_recursion && dyadic_slots(inner))) continue;
    if (!model_.traits().arbitrary_timestep)
      throw Error(model_.name() + " only makes midpoints: it cannot make a frame at t=" + std::to_string(inner[0].t));
    frames[p].middles.resize(inner.size());  // sized before samples point into it
    const FrameWindow window = model_window(pairs[p].frames, judge);
    for (size_t k = 0; k < inner.size(); ++k) samples.push_back({window, inner[k].t, &frames[p].middles[k]});
  }
  run(samples);
}

void PairInterpolator::recursive(const std::vector<PairRequest>& pairs, std::vector<PairFrames>& frames,
                                 const PairJudge& judge) {
  // Per pair, frames at k/den; midpoints filled level by level, each level across all
  // pairs (a level needs the one above it). Window models: the window's neighbours are
  // nodes -den, -2den, ... and 2den, 3den, ...; a midpoint k between k - s and k + s
  // also needs the nodes 2s, 4s, ... beyond those that lie inside the pair (the
  // header's rule).
  const ModelTraits traits = model_.traits();
  struct Tree {
    int64_t den = 0;  // 0: nothing to make
    ModelTraits traits;
    std::map<int64_t, torch::Tensor> nodes;
    std::set<int64_t> needed;  // the slots' nodes and the midpoints they are made from
    void need(int64_t k) {
      if (k <= 0 || k >= den || !needed.insert(k).second) return;
      const int64_t step = k & -k;  // k is the midpoint of k - step and k + step
      need(k - step);
      need(k + step);
      for (int j = 1; j <= traits.frames_before; ++j) need(k - step - 2 * j * step);
      for (int j = 1; j <= traits.frames_after; ++j) need(k + step + 2 * j * step);
    }
    /// The window of midpoint k: its ends k -/+ step, and beyond them every 2 steps the
    /// nodes the tree holds, the nearest one held standing in past the first missing.
    FrameWindow window(int64_t k, int64_t step) const {
      const auto side = [&](int wanted, int64_t end, int64_t direction) {
        const auto node = [&](int j) { return end + direction * 2 * j * step; };
        std::vector<torch::Tensor> frames;
        for (const int j : steps_reached(wanted, [&](int j) { return nodes.count(node(j)) > 0; }))
          frames.push_back(nodes.at(node(j)));
        return frames;
      };
      auto frames = side(traits.frames_before, k - step, -1);
      std::reverse(frames.begin(), frames.end());
      frames.push_back(nodes.at(k - step));
      frames.push_back(nodes.at(k + step));
      for (auto& f : side(traits.frames_after, k + step, 1)) frames.push_back(std::move(f));
      return {std::move(frames), traits.frames_before};
    }
  };
  std::vector<Tree> trees(pairs.size());
  for (size_t p = 0; p < pairs.size(); ++p) {
    const auto inner = inner_slots(pairs[p].slots);
    if (frames[p].cut || frames[p].still || inner.empty() || !dyadic_slots(inner)) continue;
    Tree& tree = trees[p];
    tree.den = midpoint_denominator(inner);
    tree.traits = traits;
    const FrameWindow window = model_window(pairs[p].frames, judge);
    for (int j = -window.before(); j < 2 + window.after(); ++j) tree.nodes[j * tree.den] = window.at(j);
    for (const auto& slot : inner) tree.need(slot.t_num * (tree.den / slot.t_den));
  }
  for (int level = 1;; ++level) {
    std::vector<Sample> samples;
    for (auto& tree : trees) {
      const int64_t step = level < 62 ? tree.den >> level : 0;
      for (int64_t k = step; step >= 1 && k < tree.den; k += 2 * step)
        if (tree.needed.count(k)) samples.push_back({tree.window(k, step), 0.5, &tree.nodes[k]});
    }
    if (samples.empty()) break;
    run(samples);
  }
  for (size_t p = 0; p < pairs.size(); ++p) {
    if (trees[p].den == 0) continue;
    for (const auto& s : inner_slots(pairs[p].slots))
      frames[p].middles.push_back(trees[p].nodes.at(s.t_num * (trees[p].den / s.t_den)));
  }
}

}  // namespace interp::pipeline
