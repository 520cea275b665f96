#!/usr/bin/env bash
# The layering check passes on the tree and fails on a forbidden include in each layer.
set -euo pipefail
ROOT=$1
check() { cmake -DROOT="$1" -P "$ROOT/cmake/CheckLayers.cmake" >/dev/null 2>&1; }
check "$ROOT" || { echo "FAIL: the tree itself breaks the layering"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for case in "src/io/x.cpp:torch/torch.h" "include/interp/io/x.h:libavformat/avformat.h" \
            "src/pipeline/x.cpp:libavcodec/avcodec.h" "src/core/x.cpp:opencv2/core.hpp" \
            "src/core/x.cpp:interp/io/image.h" "include/interp/base/x.h:c10/core/Device.h"; do
  file=${case%%:*} header=${case#*:}
  rm -rf "$tmp/tree" && mkdir -p "$tmp/tree/$(dirname "$file")"
  printf '#include <%s>\n' "$header" >"$tmp/tree/$file"
  if check "$tmp/tree"; then echo "FAIL: $file including <$header> passed the check"; exit 1; fi
done
echo "layering check: passes on the tree, refuses 6 forbidden includes"
