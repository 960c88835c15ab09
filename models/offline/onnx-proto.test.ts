import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { OnnxGraph, ProtoWriter } from './onnx-proto.js';

describe('ProtoWriter (protobuf wire format)', () => {
  it('encodes varints, negative int64, floats, strings and nested messages as the encoding guide specifies', () => {
    expect(Array.from(new ProtoWriter().int(1, 150).finish())).toEqual([0x08, 0x96, 0x01]);
    // -1 as int64: ten bytes of two's complement
    expect(Array.from(new ProtoWriter().int(3, -1).finish())).toEqual([0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(Array.from(new ProtoWriter().string(2, 'testing').finish())).toEqual([0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67]);
    expect(Array.from(new ProtoWriter().float(2, 1).finish())).toEqual([0x15, 0x00, 0x00, 0x80, 0x3f]);
    const inner = new ProtoWriter().int(1, 150);
    expect(Array.from(new ProtoWriter().message(3, inner).finish())).toEqual([0x1a, 0x03, 0x08, 0x96, 0x01]);
  });
});

describe('OnnxGraph → onnxruntime-node', () => {
  it('builds a small graph that onnxruntime runs with the right numbers', async () => {
    // y = LayerNorm(Relu(Gather(E, ids) @ W + b)) · softmax over the last axis; exercises int64 and float
    // initializers, int, float and ints attributes (negative values included), dynamic dims
    const g = new OnnxGraph('tiny');
    const ids = g.input('ids', 'int64', ['batch']);
    const E = g.f32('E', [3, 2], [1, 2, 3, 4, -5, 6]);
    const W = g.f32('W', [2, 3], [1, 0, -1, 0, 1, 2]);
    const b = g.f32('b', [3], [0.5, -0.5, 0]);
    const scale = g.f32('scale', [3], [1, 2, 3]);
    const bias = g.f32('bias', [3], [0, 0, 1]);
    const x = g.node('Gather', [E, ids], { axis: 0 });
    const h = g.node('Relu', [g.node('Add', [g.node('MatMul', [x, W]), b])]);
    const ln = g.node('LayerNormalization', [h, scale, bias], { axis: -1, epsilon: { float: 1e-5 } });
    const t = g.node('Transpose', [g.node('Unsqueeze', [ln, g.i64('ax', [1], [0])])], { perm: [0, 2, 1] });
    const y = g.node('Softmax', [ln], { axis: -1 }, { outputs: ['y'] });
    g.output(y, 'float32', ['batch', 3]);
    g.output(t, 'float32', [1, 3, 'batch']);
    const session = await ort.InferenceSession.create(g.toModel({ opset: 17 }));
    try {
      const out = await session.run({ ids: new ort.Tensor('int64', BigInt64Array.from([2n, 0n]), [2]) });
      // reference in plain JS
      const rows = [[-5, 6], [1, 2]];
      const Wm = [[1, 0, -1], [0, 1, 2]];
      const expected: number[][] = [];
      for (const r of rows) {
        const hv = [0, 1, 2].map((j) => Math.max(0, r[0] * Wm[0][j] + r[1] * Wm[1][j] + [0.5, -0.5, 0][j]));
        const mean = hv.reduce((a, c) => a + c, 0) / 3;
        const variance = hv.reduce((a, c) => a + (c - mean) ** 2, 0) / 3;
        const lnv = hv.map((v, j) => ((v - mean) / Math.sqrt(variance + 1e-5)) * [1, 2, 3][j] + [0, 0, 1][j]);
        const m = Math.max(...lnv);
        const e = lnv.map((v) => Math.exp(v - m));
        const s = e.reduce((a, c) => a + c, 0);
        expected.push(e.map((v) => v / s));
      }
      expect(out.y.dims).toEqual([2, 3]);
      const got = Array.from(out.y.data as Float32Array);
      expected.flat().forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
      expect(out[t].dims).toEqual([1, 3, 2]);
    } finally {
      await session.release();
    }
  });

  it('rejects a tensor whose data does not match its dims', () => {
    const g = new OnnxGraph();
    g.constant('bad', { dtype: 'float32', dims: [2, 2], data: new Float32Array(3) });
    expect(() => g.toModel()).toThrow(/dims \[2, 2\]/);
  });
});
