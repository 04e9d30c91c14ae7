package io.swarmcdn.origin.tracker.websocket;

import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Builds WebTorrent tracker messages as bittorrent-tracker's client sends them. */
public final class Messages {

  private Messages() {}

  /**
   * A random 20-byte id as a binary string (one char per byte), including bytes >= 0x80, which
   * travel as two UTF-8 bytes each.
   */
  public static String randomId() {
    char[] chars = new char[20];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) ThreadLocalRandom.current().nextInt(256);
    }
    return new String(chars);
  }

  public static ObjectNode announce(String infoHash, String peerId, String event, long left) {
    ObjectNode message = WsTestClient.JSON.createObjectNode();
    message.put("action", "announce");
    message.put("info_hash", infoHash);
    message.put("peer_id", peerId);
    message.put("numwant", 5);
    message.put("uploaded", 0);
    message.put("downloaded", 0);
    message.put("left", left);
    if (event != null) {
      message.put("event", event);
    }
    return message;
  }

  /** Adds offers with the given ids; each SDP names its offer id so tests can trace it. */
  public static ObjectNode withOffers(ObjectNode announce, String... offerIds) {
    ArrayNode offers = announce.putArray("offers");
    for (String offerId : offerIds) {
      ObjectNode offer = offers.addObject();
      offer.putObject("offer").put("type", "offer").put("sdp", "v=0 offer " + offerId.hashCode());
      offer.put("offer_id", offerId);
    }
    return announce;
  }

  public static ObjectNode answer(
      String infoHash, String peerId, String toPeerId, String offerId, String sdp) {
    ObjectNode message = WsTestClient.JSON.createObjectNode();
    message.put("action", "announce");
    message.put("info_hash", infoHash);
    message.put("peer_id", peerId);
    message.put("to_peer_id", toPeerId);
    message.put("offer_id", offerId);
    message.putObject("answer").put("type", "answer").put("sdp", sdp);
    return message;
  }

  public static ObjectNode scrape(String... infoHashes) {
    ObjectNode message = WsTestClient.JSON.createObjectNode();
    message.put("action", "scrape");
    if (infoHashes.length == 1) {
      message.put("info_hash", infoHashes[0]);
    } else {
      ArrayNode array = message.putArray("info_hash");
      for (String infoHash : infoHashes) {
        array.add(infoHash);
      }
    }
    return message;
  }
}
