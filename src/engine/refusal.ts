/**
 * A call the engine turns away before (or instead of) running it, with the HTTP status the faces
 * answer: 404 unknown instance or command, 403 not granted, 400 invalid arguments, 503 busy (or
 * the shared state unreachable).
 */
export interface Refusal {
  refused: true;
  status: 400 | 403 | 404 | 503;
  code:
    | 'unknown_instance'
    | 'unknown_command'
    | 'forbidden'
    | 'invalid_arguments'
    | 'overloaded'
    | 'state_unavailable';
  message: string;
  retryAfterSeconds?: number;
}

export const isRefusal = (value: unknown): value is Refusal =>
  typeof value === 'object' && value !== null && 'refused' in value;

export const refused = (
  status: Refusal['status'],
  code: Refusal['code'],
  message: string,
  retryAfterSeconds?: number,
): Refusal => ({
  refused: true,
  status,
  code,
  message,
  ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
});
