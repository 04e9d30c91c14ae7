package io.swarmcdn.origin.tracker.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The load generator's frames, as a server reads them (Netty's server-side decoder). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MaskedFramesTest {

  @Test
  void everyLengthFormDecodesToThePayloadWrittenAndEachFrameHasItsOwnMask() {
    Random random = new Random(42);
    // 7-bit lengths, the 16-bit form from 126, the 64-bit form from 65536; odd tails of 1..7.
    for (int length : new int[] {0, 1, 7, 125, 126, 127, 701, 3509, 65535, 65536, 70001}) {
      byte[] payload = new byte[length];
      random.nextBytes(payload);
      EmbeddedChannel server = new EmbeddedChannel(new WebSocket13FrameDecoder(
          WebSocketDecoderConfig.newBuilder().expectMaskedFrames(true).maxFramePayloadLength(1 << 20).build()));
      ByteBuf frame = frame(payload);
      byte[] wire = ByteBufUtil.getBytes(frame);
      assertThat(wire[1] & 0x80).as("mask bit").isEqualTo(0x80);
      assertThat(wire.length).isEqualTo(length + (length <= 125 ? 6 : length <= 65535 ? 8 : 14));
      server.writeInbound(frame);
      TextWebSocketFrame decoded = server.readInbound();
      try {
        assertThat(decoded.isFinalFragment()).isTrue();
        assertThat(ByteBufUtil.getBytes(decoded.content())).isEqualTo(payload);
      } finally {
        decoded.release();
        server.finishAndReleaseAll();
      }
    }
    byte[] same = new byte[64];
    assertThat(wireBytes(frame(same))).isNotEqualTo(wireBytes(frame(same)));
  }

  private static byte[] wireBytes(ByteBuf frame) {
    try {
      return ByteBufUtil.getBytes(frame);
    } finally {
      frame.release();
    }
  }

  private static ByteBuf frame(byte[] payload) {
    ByteBuf buffer = MaskedFrames.payloadBuffer(UnpooledByteBufAllocator.DEFAULT, payload.length);
    return MaskedFrames.text(buffer.writeBytes(payload));
  }
}
