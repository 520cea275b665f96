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

void say(const char* text) {
  ssize_t ignored = ::write(STDERR_FILENO, text, std::strlen(text));
  (void)ignored;
}

}  // namespace

SignalWatcher::SignalWatcher() {
  const sigset_t set = watched_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([this, set] {
    for (;;) {
      int sig = 0;
      if (sigwait(&set, &sig) != 0) continue;
      if (!cancel_.exchange(true)) {
        signal_ = sig;
        continue;  // the job notices, unwinds and removes its temporary output
      }
      // Asked twice: do not wait for the job.
      io::remove_pending_outputs();
      say("interp: stopped; temporary output removed\n");
      ::_exit(128 + signal_.load());
    }
  }).detach();
}

}  // namespace interp::cli
