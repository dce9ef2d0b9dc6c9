import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { formatZodIssues } from '../config/load.ts';
import { TunekitError } from '../errors.ts';
import { renderHtmlReport } from './report/html.ts';
import { type EvalReport, EvalReportSchema } from './report/report.schema.ts';

/**
 * Runs on disk: `<dir>/<run-id>/report.json` and `report.html` (dir defaults to `.tunekit/eval`).
 * Each file is written to a temp name and renamed, so a crash never leaves half a report behind.
 */
function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}

export interface SavedRun {
  dir: string;
  json: string;
  html: string;
}

export function saveReport(report: EvalReport, baseDir: string): SavedRun {
  const dir = resolve(baseDir, report.runId);
  const saved = { dir, json: join(dir, 'report.json'), html: join(dir, 'report.html') };
  writeAtomic(saved.json, `${JSON.stringify(report, null, 2)}\n`);
  writeAtomic(saved.html, renderHtmlReport(report));
  return saved;
}

/** Run ids sort by time (they start with a UTC timestamp). */
export function listRuns(baseDir: string): string[] {
  if (!existsSync(baseDir)) return [];
  return readdirSync(baseDir)
    .filter((name) => existsSync(join(baseDir, name, 'report.json')))
    .sort();
}

/** `<run>` may be a run id, `latest`, a run directory or a report.json path. */
export function resolveRun(run: string, baseDir: string): SavedRun {
  let dir: string | undefined;
  if (run === 'latest') {
    const last = listRuns(baseDir).at(-1);
    if (!last)
      throw new TunekitError('EVAL.NO_RUNS', `no evaluation runs under ${baseDir}`, {
        hint: 'run `tunekit eval run --suite <file> --model <label=id>` first',
      });
    dir = join(baseDir, last);
  } else if (existsSync(run)) {
    dir = statSync(run).isDirectory() ? run : dirname(run);
  } else if (existsSync(join(baseDir, run))) {
    dir = join(baseDir, run);
  }
  if (!dir || !existsSync(join(dir, 'report.json'))) {
    const known = listRuns(baseDir).slice(-5);
    throw new TunekitError('EVAL.RUN_NOT_FOUND', `no evaluation run "${run}" (looked in ${baseDir})`, {
      hint: known.length
        ? `recent runs: ${known.join(', ')} (or "latest")`
        : 'pass a run id, a run directory or a report.json path',
    });
  }
  dir = resolve(dir);
  return { dir, json: join(dir, 'report.json'), html: join(dir, 'report.html') };
}

export function readReport(path: string): EvalReport {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new TunekitError('EVAL.REPORT_UNREADABLE', `${path}: ${(cause as Error).message}`, {
      hint: 'the report file is damaged; re-run the evaluation',
      cause,
    });
  }
  return parseReport(text, path);
}

/** A report from its JSON text (a file or an S3 object); `where` names it in the error. */
export function parseReport(text: string, where: string): EvalReport {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new TunekitError('EVAL.REPORT_UNREADABLE', `${where}: ${(cause as Error).message}`, {
      hint: 'the report is damaged; re-run the evaluation',
      cause,
    });
  }
  const parsed = EvalReportSchema.safeParse(raw);
  if (!parsed.success) {
    throw new TunekitError(
      'EVAL.REPORT_INVALID',
      `${where}: not an evaluation report:\n${formatZodIssues(parsed.error.issues)}`,
      {
        hint: `was it written by another tunekit version? (${basename(where)} must match EvalReportSchema v1)`,
      },
    );
  }
  return parsed.data;
}
