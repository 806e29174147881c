/** Temperature excursions: runs outside a range and how long they last (sample and hold). */
import { analyseTemperatures } from '../src/compliance/excursions';

const T0 = Date.parse('2026-03-01T00:00:00Z');
/** A point `minutes` after T0. */
const at = (minutes: number, celsius: number) => ({ time: T0 + minutes * 60_000, celsius });

describe('analyseTemperatures', () => {
  it('finds no run when every reading is within the range, bounds included', () => {
    const analysis = analyseTemperatures([at(0, 0), at(5, 4), at(10, 2)], 0, 4);
    expect(analysis).toEqual({ count: 3, minCelsius: 0, maxCelsius: 4, runs: [] });
  });

  it('measures a run from its first out-of-range reading to the next reading back in range', () => {
    const { runs } = analyseTemperatures([at(0, 3), at(10, 5), at(20, 6.5), at(40, 3.9)], 0, 4);
    expect(runs).toEqual([
      {
        start: T0 + 10 * 60_000,
        end: T0 + 40 * 60_000,
        minutes: 30,
        open: false,
        carried: false,
        worstCelsius: 6.5,
        worstDeviation: 2.5,
      },
    ]);
  });

  it('gives a lone last reading out of range 0 minutes, and an open run its observed span', () => {
    expect(analyseTemperatures([at(0, 3), at(5, 12)], 0, 4).runs[0]).toMatchObject({
      minutes: 0,
      open: true,
    });
    expect(analyseTemperatures([at(0, 5), at(25, 6)], 0, 4).runs[0]).toMatchObject({
      minutes: 25,
      open: true,
    });
  });

  it('sorts readings by time before measuring, and separates runs', () => {
    const { runs } = analyseTemperatures([at(30, -1), at(0, 5), at(10, 3), at(40, 2), at(5, 5)], 0, 4);
    expect(runs.map((run) => [run.minutes, run.worstCelsius])).toEqual([
      [10, 5],
      [10, -1],
    ]);
  });

  it('checks one bound only when the other is absent (frozen: at most -18 °C)', () => {
    const { runs } = analyseTemperatures([at(0, -25), at(10, -17.9), at(20, -18)], undefined, -18);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ minutes: 10, worstCelsius: -17.9 });
    expect(runs[0]?.worstDeviation).toBeCloseTo(0.1, 9);
  });

  it('continues a run carried from the previous batch, or ends it at the first reading back in range', () => {
    const since = T0 - 20 * 60_000;
    expect(analyseTemperatures([at(0, 6), at(15, 7)], 0, 4, since).runs[0]).toMatchObject({
      start: since,
      minutes: 35,
      open: true,
      carried: true,
      worstCelsius: 7,
    });
    const ended = analyseTemperatures([at(0, 3)], 0, 4, since).runs[0];
    expect(ended).toMatchObject({ minutes: 20, open: false, carried: true, worstDeviation: 0 });
    expect(ended?.worstCelsius).toBeUndefined();
  });
});
