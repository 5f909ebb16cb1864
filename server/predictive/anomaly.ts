import type { PredictiveConfig } from './config.ts';

/** A stretch of readings unlike the equipment's own history, below alarm or not. */
export interface Episode {
  start: number;
  end: number;
  indicator: string;
  pump: number | null;
  /** Peak |EWMA of the robust z-score|. */
  score: number;
  direction: 'high' | 'low';
}

export interface AnomalyState {
  ewma: number;
  lastAt: number | null;
  open: { start: number; peak: number; direction: 'high' | 'low' } | null;
}

export function newAnomaly(): AnomalyState {
  return { ewma: 0, lastAt: null, open: null };
}

const Z_CLIP = 50;

/**
 * EWMA chart of robust z-scores with time-based smoothing (the same behaviour at 1 s and 60 s
 * sampling), hysteresis between `anomalyOnZ` and `anomalyOffZ`. Returns the episode that just ended.
 */
export function updateAnomaly(
  state: AnomalyState,
  at: number,
  z: number,
  config: PredictiveConfig,
  label: { indicator: string; pump: number | null },
): Episode | undefined {
  const clipped = Math.max(-Z_CLIP, Math.min(Z_CLIP, z));
  const dt = state.lastAt === null ? config.anomalyTauMs : Math.max(0, at - state.lastAt);
  // After a long gap (pump stopped) the chart restarts from the new reading rather than the old state.
  const alpha = dt >= 4 * config.anomalyTauMs ? 1 : 1 - Math.exp(-dt / config.anomalyTauMs);
  state.ewma += alpha * (clipped - state.ewma);
  state.lastAt = at;
  const size = Math.abs(state.ewma);
  if (!state.open) {
    if (size >= config.anomalyOnZ) {
      state.open = { start: at, peak: size, direction: state.ewma > 0 ? 'high' : 'low' };
    }
    return undefined;
  }
  state.open.peak = Math.max(state.open.peak, size);
  if (size >= config.anomalyOffZ) return undefined;
  const { start, peak, direction } = state.open;
  state.open = null;
  if (at - start < config.anomalyMinMs) return undefined;
  return { start, end: at, ...label, score: round(peak), direction };
}

/** The episode still open at `at`, if any (for reports at the end of the data). */
export function openEpisode(
  state: AnomalyState,
  at: number,
  label: { indicator: string; pump: number | null },
): Episode | undefined {
  if (!state.open) return undefined;
  return {
    start: state.open.start,
    end: at,
    ...label,
    score: round(state.open.peak),
    direction: state.open.direction,
  };
}

const round = (v: number) => Math.round(v * 100) / 100;
