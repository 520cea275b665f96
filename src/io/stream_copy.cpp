/// Stream copy (and text-subtitle conversion) of a source's other streams.
#include "stream_copy.h"

extern "C" {
#include <libavutil/display.h>
}

#include <cstring>
#include <memory>

namespace interp::io {

std::vector<uint8_t> display_matrix_of(const AVStream* in) {
#if LIBAVFORMAT_VERSION_MAJOR < 61
  size_t size = 0;
  const uint8_t* matrix = av_stream_get_side_data(in, AV_PKT_DATA_DISPLAYMATRIX, &size);
  if (matrix && size) return {matrix, matrix + size};
#else
  if (const AVPacketSideData* sd = av_packet_side_data_get(in->codecpar->coded_side_data,
                                                           in->codecpar->nb_coded_side_data,
                                                           AV_PKT_DATA_DISPLAYMATRIX))
    return {sd->data, sd->data + sd->size};
#endif
  return {};
}

void set_display_matrix(AVStream* out, const std::vector<uint8_t>& matrix) {
  if (matrix.empty()) return;
#if LIBAVFORMAT_VERSION_MAJOR < 61
  uint8_t* dst = av_stream_new_side_data(out, AV_PKT_DATA_DISPLAYMATRIX, matrix.size());
  if (!dst) throw Error("out of memory (side data)");
  std::memcpy(dst, matrix.data(), matrix.size());
#else
  AVPacketSideData* dst = av_packet_side_data_new(&out->codecpar->coded_side_data, &out->codecpar->nb_coded_side_data,
                                                  AV_PKT_DATA_DISPLAYMATRIX, matrix.size(), 0);
  if (!dst) throw Error("out of memory (side data)");
  std::memcpy(dst->data, matrix.data(), matrix.size());
#endif
}

std::shared_ptr<const SourceStreams::Copies> snapshot_streams(const AVStream* video,
                                                             const std::vector<const AVStream*>& others) {
  auto copies = std::make_shared<SourceStreams::Copies>();
  copies->display_matrix = display_matrix_of(video);
  for (const AVStream* in : others) {
    CopiedStream copy;
    copy.index = in->index;
    copy.parameters.reset(avcodec_parameters_alloc());
    if (!copy.parameters) throw Error("out of memory (stream parameters)");
    av::check(avcodec_parameters_copy(copy.parameters.get(), in->codecpar), "stream parameters");
    copy.time_base = in->time_base;
    copy.disposition = in->disposition;
    AVDictionary* metadata = nullptr;
    const int ret = av_dict_copy(&metadata, in->metadata, 0);
    copy.metadata.reset(metadata);
    av::check(ret, "stream metadata");
    copies->streams.push_back(std::move(copy));
  }
  return copies;
}

void StreamCopier::add(const std::vector<CopiedStream>& streams, AVFormatContext* out, const std::string& name) {
  for (const CopiedStream& in : streams) {
    const AVCodecID codec = in.parameters->codec_id;
    const std::string what = "stream " + std::to_string(in.index) + " (" + avcodec_get_name(codec) + ")";
    std::unique_ptr<SubtitleConverter> converter;
    if (avformat_query_codec(out->oformat, codec, FF_COMPLIANCE_NORMAL) != 1) {
      converter = SubtitleConverter::make(in.parameters.get(), in.time_base, out->oformat);
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
      converted_[in.index] = std::move(converter);
    } else {
      av::check(avcodec_parameters_copy(copy->codecpar, in.parameters.get()), name + ": stream copy");
      copy->codecpar->codec_tag = 0;
      copy->time_base = in.time_base;
    }
    copy->disposition = in.disposition;
    av::check(av_dict_copy(&copy->metadata, in.metadata.get(), 0), name + ": stream metadata");
    copied_[in.index] = copy;
    source_time_base_[in.index] = in.time_base;
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
