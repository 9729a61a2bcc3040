import type { ToolDefinition } from '../core/tool.js';
import { convertTemperatureV1 } from './convert-temperature/v1.js';
import { convertTemperatureV2 } from './convert-temperature/v2.js';
import { npmPackageV1 } from './npm-package/v1.js';
import { npmReportV1 } from './npm-report/v1.js';

/**
 * Every published tool version. To change a tool's schema, add a new version file and list it here; the
 * published one stays as it is (`npm run tools:check` fails otherwise) until it is deprecated and retired.
 */
export const tools: readonly ToolDefinition[] = [
  convertTemperatureV1,
  convertTemperatureV2,
  npmPackageV1,
  npmReportV1,
];
