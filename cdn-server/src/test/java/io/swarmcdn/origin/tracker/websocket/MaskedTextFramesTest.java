package io.swarmcdn.origin.tracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link MaskedTextFrames} in front of Netty's decoder and aggregator, as in the tracker's
 * pipeline: ordinary text frames reach the sink unmasked, whatever the reads; every other frame
 * reaches the handlers behind through Netty's decoder, in the order sent; what Netty's decoder
 * refuses is still refused.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MaskedTextFramesTest {

  private final List<String> events = new ArrayList<>();
  private final Random random = new Random(42);
  private MaskedTextFrames textFrames;
  private EmbeddedChannel channel;

  private void start(int maxPayload, boolean attached) {
    textFrames = new MaskedTextFrames(maxPayload);
    if (attached) {
      attach();
    }
    channel =
        new EmbeddedChannel(
            textFrames,
            new WebSocket13FrameDecoder(
                WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(maxPayload).build()),
            new WebSocketFrameAggregator(maxPayload),
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                try {
                  events.add(describe(msg));
                } finally {
                  ReferenceCountUtil.release(msg);
                }
              }
            });
  }

  private void attach() {
    textFrames.attach(
        new MaskedTextFrames.Sink() {
          @Override
          public byte[] array(int length) {
            return new byte[length + random.nextInt(16)]; // the tracker's array may be larger
          }

          @Override
          public void onText(byte[] bytes, int length) {
            events.add("text " + new String(bytes, 0, length, StandardCharsets.UTF_8));
          }
        });
  }

  @AfterEach
  void finish() {
    channel.finishAndReleaseAll();
  }

  private static String describe(Object msg) {
    if (msg instanceof TextWebSocketFrame text) {
      return "netty text " + text.text();
    }
    if (msg instanceof PingWebSocketFrame ping) {
      return "ping " + ping.content().toString(StandardCharsets.UTF_8);
    }
    if (msg instanceof BinaryWebSocketFrame binary) {
      return "binary " + binary.content().readableBytes();
    }
    if (msg instanceof CloseWebSocketFrame close) {
      return "close " + close.statusCode();
    }
    return msg.getClass().getSimpleName();
  }

  @Test
  void textFramesOfEveryLengthFormReachTheSinkUnmaskedWhateverTheReads() {
    start(70_000, true);
    int[] lengths = {0, 1, 7, 8, 9, 125, 126, 127, 1000, 65535, 65536, 70_000};
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    List<String> expected = new ArrayList<>();
    for (int length : lengths) {
      String text = text(length);
      expected.add("text " + text);
      stream.writeBytes(frame(0x81, utf8(text), true));
    }
    feedInRandomPieces(stream.toByteArray());
    assertThat(events).containsExactlyElementsOf(expected); // none went through Netty's decoder
  }

  @Test
  void pingsFragmentsAndBinaryFramesGoThroughNettysDecoderInTheOrderSent() {
    start(1000, true);
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    stream.writeBytes(frame(0x81, utf8("first"), true));
    stream.writeBytes(frame(0x89, utf8("p"), true));
    stream.writeBytes(frame(0x01, utf8("frag"), true)); // text, more to come
    stream.writeBytes(frame(0x89, utf8("q"), true));
    stream.writeBytes(frame(0x00, utf8("men"), true)); // continuation, more to come
    stream.writeBytes(frame(0x80, utf8("ted"), true)); // last continuation
    stream.writeBytes(frame(0x82, new byte[300], true));
    stream.writeBytes(frame(0x81, utf8("last"), true));
    byte[] bytes = stream.toByteArray();
    for (byte b : bytes) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b})); // the worst case: byte by byte
    }
    assertThat(events)
        .containsExactly(
            "text first", "ping p", "ping q", "netty text fragmented", "binary 300", "text last");
  }

  @Test
  void anOversizedFrameIsRefusedByNettysDecoderWith1009AndNothingAfterItIsRead() {
    start(1000, true);
    ByteBuf oversizedThenText =
        Unpooled.wrappedBuffer(
            frame(0x81, new byte[1001], true), frame(0x81, utf8("after"), true));
    assertThatThrownBy(() -> channel.writeInbound(oversizedThenText))
        .isInstanceOf(CorruptedWebSocketFrameException.class);
    CloseWebSocketFrame close = channel.readOutbound();
    assertThat(close.statusCode()).isEqualTo(1009);
    close.release();
    assertThat(events).isEmpty();
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void anUnmaskedFrameIsRefusedByNettysDecoderWith1002() {
    start(1000, true);
    ByteBuf unmasked = Unpooled.wrappedBuffer(frame(0x81, utf8("plain"), false));
    assertThatThrownBy(() -> channel.writeInbound(unmasked))
        .isInstanceOf(CorruptedWebSocketFrameException.class);
    CloseWebSocketFrame close = channel.readOutbound();
    assertThat(close.statusCode()).isEqualTo(1002);
    close.release();
    assertThat(events).isEmpty();
  }

  @Test
  void aLengthNotInItsShortestFormIsRefusedByNettysDecoder() {
    start(1000, true);
    byte[] frame = frame(0x81, utf8("x".repeat(200)), true);
    // The same frame with its 2-byte length stretched into the 8-byte form.
    ByteArrayOutputStream stretched = new ByteArrayOutputStream();
    stretched.write(frame[0]);
    stretched.write(0x80 | 127);
    stretched.writeBytes(new byte[] {0, 0, 0, 0, 0, 0, frame[2], frame[3]});
    stretched.write(frame, 4, frame.length - 4);
    assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(stretched.toByteArray())))
        .isInstanceOf(CorruptedWebSocketFrameException.class);
    assertThat(events).isEmpty();
  }

  @Test
  void nothingAfterACloseFrameReachesTheSink() {
    start(1000, true);
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    stream.writeBytes(frame(0x81, utf8("before"), true));
    stream.writeBytes(frame(0x88, new byte[] {0x03, (byte) 0xe8}, true));
    stream.writeBytes(frame(0x81, utf8("after"), true));
    channel.writeInbound(Unpooled.wrappedBuffer(stream.toByteArray()));
    assertThat(events).containsExactly("text before", "close 1000");
  }

  @Test
  void untilTheSinkIsAttachedTextFramesGoThroughNettysDecoder() {
    start(1000, false);
    channel.writeInbound(Unpooled.wrappedBuffer(frame(0x81, utf8("early"), true)));
    attach();
    channel.writeInbound(Unpooled.wrappedBuffer(frame(0x81, utf8("later"), true)));
    assertThat(events).containsExactly("netty text early", "text later");
  }

  private void feedInRandomPieces(byte[] bytes) {
    for (int at = 0; at < bytes.length; ) {
      int piece = Math.min(bytes.length - at, 1 + random.nextInt(random.nextBoolean() ? 8 : 20_000));
      channel.writeInbound(Unpooled.wrappedBuffer(bytes, at, piece));
      at += piece;
    }
  }

  private String text(int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append((char) ('a' + random.nextInt(26)));
    }
    return text.toString();
  }

  /** A client frame (RFC 6455 section 5.2): shortest length form, a random masking key. */
  private byte[] frame(int first, byte[] payload, boolean masked) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(first);
    int maskBit = masked ? 0x80 : 0;
    if (payload.length < 126) {
      frame.write(maskBit | payload.length);
    } else if (payload.length <= 0xffff) {
      frame.write(maskBit | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length);
    } else {
      frame.write(maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) payload.length >>> shift));
      }
    }
    if (!masked) {
      frame.writeBytes(payload);
      return frame.toByteArray();
    }
    byte[] key = new byte[4];
    random.nextBytes(key);
    frame.writeBytes(key);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ key[i & 3]);
    }
    return frame.toByteArray();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
