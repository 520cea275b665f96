// Model files from strangers: each crafted file ends in one interp::Error naming the file,
// never a crash, a hang, runaway memory, black frames or a broken default model.
#include "error_of.h"
#include "interp/base/error.h"
#include "interp/core/model_loader.h"
#include "interp/core/weights/safetensors.h"
#include "interp/core/weights/torch_pickle.h"
#include "test_support.h"

#include <caffe2/serialize/inline_container.h>

namespace interp::test {
namespace {
namespace fs = std::filesystem;

/// Pickle opcodes written by hand: the attacks need shapes Python's pickler never emits.
class PickleBytes {
 public:
  PickleBytes() { bytes_ += "\x80\x02"; }
  PickleBytes& op(char c) { return raw(std::string(1, c)); }
  PickleBytes& raw(const std::string& s) {
    bytes_ += s;
    return *this;
  }
  PickleBytes& str(const std::string& s) {
    bytes_ += 'X';
    for (int i = 0; i < 4; ++i) bytes_ += static_cast<char>((s.size() >> (8 * i)) & 0xff);
    return raw(s);
  }
  PickleBytes& small_int(uint8_t v) { return op('K').raw(std::string(1, static_cast<char>(v))); }
  PickleBytes& put(uint8_t memo) { return op('q').raw(std::string(1, static_cast<char>(memo))); }
  PickleBytes& get(uint8_t memo) { return op('h').raw(std::string(1, static_cast<char>(memo))); }
  PickleBytes& global(const std::string& module, const std::string& name) {
    return op('c').raw(module + "\n" + name + "\n");
  }
  /// A tensor view `sizes`/`strides` of a FloatStorage record "0" of `numel` floats.
  PickleBytes& tensor(uint8_t numel, uint8_t size, uint8_t stride, uint8_t offset) {
    global("torch._utils", "_rebuild_tensor_v2").op('(');
    op('(').str("storage").global("torch", "FloatStorage").str("0").str("cpu").small_int(numel).op('t').op('Q');
    small_int(offset).op('(').small_int(size).op('t').op('(').small_int(stride).op('t');
    return op('\x89').global("collections", "OrderedDict").op(')').op('R').op('t').op('R');
  }
  std::string done() { return bytes_ + "."; }

 private:
  std::string bytes_;
};

/// A torch.save-style zip (archive/data.pkl, archive/data/0, ...) holding `pickle`.
void write_archive(const std::string& path, const std::string& pickle,
                   const std::map<std::string, std::string>& records = {{"data/0", std::string(16, '\0')}}) {
  caffe2::serialize::PyTorchStreamWriter writer(path);
  writer.writeRecord("data.pkl", pickle.data(), pickle.size());
  for (const auto& [name, data] : records) writer.writeRecord(name, data.data(), data.size());
  writer.writeEndOfFile();
}


void expect_refused(const std::string& path, const std::string& phrase) {
  const std::string message = error_of([&] { read_model_weights(path); });
  EXPECT_EQ(message.rfind(path, 0), 0u) << "names the file: " << message;
  EXPECT_NE(message.find(phrase), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

TEST(HostilePickle, DeepNestingIsRefusedWithoutRecursion) {
  TempDir dir;
  PickleBytes p;
  const int depth = 100000;
  for (int i = 0; i < depth; ++i) p.op('}').str("a");
  p.op('}');
  for (int i = 0; i < depth; ++i) p.op('s');
  write_archive(dir / "deep.pkl", p.done());
  expect_refused(dir / "deep.pkl", "nested deeper");
}

TEST(HostilePickle, DictContainingItselfIsRefused) {
  TempDir dir;
  write_archive(dir / "cycle.pkl", PickleBytes().op('}').put(0).str("a").get(0).op('s').done());
  expect_refused(dir / "cycle.pkl", "contains itself");
}

TEST(HostilePickle, SharedSubDictsCannotMultiplyWithoutBound) {
  TempDir dir;  // d_i = {a: d_{i-1}, b: d_{i-1}}: 2^60 paths in 60 small dicts
  PickleBytes p;
  p.op('}').put(0);
  for (uint8_t i = 1; i <= 60; ++i) p.op('}').op('(').str("a").get(i - 1).str("b").get(i - 1).op('u').put(i);
  write_archive(dir / "dag.pkl", p.done());
  expect_refused(dir / "dag.pkl", "too many paths");
}

TEST(HostilePickle, TensorViewOutsideItsStorageIsRefused) {
  TempDir dir;
  const auto with_view = [&](uint8_t size, uint8_t stride, uint8_t offset) {
    write_archive(dir / "view.pkl", PickleBytes().op('}').str("w").tensor(4, size, stride, offset).op('s').done());
    return error_of([&] { weights::read_torch_state_dict(dir / "view.pkl"); });
  };
  EXPECT_EQ(with_view(4, 1, 0), "");  // exactly the storage: fine
  EXPECT_NE(with_view(100, 1, 0).find("outside its storage"), std::string::npos);
  EXPECT_EQ(with_view(2, 3, 0), "");  // elements 0 and 3: inside
  EXPECT_NE(with_view(2, 4, 0).find("outside its storage"), std::string::npos);
  EXPECT_NE(with_view(4, 1, 1).find("outside its storage"), std::string::npos);
}

TEST(HostilePickle, OpcodesOnTheWrongKindsAreRefused) {
  TempDir dir;
  for (const auto& bytes : {PickleBytes().small_int(1).small_int(2).op('a').done(),      // APPEND to an int
                            PickleBytes().op(']').str("k").small_int(2).op('s').done(),  // SETITEM on a list
                            PickleBytes().op('t').done(),                                // TUPLE without a mark
                            PickleBytes().small_int(1).op(')').op('R').done(),           // call an int
                            PickleBytes().op('}').get(9).done()}) {                      // unknown memo
    write_archive(dir / "odd.pkl", bytes);
    EXPECT_NE(error_of([&] { weights::read_torch_state_dict(dir / "odd.pkl"); }), "");
  }
}

TEST(HostilePickle, LegacyFormatIsNamed) {
  TempDir dir;
  std::ofstream(dir / "old.pkl", std::ios::binary) << PickleBytes().small_int(1).done();
  expect_refused(dir / "old.pkl", "legacy torch.save format");
}

TEST(HostileTorchScript, ArchiveCodeNeverRuns) {
  // A TorchScript archive whose class would loop forever in __setstate__; read as data,
  // its code is never looked at, so this ends at once with a plain refusal.
  TempDir dir;
  const std::string pickle =
      PickleBytes().global("__torch__", "Looping").op(')').op('\x81').op('}').str("n").small_int(1).op('s').op('b').done();
  write_archive(dir / "loop.pt", pickle,
                {{"code/__torch__.py", "class Looping(Module):\n  def __setstate__(self, s):\n    while True:\n      pass\n"},
                 {"constants.pkl", PickleBytes().op(')').done()}});
  expect_refused(dir / "loop.pt", "holds no tensors");
}

TEST(HostileTorchScript, DamagedFilmArchivesGiveOneLineNamingTheFile) {
  INTERP_REQUIRE_SHARED(film, "golden/film_small_random.pt");
  TempDir dir;
  std::ifstream in(film, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), {});
  const std::string path = dir / "damaged.pt";
  for (size_t cut : {size_t{100}, bytes.size() / 3, bytes.size() - 100}) {
    std::ofstream(path, std::ios::binary) << bytes.substr(0, cut);
    const auto message = error_of([&] { read_model_weights(path); });
    EXPECT_EQ(message.rfind(path, 0), 0u) << "cut at " << cut << ": " << message;
  }
  // Damage inside data.pkl: loads or refuses, but always with interp's one line.
  const auto pkl = bytes.find("data.pkl");
  ASSERT_NE(pkl, std::string::npos);
  for (size_t offset = 40; offset < 4000; offset += 397) {
    std::string copy = bytes;
    copy[pkl + offset] = static_cast<char>(copy[pkl + offset] ^ 0x5a);
    std::ofstream(path, std::ios::binary) << copy;
    const auto message = error_of([&] { read_model_weights(path); });
    if (!message.empty()) EXPECT_EQ(message.rfind(path, 0), 0u) << message;
  }
}

TEST(HostileSafetensors, DeeplyNestedHeaderIsRefused) {
  TempDir dir;
  const std::string header = "{\"a\":" + std::string(28000, '[') + std::string(28000, ']') + "}";
  std::string file(8, '\0');
  for (int i = 0; i < 8; ++i) file[i] = static_cast<char>((header.size() >> (8 * i)) & 0xff);
  std::ofstream(dir / "deep.safetensors", std::ios::binary) << file + header;
  expect_refused(dir / "deep.safetensors", "nested too deeply");
}

TEST(HostileSafetensors, HeaderOverTheFormatLimitIsRefused) {
  TempDir dir;
  const uint64_t n = 100'000'001;
  {
    std::ofstream out(dir / "huge.safetensors", std::ios::binary);
    for (int i = 0; i < 8; ++i) out.put(static_cast<char>((n >> (8 * i)) & 0xff));
    out.put('{');
  }
  fs::resize_file(dir / "huge.safetensors", 8 + n);  // sparse: costs no disk
  expect_refused(dir / "huge.safetensors", "100 MB");
}

class HostileValues : public ::testing::Test {
 protected:
  void SetUp() override {
    INTERP_REQUIRE_SHARED(pkl, "golden/rife_v4.6_random.pkl");
    good_ = read_model_weights(pkl);
  }
  /// The good model with one tensor replaced, as interp's own file format.
  std::string with(const torch::Tensor& replacement, const std::string& arch = "rife") {
    ModelWeights w = good_;
    const auto name = w.tensors.begin()->first;
    w.tensors[name] = replacement;
    w.arch = arch;
    const std::string path = dir / "m.safetensors";
    write_model_file(path, w, "test");
    return path;
  }
  const torch::Tensor& first() const { return good_.tensors.begin()->second; }
  ModelWeights good_;
  TempDir dir;
};

TEST_F(HostileValues, IntegerBooleanAndNonFiniteWeightsAreRefused) {
  expect_refused(with(first().to(torch::kInt32)), "floating point");
  expect_refused(with(first() > 0), "floating point");
  auto nan = first().clone();
  nan.view(-1)[0] = std::numeric_limits<float>::quiet_NaN();
  expect_refused(with(nan), "NaN or infinite");
  auto inf = first().clone();
  inf.view(-1)[1] = std::numeric_limits<float>::infinity();
  expect_refused(with(inf), "NaN or infinite");
  EXPECT_EQ(error_of([&] { read_model_weights(with(first())); }), "");  // the control
}

TEST_F(HostileValues, MetadataThatContradictsTheTensorsIsRefused) {
  expect_refused(with(first(), "film"), "says FILM");
}

TEST_F(HostileValues, ConvertChecksThatTheModelRuns) {
  EXPECT_EQ(error_of([&] { check_model_runs(good_, "good.pkl"); }), "");
  ModelWeights wrong = good_;
  wrong.variant = "rife-v4.25";  // a --variant that does not fit the tensors
  EXPECT_NE(error_of([&] { check_model_runs(wrong, "good.pkl"); }), "");
}

TEST(HostileFilm, WrongShapeNeverPassesConvertsCheck) {
  INTERP_REQUIRE_SHARED(film, "golden/film_small_random.pt");
  ModelWeights w = read_model_weights(film);
  EXPECT_EQ(error_of([&] { check_model_runs(w, film); }), "");
  auto& conv = w.tensors.at("fuse.output_conv.weight");
  conv = torch::zeros({conv.size(0), conv.size(1) + 1, conv.size(2), conv.size(3)});
  const auto message = error_of([&] { check_model_runs(w, film); });
  EXPECT_EQ(message.rfind(film, 0), 0u) << message;
  EXPECT_NE(message.find("wrong shape"), std::string::npos) << message;
}

}  // namespace
}  // namespace interp::test
