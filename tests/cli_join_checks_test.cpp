// `interp join` checks what it joins instead of trusting tags: pieces of other settings,
// of another video at the same path, truncated pieces, pieces from pictures and from
// standard input; and every output's timestamps hold its rate (or the job is refused).
// Pieces of a variable-frame-rate video from standard input are refused where its timestamps skip.
#include "cli_support.h"

namespace interp::test {
namespace {
namespace fs = std::filesystem;

class JoinChecks : public ::testing::Test {
 protected:
  void SetUp() override { make_clip(dir / "in.mp4", 64, 48, "24", 12); }
  RunResult interp(const std::string& args) {
    return run("cd " + quote(dir.path()) + " && (" + quote(INTERP_BINARY) + " -q --model " + quote(test_model()) +
               " --codec ffv1 " + args + ")");
  }
  RunResult piece(const std::string& range, const std::string& out, const std::string& extra = "",
                  const std::string& input = "in.mp4") {
    auto r = interp(extra + " --range " + range + " " + input + " " + out);
    EXPECT_EQ(r.code, 0) << range << ": " << r.err;
    return r;
  }
  /// join takes no model or encoder options: it copies the pieces' packets.
  RunResult join(const std::string& args) {
    return run("cd " + quote(dir.path()) + " && (" + quote(INTERP_BINARY) + " -q join " + args + ")");
  }
  TempDir dir;
};

TEST_F(JoinChecks, PiecesMadeWithOtherSettingsAreRefusedByName) {
  piece("0:4", "a.mkv");
  piece("4:8", "b.mkv", "--exp=2");
  piece("8:", "c.mkv");
  auto r = join("j.mkv a.mkv b.mkv c.mkv");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("b.mkv was made with other settings than a.mkv: ratio=4/1 vs 2/1"), std::string::npos) << r.err;
  piece("4:8", "b2.mkv", "--scene-threshold 0.2");
  r = join("j.mkv a.mkv b2.mkv c.mkv");
  EXPECT_NE(r.err.find("scene=0.2 vs 0.07"), std::string::npos) << r.err;
  piece("4:8", "b4.mkv", "--fallback off");  // other frames where motion is unreliable
  r = join("j.mkv a.mkv b4.mkv c.mkv");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("fallback off"), std::string::npos) << r.err;
  piece("4:8", "b3.mkv");
  r = join("j.mkv a.mkv b3.mkv c.mkv");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(fs::exists(dir / "j.mkv.partial"));
}

TEST_F(JoinChecks, AnotherVideoAtTheSamePathIsRefused) {
  piece("0:6", "a.mkv");
  make_clip(dir / "in.mp4", 64, 48, "24", 12, "-pix_fmt yuv420p -vf negate");  // same size, rate and length
  piece("6:", "b.mkv");
  auto r = join("j.mkv a.mkv b.mkv");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("were made from different videos"), std::string::npos) << r.err;
  // Audio from a video that is not the pieces' source is refused too.
  piece("0:6", "a2.mkv");
  r = join("j.mkv a2.mkv b.mkv --source " + quote(dir / "a.mkv"));
  EXPECT_NE(r.err.find("is not the video the pieces were made from"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "j.mkv"));
}

TEST_F(JoinChecks, TruncatedPiecesAreRefused) {
  piece("0:6", "a.mkv");
  piece("6:", "b.mkv");
  const std::string bytes = slurp(dir / "b.mkv");
  for (const double kept : {0.5, 0.8, 0.95}) {
    std::ofstream(dir / "bt.mkv", std::ios::binary) << bytes.substr(0, static_cast<size_t>(bytes.size() * kept));
    auto r = join("-y j.mkv a.mkv bt.mkv");
    EXPECT_EQ(r.code, 1) << kept;
    EXPECT_TRUE(r.err.find("truncated") != std::string::npos || r.err.find("not a readable") != std::string::npos ||
                r.err.find("cannot read") != std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "j.mkv"));
  }
  EXPECT_EQ(join("j.mkv a.mkv b.mkv").code, 0);
}

TEST_F(JoinChecks, PiecesFromPicturesCarryTheirRecordAndAreChecked) {
  fs::create_directory(dir / "frames");
  ASSERT_EQ(run("ffmpeg -v error -i " + quote(dir / "in.mp4") + " " + quote(dir / "frames/%04d.png")).code, 0);
  piece("0:4", "a.mkv", "--fps-in 24", "frames/");
  piece("8:", "c.mkv", "--fps-in 24", "frames/");
  auto r = join("j.mkv a.mkv c.mkv");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("frames 4:8 are in no piece"), std::string::npos) << r.err;
  piece("4:8", "b.mkv", "--fps-in 24", "frames/");
  r = join("j.mkv c.mkv a.mkv b.mkv");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(probe(dir / "j.mkv", "v:0", "nb_read_frames", true), "24");
  // The last piece cut short of the pictures' end is caught from the record.
  piece("4:6", "b46.mkv", "--fps-in 24", "frames/");
  r = join("-y j.mkv a.mkv b46.mkv");
  EXPECT_NE(r.err.find("the pieces end at frame 6"), std::string::npos) << r.err;
}

TEST_F(JoinChecks, PiecesFromStandardInputSayWhatCannotBeChecked) {
  auto r = interp("--range 0:6 - a.mkv < in.mp4");
  ASSERT_EQ(r.code, 0) << r.err;
  r = run("cd " + quote(dir.path()) + " && (" + quote(INTERP_BINARY) + " --model " + quote(test_model()) +
          " --codec ffv1 --range 6: - b.mkv < in.mp4)");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("cannot check this piece's source"), std::string::npos) << r.err;
  r = run("cd " + quote(dir.path()) + " && " + quote(INTERP_BINARY) + " join j.mkv b.mkv a.mkv");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("made from standard input"), std::string::npos) << r.err;
  EXPECT_EQ(probe(dir / "j.mkv", "v:0", "nb_read_frames", true), "24");
  // --source puts the audio back from a file, taken on trust (nothing recorded to compare).
  EXPECT_EQ(join("-y j.mkv a.mkv b.mkv --source in.mp4").code, 0);
}

TEST_F(JoinChecks, JoinWritesStandardOutputNotAFileNamedDash) {
  piece("0:6", "a.mkv");
  piece("6:", "b.mkv");
  auto r = run("cd " + quote(dir.path()) + " && (" + quote(INTERP_BINARY) +
               " -q join - a.mkv b.mkv --format matroska | ffprobe -v error -count_frames -show_entries " +
               "stream=nb_read_frames -of csv=p=0 -)");
  EXPECT_EQ(r.out, "24\n") << r.err;
  EXPECT_FALSE(fs::exists(dir / "-"));
  r = join("- a.mkv b.mkv 1<> a.mkv --format matroska");
  EXPECT_NE(r.err.find("standard output is the input"), std::string::npos) << r.err;
  r = join("- a.mkv b.mkv > /dev/null");
  EXPECT_NE(r.err.find("needs --format"), std::string::npos) << r.err;
}

TEST_F(JoinChecks, TimestampsHoldTheRateOrTheJobIsRefused) {
  // 24 fps x 64 = 1536 fps: Matroska's millisecond clock cannot tell the frames apart.
  const auto x264 = [&](const std::string& args) {  // the default codec, which MP4 holds
    return run("cd " + quote(dir.path()) + " && " + quote(INTERP_BINARY) + " -q --model " + quote(test_model()) +
               " " + args);
  };
  auto r = x264("--exp=6 in.mp4 fast.mkv");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("too coarse for 1536/1 fps"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("containers that hold it: mp4, mov, nut"), std::string::npos) << r.err;
  EXPECT_EQ(entries(dir.path().string()), std::vector<std::string>{"in.mp4"});
  // Where the clock holds it, every timestamp is distinct and the rate exact.
  for (const std::string out : {"fast.mp4", "fast.nut"}) {
    r = x264("--exp=6 in.mp4 " + out);
    ASSERT_EQ(r.code, 0) << r.err;
    auto pts = run("ffprobe -v error -select_streams v -show_entries packet=pts -of csv=p=0 " + quote(dir / out));
    std::vector<long long> times;
    std::istringstream in(pts.out);
    for (long long t; in >> t;) times.push_back(t);
    std::sort(times.begin(), times.end());
    EXPECT_EQ(times.size(), 768u) << out;
    EXPECT_EQ(std::adjacent_find(times.begin(), times.end()), times.end()) << out << ": duplicate timestamps";
    EXPECT_EQ(probe(dir / out, "v:0", "r_frame_rate"), "1536/1") << out;
  }
}

TEST_F(JoinChecks, PiecesOfAVariableFrameRateFromStandardInputAreRefusedWhereTheTimestampsSkip) {
  // A file's pieces find their slots from the timestamps before them (Segments.Variable*);
  // a pipe cannot be read ahead, so its pieces count frames, and the 4 slots skipped
  // after the 6th frame would shift every piece after them.
  make_clip(dir / "vfr.mkv", 64, 48, "25", 12, "-vf \"setpts=PTS+4*gte(N\\,6)\" -fps_mode passthrough -c:v ffv1");
  for (const std::string range : {"0:8", "6:12"}) {  // the skip inside, and between the lead and the first
    auto r = interp("--range " + range + " - p.mkv < vfr.mkv");
    EXPECT_EQ(r.code, 1) << range;
    EXPECT_NE(r.err.find("-: its timestamps skip 4 frame(s) of its rate before frame 6 (a variable frame rate); "
                         "pieces (--range) of standard input need an even one: pass the file"),
              std::string::npos)
        << range << ": " << r.err;
    piece(range, "p" + range.substr(0, 1) + ".mkv", "", "vfr.mkv");  // the file itself
  }
  EXPECT_EQ(entries(dir.path().string()), (std::vector<std::string>{"in.mp4", "p0.mkv", "p6.mkv", "vfr.mkv"}));
}

}  // namespace
}  // namespace interp::test
