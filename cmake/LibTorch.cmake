# Provides the INTERFACE target interp::torch.
#
# Two ways to point at LibTorch:
#  * -DTorch_DIR=<libtorch>/share/cmake/Torch : an official LibTorch zip, through its
#    own TorchConfig.cmake (CPU or CUDA build, whatever the zip is).
#  * -DINTERP_LIBTORCH_ROOT=<dir with lib/ and include/> (default: the cache filled by
#    scripts/setup.sh from PyPI's torch wheel). We link libtorch_cpu + libc10 directly:
#    the wheel's CMake config insists on its CUDA dependencies (cuSPARSELt, NVSHMEM,
#    cuFile) that a build machine without the nvidia-* wheels lacks. CUDA is then
#    loaded at run time (see src/core/device.cpp), or linked with INTERP_LINK_CUDA=ON.

if(DEFINED ENV{XDG_CACHE_HOME})
  set(_interp_cache "$ENV{XDG_CACHE_HOME}/interp")
else()
  set(_interp_cache "$ENV{HOME}/.cache/interp")
endif()
if(DEFINED ENV{INTERP_CACHE_DIR})
  set(_interp_cache "$ENV{INTERP_CACHE_DIR}")
endif()
set(INTERP_LIBTORCH_ROOT "${_interp_cache}/libtorch-2.11.0" CACHE PATH "LibTorch root (lib/, include/)")
option(INTERP_LINK_CUDA "Link libtorch_cuda directly (GPU build machines)" OFF)

add_library(interp_torch INTERFACE)
add_library(interp::torch ALIAS interp_torch)

if(Torch_DIR)
  find_package(Torch REQUIRED)
  target_link_libraries(interp_torch INTERFACE ${TORCH_LIBRARIES})
  separate_arguments(_torch_flags UNIX_COMMAND "${TORCH_CXX_FLAGS}")
  target_compile_options(interp_torch INTERFACE ${_torch_flags})
  get_filename_component(INTERP_TORCH_LIBDIR "${TORCH_LIBRARY}" DIRECTORY)
  message(STATUS "interp: LibTorch from Torch_DIR=${Torch_DIR}")
else()
  set(_lib "${INTERP_LIBTORCH_ROOT}/lib")
  find_library(INTERP_TORCH_CPU torch_cpu PATHS "${_lib}" NO_DEFAULT_PATH)
  find_library(INTERP_C10 c10 PATHS "${_lib}" NO_DEFAULT_PATH)
  if(NOT INTERP_TORCH_CPU OR NOT INTERP_C10)
    message(FATAL_ERROR "LibTorch not found under INTERP_LIBTORCH_ROOT=${INTERP_LIBTORCH_ROOT}. "
                        "Run scripts/setup.sh, or pass -DTorch_DIR=<libtorch>/share/cmake/Torch")
  endif()
  target_include_directories(interp_torch SYSTEM INTERFACE
    "${INTERP_LIBTORCH_ROOT}/include" "${INTERP_LIBTORCH_ROOT}/include/torch/csrc/api/include")
  target_link_libraries(interp_torch INTERFACE "${INTERP_TORCH_CPU}" "${INTERP_C10}")
  if(INTERP_LINK_CUDA)
    find_library(INTERP_TORCH_CUDA torch_cuda PATHS "${_lib}" NO_DEFAULT_PATH REQUIRED)
    find_library(INTERP_C10_CUDA c10_cuda PATHS "${_lib}" NO_DEFAULT_PATH REQUIRED)
    target_link_libraries(interp_torch INTERFACE
      "-Wl,--no-as-needed" "${INTERP_TORCH_CUDA}" "${INTERP_C10_CUDA}" "-Wl,--as-needed")
    target_compile_definitions(interp_torch INTERFACE INTERP_LINKED_CUDA=1)
  endif()
  set(INTERP_TORCH_LIBDIR "${_lib}")
  message(STATUS "interp: LibTorch from ${INTERP_LIBTORCH_ROOT}")
endif()

# Our own CPU kernels parallelise with at::parallel_for, which LibTorch implements as
# inline OpenMP pragmas: compile them with OpenMP, and run them on the OpenMP runtime
# LibTorch itself uses (the wheel bundles libgomp.so.1; one runtime, one thread pool).
find_file(INTERP_TORCH_GOMP libgomp.so.1 PATHS "${INTERP_TORCH_LIBDIR}" NO_DEFAULT_PATH)
if(INTERP_TORCH_GOMP)
  target_compile_options(interp_torch INTERFACE -fopenmp)
  target_link_libraries(interp_torch INTERFACE "${INTERP_TORCH_GOMP}")
else()
  find_package(OpenMP COMPONENTS CXX)
  if(OpenMP_CXX_FOUND)
    target_link_libraries(interp_torch INTERFACE OpenMP::OpenMP_CXX)
  else()
    message(WARNING "interp: no OpenMP; interp's own CPU kernels will run on one thread")
  endif()
endif()

# Executables find LibTorch's shared libraries without LD_LIBRARY_PATH.
set(CMAKE_BUILD_RPATH "${INTERP_TORCH_LIBDIR}")
set(CMAKE_INSTALL_RPATH "${INTERP_TORCH_LIBDIR}")
