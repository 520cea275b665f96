#pragma once
/// Where motion carries content across the picture's edge, only one input shows it.
///
/// A pan brings new content in at one edge and takes it out at the other. An in-between
/// pixel whose backward warp samples an input beyond its picture gets that input's edge
/// repeated (grid_sample's border) or the padding up to the network's multiple, not what
/// lies there; the other input, which still shows the spot, is the only one to trust.
/// RIFE's merge mask learns this only roughly: on a texture panning 2 px a frame, the
/// outer columns of its in-betweens erred 20-40 times as much as the inside. So interp's
/// rule (IFNetMode::seen_side_at_edges, on with the fallback) pushes the mask to the side
/// that sees: each input's sample counts as outside over a one-pixel ramp beyond the
/// picture's edge, and the logits move by log(inside share of input 0) − log(inside
/// share of input 1). Where both sample inside, or both outside (a zoom out, at the
/// corners), nothing changes; the refinement net still reads the blocks' mask, what it
/// was trained on. The padding stays the references' zeros: each image's mean colour
/// or its edge repeated gained on a horizontal pan but lost elsewhere (0.34 dB on
/// scene_cuts at 1280x272; up to 4 dB on a diagonal pan). README "The picture's edges".
#include "interp/base/picture_size.h"

#include <torch/types.h>

namespace interp::rife {

/// The picture within `padded` (N×C×H×W): `picture`, all of `padded` where a side is 0,
/// never more than `padded`.
inline PictureSize picture_within(PictureSize picture, const torch::Tensor& padded) {
  const auto side = [](int64_t asked, int64_t whole) { return asked > 0 && asked < whole ? asked : whole; };
  return {side(picture.width, padded.size(3)), side(picture.height, padded.size(2))};
}

/// What to add to the merge mask's logits (N×1×H×W; input 0's weight after the
/// sigmoid) to move it toward the input whose sample lies inside `picture` where the
/// other's, by `flow` (N×4×H×W: to input 0, then to input 1, in pixels), lies outside.
/// `picture` is the picture within inputs padded to the network's multiple; a size of 0
/// takes the whole input.
torch::Tensor mask_shift_toward_seen_side(const torch::Tensor& flow, PictureSize picture);

}  // namespace interp::rife
