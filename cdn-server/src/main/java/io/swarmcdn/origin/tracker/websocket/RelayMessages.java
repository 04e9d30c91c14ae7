package io.swarmcdn.origin.tracker.websocket;

import io.netty.buffer.ByteBuf;
import io.swarmcdn.origin.tracker.swarm.PeerId;
import io.swarmcdn.torrent.metainfo.InfoHash;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the relayed offers and answers straight into bytes, in the wire form of
 * bittorrent-tracker (PROTOCOL-NOTES.md): {@code {"action":"announce","offer":{...},
 * "offer_id":OID,"peer_id":PID,"info_hash":IH}}, likewise with {@code answer}.
 *
 * <p>The SDP object is copied as the bytes the client sent ({@link Request.RawJson}, already
 * checked to be well-formed JSON and UTF-8): an offer is relayed once per announce and is most
 * of the message, so neither decoding nor re-encoding it is what makes the tracker fast. The
 * field order is the one the tracker always used; the ids are escaped by {@link JsonText}.
 */
final class RelayMessages {

  private static final byte[] OFFER_HEAD = ascii("{\"action\":\"announce\",\"offer\":");
  private static final byte[] ANSWER_HEAD = ascii("{\"action\":\"announce\",\"answer\":");
  private static final byte[] OFFER_ID = ascii(",\"offer_id\":");
  private static final byte[] PEER_ID = ascii(",\"peer_id\":");
  private static final byte[] INFO_HASH = ascii(",\"info_hash\":");
  private static final int MAX_ID_BYTES = JsonText.maxBinaryStringBytes(PeerId.LENGTH);

  private RelayMessages() {}

  /**
   * The end of every message relayed for {@code from} in swarm {@code infoHash}: {@code
   * ,"peer_id":PID,"info_hash":IH}}. Built once per announce, shared by its offers.
   */
  static byte[] tail(PeerId from, InfoHash infoHash) {
    byte[] tail = new byte[PEER_ID.length + INFO_HASH.length + 2 * MAX_ID_BYTES + 1];
    int at = put(tail, 0, PEER_ID);
    at = JsonText.writeBinaryString(tail, at, from.toBinaryString());
    at = put(tail, at, INFO_HASH);
    at = JsonText.writeBinaryString(tail, at, infoHash.toBinaryString());
    tail[at++] = '}';
    return Arrays.copyOf(tail, at);
  }

  static OutboundText offer(Request.RawJson offer, String offerId, byte[] tail) {
    return new Relayed(OFFER_HEAD, offer, JsonText.binaryString(offerId), tail);
  }

  static OutboundText answer(Request.RawJson answer, String offerId, byte[] tail) {
    return new Relayed(ANSWER_HEAD, answer, JsonText.binaryString(offerId), tail);
  }

  /**
   * One relayed message as its pieces, written straight into the frames queued for the
   * receiving socket: nothing is assembled on the sender's side first.
   */
  private record Relayed(byte[] head, Request.RawJson sdp, byte[] offerId, byte[] tail)
      implements OutboundText {

    @Override
    public int length() {
      return head.length + sdp.length() + OFFER_ID.length + offerId.length + tail.length;
    }

    @Override
    public void writeTo(ByteBuf out) {
      out.writeBytes(head)
          .writeBytes(sdp.bytes(), sdp.start(), sdp.length())
          .writeBytes(OFFER_ID)
          .writeBytes(offerId)
          .writeBytes(tail);
    }
  }

  private static int put(byte[] out, int at, byte[] bytes) {
    System.arraycopy(bytes, 0, out, at, bytes.length);
    return at + bytes.length;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
