#pragma once
/// Full swing: how a video's codes outside the nominal range survive interp.
///
/// Limited-range ("TV") Y'CbCr puts black at 16 and white at 235, yet may store any
/// code from 0 to 255: cameras keep highlights above white, old codecs overshoot at
/// edges. The standard matrix maps those codes outside RGB's [0, 255], where they are
/// clipped, so a video read into RGB and written back loses them on every frame, the
/// kept ones too. (OpenCV's vtest.avi, 1.7% of it outside: its kept frames came back at
/// 43.5 dB Y', and the in-betweens 0.3 dB below minterpolate, which stays in Y'CbCr.)
/// Read as full range instead, every code lands inside RGB's range; written back as
/// full range into limited Y'CbCr of the same matrix, it returns as it was. So a job
/// whose output is such a video reads it so (pipeline/jobs.cpp). Models then see the
/// samples as they are: the picture at 219/255 of its contrast, which measured no worse
/// (first 60 frames, 2x restored: vtest +0.31 dB, scene_cuts at 320x240 +0.15,
/// bigbuckbunny and Megamind +0.02). The skip rules judge the picture's luma, recovered
/// by luma_gain and black (PairOptions::luma).
namespace interp::io {

/// What full-swing samples mean; two are equal when their codes mean the same picture.
struct FullSwing {
  double kr = 0.299;  ///< the matrix's luma weights of red and blue
  double kb = 0.114;
  /// picture = chroma_gain·s + (luma_gain − chroma_gain)·Y'(s) − black, per channel,
  /// for samples s in [0, 1] and Y'(s) = kr·R + (1 − kr − kb)·G + kb·B.
  double luma_gain = 255.0 / 219;
  double chroma_gain = 255.0 / 224;
  double black = 16.0 / 219;
  bool operator==(const FullSwing& o) const {
    return kr == o.kr && kb == o.kb && luma_gain == o.luma_gain && chroma_gain == o.chroma_gain && black == o.black;
  }
  bool operator!=(const FullSwing& o) const { return !(*this == o); }
};

}  // namespace interp::io
