/**
 * A Jupyter client over ZeroMQ: the five channels of one kernel (shell, iopub, control, stdin,
 * heartbeat), signed requests, replies matched to requests by `parent_header.msg_id`, and iopub
 * messages routed to whoever asked for the request that caused them.
 */
import * as zmq from "zeromq";
import { ConnectionInfo, channelAddress } from "./connection";
import { JupyterMessage, makeMessage, newId, parse, serialize } from "./wire";

/** Channels on which the client sends requests. */
export type RequestChannel = "shell" | "control";

/** An output-carrying iopub message as it arrives. */
export type IopubListener = (msgType: string, content: Record<string, unknown>, msg: JupyterMessage) => void;

/** The result of `execute`. */
export interface ExecuteOutcome {
  /** The execute_reply content (`status` "ok" | "error" | "abort"), or null when the cell timed out or was stopped. */
  reply: Record<string, unknown> | null;
  /** Why there is no reply: the time limit passed, the caller aborted, or the kernel died. */
  stopped?: "timeout" | "aborted" | "kernel-died";
}

class TimeoutError extends Error {
  override name = "TimeoutError";
}

/** Serialises sends: a zeromq v6 socket allows one send in flight at a time. */
class SendQueue {
  private tail: Promise<void> = Promise.resolve();
  constructor(private readonly socket: zmq.Writable) {}
  send(frames: Buffer[]): Promise<void> {
    const next = this.tail.then(() => this.socket.send(frames));
    this.tail = next.catch(() => undefined);
    return next;
  }
}

/** A connection to one running kernel. */
export class KernelClient {
  readonly session = newId();
  /** Problems with received messages (bad signatures, malformed frames); reported by the runner. */
  readonly protocolErrors: string[] = [];
  private readonly shell = new zmq.Dealer({ linger: 0 });
  private readonly control = new zmq.Dealer({ linger: 0 });
  private readonly stdin = new zmq.Dealer({ linger: 0 });
  private readonly iopub = new zmq.Subscriber({ linger: 0 });
  private readonly hb = new zmq.Request({ linger: 0, receiveTimeout: 2000, sendTimeout: 2000 });
  private readonly queues: Record<RequestChannel, SendQueue>;
  private readonly replyWaiters = new Map<string, { resolve: (msg: JupyterMessage) => void; timer: NodeJS.Timeout }>();
  private readonly iopubListeners = new Map<string, IopubListener>();
  private closed = false;

  private constructor(private readonly info: ConnectionInfo) {
    this.queues = { shell: new SendQueue(this.shell), control: new SendQueue(this.control) };
  }

  /** Connect to the kernel described by `info` (the kernel may still be starting). */
  static connect(info: ConnectionInfo): KernelClient {
    const client = new KernelClient(info);
    client.shell.connect(channelAddress(info, "shell"));
    client.control.connect(channelAddress(info, "control"));
    client.stdin.connect(channelAddress(info, "stdin"));
    client.iopub.connect(channelAddress(info, "iopub"));
    client.iopub.subscribe();
    client.hb.connect(channelAddress(info, "hb"));
    void client.receiveLoop(client.shell, "shell");
    void client.receiveLoop(client.control, "control");
    void client.receiveLoop(client.stdin, "stdin");
    void client.receiveLoop(client.iopub, "iopub");
    return client;
  }

  /** Send a request; resolves with its message (use `waitReply` to get the answer). */
  async send(channel: RequestChannel, msgType: string, content: Record<string, unknown>): Promise<JupyterMessage> {
    const msg = makeMessage(msgType, this.session, content);
    await this.queues[channel].send(serialize(msg, this.info.key));
    return msg;
  }

  /**
   * Send a request and wait for its reply; rejects after `timeoutMs` or when `stop` resolves first.
   * `onIopub` receives the iopub messages the request causes.
   */
  async request(
    channel: RequestChannel,
    msgType: string,
    content: Record<string, unknown>,
    options: { timeoutMs?: number; onIopub?: IopubListener } = {},
  ): Promise<JupyterMessage> {
    const msg = makeMessage(msgType, this.session, content);
    const id = msg.header.msg_id;
    if (options.onIopub) this.iopubListeners.set(id, options.onIopub);
    const reply = this.waitReply(id, options.timeoutMs ?? 30_000, msgType);
    await this.queues[channel].send(serialize(msg, this.info.key));
    return reply;
  }

  /**
   * Wait until the kernel answers kernel_info and its iopub messages reach us (a ZeroMQ subscriber
   * misses what is published before it joins, so both must be seen before running cells).
   * Re-sends kernel_info_request every 250 ms until both are seen; gives up after `timeoutMs` or when `alive()` says
   * the kernel process is gone.
   */
  async waitReady(timeoutMs: number, alive: () => boolean): Promise<Record<string, unknown>> {
    const start = Date.now();
    let info: Record<string, unknown> | null = null;
    let iopubSeen = false;
    const ids: string[] = [];
    try {
      while (info === null || !iopubSeen) {
        if (!alive()) throw new Error("the kernel process exited while starting");
        if (Date.now() - start > timeoutMs) {
          throw new TimeoutError(`the kernel did not answer kernel_info_request within ${Math.round(timeoutMs / 1000)} s`);
        }
        const msg = makeMessage("kernel_info_request", this.session, {});
        const id = msg.header.msg_id;
        ids.push(id);
        this.iopubListeners.set(id, () => (iopubSeen = true));
        this.waitReply(id, timeoutMs, "kernel_info_request").then(
          (r) => (info ??= r.content),
          () => undefined,
        );
        await this.queues.shell.send(serialize(msg, this.info.key));
        await sleep(info === null ? 250 : 100);
      }
    } finally {
      for (const id of ids) {
        this.iopubListeners.delete(id);
        this.cancelWait(id); // late replies to the extra requests are dropped
      }
    }
    return info;
  }

  /**
   * Run `code`; outputs go to `onOutput` as they arrive. Resolves when the execute_reply and the
   * kernel's "idle" status for this request have both arrived, or with `stopped` set when
   * `timeoutMs` passes, `signal` aborts, or `alive()` turns false.
   */
  async execute(
    code: string,
    options: { onOutput: IopubListener; timeoutMs: number; signal?: AbortSignal; alive: () => boolean },
  ): Promise<ExecuteOutcome & { msgId: string; late?: Promise<JupyterMessage> }> {
    const msg = makeMessage("execute_request", this.session, {
      code,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    });
    const id = msg.header.msg_id;
    let idle!: () => void;
    const idleSeen = new Promise<void>((r) => (idle = r));
    this.iopubListeners.set(id, (type, content, m) => {
      if (type === "status" && content.execution_state === "idle") idle();
      else options.onOutput(type, content, m);
    });
    const replyPromise = this.waitReply(id, 2 ** 31 - 1, "execute_request");
    let timer: NodeJS.Timeout | undefined;
    let poll: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const stop = new Promise<ExecuteOutcome["stopped"]>((resolve) => {
      // setTimeout fires at once for delays above 2^31-1 ms (~24.8 days): clamp.
      timer = setTimeout(() => resolve("timeout"), Math.min(options.timeoutMs, 2 ** 31 - 1));
      poll = setInterval(() => {
        if (!options.alive()) resolve("kernel-died");
      }, 200);
      onAbort = () => resolve("aborted");
      if (options.signal?.aborted) resolve("aborted");
      options.signal?.addEventListener("abort", onAbort, { once: true });
    });
    let first: { reply: JupyterMessage } | { stopped: ExecuteOutcome["stopped"] };
    try {
      await this.queues.shell.send(serialize(msg, this.info.key));
      first = await Promise.race([replyPromise.then((r) => ({ reply: r })), stop.then((s) => ({ stopped: s }))]);
    } finally {
      clearTimeout(timer);
      clearInterval(poll);
      if (onAbort) options.signal?.removeEventListener("abort", onAbort);
    }
    if ("stopped" in first) {
      // The reply may still come (after an interrupt): hand its promise to the caller.
      return { reply: null, stopped: first.stopped, msgId: id, late: replyPromise };
    }
    // Outputs travel on iopub, the reply on shell: wait (briefly) for "idle" so none is missed.
    let idleTimer: NodeJS.Timeout | undefined;
    await Promise.race([idleSeen, new Promise<void>((r) => (idleTimer = setTimeout(r, 2000)))]);
    clearTimeout(idleTimer);
    return { reply: first.reply.content, msgId: id };
  }

  /** Stop routing iopub messages of request `msgId` (after its cell is done). */
  forget(msgId: string): void {
    this.iopubListeners.delete(msgId);
  }

  /** Wait for the reply to request `msgId` (public so callers can collect late replies). */
  waitReply(msgId: string, timeoutMs: number, what = "request"): Promise<JupyterMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.replyWaiters.delete(msgId);
        reject(new TimeoutError(`no reply to ${what} within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.replyWaiters.set(msgId, { resolve, timer });
    });
  }

  /** Stop waiting for the reply to `msgId` (its promise then never settles). */
  cancelWait(msgId: string): void {
    const w = this.replyWaiters.get(msgId);
    if (w) clearTimeout(w.timer);
    this.replyWaiters.delete(msgId);
  }

  /** Ping the heartbeat channel; true when the kernel echoed within 2 s. */
  async heartbeat(): Promise<boolean> {
    try {
      await this.hb.send("ping");
      const [echo] = await this.hb.receive();
      return echo.toString() === "ping";
    } catch {
      return false;
    }
  }

  /** Close every socket (pending waits are left to time out). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const id of [...this.replyWaiters.keys()]) this.cancelWait(id);
    this.iopubListeners.clear();
    for (const s of [this.shell, this.control, this.stdin, this.iopub, this.hb]) {
      try {
        s.close();
      } catch {
        // already closed
      }
    }
  }

  private async receiveLoop(socket: zmq.Dealer | zmq.Subscriber, channel: string): Promise<void> {
    try {
      for await (const frames of socket) {
        let msg: JupyterMessage;
        try {
          msg = parse(frames, this.info.key);
        } catch (e) {
          this.protocolErrors.push(`${channel}: ${(e as Error).message}`);
          continue;
        }
        const parentId = msg.parent_header.msg_id;
        if (parentId === undefined) continue;
        if (channel === "iopub") {
          this.iopubListeners.get(parentId)?.(msg.header.msg_type, msg.content, msg);
        } else if (channel === "stdin") {
          // allow_stdin is false: a kernel should never ask; nothing to answer.
        } else {
          const waiter = this.replyWaiters.get(parentId);
          if (waiter) {
            this.replyWaiters.delete(parentId);
            clearTimeout(waiter.timer);
            waiter.resolve(msg);
          }
        }
      }
    } catch (e) {
      if (!this.closed) this.protocolErrors.push(`${channel}: receive failed: ${(e as Error).message}`);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
