/// Ownership by identity (repeated_output.h): the name's device and inode, links not
/// followed, compared before the atomic exchange and checked again after it.
#include "interp/io/repeated_output.h"

#include "interp/base/error.h"
#include "interp/io/output_file.h"
#include "output_support.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace interp::io {
namespace {

std::optional<std::pair<uint64_t, uint64_t>> identity(const std::string& path) {
  const auto id = id_of_name(path);
  if (!id) return std::nullopt;
  return std::make_pair(static_cast<uint64_t>(id->device), static_cast<uint64_t>(id->inode));
}

/// The temporary name, removed at the end: by then it holds nothing (the version was
/// moved into place), the previous version swapped out, or a version that never took
/// the target's place.
struct TemporaryVersion {
  std::string path;
  bool keep = false;  ///< a swap back failed: someone else's file may be here
  explicit TemporaryVersion(std::string p) : path(std::move(p)) { register_pending(path); }
  ~TemporaryVersion() {
    forget_pending(path);
    std::error_code ec;
    if (!keep) std::filesystem::remove(path, ec);
  }
};

}  // namespace

RepeatedOutput::RepeatedOutput(std::string target, bool replace_existing, std::vector<std::string> inputs)
    : target_(std::move(target)), inputs_(std::move(inputs)) {
  PendingOutput::check(target_, PendingOutput::Kind::File, replace_existing, inputs_);
  if (replace_existing) owned_ = identity(target_);
}

void RepeatedOutput::write(const std::function<void(const std::string& temp)>& fill) {
  TemporaryVersion version(temporary_beside(target_, std::filesystem::path(target_).extension().string()));
  fill(version.path);
  const std::string kept = target_ + ": appeared or changed while interp was running (another run writing there?); "
                                     "kept it and stopped";
  int moved = rename_no_replace(version.path, target_);
  if (moved == EEXIST) {
    if (!owned_ || identity(target_) != owned_) throw Error(kept);
    moved = exchange_paths(version.path, target_);
    // The old version now sits at the temporary name: had another program put its file
    // at the target between the comparison and the exchange, swap back and keep it.
    if (moved == 0 && identity(version.path) != owned_) {
      version.keep = exchange_paths(version.path, target_) != 0;
      throw Error(version.keep ? kept + " (it is at " + version.path + ")" : kept);
    }
  }
  if (moved != 0) throw Error(target_ + ": cannot move the new version into place (" + std::strerror(moved) + ")");
  owned_ = identity(target_);
}

}  // namespace interp::io
