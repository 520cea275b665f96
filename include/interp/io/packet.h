#pragma once
/// A compressed packet of an audio or subtitle stream on its way from VideoReader to
/// VideoWriter (stream copy). Move-only; what it holds is FFmpeg's and stays inside io.
#include <memory>

namespace interp::io {

class Packet {
 public:
  struct Data;  ///< defined inside io (an owned AVPacket)

  Packet();
  ~Packet();
  Packet(Packet&&) noexcept;
  Packet& operator=(Packet&&) noexcept;
  Packet(const Packet&) = delete;
  Packet& operator=(const Packet&) = delete;

  Data& data() { return *data_; }

 private:
  std::unique_ptr<Data> data_;
};

}  // namespace interp::io
