#!/usr/bin/env python3
"""Small, valid starting inputs for the fuzz targets, made with Python's standard
library alone: torch-style pickles (the exact opcodes torch.save and TorchScript emit,
built from stand-in classes with the same module names), a safetensors file and tiny
PNG/BMP pictures. Videos and other picture formats come from ffmpeg in scripts/fuzz.sh.

    fuzz/make_seeds.py OUT_DIR
"""
import collections
import json
import os
import pickle
import struct
import sys
import types
import zlib

# Stand-ins that pickle as torch's globals.
torch = types.ModuleType("torch")
utils = types.ModuleType("torch._utils")
sys.modules.update({"torch": torch, "torch._utils": utils})


def _rebuild_tensor_v2(*args):
    pass


_rebuild_tensor_v2.__module__ = "torch._utils"
utils._rebuild_tensor_v2 = _rebuild_tensor_v2
for name in ("FloatStorage", "HalfStorage"):
    cls = type(name, (), {"__module__": "torch"})
    setattr(torch, name, cls)


class Storage:
    def __init__(self, key, numel, kind="FloatStorage"):
        self.key, self.numel, self.kind = key, numel, kind


class Tensor:
    def __init__(self, key, shape, kind="FloatStorage"):
        self.shape = tuple(shape)
        self.stride = tuple(int(x) for x in _strides(shape))
        numel = 1
        for s in shape:
            numel *= s
        self.storage = Storage(str(key), numel, kind)

    def __reduce__(self):
        return (_rebuild_tensor_v2,
                (self.storage, 0, self.shape, self.stride, False, collections.OrderedDict()))


def _strides(shape):
    out, acc = [], 1
    for s in reversed(shape):
        out.append(acc)
        acc *= s
    return reversed(out)


class TorchPickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", getattr(torch, obj.kind), obj.key, "cpu", obj.numel)
        return None


def dumps(obj):
    import io
    buf = io.BytesIO()
    TorchPickler(buf, protocol=2).dump(obj)
    return buf.getvalue()


def module_class(qualified):
    module, name = qualified.rsplit(".", 1)
    parts = module.split(".")
    for i in range(1, len(parts) + 1):  # "__torch__", "__torch__.util", ...: importable packages
        dotted = ".".join(parts[:i])
        if dotted not in sys.modules:
            sys.modules[dotted] = types.ModuleType(dotted)
            sys.modules[dotted].__path__ = []
            if i > 1:
                setattr(sys.modules[".".join(parts[: i - 1])], parts[i - 1], sys.modules[dotted])
    cls = type(name, (), {"__module__": module})
    setattr(sys.modules[module], name, cls)
    return cls


def module(qualified, **attributes):
    obj = module_class(qualified)()
    obj.__dict__.update({"training": False, "_is_full_backward_hook": None, **attributes})
    return obj


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def png(width, height, channels, depth):
    color = {3: 2, 4: 6}[channels]
    row = bytes(range(width * channels * depth // 8))[: width * channels * depth // 8]
    raw = b"".join(b"\x00" + row for _ in range(height))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    ihdr = struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def bmp(width, height):
    row = bytes(3 * width) + bytes((4 - 3 * width % 4) % 4)
    pixels = row * height
    header = struct.pack("<2sIHHI", b"BM", 54 + len(pixels), 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    return header + info + pixels


def safetensors(tensors, metadata):
    header, blob = {"__metadata__": metadata}, b""
    for name, values in tensors.items():
        data = struct.pack("<%df" % len(values), *values)
        header[name] = {"dtype": "F32", "shape": [len(values)], "data_offsets": [len(blob), len(blob) + len(data)]}
        blob += data
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + blob


def main(out):
    # A RIFE-like state dict: OrderedDict of module.-prefixed tensors, as flownet.pkl.
    state = collections.OrderedDict()
    for i, shape in enumerate([(4, 3, 3, 3), (4,), (1, 4, 1, 1), (2, 2, 2, 2)]):
        state["module.block%d.conv%d.weight" % (i // 2, i)] = Tensor(i, shape)
    write(f"{out}/pickle/state_dict", dumps(state))
    write(f"{out}/pickle/nested", dumps({"model": {"a": Tensor(0, (8,)), "b": [Tensor(1, (2, 3))]}, "epoch": 3}))
    write(f"{out}/pickle/half", dumps(collections.OrderedDict(w=Tensor(2, (16,), "HalfStorage"))))
    # A FILM-like TorchScript module tree: objects rebuilt with NEWOBJ + BUILD.
    conv = module("__torch__.util.Conv2d", weight=Tensor(0, (4, 3, 3, 3)), bias=Tensor(1, (4,)))
    seq = module("__torch__.torch.nn.modules.container.Sequential", **{"0": conv})
    tree = module("__torch__.interpolator.Interpolator", pyramid_levels=7,
                  extract=module("__torch__.feature_extractor.FeatureExtractor", sub_levels=4,
                                 convs=module("__torch__.torch.nn.modules.container.ModuleList", **{"0": seq})),
                  fuse=module("__torch__.fusion.Fusion", output_conv=conv))
    write(f"{out}/film_archive/interpolator", dumps(tree))
    write(f"{out}/safetensors/small", safetensors({"a.weight": [1.0, 2.0, 3.0], "b": [0.5] * 8},
                                                  {"interp.arch": "rife", "interp.variant": "rife-v4.6"}))
    write(f"{out}/image/rgb8.png", png(5, 4, 3, 8))
    write(f"{out}/image/rgba16.png", png(3, 3, 4, 16))
    write(f"{out}/image/rgb.bmp", bmp(5, 3))


if __name__ == "__main__":
    main(sys.argv[1])
