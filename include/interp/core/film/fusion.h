#pragma once
/// FILM's fusion decoder (U-Net decoder side): from the coarsest aligned level up,
/// nearest upsampling + 2x2 conv, concatenation with the level's aligned features,
/// two 3x3 convs; a 1x1 conv gives RGB.
#include "interp/core/film/util.h"

#include <torch/nn/modules/container/modulelist.h>

namespace interp::film {

class FusionImpl : public torch::nn::Module {
 public:
  FusionImpl(int64_t levels, int64_t specialized_levels, int64_t filters);
  /// `pyramid`: aligned features, finest first, `levels` + 1 entries. Taken by value:
  /// each level is released once concatenated, which lowers the peak at full size.
  torch::Tensor forward(Pyramid pyramid);

 private:
  torch::nn::Conv2d output_conv{nullptr};
  torch::nn::ModuleList convs{nullptr};  // coarse to fine, each [up 2x2, 3x3, 3x3]
};
TORCH_MODULE(Fusion);

/// Channels of the aligned pyramid at `level`: both images' warped RGB + features + flows.
int64_t fusion_channels_at_level(int64_t level, int64_t filters);

}  // namespace interp::film
