import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.ts';

/**
 * npm run bench:validate [-- --size 1GB|20MB] [--runs N] — measures `tunekit data validate` against the tutorial's
 * Python validator on the same generated file, in the same run, and prints throughput and peak RSS.
 * Peak RSS comes from GNU time (-v, "Maximum resident set size") of each child process.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DATA = join(ROOT, 'bench/.data');

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(KB|MB|GB)?$/i.exec(text);
  if (!m) throw new Error(`--size: expected e.g. 20MB or 1GB, got "${text}"`);
  const unit = (m[2] ?? 'MB').toUpperCase();
  return Math.round(Number(m[1]) * { KB: 1e3, MB: 1e6, GB: 1e9 }[unit]!);
}

interface Measured {
  seconds: number;
  /** user + system CPU seconds: a fairer figure than wall time on a shared machine. */
  cpuSeconds: number;
  peakRssMb: number;
  code: number;
  stdout: string;
  stderr: string;
}

function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Measured> {
  const useTime = existsSync('/usr/bin/time');
  const [file, argv] = useTime ? ['/usr/bin/time', ['-v', cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(file, argv as string[], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const rss =
        /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ??
        /peak-rss-kb=(\d+)/.exec(stderr)?.[1];
      const cpu = ['User', 'System'].reduce(
        (sum, kind) =>
          sum + Number(new RegExp(`${kind} time \\(seconds\\): ([\\d.]+)`).exec(stderr)?.[1] ?? Number.NaN),
        0,
      );
      resolve({
        seconds,
        cpuSeconds: cpu,
        peakRssMb: rss ? Number(rss) / 1024 : Number.NaN,
        code: code ?? -1,
        stdout,
        stderr,
      });
    });
  });
}

const argValue = (flag: string) => {
  const i = process.argv.indexOf(flag);
  return i > 0 ? process.argv[i + 1] : undefined;
};

/** The median run by wall time, carrying the highest peak RSS of all runs. */
function median(runs: Measured[]): Measured {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const mid = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return { ...mid, peakRssMb: Math.max(...runs.map((m) => m.peakRssMb)) };
}

async function warmPageCache(file: string): Promise<void> {
  for await (const _ of createReadStream(file, { highWaterMark: 8 << 20 })) {
    // reading is the point
  }
}

async function main() {
  const sizeText = argValue('--size') ?? '1GB';
  const bytes = parseSize(sizeText);
  mkdirSync(DATA, { recursive: true });
  // The generator's version is in the name so a changed generator never reuses an old file.
  const file = join(DATA, `validate-v2-${sizeText.toLowerCase()}.jsonl`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${file} (${sizeText}) ...\n`);
    await generate(file, bytes);
  }
  const size = statSync(file).size;
  const mb = size / 1e6;

  // Read the file once so neither side pays for a cold page cache, then alternate the two validators
  // and keep each one's median run: one slow run (a busy neighbour) must not decide the ratio.
  await warmPageCache(file);
  const runs = Number(argValue('--runs') ?? (bytes >= 500e6 ? 3 : 1));
  const pyRuns: Measured[] = [];
  const tkRuns: Measured[] = [];
  for (let r = 0; r < runs; r++) {
    const pyRun = await measure('python3', [join(ROOT, 'bench/validate/tutorial_validator.py'), file]);
    if (pyRun.code !== 0) throw new Error(`python reference failed:\n${pyRun.stderr}`);
    pyRuns.push(pyRun);
    const tkRun = await measure(process.execPath, [
      join(ROOT, 'bin/tunekit.mjs'),
      'data',
      'validate',
      file,
      '--model',
      'amazon.titan-text-express-v1',
      '--json',
    ]);
    if (tkRun.code !== 0 && tkRun.code !== 1)
      throw new Error(`tunekit failed (exit ${tkRun.code}):\n${tkRun.stderr}`);
    tkRuns.push(tkRun);
  }
  const py = median(pyRuns);
  const tk = median(tkRuns);
  const report = JSON.parse(tk.stdout) as {
    records: number;
    errorCount: number;
    issueCounts: Record<string, number>;
  };
  process.stdout.write(
    `runs: ${runs} each, alternating; walls python ${pyRuns.map((m) => m.seconds.toFixed(2)).join('/')} s, tunekit ${tkRuns.map((m) => m.seconds.toFixed(2)).join('/')} s (medians below; peak RSS is the highest of the runs)\n`,
  );

  const row = (name: string, m: Measured) =>
    `${name.padEnd(34)}${m.seconds.toFixed(2).padStart(8)} s${(mb / m.seconds).toFixed(0).padStart(8)} MB/s${m.cpuSeconds.toFixed(2).padStart(8)} s${m.peakRssMb.toFixed(0).padStart(8)} MB`;
  console.log(`file: ${file} (${mb.toFixed(0)} MB, ${report.records.toLocaleString('en-US')} records)`);
  console.log(
    `${'validator'.padEnd(34)}${'wall'.padStart(10)}${'throughput'.padStart(13)}${'CPU'.padStart(10)}${'peak RSS'.padStart(11)}`,
  );
  console.log(row('python tutorial (readlines+json)', py));
  console.log(row('tunekit data validate', tk));
  console.log(
    `speed-up (wall): ${(py.seconds / tk.seconds).toFixed(2)}x (target >= 2x); CPU-seconds ratio ${(py.cpuSeconds / tk.cpuSeconds).toFixed(2)}x; tunekit peak RSS ${tk.peakRssMb.toFixed(0)} MB (target < 150 MB)`,
  );
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${availableParallelism()} cores (other work on the machine slows both sides)`,
  );
  console.log(
    `tunekit findings (file-level limits of the 8k Titan model apply to a file this big): ${JSON.stringify(report.issueCounts)}`,
  );
}

await main();
