/// fd 2 into a memfd and back.
#include "stderr_capture.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <sstream>

namespace interp::io {
namespace {

std::mutex g_capture;  // one capture at a time: fd 2 is process-wide

/// libpng's, libjpeg's and libtiff's own wording.
bool from_a_picture_library(const std::string& line) {
  for (const char* prefix : {"libpng", "Corrupt JPEG", "Premature end of JPEG", "Invalid SOS", "Invalid JPEG",
                             "Not a JPEG", "Bogus", "Unsupported JPEG", "TIFF", "JPEG"})
    if (line.rfind(prefix, 0) == 0) return true;
  return false;
}

}  // namespace

StderrCapture::StderrCapture() {
  g_capture.lock();
  std::fflush(stderr);
  memory_ = ::memfd_create("interp-stderr", 0);
  saved_ = memory_ >= 0 ? ::dup(STDERR_FILENO) : -1;
  if (saved_ >= 0) ::dup2(memory_, STDERR_FILENO);
}

StderrCapture::~StderrCapture() {
  if (saved_ >= 0 || memory_ >= 0) release();
}

std::string StderrCapture::release() {
  std::string text;
  if (saved_ >= 0) {
    std::fflush(stderr);
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
    saved_ = -1;
    char buffer[4096];
    ::lseek(memory_, 0, SEEK_SET);
    for (ssize_t n; (n = ::read(memory_, buffer, sizeof(buffer))) > 0;) text.append(buffer, static_cast<size_t>(n));
  }
  if (memory_ >= 0) {
    ::close(memory_);
    memory_ = -1;
    g_capture.unlock();
  }
  std::string library, other;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (from_a_picture_library(line))
      library += (library.empty() ? "" : "; ") + line;
    else
      other += line + "\n";
  }
  if (!other.empty()) ::write(STDERR_FILENO, other.data(), other.size());
  return library;
}

}  // namespace interp::io
