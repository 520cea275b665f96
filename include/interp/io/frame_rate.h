#pragma once
/// The rate whose grid a video's frames sit on, which times the output and places each
/// frame (pipeline/frame_grid.h). Containers state two rates: FFmpeg's r_frame_rate, a
/// grid fitted to the packets its probe read, and avg_frame_rate, frames over duration.
/// For a steady rate they agree. Where they do not, neither can be trusted alone: a phone
/// that records at 30 fps and at 15 in the dark averages 19 fps (a grid most frames
/// would miss), and the fitted rate is sometimes twice the real one (H.264 timed by
/// fields). So the frames' own durations decide: the grid is the coarsest rate on which
/// nearly all of them last a whole number of slots and that no run of them outruns (a
/// clip faster later than at its start), refined to their mean step; where no
/// grid holds them (a rate that varies smoothly), the fastest rate they keep up, so that
/// no frame falls more than a slot behind its time.
#include "interp/io/video_reader.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace interp::io {

/// Presentation timestamps worth reading to find the grid: the first 20 s at 30 fps,
/// and 100 frames from each of 6 points spread over the rest, for a rate that changes
/// along the clip (a phone recording that opens in the dark is slower there).
inline constexpr int64_t kRateSamplePackets = 600;
inline constexpr int kRateSamplePoints = 6;
inline constexpr int64_t kRateSamplePacketsPerPoint = 100;
/// A pipe is timed on its first packets, held in memory until decoded: at most this many
/// bytes (600 frames of a 4K phone clip at 100 Mbit/s would be 250 MB).
inline constexpr int64_t kReadAheadBytes = int64_t{128} << 20;

/// The rate of the grid that the frames sit on, from `stretches` of their timestamps
/// (each a run of consecutive frames, in any order; in `time_base` units; durations are
/// taken within a stretch, never across): the exact value of one of `stated` (the
/// container's rates) or of a common rate when it is within 0.2% of the frames' mean
/// step, else that step's own rate. Durations over 4 slots are pauses, whose length is
/// free. A grid must hold nine in ten of the other durations within a fifth of a slot,
/// and no 100 consecutive ones may average under 0.8 of its slot. Where no grid does,
/// the fastest rate the frames keep up over 5 frames, as one of `stated` or a common rate
/// between 5% below it and a quarter above. Nullopt when there are too few frames.
std::optional<Rational> grid_rate(std::vector<std::vector<int64_t>> stretches, Rational time_base,
                                  const std::vector<Rational>& stated);

}  // namespace interp::io
