#pragma once
/// A ConvLSTM model file for tests of the four-frame paths: the family's own seeded
/// initialisation, with its zero-started residual convolutions given random weights so
/// that every frame of a window changes the result (a zero start would be blending,
/// which ignores the neighbours and could not show a wrong one).
#include "interp/core/model_loader.h"

#include <torch/torch.h>

#include <string>

namespace interp::test {

inline std::string write_test_convlstm(const std::string& path) {
  ModelWeights w = initial_model_weights("convlstm", 7);
  torch::manual_seed(7);
  for (const char* name : {"synthesis.conv_block_2.1.weight", "refinement.conv_out.weight"})
    w.tensors[name] = torch::randn(w.tensors[name].sizes()) * 0.05;
  write_model_file(path, w, "test");
  return path;
}

}  // namespace interp::test
