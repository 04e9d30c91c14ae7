package io.swarmcdn.origin.tracker.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import java.util.List;

/**
 * Reads a tracker's frames (RFC 6455 section 5.2: a server's are not masked) off a load peer's
 * connection in place of Netty's frame decoder: each text message goes to {@link
 * LoadPeer#onText} as a slice of the bytes read, with no copy, frame object or aggregation.
 * Netty's decoder copied every payload into a new buffer, and the frame then went through the
 * aggregator and the protocol handler, about a fifth of the generator's samples (JFR), CPU taken
 * from the tracker it loads on the same cores.
 *
 * <p>Neither tracker fragments its messages. A ping is answered; a close frame, or anything a
 * tracker does not send (a fragment, a binary or masked frame, a payload over the limit), ends
 * the connection, and the unexpected ones are noted as the run's error.
 */
final class ServerFrames extends ByteToMessageDecoder {

  static final String NAME = "bench.serverFrames";
  /** The name Netty's client handshaker gives its frame decoder. */
  static final String NETTY_DECODER = "ws-decoder";

  private static final int MAX_PAYLOAD = 1 << 20;
  private static final int FIN_TEXT = 0x81;
  private static final int FIN_CLOSE = 0x88;
  private static final int FIN_PING = 0x89;
  private static final int FIN_PONG = 0x8A;

  private final LoadPeer peer;
  private final LoadStats stats;

  ServerFrames(LoadPeer peer, LoadStats stats) {
    this.peer = peer;
    this.stats = stats;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int readable = in.readableBytes();
    if (readable < 2) {
      return;
    }
    int at = in.readerIndex();
    int first = in.getUnsignedByte(at);
    int second = in.getUnsignedByte(at + 1);
    int length7 = second & 0x7f;
    int header = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0);
    if (readable < header) {
      return;
    }
    long length = length7 < 126 ? length7 : length7 == 126 ? in.getUnsignedShort(at + 2) : in.getLong(at + 2);
    if ((second & 0x80) != 0 || length < 0 || length > MAX_PAYLOAD) {
      fail(ctx, in, "unexpected frame header " + first + " " + second + ", length " + length);
      return;
    }
    if (readable < header + length) {
      return;
    }
    ByteBuf payload = in.slice(at + header, (int) length);
    in.skipBytes(header + (int) length);
    switch (first) {
      case FIN_TEXT -> peer.onText(payload);
      // From the tail, through the frame encoder (which masks it).
      case FIN_PING -> ctx.channel().writeAndFlush(new PongWebSocketFrame(payload.retain()));
      case FIN_PONG -> { }
      case FIN_CLOSE -> ctx.close();
      default -> fail(ctx, in, "unexpected frame " + first);
    }
  }

  private void fail(ChannelHandlerContext ctx, ByteBuf in, String error) {
    stats.noteError(error);
    in.skipBytes(in.readableBytes());
    ctx.close();
  }
}
