/// One sigwait(2) thread for the whole process.
#include "signals.h"

#include "interp/io/output_file.h"

#include <signal.h>
#include <unistd.h>

#include <cstring>
#include <thread>

namespace interp::cli {
namespace {

sigset_t watched_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) sigaddset(&set, s);
  return set;
}

/// Never destroyed: the watcher thread may use it while static destructors run.
struct Received {
  std::atomic<bool> cancel{false};
  std::atomic<int> signal{0};
  std::atomic<bool> announce{true};
};
Received& received() {
  static Received* r = new Received;
  return *r;
}

void say(const char* text) {
  ssize_t ignored = ::write(STDERR_FILENO, text, std::strlen(text));
  (void)ignored;
}

}  // namespace

SignalWatcher::SignalWatcher() {
  const sigset_t set = watched_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  Received& r = received();
  std::thread([&r, set] {
    for (;;) {
      int sig = 0;
      if (sigwait(&set, &sig) != 0) continue;
      if (r.signal == 0) r.signal = sig;  // before cancel: whoever sees cancel sees the number
      if (!r.cancel.exchange(true)) {  // the job notices, unwinds and removes its temporary output
        // Said at once: stopping can take a forward pass, or wait on a stalled input.
        if (r.announce) say("interp: stopping; press Ctrl-C again to stop at once\n");
        continue;
      }
      // Asked twice: do not wait for the job.
      io::remove_pending_outputs();
      say("interp: stopped; temporary output removed\n");
      ::_exit(128 + r.signal.load());
    }
  }).detach();
}

const std::atomic<bool>& SignalWatcher::cancel() const { return received().cancel; }
int SignalWatcher::signal_number() const { return received().signal; }
void SignalWatcher::announce_stop(bool on) const { received().announce = on; }

}  // namespace interp::cli
