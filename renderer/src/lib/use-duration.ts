// Durations as the operator should read them: in a time-scaled sandbox, the simulated time a real
// duration stands for (app:info says the scale), so "5.1 s" does not pass for a 100 s boot.
import { useCallback } from 'react';
import { useAppInfo } from '../queries/permissions';
import { simulatedDuration } from './format';

export function useDuration(): (ms: number | null | undefined) => string {
  const scale = useAppInfo().data?.simTimeScale ?? null;
  return useCallback((ms) => simulatedDuration(ms, scale), [scale]);
}
