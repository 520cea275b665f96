#pragma once
/// Refusing, before any work, frames the model cannot hold in this machine's memory: a
/// clear line beats being killed by the kernel halfway through (SIGKILL cannot be caught,
/// so nothing would be cleaned up).
#include "interp/core/frame_interpolator.h"

#include <cstdint>

namespace interp::pipeline {

/// Bytes the system can still give (MemAvailable), or -1 when unknown.
int64_t available_memory_bytes();

/// CUDA's caching allocator reuses much of what the CPU's peak counts: the H200 check's
/// fp16 peaks (../shared/gpu, batch 8 included) were 0.34-2.0x the CPU cost scaled to
/// fp16. 0.3 of it keeps the estimate below every measured peak, so a refusal is never
/// wrong.
inline constexpr double kCudaShareOfCpuCost = 0.3;

/// Bytes a forward pass on `batch` pairs of width x height needs at least, from the
/// model's per-pixel cost (peak RSS in fp32 on the CPU) scaled to its dtype's size, and
/// on CUDA to kCudaShareOfCpuCost of it; 0 when the cost is unknown.
double bytes_needed(const FrameInterpolator& model, int64_t width, int64_t height, int batch);

/// Throws interp::OutOfMemory when a forward pass on `batch` pairs of width x height
/// would need more than the memory available: MemAvailable for CPU models, the free
/// memory of a CUDA model's GPU (cuda_free_memory_bytes). Unknown costs pass.
void check_memory(const FrameInterpolator& model, int64_t width, int64_t height, int batch);

}  // namespace interp::pipeline
