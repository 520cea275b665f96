/// The identity and naming helpers the safe outputs share (output_support.h).
#include "output_support.h"

#include "interp/io/output_file.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <mutex>
#include <set>

namespace interp::io {
namespace fs = std::filesystem;

namespace {

/// Temporary outputs alive in this process, for remove_pending_outputs().
struct Registry {
  std::mutex mutex;
  std::set<std::string> paths;
};
Registry& registry() {
  static Registry* r = new Registry;  // never destroyed: a signal thread may use it during exit
  return *r;
}

}  // namespace

int exchange_paths(const std::string& a, const std::string& b) {
  if (::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return errno;
  const std::string parked = a + ".old";  // filesystem without the flag: two renames
  if (::rename(b.c_str(), parked.c_str()) != 0) return errno;
  if (::rename(a.c_str(), b.c_str()) != 0) {
    const int err = errno;
    ::rename(parked.c_str(), b.c_str());
    return err;
  }
  return ::rename(parked.c_str(), a.c_str()) == 0 ? 0 : errno;
}

std::optional<FileId> id_of_name(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return std::nullopt;
  return FileId{st.st_dev, st.st_ino, st.st_mode};
}

std::string special_file_kind(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "";
  if (S_ISCHR(st.st_mode)) return "a character device";
  if (S_ISBLK(st.st_mode)) return "a block device";
  if (S_ISFIFO(st.st_mode)) return "a FIFO";
  if (S_ISSOCK(st.st_mode)) return "a socket";
  return "";
}

std::optional<FileId> id_of_descriptor(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return std::nullopt;
  return FileId{st.st_dev, st.st_ino, st.st_mode};
}

std::optional<FileId> id_of_input(const std::string& path) {
  if (path == "-") return id_of_descriptor(STDIN_FILENO);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileId{st.st_dev, st.st_ino, st.st_mode};
}

std::optional<std::string> input_that_is(const FileId& target, const std::vector<std::string>& inputs) {
  for (const auto& input : inputs)
    if (const auto id = id_of_input(input); id && *id == target) return input;
  return std::nullopt;
}

int rename_no_replace(const std::string& from, const std::string& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return errno;
  std::error_code ec;  // filesystem without the flag: check, then move (a small race remains)
  if (fs::exists(fs::symlink_status(to, ec))) return EEXIST;
  return ::rename(from.c_str(), to.c_str()) == 0 ? 0 : errno;
}

std::string temporary_beside(const std::string& target, const std::string& suffix) {
  static std::atomic<int> serial{0};
  const fs::path path(target);
  fs::path parent = path.parent_path();
  if (parent.empty()) parent = ".";
  return (parent / ("." + path.filename().string() + ".interp-" + std::to_string(::getpid()) + "-" +
                    std::to_string(serial++) + ".partial" + suffix))
      .string();
}

void register_pending(const std::string& path) {
  std::lock_guard<std::mutex> lock(registry().mutex);
  registry().paths.insert(path);
}

void forget_pending(const std::string& path) {
  std::lock_guard<std::mutex> lock(registry().mutex);
  registry().paths.erase(path);
}

void remove_pending_outputs() {
  std::lock_guard<std::mutex> lock(registry().mutex);
  std::error_code ec;
  for (const auto& path : registry().paths) fs::remove_all(path, ec);
}

}  // namespace interp::io
