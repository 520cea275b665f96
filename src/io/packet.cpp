/// io::Packet: an owned AVPacket behind a pointer, so that no public header names FFmpeg.
#include "packet_data.h"

namespace interp::io {

Packet::Packet() : data_(std::make_unique<Data>()) {}
Packet::~Packet() = default;
Packet::Packet(Packet&&) noexcept = default;
Packet& Packet::operator=(Packet&&) noexcept = default;

}  // namespace interp::io
