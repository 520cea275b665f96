// One video in pieces: --range (frame-exact seeks), split-plan and join. The pieces,
// made apart and joined, must be the run over the whole video: the same frames (ffv1,
// lossless), the same number, the same timestamps, and the audio as it was.
#include "cli_support.h"
#include "convlstm_test_model.h"

namespace interp::test {
namespace {

/// ffmpeg's framemd5 lines of `file` with `args` (the header, which names the file, left
/// out), timestamps as stored (-copyts: not shifted to 0); `code` gets ffmpeg's exit.
std::string framemd5(const std::string& file, const std::string& args, int& code) {
  auto r = run("ffmpeg -v error -copyts -i " + quote(file) + " " + args + " -f framemd5 -");
  code = r.code;
  std::string lines;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') lines += line + "\n";
  return lines;
}

/// Every decoded video frame's timestamp, duration and picture hash.
std::string video_frames(const std::string& file) {
  int code = 0;
  const std::string frames = framemd5(file, "-map 0:v", code);
  EXPECT_EQ(code, 0) << file;
  return frames;
}

/// Every audio packet, copied (timestamps and bytes); empty without audio (ffmpeg then
/// fails: no stream matches).
std::string audio_packets(const std::string& file) {
  int code = 0;
  return framemd5(file, "-map 0:a -c copy", code);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

/// Runs `args` over the whole of `input`, then over the pieces `ranges` (joined), and
/// expects the same output; returns the pieces' paths.
std::vector<std::string> expect_pieces_join_to_whole(const TempDir& dir, const std::string& input,
                                                     const std::vector<std::string>& ranges, const std::string& args) {
  const std::string whole = dir / "whole.mkv", joined = dir / "joined.mkv";
  auto r = run(interp_cmd(args + " " + quote(input) + " " + quote(whole)));
  EXPECT_EQ(r.code, 0) << r.err;
  std::vector<std::string> pieces;
  for (size_t k = 0; k < ranges.size(); ++k) {
    pieces.push_back(dir / ("piece" + std::to_string(k) + ".mkv"));
    r = run(interp_cmd(args + " --range " + ranges[k] + " " + quote(input) + " " + quote(pieces.back())));
    EXPECT_EQ(r.code, 0) << ranges[k] << ": " << r.err;
  }
  std::string listed;
  for (auto it = pieces.rbegin(); it != pieces.rend(); ++it) listed += " " + quote(*it);  // any order
  r = run(interp_cmd("join " + quote(joined) + listed));
  EXPECT_EQ(r.code, 0) << r.err;
  const std::string expected = video_frames(whole);
  EXPECT_FALSE(expected.empty());
  EXPECT_EQ(lines_of(video_frames(joined)).size(), lines_of(expected).size());
  EXPECT_EQ(video_frames(joined), expected);  // frames, count and timestamps
  EXPECT_EQ(audio_packets(joined), audio_packets(whole));
  return pieces;
}

TEST(Segments, BigBuckBunnyInThreePiecesJoinsToTheWholeRun) {
  INTERP_REQUIRE_SHARED(clip, "clips/bigbuckbunny.mp4");
  TempDir dir;
  auto plan = run(interp_cmd("split-plan " + quote(clip) + " --segments 3"));
  ASSERT_EQ(plan.code, 0) << plan.err;
  const auto ranges = lines_of(plan.out);
  ASSERT_EQ(ranges, (std::vector<std::string>{"0:44", "44:88", "88:132"}));
  EXPECT_EQ(run(interp_cmd("split-plan " + quote(clip) + " -s 3 --index 1")).out, "44:88\n");
  // --scale 0.25 only to keep the test short: exactness does not depend on it.
  expect_pieces_join_to_whole(dir, clip, ranges,
                              "--precision fp32 --model " + quote(test_model()) + " --scale 0.25 --codec ffv1");
  EXPECT_FALSE(audio_packets(dir / "joined.mkv").empty());  // the source's audio is back
  EXPECT_TRUE(audio_packets(dir / "piece1.mkv").empty());   // pieces carry none
}

TEST(Segments, SceneCutOnABoundaryWithBFramesAndALateStart) {
  INTERP_REQUIRE_SHARED(source, "clips/scene_cuts.mp4");
  TempDir dir;
  // 40 frames around the cut at frame 30 (here 10), B-frames, short GOPs, starting at 1.5 s.
  const std::string clip = dir / "cut.mp4";
  ASSERT_EQ(run("ffmpeg -v error -i " + quote(source) +
                " -vf trim=start_frame=20:end_frame=60,setpts=PTS-STARTPTS,scale=320:68 -c:v libx264 -bf 3 -g 12 "
                "-output_ts_offset 1.5 " + quote(clip))
                .code,
            0);
  ASSERT_EQ(probe(clip, "v:0", "start_time"), "1.500000");
  const std::string args = "--precision fp32 --model " + quote(test_model()) + " --exp=2 --codec ffv1";
  expect_pieces_join_to_whole(dir, clip, {"0:10", "10:23", "23:40"}, args);
  // The cut pair (9, 10) belongs to the first piece, which decodes frame 10 but does not
  // write it: its in-betweens are copies, as in the whole run.
  auto r = run(quote(INTERP_BINARY) + " " + args + " --range 0:10 " + quote(clip) + " " + quote(dir / "first.mkv"));
  EXPECT_NE(r.err.find("1 scene cuts"), std::string::npos) << r.err;
  EXPECT_EQ(probe(dir / "first.mkv", "v:0", "nb_read_frames", true), "40");  // 10 inputs x 4
}

// A four-frame model's pieces read the frames just outside their range as neighbours
// of their first and last windows: joined, they are the one run, at --exp=2 (deeper
// levels) and across a scene cut (two testsrc2 patterns spliced).
TEST(Segments, FourFrameModelPiecesJoinToTheWholeRun) {
  TempDir dir;
  const std::string model = write_test_convlstm(dir / "convlstm.safetensors");
  const std::string a = dir / "a.mkv", b = dir / "b.mkv", clip = dir / "cut.mkv";
  make_clip(a, 64, 48, "24", 9, "-c:v ffv1");
  ASSERT_EQ(run("ffmpeg -v error -f lavfi -i mandelbrot=size=64x48:rate=24 -frames:v 9 -c:v ffv1 " + quote(b)).code, 0);
  ASSERT_EQ(run("ffmpeg -v error -i " + quote(a) + " -i " + quote(b) +
                " -filter_complex '[0:v][1:v]concat=n=2:v=1[v]' -map '[v]' -c:v ffv1 " + quote(clip)).code, 0);
  expect_pieces_join_to_whole(dir, clip, {"0:5", "5:9", "9:13", "13:"},
                              "--precision fp32 --model " + quote(model) + " --exp 2 --codec ffv1 --static-threshold 0");
}

// A variable frame rate: a slot skipped before frame 5 (made from the pair around it),
// four before frame 10 (held by frame 9), odd frames 6 ms late, B-frames. A piece
// numbers its frames by their slots on the whole video's grid, found from the
// timestamps before it; numbered by frame, every piece after a skip came out early.
TEST(Segments, VariableFrameRatePiecesJoinToTheWholeRun) {
  TempDir dir;
  const std::string clip = dir / "vfr.mp4";
  make_clip(clip, 64, 48, "25", 16,
            "-vf \"settb=1/1000,setpts=PTS+40*gte(N\\,5)+160*gte(N\\,10)+6*mod(N\\,2)\" -fps_mode passthrough "
            "-pix_fmt yuv420p -c:v libx264 -bf 2 -enc_time_base 1/1000 -video_track_timescale 1000");
  const std::string args = "--precision fp32 --model " + quote(test_model()) + " --codec ffv1 --static-threshold 0";
  const auto pieces = expect_pieces_join_to_whole(dir, clip, {"0:4", "4:5", "5:9", "9:10", "10:11", "11:"}, args);
  EXPECT_EQ(lines_of(video_frames(dir / "whole.mkv")).size(), 42u);  // (16 frames + 5 slots) x 2
  EXPECT_EQ(lines_of(video_frames(pieces[3])).size(), 10u);          // frame 9, held 4 times, and the in-betweens
}

TEST(Segments, EveryStartIsFrameExactWithOpenGopsAndBFrames) {
  TempDir dir;
  // Open GOPs of 8 with 3 B-frames: keyframes shown after frames decoded before them.
  const std::string clip = dir / "gop.mp4";
  make_clip(clip, 64, 48, "24", 40, "-pix_fmt yuv420p -c:v libx264 -bf 3 -g 8 -x264-params open-gop=1:scenecut=0");
  const std::string args = "--precision fp32 --model " + quote(test_model()) + " --codec ffv1 --static-threshold 0 ";
  ASSERT_EQ(run(interp_cmd(args + quote(clip) + " " + quote(dir / "whole.mkv"))).code, 0);
  const auto whole = lines_of(video_frames(dir / "whole.mkv"));
  ASSERT_EQ(whole.size(), 80u);
  for (int first = 1; first < 38; first += 3) {
    const std::string piece = dir / ("p" + std::to_string(first) + ".mkv");
    auto r = run(interp_cmd(args + "--range " + std::to_string(first) + ":" + std::to_string(first + 2) + " " +
                            quote(clip) + " " + quote(piece)));
    ASSERT_EQ(r.code, 0) << first << ": " << r.err;
    EXPECT_EQ(lines_of(video_frames(piece)),
              std::vector<std::string>(whole.begin() + 2 * first, whole.begin() + 2 * first + 4))
        << "--range " << first << ":" << first + 2;
  }
}

TEST(Segments, PiecesFromStandardInputAndPicturesAreExactToo) {
  TempDir dir;
  const std::string clip = dir / "in.mkv";
  make_clip(clip, 64, 48, "24", 12);
  const std::string args = "--precision fp32 --model " + quote(test_model()) + " --codec ffv1 ";
  ASSERT_EQ(run(interp_cmd(args + quote(clip) + " " + quote(dir / "whole.mkv"))).code, 0);
  auto r = run(interp_cmd(args + "--range 5:9 " + quote(clip) + " " + quote(dir / "seeked.mkv")));
  ASSERT_EQ(r.code, 0) << r.err;
  const auto frames = lines_of(video_frames(dir / "whole.mkv"));
  const auto piece = lines_of(video_frames(dir / "seeked.mkv"));
  ASSERT_EQ(piece.size(), 8u);  // inputs 5..8 and the in-betweens after each
  EXPECT_EQ(piece, std::vector<std::string>(frames.begin() + 10, frames.begin() + 18));
  // A pipe cannot seek: the frames before the range are decoded and dropped.
  r = run("(cat " + quote(clip) + " | " + quote(INTERP_BINARY) + " -q " + args + "--range 5:9 - " +
          quote(dir / "piped.mkv") + ")");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(lines_of(video_frames(dir / "piped.mkv")), piece);
  // Frames out of a folder of pictures, numbered as in the whole.
  std::filesystem::create_directories(dir / "pics");
  ASSERT_EQ(run("ffmpeg -v error -i " + quote(clip) + " " + quote(dir / "pics/%04d.png")).code, 0);
  r = run(interp_cmd(args + "--range 10: " + quote(dir / "pics") + " " + quote(dir / "out/")));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(entries(dir / "out"), (std::vector<std::string>{".interp-output", "0020.png", "0021.png", "0022.png",
                                                            "0023.png"}));
}

TEST(Segments, JoinRefusesGapsOverlapsAndStrangers) {
  TempDir dir;
  const std::string clip = dir / "in.mp4";
  make_clip(clip, 64, 48, "24", 12, "-pix_fmt yuv420p", /*audio=*/true);
  const std::string args = "--precision fp32 --model " + quote(test_model()) + " --codec ffv1 ";
  for (const std::string range : {"0:4", "4:8", "6:12", "8:12"}) {
    std::string name = range;
    name[name.find(':')] = '_';
    ASSERT_EQ(run(interp_cmd(args + "--range " + range + " " + quote(clip) + " " + quote(dir / (name + ".mkv")))).code, 0);
  }
  for (const std::string piece : {"0_4.mkv", "4_8.mkv"})  // the first piece too: join adds the sound once
    EXPECT_EQ(probe(dir / piece, "a", "codec_name"), "") << piece;
  const auto join = [&](const std::string& pieces) { return run(interp_cmd("join " + quote(dir / "j.mkv") + pieces)); };
  auto r = join(" " + quote(dir / "0_4.mkv") + " " + quote(dir / "8_12.mkv"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("frames 4:8 are in no piece"), std::string::npos) << r.err;
  r = join(" " + quote(dir / "0_4.mkv") + " " + quote(dir / "4_8.mkv") + " " + quote(dir / "6_12.mkv"));
  EXPECT_NE(r.err.find("overlap"), std::string::npos) << r.err;
  r = join(" " + quote(dir / "0_4.mkv") + " " + quote(dir / "4_8.mkv"));  // the video has 12 frames
  EXPECT_NE(r.err.find("the pieces end at frame 8"), std::string::npos) << r.err;
  r = join(" " + quote(dir / "0_4.mkv") + " " + quote(clip));
  EXPECT_NE(r.err.find("no interp_range tag"), std::string::npos) << r.err;
  EXPECT_EQ(entries(dir.path()).size(), 5u);  // nothing written, nothing left behind
  r = join(" " + quote(dir / "4_8.mkv") + " " + quote(dir / "0_4.mkv") + " " + quote(dir / "8_12.mkv") + " --video-only");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(probe(dir / "j.mkv", "a", "codec_name"), "");
  EXPECT_EQ(probe(dir / "j.mkv", "v:0", "nb_read_frames", true), "24");

  r = run(interp_cmd(args + "--range 12:20 " + quote(clip) + " " + quote(dir / "late.mkv")));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("has 12 frames; there is no frame 12"), std::string::npos) << r.err;
  r = run(interp_cmd(args + "--range 5:5 " + quote(clip) + " " + quote(dir / "empty.mkv")));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("is empty"), std::string::npos) << r.err;
  r = run(interp_cmd("split-plan " + quote(clip) + " --segments 13"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("fewer than 13 segments"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace interp::test
