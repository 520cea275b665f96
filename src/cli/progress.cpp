/// Terminal progress bar / periodic lines.
#include "progress.h"

#include <unistd.h>

#include <cstdio>

namespace interp::cli {

namespace {
std::string clock_text(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  return buf;
}
}  // namespace

Progress::Progress(std::string label, bool enabled)
    : label_(std::move(label)), enabled_(enabled), tty_(::isatty(STDERR_FILENO) != 0),
      last_(std::chrono::steady_clock::now()) {}

void Progress::update(int64_t done, int64_t total, double seconds) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const double since = std::chrono::duration<double>(now - last_).count();
  const bool complete = total > 0 && done >= total;
  if (since < (tty_ ? 0.2 : 5.0) && !complete) return;
  last_ = now;
  const double fps = seconds > 0 ? done / seconds : 0.0;
  std::string eta = "?";
  if (total > 0 && fps > 0) eta = clock_text((total - done) / fps);
  if (tty_) {
    const int width = 30;
    const int filled = total > 0 ? static_cast<int>(width * std::min<double>(1.0, double(done) / total)) : 0;
    std::fprintf(stderr, "\r%s [%s%s] %lld/%lld frames %.2f fps ETA %s   ", label_.c_str(),
                 std::string(filled, '#').c_str(), std::string(width - filled, ' ').c_str(),
                 static_cast<long long>(done), static_cast<long long>(total), fps, eta.c_str());
    drawn_ = true;
  } else {
    std::fprintf(stderr, "%s: %lld/%lld frames, %.2f fps, ETA %s\n", label_.c_str(), static_cast<long long>(done),
                 static_cast<long long>(total), fps, eta.c_str());
  }
  std::fflush(stderr);
}

void Progress::finish() {
  if (drawn_) std::fputc('\n', stderr);
  drawn_ = false;
}

}  // namespace interp::cli
