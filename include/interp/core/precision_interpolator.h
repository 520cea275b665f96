#pragma once
/// Runs any family's interpolator under its chosen precision: every forward pass opens
/// a PrecisionScope, so the convolution stacks the networks mark with convolved() run
/// in bf16 when that was chosen. One wrapper instead of a precision option per family.
#include "interp/core/frame_interpolator.h"

#include <memory>

namespace interp {

std::unique_ptr<FrameInterpolator> with_precision(std::unique_ptr<FrameInterpolator> model, PrecisionChoice choice);

}  // namespace interp
