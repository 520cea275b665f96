# Sourced by the farm tests (slurm_test.sh, parallel_test.sh), which define fail().
# clip PATH FRAMES [WxH]: a test-pattern clip at 24 fps with a sine tone (AAC).
clip() {
  ffmpeg -v error -y -f lavfi -i "testsrc2=size=${3:-64x48}:rate=24" -f lavfi -i sine=frequency=440:sample_rate=48000 \
    -frames:v "$2" -pix_fmt yuv420p -c:a aac -shortest "$1" || fail "ffmpeg could not make $1"
}
