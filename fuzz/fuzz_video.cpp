// A video file's bytes through a memory-backed AVIOContext -> every value VideoReader
// returns, to the end; and the same bytes opened as a file, which VideoReader reads
// twice where its rates disagree (io/frame_rate.h: the grid from hostile timestamps).
#include "interp/base/error.h"
#include "interp/io/ffmpeg_log.h"
#include "interp/io/video_reader.h"

#include "fuzz_support.h"

#include <cstdint>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = (interp::io::set_ffmpeg_log_level(false), true);
  (void)quiet;
  try {
    interp::io::VideoReader reader(std::vector<uint8_t>(data, data + size), "fuzz");
    for (int items = 0; items < 10000; ++items)
      if (std::holds_alternative<interp::io::EndOfStream>(reader.next())) break;
  } catch (const interp::Error&) {
  }
  const interp::fuzz::MemoryFile file(data, size);
  try {
    interp::io::VideoReader reader(file.path());
    (void)reader.info();
  } catch (const interp::Error&) {
  }
  return 0;
}
