// The integration tests tell one story on one ledger (the alliance is formed, members join, lots move), so
// their files run in name order: 01-..., 02-...
const Sequencer = require('@jest/test-sequencer').default;

class ByName extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => a.path.localeCompare(b.path));
  }
}

module.exports = ByName;
