/// io::Packet: an owned AVPacket behind a pointer, so that no public header names FFmpeg.
#include "packet_data.h"

namespace interp::io {

Packet Packet::allocate() {
  Packet packet;
  packet.data_ = {new Data, [](Data* data) { delete data; }};
  return packet;
}

}  // namespace interp::io
