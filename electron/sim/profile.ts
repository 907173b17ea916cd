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
}

export const DEFAULT_PROFILE: TimeProfile = {
  createServer: [10, 30],
  startServer: [3, 10],
  enrollment: [30, 90],
  deleteServer: [5, 15],
  ephemeralReap: [1800, 1800],
  tokenLifetime: [3600, 3600],
};

export function resolveProfile(partial: Partial<TimeProfile> | undefined): TimeProfile {
  const out: TimeProfile = { ...DEFAULT_PROFILE };
  for (const [key, value] of Object.entries(partial ?? {}) as [keyof TimeProfile, Range | undefined][]) {
    if (value === undefined) continue;
    const [min, max] = value;
    if (!(min >= 0) || !(max >= min)) throw new RangeError(`profile.${key} must be [min, max] with 0 <= min <= max`);
    out[key] = [min, max];
  }
  return out;
}
