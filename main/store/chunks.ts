/**
 * Typed arrays are stored as chunked little-endian blobs so a project stays whole when the source
 * file moves and a view never needs the source again. Every platform we ship on is little-endian.
 */
export const VALUE_CHUNK = 1_048_576;

export function* chunkBlobs(values: Float64Array | Float32Array, chunkSize = VALUE_CHUNK): Generator<[number, Buffer]> {
  for (let c = 0, off = 0; off < values.length; c++, off += chunkSize) {
    const part = values.subarray(off, Math.min(values.length, off + chunkSize));
    yield [c, Buffer.from(part.buffer, part.byteOffset, part.byteLength)];
  }
}

export function joinFloat64(chunks: { chunk: number; data: Buffer }[], length: number): Float64Array {
  const out = new Float64Array(length);
  const bytes = new Uint8Array(out.buffer);
  let offset = 0;
  for (const { data } of chunks) {
    bytes.set(data, offset);
    offset += data.byteLength;
  }
  if (offset !== length * 8) throw new Error(`stored chunks hold ${offset / 8} values, expected ${length}`);
  return out;
}

export function joinFloat32(chunks: { chunk: number; data: Buffer }[], length: number): Float32Array {
  const out = new Float32Array(length);
  const bytes = new Uint8Array(out.buffer);
  let offset = 0;
  for (const { data } of chunks) {
    bytes.set(data, offset);
    offset += data.byteLength;
  }
  if (offset !== length * 4) throw new Error(`stored chunks hold ${offset / 4} scores, expected ${length}`);
  return out;
}
