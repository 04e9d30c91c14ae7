package io.swarmcdn.origin.tracker.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The generator reads a tracker's frames itself: text messages whatever the reads, pings, errors. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ServerFramesTest {

  private static final String REPLY = "{\"action\":\"announce\",\"interval\":120,\"info_hash\":\"x\"}";

  @Test
  void textMessagesOfEveryLengthFormReachThePeerWhateverTheReadsAndPingsAreAnswered() throws Exception {
    try (TrackerLoad load = new TrackerLoad(URI.create("ws://127.0.0.1:1/announce"), 50, 5, 1)) {
      EmbeddedChannel channel =
          new EmbeddedChannel(new ServerFrames(new LoadPeer(load, 1, "BENCH-SWARM-00000001"), load.stats()));
      ByteArrayOutputStream stream = new ByteArrayOutputStream();
      stream.writeBytes(frame(0x81, REPLY + " ".repeat(10))); // 7-bit length
      stream.writeBytes(frame(0x89, "ping"));
      stream.writeBytes(frame(0x81, REPLY + " ".repeat(200))); // 16-bit length
      stream.writeBytes(frame(0x81, REPLY + " ".repeat(70_000))); // 64-bit length
      byte[] bytes = stream.toByteArray();
      for (int at = 0, piece = 1; at < bytes.length; at += piece, piece = piece * 3 % 997 + 1) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, at, Math.min(piece, bytes.length - at)));
      }
      assertThat(load.stats().announceReplies.sum()).isEqualTo(3);
      PongWebSocketFrame pong = channel.readOutbound();
      assertThat(pong.content().toString(StandardCharsets.US_ASCII)).isEqualTo("ping");
      pong.release();
      assertThat(load.stats().firstError.get()).isNull();
      assertThat(channel.isOpen()).isTrue();
      channel.finishAndReleaseAll();
    }
  }

  @Test
  void aFrameNoTrackerSendsIsNotedAsTheErrorAndEndsTheConnection() throws Exception {
    try (TrackerLoad load = new TrackerLoad(URI.create("ws://127.0.0.1:1/announce"), 50, 5, 1)) {
      EmbeddedChannel channel =
          new EmbeddedChannel(new ServerFrames(new LoadPeer(load, 1, "BENCH-SWARM-00000001"), load.stats()));
      channel.writeInbound(Unpooled.wrappedBuffer(frame(0x01, REPLY))); // a first fragment
      assertThat(load.stats().firstError.get()).contains("unexpected frame");
      assertThat(channel.isOpen()).isFalse();
      assertThat(load.stats().announceReplies.sum()).isZero();
    }
  }

  /** An unmasked server frame (RFC 6455 section 5.2), the length in its shortest form. */
  private static byte[] frame(int first, String text) {
    byte[] payload = text.getBytes(StandardCharsets.US_ASCII);
    ByteBuf frame = Unpooled.buffer();
    frame.writeByte(first);
    if (payload.length < 126) {
      frame.writeByte(payload.length);
    } else if (payload.length <= 0xffff) {
      frame.writeByte(126).writeShort(payload.length);
    } else {
      frame.writeByte(127).writeLong(payload.length);
    }
    frame.writeBytes(payload);
    byte[] bytes = new byte[frame.readableBytes()];
    frame.readBytes(bytes);
    return bytes;
  }
}
