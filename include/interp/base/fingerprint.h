#pragma once
/// A 64-bit FNV-1a hash, for telling files and streams apart (is this piece's source the
/// same video? the same weights?), not for security: nobody is assumed to forge one.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace interp {

class Fingerprint {
 public:
  void add(const void* data, size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < size; ++i) hash_ = (hash_ ^ bytes[i]) * 0x100000001b3ULL;
  }
  void add(int64_t value) { add(&value, sizeof(value)); }
  void add(const std::string& text) {
    add(static_cast<int64_t>(text.size()));
    add(text.data(), text.size());
  }
  std::string hex() const {
    char out[17];
    std::snprintf(out, sizeof(out), "%016llx", static_cast<unsigned long long>(hash_));
    return out;
  }

 private:
  uint64_t hash_ = 0xcbf29ce484222325ULL;
};

/// The hash of a file's bytes ("" when it cannot be read).
inline std::string hash_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  Fingerprint f;
  std::vector<char> buffer(1 << 16);
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0)
    f.add(buffer.data(), static_cast<size_t>(in.gcount()));
  return f.hex();
}

}  // namespace interp
