// data.pkl of a TorchScript archive (FILM's .pt: module objects built with BUILD), read
// as data as the FILM loader does; the archive's code record must never matter.
#include "fuzz_support.h"
#include "interp/base/error.h"
#include "interp/core/weights/torch_pickle.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::map<std::string, std::string> kTorchScript = {
      {"constants.pkl", std::string("\x80\x02)\x2e", 4)},
      {"code/__torch__/interpolator.py", "class Interpolator(Module):\n  pass\n"}};
  const std::string zip = interp::fuzz::torch_zip(data, size, kTorchScript);
  interp::fuzz::MemoryFile file(zip.data(), zip.size());
  try {
    interp::weights::read_torch_state_dict(file.path());
  } catch (const interp::Error&) {
  }
  return 0;
}
