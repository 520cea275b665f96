/// Text subtitle conversion, following fftools' subtitle transcoding.
#include "subtitle_converter.h"

#include "interp/base/error.h"

#include <cstring>

namespace interp::io {

std::unique_ptr<SubtitleConverter> SubtitleConverter::make(const AVCodecParameters* in, AVRational time_base,
                                                           const AVOutputFormat* format) {
  const AVCodecDescriptor* desc = avcodec_descriptor_get(in->codec_id);
  if (!desc || desc->type != AVMEDIA_TYPE_SUBTITLE || !(desc->props & AV_CODEC_PROP_TEXT_SUB)) return nullptr;
  const AVCodec* decoder = avcodec_find_decoder(in->codec_id);
  if (!decoder) return nullptr;
  // MP4/MOV store mov_text, WebM WebVTT; the others for containers that take them.
  for (const AVCodecID target : {AV_CODEC_ID_MOV_TEXT, AV_CODEC_ID_WEBVTT, AV_CODEC_ID_SUBRIP, AV_CODEC_ID_ASS}) {
    const AVCodec* encoder = avcodec_find_encoder(target);
    if (!encoder || avformat_query_codec(format, target, FF_COMPLIANCE_NORMAL) != 1) continue;
    std::unique_ptr<SubtitleConverter> c(new SubtitleConverter);
    c->decoder_.reset(avcodec_alloc_context3(decoder));
    c->encoder_.reset(avcodec_alloc_context3(encoder));
    if (!c->decoder_ || !c->encoder_) throw OutOfMemory("out of memory (subtitle converter)");
    av::check(avcodec_parameters_to_context(c->decoder_.get(), in), "subtitle decoder");
    c->decoder_->pkt_timebase = time_base;
    av::check(avcodec_open2(c->decoder_.get(), decoder, nullptr), "subtitle decoder");
    c->encoder_->time_base = AV_TIME_BASE_Q;
    // The styles (an ASS header) the text encoders format with.
    if (c->decoder_->subtitle_header) {
      const int size = c->decoder_->subtitle_header_size;
      c->encoder_->subtitle_header = static_cast<uint8_t*>(av_mallocz(size + 1));
      if (!c->encoder_->subtitle_header) throw OutOfMemory("out of memory (subtitle header)");
      std::memcpy(c->encoder_->subtitle_header, c->decoder_->subtitle_header, size);
      c->encoder_->subtitle_header_size = size;
    }
    av::check(avcodec_open2(c->encoder_.get(), encoder, nullptr), "subtitle encoder");
    return c;
  }
  return nullptr;
}

void SubtitleConverter::attach(AVStream* out) {
  av::check(avcodec_parameters_from_context(out->codecpar, encoder_.get()), "subtitle stream");
  out->time_base = AVRational{1, 1000};
  out_ = out;
}

const char* SubtitleConverter::codec_name() const { return avcodec_get_name(encoder_->codec_id); }

bool SubtitleConverter::convert(const AVPacket* in, AVPacket* out) {
  AVSubtitle sub{};
  int got = 0;
  // A subtitle that does not decode is skipped, like a damaged audio packet.
  if (avcodec_decode_subtitle2(decoder_.get(), &sub, &got, const_cast<AVPacket*>(in)) < 0 || !got) return false;
  struct Free {
    AVSubtitle* s;
    ~Free() { avsubtitle_free(s); }
  } free_sub{&sub};
  if (sub.pts == AV_NOPTS_VALUE) return false;
  // Encoders want the display start folded into pts.
  sub.pts += av_rescale_q(sub.start_display_time, AVRational{1, 1000}, AV_TIME_BASE_Q);
  sub.end_display_time -= sub.start_display_time;
  sub.start_display_time = 0;
  buffer_.resize(1 << 16);
  const int size = avcodec_encode_subtitle(encoder_.get(), buffer_.data(), static_cast<int>(buffer_.size()), &sub);
  if (size <= 0) return false;
  av_packet_unref(out);
  av::check(av_new_packet(out, size), "subtitle packet");
  std::memcpy(out->data, buffer_.data(), size);
  out->pts = out->dts = av_rescale_q(sub.pts, AV_TIME_BASE_Q, out_->time_base);
  out->duration = av_rescale_q(sub.end_display_time, AVRational{1, 1000}, out_->time_base);
  out->stream_index = out_->index;
  return true;
}

}  // namespace interp::io
