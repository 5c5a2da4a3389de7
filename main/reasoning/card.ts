import { ANOMALY_TYPE_NAMES, type AnomalyType } from '../../common/domain';
import { classify, type ShapeInput, type TypeDistribution } from './classify';
import { discordClaim, fmt, plainZClaim, range, statClaim, valueClaim, zClaim } from './claims';
import { EVIDENCE_VERSION, type Evidence, type Range, type Summary } from './evidence';

export type ClaimReference =
  | { kind: 'range'; start: number; end: number }
  | { kind: 'value'; index: number; value: number }
  | { kind: 'comparison'; inside: Range; context: Range };

export interface CardClaim {
  text: string;
  reference: ClaimReference;
}

export interface RationaleCard {
  version: number;
  type: AnomalyType;
  confidence: number;
  rule: string;
  parts: { observation: string; reasoning: string; conclusion: string };
  claims: CardClaim[];
  text: string;
  evidence: Evidence;
}

/**
 * A rationale card in three parts (observation; reasoning and validation; conclusion) written from
 * the evidence. Every number in it is a claim in the checker's grammar, tied to the range or point
 * the renderer can highlight. With the series' values (`shape`) the type comes from the shape classifier.
 * Same data and version, same card.
 */
export function buildCard(e: Evidence, learned?: TypeDistribution, shape?: ShapeInput): RationaleCard {
  const { type, confidence, rule } = classify(e, learned, shape);
  const [s, t] = e.interval;
  const claims: CardClaim[] = [];
  const say = (text: string, reference: ClaimReference) => {
    claims.push({ text, reference });
    return text;
  };
  const stat = (name: 'mean' | 'standard deviation' | 'median' | 'slope' | 'dominant period', sum: Summary) => {
    const v =
      name === 'mean'
        ? sum.mean
        : name === 'standard deviation'
          ? sum.std
          : name === 'median'
            ? sum.median
            : name === 'slope'
              ? sum.slope
              : sum.period;
    return v === null
      ? null
      : say(statClaim(name, v, sum.range[0], sum.range[1]), { kind: 'range', start: sum.range[0], end: sum.range[1] });
  };

  const obs: string[] = [
    `The interval ${say(`${range(s, t)} lasts ${e.duration} points`, { kind: 'range', start: s, end: t })}.`,
  ];
  const insideMean = stat('mean', e.inside);
  const beforeMean = e.before.count > 0 ? stat('mean', e.before) : null;
  if (insideMean) obs.push(`Inside it the ${insideMean}${beforeMean ? `, against the ${beforeMean} just before` : ''}.`);
  if (e.peak)
    obs.push(
      `The most extreme point is the ${say(valueClaim(e.peak.value, e.peak.index), { kind: 'value', index: e.peak.index, value: e.peak.value })}.`,
    );
  if (e.missingShare > 0)
    obs.push(`There is ${say(statClaim('missing', e.missingShare, s, t), { kind: 'range', start: s, end: t })}.`);

  const why: string[] = [];
  if (e.peak?.z !== null && e.peak?.z !== undefined && e.before.count > 0) {
    why.push(
      `Its ${say(zClaim(e.peak.z, e.peak.index, e.before.range[0], e.before.range[1]), { kind: 'comparison', inside: [s, t], context: e.before.range })}.`,
    );
  } else if (e.peak?.zStd !== null && e.peak?.zStd !== undefined && e.before.count > 0) {
    why.push(
      `Its ${say(plainZClaim(e.peak.zStd, e.peak.index, e.before.range[0], e.before.range[1]), { kind: 'comparison', inside: [s, t], context: e.before.range })}.`,
    );
  }
  const d = e.discord;
  if (d && d.z !== null)
    why.push(
      `Its shape is ${d.z >= 3.5 ? 'unlike' : 'close to'} the rest of the context: ${say(discordClaim(d.z, d.m, s, t, d.range[0], d.range[1]), { kind: 'comparison', inside: [s, t], context: d.range })}.`,
    );
  const sdIn = stat('standard deviation', e.inside);
  const sdBefore = e.before.count > 0 ? stat('standard deviation', e.before) : null;
  if (sdIn && sdBefore) why.push(`The spread goes from a ${sdBefore} to a ${sdIn}.`);
  const slopeIn = stat('slope', e.inside);
  const slopeBefore = e.before.count > 1 ? stat('slope', e.before) : null;
  if (slopeIn && slopeBefore && (type === 'trend-change' || type === 'level-shift'))
    why.push(`The smoothed gradient goes from a ${slopeBefore} to a ${slopeIn}.`);
  if (type === 'frequency-change') {
    const pb = stat('dominant period', e.before);
    const pi = stat('dominant period', e.inside);
    if (pb && pi) why.push(`The rhythm changes: ${pb}, then ${pi}.`);
  }
  if (e.after.count > 0 && (type === 'level-shift' || type === 'flatline')) {
    const after = stat('mean', e.after);
    if (after) why.push(`After the interval the ${after}.`);
  }
  if (e.detectors.length > 0) {
    why.push(`Flagged by ${e.detectors.map((d) => d.detectorId).join(', ')}.`);
  }
  why.push(`Check: ${rule}.`);

  const conclusion = `${ANOMALY_TYPE_NAMES[type]}, confidence ${fmt(confidence)}.`;
  const parts = { observation: obs.join(' '), reasoning: why.join(' '), conclusion };
  const text = `Observation: ${parts.observation}\nReasoning and validation: ${parts.reasoning}\nConclusion: ${parts.conclusion}`;
  return {
    version: EVIDENCE_VERSION,
    type,
    confidence,
    rule,
    parts,
    // only the claims the text ended up quoting, once each
    claims: claims.filter((c, i) => text.includes(c.text) && claims.findIndex((d) => d.text === c.text) === i),
    text,
    evidence: e,
  };
}
