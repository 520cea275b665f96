#pragma once
/// Running the interp binary and the ffmpeg/ffprobe CLIs from tests, and small
/// fixture videos made on the fly.
#include "test_support.h"

#include <array>
#include <cstdio>
#include <sstream>
#include <sys/wait.h>

namespace interp::test {

struct RunResult {
  int code = -1;
  std::string out;  ///< stdout
  std::string err;  ///< stderr
};

inline std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

/// Runs a shell command line, capturing stdout and stderr separately.
inline RunResult run(const std::string& command) {
  TempDir scratch;
  const std::string err_path = scratch / "stderr";
  RunResult r;
  FILE* pipe = popen((command + " 2>" + quote(err_path) + " </dev/null").c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int status = pclose(pipe);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.err = slurp(err_path);
  return r;
}

inline std::string interp_cmd(const std::string& args) { return quote(INTERP_BINARY) + " -q " + args; }

/// The golden random-weight v4.6 model: picture quality is irrelevant to these tests.
inline std::string test_model() { return std::string(INTERP_SHARED_DIR) + "/golden/rife_v4.6_random.pkl"; }

/// ffprobe's value of one stream entry, e.g. probe(f, "v:0", "r_frame_rate").
inline std::string probe(const std::string& file, const std::string& stream, const std::string& entry,
                         bool count_frames = false) {
  auto r = run("ffprobe -v error " + std::string(count_frames ? "-count_frames " : "") + "-select_streams " + stream +
               " -show_entries stream=" + entry + " -of default=nw=1:nk=1 " + quote(file));
  std::string v = r.out;
  while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.pop_back();
  return v;
}

inline double probe_duration(const std::string& file, const std::string& stream) {
  auto r = run("ffprobe -v error -select_streams " + stream +
               " -show_entries packet=pts_time,duration_time -of csv=p=0 " + quote(file));
  double end = 0;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    double pts = 0, dur = 0;
    if (std::sscanf(line.c_str(), "%lf,%lf", &pts, &dur) >= 1) end = std::max(end, pts + dur);
  }
  return end;
}

/// Makes a small test clip with ffmpeg's testsrc2 (and optionally a sine audio track).
inline void make_clip(const std::string& path, int w, int h, const std::string& rate, int frames,
                      const std::string& extra = "-pix_fmt yuv420p", bool audio = false) {
  std::string cmd = "ffmpeg -v error -y -f lavfi -i testsrc2=size=" + std::to_string(w) + "x" + std::to_string(h) +
                    ":rate=" + rate;
  if (audio) cmd += " -f lavfi -i sine=frequency=440:sample_rate=48000";
  cmd += " -frames:v " + std::to_string(frames) + " " + extra;
  if (audio) cmd += " -c:a aac -shortest";
  cmd += " " + quote(path);
  ASSERT_EQ(run(cmd).code, 0) << cmd;
}

/// Decodes every frame of `file` as 8-bit gray bytes (for comparing pictures).
inline std::vector<std::string> gray_frames(const std::string& file, int w, int h) {
  auto r = run("ffmpeg -v error -i " + quote(file) + " -f rawvideo -pix_fmt gray -");
  std::vector<std::string> frames;
  const size_t size = static_cast<size_t>(w) * h;
  for (size_t off = 0; off + size <= r.out.size(); off += size) frames.push_back(r.out.substr(off, size));
  return frames;
}

inline double mean_abs_diff(const std::string& a, const std::string& b) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i)
    sum += std::abs(static_cast<int>(static_cast<unsigned char>(a[i])) - static_cast<unsigned char>(b[i]));
  return sum / a.size();
}

/// Files left in `dir` (to check that nothing partial stayed behind).
inline std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace interp::test
