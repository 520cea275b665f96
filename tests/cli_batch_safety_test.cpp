// scripts/batch_interp.sh under a careless or hostile hand: folders that are each other,
// a user's files where the script keeps its own, two runs at once, options without
// values, symbolic links. A stand-in interp keeps these fast; it writes its output the
// way interp does (aside, then moved) and says what it was asked.
#include "cli_support.h"

#include <sys/stat.h>

namespace interp::test {
namespace {
namespace fs = std::filesystem;

class BatchSafety : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir / "in/sub");
    for (const char* name : {"a.mp4", "a.mkv", "sub/b.mp4"}) std::ofstream(dir / (std::string("in/") + name)) << name;
    fake = dir / "fake_interp";
    // Says it runs (RUNNING beside it), waits for GO while WAIT exists (to hold two runs
    // together), then writes "made from INPUT" to its output aside and moves it into
    // place, refusing as interp does an output that appeared meanwhile (unless -y).
    std::ofstream(fake) << "#!/bin/bash\n[ \"$1\" = --version ] && { echo interp 0; exit 0; }\n"
                           "touch \"$(dirname \"$0\")/RUNNING\"\n"
                           "while [ -e \"$(dirname \"$0\")/WAIT\" ] && [ ! -e \"$(dirname \"$0\")/GO\" ]; do sleep 0.05; done\n"
                           "args=(\"$@\"); out=${args[-1]}; in=${args[-2]}; tmp=$out.$$.partial\n"
                           "echo \"made from $in\" > \"$tmp\"\n"
                           "if printf '%s\\n' \"$@\" | grep -qx -- -y; then mv \"$tmp\" \"$out\"; exit; fi\n"
                           "ln \"$tmp\" \"$out\" 2>/dev/null; rc=$?; rm -f \"$tmp\"\n"
                           "[ $rc -eq 0 ] || echo \"$out: appeared while interp was running\" >&2; exit $rc\n";
    fs::permissions(fake, fs::perms::owner_all);
  }
  RunResult batch(const std::string& args, const std::string& where = "") {
    return run("cd " + quote(where.empty() ? dir.path().string() : where) + " && INTERP=" + quote(fake) +
               " timeout 60 " + quote(std::string(INTERP_SOURCE_DIR) + "/scripts/batch_interp.sh") + " " + args);
  }
  std::vector<std::string> tree(const std::string& sub) {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir / sub)) out.push_back(fs::relative(e.path(), dir / sub));
    std::sort(out.begin(), out.end());
    return out;
  }
  TempDir dir;
  std::string fake;
};

TEST_F(BatchSafety, OutDirIsNeverInDirNorReadAsInput) {
  const auto before = tree("in");
  for (const std::string& same : std::vector<std::string>{"in in", "in ./in/", "in " + (dir / "in"), "in/sub in"}) {
    auto r = batch(same);
    EXPECT_EQ(r.code, 2) << same << ": " << r.out << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(tree("in"), before) << same;
  }
  fs::create_symlink("in", dir / "link");
  EXPECT_EQ(batch("link in").code, 2);
  // OUT inside IN: its outputs are never clips, however often it runs.
  for (int run = 0; run < 3; ++run) {
    auto r = batch("in in/out");
    EXPECT_EQ(r.code, 0) << r.out << r.err;
  }
  EXPECT_FALSE(fs::exists(dir / "in/out/out"));
  EXPECT_TRUE(fs::exists(dir / "in/out/sub/b.mp4"));
}

TEST_F(BatchSafety, AUsersFilesBesideTheOutputsAreKeptAndNamesAreUniquePerInput) {
  fs::create_directories(dir / "out");
  for (const char* name : {"a.mp4.interp-log", "a.mkv.interp-result", "a.mp4.interp-record"})
    std::ofstream(dir / (std::string("out/") + name)) << "mine";
  std::ofstream(dir / "elsewhere.txt") << "mine too";
  fs::create_symlink(dir / "elsewhere.txt", dir / "out/a.mkv.interp-log");
  auto r = batch("in out");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  for (const char* name : {"a.mp4.interp-log", "a.mkv.interp-result", "a.mp4.interp-record"})
    EXPECT_EQ(slurp(dir / (std::string("out/") + name)), "mine") << name;
  EXPECT_EQ(slurp(dir / "elsewhere.txt"), "mine too");
  EXPECT_NE(r.out.find("not the script's"), std::string::npos) << r.out;
  // a.mp4 and a.mkv each have their own output, record and result.
  EXPECT_EQ(slurp(dir / "out/a.mp4"), "made from " + (dir / "in/a.mp4") + "\n");
  EXPECT_EQ(slurp(dir / "out/a.mkv"), "made from " + (dir / "in/a.mkv") + "\n");
  EXPECT_TRUE(fs::exists(dir / "out/a.mkv.interp-record"));
  EXPECT_TRUE(fs::exists(dir / "out/sub/b.mp4.interp-result"));
  // Nothing of the script's is left aside.
  for (const auto& name : tree("out")) EXPECT_EQ(name.find("/."), std::string::npos) << name;
}

TEST_F(BatchSafety, TwoRunsAtOnceTakeTurnsAndBothEndWell) {
  std::ofstream(dir / "WAIT") << "";
  // Both runs start while the stand-in holds every clip; it lets go once they overlap.
  const std::string script = quote(std::string(INTERP_SOURCE_DIR) + "/scripts/batch_interp.sh");
  const auto one_run = [&](const std::string& log) {
    return "( INTERP=" + quote(fake) + " timeout 60 " + script + " in out > " + quote(dir / log) + " 2>&1; echo $? >> " +
           quote(dir / log) + " )";
  };
  const std::string one = one_run("r1"), two = one_run("r2");
  // GO once one run waits for the other's clip (it says "[wait]"), so the two overlap;
  // a script that never waits gets GO after 10 s and must then cope by itself.
  run("cd " + quote(dir.path()) + " && { " + one + " & " + two +
      " & for i in $(seq 500); do grep -qs '^\\[wait\\]' r1 r2 && break; sleep 0.02; done; touch GO; wait; }");
  const std::string r1 = slurp(dir / "r1"), r2 = slurp(dir / "r2");
  EXPECT_EQ(r1.substr(r1.size() - 2), "0\n") << r1;
  EXPECT_EQ(r2.substr(r2.size() - 2), "0\n") << r2;
  auto summary = batch("--summary in out");
  EXPECT_EQ(summary.code, 0) << summary.out;
  EXPECT_EQ(summary.out.find("FAILED"), std::string::npos) << summary.out;
  for (const auto& name : tree("out")) EXPECT_EQ(name.find("interp-lock"), std::string::npos) << name;
}

TEST_F(BatchSafety, ASignalLeavesNothingBehind) {
  std::ofstream(dir / "WAIT") << "";
  for (const std::string sig : {"TERM", "INT", "HUP"}) {
    fs::remove(dir / "RUNNING");
    // Sent once the stand-in runs (it says so by a file), so the clip is half made.
    // As from a terminal: a background job of sh would start with SIGINT ignored.
    auto r = run("cd " + quote(dir.path()) + " && { INTERP=" + quote(fake) +
                 " python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
                 "os.execvp(sys.argv[1], sys.argv[1:])' " +
                 quote(std::string(INTERP_SOURCE_DIR) + "/scripts/batch_interp.sh") +
                 " -j 2 in out > log 2>&1 & pid=$!; for i in $(seq 500); do [ -e RUNNING ] && break; sleep 0.02; done; kill -" + sig +
                 " $pid; wait $pid; echo $?; }");
    EXPECT_EQ(r.out, "130\n") << sig << ": " << slurp(dir / "log");
    std::vector<std::string> hidden;
    for (const auto& name : tree("out"))
      if (fs::path(name).filename().string()[0] == '.') hidden.push_back(name);
    EXPECT_TRUE(hidden.empty()) << sig << ": " << hidden.front();
    EXPECT_NE(run("pgrep -f " + quote("^/bin/bash " + fake)).code, 0) << sig << ": the stand-in interp still runs";
  }
}

TEST_F(BatchSafety, ASignalWhileWaitingForAnotherRunStopsThatRunOnly) {
  std::ofstream(dir / "WAIT") << "";
  const std::string script = quote(std::string(INTERP_SOURCE_DIR) + "/scripts/batch_interp.sh");
  const std::string batch = "INTERP=" + quote(fake) + " " + script + " in out";
  // The second run waits for the first's clip; TERM stops it, and the first goes on.
  auto r = run("cd " + quote(dir.path()) + " && { (" + batch + " > r1 2>&1; echo $? >> r1) & " +
               "for i in $(seq 500); do [ -e RUNNING ] && break; sleep 0.02; done; " + batch + " > r2 2>&1 & pid=$!; " +
               "for i in $(seq 500); do grep -qs '^\\[wait\\]' r2 && break; sleep 0.02; done; kill -TERM $pid; " +
               "wait $pid; echo $?; " +
               "touch GO; wait; }");
  EXPECT_EQ(r.out, "130\n") << slurp(dir / "r2");
  const std::string r1 = slurp(dir / "r1");
  EXPECT_EQ(r1.substr(r1.size() - 2), "0\n") << r1;
  EXPECT_EQ(slurp(dir / "out/a.mkv"), "made from " + (dir / "in/a.mkv") + "\n");
  for (const auto& name : tree("out")) EXPECT_NE(fs::path(name).filename().string()[0], '.') << name;
}

TEST_F(BatchSafety, EveryOptionErrorIsOneLineAndExitTwo) {
  for (const std::string args : {"-j", "in -j", "--shard", "--gpus", "--shard '' in out", "-j '' in out",
                                 "-j 0 in out", "--gpus x in out", "--shard 3/3 in out", "--frobnicate in out",
                                 "--gpus= in out"}) {
    auto r = batch(args);
    EXPECT_EQ(r.code, 2) << args << ": " << r.out << r.err;
    EXPECT_LE(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << ": " << r.err;
    EXPECT_FALSE(fs::exists(dir / "out/a.mp4")) << args;
  }
}

TEST_F(BatchSafety, SymbolicLinksToClipsAndToTheInputFolderAreFollowed) {
  fs::create_directories(dir / "elsewhere");
  std::ofstream(dir / "elsewhere/c.mp4") << "c";
  fs::create_symlink(dir / "elsewhere/c.mp4", dir / "in/c.mp4");
  fs::create_symlink(dir / "in", dir / "in_link");
  auto r = batch("in_link out");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("all 4 clip(s) done"), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(dir / "out/c.mp4"));
  EXPECT_TRUE(fs::exists(dir / "out/sub/b.mp4"));
}

TEST(BatchScriptLint, ShellcheckFindsNothing) {
  const std::string root = INTERP_SOURCE_DIR;
  auto r = run("cd " + quote(root) + " && shellcheck -x scripts/*.sh scripts/batch/*.sh scripts/lib/*.sh scripts/slurm/*.sh "
               "scripts/slurm/*.sbatch");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
}

}  // namespace
}  // namespace interp::test
