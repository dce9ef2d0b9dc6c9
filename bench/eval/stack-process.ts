/**
 * The local stack for the bench, in its own process (as `tunekit local start` runs it), so the stack's
 * CPU time does not compete with the runner's event loop. Prints `READY <endpoint> <key id> <secret>` and serves until
 * stdin closes. Argument: the fault config as JSON.
 */

import { loadSuite } from '../../src/evaluation/suite.ts';
import { SAMPLES } from '../../src/samples.ts';
import { startEvalStack } from '../../test/e2e/helpers/eval-stack.ts';

const faults = JSON.parse(process.argv[2] ?? '{}');
const byPrompt = new Map(loadSuite(SAMPLES.bankingSuite).cases.map((c) => [c.prompt, c.reference]));
// Answers come from a scripted engine (the reference, or a fixed line for the baseline): the bench
// measures the runner, the wire and the faults, not the speed of text generation.
const env = await startEvalStack({
  faults,
  answer: (input) =>
    input.family === 'nova'
      ? 'Please contact the bank.'
      : (byPrompt.get(input.messages.at(-1)?.text ?? '') ?? ''),
});
process.stdout.write(
  `READY ${env.stack.endpoint} ${env.stack.credentials.accessKeyId} ${env.stack.credentials.secretAccessKey}\n`,
);
process.stdin.resume();
process.stdin.on('end', () => void env.stop().then(() => process.exit(0)));
