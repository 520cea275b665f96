// Every file interp writes passes one gate (issue "nothing lost"): the progress feed,
// standard output, muxers' own files, names with a colon, and encoders that talk on
// their own. Each case is tried with a path, a symbolic link, a hard link and a
// descriptor opened on the file, and the files a user had must come out unchanged.
#include "cli_support.h"

#include <sys/stat.h>

namespace interp::test {
namespace {
namespace fs = std::filesystem;

class OutputGate : public ::testing::Test {
 protected:
  void SetUp() override {
    make_clip(dir / "in.mp4", 64, 48, "25", 6);
    original = slurp(dir / "in.mp4");
  }
  /// interp from inside the test folder (so that files a muxer drops "here" are seen).
  RunResult interp(const std::string& args) {
    return run("cd " + quote(dir.path()) + " && (" + quote(INTERP_BINARY) + " -q --model " + quote(test_model()) +
               " " + args + ")");
  }
  /// An error of one line, and the input as it was.
  void expect_refused(const RunResult& r, const std::string& words) {
    EXPECT_NE(r.code, 0) << r.err;
    EXPECT_NE(r.err.find(words), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(slurp(dir / "in.mp4"), original);
  }
  TempDir dir;
  std::string original;
};

TEST_F(OutputGate, ProgressNeverWritesAnInputByPathLinkOrInode) {
  fs::create_hard_link(dir / "in.mp4", dir / "hard.txt");
  fs::create_symlink("in.mp4", dir / "soft.txt");
  for (const std::string feed : {"hard.txt", "soft.txt", "in.mp4", "./in.mp4"})
    expect_refused(interp("-y --progress " + feed + " in.mp4 o.mkv"), "is the input");
  // Standard output opened on the input, read-write or appending.
  expect_refused(interp("-y --progress - in.mp4 o.mkv 1<> in.mp4"), "standard output is the input");
  expect_refused(interp("-y --progress - in.mp4 o.mkv >> in.mp4"), "standard output is the input");
  // A picture of a pattern input, hard-linked.
  fs::create_directory(dir / "frames");
  for (int i = 1; i <= 3; ++i)
    ASSERT_EQ(run("ffmpeg -v error -i " + quote(dir / "in.mp4") + " -vf " +
                  quote("select=eq(n\\," + std::to_string(i) + ")") + " -frames:v 1 " +
                  quote(dir / ("frames/00000" + std::to_string(i) + ".png"))).code,
              0);
  const std::string picture = slurp(dir / "frames/000002.png");
  fs::create_hard_link(dir / "frames/000002.png", dir / "p.txt");
  expect_refused(interp("-y --progress p.txt frames/%06d.png out/"), "is the input");
  EXPECT_EQ(slurp(dir / "frames/000002.png"), picture);
  EXPECT_FALSE(fs::exists(dir / "o.mkv"));
  EXPECT_FALSE(fs::exists(dir / "out"));
}

TEST_F(OutputGate, ProgressFollowsTheRulesOfAnOutput) {
  // A link to someone else's file: -y replaces the link, never what it points to.
  fs::create_directory(dir / "other");
  std::ofstream(dir / "other/notes.txt") << "mine";
  fs::create_symlink("other/notes.txt", dir / "feed.txt");
  expect_refused(interp("--progress feed.txt in.mp4 o.mkv"), "already exists");
  auto r = interp("-y --progress feed.txt in.mp4 o.mkv");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(slurp(dir / "other/notes.txt"), "mine");
  EXPECT_FALSE(fs::is_symlink(dir / "feed.txt"));
  EXPECT_NE(slurp(dir / "feed.txt").find("status=ok"), std::string::npos);
  // A FIFO a front-end made is written into without -y, and stays a FIFO.
  ASSERT_EQ(::mkfifo((dir / "feed.fifo").c_str(), 0600), 0);
  r = run("cd " + quote(dir.path()) + " && (cat feed.fifo > got.txt & " + quote(INTERP_BINARY) + " -q --model " +
          quote(test_model()) + " --progress feed.fifo in.mp4 f.mkv; wait)");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(slurp(dir / "got.txt").find("status=ok"), std::string::npos);
  EXPECT_TRUE(fs::is_fifo(dir / "feed.fifo"));
  for (const char* made : {"feed.fifo", "got.txt", "f.mkv"}) fs::remove(dir / made);
  // The output itself, or inside it: refused before anything exists.
  expect_refused(interp("--progress fo2 in.mp4 fo2/"), "is the output");
  expect_refused(interp("--progress fo3/p.txt in.mp4 fo3/"), "inside the output");
  // A failed job leaves no feed behind (its last block said status=failed).
  std::ofstream(dir / "broken.mp4") << "not a video";
  expect_refused(interp("--progress bad.txt broken.mp4 b.mkv"), "broken.mp4");
  EXPECT_EQ(entries(dir.path().string()),
            (std::vector<std::string>{"broken.mp4", "feed.txt", "in.mp4", "o.mkv", "other"}));
}

TEST_F(OutputGate, EveryKindOfOutputRefusesAnInputUnderAnyName) {
  // A video, a joined video, a picture of a pair, a frames folder: each aimed with -y at
  // an input by a hard link, a symbolic link and its own path.
  fs::create_hard_link(dir / "in.mp4", dir / "hard.mkv");
  fs::create_symlink("in.mp4", dir / "soft.mkv");
  for (const std::string out : {"hard.mkv", "soft.mkv", "in.mp4"}) expect_refused(interp("-y in.mp4 " + out), "input");
  ASSERT_EQ(interp("--range 0: in.mp4 piece.mkv").code, 0);
  const std::string piece = slurp(dir / "piece.mkv");
  fs::create_hard_link(dir / "piece.mkv", dir / "joined.mkv");
  fs::create_symlink("piece.mkv", dir / "joined2.mkv");
  for (const std::string out : {"joined.mkv", "joined2.mkv", "piece.mkv"}) {
    auto r = run("cd " + quote(dir.path()) + " && " + interp_cmd("join -y " + out + " piece.mkv --video-only"));
    EXPECT_NE(r.err.find("is the input"), std::string::npos) << out << ": " << r.err;
  }
  EXPECT_EQ(slurp(dir / "piece.mkv"), piece);
  fs::create_directory(dir / "pics");
  ASSERT_EQ(run("ffmpeg -v error -i " + quote(dir / "in.mp4") + " -frames:v 2 " + quote(dir / "pics/%d.png")).code, 0);
  const std::string picture = slurp(dir / "pics/1.png");
  fs::create_hard_link(dir / "pics/1.png", dir / "mid.png");
  auto r = interp("pair -y pics/1.png pics/2.png mid.png");
  EXPECT_NE(r.err.find("is the input"), std::string::npos) << r.err;
  fs::create_directory_symlink("pics", dir / "frames_out");
  r = interp("-y pics/ frames_out/");
  EXPECT_NE(r.err.find("input"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(dir / "pics/1.png"), picture);
}

TEST_F(OutputGate, StandardOutputThatIsAnInputIsRefused) {
  fs::copy_file(dir / "in.mp4", dir / "rw.mkv");
  const std::string before = slurp(dir / "rw.mkv");
  for (const std::string redirect : {"1<> rw.mkv", ">> rw.mkv"}) {
    auto r = interp("-y rw.mkv - --format matroska " + redirect);
    EXPECT_NE(r.code, 0);
    EXPECT_NE(r.err.find("standard output is the input rw.mkv"), std::string::npos) << r.err;
    EXPECT_EQ(slurp(dir / "rw.mkv"), before);
  }
  // Standard input read from the file that would be replaced.
  auto r = interp("-y - rw.mkv < rw.mkv");
  EXPECT_NE(r.err.find("is the input (standard input)"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(dir / "rw.mkv"), before);
  // A pipe is fine.
  r = run("cd " + quote(dir.path()) + " && (" + quote(INTERP_BINARY) + " -q --model " + quote(test_model()) +
          " in.mp4 - --format matroska | ffprobe -v error -count_frames -show_entries stream=nb_read_frames -of csv=p=0 -)");
  EXPECT_EQ(r.out, "12\n") << r.err;
}

TEST_F(OutputGate, MuxersThatWriteFilesOfTheirOwnAreRefusedBeforeWork) {
  const auto before = entries(dir.path().string());
  for (const std::string format : {"hls", "dash", "image2", "segment", "stream_segment", "tee", "webm_chunk"}) {
    expect_refused(interp("in.mp4 out.mkv --format " + format), "writes files of its own");
    expect_refused(interp("in.mp4 - --format " + format + " > /dev/null"), "writes files of its own");
    EXPECT_EQ(entries(dir.path().string()), before) << format;
  }
  // By extension the same: FFmpeg's muxer for it decides (.m3u8 is HLS), not a list.
  expect_refused(interp("in.mp4 out.m3u8"), "writes files of its own");
  expect_refused(interp("in.mp4 out.mpd"), "writes files of its own");
  EXPECT_EQ(entries(dir.path().string()), before);
  auto r = interp("in.mp4 out.ts");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(probe(dir / "out.ts", "v:0", "codec_name").substr(0, 4), "h264");  // MPEG-TS lists it twice
}

TEST_F(OutputGate, LocalNamesWithAColonAreFiles) {
  fs::copy_file(dir / "in.mp4", dir / "in:put.mp4");
  auto r = interp("in:put.mp4 0:2.mkv");
  ASSERT_EQ(r.code, 0) << r.err;
  r = interp("0:2.mkv 2:4.mkv");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(probe(dir / "2:4.mkv", "v:0", "nb_read_frames", true), "24");
}

TEST_F(OutputGate, EveryContainerListedForStandardOutputWorksWithItsDefaultCodec) {
  for (const std::string format : {"nut", "matroska", "yuv4mpegpipe", "mpegts"}) {
    auto r = run("cd " + quote(dir.path()) + " && (" + quote(INTERP_BINARY) + " -q --model " + quote(test_model()) +
                 " in.mp4 - --format " + format + " | ffprobe -v error -count_frames -select_streams v:0 -show_entries " +
                 "stream=nb_read_frames -of csv=p=0 -)");
    EXPECT_EQ(r.out.substr(0, r.out.find('\n') + 1), "12\n") << format << ": " << r.err;  // MPEG-TS lists it twice
  }
}

TEST_F(OutputGate, QuietMeansQuietWhateverTheEncoder) {
  make_clip(dir / "in.mp4", 96, 64, "25", 3);  // SVT-AV1 takes nothing under 64 lines
  for (const std::string codec : {"libx265", "libx264", "libvpx-vp9", "libaom-av1", "libsvtav1"}) {
    const std::string out = codec == "libvpx-vp9" ? "o.webm" : "o.mkv";
    auto r = interp("-y --codec " + codec + " in.mp4 " + out);
    EXPECT_EQ(r.code, 0) << codec << ": " << r.err;
    EXPECT_EQ(r.err, "") << codec;
  }
}

}  // namespace
}  // namespace interp::test
