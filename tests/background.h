#pragma once
/// interp run in the background, for tests that act while it runs (signals) and wait
/// on what it writes (an event), never on the wall clock.
#include "cli_support.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

namespace interp::test {

/// interp started in the background (its stderr kept in a file), so that a test can act
/// while it runs.
class Background {
 public:
  /// `talks`: without -q, so that interp says what it does on stderr.
  Background(const std::string& args, const std::string& err_path, const std::string& out_path = "/dev/null",
             bool talks = false) {
    const std::string command = "exec " + (talks ? quote(INTERP_BINARY) + " " + args : interp_cmd(args)) + " 2>" +
                                quote(err_path) + " >" + quote(out_path) + " </dev/null";
    pid_ = ::fork();
    if (pid_ == 0) {
      ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~Background() {
    if (pid_ > 0 && code_ < 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  void signal(int sig) const { ::kill(pid_, sig); }
  /// Exit code (128+N for a signal), or -1 if it did not end within `seconds`.
  int wait(double seconds = 120) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_)
        return code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }

 private:
  pid_t pid_ = -1;
  int code_ = -1;
};

/// Waits until interp's temporary output shows up in `dir`: the job is then under way.
inline bool wait_for_temporary(const std::filesystem::path& dir, double seconds = 120) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    for (const auto& e : std::filesystem::directory_iterator(dir))
      if (e.path().filename().string().find(".interp-") != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

/// Waits until `path` holds `text` (a line interp wrote): the event it stands for happened.
inline bool wait_for_text(const std::filesystem::path& path, const std::string& text, double seconds = 120) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (slurp(path).find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

}  // namespace interp::test
