package io.swarmcdn.origin.tracker.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
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

  private final WebSocketTracker tracker;
  private final long maxMessageBytes;

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
        .frames()
        .doOnNext(frame -> onFrame(socket, frame))
        .doOnError(TooLongFrameException.class, error -> tracker.onOversizedMessage(socket, true))
        .onErrorComplete()
        .then()
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
    // The tracker reads the UTF-8 bytes (no String): a copy, as the frame is released after this
    // returns and a pooled socket buffer is rarely backed by an array.
    byte[] bytes = new byte[length];
    payload.getBytes(payload.readerIndex(), bytes);
    tracker.onMessage(socket, bytes, 0, length);
  }
}
