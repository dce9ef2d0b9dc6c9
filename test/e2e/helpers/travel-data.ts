/** A travel assistant's data: nothing like the banking sample. */
export function travelData(n: number): string {
  const topics = [
    ['change my flight', 'Open My Trips, choose the flight and select Change; fare differences apply.'],
    ['bring a stroller on board', 'Strollers travel free and can be checked at the gate.'],
    [
      'get a refund for a cancelled train',
      'Cancelled trains are refunded in full to the original payment card within 7 days.',
    ],
    [
      'add checked luggage',
      'Add a bag in My Trips up to 3 hours before departure; it costs less online than at the airport.',
    ],
    [
      'choose a window seat',
      'Pick a seat in My Trips under Seats; window seats cost 8 euros on short flights.',
    ],
    [
      'book a hotel near the airport',
      'Search Hotels with the airport code and filter by distance; free cancellation is shown per room.',
    ],
  ];
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const [ask, answer] = topics[i % topics.length]!;
    const user = `How do I ${ask} for trip number ${1000 + i}?`;
    lines.push(
      JSON.stringify({
        schemaVersion: 'bedrock-conversation-2024',
        system: [{ text: 'You are a helpful travel assistant.' }],
        messages: [
          { role: 'user', content: [{ text: user }] },
          { role: 'assistant', content: [{ text: answer }] },
        ],
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}
