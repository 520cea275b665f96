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
  /// Must run before any other thread starts (threads inherit the blocked set). The
  /// watcher thread and what it records live until the process ends, so a signal that
  /// arrives while main() is returning is still handled.
  SignalWatcher();

  /// Set by the first signal; jobs poll it.
  const std::atomic<bool>& cancel() const;
  /// The first signal received, 0 if none.
  int signal_number() const;
  /// Whether the first signal says on stderr that the job is stopping (not with -q).
  void announce_stop(bool on) const;
};

}  // namespace interp::cli
