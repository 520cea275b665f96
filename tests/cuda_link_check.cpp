/// Built only where set-up installed LibTorch's CUDA libraries: the pipeline's code
/// (frames up and down through pinned buffers and streams, frame_tensor.cpp) linked
/// against libtorch_cuda.so, every CUDA library resolved by the linker — so what runs
/// on a GPU compiles and links in CI, on machines without one. Run, it loads and says
/// what CUDA can do here, then moves a frame through to_tensor/to_image on every usable
/// device and checks it comes back bit-exact.
#include "interp/core/cuda_status.h"
#include "interp/core/device.h"
#include "interp/pipeline/frame_tensor.h"

#include <torch/cuda.h>

#include <cstdio>

int main() {
  const interp::CudaStatus status = interp::cuda_status();
  std::printf("linked against libtorch_cuda; CUDA %s\n",
              status.usable ? "usable" : ("unavailable: " + status.why_not).c_str());
  std::vector<torch::Device> devices = {torch::kCPU};
  if (status.usable) devices.emplace_back(torch::kCUDA, 0);
  for (const int depth : {8, 16}) {
    interp::io::Image image;
    image.allocate(37, 21, 3, depth);
    for (size_t i = 0; i < image.data.size(); ++i) image.data[i] = static_cast<uint8_t>(i * 7919 % 251);
    for (const auto& device : devices) {
      for (int round = 0; round < 8; ++round) {  // staging buffers reused
        interp::io::Image back;
        interp::pipeline::to_image(interp::pipeline::to_tensor(image, device, torch::kFloat32), depth, back);
        if (back.data != image.data) {
          std::fprintf(stderr, "%s, %d-bit: the frame changed on its way\n", device.str().c_str(), depth);
          return 1;
        }
      }
      std::printf("%s, %d-bit: frames round-trip exactly\n", device.str().c_str(), depth);
    }
  }
  return 0;
}
