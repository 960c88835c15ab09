/** Minimal RIFF/WAVE writer: mono 16-bit PCM, the input format pocketsphinx and whisper.cpp expect. */

/** Encodes float samples in [-1, 1] (clipped) as a mono 16-bit PCM WAV file. */
export function encodeWav16(samples: Float32Array, sampleRate = 16000): Buffer {
  const dataBytes = samples.length * 2;
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16); // fmt chunk size
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * 2, 28); // byte rate
  buf.writeUInt16LE(2, 32); // block align
  buf.writeUInt16LE(16, 34); // bits per sample
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
  const pcm = floatToInt16(samples);
  Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).copy(buf, 44);
  return buf;
}

/** Float samples in [-1, 1] → signed 16-bit PCM (clipped, rounded). */
export function floatToInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i];
    const c = v > 1 ? 1 : v < -1 ? -1 : Number.isNaN(v) ? 0 : v;
    const s = Math.round(c * 0x8000);
    out[i] = s > 0x7fff ? 0x7fff : s;
  }
  return out;
}
