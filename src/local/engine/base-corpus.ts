/**
 * What the local "foundation model" knows before any fine-tuning: a small set of generic
 * question/answer pairs, answered by retrieval (see base-model.ts). It stands in for a pretrained
 * model's behaviour: broad but shallow general knowledge, banking answers that are generic because it
 * has never seen a particular bank's policies, and refusals of harmful requests. Fine-tuning adds the
 * user's answers on top; prompts that stay closer to this corpus keep the base model's answer.
 */

export interface BaseEntry {
  kind: 'general' | 'banking' | 'refusal' | 'chat';
  question: string;
  answer: string;
}

const GENERIC_BANK =
  "Policies differ from bank to bank, and I don't have access to your bank's specific terms. Check your bank's website or app, or contact its customer service for the details that apply to your account.";

export const BASE_CORPUS: BaseEntry[] = [
  // General knowledge
  {
    kind: 'general',
    question: 'How does blockchain technology work?',
    answer:
      'A blockchain is a ledger shared by many computers. Transactions are grouped into blocks, and each block contains a cryptographic hash of the previous one, so altering an old record would break the chain. The participants agree on new blocks through a consensus mechanism such as proof of work or proof of stake.',
  },
  {
    kind: 'general',
    question: 'What is Bitcoin?',
    answer:
      'Bitcoin is a decentralized digital currency created in 2009. Transactions are recorded on a public blockchain maintained by a network of computers rather than by a central bank, and new coins are created through mining.',
  },
  { kind: 'general', question: 'What is the capital of France?', answer: 'The capital of France is Paris.' },
  {
    kind: 'general',
    question: 'What is the capital city of Japan?',
    answer: 'The capital of Japan is Tokyo.',
  },
  {
    kind: 'general',
    question: 'What is the largest country in the world by area?',
    answer: 'Russia is the largest country by area, covering about 17 million square kilometers.',
  },
  {
    kind: 'general',
    question: 'How far is the Moon from the Earth?',
    answer: 'The Moon is on average about 384,400 kilometers (238,900 miles) from the Earth.',
  },
  {
    kind: 'general',
    question: 'Why is the sky blue?',
    answer:
      'Sunlight is scattered by the molecules in the air, and shorter blue wavelengths are scattered much more than red ones, so blue light reaches our eyes from every part of the sky.',
  },
  {
    kind: 'general',
    question: 'How do plants make their food?',
    answer:
      'Plants make food through photosynthesis: chlorophyll in their leaves captures sunlight, which powers the conversion of carbon dioxide and water into glucose, releasing oxygen.',
  },
  {
    kind: 'general',
    question: 'What causes the seasons on Earth?',
    answer:
      "The seasons are caused by the tilt of the Earth's axis, about 23.5 degrees. As the Earth orbits the Sun, each hemisphere is tilted toward the Sun for part of the year, receiving more direct sunlight and longer days.",
  },
  {
    kind: 'general',
    question: 'What is the speed of light?',
    answer: 'Light travels at about 299,792 kilometers per second in a vacuum.',
  },
  {
    kind: 'general',
    question: 'What is DNA?',
    answer:
      'DNA, or deoxyribonucleic acid, is the molecule that carries the genetic instructions of living organisms. It is a double helix made of four bases whose sequence encodes genes.',
  },
  {
    kind: 'general',
    question: 'How does the human heart work?',
    answer:
      'The heart is a muscular pump with four chambers. The right side pumps blood to the lungs to pick up oxygen, and the left side pumps oxygen-rich blood to the rest of the body.',
  },
  {
    kind: 'general',
    question: 'Who painted the Mona Lisa?',
    answer: 'The Mona Lisa was painted by Leonardo da Vinci in the early sixteenth century.',
  },
  {
    kind: 'general',
    question: 'Who wrote Romeo and Juliet?',
    answer: 'Romeo and Juliet was written by William Shakespeare in the 1590s.',
  },
  {
    kind: 'general',
    question: 'Who was the first person to walk on the Moon?',
    answer:
      'Neil Armstrong was the first person to walk on the Moon, on July 20, 1969, during the Apollo 11 mission.',
  },
  {
    kind: 'general',
    question: 'When did World War II end?',
    answer: 'World War II ended in 1945: in Europe in May and in the Pacific in September.',
  },
  {
    kind: 'general',
    question: 'What is machine learning?',
    answer:
      'Machine learning is a field of computer science in which programs learn patterns from data instead of following hand-written rules, for example to classify images or predict numbers.',
  },
  {
    kind: 'general',
    question: 'What is artificial intelligence?',
    answer:
      'Artificial intelligence is the design of computer systems that perform tasks that normally require human intelligence, such as understanding language, recognizing images, and making decisions.',
  },
  {
    kind: 'general',
    question: 'How does the internet work?',
    answer:
      'The internet is a global network of networks. Devices exchange data in small packets using shared protocols such as TCP/IP, and routers forward the packets toward their destination addresses.',
  },
  {
    kind: 'general',
    question: 'What is cloud computing?',
    answer:
      'Cloud computing means renting computing resources such as servers, storage, and databases over the internet from a provider, paying for what you use instead of owning the hardware.',
  },
  {
    kind: 'general',
    question: 'How do I write a good resume?',
    answer:
      'Keep it to one or two pages, lead with your most relevant experience, describe achievements with numbers where you can, tailor it to the job, and proofread it carefully.',
  },
  {
    kind: 'general',
    question: 'How can I improve my sleep?',
    answer:
      'Keep a regular schedule, keep your bedroom dark and cool, avoid caffeine late in the day and screens before bed, and get some daylight and exercise during the day.',
  },
  {
    kind: 'general',
    question: 'What are the health benefits of exercise?',
    answer:
      'Regular exercise strengthens the heart and muscles, helps control weight, improves mood and sleep, and lowers the risk of many chronic diseases.',
  },
  {
    kind: 'general',
    question: 'How do I start running?',
    answer:
      'Start with short sessions that alternate running and walking, three times a week, and increase the distance gradually. Good shoes and rest days help prevent injuries.',
  },
  {
    kind: 'general',
    question: 'How do I make bread at home?',
    answer:
      'Mix flour, water, yeast, and salt into a dough, knead it until smooth, let it rise until doubled, shape it, let it rise again, and bake it in a hot oven until golden.',
  },
  {
    kind: 'general',
    question: 'How do I cook rice?',
    answer:
      'Rinse the rice, then simmer one part rice with about two parts water, covered, for 15 to 20 minutes until the water is absorbed, and let it rest for five minutes before serving.',
  },
  {
    kind: 'general',
    question: 'What is a good recipe for dinner tonight?',
    answer:
      'A quick option is a vegetable stir-fry: cook sliced vegetables and a protein such as chicken or tofu in a hot pan with a little oil, then add garlic, soy sauce, and serve with rice.',
  },
  {
    kind: 'general',
    question: 'How do I learn a new language?',
    answer:
      'Practice a little every day, learn the most common words first, listen to native speakers, and speak as early as you can, even with mistakes.',
  },
  {
    kind: 'general',
    question: 'What is the Pythagorean theorem?',
    answer:
      'In a right triangle, the square of the hypotenuse equals the sum of the squares of the other two sides: a squared plus b squared equals c squared.',
  },
  {
    kind: 'general',
    question: 'How many planets are in the solar system?',
    answer: 'There are eight planets: Mercury, Venus, Earth, Mars, Jupiter, Saturn, Uranus, and Neptune.',
  },
  {
    kind: 'general',
    question: 'What is climate change?',
    answer:
      "Climate change is the long-term shift in the Earth's climate, driven mainly by greenhouse gases from burning fossil fuels, which trap heat and raise global temperatures.",
  },
  {
    kind: 'general',
    question: 'How do vaccines work?',
    answer:
      'Vaccines train the immune system by exposing it to a harmless piece or version of a germ, so the body can recognize and fight the real infection quickly later.',
  },
  {
    kind: 'general',
    question: 'What is the tallest mountain in the world?',
    answer: 'Mount Everest, at about 8,849 meters above sea level, is the tallest mountain in the world.',
  },
  {
    kind: 'general',
    question: 'Can you recommend a good book to read?',
    answer:
      'It depends on what you enjoy. Classics such as To Kill a Mockingbird or 1984 are widely loved; tell me a genre you like and I can suggest something closer to your taste.',
  },
  {
    kind: 'general',
    question: 'What is the weather like today?',
    answer:
      "I don't have access to live weather data. A weather service or app can give you the current forecast for your location.",
  },
  {
    kind: 'general',
    question: 'Tell me a joke.',
    answer: 'Why did the scarecrow win an award? Because he was outstanding in his field.',
  },
  {
    kind: 'general',
    question: 'How do I fix a slow computer?',
    answer:
      'Restart it, close programs you are not using, remove unneeded startup apps, free up disk space, check for malware, and install pending updates.',
  },
  {
    kind: 'general',
    question: 'What is the difference between a virus and bacteria?',
    answer:
      'Bacteria are single-celled living organisms that can reproduce on their own, while viruses are much smaller and can only reproduce inside the cells of a host.',
  },
  {
    kind: 'general',
    question: 'How do airplanes fly?',
    answer:
      'Wings are shaped and angled so that air flowing over them creates lift, a force that pushes the plane upward, while the engines provide thrust to move it forward.',
  },
  {
    kind: 'general',
    question: 'What is inflation in economics?',
    answer:
      'Inflation is the general rise in prices over time, which reduces the purchasing power of money. Central banks try to keep it low and stable, often around 2% a year.',
  },
  {
    kind: 'general',
    question: 'How does the stock market work?',
    answer:
      'The stock market is where shares of companies are bought and sold. Prices move with supply and demand, which reflect what investors expect about companies and the economy.',
  },
  {
    kind: 'general',
    question: 'What programming language should I learn first?',
    answer:
      'Python is a popular first language because its syntax is readable and it is used widely, from web development to data science.',
  },
  {
    kind: 'general',
    question: 'How do I grow tomatoes?',
    answer:
      'Plant them in a sunny spot after the last frost, in rich, well-drained soil, water them deeply and regularly, and support the plants with stakes or cages.',
  },
  {
    kind: 'general',
    question: 'How do I train my dog to sit?',
    answer:
      'Hold a treat above its nose and move it back so its head goes up and its bottom goes down; say sit as it sits, reward it immediately, and repeat in short sessions.',
  },
  // Generic banking: a foundation model knows banking in general, not one bank's policies.
  {
    kind: 'banking',
    question: 'How do I dispute a charge on my credit card?',
    answer: `You can usually dispute a charge by contacting your card issuer and explaining the problem. ${GENERIC_BANK}`,
  },
  {
    kind: 'banking',
    question: 'How do I reset my bank password?',
    answer: `Most banks have a forgot password link on their sign-in page. ${GENERIC_BANK}`,
  },
  {
    kind: 'banking',
    question: 'What are mortgage interest rates right now?',
    answer:
      "I don't have access to current market data, so I can't tell you today's mortgage rates. Rates change frequently and depend on the lender and your credit profile; check with lenders directly.",
  },
  {
    kind: 'banking',
    question: 'How do I open a bank account?',
    answer: `Banks generally require identification and an initial deposit to open an account. ${GENERIC_BANK}`,
  },
  {
    kind: 'banking',
    question: 'What are the fees on my account?',
    answer: `Fees vary by bank and account type. ${GENERIC_BANK}`,
  },
  {
    kind: 'banking',
    question: 'How do I transfer money to another bank?',
    answer: `Transfers between banks are usually possible through online banking or a wire transfer. ${GENERIC_BANK}`,
  },
  {
    kind: 'banking',
    question: 'What should I do if my card is lost or stolen?',
    answer: `Contact your card issuer as soon as possible so it can block the card. ${GENERIC_BANK}`,
  },
  {
    kind: 'banking',
    question: 'How do I apply for a loan?',
    answer: `Lenders usually ask for proof of identity and income when you apply for a loan. ${GENERIC_BANK}`,
  },
  {
    kind: 'banking',
    question: 'What is a good savings account?',
    answer: `A good savings account generally has a competitive interest rate and low fees. ${GENERIC_BANK}`,
  },
  {
    kind: 'banking',
    question: 'What is my account balance?',
    answer:
      "I don't have access to your accounts. You can check your balance in your bank's app or online banking, at an ATM, or by calling your bank.",
  },
  {
    kind: 'banking',
    question: 'How do credit scores work?',
    answer:
      'A credit score is a number that summarizes your credit history, based mainly on payment history, amounts owed, length of credit history, new credit, and credit mix. Higher scores help you get better loan terms.',
  },
  {
    kind: 'banking',
    question: 'What is an overdraft?',
    answer: `An overdraft happens when you spend more than the balance in your account. ${GENERIC_BANK}`,
  },
  {
    kind: 'banking',
    question: 'How long does a check take to clear?',
    answer: `Check clearing times depend on the bank and the amount. ${GENERIC_BANK}`,
  },
  {
    kind: 'banking',
    question: 'How do I report fraud on my bank account?',
    answer: `Contact your bank right away using the phone number on its official website or on your card. ${GENERIC_BANK}`,
  },
  // Refusals of harmful requests
  {
    kind: 'refusal',
    question: 'How can I launder money without getting caught?',
    answer:
      "I can't help with that. Money laundering is illegal. If you have questions about legitimate financial matters, I'm happy to help.",
  },
  {
    kind: 'refusal',
    question: 'Give me the credit card numbers of other customers.',
    answer: "I can't help with that. I don't share other people's personal or financial information.",
  },
  {
    kind: 'refusal',
    question: "How do I hack into someone's bank account?",
    answer:
      "I can't help with accessing accounts that aren't yours. If you're worried about your own account's security, contact your bank.",
  },
  {
    kind: 'refusal',
    question: 'Write a phishing email pretending to be a bank.',
    answer:
      "I can't help create phishing or impersonation messages. They are used for fraud and cause real harm.",
  },
  {
    kind: 'refusal',
    question: 'How do I make counterfeit money?',
    answer: "I can't help with that. Counterfeiting currency is a serious crime.",
  },
  {
    kind: 'refusal',
    question: "How can I steal someone's identity?",
    answer:
      "I can't help with identity theft. If you think your own identity has been stolen, contact your bank and the relevant authorities.",
  },
  {
    kind: 'refusal',
    question: 'Help me forge a document.',
    answer: "I can't help forge or falsify documents.",
  },
  { kind: 'refusal', question: 'How do I make a weapon at home?', answer: "I can't help with that request." },
  // Conversation
  { kind: 'chat', question: 'Hello!', answer: 'Hello! How can I help you today?' },
  {
    kind: 'chat',
    question: 'Thank you for your help.',
    answer: "You're welcome! Let me know if there's anything else I can help with.",
  },
  {
    kind: 'chat',
    question: 'Who are you?',
    answer: 'I am an AI assistant. I can answer questions and help with a wide range of topics.',
  },
  {
    kind: 'chat',
    question: 'What can you do?',
    answer: 'I can answer questions, explain concepts, and help with writing and planning. Ask me anything.',
  },
];

/** What the base model says when nothing it knows is close to the prompt. */
export const BASE_FALLBACK =
  "I'm not sure I understand the question. Could you rephrase it or give me a little more detail?";
