import { describe, expect, test } from 'vitest';
import { LOCK_FILE, parseLock, withLock } from '../../src/core/lock.js';
import { render } from '../../src/core/render.js';
import { loadTemplates } from '../../src/core/templates.js';
import { allValidAnswers, isValidCombination } from '../../src/core/validate.js';
import { FEATURES } from '../../src/features/index.js';
import { PRESETS } from './presets.js';

/**
 * Every valid combination of answers renders (580 of them: see test/cli/validate.test.ts for the count),
 * and what it renders is consistent: the package is named, the lock lists exactly the files, the managed
 * feature list names exactly the enabled features' modules.
 */
const templates = loadTemplates();
const all = [...allValidAnswers()];

describe('the answer matrix', () => {
  test(`all ${all.length} valid combinations render a consistent project`, () => {
    expect(all.length).toBe(580);
    for (const answers of all) {
      const label = JSON.stringify(answers);
      const tree = withLock(answers, render(answers, { templates }));
      const lock = parseLock(tree.get(LOCK_FILE) ?? '', label);
      expect(Object.keys(lock.files).sort(), label).toEqual(
        [...tree.keys()].filter((p) => p !== LOCK_FILE).sort(),
      );
      expect(lock.answers).toEqual(answers);
      expect(JSON.parse(tree.get('package.json') ?? '').name).toBe(answers.name);
      for (const path of tree.keys())
        expect(path.endsWith('.hbs') || path.includes('@sections'), path).toBe(false);

      const generated = tree.get('src/features.generated.ts') ?? '';
      for (const feature of FEATURES) {
        if (!feature.module) continue;
        const imported = generated.includes(`from '${feature.module.from}'`);
        expect(imported, `${feature.id} in ${label}`).toBe(feature.enabled(answers));
      }
    }
  });

  test('render is deterministic: the same answers give the same bytes (update rebuilds its merge base this way)', () => {
    for (const answers of Object.values(PRESETS)) {
      expect(render(answers, { templates })).toEqual(render(answers, { templates }));
    }
  });

  test('the presets are valid combinations', () => {
    for (const answers of Object.values(PRESETS)) expect(isValidCombination(answers)).toBe(true);
  });
});
