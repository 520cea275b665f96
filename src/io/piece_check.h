#pragma once
/// io-private: everything `interp join` proves of its pieces before it writes a byte.
/// A piece is trusted for nothing it says without a way to check it: its record must
/// agree with the other pieces' (same source by content, same settings, same codec),
/// the records must cover the source's frames from 0 with no gap or overlap, and the
/// packets in each file must be the output frames its record names, evenly timed and
/// all there (a truncated copy holds fewer).
#include "ffmpeg_util.h"
#include "interp/io/piece_record.h"

#include <string>
#include <vector>

namespace interp::io {

/// A piece file opened for reading its video, with its record.
struct Piece {
  std::string path;
  av::InputContext format;
  int video = -1;
  PieceRecord record;

  const AVStream* stream() const { return format->streams[video]; }
};

/// Opens `path`; throws interp::Error when it is no piece of `interp --range`.
Piece open_piece(const std::string& path);

/// Sorts `pieces` into frame order and checks them together and one by one (the packets
/// of each are read, not decoded). Adds what cannot be checked to `notes`.
void check_pieces(std::vector<Piece>& pieces, std::vector<std::string>& notes);

/// Checks that `video` is the source the pieces record (by content); throws naming both.
void check_source(const std::vector<Piece>& pieces, const std::string& video);

}  // namespace interp::io
