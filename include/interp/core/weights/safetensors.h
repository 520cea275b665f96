#pragma once
/// The project's model file format: safetensors (a JSON header of names, dtypes, shapes
/// and offsets, then raw little-endian data; no pickle, mmap-able). Metadata carries
/// the architecture ("interp.arch": "rife"/"film"), variant and version.
#include "interp/core/weights/state_dict.h"

#include <string>

namespace interp::weights {

struct SafetensorsFile {
  StateDict tensors;
  Metadata metadata;
};

/// Reads a .safetensors file (memory-mapped). Throws interp::Error on malformed input.
SafetensorsFile read_safetensors(const std::string& path);

/// Reads only the metadata (cheap: the header alone).
Metadata read_safetensors_metadata(const std::string& path);

/// Writes tensors (made contiguous, CPU) and metadata; written to `path` + ".tmp" then
/// renamed, so a failure never leaves a partial file under `path`.
void write_safetensors(const std::string& path, const StateDict& tensors, const Metadata& metadata);

}  // namespace interp::weights
