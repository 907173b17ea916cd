// Virtual clock + sleep for loop tests: time moves only when the test advances it.
export function virtualTime(start = 1_000_000) {
  let now = start;
  const timers: { at: number; resolve: () => void }[] = [];
  const flush = async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
  };
  return {
    clock: { now: () => now },
    sleep: (ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        const t = { at: now + ms, resolve };
        timers.push(t);
        signal?.addEventListener('abort', () => {
          const i = timers.indexOf(t);
          if (i >= 0) timers.splice(i, 1);
          reject(new Error('aborted'));
        });
      }),
    /** Advances in small steps so chained sleeps fire in order. */
    async advance(ms: number, step = 50) {
      const end = now + ms;
      await flush();
      while (now < end) {
        now = Math.min(end, now + step);
        for (const t of [...timers].filter((x) => x.at <= now)) {
          timers.splice(timers.indexOf(t), 1);
          t.resolve();
        }
        await flush();
      }
    },
  };
}
