/**
 * The Jupyter wire protocol (messaging spec 5.3): how one message travels as ZeroMQ frames and how
 * it is signed. A message is `[identities…, "<IDS|MSG>", signature, header, parent_header,
 * metadata, content, buffers…]`; the signature is the hex HMAC-SHA256 of the four JSON parts with
 * the key from the connection file, so only a process that read that file can talk to the kernel.
 */
import { createHmac, randomBytes, timingSafeEqual } from "crypto";

/** The frame separating ZeroMQ routing identities from the message proper. */
export const DELIMITER = "<IDS|MSG>";
/** The protocol version this client speaks. */
export const PROTOCOL_VERSION = "5.3";

/** A message header (also used as `parent_header` of replies). */
export interface MessageHeader {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
}

/** One decoded Jupyter message. */
export interface JupyterMessage<C = Record<string, unknown>> {
  header: MessageHeader;
  /** The header of the request this message answers; `{}` when it answers nothing. */
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

/** A fresh random message or session id (32 hex characters). */
export function newId(): string {
  return randomBytes(16).toString("hex");
}

/** Build a message of `msgType` for `session` with the given content. */
export function makeMessage<C>(msgType: string, session: string, content: C, parent: Partial<MessageHeader> = {}): JupyterMessage<C> {
  return {
    header: { msg_id: newId(), msg_type: msgType, session, username: "llm-lessons", date: new Date().toISOString(), version: PROTOCOL_VERSION },
    parent_header: parent,
    metadata: {},
    content,
    buffers: [],
  };
}

/** Hex HMAC-SHA256 of the four JSON parts; the empty string when the key is empty (signing off). */
export function sign(key: string, parts: readonly (string | Buffer)[]): string {
  if (key === "") return "";
  const hmac = createHmac("sha256", key);
  for (const part of parts) hmac.update(part);
  return hmac.digest("hex");
}

/** The frames to send for `msg` (no routing identities: a Dealer socket adds none). */
export function serialize(msg: JupyterMessage<unknown>, key: string): Buffer[] {
  const parts = [msg.header, msg.parent_header, msg.metadata, msg.content].map((p) => Buffer.from(JSON.stringify(p), "utf8"));
  return [Buffer.from(DELIMITER), Buffer.from(sign(key, parts)), ...parts, ...msg.buffers];
}

/**
 * Decode received frames and check their signature. Throws, naming the problem, when the
 * delimiter is missing, a part is not JSON, or the signature does not match.
 */
export function parse(frames: readonly Buffer[], key: string): JupyterMessage {
  const delim = frames.findIndex((f) => f.length === DELIMITER.length && f.toString() === DELIMITER);
  if (delim < 0) throw new Error("malformed Jupyter message: no <IDS|MSG> delimiter frame");
  if (frames.length < delim + 6) {
    throw new Error(`malformed Jupyter message: expected at least 6 frames after the identities, got ${frames.length - delim}`);
  }
  const signature = frames[delim + 1].toString();
  const parts = frames.slice(delim + 2, delim + 6);
  const expected = sign(key, parts);
  if (key !== "" && !safeEqual(signature, expected)) {
    throw new Error(`invalid message signature ${JSON.stringify(signature.slice(0, 16))}…; the message was not signed with this connection's key`);
  }
  const names = ["header", "parent_header", "metadata", "content"] as const;
  const decoded = parts.map((p, i) => {
    try {
      return JSON.parse(p.toString("utf8")) as unknown;
    } catch {
      throw new Error(`malformed Jupyter message: ${names[i]} is not JSON: ${p.toString("utf8").slice(0, 80)}`);
    }
  });
  const header = decoded[0] as MessageHeader;
  if (typeof header?.msg_type !== "string") throw new Error("malformed Jupyter message: header has no msg_type");
  return {
    header,
    parent_header: (decoded[1] ?? {}) as Partial<MessageHeader>,
    metadata: (decoded[2] ?? {}) as Record<string, unknown>,
    content: (decoded[3] ?? {}) as Record<string, unknown>,
    buffers: frames.slice(delim + 6).map((b) => Buffer.from(b)),
  };
}

function safeEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}
