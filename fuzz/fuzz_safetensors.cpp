// A whole .safetensors file -> read_safetensors (header JSON, offsets, dtypes).
#include "fuzz_support.h"
#include "interp/base/error.h"
#include "interp/core/weights/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  interp::fuzz::MemoryFile file(data, size);
  try {
    const auto model = interp::weights::read_safetensors(file.path());
    for (const auto& [name, tensor] : model.tensors) (void)tensor.sum();  // touch every byte it maps
  } catch (const interp::Error&) {
  }
  return 0;
}
