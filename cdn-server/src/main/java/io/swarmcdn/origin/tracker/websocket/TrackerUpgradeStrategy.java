package io.swarmcdn.origin.tracker.websocket;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.adapter.ReactorNettyWebSocketSession;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * Reactor Netty WebSocket upgrade whose sessions expose their Netty channel ({@link
 * TrackerSession}).
 *
 * <p>Why the tracker needs the channel: (1) to bound what is queued for a client exactly.
 * {@code WebSocketSession.send(Publisher)} prefetches 128 messages from the publisher whatever the
 * connection's state (up to 8 MiB of 64 KiB offers per slow client, measured), so the tracker
 * writes frames itself and reads the channel's pending bytes instead; (2) to drop a client at
 * once: a close frame would wait behind all the data a client that stopped reading never reads.
 */
final class TrackerUpgradeStrategy implements RequestUpgradeStrategy {

  private final int maxFramePayloadLength;

  /**
   * @param maxFramePayloadLength largest frame (and aggregated message) accepted; a bigger one is
   *     refused by the WebSocket decoder while it is read
   */
  TrackerUpgradeStrategy(int maxFramePayloadLength) {
    this.maxFramePayloadLength = maxFramePayloadLength;
  }

  @Override
  public Mono<Void> upgrade(
      ServerWebExchange exchange,
      WebSocketHandler handler,
      String subProtocol,
      Supplier<HandshakeInfo> handshakeInfoFactory) {
    ServerHttpResponse response = exchange.getResponse();
    HttpServerResponse nettyResponse = ServerHttpResponseDecorator.getNativeResponse(response);
    HandshakeInfo handshakeInfo = handshakeInfoFactory.get();
    NettyDataBufferFactory buffers = (NettyDataBufferFactory) response.bufferFactory();
    WebsocketServerSpec.Builder spec =
        WebsocketServerSpec.builder().maxFramePayloadLength(maxFramePayloadLength);
    if (subProtocol != null) {
      spec.protocols(subProtocol);
    }
    // setComplete() runs WebFlux's pre-commit actions (headers) before the switch of protocol.
    return response
        .setComplete()
        .then(
            Mono.defer(
                () -> {
                  MaskedTextFrames textFrames = new MaskedTextFrames(maxFramePayloadLength);
                  Mono<Void> upgraded =
                      nettyResponse.sendWebsocket(
                          (in, out) ->
                              handler.handle(
                                  new TrackerSession(
                                      in, out, handshakeInfo, buffers, maxFramePayloadLength,
                                      textFrames)),
                          spec.build());
                  // The handshake has just replaced the HTTP codec by the frame decoder, in this
                  // task of the event loop: no frame has been read since.
                  nettyResponse.withConnection(
                      connection -> {
                        ChannelPipeline pipeline = connection.channel().pipeline();
                        if (pipeline.get(MaskedTextFrames.NETTY_DECODER) != null) {
                          pipeline.addBefore(
                              MaskedTextFrames.NETTY_DECODER, MaskedTextFrames.NAME, textFrames);
                        }
                      });
                  return upgraded;
                }));
  }

  /** A Reactor Netty WebSocket session that gives access to its Netty channel. */
  static final class TrackerSession extends ReactorNettyWebSocketSession {

    private final int maxFramePayloadLength;
    private final MaskedTextFrames textFrames;

    TrackerSession(
        WebsocketInbound in,
        WebsocketOutbound out,
        HandshakeInfo info,
        NettyDataBufferFactory buffers,
        int maxFramePayloadLength,
        MaskedTextFrames textFrames) {
      super(in, out, info, buffers, maxFramePayloadLength);
      this.maxFramePayloadLength = maxFramePayloadLength;
      this.textFrames = textFrames;
    }

    /**
     * Passes each of the client's data messages as a Netty frame (text or binary, fragments
     * aggregated up to the frame limit) to {@code onFrame}, and releases it when that returns.
     * Completes when the connection ends; fails with the aggregator's {@code
     * TooLongFrameException} for a fragmented message over the limit. Close, ping and pong
     * frames are left to the server runtime.
     *
     * <p>Used instead of {@link #receive()}, which wraps each message in a {@code
     * WebSocketMessage} and a data buffer: the tracker reads the bytes itself. And the frames are
     * taken by a plain handler ({@link DataFrames}) in front of Reactor Netty's inbound bridge:
     * its receive path (operations lookup, queue, operator chain) was a tenth of the tracker's
     * CPU per relayed offer (profile). The Flux still carries the end of the connection and
     * errors, and any frame that reached it before the handler was in place.
     *
     * <p>Ordinary text messages (one frame each) do not even become frames: {@link
     * MaskedTextFrames}, in front of Netty's frame decoder since the handshake, hands them to
     * {@code onText} as bytes from now on, and every other frame to that decoder and so to {@code
     * onFrame}, in order.
     */
    Mono<Void> receive(Consumer<WebSocketFrame> onFrame, MaskedTextFrames.Sink onText) {
      WebsocketInbound inbound = getDelegate().getInbound();
      return inbound
          .aggregateFrames(maxFramePayloadLength)
          .receiveFrames()
          // Installed on subscription, before the first request drains what Reactor buffered:
          // both run in one task of the event loop, so no frame overtakes another.
          .doOnSubscribe(
              subscription ->
                  inbound.withConnection(
                      connection -> {
                        connection
                            .channel()
                            .pipeline()
                            .addBefore(
                                NettyPipeline.ReactiveBridge,
                                DataFrames.NAME,
                                new DataFrames(onFrame));
                        textFrames.attach(onText);
                      }))
          .doOnNext(onFrame)
          .then();
    }

    /** The connection's channel (WebSocket frames written to it are encoded by the pipeline). */
    Channel channel() {
      Channel[] channel = new Channel[1];
      getDelegate().getInbound().withConnection(connection -> channel[0] = connection.channel());
      return channel[0];
    }

    /** Closes the connection now, discarding whatever is still queued for the client. */
    void abort() {
      getDelegate().getInbound().withConnection(Connection::dispose);
    }
  }
}
