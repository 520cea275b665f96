// Bad input: one line on stderr naming the problem, a non-zero exit, no output left.
#include "cli_support.h"

namespace interp::test {
namespace {

class BadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    INTERP_REQUIRE_SHARED(model, "golden/rife_v4.6_random.pkl");
    (void)model;
    make_clip(dir / "good.mp4", 128, 96, "25", 4);
  }

  /// Runs interp, expects failure with `phrase` in a single stderr line, and that the
  /// folder holds exactly `files` afterwards (nothing partial).
  void expect_failure(const std::string& args, const std::string& phrase, std::vector<std::string> files) {
    auto r = run(interp_cmd(args));
    EXPECT_NE(r.code, 0) << args;
    EXPECT_NE(r.err.find(phrase), std::string::npos) << "stderr: " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "stderr: " << r.err;
    std::sort(files.begin(), files.end());
    EXPECT_EQ(entries(dir.path().string()), files) << args;
  }

  std::string model() const { return "--model " + quote(test_model()) + " "; }
  TempDir dir;
};

TEST_F(BadInput, MissingFile) {
  expect_failure(model() + quote(dir / "absent.mp4") + " " + quote(dir / "o.mp4"), "no such file", {"good.mp4"});
}

TEST_F(BadInput, NotAVideo) {
  std::ofstream(dir / "text.mp4") << "hello, not a video\n";
  expect_failure(model() + quote(dir / "text.mp4") + " " + quote(dir / "o.mp4"), "not a readable video",
                 {"good.mp4", "text.mp4"});
}

TEST_F(BadInput, TruncatedFile) {
  const std::string data = slurp(dir / "good.mp4");
  std::ofstream(dir / "cut.mp4", std::ios::binary) << data.substr(0, data.size() / 2);
  auto r = run(interp_cmd(model() + quote(dir / "cut.mp4") + " " + quote(dir / "o.mp4")));
  EXPECT_NE(r.code, 0);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "o.mp4"));
}

TEST_F(BadInput, SingleFrameVideo) {
  make_clip(dir / "one.mp4", 128, 96, "25", 1);
  expect_failure(model() + quote(dir / "one.mp4") + " " + quote(dir / "o.mp4"), "at least 2",
                 {"good.mp4", "one.mp4"});
}

TEST_F(BadInput, InvalidFactors) {
  const std::string io = quote(dir / "good.mp4") + " " + quote(dir / "o.mp4");
  expect_failure(model() + "--exp=0 " + io, "--exp: '0' is outside [1, 6]", {"good.mp4"});
  expect_failure(model() + "--exp=9 " + io, "--exp: '9' is outside [1, 6]", {"good.mp4"});
  expect_failure(model() + "--multi=1 " + io, "--multi: '1' is outside [2, 64]", {"good.mp4"});
  expect_failure(model() + "--exp=1 --multi=4 " + io, "--exp excludes --multi", {"good.mp4"});
  expect_failure(model() + "--fps=abc " + io, "not a frame rate", {"good.mp4"});
  expect_failure(model() + "--fps=10 " + io, "not above the input rate", {"good.mp4"});
  expect_failure(model() + "--scale=0.3 " + io, "--scale: 0.3 not in", {"good.mp4"});
}

TEST_F(BadInput, ExistingOutputIsKeptWithoutOverwriteFlag) {
  std::ofstream(dir / "o.mp4") << "precious";
  expect_failure(model() + quote(dir / "good.mp4") + " " + quote(dir / "o.mp4"), "already exists",
                 {"good.mp4", "o.mp4"});
  EXPECT_EQ(slurp(dir / "o.mp4"), "precious");
}

TEST_F(BadInput, InputIsNeverOverwritten) {
  expect_failure(model() + "-y " + quote(dir / "good.mp4") + " " + quote(dir / "good.mp4"), "is the input",
                 {"good.mp4"});
}

TEST_F(BadInput, UnwritableOutputFolder) {
  expect_failure(model() + quote(dir / "good.mp4") + " " + quote(dir / "missing/o.mp4"), "does not exist",
                 {"good.mp4"});
  auto r = run(interp_cmd(model() + quote(dir / "good.mp4") + " /proc/interp_test_out.mp4"));
  EXPECT_NE(r.code, 0);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST_F(BadInput, ModelFileOfTheWrongKind) {
  std::ofstream(dir / "weights.pkl") << "not weights";
  expect_failure("--model " + quote(dir / "weights.pkl") + " " + quote(dir / "good.mp4") + " " + quote(dir / "o.mp4"),
                 "not a model file", {"good.mp4", "weights.pkl"});
  expect_failure("--model rife-v9 " + quote(dir / "good.mp4") + " " + quote(dir / "o.mp4"), "unknown model",
                 {"good.mp4", "weights.pkl"});
  INTERP_REQUIRE_SHARED(cases, "golden/rife_v4.6_cases.pt");  // a torch zip without IFNet weights
  expect_failure("--model " + quote(cases) + " " + quote(dir / "good.mp4") + " " + quote(dir / "o.mp4"),
                 "holds no RIFE IFNet, UPR-Net, FILM or ConvLSTM weights", {"good.mp4", "weights.pkl"});
}

TEST_F(BadInput, PairOfDifferentSizes) {
  INTERP_REQUIRE_SHARED(a, "pairs/rife_i0.png");
  INTERP_REQUIRE_SHARED(b, "pairs/rife_I0_0.png");
  expect_failure(model() + "pair " + quote(a) + " " + quote(b) + " " + quote(dir / "mid.png") + " -t 0.5",
                 "differ in size", {"good.mp4"});
}

TEST_F(BadInput, InvalidTimestep) {
  INTERP_REQUIRE_SHARED(a, "pairs/rife_i0.png");
  INTERP_REQUIRE_SHARED(b, "pairs/rife_i1.png");
  expect_failure(model() + "pair " + quote(a) + " " + quote(b) + " " + quote(dir / "mid.png") + " -t 1.5",
                 "--timestep: must be a number strictly between 0 and 1", {"good.mp4"});
  expect_failure(model() + "pair " + quote(a) + " " + quote(b) + " " + quote(dir / "mid.png") + " -t 0",
                 "--timestep: must be a number strictly between 0 and 1", {"good.mp4"});
}

TEST_F(BadInput, ConvertWritesNothingForAModelThatCannotRun) {
  // A wrong --variant used to land in models/ and become the default that every later run failed on.
  expect_failure("convert " + quote(test_model()) + " " + quote(dir / "rife-v4.25.safetensors") + " --variant rife-v4.25",
                 test_model(), {"good.mp4"});
}

TEST_F(BadInput, EveryOptionIsValidatedInOneLine) {
  const std::string io = quote(dir / "good.mp4") + " " + quote(dir / "o.mp4");
  expect_failure(model() + "--crf=99 " + io, "--crf: '99' is outside [-1, 63]", {"good.mp4"});
  expect_failure(model() + "--crf=-5 " + io, "--crf: '-5' is outside [-1, 63]", {"good.mp4"});
  expect_failure(model() + "--preset=bogus " + io, "libx264 has no preset 'bogus'", {"good.mp4"});
  expect_failure(model() + "--pix-fmt=rgb24 " + io, "libx264 cannot encode pixel format rgb24", {"good.mp4"});
  expect_failure(model() + "--device=cuda:99999999999 " + io, "is not cpu, cuda, cuda:N or auto", {"good.mp4"});
  expect_failure(model() + "--fps=1000000 " + io, "over 64 times the input rate", {"good.mp4"});
  expect_failure(model() + "--multi=65 " + io, "--multi: '65' is outside [2, 64]", {"good.mp4"});
  expect_failure(model() + "--batch=0 " + io, "--batch: '0' is outside [1, 256]", {"good.mp4"});
  expect_failure(model() + quote(dir / "good.mp4") + " " + quote(dir / "o.xyz"), "cannot tell what kind of output",
                 {"good.mp4"});
  INTERP_REQUIRE_SHARED(a, "pairs/rife_i0.png");
  INTERP_REQUIRE_SHARED(b, "pairs/rife_i1.png");
  const std::string pair = model() + "pair " + quote(a) + " " + quote(b) + " ";
  for (const std::string t : {"nan", "-0.5", "inf", "1"})
    expect_failure(pair + quote(dir / "m.png") + " -t " + t, "--timestep: must be a number strictly between 0 and 1",
                   {"good.mp4"});
  expect_failure(pair + quote(dir / "m.jpg"), "interp writes pictures as PNG", {"good.mp4"});
  expect_failure(pair + quote(dir / "m.mp4"), "a pair makes pictures", {"good.mp4"});
  expect_failure(pair + quote(dir / "m.png") + " --exp=2", "make several frames; give a folder", {"good.mp4"});
}

TEST_F(BadInput, InterlacedVideoIsRefusedWithTheWayOut) {
  make_clip(dir / "il.mp4", 128, 96, "25", 4, "-vf setfield=tff -flags +ildct+ilme -pix_fmt yuv420p");
  expect_failure(model() + quote(dir / "il.mp4") + " " + quote(dir / "o.mp4"), "interlaced video; deinterlace it first",
                 {"good.mp4", "il.mp4"});
}

TEST_F(BadInput, DamagedPacketsAreConcealedCountedOrUnderStrictRefused) {
  make_clip(dir / "clean.mp4", 128, 96, "25", 12, "-pix_fmt yuv420p -movflags +faststart");
  std::string data = slurp(dir / "clean.mp4");
  for (size_t i = data.size() / 2; i + 200 < data.size(); i += 97) data[i] = static_cast<char>(data[i] ^ 0x55);
  std::ofstream(dir / "damaged.mp4", std::ios::binary) << data;
  auto r = run(quote(INTERP_BINARY) + " " + model() + quote(dir / "damaged.mp4") + " " + quote(dir / "o.mp4"));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("damaged input: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("frames its header announces"), std::string::npos) << r.err;
  std::filesystem::remove(dir / "o.mp4");
  expect_failure(model() + "--strict " + quote(dir / "damaged.mp4") + " " + quote(dir / "o.mp4"), "damaged video",
                 {"clean.mp4", "damaged.mp4", "good.mp4"});
}

TEST_F(BadInput, PictureBombIsRefusedFromItsHeaderAndHugeFramesByMemory) {
  // 20000x20000 gray in ~390 KB: decoding it would take gigabytes.
  ASSERT_EQ(run("python3 -c " + quote("import struct, zlib, sys\n"
                                      "w = h = 20000\n"
                                      "c = zlib.compressobj(9)\n"
                                      "idat = b''.join(c.compress(b'\\0' * (w + 1)) for _ in range(h)) + c.flush()\n"
                                      "chunk = lambda t, d: struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))\n"
                                      "ihdr = struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0)\n"
                                      "open(sys.argv[1], 'wb').write(b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', ihdr) + "
                                      "chunk(b'IDAT', idat) + chunk(b'IEND', b''))\n") +
                " " + quote(dir / "bomb.png")).code, 0);
  INTERP_REQUIRE_SHARED(a, "pairs/rife_i0.png");
  const std::vector<std::string> files{"bomb.png", "good.mp4"};
  expect_failure(model() + "pair " + quote(dir / "bomb.png") + " " + quote(a) + " " + quote(dir / "m.png"),
                 "20000x20000 is over the limit of 67108864 pixels per frame (raise it with --max-pixels)", files);
  expect_failure(model() + "pair " + quote(a) + " " + quote(dir / "bomb.png") + " " + quote(dir / "m.png"),
                 "over the limit", files);
  // Allowed by the limit, refused by memory rather than killed by the kernel halfway.
  auto r = run(interp_cmd(model() + "pair " + quote(dir / "bomb.png") + " " + quote(dir / "bomb.png") + " " +
                          quote(dir / "m.png") + " --max-pixels 1000000000"));
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("on 20000x20000 frames needs about"), std::string::npos) << r.err;
  EXPECT_EQ(entries(dir.path().string()), files);
}

TEST_F(BadInput, TruncatedFaststartFileSaysHowMuchWasDecoded) {
  make_clip(dir / "fs.mp4", 128, 96, "25", 48, "-pix_fmt yuv420p -g 4 -movflags +faststart");
  const std::string data = slurp(dir / "fs.mp4");
  std::ofstream(dir / "half.mp4", std::ios::binary) << data.substr(0, data.size() / 2);
  auto r = run(quote(INTERP_BINARY) + " " + model() + quote(dir / "half.mp4") + " " + quote(dir / "o.mp4"));
  EXPECT_EQ(r.code, 0) << r.err;  // what is there is used...
  EXPECT_NE(r.err.find("of the 48 frames its header announces"), std::string::npos) << r.err;  // ...and said
}

TEST_F(BadInput, LostFrameKeepsTheTimelineExact) {
  // MJPEG: one packet per frame. Blank out the 6th picture: the decoder refuses that
  // packet, and the pair around it makes it (a gap of one), so 11 inputs still give 24
  // frames at 2x.
  make_clip(dir / "mj.mkv", 64, 48, "25", 12, "-c:v mjpeg -q:v 5");
  std::string data = slurp(dir / "mj.mkv");
  std::vector<size_t> starts;
  for (size_t i = 0; i + 1 < data.size(); ++i)
    if (static_cast<unsigned char>(data[i]) == 0xFF && static_cast<unsigned char>(data[i + 1]) == 0xD8) starts.push_back(i);
  ASSERT_EQ(starts.size(), 12u);
  size_t end = starts[5];
  while (!(static_cast<unsigned char>(data[end]) == 0xFF && static_cast<unsigned char>(data[end + 1]) == 0xD9)) ++end;
  std::fill(data.begin() + starts[5], data.begin() + end + 2, '\0');
  std::ofstream(dir / "lost.mkv", std::ios::binary) << data;
  auto r = run(quote(INTERP_BINARY) + " " + model() + "--scene-threshold 0 --static-threshold 0 --codec ffv1 " +
               quote(dir / "lost.mkv") + " " + quote(dir / "o.mkv"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("of the frames missing, 1 made from the frames around them, 0 held"), std::string::npos) << r.err;
  EXPECT_EQ(probe(dir / "o.mkv", "v:0", "nb_read_frames", true), "24");
  const auto frames = gray_frames(dir / "o.mkv", 64, 48);
  ASSERT_EQ(frames.size(), 24u);
  // The lost input's slot and the in-betweens around it are made from the 5th and 7th.
  for (int i = 9; i <= 11; ++i) EXPECT_TRUE(frames[i] != frames[8] && frames[i] != frames[12]) << i;
  EXPECT_TRUE(frames[12] != frames[8]);
}

TEST_F(BadInput, PictureLibrariesSpeakThroughInterp) {
  INTERP_REQUIRE_SHARED(a, "pairs/rife_i0.png");
  std::string png = slurp(a);
  png[png.size() / 2] = static_cast<char>(png[png.size() / 2] ^ 0xff);
  std::ofstream(dir / "bad.png", std::ios::binary) << png;
  // libpng's own line used to come first; now its words are inside interp's one line.
  expect_failure(model() + "pair " + quote(a) + " " + quote(dir / "bad.png") + " " + quote(dir / "m.png"),
                 "bad.png: not a readable image (libpng error:", {"bad.png", "good.mp4"});
  ASSERT_EQ(run("ffmpeg -v error -i " + quote(a) + " " + quote(dir / "j.jpg")).code, 0);
  std::string jpeg = slurp(dir / "j.jpg");
  for (size_t i = jpeg.size() / 2; i + 10 < jpeg.size(); i += 50) jpeg[i] = static_cast<char>(jpeg[i] ^ 0x3c);
  std::ofstream(dir / "bad.jpg", std::ios::binary) << jpeg;
  std::filesystem::remove(dir / "j.jpg");
  auto r = run(quote(INTERP_BINARY) + " " + model() + "pair " + quote(a) + " " + quote(dir / "bad.jpg") + " " +
               quote(dir / "m.png"));  // concealed by libjpeg: a warning of interp's, not libjpeg's line
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.find("Corrupt JPEG"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("damaged input: 0 packet(s) dropped, 1 frame(s) concealed"), std::string::npos) << r.err;
  std::filesystem::remove(dir / "m.png");
  expect_failure(model() + "pair " + quote(a) + " " + quote(dir / "bad.jpg") + " " + quote(dir / "m.png") + " --strict",
                 "bad.jpg: damaged picture (Corrupt JPEG data", {"bad.jpg", "bad.png", "good.mp4"});
}

TEST_F(BadInput, WebmGetsAnEncoderItCanHold) {
  auto r = run(interp_cmd(model() + quote(dir / "good.mp4") + " " + quote(dir / "o.webm")));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(probe(dir / "o.webm", "v:0", "codec_name"), "vp9");
  EXPECT_EQ(probe(dir / "o.webm", "v:0", "nb_read_frames", true), "8");
}

TEST_F(BadInput, MissingModelSaysWhatCanInstallIt) {
  TempDir empty;  // a models folder without rife-v4.6
  expect_failure("--model rife-v4.6 --models-dir " + quote(empty.path().string()) + " " + quote(dir / "good.mp4") +
                     " " + quote(dir / "o.mp4"),
                 "install yours with `interp convert flownet.pkl models/rife-v4.6.safetensors`", {"good.mp4"});
}

TEST_F(BadInput, UnknownOptionIsOneLine) {
  auto r = run(interp_cmd("--frobnicate " + quote(dir / "good.mp4") + " " + quote(dir / "o.mp4")));
  EXPECT_NE(r.code, 0);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

}  // namespace
}  // namespace interp::test
