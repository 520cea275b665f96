/// Muxer choice and set-up (FFmpeg doc/examples/remux.c), with the rules in muxer.h.
#include "muxer.h"

#include <filesystem>

namespace interp::io {
namespace {

/// MP4/MOV write their index at the start once the end is known: they seek back.
bool seeks_back(const AVOutputFormat* f) {
  const std::string name = f->name;
  return name == "mp4" || name == "mov" || name == "ipod" || name == "ismv" || name == "3gp" || name == "3g2" ||
         name == "psp" || name == "f4v";
}

/// Frames `rate` apart, counted in `time_base` ticks: below 1, two frames share a tick.
double ticks_per_frame(AVRational time_base, AVRational rate) {
  return static_cast<double>(time_base.den) * rate.den / (static_cast<double>(time_base.num) * rate.num);
}

/// The time base a muxer gives a video stream of `codec` at `rate`, from a header
/// written to memory; 0/1 when it refuses the stream.
AVRational clock_of(const AVOutputFormat* muxer, AVCodecID codec, int width, int height, AVRational rate) {
  AVFormatContext* raw = nullptr;
  if (!muxer || avformat_alloc_output_context2(&raw, muxer, nullptr, nullptr) < 0 || !raw) return {0, 1};
  av::OutputContext format(raw);
  AVStream* stream = avformat_new_stream(raw, nullptr);
  if (!stream) return {0, 1};
  stream->codecpar->codec_type = AVMEDIA_TYPE_VIDEO;
  stream->codecpar->codec_id = codec;
  stream->codecpar->width = width;
  stream->codecpar->height = height;
  stream->time_base = av_inv_q(rate);
  if (avio_open_dyn_buf(&raw->pb) < 0) return {0, 1};
  const int ret = avformat_write_header(raw, nullptr);
  const AVRational clock = ret >= 0 ? stream->time_base : AVRational{0, 1};
  uint8_t* bytes = nullptr;
  avio_close_dyn_buf(raw->pb, &bytes);
  av_free(bytes);
  raw->pb = nullptr;
  return clock;
}

std::string containers_holding(const AVStream* video, AVRational rate) {
  std::string out;
  for (const char* name : {"mp4", "mov", "nut", "mpegts", "avi", "matroska"}) {
    const AVRational clock = clock_of(av_guess_format(name, nullptr, nullptr), video->codecpar->codec_id,
                                      video->codecpar->width, video->codecpar->height, rate);
    if (clock.num > 0 && ticks_per_frame(clock, rate) >= 1) out += (out.empty() ? "" : ", ") + std::string(name);
  }
  return out.empty() ? "none that interp tried" : out;
}

}  // namespace

bool muxer_takes(const AVOutputFormat* f, AVCodecID codec) {
  const int known = avformat_query_codec(f, codec, FF_COMPLIANCE_NORMAL);
  if (known >= 0) return known == 1;
  const int log_level = av_log_get_level();  // a refusal here is an answer, not an error to show
  av_log_set_level(AV_LOG_QUIET);
  const bool takes = clock_of(f, codec, 64, 64, AVRational{25, 1}).num > 0;
  av_log_set_level(log_level);
  return takes;
}

const AVOutputFormat* find_muxer(const std::string& container, const std::string& file_name, bool to_pipe) {
  const std::string what = container.empty() ? file_name : "--format " + container;
  const AVOutputFormat* f = container.empty() ? av_guess_format(nullptr, file_name.c_str(), nullptr)
                                              : av_guess_format(container.c_str(), nullptr, nullptr);
  if (!f) throw Error(what + ": not a container FFmpeg can write (use .mp4, .mkv, .mov, .webm, .avi or .nut)");
  if (f->flags & AVFMT_NOFILE)  // image2, hls, dash, segment, tee, ...: they open files of their own
    throw Error(what + ": " + f->name + " writes files of its own beside the output; interp writes one file " +
                "(use mp4, matroska, mov, webm, nut, avi or mpegts)");
  if (f->video_codec == AV_CODEC_ID_NONE) throw Error(what + ": " + f->name + " holds no video");
  if (to_pipe && seeks_back(f))
    throw Error(what + ": " + f->name + " cannot be written to a pipe (it seeks back); use nut, matroska, " +
                "yuv4mpegpipe or mpegts");
  return f;
}

Muxer::Muxer(const std::string& destination, const std::string& name, const std::string& container)
    : destination_(destination), name_(name) {
  const AVOutputFormat* muxer = find_muxer(container, name, to_pipe());
  AVFormatContext* raw = nullptr;
  const int ret = avformat_alloc_output_context2(&raw, muxer, nullptr, nullptr);
  if (ret < 0 || !raw) throw Error(name + ": cannot set up the " + muxer->name + " muxer (" + av::error_string(ret) + ")");
  format_.reset(raw);
}

void Muxer::start(const std::vector<std::pair<std::string, std::string>>& tags, const AVStream* video,
                  AVRational frame_rate) {
  const int ret = avio_open(&format_->pb, av::local_url(destination_, true).c_str(), AVIO_FLAG_WRITE);
  if (ret < 0) throw Error(name_ + ": cannot create output (" + av::error_string(ret) + ")");
  for (const auto& [key, value] : tags)
    av::check(av_dict_set(&format_->metadata, key.c_str(), value.c_str(), 0), name_ + ": metadata");
  AVDictionary* options = nullptr;  // MP4/MOV keep keys outside their fixed set only with this flag
  if (!tags.empty()) av_dict_set(&options, "movflags", "+use_metadata_tags", 0);
  const int header = avformat_write_header(format_.get(), &options);
  av_dict_free(&options);
  av::check(header, name_ + ": cannot write header");
  if (frame_rate.num > 0 && frame_rate.den > 0 && ticks_per_frame(video->time_base, frame_rate) < 1)
    throw Error(name_ + ": " + format_->oformat->name + " counts time in steps of " +
                std::to_string(video->time_base.num) + "/" + std::to_string(video->time_base.den) + " s, too coarse for " +
                std::to_string(frame_rate.num) + "/" + std::to_string(frame_rate.den) +
                " fps (frames would share timestamps); containers that hold it: " + containers_holding(video, frame_rate));
}

void Muxer::finish() {
  av::check(av_write_trailer(format_.get()), name_ + ": cannot finish the file");
  av::check(avio_closep(&format_->pb), name_ + ": cannot close the file");
}

}  // namespace interp::io
