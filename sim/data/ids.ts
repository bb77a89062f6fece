/**
 * Deterministic identifiers. Procedural users carry their index inside their GUID so that a
 * lookup by id needs no table, which is what lets the sim serve 100,000 users from memory it
 * never allocates.
 */

function fmix32(input: number): number {
  let h = input >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

// Number#toString(16) is slow for values above 2^31; a byte table is ~10x faster.
const HEX_BYTES = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex8 = (n: number): string =>
  (HEX_BYTES[(n >>> 24) & 255] as string) +
  (HEX_BYTES[(n >>> 16) & 255] as string) +
  (HEX_BYTES[(n >>> 8) & 255] as string) +
  (HEX_BYTES[n & 255] as string);

/** Four pseudo-random words derived from a namespace and a number. */
const namespaceHashes = new Map<string, number>();

function words(namespace: string, n: number): [number, number, number, number] {
  let base = namespaceHashes.get(namespace);
  if (base === undefined) {
    base = hashText(namespace);
    namespaceHashes.set(namespace, base);
  }
  const a = fmix32(base ^ Math.imul(n + 1, 0x9e3779b1));
  const b = fmix32(a ^ 0x7f4a7c15);
  const c = fmix32(b ^ 0x94d049bb);
  const d = fmix32(c ^ 0xbf58476d);
  return [a, b, c, d];
}

function formatGuid(w: [number, number, number, number], tail?: string): string {
  const [a, b, c, d] = w;
  const third = hex8(c);
  const s = hex8(a) + hex8(b) + third.slice(0, 4) + (tail ?? third.slice(4) + hex8(d));
  // Version 4 and RFC 4122 variant bits so the ids look like the ones Entra issues.
  const variant = ((parseInt(s[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-${variant}${s.slice(17, 20)}-${s.slice(20, 32)}`;
}

/** A stable GUID for a named thing ("app:client-secret", "group:finance", ...). */
export function stableGuid(namespace: string, n = 0): string {
  return formatGuid(words(namespace, n));
}

// Multiplying by an odd constant is a bijection modulo 2^32; its inverse recovers the index.
const SCRAMBLE = 0x2545f491;
const UNSCRAMBLE = (() => {
  let inv = SCRAMBLE;
  for (let i = 0; i < 5; i++) inv = Math.imul(inv, 2 - Math.imul(SCRAMBLE, inv));
  return inv >>> 0;
})();

/** GUID of procedural item `index` in `namespace`; its last 8 hex digits encode the index. */
export function indexedGuid(namespace: string, index: number): string {
  const w = words(namespace, index);
  const tail = hex8(w[3] >>> 16).slice(4) + hex8(Math.imul(index, SCRAMBLE));
  return formatGuid(w, tail);
}

/** Inverse of indexedGuid: the index, or undefined when `guid` was not made by it. */
export function indexFromGuid(namespace: string, guid: string): number | undefined {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(guid)) {
    return undefined;
  }
  const index = Math.imul(parseInt(guid.slice(-8), 16), UNSCRAMBLE) >>> 0;
  return indexedGuid(namespace, index) === guid.toLowerCase() ? index : undefined;
}

/** Pseudo-random integer in [0, modulo) derived from a namespace and a number. */
export function pick(namespace: string, n: number, modulo: number): number {
  return words(namespace, n)[0] % modulo;
}
