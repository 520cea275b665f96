// Nothing but the output is ever written or deleted: -y aimed at folders that hold
// other files, outputs that appear during a run, and signals at any moment.
#include "background.h"
#include "cli_support.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace interp::test {
namespace {
namespace fs = std::filesystem;

/// Every path under `dir` with its size, so a test can tell that nothing changed.
std::vector<std::string> tree(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    out.push_back(fs::relative(e.path(), dir).string() +
                  (e.is_regular_file() ? " " + std::to_string(e.file_size()) : "/"));
  std::sort(out.begin(), out.end());
  return out;
}

class Safety : public ::testing::Test {
 protected:
  void SetUp() override {
    INTERP_REQUIRE_SHARED(a, "pairs/rife_i0.png");
    INTERP_REQUIRE_SHARED(b, "pairs/rife_i1.png");
    a_ = a;
    b_ = b;
  }
  std::string model() const { return "--model " + quote(test_model()) + " "; }
  /// interp run from inside `cwd`; expects a one-line refusal and `root` unchanged.
  void expect_refused(const fs::path& cwd, const std::string& args, const fs::path& root) {
    const auto before = tree(root);
    auto r = run("cd " + quote(cwd.string()) + " && " + interp_cmd(model() + args));
    EXPECT_NE(r.code, 0) << args;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << "\n" << r.err;
    EXPECT_EQ(tree(root), before) << args;
  }
  std::string a_, b_;
  TempDir dir;
  TempDir scratch;  ///< stderr of background runs, outside the folder under test
};

TEST_F(Safety, PairIntoTheInputsFolderIsRefused) {
  fs::create_directory(dir / "A");
  fs::copy_file(a_, dir / "A/a.png");
  fs::copy_file(b_, dir / "A/b.png");
  std::ofstream(dir / "A/notes.txt") << "unrelated";
  expect_refused(dir.path(), "pair A/a.png A/b.png A --exp=1 -y", dir.path());
  expect_refused(dir.path(), "pair A/a.png A/b.png A/ --exp=1 -y", dir.path());
}

TEST_F(Safety, FolderIntoTheParentOfItsInputIsRefused) {
  fs::create_directories(dir / "B/frames");
  fs::copy_file(a_, dir / "B/frames/0.png");
  fs::copy_file(b_, dir / "B/frames/1.png");
  std::ofstream(dir / "B/keep.txt") << "unrelated";
  expect_refused(dir.path(), "B/frames B -y", dir.path());
}

TEST_F(Safety, CurrentFolderAndItsParentsAreNeverTargets) {
  fs::create_directories(dir / "F/frames");
  fs::copy_file(a_, dir / "F/a.png");
  fs::copy_file(b_, dir / "F/b.png");
  fs::copy_file(a_, dir / "F/frames/0.png");
  fs::copy_file(b_, dir / "F/frames/1.png");
  expect_refused(dir / "F", "pair a.png b.png . --exp=1 -y", dir.path());
  expect_refused(dir / "F", "frames . -y", dir.path());
  expect_refused(dir / "F", "frames .. -y", dir.path());
  expect_refused(dir / "F/frames", "pair ../a.png ../b.png .. --exp=1 -y", dir.path());
}

TEST_F(Safety, OverwriteReplacesOnlyAFolderInterpWrote) {
  const std::string pair = model() + "pair " + quote(a_) + " " + quote(b_) + " " + quote(dir / "out") + " ";
  ASSERT_EQ(run(interp_cmd(pair + "--exp=2")).code, 0);
  auto r = run(interp_cmd(pair + "--exp=1 -y"));  // interp's own folder: replaced
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(entries(dir / "out"), (std::vector<std::string>{".interp-output", "0000.png", "0001.png", "0002.png"}));
  std::ofstream(dir / "out/notes.txt") << "mine";  // now it holds a user file: kept
  expect_refused(dir.path(), "pair " + quote(a_) + " " + quote(b_) + " out --exp=1 -y", dir.path());
  fs::create_directory(dir / "mine");  // a user's folder of frames: kept
  fs::copy_file(a_, dir / "mine/0000.png");
  expect_refused(dir.path(), "pair " + quote(a_) + " " + quote(b_) + " mine --exp=1 -y", dir.path());
}

class SafetyWhileRunning : public Safety {
 protected:
  void SetUp() override {
    Safety::SetUp();
    make_clip(dir / "in.mp4", 320, 240, "25", 60);
  }
  std::string job() const { return model() + "--exp=2 " + quote(dir / "in.mp4") + " " + quote(dir / "o.mp4"); }
};

TEST_F(SafetyWhileRunning, OutputThatAppearsDuringTheRunIsKept) {
  Background interp(model() + "--exp=1 " + quote(dir / "in.mp4") + " " + quote(dir / "o.mp4"), scratch / "err");
  ASSERT_TRUE(wait_for_temporary(dir.path()));
  std::ofstream(dir / "o.mp4") << "precious";
  EXPECT_EQ(interp.wait(), 1);
  EXPECT_NE(slurp(scratch / "err").find("appeared while interp was running"), std::string::npos) << slurp(scratch / "err");
  EXPECT_EQ(slurp(dir / "o.mp4"), "precious");
  EXPECT_EQ(entries(dir.path().string()), (std::vector<std::string>{"in.mp4", "o.mp4"}));
}

TEST_F(SafetyWhileRunning, EverySignalStopsTheJobAndLeavesNothing) {
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) {
    Background interp(job(), scratch / "err");
    ASSERT_TRUE(wait_for_temporary(dir.path())) << strsignal(sig);
    interp.signal(sig);
    EXPECT_EQ(interp.wait(), 128 + sig) << strsignal(sig) << ": " << slurp(scratch / "err");
    EXPECT_EQ(entries(dir.path().string()), std::vector<std::string>{"in.mp4"}) << strsignal(sig);
  }
}

TEST_F(SafetyWhileRunning, SecondCtrlCLeavesAtOnceAndCleansUp) {
  // interp writes the video to a pipe this test never reads: once the pipe is full its
  // writer waits for good, so after the first Ctrl-C the job cannot finish unwinding and
  // only the second one ends it, removing what the job would have removed (its
  // --progress file) on its own.
  const fs::path pipe = scratch / "video";
  ASSERT_EQ(::mkfifo(pipe.c_str(), 0600), 0);
  const int reader = ::open(pipe.c_str(), O_RDONLY | O_NONBLOCK);  // lets interp open it; never read
  ASSERT_GE(reader, 0);
  Background interp(model() + "--exp=1 --format nut --progress " + quote(dir / "p.txt") + " " + quote(dir / "in.mp4") +
                        " -",
                    scratch / "err", pipe.string(), /*talks=*/true);
  // The event: the pipe is full (to its last page, which a write need not fill). One raw
  // 320x240 frame is larger than the pipe, so the writer is then inside a write.
  const int full = ::fcntl(reader, F_GETPIPE_SZ) - PIPE_BUF;
  int queued = 0;
  for (int i = 0; i < 24000 && queued < full; ++i) {
    ASSERT_EQ(::ioctl(reader, FIONREAD, &queued), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_GE(queued, full) << slurp(scratch / "err");
  interp.signal(SIGINT);
  ASSERT_TRUE(wait_for_text(scratch / "err", "stopping")) << slurp(scratch / "err");  // the first was taken
  interp.signal(SIGINT);
  EXPECT_EQ(interp.wait(), 130);
  EXPECT_NE(slurp(scratch / "err").find("temporary output removed"), std::string::npos) << slurp(scratch / "err");
  EXPECT_EQ(entries(dir.path().string()), std::vector<std::string>{"in.mp4"});
  ::close(reader);
}

TEST_F(Safety, PairHonoursSignals) {
  // Large enough that --exp=6 (63 forward passes) runs for seconds.
  for (const auto& [frame, name] : {std::pair{0, "a.png"}, std::pair{8, "b.png"}})
    ASSERT_EQ(run("ffmpeg -v error -f lavfi -i testsrc2=size=960x540 -vf " +
                  quote("select=eq(n\\," + std::to_string(frame) + ")") + " -frames:v 1 " + quote(dir / name)).code, 0);
  Background interp(model() + "pair " + quote(dir / "a.png") + " " + quote(dir / "b.png") + " " + quote(dir / "out") +
                        " --exp=6",
                    scratch / "err");
  ASSERT_TRUE(wait_for_temporary(dir.path()));
  interp.signal(SIGTERM);
  EXPECT_EQ(interp.wait(), 128 + SIGTERM) << slurp(scratch / "err");
  EXPECT_EQ(entries(dir.path().string()), (std::vector<std::string>{"a.png", "b.png"}));
}

}  // namespace
}  // namespace interp::test
