package io.swarmcdn.origin.tracker.websocket;

import static io.swarmcdn.origin.tracker.websocket.JsonScanner.ARRAY;
import static io.swarmcdn.origin.tracker.websocket.JsonScanner.NULL;
import static io.swarmcdn.origin.tracker.websocket.JsonScanner.NUMBER;
import static io.swarmcdn.origin.tracker.websocket.JsonScanner.OBJECT;
import static io.swarmcdn.origin.tracker.websocket.JsonScanner.STRING;

import io.swarmcdn.origin.tracker.RejectReason;
import io.swarmcdn.origin.tracker.swarm.PeerId;
import io.swarmcdn.torrent.metainfo.InfoHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the UTF-8 bytes of a text frame into a {@link Request}, validating every field the
 * tracker uses. Field rules follow bittorrent-tracker's server (lib/server/parse-websocket.js):
 * 20-byte values are 20-character strings with one char per byte, so a char above U+00FF is
 * refused.
 *
 * <p>One pass of {@link JsonScanner} checks the whole message and notes where the fields of
 * interest start; nothing else is decoded, and the SDP objects ({@code offer}, {@code answer})
 * are kept as byte ranges to be relayed unchanged. As with the JSON tree used before, the whole
 * message must be well-formed before any field is looked at, and a repeated name counts with
 * its last value.
 */
final class RequestParser {

  private static final byte[] ACTION = ascii("action");
  private static final byte[] INFO_HASH = ascii("info_hash");
  private static final byte[] PEER_ID = ascii("peer_id");
  private static final byte[] ANSWER = ascii("answer");
  private static final byte[] TO_PEER_ID = ascii("to_peer_id");
  private static final byte[] OFFER_ID = ascii("offer_id");
  private static final byte[] EVENT = ascii("event");
  private static final byte[] LEFT = ascii("left");
  private static final byte[] OFFERS = ascii("offers");
  private static final byte[] OFFER = ascii("offer");
  private static final byte[] ANNOUNCE = ascii("announce");
  private static final byte[] SCRAPE = ascii("scrape");
  /** The top-level names read, in the order of the slots of {@link Message}. */
  private static final byte[][] FIELDS = {
    ACTION, INFO_HASH, PEER_ID, ANSWER, TO_PEER_ID, OFFER_ID, EVENT, LEFT, OFFERS
  };

  private static final int F_ACTION = 0;
  private static final int F_INFO_HASH = 1;
  private static final int F_PEER_ID = 2;
  private static final int F_ANSWER = 3;
  private static final int F_TO_PEER_ID = 4;
  private static final int F_OFFER_ID = 5;
  private static final int F_EVENT = 6;
  private static final int F_LEFT = 7;
  private static final int F_OFFERS = 8;

  private final int maxOffers;

  /** @param maxOffers offers accepted in one announce */
  RequestParser(int maxOffers) {
    this.maxOffers = maxOffers;
  }

  /**
   * @throws JsonScanner.MalformedException if the message is not well-formed JSON in UTF-8
   * @throws RequestException if it is, but not a valid tracker request
   */
  Request parse(byte[] bytes, int start, int end) {
    JsonScanner json = new JsonScanner(bytes, start, end);
    if (json.kind() != OBJECT) {
      json.skipValue(0);
      json.expectEnd();
      throw new RequestException(RejectReason.MALFORMED, "message must be a JSON object", null, null);
    }
    Message message = new Message(json, maxOffers);
    message.scanRoot();
    json.expectEnd();
    boolean text = message.kind[F_ACTION] == STRING;
    if (text && json.stringIs(message.at[F_ACTION], ANNOUNCE)) {
      return announce(message);
    }
    if (text && json.stringIs(message.at[F_ACTION], SCRAPE)) {
      return scrape(message, bytes, end);
    }
    throw new RequestException(RejectReason.MALFORMED, "invalid action in WS request", null, null);
  }

  /**
   * Where the fields of interest of one message are: for each, the index of its value's first
   * byte and the value's kind (0 if absent); for {@code offers}, up to one item more than
   * allowed.
   */
  private static final class Message {
    final JsonScanner json;
    final int[] at = new int[FIELDS.length];
    final int[] kind = new int[FIELDS.length];
    final int[] valueEnd = new int[FIELDS.length];
    final int maxOffers;
    int offerCount;
    int[] offerAt;
    int[] offerEnd;
    int[] offerKind;
    int[] offerIdAt;
    int[] offerIdKind;
    boolean[] itemIsObject;

    Message(JsonScanner json, int maxOffers) {
      this.json = json;
      this.maxOffers = maxOffers;
    }

    void scanRoot() {
      json.expect('{');
      if (json.consume('}')) {
        return;
      }
      do {
        json.name();
        int field = field();
        int valueKind = json.kind();
        int valueAt = json.position();
        if (field == F_OFFERS && valueKind == ARRAY) {
          scanOffers();
        } else {
          json.skipValue(1);
        }
        if (field >= 0) {
          at[field] = valueAt;
          kind[field] = valueKind;
          valueEnd[field] = json.position();
        }
      } while (json.consume(','));
      json.expect('}');
    }

    private int field() {
      for (int i = 0; i < FIELDS.length; i++) {
        if (json.nameIs(FIELDS[i])) {
          return i;
        }
      }
      return -1;
    }

    /** {@code offers: [{offer: {...}, offer_id: "..."}, ...]}, at depth 2. */
    private void scanOffers() {
      if (offerAt == null) {
        int slots = maxOffers + 1;
        offerAt = new int[slots];
        offerEnd = new int[slots];
        offerKind = new int[slots];
        offerIdAt = new int[slots];
        offerIdKind = new int[slots];
        itemIsObject = new boolean[slots];
      }
      offerCount = 0; // a repeated "offers" replaces the earlier one
      json.expect('[');
      JsonScanner.checkDepth(2);
      if (json.consume(']')) {
        return;
      }
      do {
        int item = offerCount++;
        boolean kept = item < offerAt.length;
        if (json.kind() != OBJECT || !kept) {
          if (kept) {
            itemIsObject[item] = false;
          }
          json.skipValue(2);
          continue;
        }
        itemIsObject[item] = true;
        offerKind[item] = 0;
        offerIdKind[item] = 0;
        json.expect('{');
        JsonScanner.checkDepth(3);
        if (json.consume('}')) {
          continue;
        }
        do {
          json.name();
          // Matched before the value is skipped: that reads the value's own names.
          boolean isOffer = json.nameIs(OFFER);
          boolean isOfferId = !isOffer && json.nameIs(OFFER_ID);
          int valueKind = json.kind();
          int valueAt = json.position();
          json.skipValue(3);
          if (isOffer) {
            offerKind[item] = valueKind;
            offerAt[item] = valueAt;
            offerEnd[item] = json.position();
          } else if (isOfferId) {
            offerIdKind[item] = valueKind;
            offerIdAt[item] = valueAt;
          }
        } while (json.consume(','));
        json.expect('}');
      } while (json.consume(','));
      json.expect(']');
    }

    boolean present(int field) {
      return kind[field] != 0 && kind[field] != NULL;
    }
  }

  private Request announce(Message m) {
    JsonScanner json = m.json;
    InfoHash infoHash = infoHash(json, m.at[F_INFO_HASH], m.kind[F_INFO_HASH], "announce");
    PeerId peerId =
        PeerId.fromBinaryString(
            binary(json, m.at[F_PEER_ID], m.kind[F_PEER_ID], "peer_id", infoHash));
    if (m.present(F_ANSWER)) {
      if (!m.present(F_TO_PEER_ID)) {
        throw invalid("`to_peer_id` is required with `answer`", infoHash);
      }
      PeerId toPeerId =
          PeerId.fromBinaryString(
              binary(json, m.at[F_TO_PEER_ID], m.kind[F_TO_PEER_ID], "to_peer_id", infoHash));
      String offerId = binary(json, m.at[F_OFFER_ID], m.kind[F_OFFER_ID], "offer_id", infoHash);
      if (m.kind[F_ANSWER] != OBJECT) {
        throw invalid("invalid `answer`", infoHash);
      }
      Request.RawJson answer = raw(json, m.at[F_ANSWER], m.valueEnd[F_ANSWER]);
      return new Request.Answer(infoHash, peerId, toPeerId, offerId, answer);
    }
    Request.Event event = event(m, infoHash);
    boolean seeder = isZero(m);
    List<Request.Offer> offers = List.of();
    if (event != Request.Event.STOPPED && event != Request.Event.COMPLETED) {
      offers = offers(m, infoHash);
    }
    return new Request.Announce(infoHash, peerId, event, seeder, offers);
  }

  private List<Request.Offer> offers(Message m, InfoHash infoHash) {
    if (!m.present(F_OFFERS)) {
      return List.of();
    }
    if (m.kind[F_OFFERS] != ARRAY) {
      throw invalid("invalid `offers`", infoHash);
    }
    if (m.offerCount > maxOffers) {
      throw new RequestException(
          RejectReason.TOO_MANY_OFFERS,
          "too many offers (at most " + maxOffers + " per announce)",
          infoHash,
          "announce");
    }
    List<Request.Offer> offers = new ArrayList<>(m.offerCount);
    for (int i = 0; i < m.offerCount; i++) {
      if (!m.itemIsObject[i] || m.offerKind[i] != OBJECT) {
        throw invalid("invalid offer", infoHash);
      }
      String offerId = binary(m.json, m.offerIdAt[i], m.offerIdKind[i], "offer_id", infoHash);
      offers.add(new Request.Offer(raw(m.json, m.offerAt[i], m.offerEnd[i]), offerId));
    }
    return offers;
  }

  private static Request.RawJson raw(JsonScanner json, int start, int end) {
    return new Request.RawJson(json.bytes(), start, end);
  }

  private static Request scrape(Message m, byte[] bytes, int end) {
    if (!m.present(F_INFO_HASH)) {
      // No info_hash (absent or null, as bittorrent-tracker's server reads it): all swarms.
      return new Request.Scrape(List.of());
    }
    if (m.kind[F_INFO_HASH] != ARRAY) {
      return new Request.Scrape(
          List.of(infoHash(m.json, m.at[F_INFO_HASH], m.kind[F_INFO_HASH], "scrape")));
    }
    // Walk the (already validated) array again, from its '['.
    JsonScanner items = new JsonScanner(bytes, m.at[F_INFO_HASH], end);
    items.expect('[');
    if (items.consume(']')) {
      throw new RequestException(RejectReason.INVALID_FIELD, "invalid info_hash", null, "scrape");
    }
    List<InfoHash> infoHashes = new ArrayList<>();
    do {
      int kind = items.kind();
      infoHashes.add(infoHash(items, items.position(), kind, "scrape"));
      items.skipValue(2);
    } while (items.consume(','));
    return new Request.Scrape(infoHashes);
  }

  private static Request.Event event(Message m, InfoHash infoHash) {
    if (!m.present(F_EVENT)) {
      return Request.Event.UPDATE;
    }
    if (m.kind[F_EVENT] != STRING) {
      throw invalid("invalid event", infoHash);
    }
    switch (m.json.string(m.at[F_EVENT], 10)) {
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
  private static boolean isZero(Message m) {
    String text;
    if (m.kind[F_LEFT] == NUMBER) {
      int at = m.at[F_LEFT];
      text = new String(m.json.bytes(), at, m.valueEnd[F_LEFT] - at, StandardCharsets.ISO_8859_1);
    } else if (m.kind[F_LEFT] == STRING) {
      text = m.json.string(m.at[F_LEFT], Integer.MAX_VALUE).trim();
    } else {
      return false;
    }
    try {
      return Double.parseDouble(text) == 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static InfoHash infoHash(JsonScanner json, int at, int kind, String action) {
    if (kind != STRING) {
      throw new RequestException(RejectReason.INVALID_FIELD, "invalid info_hash", null, action);
    }
    try {
      return InfoHash.fromBinaryString(json.string(at, PeerId.LENGTH + 1));
    } catch (IllegalArgumentException e) {
      throw new RequestException(RejectReason.INVALID_FIELD, "invalid info_hash", null, action);
    }
  }

  /** A 20-character string of chars U+0000..U+00FF (20 bytes on the wire). */
  private static String binary(
      JsonScanner json, int at, int kind, String field, InfoHash infoHash) {
    if (kind != STRING) {
      throw invalid("invalid " + field, infoHash);
    }
    // Decoding stops after 21 chars: enough to refuse a longer value.
    String value = json.string(at, PeerId.LENGTH + 1);
    if (value.length() != PeerId.LENGTH) {
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

  private static byte[] ascii(String name) {
    return name.getBytes(StandardCharsets.US_ASCII);
  }
}
