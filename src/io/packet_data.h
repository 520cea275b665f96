#pragma once
/// io-private: what an io::Packet holds.
#include "ffmpeg_util.h"
#include "interp/io/packet.h"

namespace interp::io {

struct Packet::Data {
  av::Packet packet = av::make_packet();
};

}  // namespace interp::io
