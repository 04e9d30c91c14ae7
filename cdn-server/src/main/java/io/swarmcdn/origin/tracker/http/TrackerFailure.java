package io.swarmcdn.origin.tracker.http;

import io.swarmcdn.origin.tracker.RejectReason;

/**
 * A request the HTTP tracker refuses. BEP 3: the reply is still HTTP 200 with a bencoded
 * {@code failure reason}, which is what clients show to the user.
 */
final class TrackerFailure extends RuntimeException {

  private final RejectReason reason;

  TrackerFailure(String message) {
    this(RejectReason.INVALID_FIELD, message);
  }

  TrackerFailure(RejectReason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  RejectReason reason() {
    return reason;
  }
}
