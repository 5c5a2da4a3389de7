/** Splits text into plain runs and claim runs (the first occurrence of each claim, in order of appearance). */
export function segmentText(text: string, claims: readonly string[]): { text: string; claim: number | null }[] {
  const hits: { at: number; len: number; claim: number }[] = [];
  claims.forEach((c, i) => {
    const at = c ? text.indexOf(c) : -1;
    if (at >= 0) hits.push({ at, len: c.length, claim: i });
  });
  hits.sort((a, b) => a.at - b.at);
  const out: { text: string; claim: number | null }[] = [];
  let pos = 0;
  for (const h of hits) {
    if (h.at < pos) continue; // overlapping claim: keep the earlier one
    if (h.at > pos) out.push({ text: text.slice(pos, h.at), claim: null });
    out.push({ text: text.slice(h.at, h.at + h.len), claim: h.claim });
    pos = h.at + h.len;
  }
  if (pos < text.length) out.push({ text: text.slice(pos), claim: null });
  return out;
}
