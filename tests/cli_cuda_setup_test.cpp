/// A GPU owner's set-up, proven on this driverless machine: with the CUDA libraries that
/// scripts/setup.sh installs (INTERP_CUDA=1, as CI runs it), every library libtorch_cuda.so
/// loads resolves inside set-up's own cache — none from a system CUDA toolkit — by the
/// loader's own view in a clean environment; interp loads the backend, `--runtime` lists
/// each library as found, and `--device cuda` fails in one line naming the real obstacle.
#include "cli_support.h"
#include "temp_dir.h"

#include <filesystem>
#include <sstream>

namespace interp::test {
namespace {

namespace fs = std::filesystem;

const bool kHasDriver = fs::exists("/proc/driver/nvidia/version");

/// The folder of the libtorch_cpu.so interp runs with, by the loader's own answer.
std::string libtorch_lib_dir() {
  const auto r = run("env -i PATH=/usr/bin:/bin ldd " + quote(INTERP_BINARY));
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    const auto arrow = line.find(" => ");
    if (line.find("libtorch_cpu.so => ") == std::string::npos) continue;
    const std::string path = line.substr(arrow + 4, line.find(" (") - arrow - 4);
    return fs::canonical(path).parent_path().string();
  }
  return "";
}

class CudaSetup : public ::testing::Test {
 protected:
  void SetUp() override {
    lib = libtorch_lib_dir();
    ASSERT_FALSE(lib.empty()) << "interp is not linked against libtorch_cpu.so";
    if (!fs::exists(fs::path(lib) / "libtorch_cuda.so")) GTEST_SKIP() << "a CPU-only LibTorch: no CUDA to set up";
    nvidia = (fs::path(lib).parent_path().parent_path() / "nvidia").string();  // libtorch_cuda's RPATH
    if (!fs::exists(fs::path(nvidia) / ".complete")) {
      if (running_in_ci()) FAIL() << nvidia << " missing: CI runs set-up with INTERP_CUDA=1";
      GTEST_SKIP() << "CUDA libraries not installed (INTERP_CUDA=1 scripts/setup.sh)";
    }
  }
  std::string lib, nvidia;
};

TEST_F(CudaSetup, EveryLibraryResolvesInsideTheCache) {
  const auto r = run("env -i PATH=/usr/bin:/bin ldd " + quote(lib + "/libtorch_cuda.so"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.find("not found"), std::string::npos) << r.out;
  int cuda_libraries = 0;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    const auto arrow = line.find(" => ");
    if (arrow == std::string::npos) continue;
    const std::string name = line.substr(line.find_first_not_of(" \t"), arrow - line.find_first_not_of(" \t"));
    const std::string path = fs::weakly_canonical(line.substr(arrow + 4, line.find(" (") - arrow - 4)).string();
    const bool cuda = name.rfind("libcu", 0) == 0 || name.rfind("libnv", 0) == 0 || name.rfind("libnccl", 0) == 0;
    if (!cuda) continue;
    ++cuda_libraries;
    EXPECT_EQ(path.rfind(nvidia + "/", 0), 0u) << name << " resolves to " << path << ", outside " << nvidia;
  }
  EXPECT_GE(cuda_libraries, 10) << r.out;  // cuDNN, cuBLAS(Lt), cudart, cuFFT, cuRAND, cuSPARSE(Lt), NCCL, ...
}

TEST_F(CudaSetup, RuntimeListsEveryLibraryAsFoundAndNamesWhatIsMissing) {
  const auto r = run("env -i PATH=/usr/bin:/bin HOME=" + quote(getenv("HOME")) + " " + quote(INTERP_BINARY) +
                     " --runtime");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.find("MISSING"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(nvidia + "/cudnn/lib/libcudnn.so.9"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("could not be loaded"), std::string::npos) << r.out;  // the backend loads
  if (kHasDriver) return;
  EXPECT_NE(r.out.find("NVIDIA driver: none"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("CUDA: unavailable (no NVIDIA driver on this machine)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("devices: none"), std::string::npos) << r.out;
}

TEST_F(CudaSetup, DeviceCudaWithoutADriverFailsInOneLineSayingSo) {
  if (kHasDriver) GTEST_SKIP() << "this machine has an NVIDIA driver";
  INTERP_REQUIRE_SHARED(a, "pairs/rife_i0.png");
  INTERP_REQUIRE_SHARED(b, "pairs/rife_i1.png");
  TempDir dir;
  const auto r = run(interp_cmd("--device cuda --model " + quote(test_model()) + " pair " + quote(a) + " " + quote(b) +
                                " " + quote(dir / "x.png")));
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "interp: error: --device cuda: CUDA unavailable (no NVIDIA driver on this machine)\n");
  EXPECT_TRUE(entries(dir.path().string()).empty());
}

}  // namespace
}  // namespace interp::test
