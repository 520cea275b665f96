#pragma once
/// Shared by the fuzz targets: inputs as files in memory (memfd), and torch-style zips
/// around a fuzzed data.pkl. A reader may refuse an input only with interp::Error; any
/// other exception escapes and libFuzzer reports it as a crash.
#include <caffe2/serialize/inline_container.h>

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <map>
#include <string>

namespace interp::fuzz {

/// A file that lives in memory, named /proc/self/fd/N for the readers that take paths.
class MemoryFile {
 public:
  MemoryFile(const void* data, size_t size) : fd_(::memfd_create("interp-fuzz", 0)) {
    const auto* p = static_cast<const char*>(data);
    for (size_t done = 0; fd_ >= 0 && done < size;) {
      const ssize_t n = ::write(fd_, p + done, size - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
  }
  ~MemoryFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }

 private:
  int fd_;
};

/// A torch.save-style zip holding `pickle` as data.pkl, storage records data/0..data/63
/// of 1024 zero floats each (the seeds' tensors fit them) and `extra` records.
inline std::string torch_zip(const uint8_t* pickle, size_t size, const std::map<std::string, std::string>& extra = {}) {
  std::string out;
  caffe2::serialize::PyTorchStreamWriter writer([&out](const void* buf, size_t n) -> size_t {
    out.append(static_cast<const char*>(buf), n);
    return n;
  });
  writer.writeRecord("data.pkl", pickle, size);
  static const std::string zeros(4096, '\0');
  for (int i = 0; i < 64; ++i) writer.writeRecord("data/" + std::to_string(i), zeros.data(), zeros.size());
  for (const auto& [name, data] : extra) writer.writeRecord(name, data.data(), data.size());
  writer.writeEndOfFile();
  return out;
}

}  // namespace interp::fuzz
