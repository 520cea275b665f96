// Weight files: the torch.save reader, safetensors round trips and corrupt input.
#include "interp/base/error.h"
#include "interp/core/model_loader.h"
#include "interp/core/weights/safetensors.h"
#include "interp/core/weights/torch_pickle.h"
#include "test_support.h"

#include <nlohmann/json.hpp>

namespace interp::test {
namespace {

TEST(TorchPickle, ReadsOfficialOrderedDictFormat) {
  INTERP_REQUIRE_SHARED(pkl, "golden/rife_v4.25_random.pkl");
  INTERP_REQUIRE_SHARED(keys_path, "golden/rife_v4.25_keys.json");
  const auto dict = weights::read_torch_state_dict(pkl);
  const auto keys = nlohmann::json::parse(std::ifstream(keys_path));
  ASSERT_EQ(dict.size(), keys.size());
  for (const auto& [name, shape] : keys.items()) {
    auto it = dict.find("module." + name);
    ASSERT_NE(it, dict.end()) << name;
    EXPECT_EQ(std::vector<int64_t>(it->second.sizes().begin(), it->second.sizes().end()),
              shape.get<std::vector<int64_t>>());
    EXPECT_EQ(it->second.scalar_type(), torch::kFloat32);
  }
}

TEST(TorchPickle, RejectsNonArchives) {
  TempDir dir;
  std::ofstream(dir / "bogus.pkl") << "definitely not a zip";
  EXPECT_THROW(weights::read_torch_state_dict(dir / "bogus.pkl"), Error);
  EXPECT_THROW(weights::read_torch_state_dict(dir / "absent.pkl"), Error);
}

TEST(Safetensors, RoundTripKeepsValuesDtypesAndMetadata) {
  TempDir dir;
  weights::StateDict tensors{{"a.weight", torch::randn({3, 4})},
                             {"b", torch::arange(10, torch::kInt64)},
                             {"h", torch::randn({2, 2}).to(torch::kFloat16)}};
  weights::write_safetensors(dir / "m.safetensors", tensors, {{"interp.variant", "x \"quoted\""}});
  const auto file = weights::read_safetensors(dir / "m.safetensors");
  ASSERT_EQ(file.tensors.size(), 3u);
  for (const auto& [name, t] : tensors) {
    EXPECT_EQ(file.tensors.at(name).scalar_type(), t.scalar_type()) << name;
    EXPECT_TRUE(torch::equal(file.tensors.at(name), t)) << name;
  }
  EXPECT_EQ(file.metadata.at("interp.variant"), "x \"quoted\"");
  EXPECT_EQ(weights::read_safetensors_metadata(dir / "m.safetensors").at("interp.variant"), "x \"quoted\"");
  EXPECT_FALSE(std::filesystem::exists(dir / "m.safetensors.tmp"));
}

TEST(Safetensors, TruncatedFileIsAnErrorNotACrash) {
  TempDir dir;
  weights::write_safetensors(dir / "m.safetensors", {{"w", torch::randn({64, 64})}}, {});
  std::filesystem::resize_file(dir / "m.safetensors", std::filesystem::file_size(dir / "m.safetensors") - 100);
  EXPECT_THROW(weights::read_safetensors(dir / "m.safetensors"), Error);
  std::ofstream(dir / "junk.safetensors") << "garbage";
  EXPECT_THROW(weights::read_safetensors(dir / "junk.safetensors"), Error);
}

TEST(ModelFile, ConvertedPklLoadsByNameWithSameOutput) {
  INTERP_REQUIRE_SHARED(pkl, "golden/rife_v4.6_random.pkl");
  TempDir dir;
  const auto official = read_model_weights(pkl);
  write_model_file(dir / "rife-v4.6.safetensors", official, "rife_v4.6_random.pkl");
  const auto converted = read_model_weights(dir / "rife-v4.6.safetensors");
  EXPECT_EQ(converted.arch, "rife");
  EXPECT_EQ(converted.variant, "rife-v4.6");
  EXPECT_EQ(converted.metadata.at("interp.source"), "rife_v4.6_random.pkl");

  ModelOptions by_name;
  by_name.model = "rife-v4.6";
  by_name.models_dir = dir.path().string();
  ModelOptions by_file;
  by_file.model = pkl;
  auto a = load_model(by_name);
  auto b = load_model(by_file);
  auto img0 = torch::rand({1, 3, 64, 96});
  auto img1 = torch::rand({1, 3, 64, 96});
  EXPECT_TRUE(torch::equal(a->interpolate(img0, img1, {0.5}), b->interpolate(img0, img1, {0.5})));
}

TEST(ModelFile, UnknownNamesAndMissingFilesAreNamed) {
  ModelOptions options;
  options.model = "rife-v9";
  try {
    load_model(options);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown model"), std::string::npos) << e.what();
  }
  options.model = "missing/flownet.pkl";
  try {
    load_model(options);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no such model file"), std::string::npos) << e.what();
  }
  TempDir dir;
  options.model = "rife-v4.25";
  options.models_dir = dir.path().string();
  EXPECT_THROW(load_model(options), Error);  // not installed there
}

}  // namespace
}  // namespace interp::test
