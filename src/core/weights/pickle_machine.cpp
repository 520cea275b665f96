/// The pickle opcodes torch.save and TorchScript emit, each checking what it consumes.
#include "pickle_machine.h"

#include "interp/base/error.h"

#include <cstring>

namespace interp::weights {

PyValue* PickleMachine::run() {
  while (true) {
    const uint8_t op = read_u8();
    switch (op) {
      case 0x80: read_u8(); break;                       // PROTO
      case 0x95: read_bytes(8); break;                   // FRAME
      case '.': return pop();                            // STOP
      case '(': push(make(PyValue::Kind::Mark)); break;           // MARK
      case 'N': push(make(PyValue::Kind::None)); break;
      case 0x88: case 0x89: {                            // NEWTRUE / NEWFALSE
        auto* v = make(PyValue::Kind::Bool);
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
        auto* v = make(PyValue::Kind::Float);
        std::memcpy(&v->real, &bits, 8);
        push(v);
        break;
      }
      case 'X': push_string(read_bytes(read_le(4))); break;            // BINUNICODE
      case 0x8c: push_string(read_bytes(read_u8())); break;            // SHORT_BINUNICODE
      case 0x8d: push_string(read_bytes(read_le(8))); break;           // BINUNICODE8
      case 'T': case 'B': push_string(read_bytes(read_le(4))); break;  // BINSTRING / BINBYTES
      case 'U': case 'C': push_string(read_bytes(read_u8())); break;   // SHORT_BIN{STRING,BYTES}
      case ')': push(make(PyValue::Kind::Tuple)); break;          // EMPTY_TUPLE
      case ']': push(make(PyValue::Kind::List)); break;           // EMPTY_LIST
      case '}': push(make(PyValue::Kind::Dict)); break;           // EMPTY_DICT
      case 't': case 'l': case 'd': {                    // TUPLE / LIST / DICT from mark
        auto* v = make(op == 't' ? PyValue::Kind::Tuple : op == 'l' ? PyValue::Kind::List : PyValue::Kind::Dict);
        v->items = pop_to_mark();
        if (v->kind == PyValue::Kind::Dict && v->items.size() % 2) fail("dict with a key and no value");
        push(v);
        break;
      }
      case 0x85: case 0x86: case 0x87: {                 // TUPLE1..3
        auto* v = make(PyValue::Kind::Tuple);
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
        auto* v = make(PyValue::Kind::Global);
        std::string module = read_line();
        v->text = module + "." + read_line();
        push(v);
        break;
      }
      case 0x93: {                                       // STACK_GLOBAL
        auto* name = pop_kind(PyValue::Kind::String, "STACK_GLOBAL");
        auto* module = pop_kind(PyValue::Kind::String, "STACK_GLOBAL");
        auto* v = make(PyValue::Kind::Global);
        v->text = module->text + "." + name->text;
        push(v);
        break;
      }
      case 'R': case 0x81: {                             // REDUCE / NEWOBJ
        auto* args = pop_kind(PyValue::Kind::Tuple, "a call");
        auto* callable = pop_kind(PyValue::Kind::Global, "a call");
        push(call(callable->text, args->items));
        break;
      }
      case 'b': {                                        // BUILD
        auto* state = pop();
        auto* target = top();
        if (target->kind == PyValue::Kind::Object) target->state = state;  // a TorchScript module's attributes
        break;  // other targets (a state dict's _metadata): unused
      }
      case 'Q': push(persistent_load(pop_kind(PyValue::Kind::Tuple, "a persistent id"))); break;  // BINPERSID
      case 'a': {                                        // APPEND
        auto* value = pop();
        container(PyValue::Kind::List, "APPEND")->items.push_back(value);
        break;
      }
      case 'e': {                                        // APPENDS
        auto values = pop_to_mark();
        auto& target = container(PyValue::Kind::List, "APPENDS")->items;
        target.insert(target.end(), values.begin(), values.end());
        break;
      }
      case 'u': {                                        // SETITEMS
        auto values = pop_to_mark();
        if (values.size() % 2) fail("SETITEMS with a key and no value");
        auto& target = container(PyValue::Kind::Dict, "SETITEMS")->items;
        target.insert(target.end(), values.begin(), values.end());
        break;
      }
      case 's': {                                        // SETITEM
        auto* value = pop();
        auto* key = pop();
        auto& target = container(PyValue::Kind::Dict, "SETITEM")->items;
        target.push_back(key);
        target.push_back(value);
        break;
      }
      default:
        fail("unsupported pickle opcode 0x" + hex(op));
    }
  }
}

[[noreturn]] void PickleMachine::fail(const std::string& why) const {
  throw Error(source_ + ": not a readable torch.save state dict (" + why + ")");
}

std::string PickleMachine::hex(unsigned v) {
  const char* digits = "0123456789abcdef";
  return std::string{digits[(v >> 4) & 15], digits[v & 15]};
}

PyValue* PickleMachine::make(PyValue::Kind kind) {
  arena_.push_back(std::make_unique<PyValue>());
  arena_.back()->kind = kind;
  return arena_.back().get();
}

uint8_t PickleMachine::read_u8() {
  if (pos_ >= size_) fail("truncated pickle");
  return data_[pos_++];
}

uint64_t PickleMachine::read_le(size_t n) {
  uint64_t value = 0;
  for (size_t i = 0; i < n; ++i) value |= static_cast<uint64_t>(read_u8()) << (8 * i);
  return value;
}

std::string PickleMachine::read_bytes(uint64_t n) {
  if (n > size_ - pos_) fail("truncated pickle");
  std::string out(reinterpret_cast<const char*>(data_ + pos_), n);
  pos_ += n;
  return out;
}

std::string PickleMachine::read_line() {
  std::string out;
  for (char c; (c = static_cast<char>(read_u8())) != '\n';) out.push_back(c);
  return out;
}

void PickleMachine::push_int(int64_t value) {
  auto* v = make(PyValue::Kind::Int);
  v->integer = value;
  push(v);
}

void PickleMachine::push_string(std::string s) {
  auto* v = make(PyValue::Kind::String);
  v->text = std::move(s);
  push(v);
}

PyValue* PickleMachine::top() {
  if (stack_.empty() || stack_.back()->kind == PyValue::Kind::Mark) fail("stack underflow");
  return stack_.back();
}

PyValue* PickleMachine::pop() {
  auto* v = top();
  stack_.pop_back();
  return v;
}

PyValue* PickleMachine::pop_kind(PyValue::Kind kind, const char* what) {
  auto* v = pop();
  if (v->kind != kind) fail(std::string("unexpected value in ") + what);
  return v;
}

PyValue* PickleMachine::container(PyValue::Kind kind, const char* op) {
  auto* v = top();
  if (v->kind != kind)
    fail(std::string(op) + " on a value that is not a " + (kind == PyValue::Kind::List ? "list" : "dict"));
  return v;
}

PyValue* PickleMachine::memo_at(uint64_t index) {
  auto it = memo_.find(index);
  if (it == memo_.end()) fail("bad memo reference");
  return it->second;
}

std::vector<PyValue*> PickleMachine::pop_to_mark() {
  auto mark = stack_.end();
  while (mark != stack_.begin() && (*(mark - 1))->kind != PyValue::Kind::Mark) --mark;
  if (mark == stack_.begin()) fail("no mark on the stack");
  std::vector<PyValue*> items(mark, stack_.end());
  stack_.erase(mark - 1, stack_.end());
  return items;
}

int64_t PickleMachine::integer_at(const std::vector<PyValue*>& a, size_t i, const char* what) const {
  if (i >= a.size() || a[i]->kind != PyValue::Kind::Int) fail(std::string("malformed ") + what);
  return a[i]->integer;
}

std::vector<int64_t> PickleMachine::int_list(const PyValue* tuple, const char* what) const {
  if (tuple->kind != PyValue::Kind::Tuple) fail(std::string("malformed ") + what);
  std::vector<int64_t> out;
  for (size_t i = 0; i < tuple->items.size(); ++i) out.push_back(integer_at(tuple->items, i, what));
  return out;
}

}  // namespace interp::weights
