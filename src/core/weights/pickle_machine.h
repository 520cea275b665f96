#pragma once
/// interp-private: the pickle virtual machine that the torch readers build on. It knows
/// pickle's opcodes; what calls to globals and persistent ids mean (tensors, storages)
/// is a subclass's business (torch_pickle.cpp).
///
/// Why it is shaped this way: weight files come from strangers. Every value lives in one
/// arena owned by the machine, so a self-containing dict cannot leak and a deeply nested
/// one is freed without recursion; every opcode checks the kinds it consumes; reads are
/// bounded by the input's size.
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <torch/types.h>

namespace interp::weights {

/// One Python value as the machine builds it; containers point at other values in the
/// machine's arena.
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
/// Runs a pickle program. Subclasses say what calls and persistent ids mean.
class PickleMachine {
 public:
  /// `source` names the file in messages.
  PickleMachine(std::string source, const uint8_t* data, size_t size)
      : source_(std::move(source)), data_(data), size_(size) {}
  virtual ~PickleMachine() = default;

  /// Runs to STOP and returns the value it leaves.
  PyValue* run();

  /// Throws interp::Error: "<source>: not a readable torch.save state dict (<why>)".
  [[noreturn]] void fail(const std::string& why) const;

 protected:
  /// REDUCE / NEWOBJ of the global `name` (e.g. "collections.OrderedDict").
  virtual PyValue* call(const std::string& name, const std::vector<PyValue*>& args) = 0;
  /// BINPERSID: what a persistent id stands for (torch: a tensor storage).
  virtual PyValue* persistent_load(const PyValue* pid) = 0;

  PyValue* make(PyValue::Kind kind);
  int64_t integer_at(const std::vector<PyValue*>& a, size_t i, const char* what) const;
  std::vector<int64_t> int_list(const PyValue* tuple, const char* what) const;

 private:
  static std::string hex(unsigned v);
  uint8_t read_u8();
  uint64_t read_le(size_t n);
  std::string read_bytes(uint64_t n);
  std::string read_line();
  void push(PyValue* v) { stack_.push_back(v); }
  void push_int(int64_t value);
  void push_string(std::string s);
  PyValue* top();
  PyValue* pop();
  PyValue* pop_kind(PyValue::Kind kind, const char* what);
  PyValue* container(PyValue::Kind kind, const char* op);
  PyValue* memo_at(uint64_t index);
  std::vector<PyValue*> pop_to_mark();

  std::string source_;
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  std::vector<std::unique_ptr<PyValue>> arena_;  // owns every value; items point into it
  std::vector<PyValue*> stack_;
  std::unordered_map<uint64_t, PyValue*> memo_;
};

}  // namespace interp::weights
