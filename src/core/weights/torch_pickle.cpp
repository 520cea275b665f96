/// Reading torch.save and TorchScript zips as data: the archive's records through
/// LibTorch's zip reader, data.pkl through interp's bounded pickle machine, and the
/// tensors named by walking dicts and module objects. Nothing in the file runs.
#include "interp/core/weights/torch_pickle.h"

#include "interp/base/error.h"
#include "pickle_machine.h"

#include <caffe2/serialize/inline_container.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace interp::weights {
namespace {

/// Module trees in real files are < 15 levels deep and name a few thousand tensors; a
/// walk past these bounds is an attack (shared sub-dicts can multiply the paths).
constexpr size_t kMaxNesting = 100;
constexpr size_t kMaxWalkSteps = size_t{1} << 17;

std::optional<torch::Dtype> storage_dtype(const std::string& storage_type) {
  static const std::unordered_map<std::string, torch::Dtype> kTypes = {
      {"FloatStorage", torch::kFloat32},  {"DoubleStorage", torch::kFloat64},
      {"HalfStorage", torch::kFloat16},   {"BFloat16Storage", torch::kBFloat16},
      {"LongStorage", torch::kInt64},     {"IntStorage", torch::kInt32},
      {"ShortStorage", torch::kInt16},    {"CharStorage", torch::kInt8},
      {"ByteStorage", torch::kUInt8},     {"BoolStorage", torch::kBool},
      {"UntypedStorage", torch::kUInt8}};
  auto dot = storage_type.rfind('.');
  auto it = kTypes.find(dot == std::string::npos ? storage_type : storage_type.substr(dot + 1));
  if (it == kTypes.end()) return std::nullopt;
  return it->second;
}

/// torch's meaning of a pickle: storages in the zip's data/ records, tensor views of
/// them (checked against the storage before they are made), dicts; any other class is
/// kept as inert data.
class TorchUnpickler : public PickleMachine {
 public:
  TorchUnpickler(const std::string& path, caffe2::serialize::PyTorchStreamReader& archive, const uint8_t* data,
                 size_t size)
      : PickleMachine(path, data, size), archive_(archive) {}

 private:
  /// A view of a storage, refused unless every element it reaches lies inside it.
  PyValue* rebuild_tensor(const std::vector<PyValue*>& a) {
    if (a.size() < 4 || a[0]->kind != PyValue::Kind::Tensor) fail("malformed tensor record");
    const int64_t offset = integer_at(a, 1, "tensor record");
    const auto sizes = int_list(a[2], "tensor shape");
    const auto strides = int_list(a[3], "tensor strides");
    if (sizes.size() != strides.size() || offset < 0) fail("malformed tensor record");
    const int64_t storage = a[0]->tensor.numel();
    int64_t last = offset, numel = 1;
    for (size_t d = 0; d < sizes.size(); ++d) {
      if (sizes[d] < 0 || strides[d] < 0 || sizes[d] > storage + 1 || strides[d] > storage + 1)
        fail("tensor shape outside its storage");
      numel *= sizes[d];
      if (sizes[d] > 0) last += (sizes[d] - 1) * strides[d];
      if (numel > storage + 1 || last > storage) fail("tensor shape outside its storage");
    }
    if (numel > 0 && last >= storage) fail("tensor shape outside its storage");
    auto* v = make(PyValue::Kind::Tensor);
    v->tensor = numel == 0 ? torch::empty(sizes, a[0]->tensor.options())
                           : a[0]->tensor.as_strided(sizes, strides, offset);
    return v;
  }

  PyValue* call(const std::string& name, const std::vector<PyValue*>& a) override {
    if (name == "collections.OrderedDict" || name == "builtins.dict") return make(PyValue::Kind::Dict);
    if (name == "torch._utils._rebuild_tensor_v2" || name == "torch._utils._rebuild_tensor") return rebuild_tensor(a);
    if (name.rfind("torch._utils._rebuild_parameter", 0) == 0) {
      if (a.empty() || a[0]->kind != PyValue::Kind::Tensor) fail("malformed parameter record");
      return a[0];
    }
    auto* v = make(PyValue::Kind::Object);  // anything else (a TorchScript module class): data only
    v->text = name;
    v->items = a;
    return v;
  }

  PyValue* persistent_load(const PyValue* pid) override {
    // ('storage', storage_type, key, location, numel)
    if (pid->items.size() < 5 || pid->items[2]->kind != PyValue::Kind::String) fail("unexpected persistent id");
    const std::string key = pid->items[2]->text;
    auto cached = storages_.find(key);
    if (cached != storages_.end()) return cached->second;
    const auto* type = pid->items[1];
    const auto found = storage_dtype(type->kind == PyValue::Kind::Global || type->kind == PyValue::Kind::String ? type->text : "");
    if (!found) fail("unsupported tensor storage type '" + type->text + "'");
    const torch::Dtype dtype = *found;
    const int64_t numel = integer_at(pid->items, 4, "persistent id");
    const std::string record = "data/" + key;
    if (!archive_.hasRecord(record)) fail("missing record " + record);
    auto [ptr, bytes] = archive_.getRecord(record);
    const auto element = static_cast<int64_t>(torch::elementSize(dtype));
    if (numel < 0 || numel > static_cast<int64_t>(bytes) / element) fail("short record " + record);
    auto holder = std::make_shared<at::DataPtr>(std::move(ptr));
    auto* v = make(PyValue::Kind::Tensor);
    v->tensor = torch::from_blob(holder->get(), {numel}, [holder](void*) {}, torch::TensorOptions().dtype(dtype));
    storages_[key] = v;
    return v;
  }

  caffe2::serialize::PyTorchStreamReader& archive_;
  std::unordered_map<std::string, PyValue*> storages_;
};

/// Names every tensor reachable through dicts and module objects ("a.b.weight"), a
/// pickled torch.nn.Module by its state-dict names.
class Flattener {
 public:
  explicit Flattener(const PickleMachine& unpickler) : unpickler_(unpickler) {}

  void walk(const PyValue* value, const std::string& prefix, StateDict& out) {
    if (++steps_ > kMaxWalkSteps) unpickler_.fail("too many paths to tensors");
    if (value->kind == PyValue::Kind::Tensor) {
      out[prefix] = value->tensor;
      return;
    }
    const PyValue* dict = value->kind == PyValue::Kind::Object ? value->state : value;
    if (!dict || dict->kind != PyValue::Kind::Dict) return;
    if (!on_path_.insert(dict).second) unpickler_.fail("a dict that contains itself");
    if (on_path_.size() > kMaxNesting) unpickler_.fail("nested deeper than " + std::to_string(kMaxNesting) + " levels");
    if (value->kind == PyValue::Kind::Object && entry(dict, "_modules")) {
      // A pickled torch.nn.Module (`torch.save(model)`): its state dict is its
      // parameters, persistent buffers and submodules under its own names; the other
      // attributes (hooks, flags) are not weights.
      walk_entries(entry(dict, "_parameters"), prefix, out);
      walk_entries(entry(dict, "_buffers"), prefix, out, entry(dict, "_non_persistent_buffers_set"));
      walk_entries(entry(dict, "_modules"), prefix, out);
    } else {
      walk_entries(dict, prefix, out);
    }
    on_path_.erase(dict);
  }

 private:
  static const PyValue* entry(const PyValue* dict, const std::string& key) {
    for (size_t i = 0; i + 1 < dict->items.size(); i += 2)
      if (dict->items[i]->kind == PyValue::Kind::String && dict->items[i]->text == key) return dict->items[i + 1];
    return nullptr;
  }
  /// Whether `name` is in a pickled set (builtins.set called with a list of names).
  static bool in_set(const PyValue* set, const std::string& name) {
    if (!set || set->kind != PyValue::Kind::Object || set->items.empty()) return false;
    const PyValue* list = set->items[0];
    for (const auto* item : list->items)
      if (item->kind == PyValue::Kind::String && item->text == name) return true;
    return false;
  }
  void walk_entries(const PyValue* dict, const std::string& prefix, StateDict& out, const PyValue* skipped = nullptr) {
    if (!dict) return;
    if (dict->kind == PyValue::Kind::Object) dict = dict->state;  // an OrderedDict rebuilt by BUILD
    if (!dict || dict->kind != PyValue::Kind::Dict) return;
    for (size_t i = 0; i + 1 < dict->items.size(); i += 2) {
      const auto* key = dict->items[i];
      if (key->kind != PyValue::Kind::String || in_set(skipped, key->text)) continue;
      walk(dict->items[i + 1], prefix.empty() ? key->text : prefix + "." + key->text, out);
    }
  }

  const PickleMachine& unpickler_;
  std::unordered_set<const PyValue*> on_path_;
  size_t steps_ = 0;
};

}  // namespace

bool is_legacy_torch_save(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[2] = {};
  in.read(head, 2);
  return in && static_cast<uint8_t>(head[0]) == 0x80 && head[1] >= 2 && head[1] <= 5;  // a bare pickle
}

StateDict read_torch_state_dict(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) throw Error(path + ": no such file");
  std::unique_ptr<caffe2::serialize::PyTorchStreamReader> archive;
  try {
    archive = std::make_unique<caffe2::serialize::PyTorchStreamReader>(path);
  } catch (const c10::Error&) {
    if (is_legacy_torch_save(path)) throw Error(path + ": " + kLegacyFormatHelp);
    throw Error(path + ": not a torch.save zip archive (corrupt file?)");
  }
  if (!archive->hasRecord("data.pkl")) throw Error(path + ": torch archive without data.pkl");
  at::DataPtr ptr;
  size_t bytes = 0;
  try {
    std::tie(ptr, bytes) = archive->getRecord("data.pkl");
  } catch (const c10::Error&) {
    throw Error(path + ": corrupt torch archive (data.pkl unreadable)");
  }
  TorchUnpickler unpickler(path, *archive, static_cast<const uint8_t*>(ptr.get()), bytes);
  StateDict dict;
  try {
    Flattener(unpickler).walk(unpickler.run(), "", dict);
  } catch (const c10::Error&) {  // a damaged record inside the zip
    throw Error(path + ": corrupt torch archive (a tensor record is unreadable)");
  }
  if (dict.empty()) throw Error(path + ": holds no tensors");
  return dict;
}

}  // namespace interp::weights
