import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { TunekitError } from '../../errors.ts';

/**
 * Fault injection for tests and benchmarks: per API (Bedrock operation name such as `InvokeModel`,
 * or `*` for every Bedrock/Bedrock Runtime call), added latency and rates of throttling and internal errors.
 */
export const FaultRuleSchema = z
  .object({
    api: z
      .string()
      .min(1)
      .default('*')
      .describe('Operation name (e.g. InvokeModel, GetModelCustomizationJob) or *'),
    latencyMs: z.number().min(0).max(600_000).default(0).describe('Added before the call is answered'),
    throttleRate: z
      .number()
      .min(0)
      .max(1)
      .default(0)
      .describe('Share of calls answered with ThrottlingException'),
    errorRate: z
      .number()
      .min(0)
      .max(1)
      .default(0)
      .describe('Share of calls answered with InternalServerException'),
  })
  .strict();
export type FaultRule = z.infer<typeof FaultRuleSchema>;

export const FaultConfigSchema = z
  .object({
    rules: z.array(FaultRuleSchema).default([]),
    /** Seeds the dice so a benchmark or test run is repeatable. */
    seed: z.int().optional(),
  })
  .strict();
export type FaultConfig = z.infer<typeof FaultConfigSchema>;
export type FaultConfigInput = z.input<typeof FaultConfigSchema>;

/** Accepts `{rules:[...]}` or a bare rule list; errors name the JSON path. */
export function parseFaultConfig(value: unknown, source: string): FaultConfig {
  const parsed = FaultConfigSchema.safeParse(Array.isArray(value) ? { rules: value } : value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new TunekitError(
    'FAULTS.INVALID',
    `${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    {
      hint: 'expected {"rules":[{"api":"InvokeModel","latencyMs":100,"throttleRate":0.1,"errorRate":0}]}',
    },
  );
}

export function readFaultFile(path: string): FaultConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TunekitError(
      'FAULTS.UNREADABLE',
      `cannot read fault file ${path}: ${(error as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TunekitError('FAULTS.INVALID', `${path}: not valid JSON (${(error as Error).message})`);
  }
  return parseFaultConfig(json, path);
}

/** `TUNEKIT_FAULTS` holds inline JSON or a path to a JSON file. */
export function faultsFromEnv(env: NodeJS.ProcessEnv = process.env): FaultConfig | undefined {
  const raw = env.TUNEKIT_FAULTS?.trim();
  if (!raw) return undefined;
  if (raw.startsWith('{') || raw.startsWith('[')) {
    try {
      return parseFaultConfig(JSON.parse(raw), 'TUNEKIT_FAULTS');
    } catch (error) {
      if (error instanceof TunekitError) throw error;
      throw new TunekitError(
        'FAULTS.INVALID',
        `TUNEKIT_FAULTS: not valid JSON (${(error as Error).message})`,
      );
    }
  }
  return readFaultFile(raw);
}
