/// The CUDA probe behind `interp --runtime` and the device choice (see cuda_status.h).
/// libtorch_cuda.so's dependencies are read from its ELF dynamic section and looked up
/// the way the loader does (its RPATH, $ORIGIN expanded, then the system's search), so
/// a missing library is named before anything fails to load.
#include "interp/core/cuda_status.h"

#include "interp/core/device.h"


#include <dlfcn.h>
#include <elf.h>
#include <link.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace interp {
namespace {

namespace fs = std::filesystem;

struct ElfDeps {
  std::vector<std::string> needed;
  std::vector<std::string> search;  ///< DT_RPATH / DT_RUNPATH entries, $ORIGIN expanded
};

template <class T>
bool read_at(std::ifstream& f, uint64_t offset, T* out, size_t count = 1) {
  f.seekg(static_cast<std::streamoff>(offset));
  f.read(reinterpret_cast<char*>(out), static_cast<std::streamsize>(sizeof(T) * count));
  return static_cast<bool>(f);
}

/// NEEDED and RPATH of a 64-bit ELF shared object; empty for anything else.
ElfDeps read_elf_deps(const fs::path& path) {
  ElfDeps deps;
  std::ifstream f(path, std::ios::binary);
  Elf64_Ehdr eh{};
  if (!read_at(f, 0, &eh) || std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
      eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 || eh.e_phnum > 256)
    return deps;
  std::vector<Elf64_Phdr> ph(eh.e_phnum);
  if (!read_at(f, eh.e_phoff, ph.data(), ph.size())) return deps;
  const auto dynamic = std::find_if(ph.begin(), ph.end(), [](const Elf64_Phdr& p) { return p.p_type == PT_DYNAMIC; });
  if (dynamic == ph.end() || dynamic->p_filesz > (1u << 20)) return deps;
  std::vector<Elf64_Dyn> dyn(dynamic->p_filesz / sizeof(Elf64_Dyn));
  if (!read_at(f, dynamic->p_offset, dyn.data(), dyn.size())) return deps;
  uint64_t strtab = 0, strsz = 0;
  std::vector<uint64_t> needed, search;
  for (const auto& d : dyn) {
    if (d.d_tag == DT_STRTAB) strtab = d.d_un.d_ptr;
    if (d.d_tag == DT_STRSZ) strsz = d.d_un.d_val;
    if (d.d_tag == DT_NEEDED) needed.push_back(d.d_un.d_val);
    if (d.d_tag == DT_RPATH || d.d_tag == DT_RUNPATH) search.push_back(d.d_un.d_val);
  }
  // The string table's address is virtual: its file offset is that of its PT_LOAD segment.
  const auto load = std::find_if(ph.begin(), ph.end(), [&](const Elf64_Phdr& p) {
    return p.p_type == PT_LOAD && p.p_vaddr <= strtab && strtab + strsz <= p.p_vaddr + p.p_filesz;
  });
  if (load == ph.end() || strsz == 0 || strsz > (16u << 20)) return deps;
  std::string strings(strsz, '\0');
  if (!read_at(f, load->p_offset + (strtab - load->p_vaddr), strings.data(), strsz)) return deps;
  const auto string_at = [&](uint64_t i) { return i < strsz ? std::string(strings.c_str() + i) : std::string(); };
  for (uint64_t i : needed) deps.needed.push_back(string_at(i));
  const std::string origin = path.parent_path().string();
  for (uint64_t i : search) {
    std::stringstream list(string_at(i));
    for (std::string dir; std::getline(list, dir, ':');) {
      for (size_t at; (at = dir.find("$ORIGIN")) != std::string::npos;) dir.replace(at, 7, origin);
      if (!dir.empty()) deps.search.push_back(dir);
    }
  }
  return deps;
}

/// The C and C++ runtime: there on every machine, not CUDA's to report.
bool runtime_library(const std::string& name) {
  static const std::set<std::string> names = {"libc.so.6",       "libm.so.6",     "libdl.so.2",
                                              "librt.so.1",      "libpthread.so.0", "libstdc++.so.6",
                                              "libgcc_s.so.1",   "ld-linux-x86-64.so.2"};
  return names.count(name) > 0;
}

/// Where the loader finds `name` for an object searching `dirs` first; empty: nowhere.
std::string locate(const std::string& name, const std::vector<std::string>& dirs) {
  for (const auto& dir : dirs) {
    std::error_code ec;
    const fs::path candidate = fs::path(dir) / name;
    if (fs::exists(candidate, ec)) return fs::weakly_canonical(candidate, ec).string();
  }
  void* handle = dlopen(name.c_str(), RTLD_LAZY | RTLD_LOCAL);  // LD_LIBRARY_PATH, ld.so.cache, /lib...
  if (!handle) return {};
  std::string path;
  link_map* map = nullptr;
  if (dlinfo(handle, RTLD_DI_LINKMAP, &map) == 0 && map && map->l_name) path = map->l_name;
  dlclose(handle);
  return path;
}

/// Name and memory of each device, from the driver API (a stable C ABI in libcuda.so.1,
/// which needs no CUDA headers here).
std::vector<CudaDevice> list_devices() {
  std::vector<CudaDevice> devices;
  void* cuda = dlopen("libcuda.so.1", RTLD_LAZY | RTLD_LOCAL);
  if (!cuda) return devices;
  using Init = int (*)(unsigned);
  using Count = int (*)(int*);
  using Get = int (*)(int*, int);
  using Name = int (*)(char*, int, int);
  using Memory = int (*)(size_t*, int);
  const auto init = reinterpret_cast<Init>(dlsym(cuda, "cuInit"));
  const auto count = reinterpret_cast<Count>(dlsym(cuda, "cuDeviceGetCount"));
  const auto get = reinterpret_cast<Get>(dlsym(cuda, "cuDeviceGet"));
  const auto name = reinterpret_cast<Name>(dlsym(cuda, "cuDeviceGetName"));
  const auto memory = reinterpret_cast<Memory>(dlsym(cuda, "cuDeviceTotalMem_v2"));
  int n = 0;
  if (init && count && get && name && memory && init(0) == 0 && count(&n) == 0) {
    for (int i = 0; i < n; ++i) {
      int device = 0;
      char text[256] = {};
      size_t bytes = 0;
      if (get(&device, i) != 0 || name(text, sizeof(text) - 1, device) != 0 || memory(&bytes, device) != 0) continue;
      devices.push_back({text, static_cast<int64_t>(bytes)});
    }
  }
  dlclose(cuda);
  return devices;
}

}  // namespace

std::vector<std::string> CudaStatus::missing() const {
  std::vector<std::string> names;
  for (const auto& lib : libraries)
    if (lib.path.empty()) names.push_back(lib.name);
  return names;
}

std::string nvidia_driver_version() {
  // "NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.82.07  Sun Aug ..."
  std::ifstream f("/proc/driver/nvidia/version");
  std::string line;
  if (!std::getline(f, line)) return {};
  std::stringstream words(line);
  std::string previous, word;
  while (words >> word) {
    if (previous == "Module" || previous == "Module:") return word;
    previous = word;
  }
  return "unknown version";
}

CudaStatus cuda_status() {
  CudaStatus status;
  status.driver = nvidia_driver_version();
  const std::string dir = libtorch_library_dir();
  const fs::path cuda_lib = fs::path(dir) / "libtorch_cuda.so";
  std::error_code ec;
  status.has_libtorch_cuda = !dir.empty() && fs::exists(cuda_lib, ec);
  if (status.has_libtorch_cuda) {
    // libtorch_cuda.so and LibTorch's own libraries it pulls in (libc10_cuda,
    // libtorch_nvshmem): every other library they need.
    std::vector<fs::path> todo = {cuda_lib};
    std::set<std::string> seen;
    while (!todo.empty()) {
      const fs::path object = todo.back();
      todo.pop_back();
      const ElfDeps deps = read_elf_deps(object);
      for (const auto& name : deps.needed) {
        if (runtime_library(name) || !seen.insert(name).second) continue;
        const fs::path own = fs::path(dir) / name;
        if (fs::exists(own, ec)) {
          todo.push_back(own);  // LibTorch's: look at what it needs in turn
          continue;
        }
        status.libraries.push_back({name, locate(name, deps.search)});
      }
    }
  }
  status.usable = load_cuda_backend(&status.why_not);
  if (status.usable || !status.driver.empty()) status.devices = list_devices();
  return status;
}

}  // namespace interp
