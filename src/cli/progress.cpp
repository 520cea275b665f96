/// Terminal progress bar / periodic lines, and the key=value feed.
#include "progress.h"

#include "interp/base/error.h"

#include <unistd.h>

#include <cmath>

namespace interp::cli {

namespace {

std::string clock_text(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  return buf;
}

/// What was figured from one report: rates and times, each < 0 when unknown.
struct Figures {
  double fps = 0;       // output frames made per second of work
  double media = -1;    // seconds of output written
  double speed = -1;    // media seconds per second of work
  double eta = -1;      // seconds left
};

Figures figures(const pipeline::JobProgress& p) {
  Figures f;
  f.fps = p.seconds > 0 ? p.output_frames / p.seconds : 0.0;
  if (p.output_fps > 0) {
    f.media = p.output_frames / p.output_fps;
    if (p.seconds > 0) f.speed = f.media / p.seconds;
  }
  if (p.expected_output_frames > 0 && f.fps > 0)
    f.eta = std::max<double>(0.0, (p.expected_output_frames - p.output_frames) / f.fps);
  return f;
}

}  // namespace

Progress::Progress(std::string label, bool enabled)
    : label_(std::move(label)), enabled_(enabled), tty_(::isatty(STDERR_FILENO) != 0),
      last_(std::chrono::steady_clock::now()) {}

void Progress::update(const pipeline::JobProgress& p) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const double since = std::chrono::duration<double>(now - last_).count();
  const int64_t done = p.output_frames, total = p.expected_output_frames;
  const bool complete = total > 0 && done >= total;
  if (since < (tty_ ? 0.2 : 5.0) && !complete) return;
  last_ = now;
  const Figures f = figures(p);
  const std::string eta = f.eta >= 0 ? clock_text(f.eta) : "?";
  char speed[32] = "";
  if (f.speed >= 0) std::snprintf(speed, sizeof(speed), "speed %.3gx, ", f.speed);
  const std::string elapsed = clock_text(p.seconds);
  const std::string of = total > 0 ? std::to_string(total) : "?";  // a pipe's length is unknown
  char body[256];
  std::snprintf(body, sizeof(body), "%lld/%s frames, %.2f fps, %selapsed %s, ETA %s", static_cast<long long>(done),
                of.c_str(), f.fps, speed, elapsed.c_str(), eta.c_str());
  if (tty_) {
    const int width = 24;
    const int filled = total > 0 ? static_cast<int>(width * std::min<double>(1.0, double(done) / total)) : 0;
    std::fprintf(stderr, "\r%s [%s%s] %s   ", label_.c_str(), std::string(filled, '#').c_str(),
                 std::string(width - filled, ' ').c_str(), body);
    drawn_ = true;
  } else {
    std::fprintf(stderr, "%s: %s\n", label_.c_str(), body);
  }
  std::fflush(stderr);
}

void Progress::finish() {
  if (drawn_) std::fputc('\n', stderr);
  drawn_ = false;
}

ProgressFeed::ProgressFeed(const std::string& path, bool overwrite, const std::vector<std::string>& inputs)
    : out_(path, overwrite, inputs), written_(std::chrono::steady_clock::now()) {}

void ProgressFeed::write_block(const pipeline::JobProgress& p, const char* ending) {
  const Figures f = figures(p);
  out_.print("frame=%lld\ntotal=%lld\nfps=%.2f\nelapsed=%.2f\n", static_cast<long long>(p.output_frames),
             static_cast<long long>(p.expected_output_frames), f.fps, p.seconds);
  if (f.media >= 0) {
    const auto micro = static_cast<long long>(std::llround(f.media * 1e6));
    out_.print("out_time=%02lld:%02lld:%02lld.%06lld\nout_time_s=%.6f\n", micro / 3600000000LL,
               micro / 60000000LL % 60, micro / 1000000LL % 60, micro % 1000000LL, f.media);
  } else {
    out_.print("out_time=N/A\nout_time_s=N/A\n");
  }
  if (f.speed >= 0)
    out_.print("speed=%.3fx\n", f.speed);
  else
    out_.print("speed=N/A\n");
  if (f.eta >= 0)
    out_.print("eta=%.1f\n", f.eta);
  else
    out_.print("eta=N/A\n");
  out_.print("%s", ending);
  out_.end_block();
}

void ProgressFeed::update(const pipeline::JobProgress& p) {
  if (!out_.writing()) return;
  last_ = p;
  const auto now = std::chrono::steady_clock::now();
  if (std::chrono::duration<double>(now - written_).count() < 0.5) return;  // ffmpeg's period
  written_ = now;
  write_block(p, "progress=continue\n");
}

void ProgressFeed::finish(const std::string& status, const std::string& error) {
  std::string ending = "status=" + status + "\n";
  if (!error.empty()) ending += "error=" + error + "\n";
  ending += "progress=end\n";
  write_block(last_, ending.c_str());
  out_.close(status == "ok");
}

}  // namespace interp::cli
