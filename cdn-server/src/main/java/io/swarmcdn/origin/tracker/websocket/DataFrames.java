package io.swarmcdn.origin.tracker.websocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Consumer;

/**
 * Hands a connection's data frames (aggregated by the pipeline's frame aggregator before it) to
 * the tracker and releases them; every other message and event goes on to Reactor Netty, which
 * answers pings, completes the close handshake and signals the end of the connection. See {@link
 * TrackerUpgradeStrategy.TrackerSession#receive}.
 */
final class DataFrames extends ChannelInboundHandlerAdapter {

  static final String NAME = "swarmcdn.trackerFrames";

  private final Consumer<WebSocketFrame> onFrame;

  DataFrames(Consumer<WebSocketFrame> onFrame) {
    this.onFrame = onFrame;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof TextWebSocketFrame) && !(msg instanceof BinaryWebSocketFrame)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      onFrame.accept((WebSocketFrame) msg);
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }
}
