#pragma once
/// A compressed packet of an audio or subtitle stream on its way from VideoReader to
/// VideoWriter (stream copy). Move-only; what it holds is FFmpeg's and stays inside io.
/// Constructing, moving and destroying one needs no FFmpeg symbol (the release function
/// travels with the data), so the job's threads, which only pass packets on, build and
/// link with LibTorch alone (interp_job: what a GPU box without FFmpeg runs).
#include <memory>

namespace interp::io {

class Packet {
 public:
  struct Data;  ///< defined inside io (an owned AVPacket)

  /// Empty: holds nothing until io allocates it.
  Packet() = default;
  /// A packet that owns an empty AVPacket, for io to fill.
  static Packet allocate();

  Data& data() { return *data_; }

 private:
  using Release = void (*)(Data*);
  std::unique_ptr<Data, Release> data_{nullptr, nullptr};
};

}  // namespace interp::io
