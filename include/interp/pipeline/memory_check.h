#pragma once
/// Refusing, before any work, frames the model cannot hold in this machine's memory: a
/// clear line beats being killed by the kernel halfway through (SIGKILL cannot be caught,
/// so nothing would be cleaned up).
#include "interp/core/frame_interpolator.h"

#include <cstdint>

namespace interp::pipeline {

/// Bytes the system can still give (MemAvailable), or -1 when unknown.
int64_t available_memory_bytes();

/// Throws interp::OutOfMemory when a forward pass on `batch` pairs of width x height
/// would need more than the memory available (CPU models with a known per-pixel cost).
void check_memory(const FrameInterpolator& model, int64_t width, int64_t height, int batch);

}  // namespace interp::pipeline
