// Types for scripts/test-report.mjs (plain JS so `npm test` runs it with node alone).
export interface VitestJsonReport {
  testResults?: { name: string; assertionResults?: { status: string; fullName: string }[] }[];
}
export function skippedTests(report: VitestJsonReport | null | undefined, cwd?: string): string[];
export function isCi(env?: Record<string, string | undefined>): boolean;
export function skipVerdict(skipped: readonly string[], ci: boolean): { ok: boolean; message: string };
