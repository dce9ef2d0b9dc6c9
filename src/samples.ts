import { fileURLToPath } from 'node:url';

/** Files shipped with tunekit under samples/: the data `tunekit init`, the main job and tests start from. */
const sample = (path: string) => fileURLToPath(new URL(`../samples/${path}`, import.meta.url));

export const SAMPLES = {
  /** The tutorial's ten banking examples, as the tutorial writes them (prompt/completion). */
  tutorialPromptCompletion: sample('tutorial/training_data.jsonl'),
  /** The same ten, converted to the default model's format (bedrock-conversation-2024). */
  tutorialConversation: sample('tutorial/train.jsonl'),
  /** The realistic banking-assistant training set (bedrock-conversation-2024). */
  bankingTrain: sample('banking/train.jsonl'),
  /** A second batch of banking data, for "new data lands, retrain" runs. */
  bankingTrainMore: sample('banking/train-more.jsonl'),
  /** The banking evaluation suite. */
  bankingSuite: sample('banking/eval-suite.json'),
  /** Reinforcement fine-tuning prompts (OpenAI RFT format) with the reference answers the sample grader checks. */
  reinforcementTrain: sample('reinforcement/train.jsonl'),
  /** The sample grader (Bedrock Lambda grader shape) and its node:test test, scaffolded into graders/. */
  reinforcementGrader: sample('reinforcement/grader.mjs'),
  reinforcementGraderTest: sample('reinforcement/grader.test.mjs'),
  /** Out-of-domain and safety cases for any project: joined to the held-out slice when there is no suite. */
  generalCases: sample('general/eval-cases.json'),
} as const;
