// The ways in and out besides video files: numbered picture patterns and folders to and
// from video (--fps-in), standard input/output with --format, the --progress feed and
// the bar's speed, and still pairs that are copied instead of interpolated.
#include "cli_support.h"
#include "interp/io/image_file.h"

#include <map>

namespace interp::test {
namespace {

class IoCli : public ::testing::Test {
 protected:
  void SetUp() override {
    INTERP_REQUIRE_SHARED(model, "golden/rife_v4.6_random.pkl");
    (void)model;
  }
  std::string interp(const std::string& args) const { return interp_cmd("--model " + quote(test_model()) + " " + args); }
  TempDir dir;
};

/// The key=value pairs of the last block of a --progress feed.
std::map<std::string, std::string> last_block(const std::string& feed) {
  std::map<std::string, std::string> block;
  std::istringstream lines(feed);
  std::string line;
  while (std::getline(lines, line)) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    block[line.substr(0, eq)] = line.substr(eq + 1);
    if (line.rfind("progress=", 0) == 0 && line != "progress=end") block.clear();
  }
  return block;
}

TEST_F(IoCli, VideoToNumberedPatternAndBackToVideoWithFpsIn) {
  const std::string in = dir / "in.mp4";
  make_clip(in, 160, 96, "25", 6);
  auto r = run(interp("--exp=1 " + quote(in) + " " + quote(dir / "seq/%06d.png")));
  ASSERT_EQ(r.code, 0) << r.err;
  auto names = entries(dir / "seq");
  ASSERT_EQ(names.size(), 13u);  // 12 frames + the marker
  EXPECT_EQ(names[1], "000001.png");  // numbered from 1, as ffmpeg's image2 muxer does
  EXPECT_EQ(names[12], "000012.png");

  // Pictures carry no rate: a video from them needs --fps-in, said before the model loads.
  r = run(interp("--exp=1 " + quote(dir / "seq/%06d.png") + " " + quote(dir / "v.mp4")));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--fps-in"), std::string::npos) << r.err;
  r = run(interp("--exp=1 --fps-in 50 " + quote(dir / "seq/%06d.png") + " " + quote(dir / "v.mp4")));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(probe(dir / "v.mp4", "v:0", "nb_read_frames", true), "24");
  EXPECT_EQ(probe(dir / "v.mp4", "v:0", "r_frame_rate"), "100/1");
  EXPECT_EQ(probe(dir / "v.mp4", "v:0", "color_space"), "bt709");

  // A folder works the same, and --fps with the pictures' rate gives an exact target.
  r = run(interp("--fps 60000/1001 --fps-in 24000/1001 " + quote(dir / "seq/") + " " + quote(dir / "v.mkv")));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(probe(dir / "v.mkv", "v:0", "nb_read_frames", true), "30");  // 12 at 24/1.001 -> 30 at 60/1.001
  // --fps-in names a property of pictures only.
  r = run(interp("--fps-in 24 " + quote(in) + " " + quote(dir / "w.mp4")));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--fps-in is for pictures"), std::string::npos) << r.err;
}

TEST_F(IoCli, PatternsAreReadExactlyAndAGapIsRefused) {
  const auto a = io::read_image(std::string(INTERP_SHARED_DIR) + "/pairs/rife_i0.png");
  for (int n : {1, 2, 4}) io::write_png(dir / ("f" + std::to_string(n) + ".png"), a);
  io::write_png(dir / "f0003.png", a);  // another width: not a name of f%d.png
  auto r = run(interp(quote(dir / "f%d.png") + " " + quote(dir / "out/")));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("f3.png is missing"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));
  io::write_png(dir / "f3.png", a);
  // The pattern's own folder and no number: refused with the fix.
  r = run("cd " + quote(dir.path().string()) + " && " + interp("f%d.png %04d.png"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("frames need a folder of their own"), std::string::npos) << r.err;
  // Only PNG is written.
  r = run(interp(quote(dir / "f%d.png") + " " + quote(dir / "out/%04d.jpg")));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("as PNG"), std::string::npos) << r.err;
}

TEST_F(IoCli, PatternOutputFolderIsReplacedOnlyWithItsOwnNames) {
  const std::string in = dir / "in.mp4";
  make_clip(in, 64, 48, "25", 3);
  const std::string out = dir / "o/img_%03d.png";
  ASSERT_EQ(run(interp(quote(in) + " " + quote(out))).code, 0);
  auto r = run(interp("-y " + quote(in) + " " + quote(out)));  // only interp's names inside: replaced
  ASSERT_EQ(r.code, 0) << r.err;
  std::ofstream(dir / "o/mine.png") << "x";  // a file of the user's: -y must keep the folder
  r = run(interp("-y " + quote(in) + " " + quote(out)));
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(std::filesystem::exists(dir / "o/mine.png"));
  EXPECT_TRUE(std::filesystem::exists(dir / "o/img_001.png"));
}

TEST_F(IoCli, StandardInputAndOutputWithFormat) {
  const std::string in = dir / "in.mkv";
  make_clip(in, 160, 96, "25", 5, "-pix_fmt yuv420p -c:v ffv1", /*audio=*/true);
  const std::string out = dir / "piped.mkv";
  auto r = run("( ffmpeg -v error -i " + quote(in) + " -c copy -f nut - | " + interp("--exp=1 - - --format nut") +
               " | ffmpeg -v error -i - -c copy " + quote(out) + " )");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(probe(out, "v:0", "nb_read_frames", true), "10");
  EXPECT_EQ(probe(out, "v:0", "codec_name"), "rawvideo");  // a pipe gets raw frames unless --codec says
  EXPECT_EQ(probe(out, "a:0", "codec_name"), "aac");       // audio copied through both pipes

  r = run(interp("--exp=1 " + quote(in) + " - --format yuv4mpegpipe"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("YUV4MPEG2 W160 H96 F50:1", 0), 0u) << r.out.substr(0, 60);
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), 'F') >= 10, true);

  r = run(interp(quote(in) + " -"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("needs --format"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
  r = run(interp(quote(in) + " - --format mp4"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("cannot be written to a pipe"), std::string::npos) << r.err;
}

TEST_F(IoCli, ProgressFeedEndsWithStatusAndTheBarShowsSpeed) {
  const std::string in = dir / "in.mp4", feed = dir / "progress.txt";
  make_clip(in, 160, 96, "25", 8);
  // Not -q: the bar's lines (stderr is not a terminal here) carry elapsed time and speed.
  auto r = run(quote(INTERP_BINARY) + " --model " + quote(test_model()) + " --exp=1 --progress " + quote(feed) + " " +
               quote(in) + " " + quote(dir / "out.mp4"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("16/16 frames"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("elapsed 0:00:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("x, elapsed"), std::string::npos) << r.err;  // "speed 0.123x, elapsed 0:00:01"
  auto block = last_block(slurp(feed));
  EXPECT_EQ(block["frame"], "16");
  EXPECT_EQ(block["total"], "16");
  EXPECT_EQ(block["status"], "ok");
  EXPECT_EQ(block["progress"], "end");
  EXPECT_EQ(block["out_time"], "00:00:00.320000");  // 16 frames at 50 fps
  EXPECT_EQ(block["speed"].back(), 'x');

  // The feed is an output too: an existing file is kept without -y.
  r = run(interp("--exp=1 --progress " + quote(feed) + " " + quote(in) + " " + quote(dir / "out2.mp4")));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("already exists"), std::string::npos);
  // A failure still ends the feed, saying what failed; "-" is standard output.
  const std::string one = dir / "one.mp4";
  make_clip(one, 160, 96, "25", 1);
  r = run(interp("--progress - " + quote(one) + " " + quote(dir / "out3.mp4")));
  EXPECT_EQ(r.code, 1);
  block = last_block(r.out);
  EXPECT_EQ(block["status"], "failed");
  EXPECT_NE(block["error"].find("at least 2"), std::string::npos) << r.out;
  EXPECT_EQ(block["progress"], "end");
}

TEST_F(IoCli, AFeedThatCannotBeWrittenEndsTheFeedNotTheJob) {
  // As ffmpeg's -progress: a feed whose writes fail is said once and ends; the video is made.
  const std::string in = dir / "in.mp4", feed = dir / "feed.txt";
  make_clip(in, 160, 96, "25", 8);
  const std::string job = quote(INTERP_BINARY) + " --model " + quote(test_model()) + " --exp=1 --precision fp32 ";
  auto r = run(job + "--progress - " + quote(in) + " " + quote(dir / "a.mkv") + " > /dev/full");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("--progress standard output: cannot write (No space left on device): the feed ends here"),
            std::string::npos) << r.err;
  EXPECT_TRUE(std::filesystem::exists(dir / "a.mkv"));
  // A file cut short (here by a size limit of 0 blocks) is not left under its name. The
  // limit reaches regular files only: the video goes to /dev/null, the log through a pipe.
  r = run("{ (trap '' XFSZ; ulimit -f 0; " + job + "--format nut --progress " + quote(feed) + " " + quote(in) +
          " - 2>&1 >/dev/null; echo \"rc=$?\") | cat >&2; }");
  EXPECT_NE(r.err.find("rc=0"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(feed + ": cannot write (File too large)"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(feed));
}

TEST_F(IoCli, PicturesFromAPipeOfUnknownLengthAllHaveNamesOfOneWidth) {
  // 626 still frames from standard input, 16x: 10016 pictures, more than 4 digits name.
  const std::string in = dir / "still.mkv", out = dir / "frames";
  ASSERT_EQ(run("ffmpeg -v error -f lavfi -i color=c=gray:size=16x16:rate=25 -frames:v 626 -c:v ffv1 " + quote(in)).code,
            0);
  auto r = run("(cat " + quote(in) + " | " + interp("--exp=4 - " + quote(out)) + ")");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto names = entries(out);
  ASSERT_EQ(names.size(), 10016u + 1);  // and the marker, first
  EXPECT_EQ(names[1], "00000.png");
  EXPECT_EQ(names[10000], "09999.png");
  EXPECT_EQ(names[10016], "10015.png");
}

TEST_F(IoCli, StillPairsAreCopiedCountedAndCanBeInterpolated) {
  // Every drawing held for two frames, as animation "on twos", stored losslessly.
  const std::string in = dir / "twos.mkv";
  ASSERT_EQ(run("ffmpeg -v error -f lavfi -i testsrc2=size=160x96:rate=12 -vf fps=24 -frames:v 8 -c:v ffv1 " +
                quote(in))
                .code,
            0);
  const std::string base = quote(INTERP_BINARY) + " --model " + quote(test_model()) + " --exp=1 " + quote(in) + " ";
  auto r = run(base + quote(dir / "copied/"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("8 -> 16 frames"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("4 still pairs"), std::string::npos) << r.err;  // pairs (0,1) (2,3) (4,5) (6,7)
  // A still pair's in-between is its first frame, exactly.
  const auto first = io::read_image(dir / "copied/0000.png"), middle = io::read_image(dir / "copied/0001.png");
  EXPECT_EQ(first.data, middle.data);
  r = run(base + "--static-threshold 0 " + quote(dir / "made/"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("0 still pairs"), std::string::npos) << r.err;
  EXPECT_NE(io::read_image(dir / "made/0001.png").data, first.data);  // the (random-weight) model ran
}

TEST_F(IoCli, AFolderObeysThePatternRules) {
  const std::string in = dir / "in.mp4";
  make_clip(in, 64, 48, "25", 4);
  std::filesystem::create_directory(dir / "f");
  ASSERT_EQ(run("ffmpeg -v error -i " + quote(in) + " " + quote(dir / "f/frame_%04d.png")).code, 0);
  std::ofstream(dir / "f/notes.txt") << "not a picture: left out";
  auto r = run(interp(quote(dir / "f") + " " + quote(dir / "out")));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(entries(dir / "out").size(), 9u);  // 4 frames -> 8, and the marker
  // A gap, as a pattern refuses it.
  std::filesystem::rename(dir / "f/frame_0003.png", dir / "f/frame_0005.png");
  r = run(interp("-y " + quote(dir / "f") + " " + quote(dir / "out")));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("frame_0003.png is missing"), std::string::npos) << r.err;
  std::filesystem::rename(dir / "f/frame_0005.png", dir / "f/frame_0003.png");
  // A picture that is no frame of the sequence is named, never taken as a frame.
  std::filesystem::copy_file(dir / "f/frame_0001.png", dir / "f/thumb.png");
  r = run(interp("-y " + quote(dir / "f") + " " + quote(dir / "out")));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("thumb.png is not one of the numbered frames (frame_%04d.png)"), std::string::npos) << r.err;
  EXPECT_EQ(entries(dir / "out").size(), 9u);  // the earlier output kept
}

}  // namespace
}  // namespace interp::test
