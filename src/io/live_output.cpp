/// Live outputs: a new file renamed into place, removed unless the job succeeded.
#include "interp/io/live_output.h"

#include "interp/base/error.h"
#include "interp/io/output_file.h"
#include "output_support.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

namespace interp::io {

namespace {

/// A FIFO or character device at `path` (written into, never replaced), by identity.
std::optional<FileId> stream_device(const std::string& path) {
  const auto id = id_of_input(path);
  if (!id || !(S_ISFIFO(id->mode) || S_ISCHR(id->mode))) return std::nullopt;
  return id;
}

}  // namespace

void LiveOutput::check(const std::string& path, bool overwrite, const std::vector<std::string>& inputs) {
  if (const auto device = stream_device(path)) {
    if (const auto input = input_that_is(*device, inputs)) throw Error(path + ": is the input " + *input);
    return;
  }
  PendingOutput::check(path, PendingOutput::Kind::File, overwrite, inputs);
}

LiveOutput::LiveOutput(const std::string& path, bool overwrite, const std::vector<std::string>& inputs)
    : path_(path) {
  check(path, overwrite, inputs);
  if (stream_device(path)) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0 || !(stream_ = ::fdopen(fd, "w"))) {
      if (fd >= 0) ::close(fd);
      throw Error(path + ": cannot write (" + std::strerror(errno) + ")");
    }
    return;
  }
  const std::string temp = temporary_beside(path, "");
  register_pending(temp);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0) {
    forget_pending(temp);
    throw Error(path + ": cannot create (" + std::strerror(errno) + ")");
  }
  // In place before the first line, so that a reader can follow it by name from the start.
  int moved = rename_no_replace(temp, path);
  if (moved == EEXIST && overwrite) moved = ::rename(temp.c_str(), path.c_str()) == 0 ? 0 : errno;  // replaces a name
  if (moved != 0) {
    ::close(fd);
    ::unlink(temp.c_str());
    forget_pending(temp);
    throw Error(moved == EEXIST ? path + ": appeared meanwhile; kept it (use -y to replace it)"
                                : path + ": cannot create (" + std::strerror(moved) + ")");
  }
  register_pending(path);
  forget_pending(temp);
  stream_ = ::fdopen(fd, "w");
  if (!stream_) {
    ::close(fd);
    throw Error(path + ": cannot write (" + std::strerror(errno) + ")");
  }
  owned_ = true;
}

LiveOutput::~LiveOutput() {
  if (stream_) std::fclose(stream_);
  if (!owned_) return;
  forget_pending(path_);
  if (!keep_) ::unlink(path_.c_str());
}

}  // namespace interp::io
