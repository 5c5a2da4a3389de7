/**
 * The row positions a claim of the rationale grammar names ("mean 79.1 over [2126, 2693)", "value 48.4 at
 * index 2172", "z-score -3.39 at index 2172 against [425, 2126)"), in the order written, so the card can show
 * their times beside them while the text stays exactly what the faithfulness checker reads. Pure.
 */
export type Mention = { kind: 'range'; start: number; end: number } | { kind: 'index'; index: number };

const MENTION = /\[(\d+), (\d+)\)|\bindex (\d+)\b/g;

export function indexMentions(text: string): Mention[] {
  const out: Mention[] = [];
  for (const m of text.matchAll(MENTION)) {
    if (m[3] !== undefined) out.push({ kind: 'index', index: Number(m[3]) });
    else out.push({ kind: 'range', start: Number(m[1]), end: Number(m[2]) });
  }
  return out;
}
