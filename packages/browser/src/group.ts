import { isFreshToken } from './answer.js';
import { type FreshToken, type RefreshError, Refresher, type RefresherDeps } from './refresher.js';

/** One embed's side of a group: where tokens and errors go. */
export interface Member {
  deliver(token: FreshToken): void;
  error(error: RefreshError): void;
}

/**
 * All embeds of one token URL (route + dashboard) in this page, and, through a BroadcastChannel,
 * in every tab of this browser. One tab leads (it holds a Web Lock): the others ask it for a token
 * and fetch themselves only if it does not answer. Without Web Locks every tab fetches for itself,
 * and without BroadcastChannel every page: the plain fallback.
 */
export interface Group {
  readonly refresher: Refresher;
  /** Adds an embed; returns how it leaves (the last one out closes the group). */
  join(member: Member): () => void;
  /** An embed's token is expiring (`customerJwtExpired`), or the group's is due. */
  need(member?: Member): void;
  /** Answers that ended refreshing are behind us (the user logged in again): go on, in every tab. */
  restart(): void;
}

type Message =
  | { t: 'token'; token: FreshToken }
  | { t: 'need'; expiring?: string }
  | { t: 'ack' }
  // `error` is for tabs running an earlier version of this helper: this one checks for itself.
  | { t: 'end'; error: RefreshError };

/** How long a follower waits for the leader to acknowledge its request before fetching itself. */
const ACK_WAIT_MS = 1_000;
/** A tab checks another's ending at most this often: a page posting endings in a loop costs one request a minute. */
const CHECK_MS = 60_000;
const groups = new Map<string, Group>();

/**
 * The page's group for `key`, made on first use with `deps` (the first embed's settings). `tabs`:
 * shared with the other tabs of this browser that name the same key, or kept to this page.
 */
export function groupFor(key: string, deps: Omit<RefresherDeps, 'fetched' | 'onError' | 'due'>, tabs = true): Group {
  const id = `${tabs ? 'tabs' : 'page'}:${key}`;
  let group = groups.get(id);
  if (!group) {
    group = createGroup(id, key, deps, tabs);
    groups.set(id, group);
  }
  return group;
}

function createGroup(id: string, key: string, deps: Omit<RefresherDeps, 'fetched' | 'onError' | 'due'>, tabs: boolean): Group {
  const name = `explo-embed:${key}`;
  const members = new Map<Member, string | undefined>();
  const channel = tabs && typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : undefined;
  const locks = channel && typeof navigator !== 'undefined' ? navigator.locks : undefined;
  const lockRequest = new AbortController();
  let current: FreshToken | undefined;
  let leader = !locks;
  let release: (() => void) | undefined;
  let waiting: ReturnType<typeof setTimeout> | undefined;
  // One acknowledgement extends a follower's wait once: acks posted in a loop cannot hold it off.
  let acked = false;
  let checked = -CHECK_MS;

  const post = (message: Message) => channel?.postMessage(message);
  // The current token with the seconds it has left now: the receiving tab counts from its receipt.
  const stamped = (token: FreshToken): FreshToken => ({ ...token, expiresIn: Math.max(0, (refresher.remaining() ?? 0) / 1000) });
  const deliver = (token: FreshToken, to: Iterable<Member> = members.keys()) => {
    current = token;
    clearTimeout(waiting);
    waiting = undefined;
    for (const member of to) {
      if (members.get(member) === token.jwt) continue;
      members.set(member, token.jwt);
      member.deliver(token);
    }
  };
  const fail = (error: RefreshError) => {
    for (const member of members.keys()) member.error(error);
  };

  const refresher: Refresher = new Refresher({
    ...deps,
    due: () => group.need(),
    fetched: (token) => {
      deliver(token);
      post({ t: 'token', token: stamped(token) });
    },
    onError: (error) => {
      fail(error);
      if (!error.willRetry) post({ t: 'end', error });
    },
  });

  const fetchSelf = () => {
    waiting = undefined;
    void refresher.refresh();
  };

  if (channel) {
    // Any page of this origin can post here: a token is checked as a token route's answer is, and an
    // ending is not taken on its word (a request of this tab's own ends it only if its answer does).
    channel.onmessage = ({ data }: MessageEvent<Message | null>) => {
      if (data?.t === 'token') {
        if (!isFreshToken(data.token)) return;
        if (refresher.state === 'ended') refresher.state = 'active';
        refresher.adopt(data.token);
        deliver(data.token);
      } else if (data?.t === 'need' && leader) {
        if (data.expiring !== undefined && typeof data.expiring !== 'string') return;
        post({ t: 'ack' });
        // A follower that missed a newer token gets it again; one whose token is this one gets a fresh one.
        if (current && current.jwt !== data.expiring && !refresher.due()) post({ t: 'token', token: stamped(current) });
        else void refresher.refresh();
      } else if (data?.t === 'ack' && waiting !== undefined && !acked) {
        acked = true;
        clearTimeout(waiting);
        waiting = setTimeout(fetchSelf, deps.timeoutMs + ACK_WAIT_MS);
      } else if (data?.t === 'end' && deps.now() - checked >= CHECK_MS) {
        checked = deps.now();
        void refresher.refresh();
      }
    };
  }
  // Every tab queues for the lock; the holder leads until it closes, then the next one does.
  locks
    ?.request(name, { signal: lockRequest.signal }, () => {
      leader = true;
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    })
    .catch(() => {});

  const group: Group = {
    refresher,
    join(member) {
      members.set(member, undefined);
      return () => {
        members.delete(member);
        if (members.size > 0) return;
        groups.delete(id);
        refresher.halt('stopped');
        clearTimeout(waiting);
        channel?.close();
        lockRequest.abort();
        release?.();
      };
    },
    need(member) {
      if (refresher.state !== 'active') return;
      // The group already holds a newer token than this embed's: hand it that one.
      if (member && current && members.get(member) !== current.jwt && !refresher.due()) return deliver(current, [member]);
      if (leader) return void refresher.refresh();
      if (waiting !== undefined) return;
      const expiring = member ? members.get(member) : current?.jwt;
      post(expiring ? { t: 'need', expiring } : { t: 'need' });
      acked = false;
      waiting = setTimeout(fetchSelf, ACK_WAIT_MS);
    },
    restart() {
      void refresher.restart();
    },
  };
  return group;
}
