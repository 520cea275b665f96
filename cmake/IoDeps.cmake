# FFmpeg (pkg-config) and OpenCV for io and the fuzz targets: PkgConfig::LIBAV,
# OpenCV_INCLUDE_DIRS, OpenCV_LIBS.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBAV REQUIRED IMPORTED_TARGET GLOBAL libavformat libavcodec libavutil libswscale)
# Debian's split libopencv-{core,imgproc,imgcodecs}-dev ship no CMake config; find the
# three libraries directly when OpenCVConfig.cmake is absent.
find_package(OpenCV QUIET COMPONENTS core imgproc imgcodecs)
if(NOT OpenCV_FOUND)
  find_path(OpenCV_INCLUDE_DIRS opencv2/core.hpp PATH_SUFFIXES opencv4 REQUIRED)
  set(OpenCV_LIBS)
  foreach(_part core imgproc imgcodecs)
    find_library(OpenCV_${_part}_LIB opencv_${_part} REQUIRED)
    list(APPEND OpenCV_LIBS ${OpenCV_${_part}_LIB})
  endforeach()
endif()

