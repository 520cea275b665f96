/// uint8/uint16 HWC <-> float NCHW. Frames cross to and from a GPU as integers (a third
/// of float's bytes), converted on the device; through pinned host buffers (the driver
/// copies pageable memory twice), frames going up on a stream of their own so that the
/// next frame's copy overlaps the model still running on the previous pair. On the CPU
/// none of that applies and the frame is converted where it lies.
#include "interp/pipeline/frame_tensor.h"

#include <c10/core/Event.h>
#include <c10/core/StreamGuard.h>
#include <c10/core/impl/VirtualGuardImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstring>
#include <optional>

namespace interp::pipeline {
namespace {

/// A pinned host buffer and the copy that still reads or writes it.
struct Staging {
  torch::Tensor pinned;  ///< uint8, at least as many bytes as a frame
  std::optional<c10::Event> busy;
};

/// Each thread's pinned buffers (the decode-to-model stage uploads, the model stage
/// downloads), reused once their copy has finished; a few frames' worth at most.
constexpr size_t kStagingBuffers = 6;

Staging& staging_for(int64_t bytes) {
  thread_local std::vector<Staging> buffers;
  for (auto& s : buffers)
    if (s.pinned.numel() >= bytes && (!s.busy || s.busy->query())) return s;
  if (buffers.size() >= kStagingBuffers) {  // all in flight: wait for the oldest, grow it if needed
    Staging& s = buffers.front();
    if (s.busy) s.busy->synchronize();
    if (s.pinned.numel() < bytes) s.pinned = torch::empty({bytes}, torch::dtype(torch::kUInt8).pinned_memory(true));
    std::rotate(buffers.begin(), buffers.begin() + 1, buffers.end());
    return buffers.back();
  }
  buffers.push_back({torch::empty({bytes}, torch::dtype(torch::kUInt8).pinned_memory(true)), std::nullopt});
  return buffers.back();
}

/// The stream frames go up on, one per device and thread.
c10::Stream upload_stream(torch::Device device) {
  thread_local std::vector<std::pair<torch::Device, c10::Stream>> streams;
  for (const auto& [d, s] : streams)
    if (d == device) return s;
  const c10::impl::VirtualGuardImpl impl(device.type());
  streams.emplace_back(device, impl.getStreamFromGlobalPool(device));
  return streams.back().second;
}

/// `host` (integer HWC) on `device`: through a pinned buffer and the upload stream; the
/// device's current stream (the model's) waits for the copy, the host does not.
torch::Tensor upload(const torch::Tensor& host, torch::Device device) {
  const int64_t bytes = host.numel() * static_cast<int64_t>(host.element_size());
  Staging& s = staging_for(bytes);
  std::memcpy(s.pinned.data_ptr(), host.data_ptr(), static_cast<size_t>(bytes));
  const auto pinned = torch::from_blob(s.pinned.data_ptr(), host.sizes(), s.pinned.options().dtype(host.dtype()));
  // Allocated on the model's stream, which is the only one to use it after the copy.
  auto on_device = torch::empty(host.sizes(), host.options().device(device));
  const c10::impl::VirtualGuardImpl impl(device.type());
  const c10::Stream model_stream = impl.getStream(device);
  c10::Event copied(device.type());
  {
    const c10::StreamGuard on_upload_stream(upload_stream(device));
    on_device.copy_(pinned, /*non_blocking=*/true);
    copied.record(upload_stream(device));
  }
  copied.block(model_stream);
  s.busy = std::move(copied);
  return on_device;
}

/// `t` (integer HWC, on a device) into `out`, through a pinned buffer.
void download(const torch::Tensor& t, uint8_t* out) {
  const int64_t bytes = t.numel() * static_cast<int64_t>(t.element_size());
  Staging& s = staging_for(bytes);
  auto pinned = torch::from_blob(s.pinned.data_ptr(), t.sizes(), s.pinned.options().dtype(t.dtype()));
  pinned.copy_(t, /*non_blocking=*/true);  // on the stream that made `t`
  c10::Event copied(t.device().type());
  copied.record(c10::impl::VirtualGuardImpl(t.device().type()).getStream(t.device()));
  copied.synchronize();
  std::memcpy(out, s.pinned.data_ptr(), static_cast<size_t>(bytes));
}

}  // namespace

torch::Tensor to_tensor(const io::Image& image, torch::Device device, torch::Dtype dtype) {
  const bool deep = image.bit_depth > 8;
  auto host = torch::from_blob(const_cast<uint8_t*>(image.data.data()), {image.height, image.width, image.channels},
                               deep ? torch::kUInt16 : torch::kUInt8);
  auto t = device.is_cuda() ? upload(host, device) : host.clone();  // own the data
  if (deep) t = t.to(torch::kInt32);  // uint16 arithmetic is limited; int32 holds it exactly
  const double scale = deep ? 65535.0 : 255.0;
  // HWC data viewed as NCHW is already channels-last, the layout the models convolve
  // in: no transpose here.
  return t.permute({2, 0, 1}).unsqueeze(0).to(dtype).div_(scale);
}

void to_image(const torch::Tensor& tensor, int bit_depth, io::Image& image,
              const std::optional<io::FullSwing>& full_swing) {
  const bool deep = bit_depth > 8;
  const double scale = deep ? 65535.0 : 255.0;
  auto t = tensor.squeeze(0).to(torch::kFloat32).clamp(0.0, 1.0).mul(scale).round_();
  t = t.permute({1, 2, 0}).to(deep ? torch::kInt32 : torch::kUInt8);
  // uint16 has few device kernels: 16-bit frames narrow on the host.
  if (deep) t = t.to(torch::kCPU).to(torch::kUInt16);
  t = t.contiguous();
  image.allocate(static_cast<int>(t.size(1)), static_cast<int>(t.size(0)), static_cast<int>(t.size(2)), deep ? 16 : 8);
  image.full_swing = full_swing;
  if (t.is_cuda()) {
    download(t, image.data.data());
  } else {
    std::memcpy(image.data.data(), t.data_ptr(), image.data.size());
  }
}

}  // namespace interp::pipeline
