package io.swarmcdn.origin.tracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmcdn.origin.tracker.RejectReason;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The byte-level parser: what it accepts, what it refuses, and the raw SDP slices it keeps. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RequestParserTest {

  private static final String IH = "IIIIIIIIIIIIIIIIIIII";
  private static final String PID = "PPPPPPPPPPPPPPPPPPPP";
  private static final String OID = "OOOOOOOOOOOOOOOOOOOO";

  private final RequestParser parser = new RequestParser(10);
  private final JsonMapper jackson = JsonMapper.builder().build();

  private Request parse(String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    return parser.parse(bytes, 0, bytes.length);
  }

  private Request parseBytes(byte[] bytes) {
    return parser.parse(bytes, 0, bytes.length);
  }

  private static String announce(String rest) {
    return "{\"action\":\"announce\",\"info_hash\":\"" + IH + "\",\"peer_id\":\"" + PID + "\"" + rest + "}";
  }

  private static String text(Request.RawJson raw) {
    return new String(raw.bytes(), raw.start(), raw.length(), StandardCharsets.UTF_8);
  }

  @Test
  void offersAreKeptAsTheBytesTheClientSent() {
    String offer = "{ \"type\" : \"offer\", \"sdp\" : \"v=0\\r\\na=x:\\u00e9\\\"q\\\" \u00e9\u2603\ud83d\ude00\" }";
    Request.Announce announce =
        (Request.Announce)
            parse(announce(",\"left\":0,\"offers\":[{\"offer\":" + offer + ",\"offer_id\":\"" + OID + "\"}]"));
    assertThat(announce.seeder()).isTrue();
    assertThat(announce.offers()).hasSize(1);
    assertThat(text(announce.offers().get(0).offer())).isEqualTo(offer);
    assertThat(announce.offers().get(0).offerId()).isEqualTo(OID);
  }

  @Test
  void escapedAndNonAsciiBinaryStringsAreDecoded() {
    // \u0000..\u00ff as escapes and as two-byte UTF-8: one char per byte.
    String peer = "\\u0000\\\"\\\\\\/\u00ff\u0080" + "x".repeat(14);
    Request.Announce announce =
        (Request.Announce)
            parse("{\"action\":\"announce\",\"info_hash\":\"" + IH + "\",\"peer_id\":\"" + peer + "\"}");
    assertThat(announce.peerId().toBinaryString()).isEqualTo("\u0000\"\\/\u00ff\u0080" + "x".repeat(14));
  }

  @Test
  void escapedNamesMatchLikeJacksonDid() {
    Request request = parse("{\"\\u0061ction\":\"scrape\",\"info_hash\":\"" + IH + "\"}");
    assertThat(request).isInstanceOf(Request.Scrape.class);
  }

  @Test
  void aRepeatedNameCountsWithItsLastValueAsBefore() {
    Request.Announce announce =
        (Request.Announce)
            parse(announce(",\"offers\":[1,2,3],\"event\":\"bogus\",\"event\":\"started\",\"offers\":[{\"offer\":{\"a\":1},\"offer_id\":\"x\",\"offer_id\":\"" + OID + "\"}]"));
    assertThat(announce.event()).isEqualTo(Request.Event.STARTED);
    assertThat(announce.offers()).singleElement().extracting(Request.Offer::offerId).isEqualTo(OID);
    // The same through the Jackson tree the parser replaced.
    JsonNode tree = jackson.readTree(announce(",\"event\":\"bogus\",\"event\":\"started\""));
    assertThat(tree.get("event").stringValue()).isEqualTo("started");
  }

  @Test
  void anAnswerKeepsItsRawObjectAndNeedsToPeerId() {
    Request.Answer answer =
        (Request.Answer)
            parse(announce(",\"to_peer_id\":\"" + PID + "\",\"offer_id\":\"" + OID + "\",\"answer\":{\"type\":\"answer\",\"sdp\":\"s\"}"));
    assertThat(text(answer.answer())).isEqualTo("{\"type\":\"answer\",\"sdp\":\"s\"}");
    assertRefused(announce(",\"offer_id\":\"" + OID + "\",\"answer\":{}"), RejectReason.INVALID_FIELD, "to_peer_id");
    assertRefused(announce(",\"to_peer_id\":\"" + PID + "\",\"offer_id\":\"" + OID + "\",\"answer\":\"x\""), RejectReason.INVALID_FIELD, "answer");
  }

  @Test
  void malformedJsonIsRefused() {
    String[] malformed = {
      "", " ", "{", "{\"action\"", "{\"action\":}", "{\"a\":1,}", "{\"a\":[1,]}", "{'a':1}", "{a:1}",
      "{\"a\":01}", "{\"a\":+1}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}", "{\"a\":NaN}", "{\"a\":tru}",
      "{\"a\":nul}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12G4\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"tab\there\"}",
      "{\"a\":1} x", "{\"a\":1}{}", "{\"a\":1 /* c */}", "{\"a\":\"unterminated}",
      "{\"a\":" + "1".repeat(33) + "}", "{\"" + "n".repeat(257) + "\":1}",
      announce(",\"offers\":[{\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\"},\"offer_id\":\"" + OID + "\"}"),
    };
    for (String json : malformed) {
      assertThatThrownBy(() -> parse(json)).as(json).isInstanceOf(JsonScanner.MalformedException.class);
    }
  }

  @Test
  void nestingIsCappedAtSixteenLevelsAsWithJackson() {
    assertThat(parse("{\"action\":\"scrape\",\"info_hash\":\"" + IH + "\",\"a\":" + "[".repeat(15) + "]".repeat(15) + "}"))
        .isInstanceOf(Request.Scrape.class);
    assertThatThrownBy(() -> parse("{\"a\":" + "[".repeat(16) + "]".repeat(16) + "}"))
        .isInstanceOf(JsonScanner.MalformedException.class);
    // Also inside an offer, which is relayed raw.
    String deep = "{\"x\":".repeat(14) + "1" + "}".repeat(14); // the offer is at depth 4
    assertThatThrownBy(() -> parse(announce(",\"offers\":[{\"offer\":" + deep + ",\"offer_id\":\"" + OID + "\"}]")))
        .isInstanceOf(JsonScanner.MalformedException.class);
    assertThatThrownBy(() -> parse("{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"))
        .isInstanceOf(JsonScanner.MalformedException.class);
  }

  @Test
  void invalidUtf8IsMalformedEvenInsideAnSdp() {
    byte[][] bad = {
      {(byte) 0xc0, (byte) 0x80}, // overlong NUL
      {(byte) 0xe0, (byte) 0x80, (byte) 0x80}, // overlong
      {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // an encoded surrogate
      {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
      {(byte) 0xf5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
      {(byte) 0x80}, // a lone continuation byte
      {(byte) 0xc3}, // truncated
      {(byte) 0xe2, (byte) 0x98, (byte) 0x41},
    };
    for (byte[] sequence : bad) {
      byte[] head = announce(",\"offers\":[{\"offer\":{\"sdp\":\"").getBytes(StandardCharsets.UTF_8);
      head = java.util.Arrays.copyOf(head, head.length - 1); // announce() closed the object
      byte[] tail = ("\"},\"offer_id\":\"" + OID + "\"}]}").getBytes(StandardCharsets.UTF_8);
      byte[] message = new byte[head.length + sequence.length + tail.length];
      System.arraycopy(head, 0, message, 0, head.length);
      System.arraycopy(sequence, 0, message, head.length, sequence.length);
      System.arraycopy(tail, 0, message, head.length + sequence.length, tail.length);
      assertThatThrownBy(() -> parseBytes(message)).isInstanceOf(JsonScanner.MalformedException.class);
      assertThat(JsonScanner.isUtf8(message, 0, message.length)).isFalse();
    }
    byte[] good = "\u00e9\u2603\ud83d\ude00".getBytes(StandardCharsets.UTF_8);
    assertThat(JsonScanner.isUtf8(good, 0, good.length)).isTrue();
  }

  /** The eight-bytes-at-a-time skip must see a special byte at any position of a word. */
  @Test
  void everyByteValueAtEveryOffsetInALongStringIsJudgedLikeAlone() {
    for (int offset = 0; offset < 17; offset++) {
      for (int b = 0; b < 256; b++) {
        byte[] head = ("{\"action\":\"scrape\",\"info_hash\":\"" + IH + "\",\"a\":\"" + "x".repeat(offset))
            .getBytes(StandardCharsets.US_ASCII);
        byte[] message = java.util.Arrays.copyOf(head, head.length + 1 + 19);
        message[head.length] = (byte) b;
        java.util.Arrays.fill(message, head.length + 1, message.length - 2, (byte) 'y');
        message[message.length - 2] = '"';
        message[message.length - 1] = '}';
        boolean plain = b >= 0x20 && b < 0x80 && b != '"' && b != '\\';
        if (plain) {
          assertThat(parseBytes(message)).as("byte %02x at %d", b, offset).isInstanceOf(Request.Scrape.class);
        } else {
          assertThatThrownBy(() -> parseBytes(message))
              .as("byte %02x at %d", b, offset)
              .isInstanceOf(JsonScanner.MalformedException.class);
        }
      }
    }
  }

  /**
   * The skip jumps to the first special byte of a word: whatever follows it in the same word
   * (another escape, a multi-byte char, the closing quote, a raw control char) must still be
   * looked at.
   */
  @Test
  void specialBytesCloseBehindAnEscapeInOneWordAreEachJudged() {
    String[] seconds = {"\\r\\n", "\\\"", "\u00e9", "\u2603", "\"", "\u0001"};
    for (int first = 0; first < 9; first++) {
      for (int gap = 0; gap < 9; gap++) {
        for (String second : seconds) {
          String value = "x".repeat(first) + "\\n" + "y".repeat(gap) + second + "z".repeat(9);
          String json = "{\"action\":\"scrape\",\"info_hash\":\"" + IH + "\",\"a\":\"" + value + "\"}";
          String what = "escape at " + first + ", then " + gap + " bytes, then U+" + (int) second.charAt(0);
          if (second.equals("\"") || second.equals("\u0001")) {
            // A quote ends the string early (what follows is no JSON); a raw control char is refused.
            assertThatThrownBy(() -> parse(json)).as(what).isInstanceOf(JsonScanner.MalformedException.class);
          } else {
            assertThat(parse(json)).as(what).isInstanceOf(Request.Scrape.class);
          }
        }
      }
    }
  }

  /** The action is compared in place: an escaped form still counts, a longer or shorter one not. */
  @Test
  void theActionIsJudgedByItsDecodedValue() {
    String rest = ",\"info_hash\":\"" + IH + "\",\"peer_id\":\"" + PID + "\"}";
    assertThat(parse("{\"action\":\"\\u0061nnounc\\u0065\"" + rest)).isInstanceOf(Request.Announce.class);
    assertThat(parse("{\"action\":\"scr\\u0061pe\"" + rest)).isInstanceOf(Request.Scrape.class);
    for (String action : new String[] {"announcer", "announc", "Announce", "scrapes", "announce\\u0000"}) {
      assertRefused("{\"action\":\"" + action + "\"" + rest, RejectReason.MALFORMED, "action");
    }
  }

  @Test
  void fieldErrorsNameTheFieldAfterTheWholeMessageIsChecked() {
    assertRefused("[1,2,3]", RejectReason.MALFORMED, "object");
    assertRefused("{\"action\":\"connect\"}", RejectReason.MALFORMED, "action");
    assertRefused("{\"action\":1}", RejectReason.MALFORMED, "action");
    assertRefused("{\"action\":\"announce\",\"info_hash\":\"short\"}", RejectReason.INVALID_FIELD, "info_hash");
    assertRefused("{\"action\":\"announce\",\"info_hash\":\"\u0100" + IH.substring(1) + "\"}", RejectReason.INVALID_FIELD, "info_hash");
    assertRefused(announce("").replace(PID, "\u2603" + PID.substring(1)), RejectReason.INVALID_FIELD, "not a binary string");
    assertRefused(announce(",\"event\":\"exploded\""), RejectReason.INVALID_FIELD, "event");
    assertRefused(announce(",\"offers\":{}"), RejectReason.INVALID_FIELD, "offers");
    assertRefused(announce(",\"offers\":[1]"), RejectReason.INVALID_FIELD, "offer");
    assertRefused(announce(",\"offers\":[{\"offer\":\"x\",\"offer_id\":\"" + OID + "\"}]"), RejectReason.INVALID_FIELD, "offer");
    assertRefused(announce(",\"offers\":[{\"offer\":{},\"offer_id\":\"short\"}]"), RejectReason.INVALID_FIELD, "offer_id");
    assertRefused("{\"action\":\"scrape\",\"info_hash\":[]}", RejectReason.INVALID_FIELD, "info_hash");
    assertRefused("{\"action\":\"scrape\",\"info_hash\":[\"" + IH + "\",2]}", RejectReason.INVALID_FIELD, "info_hash");
  }

  @Test
  void elevenOffersAreTooManyWhateverTheyHold() {
    String items = String.join(",", java.util.Collections.nCopies(11, "1"));
    assertRefused(announce(",\"offers\":[" + items + "]"), RejectReason.TOO_MANY_OFFERS, "too many offers");
    String many = String.join(",", java.util.Collections.nCopies(1000, "{\"offer\":{},\"offer_id\":\"" + OID + "\"}"));
    assertRefused(announce(",\"offers\":[" + many + "]"), RejectReason.TOO_MANY_OFFERS, "too many offers");
  }

  @Test
  void stoppedAndCompletedCarryNoOffers() {
    String offers = ",\"offers\":[{\"offer\":{},\"offer_id\":\"" + OID + "\"}]";
    assertThat(((Request.Announce) parse(announce(",\"event\":\"stopped\"" + offers))).offers()).isEmpty();
    assertThat(((Request.Announce) parse(announce(",\"event\":\"completed\"" + offers))).offers()).isEmpty();
    assertThat(((Request.Announce) parse(announce(offers))).offers()).hasSize(1);
  }

  @Test
  void leftIsZeroLikeJavascriptNumber() {
    assertThat(((Request.Announce) parse(announce(",\"left\":0"))).seeder()).isTrue();
    assertThat(((Request.Announce) parse(announce(",\"left\":-0.0e3"))).seeder()).isTrue();
    assertThat(((Request.Announce) parse(announce(",\"left\":\" 0 \""))).seeder()).isTrue();
    assertThat(((Request.Announce) parse(announce(",\"left\":1"))).seeder()).isFalse();
    assertThat(((Request.Announce) parse(announce(",\"left\":\"abc\""))).seeder()).isFalse();
    assertThat(((Request.Announce) parse(announce(",\"left\":null"))).seeder()).isFalse();
    assertThat(((Request.Announce) parse(announce(""))).seeder()).isFalse();
  }

  @Test
  void scrapeWithoutInfoHashAsksForAllSwarms() {
    assertThat(((Request.Scrape) parse("{\"action\":\"scrape\"}")).infoHashes()).isEmpty();
    assertThat(((Request.Scrape) parse("{\"action\":\"scrape\",\"info_hash\":null}")).infoHashes()).isEmpty();
  }

  @Test
  void scrapeTakesOneOrManyInfoHashes() {
    assertThat(((Request.Scrape) parse("{\"action\":\"scrape\",\"info_hash\":\"" + IH + "\"}")).infoHashes()).hasSize(1);
    assertThat(((Request.Scrape) parse("{\"action\":\"scrape\",\"info_hash\":[\"" + IH + "\" , \"" + PID + "\"]}")).infoHashes())
        .hasSize(2);
  }

  private void assertRefused(String json, RejectReason reason, String messagePart) {
    assertThatThrownBy(() -> parse(json))
        .as(json.length() > 200 ? json.substring(0, 200) : json)
        .isInstanceOfSatisfying(
            RequestException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.getMessage()).contains(messagePart);
            });
  }
}
