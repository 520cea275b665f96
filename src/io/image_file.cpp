/// OpenCV imread/imwrite wrapped with interp's errors and RGB channel order.
#include "interp/io/image_file.h"

#include "interp/base/error.h"
#include "interp/io/image_header.h"
#include "interp/io/image_sequence.h"
#include "stderr_capture.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstring>
#include <cctype>
#include <filesystem>

namespace interp::io {
namespace fs = std::filesystem;

Image read_image(const std::string& path, int64_t max_pixels) {
  if (!fs::exists(path)) throw Error(path + ": no such file");
  if (fs::is_directory(path)) throw Error(path + ": is a folder, not an image");
  if (const auto size = read_picture_size(path)) check_pixels(path, size->width, size->height, max_pixels);
  cv::Mat mat;
  std::string library_says;
  {
    StderrCapture capture;  // libpng/libjpeg speak on stderr; their words go into ours
    try {
      mat = cv::imread(path, cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception&) {
      mat.release();
    }
    library_says = capture.release();
  }
  if (mat.empty())
    throw Error(path + ": not a readable image" + (library_says.empty() ? "" : " (" + library_says + ")"));
  check_pixels(path, mat.cols, mat.rows, max_pixels);  // formats without a header probe
  if (mat.depth() != CV_8U && mat.depth() != CV_16U) {
    cv::Mat converted;
    mat.convertTo(converted, CV_16U, mat.depth() == CV_32F || mat.depth() == CV_64F ? 65535.0 : 1.0);
    mat = converted;
  }
  cv::Mat rgb;
  switch (mat.channels()) {
    case 1: cv::cvtColor(mat, rgb, cv::COLOR_GRAY2RGB); break;
    case 3: cv::cvtColor(mat, rgb, cv::COLOR_BGR2RGB); break;
    case 4: cv::cvtColor(mat, rgb, cv::COLOR_BGRA2RGBA); break;
    default: throw Error(path + ": unsupported channel count " + std::to_string(mat.channels()));
  }
  Image image;
  image.damage = library_says;
  image.allocate(rgb.cols, rgb.rows, rgb.channels(), rgb.depth() == CV_16U ? 16 : 8);
  for (int y = 0; y < rgb.rows; ++y)
    std::memcpy(image.data.data() + y * image.row_bytes(), rgb.ptr(y), image.row_bytes());
  return image;
}

void write_png(const std::string& path, const Image& image) {
  // Full-swing samples are a video's codes, not the picture (full_swing.h).
  if (image.full_swing) throw Error(path + ": a frame read with full swing cannot be written as a picture");
  const int type = CV_MAKETYPE(image.bit_depth > 8 ? CV_16U : CV_8U, image.channels);
  cv::Mat rgb(image.height, image.width, type, const_cast<uint8_t*>(image.data.data()), image.row_bytes());
  cv::Mat bgr;
  cv::cvtColor(rgb, bgr, image.channels == 4 ? cv::COLOR_RGBA2BGRA : cv::COLOR_RGB2BGR);
  bool ok = false;
  try {
    ok = cv::imwrite(path, bgr, {cv::IMWRITE_PNG_COMPRESSION, 3});
  } catch (const cv::Exception&) {
    ok = false;
  }
  if (!ok) throw Error(path + ": cannot write PNG");
}

bool natural_less(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      size_t i2 = i, j2 = j;
      while (i2 < a.size() && std::isdigit(static_cast<unsigned char>(a[i2]))) ++i2;
      while (j2 < b.size() && std::isdigit(static_cast<unsigned char>(b[j2]))) ++j2;
      std::string da = a.substr(i, i2 - i), db = b.substr(j, j2 - j);
      da.erase(0, std::min(da.find_first_not_of('0'), da.size()));
      db.erase(0, std::min(db.find_first_not_of('0'), db.size()));
      if (da.size() != db.size()) return da.size() < db.size();
      if (da != db) return da < db;
      i = i2;
      j = j2;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

bool is_picture_name(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".webp" || ext == ".tif" || ext == ".tiff" ||
         ext == ".bmp";
}

std::vector<std::string> list_images(const std::string& folder) {
  if (!fs::is_directory(folder)) throw Error(folder + ": not a folder");
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder))
    if (entry.is_regular_file() && is_picture_name(entry.path().string()))
      names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end(), natural_less);
  if (names.empty()) throw Error(folder + ": no pictures (png, jpg, webp, tif, bmp)");
  return list_sequence((fs::path(folder) / folder_pattern(folder, names)).string());
}

}  // namespace interp::io
