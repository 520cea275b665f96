/// Stream copy (and text-subtitle conversion) of a source's other streams.
#include "stream_copy.h"

extern "C" {
#include <libavutil/display.h>
}

#include <cstring>

namespace interp::io {

void copy_display_matrix(const AVStream* in, AVStream* out) {
#if LIBAVFORMAT_VERSION_MAJOR < 61
  size_t size = 0;
  const uint8_t* matrix = av_stream_get_side_data(in, AV_PKT_DATA_DISPLAYMATRIX, &size);
  if (matrix && size) {
    uint8_t* dst = av_stream_new_side_data(out, AV_PKT_DATA_DISPLAYMATRIX, size);
    if (dst) std::memcpy(dst, matrix, size);
  }
#else
  if (const AVPacketSideData* sd = av_packet_side_data_get(in->codecpar->coded_side_data,
                                                           in->codecpar->nb_coded_side_data,
                                                           AV_PKT_DATA_DISPLAYMATRIX)) {
    AVPacketSideData* dst = av_packet_side_data_new(&out->codecpar->coded_side_data,
                                                    &out->codecpar->nb_coded_side_data, AV_PKT_DATA_DISPLAYMATRIX,
                                                    sd->size, 0);
    if (dst) std::memcpy(dst->data, sd->data, sd->size);
  }
#endif
}

void StreamCopier::add(const std::vector<AVStream*>& streams, AVFormatContext* out, const std::string& name) {
  for (AVStream* in : streams) {
    const std::string what = "stream " + std::to_string(in->index) + " (" + avcodec_get_name(in->codecpar->codec_id) + ")";
    std::unique_ptr<SubtitleConverter> converter;
    if (avformat_query_codec(out->oformat, in->codecpar->codec_id, FF_COMPLIANCE_NORMAL) != 1) {
      converter = SubtitleConverter::make(in, out->oformat);
      if (!converter) {
        notes_.push_back({what + " cannot be stored in " + out->oformat->name + "; dropped", true});
        continue;
      }
      notes_.push_back({what + " converted to " + converter->codec_name() + " for " + out->oformat->name});
    }
    AVStream* copy = avformat_new_stream(out, nullptr);
    if (!copy) throw Error("out of memory (stream)");
    if (converter) {
      converter->attach(copy);
      converted_[in->index] = std::move(converter);
    } else {
      av::check(avcodec_parameters_copy(copy->codecpar, in->codecpar), name + ": stream copy");
      copy->codecpar->codec_tag = 0;
      copy->time_base = in->time_base;
    }
    copy->disposition = in->disposition;
    av::check(av_dict_copy(&copy->metadata, in->metadata, 0), name + ": stream metadata");
    copied_[in->index] = copy;
    source_time_base_[in->index] = in->time_base;
  }
}

void StreamCopier::write(AVPacket* p, AVFormatContext* out, const std::string& name) {
  auto it = copied_.find(p->stream_index);
  if (it == copied_.end()) return;
  if (auto conv = converted_.find(p->stream_index); conv != converted_.end()) {
    if (conv->second->convert(p, converted_packet_.get()))
      av::check(av_interleaved_write_frame(out, converted_packet_.get()), name + ": write failed");
    return;
  }
  av_packet_rescale_ts(p, source_time_base_[p->stream_index], it->second->time_base);
  p->stream_index = it->second->index;
  p->pos = -1;
  av::check(av_interleaved_write_frame(out, p), name + ": write failed");
}

}  // namespace interp::io
