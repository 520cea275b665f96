#pragma once
/// What distinguishes the Practical-RIFE IFNet versions, as data: one IFNet
/// implementation builds any of them from this description.
#include "interp/core/model_traits.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace interp::rife {

/// The nonlinearity after every IFBlock conv.
enum class Activation {
  kLeakyRelu,  ///< LeakyReLU(0.2) (v4.x)
  kPRelu,      ///< PReLU with a learned slope per channel (v3.9)
};

/// The eight convs in the middle of an IFBlock.
enum class Trunk {
  kResConv,            ///< each conv is relu(conv(x) * beta + x) (v4.x)
  kConvStackWithSkip,  ///< plain conv+activation, one skip around all eight (v3.9)
};

/// How an IFBlock returns to (a fraction of) its input resolution.
enum class BlockHead {
  kDeconvPixelShuffle,  ///< ConvTranspose2d to 4·C then PixelShuffle(2): 4x up (v4.x)
  kDeconv,              ///< ConvTranspose2d to C: 2x up, the rest by bilinear resize (v3.9)
};

struct IFNetVariant {
  std::string name;                   ///< "rife-v4.6", "rife-v4.25", ...
  std::vector<int64_t> block_widths;  ///< channels of each IFBlock, coarse to fine
  int64_t block_outputs = 6;          ///< channels each block predicts (flow 4, mask 1, ...)
  int64_t head_channels = 0;          ///< per-image features of the Head encoder (0: none)
  int64_t passed_features = 0;        ///< block output channels (after flow+mask) fed to the next block
  bool mask_accumulates = true;       ///< mask += block delta (v4.6) or mask = block output (v4.25)
  int64_t pad_multiple = 32;          ///< inputs padded to a multiple of max(M, M/scale)
  Activation activation = Activation::kLeakyRelu;
  Trunk trunk = Trunk::kResConv;
  BlockHead block_head = BlockHead::kDeconvPixelShuffle;
  /// v3.9: when block 1's flow update exceeds this many pixels in both directions, the
  /// whole estimate restarts at half resolution (scales doubled). 0: never.
  double large_motion_restart_px = 0;
  /// The architecture has v3.9's refinement net (refine.h: "contextnet.*", "unet.*"). A
  /// file may hold it or not; without it only the fast mode runs.
  bool refinement = false;

  /// Every version reads the pair alone and takes t as an input: any time in (0,1).
  ModelTraits traits() const { return {0, 0, true}; }
  /// The reference offers `ensemble`: every block also runs on the swapped pair and the
  /// two predictions are averaged (v3.9, v4.6; the v4.25/v4.26 reference refuses it, as
  /// its blocks pass features on that a swapped pass has no counterpart for).
  bool ensemble = false;
  /// Sub-networks that official files carry but inference never uses (the training
  /// teacher): dropped when reading weights.
  std::vector<std::string> unused_weight_prefixes;

  int64_t num_blocks() const { return static_cast<int64_t>(block_widths.size()); }
  /// Input channels of block i (the flow estimate's 4 channels included for i > 0).
  int64_t block_inputs(int64_t i) const;
  /// Downscale factor of block i at scale 1 (8,4,2,1 for four blocks).
  double base_scale(int64_t i) const;

  static IFNetVariant v3_9();
  static IFNetVariant v4_6();
  static IFNetVariant v4_25();
  /// Every variant by_name() knows, oldest first.
  static std::vector<IFNetVariant> all();
  /// "rife-v4.6"/"4.6"/"v4.6" (and v3.9, v4.25, v4.26) -> variant; nullopt when unknown.
  static std::optional<IFNetVariant> by_name(const std::string& name);
  /// Names by_name() accepts, for error messages.
  static std::vector<std::string> known_names();
};

}  // namespace interp::rife
