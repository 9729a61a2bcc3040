import { describe, expect, it } from 'vitest';
import { BoundedMap, evictionReporter } from '../../src/core/bounded-map.js';
import { recordingApp } from '../helpers/recording-app.js';

describe('BoundedMap', () => {
  it('holds at most maxKeys under 20,000 distinct keys, reporting each eviction and logging one line', () => {
    const { app, evicted, logs } = recordingApp();
    const map = new BoundedMap<string, number>(1000, evictionReporter(app, 'probe', '1000 keys'));
    for (let i = 0; i < 20_000; i++) map.set(`run-${i}`, i);
    expect(map.size).toBe(1000);
    expect(evicted).toHaveLength(19_000);
    expect(new Set(evicted)).toEqual(new Set(['probe']));
    // An eviction storm is one sampled warning, not 19,000 lines.
    const warnings = logs.filter((line) => line.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ store: 'probe', counts: { evicted: 1 } });
    expect(warnings[0]?.msg).toBe(
      'in-memory store "probe" is full (1000 keys): forgetting its least recently used entries',
    );
  });

  it('forgets the least recently used key first: get marks a key used, peek does not', () => {
    const forgotten: string[] = [];
    const map = new BoundedMap<string, number>(3, (key) => forgotten.push(key));
    map.set('a', 1);
    map.set('b', 2);
    map.set('c', 3);
    expect(map.get('a')).toBe(1);
    expect(map.peek('b')).toBe(2);
    map.set('d', 4);
    map.set('e', 5);
    expect(forgotten).toEqual(['b', 'c']);
    expect([...map.entries()].map(([key]) => key)).toEqual(['a', 'd', 'e']);
  });

  it('replacing a held key takes no room and forgets nothing', () => {
    const forgotten: string[] = [];
    const map = new BoundedMap<string, number>(2, (key) => forgotten.push(key));
    map.set('a', 1);
    map.set('b', 2);
    map.set('a', 3);
    expect([map.size, map.peek('a'), forgotten]).toEqual([2, 3, []]);
  });
});
