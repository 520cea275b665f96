#pragma once
/// What the job, the trainer and the pair command must know of a model before giving it
/// frames: how many frames it reads around a pair and whether it makes any time or
/// midpoints only. A family states them once, with its configuration; everything else
/// asks them instead of testing frame counts, so a model reading six frames is one
/// family file and no change elsewhere.
namespace interp {

struct ModelTraits {
  int frames_before = 0;  ///< frames read before the pair, one frame spacing apart (ConvLSTM: 1)
  int frames_after = 0;   ///< frames read after it
  /// Any t in (0,1); false: trained for t = 0.5 only, and callers recurse (FILM, ConvLSTM).
  bool arbitrary_timestep = true;

  /// Frames in each window: the neighbours and the pair.
  int window_frames() const { return frames_before + 2 + frames_after; }
  bool reads_neighbours() const { return frames_before + frames_after > 0; }
};

}  // namespace interp
