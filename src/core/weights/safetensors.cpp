/// safetensors reading (mmap) and writing (temp file + rename).
#include "interp/core/weights/safetensors.h"

#include "interp/base/error.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>

namespace interp::weights {
namespace {

struct DtypeName {
  const char* name;
  torch::Dtype dtype;
};
constexpr DtypeName kDtypes[] = {
    {"F32", torch::kFloat32}, {"F16", torch::kFloat16}, {"BF16", torch::kBFloat16},
    {"F64", torch::kFloat64}, {"I64", torch::kInt64},   {"I32", torch::kInt32},
    {"I16", torch::kInt16},   {"I8", torch::kInt8},     {"U8", torch::kUInt8},
    {"BOOL", torch::kBool}};

torch::Dtype dtype_from(const std::string& name, const std::string& path) {
  for (const auto& d : kDtypes)
    if (name == d.name) return d.dtype;
  throw Error(path + ": unsupported safetensors dtype " + name);
}

std::string dtype_name(torch::Dtype dtype) {
  for (const auto& d : kDtypes)
    if (d.dtype == dtype) return d.name;
  throw Error(std::string("cannot store dtype ") + c10::toString(dtype) + " in safetensors");
}

/// A read-only memory map that lives as long as any tensor pointing into it.
class Mapping {
 public:
  explicit Mapping(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) throw Error(path + ": cannot open (" + std::strerror(errno) + ")");
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);
      throw Error(path + ": not a regular file");
    }
    size_ = static_cast<size_t>(st.st_size);
    if (size_ > 0) {
      void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
      ::close(fd);
      if (p == MAP_FAILED) throw Error(path + ": cannot map file");
      data_ = static_cast<const uint8_t*>(p);
    } else {
      ::close(fd);
    }
  }
  ~Mapping() {
    if (data_) ::munmap(const_cast<uint8_t*>(data_), size_);
  }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

/// The safetensors format caps its JSON header at 100 MB; its headers nest 3 levels.
constexpr uint64_t kMaxHeaderBytes = 100'000'000;
constexpr int kMaxHeaderDepth = 8;

struct Header {
  nlohmann::json json;
  size_t data_start = 0;
};

Header parse_header(const uint8_t* data, size_t size, const std::string& path) {
  if (size < 8) throw Error(path + ": not a safetensors file (too short)");
  uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= static_cast<uint64_t>(data[i]) << (8 * i);
  if (n == 0 || n > size - 8 || data[8] != '{') throw Error(path + ": not a safetensors file");
  if (n > kMaxHeaderBytes) throw Error(path + ": safetensors header over the format's 100 MB limit");
  Header h;
  const auto bounded = [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
    if (depth > kMaxHeaderDepth) throw Error(path + ": corrupt safetensors header (nested too deeply)");
    return true;
  };
  try {
    h.json = nlohmann::json::parse(data + 8, data + 8 + n, bounded);
  } catch (const nlohmann::json::exception& e) {
    throw Error(path + ": corrupt safetensors header (" + first_line(e.what()) + ")");
  }
  if (!h.json.is_object()) throw Error(path + ": corrupt safetensors header");
  h.data_start = 8 + n;
  return h;
}

Metadata metadata_of(const nlohmann::json& header, const std::string& path) {
  Metadata out;
  const auto meta = header.find("__metadata__");
  if (meta == header.end()) return out;
  if (!meta->is_object()) throw Error(path + ": corrupt safetensors metadata");
  for (const auto& [k, v] : meta->items()) {
    if (!v.is_string()) throw Error(path + ": safetensors metadata '" + k + "' is not a string");
    out[k] = v.get<std::string>();
  }
  return out;
}

/// A list of non-negative integers, or nothing.
std::optional<std::vector<uint64_t>> unsigned_list(const nlohmann::json& j) {
  if (!j.is_array()) return std::nullopt;
  std::vector<uint64_t> out;
  for (const auto& v : j) {
    if (!v.is_number_unsigned()) return std::nullopt;
    out.push_back(v.get<uint64_t>());
  }
  return out;
}

}  // namespace

SafetensorsFile read_safetensors(const std::string& path) {
  auto mapping = std::make_shared<Mapping>(path);
  const Header header = parse_header(mapping->data(), mapping->size(), path);
  SafetensorsFile file;
  file.metadata = metadata_of(header.json, path);
  const size_t data_size = mapping->size() - header.data_start;
  for (const auto& item : header.json.items()) {
    const std::string& name = item.key();
    const auto& entry = item.value();
    if (name == "__metadata__") continue;
    const auto corrupt = [&] { return Error(path + ": corrupt safetensors entry '" + name + "'"); };
    if (!entry.is_object() || !entry.contains("dtype") || !entry["dtype"].is_string()) throw corrupt();
    const auto shape = unsigned_list(entry.value("shape", nlohmann::json()));
    const auto offsets = unsigned_list(entry.value("data_offsets", nlohmann::json()));
    if (!shape || !offsets || offsets->size() != 2) throw corrupt();
    const auto type = dtype_from(entry["dtype"].get<std::string>(), path);
    const uint64_t element = torch::elementSize(type);
    std::vector<int64_t> sizes;
    uint64_t numel = 1;
    for (const uint64_t d : *shape) {
      if (d > data_size || (d > 0 && numel > data_size / d)) throw corrupt();  // more than the file holds
      numel *= d;
      sizes.push_back(static_cast<int64_t>(d));
    }
    const uint64_t begin = (*offsets)[0], end = (*offsets)[1];
    if (end < begin || end > data_size || numel > data_size / element || end - begin != numel * element)
      throw Error(path + ": tensor '" + name + "' lies outside the file (truncated?)");
    void* ptr = const_cast<uint8_t*>(mapping->data() + header.data_start + begin);
    file.tensors[name] = torch::from_blob(ptr, sizes, [mapping](void*) {}, torch::TensorOptions().dtype(type));
  }
  return file;
}

Metadata read_safetensors_metadata(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open");
  uint8_t len[8] = {};
  in.read(reinterpret_cast<char*>(len), 8);
  uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= static_cast<uint64_t>(len[i]) << (8 * i);
  const auto file_size = std::filesystem::file_size(path);
  if (!in || n == 0 || n > file_size - 8) throw Error(path + ": not a safetensors file");
  std::vector<uint8_t> buffer(8 + n);
  std::memcpy(buffer.data(), len, 8);
  in.read(reinterpret_cast<char*>(buffer.data() + 8), static_cast<std::streamsize>(n));
  if (!in) throw Error(path + ": truncated safetensors header");
  return metadata_of(parse_header(buffer.data(), buffer.size(), path).json, path);
}

void write_safetensors(const std::string& path, const StateDict& tensors, const Metadata& metadata) {
  std::vector<torch::Tensor> blobs;
  nlohmann::json json = nlohmann::json::object();
  if (!metadata.empty()) json["__metadata__"] = metadata;
  uint64_t offset = 0;
  for (const auto& [name, tensor] : tensors) {
    auto t = tensor.detach().to(torch::kCPU).contiguous();
    const uint64_t bytes = t.numel() * t.element_size();
    json[name] = {{"dtype", dtype_name(t.scalar_type())},
                  {"shape", t.sizes().vec()},
                  {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
    blobs.push_back(t);
  }
  std::string header = json.dump();
  while (header.size() % 8) header += ' ';  // keeps the data 8-byte aligned

  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(path + ": cannot write (" + std::strerror(errno) + ")");
    uint8_t len[8];
    for (int i = 0; i < 8; ++i) len[i] = static_cast<uint8_t>(static_cast<uint64_t>(header.size()) >> (8 * i));
    out.write(reinterpret_cast<const char*>(len), 8);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    for (const auto& t : blobs)
      out.write(static_cast<const char*>(t.data_ptr()), static_cast<std::streamsize>(t.numel() * t.element_size()));
    out.flush();
    if (!out) {
      out.close();
      std::remove(tmp.c_str());
      throw Error(path + ": write failed (disk full?)");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    throw Error(path + ": cannot rename into place (" + ec.message() + ")");
  }
}

}  // namespace interp::weights
