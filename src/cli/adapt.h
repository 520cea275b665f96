#pragma once
/// `--adapt MINUTES`: before interpolating, fine-tune the model on the input's own
/// frames (a video is its own ground truth: its frames between others are in-betweens)
/// for that long, and keep the adapted weights only if the job run with them is surely
/// better than with the weights it started from on the input's held-out frames,
/// stretches spread over the whole clip, never trained on (held_out_check.h).
#include "commands.h"

#include <optional>

namespace interp::cli {

/// The adapted weights, or nullopt when they did not surely improve the held-out frames
/// (said in the log). Throws interp::Error when the input has nothing to learn from.
/// `where`: model_options() of the job, which then runs with the same.
std::optional<ModelWeights> adapt_to_input(const SharedSettings& shared, const ModelOptions& where,
                                           const pipeline::JobInput& input, double minutes,
                                           const pipeline::SkipThresholds& skip);

}  // namespace interp::cli
