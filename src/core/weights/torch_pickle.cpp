/// A small, hostile-input-safe unpickler for the data.pkl inside a torch.save or
/// TorchScript zip: enough of the pickle virtual machine to rebuild tensors, dicts,
/// lists, tuples and (TorchScript) module objects, and nothing that runs code.
///
/// Why it is shaped this way: weight files come from strangers. Every value lives in one
/// arena owned by the unpickler, so a self-containing dict cannot leak and a deeply
/// nested one is freed without recursion; every opcode checks the kinds it consumes;
/// a tensor view is checked against its storage before it is made; and the walk that
/// names the tensors refuses cycles and absurd depth.
#include "interp/core/weights/torch_pickle.h"

#include "interp/base/error.h"

#include <caffe2/serialize/inline_container.h>
#include <torch/torch.h>

#include <cstring>
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
constexpr size_t kMaxWalkSteps = size_t{1} << 22;

struct PyValue {
  enum class Kind { None, Bool, Int, Float, String, Tuple, List, Dict, Global, Tensor, Object, Mark };
  Kind kind = Kind::None;
  int64_t integer = 0;
  double real = 0;
  std::string text;              // String contents, or "module.name" of a Global/Object
  std::vector<PyValue*> items;   // Tuple/List elements, Dict as key,value,key,value...
  PyValue* state = nullptr;      // Object: what BUILD gave it (a module's attribute dict)
  torch::Tensor tensor;          // Tensor (also a storage: a 1-D tensor owning the bytes)
};
using Kind = PyValue::Kind;

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

class Unpickler {
 public:
  Unpickler(const std::string& path, caffe2::serialize::PyTorchStreamReader& archive,
            const uint8_t* data, size_t size)
      : path_(path), archive_(archive), data_(data), size_(size) {}

  PyValue* run() {
    while (true) {
      const uint8_t op = read_u8();
      switch (op) {
        case 0x80: read_u8(); break;                       // PROTO
        case 0x95: read_bytes(8); break;                   // FRAME
        case '.': return pop();                            // STOP
        case '(': push(make(Kind::Mark)); break;           // MARK
        case 'N': push(make(Kind::None)); break;
        case 0x88: case 0x89: {                            // NEWTRUE / NEWFALSE
          auto* v = make(Kind::Bool);
          v->integer = op == 0x88;
          push(v);
          break;
        }
        case 'K': push_int(read_u8()); break;              // BININT1
        case 'M': push_int(read_le(2)); break;             // BININT2
        case 'J': push_int(static_cast<int32_t>(read_le(4))); break;  // BININT
        case 0x8a: {                                       // LONG1
          const size_t n = read_u8();
          if (n > 8) fail("integer wider than 64 bits");
          int64_t value = n ? static_cast<int64_t>(read_le(n)) : 0;
          if (n > 0 && n < 8 && (value >> (8 * n - 1)) & 1) value -= int64_t{1} << (8 * n);
          push_int(value);
          break;
        }
        case 'G': {                                        // BINFLOAT (big-endian)
          uint64_t bits = 0;
          for (int i = 0; i < 8; ++i) bits = (bits << 8) | read_u8();
          auto* v = make(Kind::Float);
          std::memcpy(&v->real, &bits, 8);
          push(v);
          break;
        }
        case 'X': push_string(read_bytes(read_le(4))); break;            // BINUNICODE
        case 0x8c: push_string(read_bytes(read_u8())); break;            // SHORT_BINUNICODE
        case 0x8d: push_string(read_bytes(read_le(8))); break;           // BINUNICODE8
        case 'T': case 'B': push_string(read_bytes(read_le(4))); break;  // BINSTRING / BINBYTES
        case 'U': case 'C': push_string(read_bytes(read_u8())); break;   // SHORT_BIN{STRING,BYTES}
        case ')': push(make(Kind::Tuple)); break;          // EMPTY_TUPLE
        case ']': push(make(Kind::List)); break;           // EMPTY_LIST
        case '}': push(make(Kind::Dict)); break;           // EMPTY_DICT
        case 't': case 'l': case 'd': {                    // TUPLE / LIST / DICT from mark
          auto* v = make(op == 't' ? Kind::Tuple : op == 'l' ? Kind::List : Kind::Dict);
          v->items = pop_to_mark();
          if (v->kind == Kind::Dict && v->items.size() % 2) fail("dict with a key and no value");
          push(v);
          break;
        }
        case 0x85: case 0x86: case 0x87: {                 // TUPLE1..3
          auto* v = make(Kind::Tuple);
          v->items.resize(op - 0x84);
          for (auto it = v->items.rbegin(); it != v->items.rend(); ++it) *it = pop();
          push(v);
          break;
        }
        case 'q': memo_[read_u8()] = top(); break;         // BINPUT
        case 'r': memo_[read_le(4)] = top(); break;        // LONG_BINPUT
        case 0x94: memo_[memo_.size()] = top(); break;     // MEMOIZE
        case 'h': push(memo_at(read_u8())); break;         // BINGET
        case 'j': push(memo_at(read_le(4))); break;        // LONG_BINGET
        case '0': pop(); break;                            // POP
        case '1': pop_to_mark(); break;                    // POP_MARK
        case '2': push(top()); break;                      // DUP
        case 'c': {                                        // GLOBAL
          auto* v = make(Kind::Global);
          std::string module = read_line();
          v->text = module + "." + read_line();
          push(v);
          break;
        }
        case 0x93: {                                       // STACK_GLOBAL
          auto* name = pop_kind(Kind::String, "STACK_GLOBAL");
          auto* module = pop_kind(Kind::String, "STACK_GLOBAL");
          auto* v = make(Kind::Global);
          v->text = module->text + "." + name->text;
          push(v);
          break;
        }
        case 'R': case 0x81: {                             // REDUCE / NEWOBJ
          auto* args = pop_kind(Kind::Tuple, "a call");
          auto* callable = pop_kind(Kind::Global, "a call");
          push(call(callable->text, args->items));
          break;
        }
        case 'b': {                                        // BUILD
          auto* state = pop();
          auto* target = top();
          if (target->kind == Kind::Object) target->state = state;  // a TorchScript module's attributes
          break;  // other targets (a state dict's _metadata): unused
        }
        case 'Q': push(load_storage(pop_kind(Kind::Tuple, "a persistent id"))); break;  // BINPERSID
        case 'a': {                                        // APPEND
          auto* value = pop();
          container(Kind::List, "APPEND")->items.push_back(value);
          break;
        }
        case 'e': {                                        // APPENDS
          auto values = pop_to_mark();
          auto& target = container(Kind::List, "APPENDS")->items;
          target.insert(target.end(), values.begin(), values.end());
          break;
        }
        case 'u': {                                        // SETITEMS
          auto values = pop_to_mark();
          if (values.size() % 2) fail("SETITEMS with a key and no value");
          auto& target = container(Kind::Dict, "SETITEMS")->items;
          target.insert(target.end(), values.begin(), values.end());
          break;
        }
        case 's': {                                        // SETITEM
          auto* value = pop();
          auto* key = pop();
          auto& target = container(Kind::Dict, "SETITEM")->items;
          target.push_back(key);
          target.push_back(value);
          break;
        }
        default:
          fail("unsupported pickle opcode 0x" + hex(op));
      }
    }
  }

  [[noreturn]] void fail(const std::string& why) const {
    throw Error(path_ + ": not a readable torch.save state dict (" + why + ")");
  }

 private:
  static std::string hex(unsigned v) {
    const char* digits = "0123456789abcdef";
    return std::string{digits[(v >> 4) & 15], digits[v & 15]};
  }
  PyValue* make(Kind kind) {
    arena_.push_back(std::make_unique<PyValue>());
    arena_.back()->kind = kind;
    return arena_.back().get();
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
  void push(PyValue* v) { stack_.push_back(v); }
  void push_int(int64_t value) {
    auto* v = make(Kind::Int);
    v->integer = value;
    push(v);
  }
  void push_string(std::string s) {
    auto* v = make(Kind::String);
    v->text = std::move(s);
    push(v);
  }
  PyValue* top() {
    if (stack_.empty() || stack_.back()->kind == Kind::Mark) fail("stack underflow");
    return stack_.back();
  }
  PyValue* pop() {
    auto* v = top();
    stack_.pop_back();
    return v;
  }
  PyValue* pop_kind(Kind kind, const char* what) {
    auto* v = pop();
    if (v->kind != kind) fail(std::string("unexpected value in ") + what);
    return v;
  }
  PyValue* container(Kind kind, const char* op) {
    auto* v = top();
    if (v->kind != kind) fail(std::string(op) + " on a value that is not a " + (kind == Kind::List ? "list" : "dict"));
    return v;
  }
  PyValue* memo_at(uint64_t index) {
    auto it = memo_.find(index);
    if (it == memo_.end()) fail("bad memo reference");
    return it->second;
  }
  std::vector<PyValue*> pop_to_mark() {
    auto mark = stack_.end();
    while (mark != stack_.begin() && (*(mark - 1))->kind != Kind::Mark) --mark;
    if (mark == stack_.begin()) fail("no mark on the stack");
    std::vector<PyValue*> items(mark, stack_.end());
    stack_.erase(mark - 1, stack_.end());
    return items;
  }
  int64_t integer_at(const std::vector<PyValue*>& a, size_t i, const char* what) const {
    if (i >= a.size() || a[i]->kind != Kind::Int) fail(std::string("malformed ") + what);
    return a[i]->integer;
  }
  std::vector<int64_t> int_list(const PyValue* tuple, const char* what) const {
    if (tuple->kind != Kind::Tuple) fail(std::string("malformed ") + what);
    std::vector<int64_t> out;
    for (size_t i = 0; i < tuple->items.size(); ++i) out.push_back(integer_at(tuple->items, i, what));
    return out;
  }

  /// A view of a storage, refused unless every element it reaches lies inside it.
  PyValue* rebuild_tensor(const std::vector<PyValue*>& a) {
    if (a.size() < 4 || a[0]->kind != Kind::Tensor) fail("malformed tensor record");
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
    auto* v = make(Kind::Tensor);
    v->tensor = numel == 0 ? torch::empty(sizes, a[0]->tensor.options())
                           : a[0]->tensor.as_strided(sizes, strides, offset);
    return v;
  }

  PyValue* call(const std::string& name, const std::vector<PyValue*>& a) {
    if (name == "collections.OrderedDict" || name == "builtins.dict") return make(Kind::Dict);
    if (name == "torch._utils._rebuild_tensor_v2" || name == "torch._utils._rebuild_tensor") return rebuild_tensor(a);
    if (name.rfind("torch._utils._rebuild_parameter", 0) == 0) {
      if (a.empty() || a[0]->kind != Kind::Tensor) fail("malformed parameter record");
      return a[0];
    }
    auto* v = make(Kind::Object);  // anything else (a TorchScript module class): data only
    v->text = name;
    v->items = a;
    return v;
  }

  PyValue* load_storage(const PyValue* pid) {
    // ('storage', storage_type, key, location, numel)
    if (pid->items.size() < 5 || pid->items[2]->kind != Kind::String) fail("unexpected persistent id");
    const std::string key = pid->items[2]->text;
    auto cached = storages_.find(key);
    if (cached != storages_.end()) return cached->second;
    const auto* type = pid->items[1];
    const auto found = storage_dtype(type->kind == Kind::Global || type->kind == Kind::String ? type->text : "");
    if (!found) fail("unsupported tensor storage type '" + type->text + "'");
    const torch::Dtype dtype = *found;
    const int64_t numel = integer_at(pid->items, 4, "persistent id");
    const std::string record = "data/" + key;
    if (!archive_.hasRecord(record)) fail("missing record " + record);
    auto [ptr, bytes] = archive_.getRecord(record);
    const auto element = static_cast<int64_t>(torch::elementSize(dtype));
    if (numel < 0 || numel > static_cast<int64_t>(bytes) / element) fail("short record " + record);
    auto holder = std::make_shared<at::DataPtr>(std::move(ptr));
    auto* v = make(Kind::Tensor);
    v->tensor = torch::from_blob(holder->get(), {numel}, [holder](void*) {}, torch::TensorOptions().dtype(dtype));
    storages_[key] = v;
    return v;
  }

  std::string path_;
  caffe2::serialize::PyTorchStreamReader& archive_;
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  std::vector<std::unique_ptr<PyValue>> arena_;  // owns every value; items point into it
  std::vector<PyValue*> stack_;
  std::unordered_map<uint64_t, PyValue*> memo_;
  std::unordered_map<std::string, PyValue*> storages_;
};

/// Names every tensor reachable through dicts and module objects ("a.b.weight").
class Flattener {
 public:
  explicit Flattener(const Unpickler& unpickler) : unpickler_(unpickler) {}

  void walk(const PyValue* value, const std::string& prefix, StateDict& out) {
    if (++steps_ > kMaxWalkSteps) unpickler_.fail("too many paths to tensors");
    if (value->kind == Kind::Tensor) {
      out[prefix] = value->tensor;
      return;
    }
    const PyValue* dict = value->kind == Kind::Object ? value->state : value;
    if (!dict || dict->kind != Kind::Dict) return;
    if (!on_path_.insert(dict).second) unpickler_.fail("a dict that contains itself");
    if (on_path_.size() > kMaxNesting) unpickler_.fail("nested deeper than " + std::to_string(kMaxNesting) + " levels");
    for (size_t i = 0; i + 1 < dict->items.size(); i += 2) {
      const auto* key = dict->items[i];
      if (key->kind != Kind::String) continue;
      walk(dict->items[i + 1], prefix.empty() ? key->text : prefix + "." + key->text, out);
    }
    on_path_.erase(dict);
  }

 private:
  const Unpickler& unpickler_;
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
  Unpickler unpickler(path, *archive, static_cast<const uint8_t*>(ptr.get()), bytes);
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
