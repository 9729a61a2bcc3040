import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ChangedList, ListChanges } from '../../src/core/list-changes.js';
import { fadingTool } from '../fixtures/fading.js';

const DAY_MS = 24 * 60 * 60 * 1_000;

describe('ListChanges', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('announces the tools list at each sunset still ahead, and nothing for one already past', () => {
    vi.useFakeTimers();
    const soon = fadingTool(1_000).tools;
    const past = fadingTool(-1_000).tools.map((tool) => ({ ...tool, name: 'gone' }));
    const changes = new ListChanges({ tools: [...soon, ...past] });
    const heard: ChangedList[] = [];
    changes.on((list) => heard.push(list));
    vi.advanceTimersByTime(999);
    expect(heard).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(heard).toEqual(['tools']);
    vi.advanceTimersByTime(DAY_MS);
    expect(heard).toEqual(['tools']);
    changes.close();
  });

  it('waits out a sunset weeks away in steps, instead of firing at once (setTimeout caps at ~24.8 days)', () => {
    vi.useFakeTimers();
    const changes = new ListChanges({ tools: fadingTool(40 * DAY_MS).tools });
    const heard: ChangedList[] = [];
    changes.on((list) => heard.push(list));
    vi.advanceTimersByTime(39 * DAY_MS);
    expect(heard).toEqual([]);
    vi.advanceTimersByTime(DAY_MS);
    expect(heard).toEqual(['tools']);
    changes.close();
  });

  it('stops announcing once closed', () => {
    vi.useFakeTimers();
    const changes = new ListChanges({ tools: fadingTool(1_000).tools });
    const heard: ChangedList[] = [];
    changes.on((list) => heard.push(list));
    changes.close();
    vi.advanceTimersByTime(2_000);
    expect(heard).toEqual([]);
  });
});
