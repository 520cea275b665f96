#pragma once
/// io-private: what a C library prints on stderr while it runs, taken instead of shown.
/// libpng and libjpeg, called through OpenCV, report damage only that way; interp turns
/// their lines into its own message. Text that is not the library's (another thread's
/// progress line) is written back.
#include <string>

namespace interp::io {

class StderrCapture {
 public:
  StderrCapture();   ///< from now on, fd 2 goes to a memory file
  ~StderrCapture();  ///< restores fd 2 (if release() was not called)
  StderrCapture(const StderrCapture&) = delete;
  StderrCapture& operator=(const StderrCapture&) = delete;

  /// Restores fd 2 and returns the library's lines (joined by "; "), writing anything
  /// else back to the real stderr.
  std::string release();

 private:
  int saved_ = -1;
  int memory_ = -1;
};

}  // namespace interp::io
