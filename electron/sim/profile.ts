import { DEFAULT_PROGRESS_SHAPE, PROGRESS_SHAPES, type ProgressShape, isProgressShape } from './hetzner/progress';

/** A [min, max] range in simulated seconds; each occurrence draws uniformly from it. */
export type Range = readonly [number, number];

/**
 * How long things take, in simulated seconds (multiplied by the time scale). Defaults follow what
 * the references report for Hetzner and Tailscale, so sandbox mode feels like the real thing.
 */
export interface TimeProfile {
  /** The create_server action. */
  createServer: Range;
  /** The start_server action, counted from the end of create_server. */
  startServer: Range;
  /** From `running` to the device registering (boot, cloud-init, apt, `tailscale up`). */
  enrollment: Range;
  /** The delete_server action. */
  deleteServer: Range;
  /** How long an offline ephemeral device lingers before the coordination server reaps it. */
  ephemeralReap: Range;
  /** Lifetime of an OAuth access token (`expires_in`). */
  tokenLifetime: Range;
  /** How actions' `progress` moves (hetzner/progress.ts); changeable at run time via `/_sim/progress`. */
  progress: ProgressShape;
}

export const DEFAULT_PROFILE: TimeProfile = {
  createServer: [10, 30],
  startServer: [3, 10],
  enrollment: [30, 90],
  deleteServer: [5, 15],
  ephemeralReap: [1800, 1800],
  tokenLifetime: [3600, 3600],
  progress: DEFAULT_PROGRESS_SHAPE,
};

export function resolveProfile(partial: Partial<TimeProfile> | undefined): TimeProfile {
  const out: TimeProfile = { ...DEFAULT_PROFILE };
  const { progress, ...ranges } = partial ?? {};
  if (progress !== undefined) {
    if (!isProgressShape(progress)) throw new RangeError(`profile.progress must be one of ${PROGRESS_SHAPES.join(', ')}`);
    out.progress = progress;
  }
  for (const [key, value] of Object.entries(ranges) as [Exclude<keyof TimeProfile, 'progress'>, Range | undefined][]) {
    if (value === undefined) continue;
    const [min, max] = value;
    if (!(min >= 0) || !(max >= min)) throw new RangeError(`profile.${key} must be [min, max] with 0 <= min <= max`);
    out[key] = [min, max];
  }
  return out;
}
