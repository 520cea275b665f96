#pragma once
/// What distinguishes the Practical-RIFE v4 IFNet versions, as data: one IFNet
/// implementation builds any of them from this description.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace interp::rife {

struct IFNetVariant {
  std::string name;                   ///< "rife-v4.6", "rife-v4.25", ...
  std::vector<int64_t> block_widths;  ///< channels of each IFBlock, coarse to fine
  int64_t block_outputs = 6;          ///< channels after each block's PixelShuffle
  int64_t head_channels = 0;          ///< per-image features of the Head encoder (0: none)
  int64_t passed_features = 0;        ///< block output channels (after flow+mask) fed to the next block
  bool mask_accumulates = true;       ///< mask += block delta (v4.6) or mask = block output (v4.25)
  int64_t pad_multiple = 32;          ///< inputs padded to a multiple of max(M, M/scale)

  int64_t num_blocks() const { return static_cast<int64_t>(block_widths.size()); }
  /// Input channels of block i (the flow estimate's 4 channels included for i > 0).
  int64_t block_inputs(int64_t i) const;
  /// Downscale factor of block i at scale 1 (8,4,2,1 for four blocks).
  double base_scale(int64_t i) const;

  static IFNetVariant v4_6();
  static IFNetVariant v4_25();
  /// "rife-v4.6"/"4.6"/"v4.6" (and v4.25, v4.26) -> variant; nullopt when unknown.
  static std::optional<IFNetVariant> by_name(const std::string& name);
  /// Names by_name() accepts, for error messages.
  static std::vector<std::string> known_names();
};

}  // namespace interp::rife
