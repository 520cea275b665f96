#pragma once
/// The ConvLSTM residual interpolator's shape as data (Suzuki et al., IEEE Access 2020;
/// code: tomo-oga/ConvLSTM-Frame-Interpolation). The published network has one shape;
/// it is written down here, not spread through the modules, so that the modules read
/// like the reference and a wider or deeper variant would be a new entry.
#include "interp/core/model_traits.h"

#include <cstdint>
#include <string>
#include <vector>

namespace interp::convlstm {

struct ConvLstmConfig {
  std::string name = "convlstm";
  /// Channels of the synthesis U-Net's levels, finest first: each encoder level runs a
  /// ConvLSTM at channels[i] and widens to channels[i+1]; the decoders mirror them.
  std::vector<int64_t> channels = {3, 9, 27, 81, 243};
  int64_t attention_blocks = 6;  ///< in the refinement net
  int64_t frames = 4;            ///< I1 I2 | I3 I4: the pair is the middle two

  /// Frame sides must be multiples of this: one 2x2 max-pool per encoder level.
  int64_t size_multiple() const { return int64_t{1} << (channels.size() - 1); }
  /// The pair in the middle of `frames`, evenly spaced; trained for the midpoint only.
  ModelTraits traits() const {
    const int side = static_cast<int>(frames / 2 - 1);
    return {side, side, false};
  }
};

}  // namespace interp::convlstm
