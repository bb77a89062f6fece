import type { JsonObject } from '../types.js';
import { indexFromGuid } from './ids.js';
import { NAMED_USERS, namedUser, proceduralUser, proceduralUserId } from './people.js';
import { TENANT } from './tenant.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PROCEDURAL_UPN = new RegExp(`^user(\\d+)@${TENANT.domain.replace(/\./g, '\\.')}$`, 'i');

/** A change recorded for /users/delta: the change number and whether the user is gone. */
interface Change {
  seq: number;
  removed: boolean;
}

/**
 * The user store. Seed users (named, then procedural user1..userN) are generated on demand from
 * their position; only creations, patches and deletions are kept in memory. Positions are stable
 * (deletions leave holes), which is what makes skip tokens simple cursors.
 */
export class Directory {
  private readonly named: JsonObject[];
  private readonly namedPositions = new Map<string, number>();
  readonly proceduralCount: number;
  private readonly created: JsonObject[] = [];
  private readonly createdPositions = new Map<string, number>();
  private readonly patches = new Map<string, JsonObject>();
  private readonly deleted = new Set<string>();
  /** Lower-case UPN → id for named, created and renamed users. */
  private readonly upnIndex = new Map<string, string>();
  private readonly changes = new Map<string, Change>();
  private changeSeq = 0;

  constructor(totalUsers: number) {
    this.named = NAMED_USERS.map((seed, i) => namedUser(seed, i));
    this.named.forEach((user, i) => {
      this.namedPositions.set(String(user.id), i);
      this.upnIndex.set(String(user.userPrincipalName).toLowerCase(), String(user.id));
    });
    this.proceduralCount = Math.max(0, totalUsers - this.named.length);
  }

  /** Number of positions ever used (including deleted ones). */
  get size(): number {
    return this.named.length + this.proceduralCount + this.created.length;
  }

  get activeCount(): number {
    return this.size - this.deleted.size;
  }

  /** Monotonic change counter; a delta token is a value of it. */
  get changeNumber(): number {
    return this.changeSeq;
  }

  /** The user at a position, or undefined for a hole left by a deletion. */
  at(position: number): JsonObject | undefined {
    if (position < 0) return undefined;
    let base: JsonObject | undefined;
    let stored = true;
    if (position < this.named.length) {
      base = this.named[position];
    } else if (position < this.named.length + this.proceduralCount) {
      // Generated users are fresh objects: no defensive copy needed.
      base = proceduralUser(position - this.named.length + 1);
      stored = false;
    } else {
      base = this.created[position - this.named.length - this.proceduralCount];
    }
    if (!base) return undefined;
    const id = String(base.id);
    if (this.deleted.size > 0 && this.deleted.has(id)) return undefined;
    const patch = this.patches.size > 0 ? this.patches.get(id) : undefined;
    if (patch) return { ...base, ...patch };
    return stored ? { ...base } : base;
  }

  private positionOfId(id: string): number | undefined {
    const named = this.namedPositions.get(id);
    if (named !== undefined) return named;
    const created = this.createdPositions.get(id);
    if (created !== undefined) return created;
    const n = indexFromGuid('user', id);
    if (n !== undefined && n >= 1 && n <= this.proceduralCount) return this.named.length + n - 1;
    return undefined;
  }

  /** Finds a live user by object id or by user principal name (case-insensitive). */
  resolve(key: string): JsonObject | undefined {
    if (GUID.test(key)) {
      const position = this.positionOfId(key.toLowerCase());
      return position === undefined ? undefined : this.at(position);
    }
    const upn = key.toLowerCase();
    const indexed = this.upnIndex.get(upn);
    const procedural = PROCEDURAL_UPN.exec(upn);
    const candidates = [indexed, procedural ? proceduralUserId(Number(procedural[1])) : undefined];
    for (const id of candidates) {
      if (!id) continue;
      const user = this.resolve(id);
      // A renamed user keeps its old index entry; only the current UPN counts.
      if (user && String(user.userPrincipalName).toLowerCase() === upn) return user;
    }
    return undefined;
  }

  /** Position of a live user found by id or UPN (the directory's "index" lookups). */
  positionOf(key: string): number | undefined {
    const user = this.resolve(key);
    return user ? this.positionOfId(String(user.id)) : undefined;
  }

  upnTaken(upn: string, exceptId?: string): boolean {
    const user = this.resolve(upn);
    return user !== undefined && user.id !== exceptId;
  }

  create(user: JsonObject): JsonObject {
    const id = String(user.id);
    this.created.push(user);
    this.createdPositions.set(id, this.size - 1);
    this.upnIndex.set(String(user.userPrincipalName).toLowerCase(), id);
    this.recordChange(id, false);
    return { ...user };
  }

  update(id: string, patch: JsonObject): void {
    const merged = { ...(this.patches.get(id) ?? {}), ...patch };
    this.patches.set(id, merged);
    if (typeof patch.userPrincipalName === 'string') {
      this.upnIndex.set(patch.userPrincipalName.toLowerCase(), id);
    }
    this.recordChange(id, false);
  }

  remove(id: string): void {
    this.deleted.add(id);
    this.recordChange(id, true);
  }

  private recordChange(id: string, removed: boolean): void {
    this.changes.set(id, { seq: ++this.changeSeq, removed });
  }

  /** Users changed after change number `since`, in change order. */
  changedSince(since: number): { id: string; user: JsonObject | undefined }[] {
    return [...this.changes.entries()]
      .filter(([, change]) => change.seq > since)
      .sort((a, b) => a[1].seq - b[1].seq)
      .map(([id, change]) => ({ id, user: change.removed ? undefined : this.resolve(id) }));
  }

  /** The seed key of a named user ("admin", "kim", ...), if `id` is one. */
  namedKeyOf(id: string): string | undefined {
    const position = this.namedPositions.get(id);
    return position === undefined ? undefined : NAMED_USERS[position]?.key;
  }

  /** The procedural index of `id`, if it is a generated user. */
  proceduralIndexOf(id: string): number | undefined {
    const n = indexFromGuid('user', id);
    return n !== undefined && n >= 1 && n <= this.proceduralCount ? n : undefined;
  }
}
