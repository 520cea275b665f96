/// Training progress (train_progress.h).
#include "train_progress.h"

#include <unistd.h>

namespace interp::cli {
namespace {

std::string clock_text(double seconds) {
  if (seconds < 0) return "?";
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  return buf;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

TrainProgress::TrainProgress(bool show, const std::string& feed_path, bool overwrite,
                             const std::vector<std::string>& inputs)
    : show_(show), tty_(::isatty(STDERR_FILENO) != 0), feed_(feed_path, overwrite, inputs) {
  shown_ = std::chrono::steady_clock::now() - std::chrono::hours(1);
}

void TrainProgress::update(const pipeline::TrainingProgress& p) {
  last_ = p;
  const bool end = p.total_steps > 0 && p.step >= p.total_steps;
  if (feed_.writing()) write_block("continue");  // every step: a step takes far longer than a block
  if (!show_ || (seconds_since(shown_) < (tty_ ? 0.2 : 5.0) && !end)) return;
  shown_ = std::chrono::steady_clock::now();
  const std::string of = p.total_steps > 0 ? "/" + std::to_string(p.total_steps) : "";
  char psnr[32] = "-";
  if (p.validation_psnr > 0) std::snprintf(psnr, sizeof(psnr), "%.2f dB", p.validation_psnr);
  char line[256];
  std::snprintf(line, sizeof(line), "train: step %lld%s, loss %.4f, lr %.2e, %.2f samples/s, validation %s, elapsed %s, ETA %s",
                static_cast<long long>(p.step), of.c_str(), p.loss, p.learning_rate, p.samples_per_second, psnr,
                clock_text(p.seconds).c_str(), clock_text(p.eta_seconds).c_str());
  std::fprintf(stderr, tty_ ? "\r%s   " : "%s\n", line);
  drawn_ = tty_;
  std::fflush(stderr);
}

void TrainProgress::write_block(const char* ending) {
  const auto& p = last_;
  feed_.print("step=%lld\ntotal_steps=%lld\nloss=%.6f\nlr=%.6e\nsamples_per_s=%.3f\nval_psnr=%.3f\nelapsed=%.1f\n",
              static_cast<long long>(p.step), static_cast<long long>(p.total_steps), p.loss, p.learning_rate,
              p.samples_per_second, p.validation_psnr, p.seconds);
  if (p.eta_seconds >= 0)
    feed_.print("eta=%.1f\n", p.eta_seconds);
  else
    feed_.print("eta=N/A\n");
  feed_.print("progress=%s\n", ending);
  feed_.end_block();
}

void TrainProgress::finish(const std::string& status, const std::string& error) {
  if (drawn_) std::fputc('\n', stderr);
  drawn_ = false;
  feed_.print("status=%s\n", status.c_str());
  if (!error.empty()) feed_.print("error=%s\n", error.c_str());
  write_block("end");
  feed_.close(status == "ok");
}

}  // namespace interp::cli
