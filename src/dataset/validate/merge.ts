import type { Method, RecordBounds } from '../../models/methods.ts';
import type { ModelSpec } from '../../models/schema.ts';
import { err, warn } from '../formats/types.ts';
import type { DatasetFormat, ValidationIssue, ValidationReport } from '../schema.ts';
import { type ChunkResult, oversizedLineIssue } from './chunk.ts';
import { SeenTable } from './seen-table.ts';

/** Folds chunk results, in file order, into one report; adds file-level checks at the end. */
export class ReportBuilder {
  private line = 0;
  private readonly errors: ValidationIssue[] = [];
  private readonly warnings: ValidationIssue[] = [];
  private errorCount = 0;
  private warningCount = 0;
  private readonly issueCounts: Record<string, number> = {};
  private readonly formats: Record<string, number> = {};
  private readonly seen = new SeenTable();
  private untracked = 0;
  private records = 0;
  private blankLines = 0;
  private characters = 0;
  private tokens = 0;
  private maxRecordChars = 0;
  private crlfLines = 0;
  private firstCrlfLine = 0;
  private duplicates = 0;

  constructor(
    private readonly model: ModelSpec,
    private readonly role: 'training' | 'validation',
    private readonly maxIssues: number,
    /** The method's record bounds and format (fine-tuning: the model's `limits` and format). */
    private readonly method: { name: Method; bounds: RecordBounds; format: DatasetFormat } = {
      name: 'fine-tuning',
      bounds: model.limits,
      format: model.format,
    },
  ) {}

  private add(issue: ValidationIssue): void {
    this.issueCounts[issue.code] = (this.issueCounts[issue.code] ?? 0) + 1;
    const list = issue.severity === 'error' ? this.errors : this.warnings;
    if (issue.severity === 'error') this.errorCount++;
    else this.warningCount++;
    if (list.length < this.maxIssues) list.push(issue);
  }

  /** The whole file is not JSON Lines text (gzip, zip, binary): one error for the file, no per-line noise. */
  private notText = false;
  addNotText(code: string, message: string, hint: string): void {
    this.notText = true;
    this.add(err(code, '', message, hint));
  }

  addOversized(bytes: number): void {
    this.line++;
    this.records++;
    this.add({ ...oversizedLineIssue(bytes), line: this.line });
  }

  addChunk(r: ChunkResult): void {
    const base = this.line;
    for (const i of r.errors)
      if (this.errors.length < this.maxIssues) this.errors.push({ ...i, line: (i.line ?? 0) + base });
    for (const i of r.warnings)
      if (this.warnings.length < this.maxIssues) this.warnings.push({ ...i, line: (i.line ?? 0) + base });
    this.errorCount += r.errorCount;
    this.warningCount += r.warningCount;
    for (const [code, n] of Object.entries(r.issueCounts))
      this.issueCounts[code] = (this.issueCounts[code] ?? 0) + n;
    for (const [format, n] of Object.entries(r.formats))
      this.formats[format] = (this.formats[format] ?? 0) + n;
    if (r.crlfLines && !this.firstCrlfLine) this.firstCrlfLine = base + 1;
    this.crlfLines += r.crlfLines;
    this.records += r.records;
    this.blankLines += r.blankLines;
    this.characters += r.characters;
    this.tokens += r.tokens;
    this.maxRecordChars = Math.max(this.maxRecordChars, r.maxRecordChars);
    for (let i = 0; i < r.hashes.length; i++) {
      const h = r.hashes[i]!;
      const line = r.hashLines[i]! + base;
      const firstLine = this.seen.checkAndAdd(h, line);
      if (firstLine === 'full') this.untracked++;
      else if (firstLine !== undefined) {
        this.duplicates++;
        this.add({
          ...warn(
            'DUPLICATE_RECORD',
            '',
            `identical to line ${firstLine}`,
            'remove the repeated record (duplicates over-weight it in training)',
          ),
          line,
        });
      }
    }
    this.line += r.lines;
  }

  finish(bytes: number): ValidationReport {
    const { model, role } = this;
    const limits = { ...model.limits, ...this.method.bounds };
    const who = this.method.name === 'fine-tuning' ? model.name : `${this.method.name} of ${model.name}`;
    if (model.lifecycle !== 'ACTIVE') {
      this.add(
        warn(
          'MODEL_END_OF_LIFE',
          '',
          `${model.name} is ${model.lifecycle === 'END_OF_LIFE' ? 'end-of-life' : 'legacy'} on Bedrock: ${model.lifecycleNote ?? 'new jobs may fail'}`,
          'pick an active model (`tunekit models`) and convert the data if needed',
        ),
      );
    }
    const max = role === 'validation' ? limits.maxValidationRecords : limits.maxRecords;
    if (this.notText) {
      // already said: the file is not text
    } else if (this.records === 0) {
      this.add(err('NO_RECORDS', '', 'the file holds no records', 'add at least one JSON record per line'));
    } else if (role === 'training' && limits.minRecords !== null && this.records < limits.minRecords) {
      this.add(
        err(
          'TOO_FEW_RECORDS',
          '',
          `${this.records} records; ${who} needs at least ${limits.minRecords}`,
          `add ${limits.minRecords - this.records} more records`,
        ),
      );
    }
    if (max !== null && this.records > max) {
      this.add(
        err(
          'TOO_MANY_RECORDS',
          '',
          `${this.records.toLocaleString('en-US')} records; ${who} accepts at most ${max.toLocaleString('en-US')} ${role} records`,
          'split the file (tunekit data split) or sample it down',
        ),
      );
    }
    const maxBytes = role === 'validation' ? limits.maxValidationFileBytes : limits.maxTrainingFileBytes;
    if (maxBytes !== null && bytes > maxBytes) {
      this.add(
        err(
          'FILE_TOO_LARGE',
          '',
          `the file is ${(bytes / 1e6).toFixed(1)} MB; ${model.name} accepts ${role} files up to ${(maxBytes / 1e6).toFixed(0)} MB`,
          'remove records or split the file',
        ),
      );
    }
    if (this.crlfLines > 0) {
      this.add(
        warn(
          'CRLF_LINE_ENDINGS',
          '',
          `${this.crlfLines} line(s) end with Windows line endings (\\r\\n), first at line ${this.firstCrlfLine}`,
          'convert to Unix line endings (dos2unix) to be safe',
        ),
      );
    }
    const formatsSeen = Object.keys(this.formats);
    if (formatsSeen.length > 1) {
      this.add(
        err(
          'MIXED_FORMATS',
          '',
          `the file mixes formats: ${formatsSeen.map((f) => `${f} (${this.formats[f]})`).join(', ')}`,
          `convert every record to ${this.method.format} (tunekit data convert --to ${this.method.format})`,
        ),
      );
    }
    if (this.untracked > 0) {
      this.add(
        warn(
          'DUPLICATES_PARTIAL',
          '',
          `duplicate detection covered the first ${this.seen.maxEntries.toLocaleString('en-US')} distinct records only`,
          'the file is far above any Bedrock record limit; split it first',
        ),
      );
    }
    return {
      valid: this.errorCount === 0,
      format: this.method.format,
      model: model.id,
      method: this.method.name,
      role,
      records: this.records,
      errors: this.errors,
      warnings: this.warnings,
      errorCount: this.errorCount,
      warningCount: this.warningCount,
      issueCounts: this.issueCounts,
      stats: {
        lines: this.line,
        records: this.records,
        blankLines: this.blankLines,
        bytes,
        characters: this.characters,
        estimatedTokens: this.tokens,
        maxRecordCharacters: this.maxRecordChars,
        duplicates: this.duplicates,
        formats: this.formats,
      },
    };
  }
}
