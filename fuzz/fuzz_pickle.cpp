// data.pkl of a torch.save state dict (flownet.pkl's format) -> read_torch_state_dict.
#include "fuzz_support.h"
#include "interp/base/error.h"
#include "interp/core/weights/torch_pickle.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string zip = interp::fuzz::torch_zip(data, size);
  interp::fuzz::MemoryFile file(zip.data(), zip.size());
  try {
    interp::weights::read_torch_state_dict(file.path());
  } catch (const interp::Error&) {
  }
  return 0;
}
