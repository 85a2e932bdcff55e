// The Airtable contract suite spends minutes waiting on the driver's request
// budget (5 requests/s, as Airtable allows) and little CPU. Starting it first
// lets the other suites run beside it on the second worker instead of after it.
const Sequencer = require('@jest/test-sequencer').default;

const WAITS_ON_RATE_LIMIT = /airtable-store\.contract\.spec\.ts$/;

class RateBoundFirstSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    return [...sorted.filter((t) => WAITS_ON_RATE_LIMIT.test(t.path)), ...sorted.filter((t) => !WAITS_ON_RATE_LIMIT.test(t.path))];
  }
}

module.exports = RateBoundFirstSequencer;
