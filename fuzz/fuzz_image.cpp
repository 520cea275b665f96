// A picture file (PNG, JPEG, WebP, TIFF, BMP) -> io::read_image.
#include "fuzz_support.h"
#include "interp/base/error.h"
#include "interp/io/image_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  interp::fuzz::MemoryFile file(data, size);
  try {
    interp::io::read_image(file.path());
  } catch (const interp::Error&) {
  }
  return 0;
}
