/// A small unpickler for the data.pkl inside a torch.save zip: enough of the pickle
/// virtual machine to rebuild tensors, (ordered) dicts, lists and tuples.
#include "interp/weights/torch_pickle.h"

#include "interp/core/error.h"

#include <caffe2/serialize/inline_container.h>
#include <torch/torch.h>

#include <cstring>
#include <filesystem>
#include <memory>
#include <unordered_map>
#include <vector>

namespace interp::weights {
namespace {

struct PyValue;
using PyRef = std::shared_ptr<PyValue>;

struct PyValue {
  enum class Kind { None, Bool, Int, Float, String, Tuple, List, Dict, Global, Tensor, Object, Mark };
  Kind kind = Kind::None;
  int64_t integer = 0;
  double real = 0;
  std::string text;            // String contents, or "module.name" of a Global/Object
  std::vector<PyRef> items;    // Tuple/List elements, Dict as key,value,key,value...
  torch::Tensor tensor;        // Tensor (also a storage: a 1-D tensor owning the bytes)
};

PyRef make(PyValue::Kind kind) {
  auto v = std::make_shared<PyValue>();
  v->kind = kind;
  return v;
}

torch::Dtype storage_dtype(const std::string& storage_type) {
  static const std::unordered_map<std::string, torch::Dtype> kTypes = {
      {"FloatStorage", torch::kFloat32},  {"DoubleStorage", torch::kFloat64},
      {"HalfStorage", torch::kFloat16},   {"BFloat16Storage", torch::kBFloat16},
      {"LongStorage", torch::kInt64},     {"IntStorage", torch::kInt32},
      {"ShortStorage", torch::kInt16},    {"CharStorage", torch::kInt8},
      {"ByteStorage", torch::kUInt8},     {"BoolStorage", torch::kBool},
      {"UntypedStorage", torch::kUInt8}};
  auto dot = storage_type.rfind('.');
  auto it = kTypes.find(dot == std::string::npos ? storage_type : storage_type.substr(dot + 1));
  if (it == kTypes.end()) throw Error("unsupported tensor storage type '" + storage_type + "'");
  return it->second;
}

std::vector<int64_t> int_list(const PyRef& tuple) {
  std::vector<int64_t> out;
  for (const auto& item : tuple->items) out.push_back(item->integer);
  return out;
}

class Unpickler {
 public:
  Unpickler(const std::string& path, caffe2::serialize::PyTorchStreamReader& archive,
            const uint8_t* data, size_t size)
      : path_(path), archive_(archive), data_(data), size_(size) {}

  PyRef run() {
    while (true) {
      const uint8_t op = read_u8();
      switch (op) {
        case 0x80: read_u8(); break;                       // PROTO
        case 0x95: read_bytes(8); break;                   // FRAME
        case '.': return pop();                            // STOP
        case '(': push(make(PyValue::Kind::Mark)); break;  // MARK
        case 'N': push(make(PyValue::Kind::None)); break;
        case 0x88: case 0x89: {                            // NEWTRUE / NEWFALSE
          auto v = make(PyValue::Kind::Bool);
          v->integer = op == 0x88;
          push(v);
          break;
        }
        case 'K': push_int(read_u8()); break;              // BININT1
        case 'M': push_int(read_le(2)); break;             // BININT2
        case 'J': push_int(static_cast<int32_t>(read_le(4))); break;  // BININT
        case 0x8a: {                                       // LONG1
          const size_t n = read_u8();
          int64_t value = n ? static_cast<int64_t>(read_le(n)) : 0;
          if (n > 0 && n < 8 && (value >> (8 * n - 1)) & 1) value -= int64_t{1} << (8 * n);
          push_int(value);
          break;
        }
        case 'G': {                                        // BINFLOAT (big-endian)
          uint64_t bits = 0;
          for (int i = 0; i < 8; ++i) bits = (bits << 8) | read_u8();
          auto v = make(PyValue::Kind::Float);
          std::memcpy(&v->real, &bits, 8);
          push(v);
          break;
        }
        case 'X': push_string(read_bytes(read_le(4))); break;         // BINUNICODE
        case 0x8c: push_string(read_bytes(read_u8())); break;         // SHORT_BINUNICODE
        case 0x8d: push_string(read_bytes(read_le(8))); break;        // BINUNICODE8
        case 'T': case 'B': push_string(read_bytes(read_le(4))); break;  // BINSTRING / BINBYTES
        case 'U': case 'C': push_string(read_bytes(read_u8())); break;   // SHORT_BIN{STRING,BYTES}
        case ')': push(make(PyValue::Kind::Tuple)); break;  // EMPTY_TUPLE
        case ']': push(make(PyValue::Kind::List)); break;   // EMPTY_LIST
        case '}': push(make(PyValue::Kind::Dict)); break;   // EMPTY_DICT
        case 't': case 'l': case 'd': {                     // TUPLE / LIST / DICT from mark
          auto v = make(op == 't' ? PyValue::Kind::Tuple
                                  : op == 'l' ? PyValue::Kind::List : PyValue::Kind::Dict);
          v->items = pop_to_mark();
          push(v);
          break;
        }
        case 0x85: case 0x86: case 0x87: {                  // TUPLE1..3
          auto v = make(PyValue::Kind::Tuple);
          v->items.resize(op - 0x84);
          for (auto it = v->items.rbegin(); it != v->items.rend(); ++it) *it = pop();
          push(v);
          break;
        }
        case 'q': memo_[read_u8()] = top(); break;          // BINPUT
        case 'r': memo_[read_le(4)] = top(); break;         // LONG_BINPUT
        case 0x94: memo_[memo_.size()] = top(); break;      // MEMOIZE
        case 'h': push(memo_at(read_u8())); break;          // BINGET
        case 'j': push(memo_at(read_le(4))); break;         // LONG_BINGET
        case '0': pop(); break;                             // POP
        case '1': pop_to_mark(); break;                     // POP_MARK
        case '2': push(top()); break;                       // DUP
        case 'c': {                                         // GLOBAL
          auto v = make(PyValue::Kind::Global);
          std::string module = read_line();
          v->text = module + "." + read_line();
          push(v);
          break;
        }
        case 0x93: {                                        // STACK_GLOBAL
          auto name = pop();
          auto module = pop();
          auto v = make(PyValue::Kind::Global);
          v->text = module->text + "." + name->text;
          push(v);
          break;
        }
        case 'R': case 0x81: {                              // REDUCE / NEWOBJ
          auto args = pop();
          auto callable = pop();
          push(call(callable, args));
          break;
        }
        case 'b': pop(); break;  // BUILD: object state (e.g. a state dict's _metadata): unused
        case 'Q': push(load_storage(pop())); break;         // BINPERSID
        case 'a': {                                         // APPEND
          auto value = pop();
          top()->items.push_back(value);
          break;
        }
        case 'e': case 'u': {                               // APPENDS / SETITEMS
          auto values = pop_to_mark();
          auto& target = top()->items;
          target.insert(target.end(), values.begin(), values.end());
          break;
        }
        case 's': {                                         // SETITEM
          auto value = pop();
          auto key = pop();
          top()->items.push_back(key);
          top()->items.push_back(value);
          break;
        }
        default:
          fail("unsupported pickle opcode 0x" + hex(op));
      }
    }
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw Error(path_ + ": not a readable torch.save state dict (" + why + ")");
  }
  static std::string hex(unsigned v) {
    const char* digits = "0123456789abcdef";
    return std::string{digits[(v >> 4) & 15], digits[v & 15]};
  }
  uint8_t read_u8() {
    if (pos_ >= size_) fail("truncated pickle");
    return data_[pos_++];
  }
  uint64_t read_le(size_t n) {
    uint64_t value = 0;
    for (size_t i = 0; i < n; ++i) value |= static_cast<uint64_t>(read_u8()) << (8 * i);
    return value;
  }
  std::string read_bytes(uint64_t n) {
    if (n > size_ - pos_) fail("truncated pickle");
    std::string out(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return out;
  }
  std::string read_line() {
    std::string out;
    for (char c; (c = static_cast<char>(read_u8())) != '\n';) out.push_back(c);
    return out;
  }
  void push(PyRef v) { stack_.push_back(std::move(v)); }
  void push_int(int64_t value) {
    auto v = make(PyValue::Kind::Int);
    v->integer = value;
    push(v);
  }
  void push_string(std::string s) {
    auto v = make(PyValue::Kind::String);
    v->text = std::move(s);
    push(v);
  }
  PyRef top() {
    if (stack_.empty()) fail("stack underflow");
    return stack_.back();
  }
  PyRef pop() {
    auto v = top();
    stack_.pop_back();
    return v;
  }
  PyRef memo_at(uint64_t index) {
    auto it = memo_.find(index);
    if (it == memo_.end()) fail("bad memo reference");
    return it->second;
  }
  std::vector<PyRef> pop_to_mark() {
    std::vector<PyRef> items;
    while (true) {
      auto v = pop();
      if (v->kind == PyValue::Kind::Mark) break;
      items.push_back(std::move(v));
    }
    return {items.rbegin(), items.rend()};
  }

  PyRef call(const PyRef& callable, const PyRef& args) {
    const std::string& name = callable->text;
    const auto& a = args->items;
    if (name == "collections.OrderedDict" || name == "builtins.dict") return make(PyValue::Kind::Dict);
    if (name == "torch._utils._rebuild_tensor_v2" || name == "torch._utils._rebuild_tensor") {
      if (a.size() < 4 || a[0]->kind != PyValue::Kind::Tensor) fail("malformed tensor record");
      auto v = make(PyValue::Kind::Tensor);
      v->tensor = a[0]->tensor.as_strided(int_list(a[2]), int_list(a[3]), a[1]->integer);
      return v;
    }
    if (name.rfind("torch._utils._rebuild_parameter", 0) == 0) {
      if (a.empty() || a[0]->kind != PyValue::Kind::Tensor) fail("malformed parameter record");
      return a[0];
    }
    auto v = make(PyValue::Kind::Object);  // anything else: kept opaque, never a tensor
    v->text = name;
    v->items = a;
    return v;
  }

  PyRef load_storage(const PyRef& pid) {
    // ('storage', storage_type, key, location, numel)
    if (pid->kind != PyValue::Kind::Tuple || pid->items.size() < 5) fail("unexpected persistent id");
    const std::string key = pid->items[2]->text;
    auto cached = storages_.find(key);
    if (cached != storages_.end()) return cached->second;
    const torch::Dtype dtype = storage_dtype(pid->items[1]->text);
    const int64_t numel = pid->items[4]->integer;
    const std::string record = "data/" + key;
    if (!archive_.hasRecord(record)) fail("missing record " + record);
    auto [ptr, bytes] = archive_.getRecord(record);
    const auto element = torch::elementSize(dtype);
    if (static_cast<int64_t>(bytes) < numel * static_cast<int64_t>(element)) fail("short record " + record);
    auto holder = std::make_shared<at::DataPtr>(std::move(ptr));
    auto v = make(PyValue::Kind::Tensor);
    v->tensor = torch::from_blob(holder->get(), {numel}, [holder](void*) {},
                                 torch::TensorOptions().dtype(dtype));
    storages_[key] = v;
    return v;
  }

  std::string path_;
  caffe2::serialize::PyTorchStreamReader& archive_;
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  std::vector<PyRef> stack_;
  std::unordered_map<uint64_t, PyRef> memo_;
  std::unordered_map<std::string, PyRef> storages_;
};

void flatten(const PyRef& value, const std::string& prefix, StateDict& out) {
  if (value->kind == PyValue::Kind::Tensor) {
    out[prefix] = value->tensor;
  } else if (value->kind == PyValue::Kind::Dict) {
    for (size_t i = 0; i + 1 < value->items.size(); i += 2) {
      const auto& key = value->items[i];
      if (key->kind != PyValue::Kind::String) continue;
      flatten(value->items[i + 1], prefix.empty() ? key->text : prefix + "." + key->text, out);
    }
  }
}

}  // namespace

StateDict read_torch_state_dict(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) throw Error(path + ": no such file");
  std::unique_ptr<caffe2::serialize::PyTorchStreamReader> archive;
  try {
    archive = std::make_unique<caffe2::serialize::PyTorchStreamReader>(path);
  } catch (const c10::Error&) {
    throw Error(path + ": not a torch.save zip archive (legacy or corrupt file?)");
  }
  if (!archive->hasRecord("data.pkl")) throw Error(path + ": torch archive without data.pkl");
  auto [ptr, bytes] = archive->getRecord("data.pkl");
  Unpickler unpickler(path, *archive, static_cast<const uint8_t*>(ptr.get()), bytes);
  StateDict dict;
  flatten(unpickler.run(), "", dict);
  if (dict.empty()) throw Error(path + ": holds no tensors");
  return dict;
}

}  // namespace interp::weights
