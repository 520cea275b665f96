# The layering rule, checked on every build (cmake -P): core (LibTorch only) <- io
# (FFmpeg/OpenCV, no LibTorch) <- pipeline <- cli; base (error.h) depends on nothing.
# A linker would not catch an #include of a header-only part or of a system header
# that happens to be on the default path (FFmpeg's are), so the includes are read here.
#   cmake -DROOT=<source dir> -P cmake/CheckLayers.cmake
set(_torch   "^(torch|ATen|c10|caffe2)/")
set(_ffmpeg  "^lib(av|sw)[a-z]*/")
set(_opencv  "^opencv2?/")
set(_cli     "^(CLI|spdlog)/")
set(_core    "^interp/core/")
set(_io      "^interp/io/")
set(_pipe    "^interp/pipeline/")

# Per layer: its folders (relative to ROOT) and the include patterns it must not use.
set(_layers base core io_headers io pipeline)
set(base_dirs include/interp/base)
set(base_forbidden "${_torch}" "${_ffmpeg}" "${_opencv}" "${_cli}" "${_core}" "${_io}" "${_pipe}")
set(core_dirs include/interp/core src/core)
set(core_forbidden "${_ffmpeg}" "${_opencv}" "${_cli}" "${_io}" "${_pipe}")
set(io_headers_dirs include/interp/io)  # what pipeline sees of io: no FFmpeg, no OpenCV
set(io_headers_forbidden "${_torch}" "${_ffmpeg}" "${_opencv}" "${_core}" "${_pipe}")
set(io_dirs src/io)
set(io_forbidden "${_torch}" "${_core}" "${_pipe}" "${_cli}")
set(pipeline_dirs include/interp/pipeline src/pipeline)
set(pipeline_forbidden "${_ffmpeg}" "${_opencv}" "${_cli}")

set(_violations "")
foreach(_name IN LISTS _layers)
  foreach(_dir IN LISTS ${_name}_dirs)
    file(GLOB_RECURSE _files "${ROOT}/${_dir}/*.h" "${ROOT}/${_dir}/*.cpp")
    foreach(_file IN LISTS _files)
      file(STRINGS "${_file}" _includes REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
      foreach(_line IN LISTS _includes)
        string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*[<\"]([^>\"]*)[>\"].*" "\\1" _header "${_line}")
        foreach(_pattern IN LISTS ${_name}_forbidden)
          if(_header MATCHES "${_pattern}")
            file(RELATIVE_PATH _rel "${ROOT}" "${_file}")
            string(APPEND _violations "  ${_rel}: ${_name} must not include <${_header}>\n")
          endif()
        endforeach()
      endforeach()
    endforeach()
  endforeach()
endforeach()
if(_violations)
  message(FATAL_ERROR "layering broken (core <- io <- pipeline <- cli):\n${_violations}")
endif()
