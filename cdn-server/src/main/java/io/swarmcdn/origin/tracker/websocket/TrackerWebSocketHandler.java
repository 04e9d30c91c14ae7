package io.swarmcdn.origin.tracker.websocket;

import io.netty.handler.codec.TooLongFrameException;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
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
    return session
        .receive()
        .doOnNext(message -> onFrame(socket, message))
        .doOnError(TooLongFrameException.class, error -> tracker.onOversizedMessage(socket, true))
        .onErrorComplete()
        .then()
        .doFinally(signal -> tracker.onClose(socket));
  }

  private void onFrame(TrackerSocket socket, WebSocketMessage message) {
    if (message.getType() != WebSocketMessage.Type.TEXT) {
      // Ping/pong are answered by the server runtime; the protocol has no binary messages.
      return;
    }
    if (message.getPayload().readableByteCount() > maxMessageBytes) {
      // Normally refused earlier by the WebSocket decoder (TooLongFrameException); this check
      // keeps the bound even if the runtime's limit were configured differently.
      tracker.onOversizedMessage(socket, false);
      return;
    }
    tracker.onMessage(socket, message.getPayloadAsText());
  }
}
