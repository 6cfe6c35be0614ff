import type { Message } from './agent-store';

/** One open stream's view of the fan-out: committed messages as they are announced. */
export interface StreamSubscriber {
  /** A committed message of the agent; it may repeat, come out of order, or follow a gap. */
  deliver(message: Message): void;
  /** Announcements may have been missed (the fan-out lost or regained Redis): read the database. */
  resync(): void;
}

/**
 * Moves committed messages to the open streams of their agent. `live` says whether every committed
 * message reaches the subscribers; while it is `false` the streams poll the database as well.
 */
export interface MessageFanOut {
  readonly live: boolean;
  /** Announces a committed message (call it after the commit, never before); never rejects. */
  publish(message: Message): Promise<void>;
  /** Registers `subscriber` for the agent's messages; resolves once nothing announced later can be missed. */
  subscribe(agentId: string, subscriber: StreamSubscriber): Promise<() => void>;
  close(): Promise<void>;
}

/** The subscribers of each agent with an open stream in this process. */
export class LocalSubscribers {
  readonly #byAgent = new Map<string, Set<StreamSubscriber>>();

  /** Adds `subscriber`; the returned function removes it and tells whether it was the agent's last. */
  add(agentId: string, subscriber: StreamSubscriber): () => boolean {
    let subscribers = this.#byAgent.get(agentId);
    if (!subscribers) {
      subscribers = new Set();
      this.#byAgent.set(agentId, subscribers);
    }
    subscribers.add(subscriber);
    return () => {
      const current = this.#byAgent.get(agentId);
      if (!current?.delete(subscriber) || current.size > 0) return false;
      this.#byAgent.delete(agentId);
      return true;
    };
  }

  deliver(message: Message): void {
    const subscribers = this.#byAgent.get(message.agentId);
    if (subscribers) for (const subscriber of subscribers) subscriber.deliver(message);
  }

  resync(agentId: string): void {
    const subscribers = this.#byAgent.get(agentId);
    if (subscribers) for (const subscriber of subscribers) subscriber.resync();
  }

  resyncAll(): void {
    for (const subscribers of this.#byAgent.values())
      for (const subscriber of subscribers) subscriber.resync();
  }
}

/**
 * Without Redis: a message reaches the streams of this process only, so streams also poll the
 * database for what other instances wrote (`live` is `false`).
 */
export function processFanOut(): MessageFanOut {
  const subscribers = new LocalSubscribers();
  return {
    live: false,
    async publish(message) {
      subscribers.deliver(message);
    },
    async subscribe(agentId, subscriber) {
      const remove = subscribers.add(agentId, subscriber);
      return () => void remove();
    },
    async close() {},
  };
}
