#pragma once
/// A fresh folder under the system's temp directory, removed with everything in it.
/// Kept free of LibTorch so the io tests need nothing but interp_io.
#include <unistd.h>

#include <filesystem>
#include <string>

namespace interp::test {

/// A scratch folder removed when the test ends.
class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("interp_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter()++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  static int& counter() {
    static int c = 0;
    return c;
  }
  std::filesystem::path path_;
};

}  // namespace interp::test
