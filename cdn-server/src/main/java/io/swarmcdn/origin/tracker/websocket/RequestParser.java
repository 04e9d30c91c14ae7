package io.swarmcdn.origin.tracker.websocket;

import io.swarmcdn.origin.tracker.RejectReason;
import io.swarmcdn.origin.tracker.swarm.PeerId;
import io.swarmcdn.torrent.metainfo.InfoHash;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a text frame into a {@link Request}, validating every field the tracker uses. Field rules
 * follow bittorrent-tracker's server (lib/server/parse-websocket.js): 20-byte values are
 * 20-character strings with one char per byte, so a char above U+00FF is refused.
 */
final class RequestParser {

  private final JsonMapper json;
  private final int maxOffers;

  /**
   * @param json a mapper with read constraints (depth, lengths) fit for untrusted input
   * @param maxOffers offers accepted in one announce
   */
  RequestParser(JsonMapper json, int maxOffers) {
    this.json = json;
    this.maxOffers = maxOffers;
  }

  Request parse(String text) {
    JsonNode root;
    try {
      root = json.readTree(text);
    } catch (JacksonException e) {
      throw new RequestException(RejectReason.MALFORMED, "invalid JSON", null, null);
    }
    if (root == null || !root.isObject()) {
      throw new RequestException(RejectReason.MALFORMED, "message must be a JSON object", null, null);
    }
    JsonNode action = root.get("action");
    String name = action != null && action.isString() ? action.stringValue() : null;
    if ("announce".equals(name)) {
      return parseAnnounce(root);
    }
    if ("scrape".equals(name)) {
      return parseScrape(root);
    }
    throw new RequestException(RejectReason.MALFORMED, "invalid action in WS request", null, null);
  }

  private Request parseAnnounce(JsonNode root) {
    InfoHash infoHash = infoHash(root.get("info_hash"), "announce");
    PeerId peerId = PeerId.fromBinaryString(binary(root.get("peer_id"), "peer_id", infoHash));
    JsonNode answer = root.get("answer");
    if (answer != null && !answer.isNull()) {
      JsonNode toPeer = root.get("to_peer_id");
      if (toPeer == null || toPeer.isNull()) {
        throw invalid("`to_peer_id` is required with `answer`", infoHash);
      }
      PeerId toPeerId = PeerId.fromBinaryString(binary(toPeer, "to_peer_id", infoHash));
      String offerId = binary(root.get("offer_id"), "offer_id", infoHash);
      if (!answer.isObject()) {
        throw invalid("invalid `answer`", infoHash);
      }
      return new Request.Answer(infoHash, peerId, toPeerId, offerId, answer);
    }
    Request.Event event = event(root.get("event"), infoHash);
    boolean seeder = isZero(root.get("left"));
    List<Request.Offer> offers = List.of();
    if (event != Request.Event.STOPPED && event != Request.Event.COMPLETED) {
      offers = offers(root.get("offers"), infoHash);
    }
    return new Request.Announce(infoHash, peerId, event, seeder, offers);
  }

  private List<Request.Offer> offers(JsonNode node, InfoHash infoHash) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw invalid("invalid `offers`", infoHash);
    }
    if (node.size() > maxOffers) {
      throw new RequestException(
          RejectReason.TOO_MANY_OFFERS,
          "too many offers (at most " + maxOffers + " per announce)",
          infoHash,
          "announce");
    }
    List<Request.Offer> offers = new ArrayList<>(node.size());
    for (JsonNode item : node) {
      JsonNode offer = item.get("offer");
      if (!item.isObject() || offer == null || !offer.isObject()) {
        throw invalid("invalid offer", infoHash);
      }
      offers.add(new Request.Offer(offer, binary(item.get("offer_id"), "offer_id", infoHash)));
    }
    return offers;
  }

  private Request parseScrape(JsonNode root) {
    JsonNode node = root.get("info_hash");
    if (node != null && node.isArray()) {
      if (node.isEmpty()) {
        throw new RequestException(
            RejectReason.INVALID_FIELD, "invalid info_hash", null, "scrape");
      }
      List<InfoHash> infoHashes = new ArrayList<>(node.size());
      for (JsonNode item : node) {
        infoHashes.add(infoHash(item, "scrape"));
      }
      return new Request.Scrape(infoHashes);
    }
    return new Request.Scrape(List.of(infoHash(node, "scrape")));
  }

  private static Request.Event event(JsonNode node, InfoHash infoHash) {
    if (node == null || node.isNull()) {
      return Request.Event.UPDATE;
    }
    if (!node.isString()) {
      throw invalid("invalid event", infoHash);
    }
    switch (node.stringValue()) {
      case "started":
        return Request.Event.STARTED;
      case "stopped":
        return Request.Event.STOPPED;
      case "completed":
        return Request.Event.COMPLETED;
      case "paused":
        return Request.Event.PAUSED;
      case "update":
      case "empty":
      case "":
        return Request.Event.UPDATE;
      default:
        throw invalid("invalid event", infoHash);
    }
  }

  /** bittorrent-tracker: {@code Number(left)}, NaN meaning "unknown" (a leecher). */
  private static boolean isZero(JsonNode left) {
    if (left != null && left.isNumber()) {
      return left.doubleValue() == 0;
    }
    if (left != null && left.isString()) {
      try {
        return Double.parseDouble(left.stringValue().trim()) == 0;
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return false;
  }

  private static InfoHash infoHash(JsonNode node, String action) {
    if (node == null || !node.isString()) {
      throw new RequestException(RejectReason.INVALID_FIELD, "invalid info_hash", null, action);
    }
    try {
      return InfoHash.fromBinaryString(node.stringValue());
    } catch (IllegalArgumentException e) {
      throw new RequestException(RejectReason.INVALID_FIELD, "invalid info_hash", null, action);
    }
  }

  /** A 20-character string of chars U+0000..U+00FF (20 bytes on the wire). */
  private static String binary(JsonNode node, String field, InfoHash infoHash) {
    if (node == null || !node.isString()) {
      throw invalid("invalid " + field, infoHash);
    }
    String value = node.stringValue();
    if (value.length() != 20) {
      throw invalid("invalid " + field, infoHash);
    }
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) > 0xff) {
        throw invalid("invalid " + field + " (not a binary string)", infoHash);
      }
    }
    return value;
  }

  private static RequestException invalid(String message, InfoHash infoHash) {
    return new RequestException(RejectReason.INVALID_FIELD, message, infoHash, "announce");
  }
}
