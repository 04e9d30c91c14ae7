package io.swarmcdn.origin.tracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The tracker writes its text frames itself instead of through Netty's frame encoder: a client's
 * decoder (Netty's, as a browser would) must read back every one, at each boundary of the three
 * length forms, several in one buffer as a socket's pending frames are.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TrackerSocketFramesTest {

  @Test
  void framesOfEveryLengthFormDecodeBackToTheirPayloads() {
    int[] lengths = {0, 1, 125, 126, 127, 65535, 65536, 70000};
    ByteBuf frames = Unpooled.buffer();
    for (int i = 0; i < lengths.length; i++) {
      int before = frames.writerIndex();
      TrackerSocket.writeHeader(frames, lengths[i]);
      for (int k = 0; k < lengths[i]; k++) {
        frames.writeByte('a' + (i + k) % 26);
      }
      assertThat(frames.writerIndex() - before).isEqualTo(TrackerSocket.frameLength(lengths[i]));
    }
    EmbeddedChannel client =
        new EmbeddedChannel(
            new WebSocket13FrameDecoder(
                WebSocketDecoderConfig.newBuilder()
                    .expectMaskedFrames(false) // a server's frames are not masked
                    .maxFramePayloadLength(1 << 20)
                    .build()));
    try {
      client.writeInbound(frames);
      for (int i = 0; i < lengths.length; i++) {
        TextWebSocketFrame frame = client.readInbound();
        try {
          assertThat(frame).as("frame %d", i).isNotNull();
          assertThat(frame.isFinalFragment()).isTrue();
          ByteBuf payload = frame.content();
          assertThat(payload.readableBytes()).isEqualTo(lengths[i]);
          for (int k = 0; k < lengths[i]; k++) {
            assertThat(payload.getByte(payload.readerIndex() + k)).isEqualTo((byte) ('a' + (i + k) % 26));
          }
        } finally {
          frame.release();
        }
      }
      assertThat((Object) client.readInbound()).isNull();
    } finally {
      client.finishAndReleaseAll();
    }
  }
}
