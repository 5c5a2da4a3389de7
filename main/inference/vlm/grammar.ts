import { ANSWER_CLASSES, BOS, EOS, LOC0, LOCATIONS, VOCAB } from './tokenizer';

const id = (t: string) => VOCAB.indexOf(t);
const ANSWER = id('<answer>');
const ANSWER_END = id('</answer>');
const CLASS = id('<class>');
const CLASS_END = id('</class>');
const OPEN = id('[');
const CLOSE = id(']');
const COMMA = id(', ');
const CLASSES = ANSWER_CLASSES.map(id);
const LOCS = Array.from({ length: LOCATIONS }, (_, j) => LOC0 + j);

/**
 * The answer grammar as a token automaton: `<answer>[` then pairs `[<loc_a>, <loc_b>]` (b ≥ a, later
 * pairs after earlier ones) separated by ", ", `]</answer><class>`, one class name, `</class>`, <eos>.
 * Greedy decoding takes the best allowed token, so the decoder always writes a readable answer.
 */
export class AnswerGrammar {
  private prev: number[] = [BOS];
  private lastLoc = -1;

  allowed(): readonly number[] {
    const p = this.prev;
    const last = p[p.length - 1];
    const before = p[p.length - 2];
    if (last === BOS) return [ANSWER];
    if (last === ANSWER) return [OPEN];
    if (last === OPEN && before === ANSWER) return [OPEN, CLOSE];
    if (last === OPEN) return LOCS.filter((t) => t - LOC0 > this.lastLoc || this.lastLoc < 0);
    if (last >= LOC0) return before === OPEN ? [COMMA] : [CLOSE];
    if (last === COMMA && before !== undefined && before >= LOC0) return LOCS.filter((t) => t - LOC0 >= this.lastLoc);
    if (last === COMMA) return [OPEN];
    if (last === CLOSE && before !== undefined && before >= LOC0) return this.lastLoc >= LOCATIONS - 1 ? [CLOSE] : [COMMA, CLOSE];
    if (last === CLOSE) return [ANSWER_END];
    if (last === ANSWER_END) return [CLASS];
    if (last === CLASS) return CLASSES;
    if (CLASSES.includes(last)) return [CLASS_END];
    return [EOS];
  }

  push(token: number): void {
    if (token >= LOC0) this.lastLoc = token - LOC0;
    this.prev.push(token);
  }
}
