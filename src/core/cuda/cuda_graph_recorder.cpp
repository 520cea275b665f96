/// CUDA's CallRecorder (graph_replay.h): at::cuda::CUDAGraph capture and replay. Built as
/// the plugin libinterp_cuda_graphs.so, which names CUDA and libtorch_cuda only in
/// headers: its symbols resolve against the libtorch_cuda that load_cuda_backend() loaded
/// (globally), so interp itself still starts on machines without CUDA.
///
/// Why the care around a failed recording: a call that reads a value back to the host
/// ends the capture with an error, and the caching allocators are then still routing
/// this stream's allocations into the recording's pool; both are put back before the
/// error reaches the caller, which runs the call directly from then on.
#include "interp/core/graph_replay.h"

#include <ATen/core/CachingHostAllocator.h>
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <cuda_runtime_api.h>

#include <cstdio>
#include <stdexcept>

namespace interp {
namespace {

/// Orders `waiting` after everything already queued on `first`.
void wait_for(const c10::cuda::CUDAStream& first, const c10::cuda::CUDAStream& waiting) {
  at::cuda::CUDAEvent done;
  done.record(first);
  done.block(waiting);
}

class CudaRecordedCall final : public RecordedCall {
 public:
  CudaRecordedCall(std::unique_ptr<at::cuda::CUDAGraph> graph, torch::Tensor output)
      : graph_(std::move(graph)), output_(std::move(output)) {}

  torch::Tensor replay() override {
    c10::cuda::CUDAGuard guard(output_.device());
    graph_->replay();  // on the caller's current stream, after the inputs' copies
    return output_;
  }

 private:
  std::unique_ptr<at::cuda::CUDAGraph> graph_;
  torch::Tensor output_;
};

class CudaGraphRecorder final : public CallRecorder {
 public:
  explicit CudaGraphRecorder(c10::DeviceIndex device) : device_(device), pool_(at::cuda::graph_pool_handle()) {}

  std::string name() const override { return "CUDA graphs"; }

  /// The recordings share one memory pool: safe here because every replay's output is
  /// copied on the same stream before another recording can replay over it.
  std::unique_ptr<RecordedCall> record(const std::function<torch::Tensor()>& call) override {
    c10::cuda::CUDAGuard device_guard(device_);
    const auto caller = c10::cuda::getCurrentCUDAStream(device_);
    const auto side = c10::cuda::getStreamFromPool(/*isHighPriority=*/false, device_);
    wait_for(caller, side);
    torch::Tensor output;
    auto graph = std::make_unique<at::cuda::CUDAGraph>();
    {
      c10::cuda::CUDAStreamGuard on_side(side);
      call();  // warm-up on the capturing stream: its library handles and workspaces
      side.synchronize();
      graph->capture_begin(pool_, cudaStreamCaptureModeThreadLocal);
      try {
        output = call();
        graph->capture_end();
      } catch (...) {
        abandon_capture(side);
        throw;
      }
    }
    wait_for(side, caller);
    return std::make_unique<CudaRecordedCall>(std::move(graph), std::move(output));
  }

 private:
  /// Ends a capture that failed and stops routing allocations into the pool.
  void abandon_capture(const c10::cuda::CUDAStream& stream) {
    cudaStreamCaptureStatus status = cudaStreamCaptureStatusNone;
    if (cudaStreamIsCapturing(stream.stream(), &status) == cudaSuccess && status != cudaStreamCaptureStatusNone) {
      cudaGraph_t partial = nullptr;
      if (cudaStreamEndCapture(stream.stream(), &partial) == cudaSuccess && partial) cudaGraphDestroy(partial);
    }
    c10::cuda::CUDACachingAllocator::endAllocateToPool(device_, pool_);
    at::getHostAllocator(at::kCUDA)->end_allocate_to_pool(pool_);
    (void)cudaGetLastError();  // the capture's error is reported by the exception, not kept
  }

  c10::DeviceIndex device_;
  at::cuda::MempoolId_t pool_;
};

}  // namespace
}  // namespace interp

/// The plugin's entry point (graph_replay.cpp loads it): a recorder for CUDA device
/// `device_index`, or null with the reason written into why_not.
extern "C" __attribute__((visibility("default"))) interp::CallRecorder* interp_new_cuda_recorder(
    int device_index, char* why_not, size_t why_not_size) {
  try {
    return new interp::CudaGraphRecorder(static_cast<c10::DeviceIndex>(device_index));
  } catch (const std::exception& e) {
    std::snprintf(why_not, why_not_size, "%s", e.what());
    return nullptr;
  }
}
