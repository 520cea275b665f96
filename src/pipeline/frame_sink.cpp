/// Video-file and image-folder sinks over io's safe outputs.
#include "interp/pipeline/frame_sink.h"

#include "interp/io/image_file.h"

#include <filesystem>

namespace interp::pipeline {

VideoFileSink::VideoFileSink(const std::string& path, bool overwrite, const std::string& input,
                             const io::EncoderOptions& encoder, io::VideoReader& source, io::Rational frame_rate)
    : pending_(path, io::PendingOutput::Kind::File, overwrite, {input}),
      writer_(std::make_unique<io::VideoWriter>(pending_.temp_path(), pending_.target(), encoder, source, frame_rate)) {}

void VideoFileSink::finish() {
  writer_->finish();
  pending_.commit();
}

ImageFolderSink::ImageFolderSink(const std::string& path, bool overwrite, const std::vector<std::string>& inputs,
                                 int64_t expected)
    : pending_(path, io::PendingOutput::Kind::Folder, overwrite, inputs),
      digits_(std::max<int>(4, static_cast<int>(std::to_string(std::max<int64_t>(expected - 1, 0)).size()))) {}

void ImageFolderSink::write(const io::Image& frame, int64_t index) {
  std::string name = std::to_string(index);
  name.insert(0, static_cast<size_t>(std::max<int>(0, digits_ - static_cast<int>(name.size()))), '0');
  io::write_png((std::filesystem::path(pending_.temp_path()) / (name + ".png")).string(), frame);
}

void write_png_file(const std::string& path, const io::Image& image, bool overwrite,
                    const std::vector<std::string>& inputs) {
  io::PendingOutput pending(path, io::PendingOutput::Kind::File, overwrite, inputs);
  io::write_png(pending.temp_path(), image);
  pending.commit();
}

}  // namespace interp::pipeline
