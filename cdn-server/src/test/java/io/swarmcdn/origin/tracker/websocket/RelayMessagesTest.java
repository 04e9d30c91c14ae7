package io.swarmcdn.origin.tracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.swarmcdn.origin.tracker.swarm.PeerId;
import io.swarmcdn.torrent.metainfo.InfoHash;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RelayMessagesTest {

  private final JsonMapper jackson = JsonMapper.builder().build();

  /** The message as written into a socket's frames, checked to be exactly its stated length. */
  private static ByteBuf written(OutboundText message) {
    ByteBuf out = Unpooled.buffer();
    message.writeTo(out);
    assertThat(out.readableBytes()).isEqualTo(message.length());
    return out;
  }

  /** Every byte value in the ids, and an SDP with escapes and non-ASCII text, survive a relay. */
  @Test
  void aRelayedOfferParsesBackToTheSameFieldsAndSdp() {
    String sdp = "v=0\\r\\na=x:\\\"\u00e9\u2603\ud83d\ude00\\u0001";
    byte[] message = ("xx{\"type\":\"offer\",\"sdp\":\"" + sdp + "\"}yy").getBytes(StandardCharsets.UTF_8);
    Request.RawJson offer = new Request.RawJson(message, 2, message.length - 2);
    for (int first = 0; first < 256; first += 20) {
      char[] chars = new char[20];
      for (int i = 0; i < 20; i++) {
        chars[i] = (char) ((first + i) & 0xff);
      }
      String id = new String(chars);
      PeerId from = PeerId.fromBinaryString(id);
      InfoHash infoHash = InfoHash.fromBinaryString(new StringBuilder(id).reverse().toString());
      ByteBuf out = written(RelayMessages.offer(offer, id, RelayMessages.tail(from, infoHash)));
      try {
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("{\"action\":\"announce\",\"offer\":{\"type\":\"offer\"");
        JsonNode parsed = jackson.readTree(text);
        assertThat(parsed.get("offer").get("sdp").stringValue())
            .isEqualTo(jackson.readTree("\"" + sdp + "\"").stringValue());
        assertThat(parsed.get("offer_id").stringValue()).isEqualTo(id);
        assertThat(parsed.get("peer_id").stringValue()).isEqualTo(id);
        assertThat(parsed.get("info_hash").stringValue()).isEqualTo(infoHash.toBinaryString());
        assertThat(parsed.propertyNames()).containsExactly("action", "offer", "offer_id", "peer_id", "info_hash");
      } finally {
        out.release();
      }
    }
  }

  @Test
  void aRelayedAnswerNamesTheAnswerer() {
    byte[] message = "{\"type\":\"answer\",\"sdp\":\"s\"}".getBytes(StandardCharsets.UTF_8);
    String id = "AAAAAAAAAAAAAAAAAAAA";
    ByteBuf out =
        written(
            RelayMessages.answer(
                new Request.RawJson(message, 0, message.length),
                id,
                RelayMessages.tail(PeerId.fromBinaryString(id), InfoHash.fromBinaryString(id))));
    try {
      assertThat(out.toString(StandardCharsets.UTF_8))
          .isEqualTo("{\"action\":\"announce\",\"answer\":{\"type\":\"answer\",\"sdp\":\"s\"},\"offer_id\":\""
              + id + "\",\"peer_id\":\"" + id + "\",\"info_hash\":\"" + id + "\"}");
    } finally {
      out.release();
    }
  }
}
