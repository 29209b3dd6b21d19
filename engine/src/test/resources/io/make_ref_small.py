#!/usr/bin/env python3
"""Writes ref_small.safetensors with only struct + json, independently of our Java writer.

It follows the reference Python writer's layout: "__metadata__" first, tensors sorted by element
width (widest first) then name, contiguous offsets, header space-padded to a multiple of 8.
The expected values are repeated in RefSmallInteropTest; regenerate with
    python3 make_ref_small.py   (from this directory)
"""
import json
import struct

def bf16(x):
    # Top two bytes of the float32; every value used below is exactly representable in bfloat16.
    return struct.pack('<f', x)[2:4]

tensors = {
    # name: (dtype, shape, width, raw bytes)
    'weight': ('F32', [2, 3], 4, struct.pack('<6f', 1.5, -2.25, 0.1, 3e-5, 1e6, -0.0)),
    'half': ('F16', [4], 2, struct.pack('<4e', 1.0, -2.5, 2.0 ** -14, 65504.0)),
    'bf': ('BF16', [3], 2, b''.join(bf16(v) for v in (1.0, -3.140625, 2.0 ** -10))),
    'dbl': ('F64', [2], 8, struct.pack('<2d', 3.141592653589793, -1e-3)),
    'ids': ('I64', [3], 8, struct.pack('<3q', -1, 2 ** 40, 7)),
    'i32': ('I32', [2, 2], 4, struct.pack('<4i', -2 ** 31, 2 ** 31 - 1, 0, 5)),
    'i16': ('I16', [1], 2, struct.pack('<h', -300)),
    'i8': ('I8', [2], 1, struct.pack('<2b', -128, 127)),
    'byte': ('U8', [], 1, struct.pack('<B', 200)),
    'mask': ('BOOL', [3], 1, bytes([1, 0, 1])),
    'empty': ('F32', [0, 4], 4, b''),
    'emb.\u00df': ('F32', [1], 4, struct.pack('<f', 42.0)),  # non-ASCII name, stored as raw UTF-8
}

header = {'__metadata__': {'format': 'pt', 'source': 'struct+json'}}
data = b''
for name in sorted(tensors, key=lambda n: (-tensors[n][2], n)):
    dtype, shape, _, raw = tensors[name]
    header[name] = {'dtype': dtype, 'shape': shape, 'data_offsets': [len(data), len(data) + len(raw)]}
    data += raw

text = json.dumps(header, separators=(',', ':'), ensure_ascii=False).encode('utf-8')
text += b' ' * (-len(text) % 8)
with open('ref_small.safetensors', 'wb') as f:
    f.write(struct.pack('<Q', len(text)) + text + data)
