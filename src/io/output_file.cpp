/// Temporary names beside the target, then renameat2(2): atomic on one filesystem, and
/// with RENAME_NOREPLACE / RENAME_EXCHANGE the check and the move are one step.
#include "interp/io/output_file.h"

#include "output_support.h"
#include "interp/base/error.h"
#include "interp/io/image_sequence.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace interp::io {
namespace fs = std::filesystem;

namespace {

constexpr const char* kMarkerText =
    "This folder was written by interp. `interp ... -y` may replace it as a whole,\n"
    "as long as it holds nothing but this file and numbered frames.\n";
/// The marker's line naming the frames' pattern, when it is not the default 0000.png.
constexpr const char* kPatternKey = "frames: ";

std::string without_trailing_slashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

fs::path resolved(const fs::path& path) {
  std::error_code ec;
  auto abs = fs::absolute(path, ec);
  auto canon = fs::weakly_canonical(abs, ec);
  return ec ? abs.lexically_normal() : canon;
}

/// True when `outer` is `inner` or one of the folders above it.
bool is_same_or_ancestor(const fs::path& outer, const fs::path& inner) {
  for (fs::path p = inner;; p = p.parent_path()) {
    if (p == outer) return true;
    if (p == p.parent_path()) return false;
  }
}

bool is_numbered_frame(const std::string& name) {
  const auto dot = name.find('.');
  if (dot == 0 || dot == std::string::npos) return false;
  if (!std::all_of(name.begin(), name.begin() + dot, [](char c) { return c >= '0' && c <= '9'; })) return false;
  const std::string ext = name.substr(dot);
  return ext == ".png" || ext == ".jpg" || ext == ".tif" || ext == ".tiff" || ext == ".webp" || ext == ".bmp";
}

/// The frame-name pattern a marker records ("" when none).
std::string recorded_pattern(const fs::path& marker) {
  std::ifstream in(marker);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(kPatternKey, 0) == 0) return line.substr(std::strlen(kPatternKey));
  return "";
}

/// Empty when `folder` is an output folder interp wrote, else why it is not.
std::string why_not_replaceable(const fs::path& folder) {
  std::error_code ec;
  const auto link = fs::symlink_status(folder, ec);
  if (fs::is_symlink(link)) return "is a symbolic link";
  if (!fs::is_directory(link)) return "is a file, not an output folder";
  if (!fs::is_regular_file(fs::symlink_status(folder / kOutputFolderMarker, ec)))
    return std::string("is a folder interp did not write (no ") + kOutputFolderMarker + " inside)";
  const std::string pattern = recorded_pattern(folder / kOutputFolderMarker);
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name == kOutputFolderMarker) continue;
    const bool frame = is_numbered_frame(name) || (!pattern.empty() && matches_sequence(pattern, name));
    if (!fs::is_regular_file(it->symlink_status()) || !frame)
      return "holds " + name + ", which interp did not write";
  }
  if (ec) return "cannot be listed (" + ec.message() + ")";
  return "";
}

[[noreturn]] void refuse_folder(const std::string& target, const std::string& why) {
  throw Error(target + ": " + why + "; -y only replaces a folder interp wrote (remove it yourself, or choose another name)");
}

/// Whether `kind` writes into what special_file_kind() found.
bool writes_into(PendingOutput::Kind kind, const std::string& special) {
  return kind == PendingOutput::Kind::FileOrStream && (special == "a character device" || special == "a FIFO");
}

}  // namespace

void check_standard_output(const std::vector<std::string>& inputs) {
  const auto out = id_of_descriptor(STDOUT_FILENO);
  if (!out || !(S_ISREG(out->mode) || S_ISBLK(out->mode))) return;  // a pipe, a terminal, /dev/null
  if (const auto input = input_that_is(*out, inputs))
    throw Error("-: standard output is the input " + (*input == "-" ? std::string("(standard input)") : *input) +
                "; refusing to overwrite an input");
}

void check_apart(const std::string& output, const std::string& other, const std::string& what) {
  const fs::path a = resolved(without_trailing_slashes(output)), b = resolved(without_trailing_slashes(other));
  std::error_code ec;
  if (a == b || (fs::exists(output, ec) && fs::equivalent(output, other, ec)))
    throw Error(what + " " + other + ": is the output " + output);
  if (is_same_or_ancestor(a, b)) throw Error(what + " " + other + ": is inside the output " + output);
  if (is_same_or_ancestor(b, a)) throw Error(what + " " + other + ": holds the output " + output);
}

void PendingOutput::check(const std::string& target_in, Kind kind, bool overwrite,
                          const std::vector<std::string>& inputs) {
  const std::string target = without_trailing_slashes(target_in);
  const fs::path path(target);
  const std::string name = path.filename().string();
  const fs::path where = resolved(path);
  if (name.empty() || name == "." || name == ".." || where == where.root_path())
    throw Error(target_in + ": names a folder that holds other files; give the output a name of its own");
  std::error_code ec;
  if (is_same_or_ancestor(where, resolved(fs::current_path(ec))))
    throw Error(target_in + ": is the current folder or holds it; give the output a name of its own");
  // By path (the target may not exist yet), then by identity: a hard or symbolic link
  // to an input, or standard input redirected from the target, is that input.
  for (const auto& input : inputs) {
    if (input == "-") continue;
    const fs::path source = resolved(input);
    if (source == where) throw Error(target_in + ": is the input; refusing to overwrite an input");
    if (is_same_or_ancestor(where, source))
      throw Error(target_in + ": holds the input " + input + "; refusing to replace it");
  }
  if (const auto id = id_of_input(target); id)
    if (const auto input = input_that_is(*id, inputs))
      throw Error(target_in + ": is the input " + (*input == "-" ? std::string("(standard input)") : *input) +
                  "; refusing to overwrite an input");

  // A device node, FIFO or socket (or a link to one) is never replaced by a file.
  if (const std::string special = special_file_kind(target); !special.empty()) {
    if (writes_into(kind, special)) return;
    throw Error(target_in + ": is " + special + "; interp writes a new file and never replaces " + special +
                " (give a file name)");
  }
  const auto status = fs::symlink_status(path, ec);
  if (fs::exists(status)) {
    if (!overwrite) throw Error(target_in + ": already exists (use -y to overwrite)");
    if (kind != Kind::Folder && fs::is_directory(fs::status(path, ec))) throw Error(target_in + ": is a folder");
    if (kind == Kind::Folder) {
      if (const auto why = why_not_replaceable(path); !why.empty()) refuse_folder(target_in, why);
    }
  }
  fs::path parent = path.parent_path();
  if (parent.empty()) parent = ".";
  if (!fs::is_directory(parent, ec)) throw Error(target_in + ": output folder " + parent.string() + " does not exist");
  if (::access(parent.c_str(), W_OK) != 0)
    throw Error(target_in + ": output folder " + parent.string() + " is not writable");
}

PendingOutput::PendingOutput(const std::string& target, Kind kind, bool overwrite,
                             const std::vector<std::string>& inputs, const std::string& frame_pattern)
    : target_(without_trailing_slashes(target)), frame_pattern_(frame_pattern), kind_(kind), overwrite_(overwrite) {
  check(target, kind, overwrite, inputs);
  if (writes_into(kind, special_file_kind(target_))) {
    stream_ = true;
    temp_ = target_;
    return;
  }
  temp_ = temporary_beside(target_, kind == Kind::Folder ? "" : fs::path(target_).extension().string());
  register_pending(temp_);
  if (kind == Kind::Folder) {
    std::error_code ec;
    fs::create_directory(temp_, ec);
    if (ec) throw Error(target_ + ": cannot create a folder beside it (" + ec.message() + ")");
  }
}

PendingOutput::~PendingOutput() {
  if (stream_) return;
  forget_pending(temp_);
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(temp_, ec);
}

void PendingOutput::commit() {
  if (stream_) {
    committed_ = true;
    return;
  }
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(temp_, ec))) throw Error(target_ + ": nothing was written");
  if (kind_ == Kind::Folder) {
    std::ofstream marker(fs::path(temp_) / kOutputFolderMarker);
    marker << kMarkerText;
    if (!frame_pattern_.empty()) marker << kPatternKey << frame_pattern_ << "\n";
    if (!marker.flush()) throw Error(target_ + ": cannot write into the output folder");
  }
  const int moved = rename_no_replace(temp_, target_);
  if (moved == EEXIST) {
    if (!overwrite_)
      throw Error(target_ + ": appeared while interp was running; kept it and discarded this result (use -y to replace it)");
    commit_replacing();
  } else if (moved != 0) {
    throw Error(target_ + ": cannot move the result into place (" + std::strerror(moved) + ")");
  }
  committed_ = true;
}

void PendingOutput::commit_replacing() {
  std::error_code ec;
  if (kind_ != Kind::Folder) {
    if (fs::is_directory(fs::symlink_status(target_, ec))) throw Error(target_ + ": is a folder");
    if (::rename(temp_.c_str(), target_.c_str()) != 0)
      throw Error(target_ + ": cannot move the result into place (" + std::strerror(errno) + ")");
    return;
  }
  if (const auto why = why_not_replaceable(target_); !why.empty()) refuse_folder(target_, why);
  if (const int err = exchange_paths(temp_, target_))
    throw Error(target_ + ": cannot move the result into place (" + std::strerror(err) + ")");
  // The old folder now sits at temp_. Had it changed between the check and the swap,
  // swap back: the destructor then discards this result, never the user's folder.
  if (const auto why = why_not_replaceable(temp_); !why.empty()) {
    exchange_paths(temp_, target_);
    refuse_folder(target_, why);
  }
  fs::remove_all(temp_, ec);
}

}  // namespace interp::io
