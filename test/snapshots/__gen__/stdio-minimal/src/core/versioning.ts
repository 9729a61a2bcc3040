import type { Logger } from 'pino';
import type { z } from 'zod';
import { envelope } from './errors.js';
import type { Outcome } from './operation.js';
import { describeIssues } from './tool-result.js';

/** A published version's deprecation: what replaces it, and the day it stops working. */
export interface Deprecation {
  replacedBy: string;
  sunset: string;
}

/** When a deprecated version leaves its list and answers TOOL_RETIRED; undefined for a live one. */
export const sunsetOf = (deprecated: Deprecation | undefined): number | undefined =>
  deprecated ? Date.parse(deprecated.sunset) : undefined;

/** The earliest of `sunsets` still ahead of `now`: when a list changes next, if ever. */
export function nextSunset(sunsets: Iterable<number | undefined>, now: number): number | undefined {
  let next: number | undefined;
  for (const at of sunsets) if (at !== undefined && at > now && (next === undefined || at < next)) next = at;
  return next;
}

/**
 * How a deprecated version is listed. Agents read descriptions; clients and gateways can read `_meta`. Say it
 * in both.
 */
export function deprecatedListing(description: string, { replacedBy, sunset }: Deprecation) {
  return {
    description: `${description}\n\nDeprecated: use ${replacedBy} instead. This version stops working on ${sunset}.`,
    _meta: { deprecated: { replacedBy, sunset } },
  };
}

/** What differs between a tool and a prompt in the words of their refusals and warnings. */
interface VersionedItem {
  name: string;
  deprecated?: Deprecation;
  schema: z.ZodType;
  log: Logger;
  /** "Call" (a tool) or "Use" (a prompt): what the retirement message tells the caller to do instead. */
  verb: string;
  /** "deprecated tool called" or "deprecated prompt used": the warning each use of a deprecated version logs. */
  warning: string;
}

/**
 * A versioned item's `prepare`: after its sunset a version answers TOOL_RETIRED naming the replacement, before
 * it each use logs a warning (find who still calls it), and arguments that do not match the schema are
 * INVALID_ARGUMENT naming the field.
 */
export function versionedPrepare<Args>(item: VersionedItem): (args: unknown) => Outcome<Args> {
  const { name, deprecated, schema, log } = item;
  const sunsetMs = sunsetOf(deprecated);
  return (args) => {
    if (deprecated && sunsetMs !== undefined) {
      if (Date.now() >= sunsetMs) {
        const message = `${name} was retired on ${deprecated.sunset}. ${item.verb} ${deprecated.replacedBy} instead.`;
        return { ok: false, error: envelope('TOOL_RETIRED', message) };
      }
      log.warn(deprecated, `${item.warning}; callers should move to ${deprecated.replacedBy}`);
    }
    const parsed = schema.safeParse(args ?? {});
    if (parsed.success) return { ok: true, result: parsed.data as Args };
    const message = `Invalid arguments for ${name}: ${describeIssues(parsed.error.issues)}`;
    return { ok: false, error: envelope('INVALID_ARGUMENT', message) };
  };
}
