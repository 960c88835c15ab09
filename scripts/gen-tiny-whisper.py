#!/usr/bin/python3
"""Writes a tiny RANDOM-weight Whisper model in whisper.cpp's ggml file format, for testing the
whisper.cpp adapter offline (no real weights can be downloaded here). Its transcripts are garbage by
design; it exercises loading, inference, segment shapes and error paths with the real native library.

Layout written (little-endian), as read by whisper.cpp's whisper_model_load:
  uint32 magic 'ggml' (0x67676d6c)
  int32 x 11 hparams: n_vocab, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer,
                      n_text_ctx, n_text_state, n_text_head, n_text_layer, n_mels, ftype
  mel filters: int32 n_mel, int32 n_fft (bins), float32[n_mel * n_fft]
  vocab: int32 count, then per token uint32 length + bytes (the loader fills the special tokens
         after the count up to n_vocab itself)
  tensors until EOF: int32 n_dims, int32 name length, int32 type (0 = f32, 1 = f16),
         int32 ne[n_dims] (fastest-varying dimension first), name bytes, raw data
Tensor types follow the loader: 1-D tensors, conv biases and positional embeddings in f32, the rest
in f16 (ftype 1).

Usage: /usr/bin/python3 scripts/gen-tiny-whisper.py OUT.bin [--seed 1] [--state 64] [--layers 1] [--english-only]
"""
import argparse
import struct

import numpy as np

MAGIC = 0x67676D6C


def mel_filterbank(n_mels: int, n_fft: int = 400, sr: int = 16000) -> np.ndarray:
    """Triangular filters on the HTK mel scale over the n_fft/2+1 FFT bins (shape n_mels x bins)."""
    bins = n_fft // 2 + 1
    freqs = np.linspace(0, sr / 2, bins)
    mel = lambda f: 2595.0 * np.log10(1.0 + f / 700.0)
    inv = lambda m: 700.0 * (10 ** (m / 2595.0) - 1.0)
    edges = inv(np.linspace(mel(0.0), mel(sr / 2), n_mels + 2))
    fb = np.zeros((n_mels, bins), dtype=np.float32)
    for i in range(n_mels):
        lo, mid, hi = edges[i], edges[i + 1], edges[i + 2]
        up = (freqs - lo) / max(mid - lo, 1e-9)
        down = (hi - freqs) / max(hi - mid, 1e-9)
        fb[i] = np.maximum(0.0, np.minimum(up, down)) * (2.0 / (hi - lo))  # area-normalised
    return fb


def vocab_tokens(count: int) -> list:
    """ASCII-only stand-in tokens (valid UTF-8 whatever the model emits); index 50256 empty as in the multilingual vocab."""
    out = []
    for i in range(count):
        if i == 50256:
            out.append(b"")
        elif 33 <= i <= 126:
            out.append(bytes([i]))
        elif i < 256:
            out.append(b" ")
        else:
            out.append((" w%d" % i).encode("ascii"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--state", type=int, default=64, help="n_audio_state = n_text_state")
    ap.add_argument("--heads", type=int, default=2)
    ap.add_argument("--layers", type=int, default=1, help="encoder and decoder layers")
    ap.add_argument("--english-only", action="store_true", help="n_vocab 51864 (.en model) instead of 51865")
    a = ap.parse_args()

    rng = np.random.default_rng(a.seed)
    n_vocab = 51864 if a.english_only else 51865
    n_audio_ctx, n_text_ctx, n_mels = 1500, 448, 80
    s, h, L = a.state, a.heads, a.layers
    assert s % h == 0, "state must be divisible by heads"
    ftype = 1  # f16 for the large matrices

    tensors = []  # (name, array, type)

    def w(name, shape, scale=0.02):
        tensors.append((name, (rng.standard_normal(shape) * scale).astype(np.float16), 1))

    def f32(name, arr):
        tensors.append((name, np.asarray(arr, dtype=np.float32), 0))

    def ln(prefix):
        f32(prefix + ".weight", np.ones(s))
        f32(prefix + ".bias", np.zeros(s))

    def attn(prefix):
        w(prefix + ".query.weight", (s, s))
        f32(prefix + ".query.bias", rng.standard_normal(s) * 0.02)
        w(prefix + ".key.weight", (s, s))
        w(prefix + ".value.weight", (s, s))
        f32(prefix + ".value.bias", rng.standard_normal(s) * 0.02)
        w(prefix + ".out.weight", (s, s))
        f32(prefix + ".out.bias", rng.standard_normal(s) * 0.02)

    def mlp(prefix):
        ln(prefix + ".mlp_ln")
        w(prefix + ".mlp.0.weight", (4 * s, s))
        f32(prefix + ".mlp.0.bias", rng.standard_normal(4 * s) * 0.02)
        w(prefix + ".mlp.2.weight", (s, 4 * s))
        f32(prefix + ".mlp.2.bias", rng.standard_normal(s) * 0.02)

    def sinusoids(length, channels):
        half = channels // 2
        inv = np.exp(-np.log(10000) / (half - 1) * np.arange(half))
        t = np.arange(length)[:, None] * inv[None, :]
        return np.concatenate([np.sin(t), np.cos(t)], axis=1)

    # encoder
    f32("encoder.positional_embedding", sinusoids(n_audio_ctx, s))
    w("encoder.conv1.weight", (s, n_mels, 3), 0.1)
    f32("encoder.conv1.bias", np.zeros((s, 1)))
    w("encoder.conv2.weight", (s, s, 3), 0.1)
    f32("encoder.conv2.bias", np.zeros((s, 1)))
    for i in range(L):
        p = "encoder.blocks.%d" % i
        ln(p + ".attn_ln")
        attn(p + ".attn")
        mlp(p)
    ln("encoder.ln_post")
    # decoder
    f32("decoder.positional_embedding", rng.standard_normal((n_text_ctx, s)) * 0.01)
    w("decoder.token_embedding.weight", (n_vocab, s))
    for i in range(L):
        p = "decoder.blocks.%d" % i
        ln(p + ".attn_ln")
        attn(p + ".attn")
        ln(p + ".cross_attn_ln")
        attn(p + ".cross_attn")
        mlp(p)
    ln("decoder.ln")

    with open(a.out, "wb") as f:
        f.write(struct.pack("<I", MAGIC))
        f.write(struct.pack("<11i", n_vocab, n_audio_ctx, s, h, L, n_text_ctx, s, h, L, n_mels, ftype))
        fb = mel_filterbank(n_mels)
        f.write(struct.pack("<ii", fb.shape[0], fb.shape[1]))
        f.write(fb.astype("<f4").tobytes())
        toks = vocab_tokens(50257)
        f.write(struct.pack("<i", len(toks)))
        for t in toks:
            f.write(struct.pack("<I", len(t)))
            f.write(t)
        for name, arr, typ in tensors:
            nb = name.encode("ascii")
            dims = arr.shape[::-1]  # ggml order: fastest-varying first
            f.write(struct.pack("<iii", len(dims), len(nb), typ))
            f.write(struct.pack("<%di" % len(dims), *dims))
            f.write(nb)
            f.write(np.ascontiguousarray(arr).astype("<f2" if typ == 1 else "<f4").tobytes())


if __name__ == "__main__":
    main()
