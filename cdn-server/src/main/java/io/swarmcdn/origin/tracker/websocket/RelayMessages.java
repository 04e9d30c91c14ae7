package io.swarmcdn.origin.tracker.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.swarmcdn.origin.tracker.swarm.PeerId;
import io.swarmcdn.torrent.metainfo.InfoHash;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the relayed offers and answers straight into a pooled buffer, in the wire form of
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

  static ByteBuf offer(ByteBufAllocator alloc, Request.RawJson offer, String offerId, byte[] tail) {
    return message(alloc, OFFER_HEAD, offer, offerId, tail);
  }

  static ByteBuf answer(
      ByteBufAllocator alloc, Request.RawJson answer, String offerId, byte[] tail) {
    return message(alloc, ANSWER_HEAD, answer, offerId, tail);
  }

  private static ByteBuf message(
      ByteBufAllocator alloc, byte[] head, Request.RawJson sdp, String offerId, byte[] tail) {
    byte[] id = new byte[OFFER_ID.length + MAX_ID_BYTES];
    int idLength = JsonText.writeBinaryString(id, put(id, 0, OFFER_ID), offerId);
    ByteBuf out = alloc.buffer(head.length + sdp.length() + idLength + tail.length);
    return out.writeBytes(head)
        .writeBytes(sdp.bytes(), sdp.start(), sdp.length())
        .writeBytes(id, 0, idLength)
        .writeBytes(tail);
  }

  private static int put(byte[] out, int at, byte[] bytes) {
    System.arraycopy(bytes, 0, out, at, bytes.length);
    return at + bytes.length;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
