import {
  acceptedContent,
  CLIENT_CAPABILITIES_META_KEY,
  type ClientCapabilities,
  type InputRequest,
  type InputRequests,
  type InputResponses,
  type InputResponseView,
  inputRequired,
  inputResponse,
  ProtocolError,
  ProtocolErrorCode,
  type ServerContext,
  type StandardSchemaV1,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { type RawResult, rawResult } from './content.js';
import type { RequestStateSealer, StateBinding } from './request-state.js';

/**
 * Asking the user (or the client's model) mid-call, the stateless way (SEP-2322, 2026-07-28): a handler cannot
 * wait for an answer, so it returns `ctx.ask(...)` and ends this round; the client answers and calls again with
 * the same arguments, and the handler runs again, now finding the answers through `ctx.input(key)`:
 *
 *   const confirmed = ctx.accepted('confirm', Confirm);
 *   if (!confirmed) return ctx.ask({ confirm: elicitForm('Delete note 7?', Confirm) });
 *
 * The state a round leaves for the next is sealed (request-state.ts) and bound to the caller, the item and its
 * arguments; answers count only for keys this call asked for, so a client cannot pre-fill a confirmation.
 * 2025 clients are served by the SDK, which turns the same rounds into elicitation/sampling requests.
 */
export interface InputRound {
  /** The client's answer to what an earlier round asked under `key` (`kind: 'missing'` before that). */
  input(key: string): InputResponseView;
  /** An accepted form answer under `key`, checked against `schema`; undefined if declined, missing or invalid. */
  accepted<S extends StandardSchemaV1>(key: string, schema: S): StandardSchemaV1.InferOutput<S> | undefined;
  /** What the previous round passed to `ctx.ask(…, state)`; undefined in the first round. */
  state<T = unknown>(): T | undefined;
  /** Whether the client said it can answer this kind of request (2026 clients say so on every request). */
  clientCan(capability: 'elicitation' | 'sampling' | 'roots'): boolean;
  /**
   * Ends this round: the client answers `requests` and calls again. `state` (JSON, not secret: the client can
   * read it) comes back through `ctx.state()`. Asking for what the client cannot answer fails with the spec's
   * missing-capability error (-32021, HTTP 400).
   */
  ask(requests: InputRequests, state?: unknown): RawResult;
}

/** What one round seals for the next: the keys it asked for and the handler's own state. */
interface SealedRound {
  asked: string[];
  data?: unknown;
}

/** A form the client shows the user; `schema` is a flat zod object (strings, numbers, booleans, enums). */
export function elicitForm(message: string, schema: z.ZodObject): InputRequest {
  const { $schema: _, ...requestedSchema } = z.toJSONSchema(schema) as Record<string, unknown>;
  return inputRequired.elicit({ message, requestedSchema } as Parameters<typeof inputRequired.elicit>[0]);
}

/** Sends the user to a page (sign-in, payment, a consent screen) and resumes when they come back. */
export const elicitUrl = (message: string, url: string): InputRequest =>
  inputRequired.elicitUrl({ message, url });

/** Asks the client's model for a completion (sampling); the answer reads as `ctx.input(key).kind === 'sampling'`. */
export const sample = (prompt: string, maxTokens: number): InputRequest =>
  inputRequired.createMessage({
    messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
    maxTokens,
  });

/** Asks the client which directories or URIs it exposes (roots). */
export const listRoots = (): InputRequest => inputRequired.listRoots();

/** Why a state was refused stays in our log: the client gets the spec's one answer, -32602. */
export const stateRefused = () =>
  new ProtocolError(ProtocolErrorCode.InvalidParams, 'Invalid or expired requestState', {
    reason: 'invalid_request_state',
  });

/** The round API of one handler run: `opened` is the verified state of this round, if the client sent one. */
export function inputRound(
  sealer: RequestStateSealer,
  binding: StateBinding,
  opened: unknown,
  sdk: ServerContext | undefined,
  kept?: InputResponses,
): InputRound {
  const round = opened as SealedRound | undefined;
  const asked = new Set(round?.asked ?? []);
  // Answers to questions this call did not ask are ignored: they came from the client alone.
  const responses = Object.fromEntries(
    Object.entries(kept ?? sdk?.mcpReq.inputResponses ?? {}).filter(([key]) => asked.has(key)),
  );
  const declared = (sdk?.mcpReq.envelope as Record<string, ClientCapabilities | undefined> | undefined)?.[
    CLIENT_CAPABILITIES_META_KEY
  ];
  return {
    input: (key) => inputResponse(responses, key),
    accepted: (key, schema) => acceptedContent(responses, key, schema),
    state: <T>() => round?.data as T | undefined,
    // A 2025 client declared its capabilities at initialize; the SDK checks those when it relays the request.
    clientCan: (capability) => declared === undefined || declared[capability] !== undefined,
    ask: (requests, state) => {
      const sealed: SealedRound = {
        asked: Object.keys(requests),
        ...(state !== undefined && { data: state }),
      };
      return rawResult(
        inputRequired({ inputRequests: requests, requestState: sealer.seal(sealed, binding) }),
      );
    },
  };
}
