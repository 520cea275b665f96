// A --range piece's bytes -> what `interp join` reads and checks of it: the container,
// its piece record (tags), and every check of piece_check.h over its packets. join
// reads pieces by path, so the bytes go through a file of this process's own.
#include "interp/base/error.h"
#include "interp/io/ffmpeg_log.h"
#include "piece_check.h"

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = (interp::io::set_ffmpeg_log_level(false), true);
  (void)quiet;
  static const std::string path = "/tmp/interp_fuzz_piece_" + std::to_string(::getpid()) + ".mkv";
  static const bool cleaned = (std::atexit([] { std::remove(path.c_str()); }), true);  // nothing left behind
  (void)cleaned;
  if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data, 1, size, f);
    std::fclose(f);
  }
  try {
    std::vector<interp::io::Piece> pieces;
    pieces.push_back(interp::io::open_piece(path));
    std::vector<std::string> notes;
    interp::io::check_pieces(pieces, notes);
  } catch (const interp::Error&) {
  }
  return 0;
}
