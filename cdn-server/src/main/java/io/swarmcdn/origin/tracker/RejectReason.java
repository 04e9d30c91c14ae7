package io.swarmcdn.origin.tracker;

/** Why a tracker refused a request or dropped a socket; a tag of the rejection counter. */
public enum RejectReason {
  /** Not JSON / not a valid request at all, or an unknown action. */
  MALFORMED("malformed"),
  /** A field with a wrong type, length or value (e.g. a 20-byte field that is not 20 bytes). */
  INVALID_FIELD("invalid-field"),
  /** The info-hash is not published by this origin. */
  NOT_PUBLISHED("not-published"),
  /** More offers in one announce than allowed. */
  TOO_MANY_OFFERS("too-many-offers"),
  /** Announces or scrapes faster than the per-socket rate. */
  RATE_LIMITED("rate-limited"),
  /** The socket, or the whole tracker, takes part in too many swarms. */
  TOO_MANY_SWARMS("too-many-swarms"),
  /** An answer to an offer that this socket never received, or that expired. */
  UNKNOWN_OFFER("unknown-offer"),
  /** An answer whose offerer has left. */
  ANSWER_TARGET_GONE("answer-target-gone"),
  /** A frame above the message size limit (the socket is closed). */
  MESSAGE_TOO_LARGE("message-too-large"),
  /** The socket did not read its messages fast enough (the socket is closed). */
  OUTBOUND_OVERFLOW("outbound-overflow"),
  /** Connection refused because the tracker holds its maximum number of sockets. */
  TOO_MANY_SOCKETS("too-many-sockets");

  private final String tag;

  RejectReason(String tag) {
    this.tag = tag;
  }

  /** The metric tag and JSON key. */
  public String tag() {
    return tag;
  }
}
