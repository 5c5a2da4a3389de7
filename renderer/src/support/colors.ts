import type { AnomalyType } from '../../../common/domain';

/** One colour per anomaly type, used for label bands and chips. */
export const TYPE_COLORS: Record<AnomalyType, string> = {
  'global-point': '#e5484d',
  'contextual-point': '#f76b15',
  'level-shift': '#8e4ec6',
  'trend-change': '#3e63dd',
  'frequency-change': '#12a594',
  'variance-change': '#d6409f',
  shapelet: '#ab6400',
  flatline: '#687076',
  dropout: '#0d74ce',
  unknown: '#e54666',
};

export function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
