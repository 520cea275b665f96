/// Temporary names beside the target, then rename(2): atomic on one filesystem.
#include "interp/io/output_file.h"

#include "interp/core/error.h"

#include <unistd.h>

#include <filesystem>
#include <system_error>

namespace interp::io {
namespace fs = std::filesystem;

void ensure_distinct(const std::string& input, const std::string& output) {
  std::error_code ec;
  if (fs::exists(output, ec) && fs::equivalent(input, output, ec))
    throw Error(output + ": is the input; refusing to overwrite an input");
  if (fs::weakly_canonical(input, ec) == fs::weakly_canonical(output, ec))
    throw Error(output + ": is the input; refusing to overwrite an input");
}

PendingOutput::PendingOutput(const std::string& target, Kind kind, bool overwrite) : target_(target), kind_(kind) {
  const fs::path path(target);
  if (path.filename().empty()) throw Error(target + ": output needs a file name");
  std::error_code ec;
  if (fs::exists(path, ec)) {
    if (!overwrite) throw Error(target + ": already exists (use -y to overwrite)");
    if (kind == Kind::File && fs::is_directory(path)) throw Error(target + ": is a folder");
  }
  fs::path parent = path.parent_path();
  if (parent.empty()) parent = ".";
  if (!fs::is_directory(parent, ec)) throw Error(target + ": output folder " + parent.string() + " does not exist");
  if (::access(parent.c_str(), W_OK) != 0) throw Error(target + ": output folder " + parent.string() + " is not writable");

  const std::string stem = "." + path.filename().string() + ".interp-" + std::to_string(::getpid());
  temp_ = (parent / (kind == Kind::File ? stem + ".partial" + path.extension().string() : stem + ".partial")).string();
  if (kind == Kind::Folder) {
    fs::create_directory(temp_, ec);
    if (ec) throw Error(target + ": cannot create a folder beside it (" + ec.message() + ")");
  }
}

PendingOutput::~PendingOutput() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(temp_, ec);
}

void PendingOutput::commit() {
  std::error_code ec;
  if (!fs::exists(temp_, ec)) throw Error(target_ + ": nothing was written");
  if (kind_ == Kind::Folder && fs::exists(target_, ec)) fs::remove_all(target_, ec);
  fs::rename(temp_, target_, ec);
  if (ec) throw Error(target_ + ": cannot move the result into place (" + ec.message() + ")");
  committed_ = true;
}

}  // namespace interp::io
