/**
 * A minimal ONNX (protobuf) writer: enough of ModelProto to describe small graphs of standard and
 * ai.onnx.ml operators with float/int/string (list) attributes and float initializers. Field numbers are
 * those of onnx/onnx.proto (IR version 8). Written here so a verifier fitted in TypeScript becomes an
 * ONNX model without Python.
 */

class ProtoWriter {
  private readonly chunks: number[] = [];

  private varint(v: number | bigint): void {
    let x = BigInt.asUintN(64, BigInt(v));
    while (x >= 0x80n) {
      this.chunks.push(Number((x & 0x7fn) | 0x80n));
      x >>= 7n;
    }
    this.chunks.push(Number(x));
  }

  private key(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  int(field: number, v: number): this {
    this.key(field, 0);
    this.varint(v);
    return this;
  }

  float(field: number, v: number): this {
    this.key(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.chunks.push(...b);
    return this;
  }

  bytes(field: number, data: Uint8Array): this {
    this.key(field, 2);
    this.varint(data.length);
    for (const x of data) this.chunks.push(x);
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  message(field: number, m: ProtoWriter): this {
    return this.bytes(field, m.finish());
  }

  packedInts(field: number, values: readonly number[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    return this.bytes(field, inner.finish());
  }

  packedFloats(field: number, values: readonly number[]): this {
    const b = new Uint8Array(values.length * 4);
    const view = new DataView(b.buffer);
    values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    return this.bytes(field, b);
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

export type AttributeValue =
  number | string | { ints: readonly number[] } | { floats: readonly number[] } | { strings: readonly string[] };

export interface OnnxNode {
  op: string;
  domain?: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  attributes?: Record<string, AttributeValue>;
  /** attribute names whose plain number is a float (else integers are written as INT) */
  floatAttributes?: readonly string[];
}

export interface OnnxTensor {
  name: string;
  dims: number[];
  floats: readonly number[];
}

export interface OnnxValue {
  name: string;
  /** a number is a fixed size, a string a symbolic one */
  shape: (number | string)[];
}

export interface OnnxModel {
  producer: string;
  graphName: string;
  nodes: OnnxNode[];
  initializers?: OnnxTensor[];
  inputs: OnnxValue[];
  outputs: OnnxValue[];
  /** e.g. { '': 17, 'ai.onnx.ml': 3 } */
  opsets: Record<string, number>;
  metadata?: Record<string, string>;
}

const FLOAT = 1;
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

function attribute(name: string, value: AttributeValue, asFloat: boolean): ProtoWriter {
  const a = new ProtoWriter().string(1, name);
  if (typeof value === 'number') {
    if (asFloat) a.float(2, value).int(20, ATTR.FLOAT);
    else a.int(3, value).int(20, ATTR.INT);
  } else if (typeof value === 'string') a.string(4, value).int(20, ATTR.STRING);
  else if ('ints' in value) a.packedInts(8, value.ints).int(20, ATTR.INTS);
  else if ('floats' in value) a.packedFloats(7, value.floats).int(20, ATTR.FLOATS);
  else {
    for (const s of value.strings) a.string(9, s);
    a.int(20, ATTR.STRINGS);
  }
  return a;
}

function valueInfo(v: OnnxValue): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.shape) shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensorType = new ProtoWriter().int(1, FLOAT).message(2, shape);
  return new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensorType));
}

/** The serialized ModelProto (deterministic: same input, same bytes). */
export function encodeOnnxModel(m: OnnxModel): Uint8Array {
  const graph = new ProtoWriter();
  m.nodes.forEach((n, k) => {
    const node = new ProtoWriter();
    for (const i of n.inputs) node.string(1, i);
    for (const o of n.outputs) node.string(2, o);
    node.string(3, n.name ?? `${n.op}_${k}`).string(4, n.op);
    for (const [name, value] of Object.entries(n.attributes ?? {}))
      node.message(5, attribute(name, value, n.floatAttributes?.includes(name) ?? false));
    if (n.domain) node.string(7, n.domain);
    graph.message(1, node);
  });
  graph.string(2, m.graphName);
  for (const t of m.initializers ?? []) {
    const tensor = new ProtoWriter();
    for (const d of t.dims) tensor.int(1, d);
    tensor.int(2, FLOAT).packedFloats(4, t.floats).string(8, t.name);
    graph.message(5, tensor);
  }
  for (const v of m.inputs) graph.message(11, valueInfo(v));
  for (const v of m.outputs) graph.message(12, valueInfo(v));

  const model = new ProtoWriter().int(1, 8).string(2, m.producer).string(3, '1');
  for (const [domain, version] of Object.entries(m.opsets)) {
    const op = new ProtoWriter();
    if (domain) op.string(1, domain);
    model.message(8, op.int(2, version));
  }
  model.message(7, graph);
  for (const [key, value] of Object.entries(m.metadata ?? {}))
    model.message(14, new ProtoWriter().string(1, key).string(2, value));
  return model.finish();
}
