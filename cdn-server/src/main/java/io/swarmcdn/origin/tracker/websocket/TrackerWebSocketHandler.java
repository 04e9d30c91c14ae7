package io.swarmcdn.origin.tracker.websocket;

import io.netty.handler.codec.TooLongFrameException;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;

/**
 * Bridges a WebFlux WebSocket session to the {@link WebSocketTracker}: inbound text frames to
 * {@link WebSocketTracker#onMessage}, the socket's bounded queue to the wire, and the end of
 * either direction to {@link WebSocketTracker#onClose}.
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
    TrackerSocket socket = tracker.open(session);
    if (socket == null) {
      return session.close(CloseStatus.SERVICE_OVERLOAD.withReason("tracker full, try later"));
    }
    Mono<Void> inbound =
        session
            .receive()
            .doOnNext(message -> onFrame(socket, message))
            .doOnError(
                TooLongFrameException.class, error -> tracker.onOversizedMessage(socket))
            .onErrorComplete()
            .then()
            // The client is gone or sent a close frame: end the outbound side too.
            .doFinally(signal -> socket.close(CloseStatus.NORMAL));
    Mono<Void> outbound = session.send(socket.outbound()).onErrorComplete();
    return Mono.when(inbound, outbound).doFinally(signal -> tracker.onClose(socket));
  }

  private void onFrame(TrackerSocket socket, WebSocketMessage message) {
    if (message.getType() != WebSocketMessage.Type.TEXT) {
      // Ping/pong are answered by the server runtime; the protocol has no binary messages.
      return;
    }
    if (message.getPayload().readableByteCount() > maxMessageBytes) {
      tracker.onOversizedMessage(socket);
      return;
    }
    tracker.onMessage(socket, message.getPayloadAsText());
  }
}
