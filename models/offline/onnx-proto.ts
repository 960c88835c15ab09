/**
 * A minimal ONNX model writer: just enough of the protobuf wire format and of the public `onnx.proto`
 * schema (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto with raw_data, ValueInfoProto,
 * OperatorSetIdProto) to build an inference graph in JavaScript and hand its bytes to onnxruntime-node.
 * Written from the specifications (protobuf encoding guide, onnx.proto field numbers); nothing is parsed.
 *
 * Usage: `const g = new OnnxGraph('name'); g.input('x', 'float32', ['batch', 4]); const y = g.node('Relu', ['x']);
 * g.output(y, 'float32', ['batch', 4]); const bytes = g.toModel({ opset: 17 });`
 */

// ---- protobuf wire format -------------------------------------------------------------------------------

const WIRE_VARINT = 0;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

/** Appends protobuf fields to a list of byte chunks; `finish()` joins them. */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.size += bytes.length;
  }

  /** Varint of a non-negative or negative integer (negative int64 values take ten bytes, two's complement). */
  private varint(value: number | bigint): void {
    let v = typeof value === 'bigint' ? value : BigInt(Math.trunc(value));
    if (v < 0n) v = BigInt.asUintN(64, v);
    const out: number[] = [];
    while (v > 0x7fn) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    this.push(Uint8Array.from(out));
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  /** int32 / int64 / enum field (varint). */
  int(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT);
    this.varint(value);
    return this;
  }

  /** float field (fixed32, little-endian). */
  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.push(b);
    return this;
  }

  /** bytes field. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LEN);
    this.varint(value.length);
    this.push(value);
    return this;
  }

  /** string field (UTF-8). */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** embedded message field. */
  message(field: number, inner: ProtoWriter): this {
    this.tag(field, WIRE_LEN);
    this.varint(inner.size);
    for (const c of inner.chunks) this.push(c);
    return this;
  }

  get length(): number {
    return this.size;
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let off = 0;
    for (const c of this.chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }
}

// ---- ONNX schema ------------------------------------------------------------------------------------------

/** TensorProto.DataType values used here. */
export const DataType = { float32: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9 } as const;
export type DType = keyof typeof DataType;

/** AttributeProto.AttributeType values. */
const AttrType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

export type TensorData = Float32Array | Int32Array | BigInt64Array | Uint8Array | Int8Array;

export interface Tensor {
  dtype: DType;
  dims: number[];
  data: TensorData;
}

/** One attribute value: a number is an INT when integral unless wrapped with `{ float }`. */
export type AttrValue = number | bigint | string | { float: number } | number[] | { floats: number[] } | Tensor;

const isTensor = (v: AttrValue): v is Tensor => typeof v === 'object' && v !== null && 'dims' in v && 'data' in v;

/** Bytes of a typed array, little-endian (the platforms onnxruntime-node ships for are little-endian). */
function rawBytes(data: TensorData): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function elementCount(dims: number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

const BYTES_PER: Record<DType, number> = { float32: 4, uint8: 1, int8: 1, int32: 4, int64: 8, bool: 1 };

/** TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9. */
export function tensorProto(name: string, t: Tensor): ProtoWriter {
  const n = elementCount(t.dims);
  if (t.data.byteLength !== n * BYTES_PER[t.dtype]) {
    throw new Error(`tensor ${name}: ${t.data.byteLength} bytes for dims [${t.dims.join(', ')}] of ${t.dtype}`);
  }
  const w = new ProtoWriter();
  for (const d of t.dims) w.int(1, d);
  w.int(2, DataType[t.dtype]);
  if (name) w.string(8, name);
  w.bytes(9, rawBytes(t.data));
  return w;
}

/** AttributeProto: name = 1, f = 2, i = 3, s = 4, t = 5, floats = 7, ints = 8, type = 20. */
function attributeProto(name: string, v: AttrValue): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  if (typeof v === 'number' || typeof v === 'bigint') {
    if (typeof v === 'number' && !Number.isInteger(v)) throw new Error(`attribute ${name}: use { float: ${v} } for floats`);
    w.int(3, v).int(20, AttrType.INT);
  } else if (typeof v === 'string') {
    w.string(4, v).int(20, AttrType.STRING);
  } else if (Array.isArray(v)) {
    for (const x of v) w.int(8, x);
    w.int(20, AttrType.INTS);
  } else if (isTensor(v)) {
    w.message(5, tensorProto('', v)).int(20, AttrType.TENSOR);
  } else if ('floats' in v) {
    for (const x of v.floats) w.float(7, x);
    w.int(20, AttrType.FLOATS);
  } else {
    w.float(2, v.float).int(20, AttrType.FLOAT);
  }
  return w;
}

/** ValueInfoProto { name = 1, type = 2: TypeProto { tensor_type = 1: { elem_type = 1, shape = 2: { dim = 1 } } } }. */
function valueInfoProto(name: string, dtype: DType, shape: Array<number | string>): ProtoWriter {
  const shapeW = new ProtoWriter();
  for (const d of shape) {
    // Dimension: dim_value = 1 (int64), dim_param = 2 (string)
    shapeW.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  }
  const tensorType = new ProtoWriter().int(1, DataType[dtype]).message(2, shapeW);
  const typeW = new ProtoWriter().message(1, tensorType);
  return new ProtoWriter().string(1, name).message(2, typeW);
}

interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attrs: Record<string, AttrValue>;
  domain: string;
}

interface IoSpec {
  name: string;
  dtype: DType;
  shape: Array<number | string>;
}

/**
 * A graph under construction. Names are plain strings; `node()` invents output names when none are given and
 * returns the first output's name, so graphs read like expressions.
 */
export class OnnxGraph {
  private readonly nodes: NodeSpec[] = [];
  private readonly initializers: Array<{ name: string; t: Tensor }> = [];
  private readonly inputs: IoSpec[] = [];
  private readonly outputs: IoSpec[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(readonly name = 'graph') {}

  private fresh(base: string): string {
    let n = `${base}_${this.counter++}`;
    while (this.names.has(n)) n = `${base}_${this.counter++}`;
    this.names.add(n);
    return n;
  }

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`duplicate value name ${name}`);
    this.names.add(name);
    return name;
  }

  input(name: string, dtype: DType, shape: Array<number | string>): string {
    this.inputs.push({ name: this.claim(name), dtype, shape });
    return name;
  }

  output(name: string, dtype: DType, shape: Array<number | string>): void {
    this.outputs.push({ name, dtype, shape });
  }

  /** A constant tensor (graph initializer); returns its name. */
  constant(name: string, t: Tensor): string {
    const n = this.claim(name);
    this.initializers.push({ name: n, t });
    return n;
  }

  f32(name: string, dims: number[], values: ArrayLike<number>): string {
    return this.constant(name, { dtype: 'float32', dims, data: Float32Array.from(values) });
  }

  i64(name: string, dims: number[], values: ArrayLike<number>): string {
    return this.constant(name, { dtype: 'int64', dims, data: BigInt64Array.from(Array.from(values), (x) => BigInt(x)) });
  }

  /** Adds one node; returns its outputs' names (first one as a string when `outputs` is a number ≤ 1). */
  node(op: string, inputs: string[], attrs: Record<string, AttrValue> = {}, opts: { outputs?: number | string[]; name?: string; domain?: string } = {}): string {
    return this.nodeMulti(op, inputs, attrs, opts)[0];
  }

  nodeMulti(op: string, inputs: string[], attrs: Record<string, AttrValue> = {}, opts: { outputs?: number | string[]; name?: string; domain?: string } = {}): string[] {
    const base = opts.name ?? op;
    const outputs = Array.isArray(opts.outputs)
      ? opts.outputs.map((o) => this.claim(o))
      : Array.from({ length: opts.outputs ?? 1 }, () => this.fresh(base));
    this.nodes.push({ op, inputs, outputs, name: this.fresh(`${base}_node`), attrs, domain: opts.domain ?? '' });
    return outputs;
  }

  /** GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12. */
  private graphProto(): ProtoWriter {
    const g = new ProtoWriter();
    for (const n of this.nodes) {
      // NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5, domain = 7
      const w = new ProtoWriter();
      for (const i of n.inputs) w.string(1, i);
      for (const o of n.outputs) w.string(2, o);
      w.string(3, n.name).string(4, n.op);
      for (const [k, v] of Object.entries(n.attrs)) w.message(5, attributeProto(k, v));
      if (n.domain) w.string(7, n.domain);
      g.message(1, w);
    }
    g.string(2, this.name);
    for (const { name, t } of this.initializers) g.message(5, tensorProto(name, t));
    for (const i of this.inputs) g.message(11, valueInfoProto(i.name, i.dtype, i.shape));
    for (const o of this.outputs) g.message(12, valueInfoProto(o.name, o.dtype, o.shape));
    return g;
  }

  /**
   * ModelProto bytes: ir_version = 1, producer_name = 2, graph = 7, opset_import = 8 ({ domain = 1, version = 2 }).
   * IR version 8 goes with opsets up to 18.
   */
  toModel(opts: { opset?: number; irVersion?: number; producer?: string } = {}): Uint8Array {
    const m = new ProtoWriter();
    m.int(1, opts.irVersion ?? 8);
    m.string(2, opts.producer ?? 'plenary');
    m.message(7, this.graphProto());
    m.message(8, new ProtoWriter().string(1, '').int(2, opts.opset ?? 17));
    return m.finish();
  }
}
