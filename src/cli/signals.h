#pragma once
/// Ctrl-C and friends. SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGPIPE are blocked in every
/// thread and taken by one watcher thread with sigwait(2), so the response is ordinary
/// code rather than a signal handler: the first signal asks the job to stop (it unwinds
/// and removes its temporary output); a second one removes every temporary output at
/// once and exits. A SIGPIPE raised by a write to a closed pipe stays with the writing
/// thread, whose write then fails with EPIPE like any other I/O error.
#include <atomic>

namespace interp::cli {

class SignalWatcher {
 public:
  /// Must run before any other thread starts (threads inherit the blocked set).
  SignalWatcher();

  /// Set by the first signal; jobs poll it.
  const std::atomic<bool>& cancel() const { return cancel_; }
  /// The first signal received, 0 if none.
  int signal_number() const { return signal_; }

 private:
  std::atomic<bool> cancel_{false};
  std::atomic<int> signal_{0};
};

}  // namespace interp::cli
