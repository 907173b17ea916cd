// Reads StrykerJS's JSON reports (reports/mutation/<module>.json, one per module) and writes the per-module scores to
// bench/results/mutation.json, the table into README.md between the mutation markers, and the list of
// surviving mutants into bench/results/mutation-survivors.md between its markers (the reasoning for
// each group is written around them by hand). Figures come from the report, never typed.
// `node scripts/render-mutation.mjs` (run at the end of run-mutation.mjs, which also records each run's wall time).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MUTATION_MODULES, matches } from './mutation-modules.mjs';
import { replaceBlock } from './readme-block.mjs';

export const REPORT_DIR = 'reports/mutation';
export const TIMING = 'reports/mutation/timing.json';
const RESULTS = 'bench/results/mutation.json';
const SURVIVORS = 'bench/results/mutation-survivors.md';
const TARGET = 80;
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const DETECTED = ['Killed', 'Timeout'];
const UNDETECTED = ['Survived', 'NoCoverage'];

const relative = (file) => (path.isAbsolute(file) ? path.relative(repo, file) : file).split(path.sep).join('/');

/** Stryker's mutation score: detected / (detected + undetected); compile and runtime errors and ignored mutants do not count. */
function tally(mutants) {
  const by = (status) => mutants.filter((m) => m.status === status).length;
  const counts = { killed: by('Killed'), timeout: by('Timeout'), survived: by('Survived'), noCoverage: by('NoCoverage'), errors: by('CompileError') + by('RuntimeError'), ignored: by('Ignored') };
  const detected = mutants.filter((m) => DETECTED.includes(m.status)).length;
  const valid = detected + mutants.filter((m) => UNDETECTED.includes(m.status)).length;
  return { mutants: mutants.length, ...counts, score: valid === 0 ? null : Math.round((1000 * detected) / valid) / 10 };
}

/** The per-module results from each module's report (null: that module has no report), every mutated file assigned to exactly one module. */
export function summarize(reports, timing) {
  const files = Object.values(reports)
    .filter(Boolean)
    .flatMap((report) => Object.entries(report.files).map(([name, f]) => ({ name: relative(name), ...f })));
  const unassigned = files.filter((f) => !MUTATION_MODULES.some((m) => matches(f.name, m.files)));
  if (unassigned.length > 0) throw new Error(`The report has files no module claims: ${unassigned.map((f) => f.name).join(', ')} (scripts/mutation-modules.mjs)`);
  const modules = MUTATION_MODULES.map(({ slug, module, files: patterns }) => {
    const own = files.filter((f) => matches(f.name, patterns));
    if (!reports[slug]) return { module, files: [], measured: false, mutants: 0, score: null, wallSeconds: null, survivors: [] };
    const survivors = own.flatMap((f) =>
      f.mutants
        .filter((m) => UNDETECTED.includes(m.status))
        .map((m) => ({ file: f.name, line: m.location.start.line, column: m.location.start.column, mutator: m.mutatorName, status: m.status, original: originalText(f.source, m.location), replacement: m.replacement ?? '' })),
    );
    // timing.json: { seconds, cpuSeconds, load: [before, after] } per module (a bare number from older runs).
    const t = timing[slug];
    const wallSeconds = typeof t === 'number' ? t : (t?.seconds ?? null);
    const cpuSeconds = typeof t === 'object' && t !== null ? (t.cpuSeconds ?? null) : null;
    const loadAverage = typeof t === 'object' && t !== null ? t.load : null;
    return { module, files: own.map((f) => f.name).sort(), measured: true, ...tally(own.flatMap((f) => f.mutants)), wallSeconds, cpuSeconds, loadAverage, survivors };
  });
  return {
    generatedBy: 'npm run test:mutation (StrykerJS, scripts/render-mutation.mjs)',
    date: new Date().toISOString().slice(0, 10),
    machine: `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}`,
    // Wall time of the measured modules' runs (each module's last run).
    wallSeconds: modules.some((m) => m.wallSeconds !== null) ? modules.reduce((sum, m) => sum + (m.wallSeconds ?? 0), 0) : null,
    // Only when every measured module has it (runs before it was recorded have none).
    cpuSeconds: modules.every((m) => !m.measured || m.cpuSeconds !== null) ? modules.reduce((sum, m) => sum + (m.cpuSeconds ?? 0), 0) : null,
    target: TARGET,
    total: tally(files.flatMap((f) => f.mutants)),
    modules,
  };
}

function originalText(source, { start, end }) {
  const lines = source.split('\n');
  if (start.line === end.line) return lines[start.line - 1].slice(start.column - 1, end.column - 1);
  return `${lines[start.line - 1].slice(start.column - 1)} …`;
}

const pct = (score) => (score === null ? 'n/a' : `${score.toFixed(1)} %`);
const oneLine = (s, max = 70) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};
const code = (s) => `\`${oneLine(s).replace(/`/g, "'")}\``;

export function readmeBlock(results) {
  const rows = results.modules.map((m) =>
    m.measured
      ? `| ${m.module} | ${m.mutants} | ${m.killed} | ${m.timeout} | ${m.survived} | ${m.noCoverage} | ${m.ignored} | ${pct(m.score)}${m.score !== null && m.score < TARGET ? ' ⚠' : ''} | ${m.wallSeconds ?? '–'} | ${m.cpuSeconds ?? '–'} | ${m.loadAverage ? m.loadAverage.join(' → ') : '–'} |`
      : `| ${m.module} | not measured (see bench/results/mutation-survivors.md) | | | | | | | | | |`,
  );
  const t = results.total;
  const time = results.wallSeconds === null ? '' : ` in ${Math.round(results.wallSeconds / 6) / 10} min wall time (the measured modules, one Stryker run each)`;
  return [
    `Mutation testing, produced by \`npm run test:mutation\` (StrykerJS, not part of \`npm test\`) on ${results.date}${time} (${results.machine}). ` +
      `Score = (killed + timed out) / (killed + timed out + survived + not covered); target ≥ ${TARGET} % per module. ` +
      `Static mutants (module-level constants, which re-run every test per mutant) are ignored for time. ` +
      `Wall time depends on what else shares the cores (the load average); CPU s (the runs' processes) hardly does: on an otherwise idle machine a run takes no less than CPU s ÷ cores. ` +
      `Every survivor is listed, and explained or killed, in \`bench/results/mutation-survivors.md\`.`,
    '',
    '| module | mutants | killed | timed out | survived | not covered | ignored (static) | score | wall s | CPU s | load avg (1 min, before → after) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    `| **all** | ${t.mutants} | ${t.killed} | ${t.timeout} | ${t.survived} | ${t.noCoverage} | ${t.ignored} | ${pct(t.score)} | ${results.wallSeconds ?? '–'} | ${results.cpuSeconds ?? '–'} | |`,
  ].join('\n');
}

export function survivorsBlock(results) {
  const out = [];
  for (const m of results.modules) {
    if (!m.measured) {
      out.push(`### ${m.module} — not measured yet`, '');
      continue;
    }
    out.push(`### ${m.module} — ${pct(m.score)}, ${m.survivors.length} surviving`, '');
    if (m.survivors.length === 0) out.push('None.', '');
    for (const s of m.survivors) out.push(`- \`${s.file}:${s.line}:${s.column}\` ${s.mutator}${s.status === 'NoCoverage' ? ' (not covered)' : ''}: ${code(s.original)} → ${code(s.replacement)}`);
    if (m.survivors.length > 0) out.push('');
  }
  return out.join('\n').trimEnd();
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const read = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null);
  const reports = Object.fromEntries(MUTATION_MODULES.map((m) => [m.slug, read(path.join(repo, REPORT_DIR, `${m.slug}.json`))]));
  if (Object.values(reports).every((r) => r === null)) {
    console.error(`render-mutation: no report in ${REPORT_DIR}: run \`npm run test:mutation\` first.`);
    process.exit(1);
  }
  const results = summarize(reports, read(path.join(repo, TIMING)) ?? {});
  writeFileSync(path.join(repo, RESULTS), `${JSON.stringify(results, null, 2)}\n`);
  const readme = path.join(repo, 'README.md');
  writeFileSync(readme, replaceBlock(readFileSync(readme, 'utf8'), 'mutation', readmeBlock(results), 'README.md'));
  const survivors = path.join(repo, SURVIVORS);
  if (existsSync(survivors)) writeFileSync(survivors, replaceBlock(readFileSync(survivors, 'utf8'), 'survivors', survivorsBlock(results), SURVIVORS));
  else writeFileSync(survivors, `# Surviving mutants\n\n<!-- survivors:start -->\n${survivorsBlock(results)}\n<!-- survivors:end -->\n`);
  for (const m of results.modules) console.log(`${m.module.padEnd(36)} ${pct(m.score).padStart(8)}  (${m.survivors.length} surviving of ${m.mutants}${m.measured ? '' : ', not measured'})`);
}
