package io.swarmcdn.origin.tracker.websocket;

import io.netty.buffer.ByteBuf;

/**
 * A text message for a client that writes its UTF-8 bytes straight into the frames queued for
 * the client's socket ({@link TrackerSocket#send(OutboundText)}), so that a relayed message is
 * copied once, from the sender's frame into the receiver's.
 */
interface OutboundText {

  /** The number of bytes {@link #writeTo} writes. */
  int length();

  /** Writes the message (UTF-8 JSON text, {@link #length} bytes) at {@code out}'s writer index. */
  void writeTo(ByteBuf out);
}
