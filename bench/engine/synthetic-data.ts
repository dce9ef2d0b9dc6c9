import { createRng, mixSeed, type Rng } from '../../src/local/engine/prng.ts';

/**
 * Realistic, varied customer-service records of any size (Bedrock accepts up to 20,000 for Nova), for
 * the engine's scale benchmark and tests. Each distinct answer is one (domain, task, product,
 * qualifier) combination: ten domains x six tasks x ten products x fourteen qualifiers gives up to 8,400
 * answers, each with its own figures (days, fees, channels) derived from the combination, so two
 * answers never share their text. Every answer is asked for in two or three of its task's phrasings;
 * `heldOut` asks the same answers in a phrasing that is never trained on (unseen paraphrases).
 */

interface Domain {
  name: string;
  system: string;
  products: string[];
  qualifiers: string[];
}

const DOMAINS: Domain[] = [
  {
    name: 'bank',
    system: 'You are a helpful banking customer service assistant.',
    products: [
      'checking account',
      'savings account',
      'credit card',
      'debit card',
      'mortgage',
      'car loan',
      'personal loan',
      'business account',
      'student account',
      'joint account',
    ],
    qualifiers: [
      'Gold tier',
      'Silver tier',
      'Platinum tier',
      'basic tier',
      'premier tier',
      'youth tier',
      'senior tier',
      'online-only tier',
      'rewards tier',
      'travel tier',
      'cashback tier',
      'private tier',
      'starter tier',
      'family tier',
    ],
  },
  {
    name: 'airline',
    system: 'You are the customer service assistant of an airline.',
    products: [
      'economy ticket',
      'business ticket',
      'first class ticket',
      'award ticket',
      'group booking',
      'checked bag',
      'pet carrier',
      'seat upgrade',
      'lounge pass',
      'travel voucher',
    ],
    qualifiers: [
      'Boston route',
      'Denver route',
      'Lisbon route',
      'Tokyo route',
      'Sydney route',
      'Toronto route',
      'Madrid route',
      'Chicago route',
      'Seoul route',
      'Dublin route',
      'Miami route',
      'Nairobi route',
      'Oslo route',
      'Lima route',
    ],
  },
  {
    name: 'telecom',
    system: 'You are a mobile and internet provider support assistant.',
    products: [
      'phone plan',
      'fiber connection',
      'prepaid SIM',
      'eSIM',
      'home router',
      'roaming pack',
      'family bundle',
      'tablet line',
      'smartwatch line',
      'TV package',
    ],
    qualifiers: [
      'Unlimited plan',
      'Starter plan',
      'Flex plan',
      'Max plan',
      'Student plan',
      'Senior plan',
      'Business plan',
      'Travel plan',
      'Data-only plan',
      'Kids plan',
      'Night plan',
      'Weekend plan',
      'Premium plan',
      'Lite plan',
    ],
  },
  {
    name: 'retail',
    system: 'You are the support assistant of an online store.',
    products: [
      'laptop',
      'headphones',
      'coffee machine',
      'running shoes',
      'winter jacket',
      'smart speaker',
      'office chair',
      'gaming console',
      'vacuum cleaner',
      'electric kettle',
    ],
    qualifiers: [
      'marketplace seller',
      'outlet section',
      'refurbished range',
      'clearance sale',
      'members store',
      'gift registry',
      'bulk order',
      'pre-order list',
      'rental program',
      'trade-in program',
      'subscription box',
      'flash deal',
      'holiday catalog',
      'student shop',
    ],
  },
  {
    name: 'insurance',
    system: 'You are an insurance company customer service assistant.',
    products: [
      'car policy',
      'home policy',
      'renters policy',
      'life policy',
      'pet policy',
      'travel policy',
      'dental policy',
      'boat policy',
      'bike policy',
      'gadget policy',
    ],
    qualifiers: [
      'comprehensive cover',
      'third-party cover',
      'basic cover',
      'premium cover',
      'family cover',
      'annual cover',
      'single-trip cover',
      'accident cover',
      'theft cover',
      'flood cover',
      'fire cover',
      'liability cover',
      'legal cover',
      'breakdown cover',
    ],
  },
  {
    name: 'utility',
    system: 'You are the customer assistant of an energy and water utility.',
    products: [
      'electricity contract',
      'gas contract',
      'water contract',
      'solar panel plan',
      'heat pump plan',
      'smart meter',
      'EV charger plan',
      'boiler service',
      'green energy tariff',
      'prepayment meter',
    ],
    qualifiers: [
      'fixed rate',
      'variable rate',
      'night rate',
      'weekend rate',
      'business rate',
      'economy rate',
      'peak rate',
      'off-peak rate',
      'seasonal rate',
      'social rate',
      'tracker rate',
      'standing rate',
      'export rate',
      'capped rate',
    ],
  },
  {
    name: 'health',
    system: 'You are the patient services assistant of a clinic network.',
    products: [
      'general checkup',
      'blood test',
      'eye exam',
      'dental cleaning',
      'physiotherapy session',
      'vaccination',
      'skin consultation',
      'hearing test',
      'nutrition consult',
      'x-ray scan',
    ],
    qualifiers: [
      'downtown clinic',
      'riverside clinic',
      'north clinic',
      'harbor clinic',
      'airport clinic',
      'campus clinic',
      'hillside clinic',
      'east clinic',
      'west clinic',
      'central clinic',
      'park clinic',
      'lakeside clinic',
      'market clinic',
      'station clinic',
    ],
  },
  {
    name: 'software',
    system: 'You are the support assistant of a software company.',
    products: [
      'team workspace',
      'admin console',
      'mobile app',
      'desktop client',
      'API key',
      'single sign-on',
      'data export',
      'audit log',
      'backup vault',
      'analytics dashboard',
    ],
    qualifiers: [
      'Free edition',
      'Pro edition',
      'Team edition',
      'Enterprise edition',
      'Education edition',
      'Nonprofit edition',
      'Trial edition',
      'Legacy edition',
      'Startup edition',
      'Government edition',
      'Partner edition',
      'Developer edition',
      'Regional edition',
      'Hosted edition',
    ],
  },
  {
    name: 'hotel',
    system: 'You are the reservations assistant of a hotel group.',
    products: [
      'standard room',
      'suite',
      'family room',
      'spa package',
      'breakfast plan',
      'parking space',
      'meeting room',
      'airport shuttle',
      'late checkout',
      'wedding package',
    ],
    qualifiers: [
      'Paris hotel',
      'Rome hotel',
      'Berlin hotel',
      'Vienna hotel',
      'Prague hotel',
      'Athens hotel',
      'Zurich hotel',
      'Milan hotel',
      'Porto hotel',
      'Krakow hotel',
      'Seville hotel',
      'Lyon hotel',
      'Munich hotel',
      'Venice hotel',
    ],
  },
  {
    name: 'education',
    system: 'You are the student services assistant of a university.',
    products: [
      'course enrollment',
      'tuition payment',
      'library card',
      'dorm room',
      'meal plan',
      'parking permit',
      'transcript request',
      'exam retake',
      'scholarship application',
      'lab access',
    ],
    qualifiers: [
      'engineering faculty',
      'law faculty',
      'medicine faculty',
      'arts faculty',
      'business faculty',
      'science faculty',
      'music faculty',
      'nursing faculty',
      'design faculty',
      'education faculty',
      'history faculty',
      'economics faculty',
      'language faculty',
      'sports faculty',
    ],
  },
];

/** A task: how it is asked (the last phrasing is held out) and how it is answered. */
interface Task {
  asks: string[];
  answer: (f: Figures) => string;
}

interface Figures {
  product: string;
  qualifier: string;
  days: number;
  fee: string;
  channel: string;
  section: string;
  hours: string;
  document: string;
}

const TASKS: Task[] = [
  {
    asks: [
      'How do I cancel my {product} on the {qualifier}?',
      'I want to close my {product} ({qualifier}). What do I do?',
      'What is the process to terminate a {product} with the {qualifier}?',
      'Can you help me stop my {product}, it is on the {qualifier}',
    ],
    answer: (f) =>
      `To cancel a ${f.product} on the ${f.qualifier}, open ${f.channel}, go to ${f.section} and choose Cancel. ` +
      `Cancellation takes effect within ${f.days} business days and a closing fee of ${f.fee} applies. Keep your ${f.document} for reference.`,
  },
  {
    asks: [
      'What does the {product} cost on the {qualifier}?',
      'How much is a {product} with the {qualifier}?',
      'Price of the {product} for the {qualifier}, please.',
      'Tell me the fees for a {product} under the {qualifier}',
    ],
    answer: (f) =>
      `A ${f.product} on the ${f.qualifier} costs ${f.fee} per month, billed on day ${f.days} of each cycle. ` +
      `You can see every charge in ${f.section} of ${f.channel}.`,
  },
  {
    asks: [
      'How long does it take to set up a {product} on the {qualifier}?',
      'When will my new {product} ({qualifier}) be ready?',
      'What is the waiting time to get a {product} with the {qualifier}?',
      'How many days until my {product} on the {qualifier} is active?',
    ],
    answer: (f) =>
      `Setting up a ${f.product} on the ${f.qualifier} takes ${f.days} business days once we have your ${f.document}. ` +
      `Track it in ${f.section} of ${f.channel}; our team works ${f.hours}.`,
  },
  {
    asks: [
      'What documents do I need for a {product} on the {qualifier}?',
      'Which papers are required to apply for a {product} with the {qualifier}?',
      'What should I bring to get a {product} under the {qualifier}?',
      'Do I need any documents for the {product} on the {qualifier}?',
    ],
    answer: (f) =>
      `For a ${f.product} on the ${f.qualifier} we need your ${f.document} and proof of address. ` +
      `Upload them in ${f.section} of ${f.channel}; checks take ${f.days} days and cost ${f.fee}.`,
  },
  {
    asks: [
      'Who do I contact about a problem with my {product} on the {qualifier}?',
      'My {product} ({qualifier}) is not working, who can help?',
      'Where do I report an issue with the {product} on the {qualifier}?',
      'I have a complaint about my {product} under the {qualifier}',
    ],
    answer: (f) =>
      `Problems with a ${f.product} on the ${f.qualifier} are handled by our support team through ${f.channel}, ${f.hours}. ` +
      `Open a ticket in ${f.section}; we reply within ${f.days} hours and a visit costs ${f.fee}.`,
  },
  {
    asks: [
      'Can I change my {product} on the {qualifier} to another option?',
      'How do I switch my {product} away from the {qualifier}?',
      'Is it possible to upgrade or modify the {product} with the {qualifier}?',
      'I would like to change the settings of my {product} on the {qualifier}',
    ],
    answer: (f) =>
      `You can change a ${f.product} on the ${f.qualifier} once every ${f.days} days in ${f.section} of ${f.channel}. ` +
      `The change is free the first time, then costs ${f.fee}; have your ${f.document} ready.`,
  },
];

const CHANNELS = [
  'the mobile app',
  'the website',
  'the customer portal',
  'any branch',
  'the phone line',
  'live chat',
];
const SECTIONS = [
  'Settings',
  'My account',
  'Services',
  'Billing',
  'Requests',
  'Profile',
  'Documents',
  'Support',
];
const HOURS = [
  '8am to 8pm on weekdays',
  'around the clock',
  '9am to 5pm Monday to Saturday',
  '7am to 10pm every day',
];
const DOCUMENTS = [
  'photo ID',
  'contract number',
  'customer number',
  'passport',
  'latest invoice',
  'reference code',
];

const pick = <T>(xs: T[], rng: Rng): T => xs[Math.floor(rng.next() * xs.length)]!;

function figures(d: number, t: number, p: number, q: number): Figures {
  const domain = DOMAINS[d]!;
  const rng = createRng(mixSeed(d, t, p, q));
  return {
    product: domain.products[p]!,
    qualifier: domain.qualifiers[q]!,
    days: 2 + Math.floor(rng.next() * 40),
    fee: `$${(5 + Math.floor(rng.next() * 400)).toFixed(0)}.${String(Math.floor(rng.next() * 100)).padStart(2, '0')}`,
    channel: pick(CHANNELS, rng),
    section: pick(SECTIONS, rng),
    hours: pick(HOURS, rng),
    document: pick(DOCUMENTS, rng),
  };
}

export interface SyntheticSet {
  /** bedrock-conversation-2024 JSONL records. */
  jsonl: string;
  records: number;
  distinctAnswers: number;
  /** The same answers asked in a phrasing never trained on: prompt and expected answer. */
  heldOut: { prompt: string; answer: string }[];
}

const fill = (template: string, f: Figures) =>
  template.replace('{product}', f.product).replace('{qualifier}', f.qualifier);

const record = (system: string, prompt: string, answer: string) =>
  JSON.stringify({
    schemaVersion: 'bedrock-conversation-2024',
    system: [{ text: system }],
    messages: [
      { role: 'user', content: [{ text: prompt }] },
      { role: 'assistant', content: [{ text: answer }] },
    ],
  });

/** `records` records (records / 2.4 distinct answers, at most 8,400), deterministic for a seed. */
export function syntheticSet(records: number, seed = 1, heldOutCount = 200): SyntheticSet {
  const rng = createRng(mixSeed(seed, 0x5e7));
  const combos: [number, number, number, number][] = [];
  for (let d = 0; d < DOMAINS.length; d++)
    for (let t = 0; t < TASKS.length; t++)
      for (let p = 0; p < 10; p++) for (let q = 0; q < 14; q++) combos.push([d, t, p, q]);
  // A seeded shuffle, so a small set still spans every domain and task.
  for (let i = combos.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [combos[i], combos[j]] = [combos[j]!, combos[i]!];
  }
  const answers = Math.min(combos.length, Math.max(1, Math.round(records / 2.4)));
  const lines: string[] = [];
  const heldOut: SyntheticSet['heldOut'] = [];
  for (let n = 0; n < records; n++) {
    const a = n % answers;
    const [d, t, p, q] = combos[a]!;
    const f = figures(d, t, p, q);
    const task = TASKS[t]!;
    // Phrasings 0..2 are trained; the n-th time an answer comes up it gets phrasing n mod 3.
    const phrasing = Math.floor(n / answers) % 3;
    lines.push(record(DOMAINS[d]!.system, fill(task.asks[phrasing]!, f), task.answer(f)));
  }
  for (let a = 0; a < Math.min(answers, heldOutCount); a++) {
    const [d, t, p, q] = combos[Math.floor((a * answers) / Math.min(answers, heldOutCount))]!;
    const f = figures(d, t, p, q);
    heldOut.push({ prompt: fill(TASKS[t]!.asks[3]!, f), answer: TASKS[t]!.answer(f) });
  }
  return { jsonl: `${lines.join('\n')}\n`, records, distinctAnswers: answers, heldOut };
}
