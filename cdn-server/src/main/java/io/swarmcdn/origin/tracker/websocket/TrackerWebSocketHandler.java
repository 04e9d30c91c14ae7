package io.swarmcdn.origin.tracker.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.FastThreadLocal;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;

/**
 * Bridges a WebFlux WebSocket session to the {@link WebSocketTracker}: inbound text frames to
 * {@link WebSocketTracker#onMessage}, and the end of the connection to {@link
 * WebSocketTracker#onClose}. Outbound messages are written by {@link TrackerSocket} itself.
 */
final class TrackerWebSocketHandler implements WebSocketHandler {

  /** Holds a browser's announce with its offers (about 700 bytes per SDP) without growing. */
  private static final int INITIAL_SCRATCH_BYTES = 8192;

  private final WebSocketTracker tracker;
  private final long maxMessageBytes;
  private final FastThreadLocal<byte[]> scratch =
      new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
          return new byte[INITIAL_SCRATCH_BYTES];
        }
      };

  TrackerWebSocketHandler(WebSocketTracker tracker, long maxMessageBytes) {
    this.tracker = tracker;
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  public Mono<Void> handle(WebSocketSession session) {
    if (!(session instanceof TrackerUpgradeStrategy.TrackerSession)) {
      // Another upgrade strategy is configured: without the channel, no bounded outbound queue.
      return session.close(CloseStatus.SERVER_ERROR.withReason("tracker misconfigured"));
    }
    TrackerSocket socket = tracker.open((TrackerUpgradeStrategy.TrackerSession) session);
    if (socket == null) {
      return session.close(CloseStatus.SERVICE_OVERLOAD.withReason("tracker full, try later"));
    }
    return ((TrackerUpgradeStrategy.TrackerSession) session)
        .receive(
            frame -> onFrame(socket, frame),
            new MaskedTextFrames.Sink() {
              @Override
              public byte[] array(int length) {
                return scratch(length);
              }

              @Override
              public void onText(byte[] bytes, int length) {
                tracker.onMessage(socket, bytes, 0, length);
              }
            })
        .doOnError(TooLongFrameException.class, error -> tracker.onOversizedMessage(socket, true))
        .onErrorComplete()
        .doFinally(signal -> tracker.onClose(socket));
  }

  private void onFrame(TrackerSocket socket, WebSocketFrame frame) {
    if (!(frame instanceof TextWebSocketFrame)) {
      // Ping/pong are answered by the server runtime; the protocol has no binary messages.
      return;
    }
    ByteBuf payload = frame.content();
    int length = payload.readableBytes();
    if (length > maxMessageBytes) {
      // Normally refused earlier by the WebSocket decoder (TooLongFrameException); this check
      // keeps the bound even if the runtime's limit were configured differently.
      tracker.onOversizedMessage(socket, false);
      return;
    }
    // The tracker reads the UTF-8 bytes (no String) from an array: a pooled socket buffer is
    // rarely backed by one, so they are copied into this event loop's.
    byte[] bytes = scratch(length);
    payload.getBytes(payload.readerIndex(), bytes, 0, length);
    tracker.onMessage(socket, bytes, 0, length);
  }

  /**
   * This thread's array for messages, of at least {@code length} bytes. One per event loop
   * serves all of its sockets: the tracker reads the array only during {@code onMessage} (relayed
   * offers and answers are copied out of it), and a loop handles one message at a time. A new
   * array per message was the tracker's largest allocation under load (JFR), each young GC the
   * more frequent for it. Grows to at most the message size limit.
   */
  private byte[] scratch(int length) {
    byte[] bytes = scratch.get();
    if (bytes.length < length) {
      bytes = new byte[(int) Math.min(maxMessageBytes, Math.max(length, 2L * bytes.length))];
      scratch.set(bytes);
    }
    return bytes;
  }
}
