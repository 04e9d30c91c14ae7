package io.swarmcdn.origin.tracker.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The load generator's announces, written as bytes, are the JSON a WebTorrent peer sends. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LoadPeerTest {

  private final JsonMapper jackson = JsonMapper.builder().build();

  @Test
  void anAnnounceWithOffersIsWellFormedJsonWithDistinctTwentyCharOfferIds() throws Exception {
    try (TrackerLoad load = new TrackerLoad(URI.create("ws://127.0.0.1:1/announce"), 50, 5, 1)) {
      LoadPeer peer = new LoadPeer(load, 123_456_789, "BENCH-SWARM-00000007");
      Set<String> offerIds = new HashSet<>();
      for (int announce = 0; announce < 3; announce++) {
        long before = System.nanoTime();
        JsonNode json = parse(peer.announce(UnpooledByteBufAllocator.DEFAULT, announce == 0, 5));
        long after = System.nanoTime();

        assertThat(json.get("action").stringValue()).isEqualTo("announce");
        assertThat(json.get("info_hash").stringValue()).isEqualTo("BENCH-SWARM-00000007");
        assertThat(json.get("peer_id").stringValue()).isEqualTo("-BN0001-000123456789");
        assertThat(json.get("numwant").intValue()).isEqualTo(5);
        assertThat(json.get("left").longValue()).isEqualTo(1048576);
        assertThat(json.has("event")).isEqualTo(announce == 0);
        assertThat(json.get("offers")).hasSize(5);
        for (JsonNode offer : json.get("offers")) {
          String offerId = offer.get("offer_id").stringValue();
          assertThat(offerId).hasSize(20).startsWith("000123456789");
          assertThat(offerIds.add(offerId)).isTrue();
          assertThat(offer.get("offer").get("type").stringValue()).isEqualTo("offer");
          String sdp = offer.get("offer").get("sdp").stringValue();
          assertThat(sdp).startsWith("v=0\r\n").endsWith("\r\n").hasSizeGreaterThan(500);
          long stamp = Long.parseLong(sdp.substring(sdp.lastIndexOf("a=x-bench-ts:") + 13).trim());
          assertThat(stamp).isBetween(before, after);
        }
      }
      assertThat(parse(peer.announce(UnpooledByteBufAllocator.DEFAULT, false, 0)).get("offers")).isEmpty();
    }
  }

  private JsonNode parse(ByteBuf announce) {
    try {
      return jackson.readTree(announce.toString(StandardCharsets.US_ASCII));
    } finally {
      announce.release();
    }
  }
}
